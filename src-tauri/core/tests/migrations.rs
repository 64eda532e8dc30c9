//! Every migration must work on a database made by the version before it.

use partwatch_core::inventory::parts;
use partwatch_core::Database;
use partwatch_types::inventory::PartId;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;
use std::path::PathBuf;

fn migration_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("migrations dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// A database file migrated only up to (and including) migration number `upto`.
async fn database_as_of(upto: usize) -> (tempfile::TempDir, PathBuf, SqlitePool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let old_migrations = dir.path().join("old");
    std::fs::create_dir(&old_migrations).expect("dir");
    for file in &migration_files()[..upto] {
        std::fs::copy(file, old_migrations.join(file.file_name().expect("name"))).expect("copy");
    }
    let path = dir.path().join("partwatch.sqlite3");
    let pool = SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true),
    )
    .await
    .expect("pool");
    sqlx::migrate::Migrator::new(old_migrations.as_path())
        .await
        .expect("old migrator")
        .run(&pool)
        .await
        .expect("old migrations");
    (dir, path, pool)
}

#[tokio::test]
async fn the_notifications_migration_starts_parts_that_are_already_low_as_low() {
    let files = migration_files();
    let upto = files
        .iter()
        .position(|f| f.to_string_lossy().ends_with("_notifications.sql"))
        .expect("the notifications migration");
    let (_dir, path, pool) = database_as_of(upto).await;
    // Data made by the previous version: one part low, one at its minimum, one inactive and low.
    for (name, minimum, stock, active) in [
        ("Low", 10_000, 5_000, 1),
        ("Exactly", 10_000, 10_000, 1),
        ("Asleep", 10_000, 0, 0),
    ] {
        sqlx::query("INSERT INTO parts (name, minimum_stock, own_stock, total_stock, active) VALUES (?, ?, ?, ?, ?)")
            .bind(name)
            .bind(minimum)
            .bind(stock)
            .bind(stock)
            .bind(active)
            .execute(&pool)
            .await
            .expect("old part");
    }
    pool.close().await;

    let db = Database::open(&path)
        .await
        .expect("the new version opens the old file");
    let states: Vec<(String, bool)> =
        sqlx::query_as("SELECT name, alert_low FROM parts ORDER BY id")
            .fetch_all(db.pool())
            .await
            .expect("states");
    assert_eq!(
        states,
        [
            ("Low".to_owned(), true),
            ("Exactly".to_owned(), false),
            ("Asleep".to_owned(), false)
        ]
    );
    // And the old parts are still whole.
    let low = parts::get(&db, PartId(1)).await.expect("part");
    assert!(low.figures.is_low);
    assert_eq!(
        db.info().await.expect("info").migrations_applied,
        files.len() as i64
    );
}

#[tokio::test]
async fn every_migration_applies_on_top_of_the_one_before() {
    let files = migration_files();
    for upto in 1..files.len() {
        let (_dir, path, pool) = database_as_of(upto).await;
        pool.close().await;
        let db = Database::open(&path)
            .await
            .unwrap_or_else(|e| panic!("from migration {upto}: {e}"));
        assert_eq!(
            db.info().await.expect("info").migrations_applied,
            files.len() as i64
        );
    }
}

