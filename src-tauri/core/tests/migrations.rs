//! Every migration must work on a database made by the version before it.

use partwatch_core::inventory::{locations, parts, stock};
use partwatch_core::Database;
use partwatch_types::inventory::{
    LocationRef, NewStockItem, PartId, StockChangeKind, StockHistoryRequest,
};
use partwatch_types::Quantity;
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

#[tokio::test]
async fn the_store_migration_turns_free_text_locations_into_a_tree_and_merges_twin_items() {
    let files = migration_files();
    let upto = files
        .iter()
        .position(|f| f.to_string_lossy().ends_with("_store.sql"))
        .expect("the store migration");
    let (_dir, path, pool) = database_as_of(upto).await;
    // The previous version's stock: free-text locations, one place spelt
    // two ways, and two items of a resistor there in one batch.
    sqlx::query("INSERT INTO users (id, name) VALUES (1, 'Ada')")
        .execute(&pool)
        .await
        .expect("user");
    // Resistor: 5 + 7 at Drawer A3 (batch R1), 3 at Drawer A3 (batch R2),
    // 2 in Bin 1, 1 nowhere: 18. Capacitor: 4 at "drawer a3" (batch R1).
    sqlx::query(
        "INSERT INTO parts (id, name, own_stock, total_stock)
         VALUES (1, 'Resistor', 18000, 18000), (2, 'Capacitor', 4000, 4000)",
    )
    .execute(&pool)
    .await
    .expect("parts");
    for (id, part, quantity, location, batch) in [
        (1, 1, 5_000, "Drawer A3", "R1"),
        (2, 1, 2_000, "Bin 1", ""),
        (3, 1, 7_000, "drawer a3", "R1"),
        (4, 1, 3_000, "Drawer A3", "R2"),
        (5, 1, 1_000, "", ""),
        (6, 2, 4_000, "drawer a3", "R1"),
    ] {
        sqlx::query(
            "INSERT INTO stock_items (id, part_id, quantity, location, batch) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(part)
        .bind(quantity)
        .bind(location)
        .bind(batch)
        .execute(&pool)
        .await
        .expect("old item");
    }
    // A history line of every kind the previous version wrote.
    for (id, item, kind, delta, after) in [
        (1, 1, "create", 6_000, 6_000),
        (2, 1, "remove", -2_000, 4_000),
        (3, 1, "add", 1_000, 5_000),
        (4, 3, "create", 7_000, 7_000),
        (5, 5, "count", 1_000, 1_000),
        (6, 9, "delete", -4_000, 0),
    ] {
        sqlx::query(
            "INSERT INTO stock_history (id, part_id, stock_item_id, user_id, kind, delta, quantity_after, reason)
             VALUES (?, 1, ?, 1, ?, ?, ?, 'before the store')",
        )
        .bind(id)
        .bind(item)
        .bind(kind)
        .bind(delta)
        .bind(after)
        .execute(&pool)
        .await
        .expect("old history");
    }
    pool.close().await;

    let db = Database::open(&path)
        .await
        .expect("the new version opens the old file");
    assert_eq!(
        db.info().await.expect("info").migrations_applied,
        files.len() as i64
    );

    // Two top-level locations; the first spelling seen names the drawer.
    let tree: Vec<_> = locations::list(&db)
        .await
        .expect("locations")
        .into_iter()
        .map(|l| (l.name, l.path, l.parent_id, l.depth))
        .collect();
    assert_eq!(
        tree,
        [
            ("Bin 1".to_owned(), "Bin 1".to_owned(), None, 0),
            ("Drawer A3".to_owned(), "Drawer A3".to_owned(), None, 0),
        ]
    );
    let drawer = locations::list(&db).await.expect("locations")[1].id;

    // The resistor's two items at the drawer in batch R1 are one item of 12
    // (the older one); the other batch, the bin and "nowhere" stay apart.
    let at = |path: &str| (!path.is_empty()).then(|| path.to_owned());
    let items: Vec<_> = stock::items(&db, PartId(1))
        .await
        .expect("items")
        .into_iter()
        .map(|i| {
            (
                i.id.get(),
                i.quantity,
                i.location.map(|l: LocationRef| l.path),
                i.batch,
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (2, Quantity::whole(2), at("Bin 1"), String::new()),
            (1, Quantity::whole(12), at("Drawer A3"), "R1".to_owned()),
            (4, Quantity::whole(3), at("Drawer A3"), "R2".to_owned()),
            (5, Quantity::whole(1), None, String::new()),
        ]
    );
    // Another part at the same place and batch is not merged with it.
    let capacitor = stock::items(&db, PartId(2)).await.expect("items");
    assert_eq!(capacitor.len(), 1);
    assert_eq!(capacitor[0].quantity, Quantity::whole(4));
    assert_eq!(capacitor[0].location.as_ref().map(|l| l.id), Some(drawer));

    // Merging moved nothing in or out: the stored figures still hold and
    // still equal the items.
    for (part, total) in [(1, 18), (2, 4)] {
        let figures = parts::get(&db, PartId(part)).await.expect("part").figures;
        assert_eq!(figures.in_stock, Quantity::whole(total), "part {part}");
        let (own, sum): (i64, i64) = sqlx::query_as(
            "SELECT p.own_stock, (SELECT SUM(quantity) FROM stock_items WHERE part_id = p.id)
               FROM parts p WHERE p.id = ?",
        )
        .bind(part)
        .fetch_one(db.pool())
        .await
        .expect("figures");
        assert_eq!((own, sum), (total * 1000, total * 1000), "part {part}");
    }

    // The history: the old lines, every kind intact, now with the location
    // text of their item; then the merge, one line per item, leaving the
    // part's total alone.
    let mut history = stock::history(
        &db,
        &StockHistoryRequest {
            part_id: PartId(1),
            limit: 100,
        },
    )
    .await
    .expect("history");
    history.reverse();
    let lines: Vec<_> = history
        .iter()
        .map(|h| {
            (
                h.stock_item_id.map(|i| i.get()),
                h.kind,
                h.delta.as_str(),
                h.quantity_after,
                h.location.as_str(),
            )
        })
        .collect();
    use StockChangeKind::*;
    assert_eq!(
        lines,
        [
            (Some(1), Create, "+6", Quantity::whole(6), "Drawer A3"),
            (Some(1), Remove, "-2", Quantity::whole(4), "Drawer A3"),
            (Some(1), Add, "+1", Quantity::whole(5), "Drawer A3"),
            (Some(3), Create, "+7", Quantity::whole(7), "Drawer A3"),
            (Some(5), Count, "+1", Quantity::whole(1), ""),
            (Some(9), Delete, "-4", Quantity::ZERO, ""),
            (Some(1), Merge, "+7", Quantity::whole(12), "Drawer A3"),
            (Some(3), Merge, "-7", Quantity::ZERO, "Drawer A3"),
        ]
    );
    assert!(history[..6]
        .iter()
        .all(|h| h.user.as_deref() == Some("Ada") && h.reason == "before the store"));
    let merged: i64 = history
        .iter()
        .filter(|h| h.kind == Merge)
        .map(|h| {
            let sign = if h.delta.starts_with('-') { -1 } else { 1 };
            sign * h.delta[1..].parse::<Quantity>().expect("delta").milli()
        })
        .sum();
    assert_eq!(merged, 0, "a merge leaves the part's total alone");

    // One item per part, place and batch from now on: adding there grows it.
    let grown = stock::add_item(
        &db,
        &NewStockItem {
            part_id: PartId(1),
            quantity: Quantity::whole(1),
            location_id: Some(drawer),
            batch: "R1".into(),
            reason: String::new(),
        },
    )
    .await
    .expect("added");
    assert_eq!((grown.id.get(), grown.quantity), (1, Quantity::whole(13)));
    let twin = sqlx::query(
        "INSERT INTO stock_items (part_id, quantity, location_id, batch) VALUES (1, 1000, ?, 'R1')",
    )
    .bind(drawer)
    .execute(db.pool())
    .await;
    assert!(twin.is_err(), "a second item at the same place and batch");
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
    // The store's kinds are in both lists (a test comparing two lists that
    // both lost them would pass).
    for kind in ["transfer", "merge", "consume", "build"] {
        assert!(
            allowed_names(&db, "stock_history", "kind")
                .await
                .contains(&kind.to_owned()),
            "stock_history.kind allows {kind}"
        );
    }
    for (table, column, expected) in cases {
        assert_eq!(
            allowed_names(&db, table, column).await,
            expected,
            "{table}.{column}"
        );
    }
}