#[tokio::test]
async fn the_delivery_migration_carries_the_first_outbox_over() {
    let files = migration_files();
    let upto = files
        .iter()
        .position(|f| f.to_string_lossy().ends_with("_delivery.sql"))
        .expect("the delivery migration");
    let (_dir, path, pool) = database_as_of(upto).await;
    // The previous version's outbox: a pending popup and a sent email.
    sqlx::query("INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@lab.example')")
        .execute(&pool)
        .await
        .expect("user");
    sqlx::query("INSERT INTO parts (id, name) VALUES (7, 'Resistor')")
        .execute(&pool)
        .await
        .expect("part");
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, title, body, part_id, reason)
         VALUES (3, 1, 'low_stock', 'Low stock: Resistor', 'Down to 1.', 7, 'you watch this part')",
    )
    .execute(&pool)
    .await
    .expect("notification");
    sqlx::query(
        "INSERT INTO outbox (notification_id, channel, status, attempts, sent_at)
         VALUES (3, 'os_popup', 'pending', 0, NULL), (3, 'email', 'sent', 1, '2026-12-01T09:00:00.000Z')",
    )
    .execute(&pool)
    .await
    .expect("outbox");
    pool.close().await;

    let db = Database::open(&path)
        .await
        .expect("the new version opens the old file");
    let rows: Vec<(String, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT d.channel, d.status, d.recipient, d.user_id, d.event_id, e.title
           FROM deliveries d JOIN delivery_events e ON e.id = d.event_id ORDER BY d.id",
    )
    .fetch_all(db.pool())
    .await
    .expect("deliveries");
    assert_eq!(
        rows,
        [
            (
                "os_popup".into(),
                "pending".into(),
                "this desktop".into(),
                1,
                3,
                "Low stock: Resistor".into()
            ),
            (
                "email".into(),
                "sent".into(),
                "ada@lab.example".into(),
                1,
                3,
                "Low stock: Resistor".into()
            ),
        ]
    );
    let outbox_left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'outbox'")
            .fetch_one(db.pool())
            .await
            .expect("schema");
    assert_eq!(outbox_left, 0);
}

/// The names a column's `CHECK (column IN (…))` allows in the newest schema.
async fn allowed_names(db: &Database, table: &str, column: &str) -> Vec<String> {
    let sql: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
            .fetch_one(db.pool())
            .await
            .unwrap_or_else(|err| panic!("no table {table}: {err}"));
    let check = format!("CHECK ({column} IN (");
    let start = sql
        .find(&check)
        .unwrap_or_else(|| panic!("{table}.{column} has no CHECK … IN list: {sql}"))
        + check.len();
    let list = &sql[start..start + sql[start..].find(')').expect("closing parenthesis")];
    let mut names: Vec<String> = list
        .split(',')
        .map(|n| n.trim().trim_matches('\'').to_owned())
        .collect();
    names.sort();
    names
}

fn names_of(all: &[&'static str]) -> Vec<String> {
    let mut names: Vec<String> = all.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// Each stored enum has one mapping (`stored_enum!`), and the schema agrees
/// with it: every name the code writes is one the table accepts, and every
/// name the table accepts is one the code can read back.
#[tokio::test]
async fn every_stored_enum_matches_its_columns_check_constraint() {
    use partwatch_types::delivery::{ChannelKind, DeliveryStatus, EmailSecurity, WebhookKind};
    use partwatch_types::inventory::{BuildStatus, StockChangeKind};
    use partwatch_types::notifications::NotificationKind;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("database");
    let kinds = names_of(&NotificationKind::ALL.map(NotificationKind::as_str));
    let cases = [
        (
            "stock_history",
            "kind",
            names_of(&StockChangeKind::ALL.map(StockChangeKind::as_str)),
        ),
        (
            "build_orders",
            "status",
            names_of(&BuildStatus::ALL.map(BuildStatus::as_str)),
        ),
        ("notifications", "kind", kinds.clone()),
        ("delivery_events", "kind", kinds),
        (
            "deliveries",
            "channel",
            names_of(&ChannelKind::ALL.map(ChannelKind::as_str)),
        ),
        (
            "deliveries",
            "status",
            names_of(&DeliveryStatus::ALL.map(DeliveryStatus::as_str)),
        ),
        (
            "email_settings",
            "security",
            names_of(&EmailSecurity::ALL.map(EmailSecurity::as_str)),
        ),
        (
            "webhooks",
            "kind",
            names_of(&WebhookKind::ALL.map(WebhookKind::as_str)),
        ),
    ];
    for (table, column, expected) in cases {
        assert_eq!(
            allowed_names(&db, table, column).await,
            expected,
            "{table}.{column}"
        );
    }
}
