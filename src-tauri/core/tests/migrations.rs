//! Every migration must work on a database made by the version before it,
//! and PostgreSQL's migrations must make the schema SQLite's make.

mod support;

use partwatch_core::inventory::{locations, parts, stock};
use partwatch_core::{notifications, Database};
use partwatch_types::inventory::{
    LocationRef, NewStockItem, PartId, PartInput, StockChangeKind, UserId,
};
use partwatch_types::notifications::NotificationId;
use partwatch_types::Quantity;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;
use std::path::PathBuf;
use tempfile::TempDir;

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

/// A data directory whose database is migrated only up to (and including)
/// migration number `upto`, and a connection to it.
async fn database_as_of(upto: usize) -> (TempDir, SqlitePool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let old_migrations = dir.path().join("old");
    std::fs::create_dir(&old_migrations).expect("dir");
    for file in &migration_files()[..upto] {
        std::fs::copy(file, old_migrations.join(file.file_name().expect("name"))).expect("copy");
    }
    let path = dir.path().join(partwatch_core::DATABASE_FILE_NAME);
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
    (dir, pool)
}

/// A data directory whose database is as the version before the migration
/// whose file name ends in `suffix` left it, and a connection to it.
async fn database_before(suffix: &str) -> (TempDir, SqlitePool) {
    let upto = migration_files()
        .iter()
        .position(|f| f.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no migration *{suffix}"));
    database_as_of(upto).await
}

/// Closes `pool` and opens the database in `dir` as this version does, which
/// applies every migration since; `from` says which version made it.
async fn upgraded(dir: &TempDir, pool: SqlitePool, from: &str) -> Database {
    pool.close().await;
    // A SQLite file's upgrade; PostgreSQL's own upgrade (its per-statement
    // unread counters) is tested further down.
    let db = Database::open_in(dir.path())
        .await
        .unwrap_or_else(|e| panic!("the new version opens the file from {from}: {e}"));
    assert_eq!(
        db.info().await.expect("info").migrations_applied,
        migration_files().len() as i64,
        "from {from}"
    );
    db
}

/// Runs one statement of the old version's data.
async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql)
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn the_notifications_migration_starts_parts_that_are_already_low_as_low() {
    let (dir, pool) = database_before("_notifications.sql").await;
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
    let db = upgraded(&dir, pool, "before _notifications.sql").await;
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
}

#[tokio::test]
async fn every_migration_applies_on_top_of_the_one_before() {
    for upto in 1..migration_files().len() {
        let (dir, pool) = database_as_of(upto).await;
        upgraded(&dir, pool, &format!("migration {upto}")).await;
    }
}

#[tokio::test]
async fn the_preference_migration_turns_each_persons_three_switches_into_their_cells() {
    use partwatch_core::preferences;
    use partwatch_types::notifications::{NotificationKind as K, PersonalChannel as C};
    let (dir, pool) = database_before("_preference_matrix.sql").await;
    // Ann changed nothing; Bob wanted no email but back in stock; Cy no popups.
    for (id, name) in [(10, "Ann"), (11, "Bob"), (12, "Cy")] {
        exec(
            &pool,
            &format!("INSERT INTO users (id, name) VALUES ({id}, '{name}')"),
        )
        .await;
    }
    exec(
        &pool,
        "INSERT INTO user_settings (user_id, email_enabled, os_popups_enabled, back_in_stock)
         VALUES (10, 1, 1, 0), (11, 0, 1, 1), (12, 1, 0, 0)",
    )
    .await;
    let db = upgraded(&dir, pool, "before _preference_matrix.sql").await;
    let on = |user: i64| {
        let db = db.clone();
        async move {
            let p = preferences::of(&db, UserId(user))
                .await
                .expect("preferences");
            let mut on = Vec::new();
            for event in K::EVENTS {
                for channel in C::ALL {
                    if p.mine(event, channel) {
                        on.push((event, channel));
                    }
                }
            }
            on
        }
    };
    // Out of stock came later (`_out_of_stock.sql`): it takes each person's
    // low-stock choices, always in the app.
    let everything_but_back = vec![
        (K::LowStock, C::InApp),
        (K::LowStock, C::OsPopup),
        (K::LowStock, C::Email),
        (K::OutOfStock, C::InApp),
        (K::OutOfStock, C::OsPopup),
        (K::OutOfStock, C::Email),
        (K::BuildShortage, C::InApp),
        (K::BuildShortage, C::OsPopup),
        (K::BuildShortage, C::Email),
    ];
    assert_eq!(on(10).await, everything_but_back, "Ann: the defaults");
    assert_eq!(
        on(11).await,
        [
            (K::LowStock, C::InApp),
            (K::LowStock, C::OsPopup),
            (K::OutOfStock, C::InApp),
            (K::OutOfStock, C::OsPopup),
            (K::BackInStock, C::InApp),
            (K::BackInStock, C::OsPopup),
            (K::BuildShortage, C::InApp),
            (K::BuildShortage, C::OsPopup),
        ],
        "Bob: no email anywhere, back in stock in the app and as a popup"
    );
    assert_eq!(
        on(12).await,
        [
            (K::LowStock, C::InApp),
            (K::LowStock, C::Email),
            (K::OutOfStock, C::InApp),
            (K::OutOfStock, C::Email),
            (K::BuildShortage, C::InApp),
            (K::BuildShortage, C::Email),
        ],
        "Cy: no popups"
    );
    // Ann's cells all follow the team's defaults: she has no rows of her own.
    let (own,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notification_preferences WHERE user_id = 10")
            .fetch_one(db.pool())
            .await
            .expect("count");
    assert_eq!(own, 0);
}

#[tokio::test]
async fn the_out_of_stock_migration_rebuilds_four_tables_and_keeps_every_row_and_link() {
    let (dir, pool) = database_before("_out_of_stock.sql").await;
    for sql in [
        "INSERT INTO users (id, name, email) VALUES (10, 'Ann', 'ann@lab.example')",
        "INSERT INTO parts (id, name, minimum_stock, total_stock, own_stock, alert_low)
         VALUES (1, 'Empty', 5000, 0, 0, 1), (2, 'Short', 5000, 2000, 2000, 1), (3, 'Fine', 5000, 9000, 9000, 0)",
        "INSERT INTO notifications (id, user_id, kind, title, body, part_id, reason)
         VALUES (7, 10, 'low_stock', 'Low stock: Empty', 'down', 1, 'you watch this part'),
                (8, 10, 'build_shortage', 'Short build', 'short', NULL, 'responsible')",
        "UPDATE notifications SET read_at = '2026-12-04T08:00:00.000Z' WHERE id = 8",
        "INSERT INTO delivery_events (id, kind, title, body, part_id) VALUES (3, 'low_stock', 'Low stock: Empty', 'down', 1)",
        "INSERT INTO deliveries (event_id, channel, notification_id, user_id, recipient)
         VALUES (3, 'email', 7, 10, 'Ann <ann@lab.example>'), (3, 'os_popup', 7, 10, 'this desktop')",
        "INSERT INTO webhooks (name, kind, url, low_stock) VALUES ('Quiet', 'generic', 'https://h.example/', 0),
                                                                ('Loud', 'generic', 'https://l.example/', 1)",
        "INSERT INTO notification_preferences (user_id, kind, channel, enabled) VALUES (10, 'low_stock', 'email', 0)",
    ] {
        exec(&pool, sql).await;
    }
    let db = upgraded(&dir, pool, "before _out_of_stock.sql").await;
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { support::scalar(&db, sql).await }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM deliveries WHERE notification_id = 7 AND event_id = 3").await,
        2
    );
    assert_eq!(count("SELECT COUNT(*) FROM notifications").await, 2);
    assert_eq!(
        count("SELECT unread FROM unread_counts WHERE user_id = 10").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM parts WHERE alert_out = 1").await,
        1,
        "only the empty part is out"
    );
    assert_eq!(count("SELECT id FROM parts WHERE alert_out = 1").await, 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM webhooks WHERE out_of_stock = low_stock").await,
        2
    );
    assert_eq!(
        count(
            "SELECT enabled FROM notification_preferences
                WHERE user_id = 10 AND kind = 'out_of_stock' AND channel = 'email'"
        )
        .await,
        0,
        "no low-stock mail: no out-of-stock mail either"
    );
    // The rebuilt tables still cascade and count: deleting the unread
    // notification takes its deliveries and its place on the badge.
    notifications::delete(&db, UserId(10), &[NotificationId(7)])
        .await
        .expect("deleted");
    assert_eq!(count("SELECT COUNT(*) FROM deliveries").await, 0);
    assert_eq!(
        count("SELECT unread FROM unread_counts WHERE user_id = 10").await,
        0
    );
    let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .expect("pragma");
    assert_eq!(fk, 1, "foreign keys are back on after migrating");
}

#[tokio::test]
async fn the_delivery_migration_carries_the_first_outbox_over() {
    let (dir, pool) = database_before("_delivery.sql").await;
    // The previous version's outbox: a pending popup and a sent email.
    exec(
        &pool,
        "INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@lab.example')",
    )
    .await;
    exec(&pool, "INSERT INTO parts (id, name) VALUES (7, 'Resistor')").await;
    exec(
        &pool,
        "INSERT INTO notifications (id, user_id, kind, title, body, part_id, reason)
         VALUES (3, 1, 'low_stock', 'Low stock: Resistor', 'Down to 1.', 7, 'you watch this part')",
    )
    .await;
    exec(
        &pool,
        "INSERT INTO outbox (notification_id, channel, status, attempts, sent_at)
         VALUES (3, 'os_popup', 'pending', 0, NULL), (3, 'email', 'sent', 1, '2026-12-01T09:00:00.000Z')",
    )
    .await;
    let db = upgraded(&dir, pool, "before _delivery.sql").await;
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
    let (dir, pool) = database_before("_store.sql").await;
    // The previous version's stock: free-text locations, one place spelt
    // two ways, and two items of a resistor there in one batch.
    exec(&pool, "INSERT INTO users (id, name) VALUES (1, 'Ada')").await;
    // Resistor: 5 + 7 at Drawer A3 (batch R1), 3 at Drawer A3 (batch R2),
    // 2 in Bin 1, 1 nowhere: 18. Capacitor: 4 at "drawer a3" (batch R1).
    exec(
        &pool,
        "INSERT INTO parts (id, name, own_stock, total_stock)
         VALUES (1, 'Resistor', 18000, 18000), (2, 'Capacitor', 4000, 4000)",
    )
    .await;
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
    let db = upgraded(&dir, pool, "before _store.sql").await;

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
    let mut history = stock::history(&db, &support::history_of(PartId(1)))
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
            location_id: Some(drawer),
            batch: "R1".into(),
            ..support::stock_in(PartId(1), "1")
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

/// The names a column's `CHECK (column IN (…))` allows in the newest schema
/// (PostgreSQL shows it as `CHECK ((column = ANY (ARRAY['a'::text, …])))`).
async fn allowed_names(db: &Database, table: &str, column: &str) -> Vec<String> {
    let (sql, check, end): (String, String, char) = if db.is_postgres() {
        let checks: Vec<String> = partwatch_core::sql::query_scalar(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint
              WHERE conrelid = CAST($1 AS regclass) AND contype = 'c'",
        )
        .bind(table)
        .fetch_all(db)
        .await
        .unwrap_or_else(|err| panic!("no table {table}: {err}"));
        (checks.join("\n"), format!("({column} = ANY (ARRAY["), ']')
    } else {
        let sql = partwatch_core::sql::query_scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1",
        )
        .bind(table)
        .fetch_one(db)
        .await
        .unwrap_or_else(|err| panic!("no table {table}: {err}"));
        (sql, format!("CHECK ({column} IN ("), ')')
    };
    let start = sql
        .find(&check)
        .unwrap_or_else(|| panic!("{table}.{column} has no CHECK … IN list: {sql}"))
        + check.len();
    let list = &sql[start..start + sql[start..].find(end).expect("end of the list")];
    let mut names: Vec<String> = list
        .split(',')
        .map(|n| {
            n.trim()
                .trim_end_matches("::text")
                .trim_matches('\'')
                .to_owned()
        })
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
    use partwatch_types::notifications::{NotificationKind, PersonalChannel};
    let world = support::World::empty().await;
    let db = &world.db;
    let kinds = names_of(&NotificationKind::ALL.map(NotificationKind::as_str));
    let events = names_of(&NotificationKind::EVENTS.map(NotificationKind::as_str));
    let channels = names_of(&PersonalChannel::ALL.map(PersonalChannel::as_str));
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
        ("default_preferences", "kind", events.clone()),
        ("notification_preferences", "kind", events),
        ("default_preferences", "channel", channels.clone()),
        ("notification_preferences", "channel", channels),
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
            allowed_names(db, "stock_history", "kind")
                .await
                .contains(&kind.to_owned()),
            "stock_history.kind allows {kind}"
        );
    }
    for (table, column, expected) in cases {
        assert_eq!(
            allowed_names(db, table, column).await,
            expected,
            "{table}.{column}"
        );
    }
}

/// One column as both backends describe it: table, column, not null, and
/// its kind ("integer", "boolean" or "text"). SQLite keeps booleans as
/// INTEGER with a `CHECK (column IN (0, 1))`; PostgreSQL has real ones.
type Column = (String, String, bool, String);

async fn sqlite_columns(db: &Database) -> Vec<Column> {
    let rows: Vec<(String, String, bool, String, String)> = sqlx::query_as(
        "SELECT m.name, c.name, c.\"notnull\" OR c.pk > 0, c.type, m.sql
           FROM sqlite_master m JOIN pragma_table_info(m.name) c
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name != '_sqlx_migrations'
          ORDER BY m.name, c.name",
    )
    .fetch_all(db.pool())
    .await
    .expect("SQLite columns");
    rows.into_iter()
        .map(|(table, column, not_null, kind, sql)| {
            let kind = match kind.as_str() {
                "INTEGER" if sql.contains(&format!("{column} IN (0, 1)")) => "boolean",
                "INTEGER" => "integer",
                "TEXT" => "text",
                other => panic!("{table}.{column} has the unexpected SQLite type {other}"),
            };
            (table, column, not_null, kind.to_owned())
        })
        .collect()
}

async fn postgres_columns(pool: &sqlx::PgPool) -> Vec<Column> {
    let rows: Vec<(String, String, bool, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable = 'NO', data_type::text
           FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name != '_sqlx_migrations'
          ORDER BY table_name, column_name",
    )
    .fetch_all(pool)
    .await
    .expect("PostgreSQL columns");
    rows.into_iter()
        .map(|(table, column, not_null, kind)| {
            let kind = match kind.as_str() {
                "bigint" => "integer",
                "boolean" => "boolean",
                "text" => "text",
                other => panic!("{table}.{column} has the type {other}: integers are bigint"),
            };
            (table, column, not_null, kind.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn postgresql_migrations_make_the_sqlite_schema_at_the_same_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("SQLite");
    let postgres = support::postgres::scratch_database().await;
    partwatch_core::schema::migrate_postgres(&postgres.pool)
        .await
        .expect("PostgreSQL's migrations run on an empty database");
    // Run twice: the second run finds nothing to do.
    partwatch_core::schema::migrate_postgres(&postgres.pool)
        .await
        .expect("migrating an up-to-date database changes nothing");

    let versions =
        "SELECT version, description FROM _sqlx_migrations WHERE success ORDER BY version";
    let sqlite_versions: Vec<(i64, String)> = sqlx::query_as(versions)
        .fetch_all(db.pool())
        .await
        .expect("versions");
    let postgres_versions: Vec<(i64, String)> = sqlx::query_as(versions)
        .fetch_all(&postgres.pool)
        .await
        .expect("versions");
    assert_eq!(
        postgres_versions, sqlite_versions,
        "one version, one list of steps"
    );
    assert_eq!(
        postgres_versions.last().map(|v| v.0),
        Some(Database::latest_known_schema_version())
    );

    let sqlite = sqlite_columns(&db).await;
    let postgres_schema = postgres_columns(&postgres.pool).await;
    let only_sqlite: Vec<_> = sqlite
        .iter()
        .filter(|c| !postgres_schema.contains(c))
        .collect();
    let only_postgres: Vec<_> = postgres_schema
        .iter()
        .filter(|c| !sqlite.contains(c))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "columns differ:\n  only on SQLite: {only_sqlite:?}\n  only on PostgreSQL: {only_postgres:?}"
    );
    assert!(
        sqlite.len() > 100,
        "both schemas were read ({} columns)",
        sqlite.len()
    );

    // Indexes by name (primary keys and UNIQUE constraints aside). SQLite's
    // `name TEXT UNIQUE COLLATE NOCASE` on webhooks is PostgreSQL's unique
    // index on lower(name).
    let mut sqlite_indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await
    .expect("SQLite indexes");
    sqlite_indexes.push(("webhooks".into(), "webhooks_by_name".into()));
    sqlite_indexes.sort();
    let postgres_indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT tablename::text, indexname::text FROM pg_indexes
          WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'
          ORDER BY 1, 2",
    )
    .fetch_all(&postgres.pool)
    .await
    .expect("PostgreSQL indexes");
    assert_eq!(postgres_indexes, sqlite_indexes);

    db.close().await;
    postgres.drop().await;
}

#[tokio::test]
async fn postgresql_keeps_each_users_unread_count_like_sqlite() {
    let postgres = support::postgres::scratch_database().await;
    partwatch_core::schema::migrate_postgres(&postgres.pool)
        .await
        .expect("migrations");
    let pool = &postgres.pool;
    let unread = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COALESCE((SELECT unread FROM unread_counts WHERE user_id = 1), 0)",
        )
        .fetch_one(pool)
        .await
        .expect("count")
    };
    sqlx::query("INSERT INTO users (id, name) VALUES (1, 'Ada')")
        .execute(pool)
        .await
        .expect("user");
    for _ in 0..2 {
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, title, body, reason)
             VALUES (1, 'test', 'Test', 'Body', 'a test')",
        )
        .execute(pool)
        .await
        .expect("notification");
    }
    assert_eq!(unread().await, 2, "two new notifications");
    let read = "UPDATE notifications SET read_at = partwatch_now() WHERE id = (SELECT MIN(id) FROM notifications)";
    sqlx::query(read).execute(pool).await.expect("read");
    sqlx::query(read).execute(pool).await.expect("read again");
    assert_eq!(unread().await, 1, "reading one, twice, counts once");
    sqlx::query("UPDATE notifications SET read_at = NULL")
        .execute(pool)
        .await
        .expect("unread");
    assert_eq!(unread().await, 2, "marked unread again");
    sqlx::query("DELETE FROM notifications WHERE id = (SELECT MAX(id) FROM notifications)")
        .execute(pool)
        .await
        .expect("delete");
    assert_eq!(unread().await, 1, "a deleted unread one no longer counts");
    // Many rows in one statement, for two users: each counted once.
    sqlx::query("INSERT INTO users (id, name) VALUES (2, 'Grace')")
        .execute(pool)
        .await
        .expect("user");
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, body, reason, read_at)
         SELECT 1 + i % 2, 'test', 'Test', 'Body', 'a test',
                CASE WHEN i % 4 = 0 THEN partwatch_now() END
           FROM generate_series(1, 1000) AS i",
    )
    .execute(pool)
    .await
    .expect("notifications");
    let grace = || async {
        sqlx::query_scalar::<_, i64>("SELECT unread FROM unread_counts WHERE user_id = 2")
            .fetch_one(pool)
            .await
            .expect("count")
    };
    // Ada: 500 new, of which 250 read (i % 4 = 0 are even); Grace: 500 unread.
    assert_eq!((unread().await, grace().await), (1 + 250, 500));
    sqlx::query(
        "UPDATE notifications SET read_at = partwatch_now() WHERE user_id = 2 AND id % 5 = 0",
    )
    .execute(pool)
    .await
    .expect("mark some read");
    let grace_unread: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = 2 AND read_at IS NULL",
    )
    .fetch_one(pool)
    .await
    .expect("count");
    assert_eq!(grace().await, grace_unread, "marked read in one statement");
    sqlx::query("UPDATE notifications SET title = 'Renamed'")
        .execute(pool)
        .await
        .expect("an update that reads nothing");
    assert_eq!(grace().await, grace_unread);
    sqlx::query("DELETE FROM notifications WHERE user_id = 2")
        .execute(pool)
        .await
        .expect("delete all");
    assert_eq!((unread().await, grace().await), (251, 0));
    let stamp: String = sqlx::query_scalar("SELECT created_at FROM notifications")
        .fetch_one(pool)
        .await
        .expect("time");
    assert_eq!(stamp.len(), "2026-12-02T16:20:50.661Z".len(), "{stamp}");
    assert!(
        stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T',
        "{stamp}"
    );
    postgres.drop().await;
}

#[tokio::test]
async fn a_postgresql_database_opens_migrated_and_names_itself_without_the_password() {
    let scratch = support::postgres::scratch_database().await;
    for _ in 0..2 {
        let db = Database::open_postgres(&scratch.url)
            .await
            .expect("opens (and the second time finds nothing to migrate)");
        assert!(db.is_postgres());
        let info = db.info().await.expect("info");
        assert_eq!(info.schema_version, Database::latest_known_schema_version());
        let password = support::harness::harness("PARTWATCH_TEST_POSTGRES_URL")
            .split_once("partwatch_admin:")
            .and_then(|(_, rest)| rest.split_once('@'))
            .map(|(password, _)| password.to_owned())
            .expect("the harness's URL has a password");
        assert!(
            info.database_path
                .starts_with("postgres://partwatch_admin@127.0.0.1:")
                && !info.database_path.contains(&password),
            "{}",
            info.database_path
        );
        db.close().await;
    }
    scratch.drop().await;
}

#[tokio::test]
async fn a_wrong_password_or_an_absent_server_is_a_clear_error() {
    let url = support::harness::harness("PARTWATCH_TEST_POSTGRES_URL");
    let (before, after) = url.split_once('@').expect("user@host");
    let (user, _) = before.rsplit_once(':').expect("user:password");
    let wrong = format!("{user}:not-the-password@{after}");
    let err = Database::open_postgres(&wrong)
        .await
        .expect_err("a refused password");
    assert!(
        err.to_string().contains("password authentication failed"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("refused the login of \"partwatch_admin\""),
        "{err}"
    );
    assert!(!err.to_string().contains("not-the-password"), "{err}");
    let nobody = "postgres://someone:secret@127.0.0.1:1/partwatch";
    let err = Database::open_postgres(nobody)
        .await
        .expect_err("no server there");
    assert_eq!(
        err.to_string(),
        "Could not connect to the PostgreSQL server at 127.0.0.1:1: it refused the connection \
         (is PostgreSQL running and listening on that port?)"
    );
    let (server, _) = after.split_once('/').expect("host/db");
    let err = Database::open_postgres(&format!("{before}@{server}/no_such_inventory"))
        .await
        .expect_err("no such database");
    assert!(
        err.to_string()
            .contains("it has no database \"no_such_inventory\""),
        "{err}"
    );
    let err = Database::open_postgres("postgres://[broken")
        .await
        .expect_err("not a URL");
    assert!(!err.to_string().is_empty());
}

#[tokio::test]
async fn a_database_a_newer_partwatch_has_migrated_is_refused_with_its_version_and_left_alone() {
    let newer = Database::latest_known_schema_version() + 1;
    let expected = format!(
        "This database has schema version {newer}, newer than this Partwatch knows ({})",
        Database::latest_known_schema_version()
    );
    let add_newer = format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES ({newer}, 'from the future', TRUE, '\\x00', 1)"
    );

    // SQLite.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("opens");
    let pool = db.pool().clone();
    sqlx::query(&add_newer.replace("'\\x00'", "x'00'"))
        .execute(&pool)
        .await
        .expect("a newer migration recorded");
    db.close().await;
    let err = Database::open_in(dir.path())
        .await
        .expect_err("a newer schema");
    assert!(err.to_string().starts_with(&expected), "{err}");
    assert_eq!(err.code(), partwatch_types::ErrorCode::Database);

    // PostgreSQL.
    let scratch = support::postgres::scratch_database().await;
    Database::open_postgres(&scratch.url)
        .await
        .expect("opens")
        .close()
        .await;
    let pool = scratch.pool.clone();
    sqlx::query(&add_newer)
        .execute(&pool)
        .await
        .expect("a newer migration recorded");
    let err = Database::open_postgres(&scratch.url)
        .await
        .expect_err("a newer schema");
    assert!(err.to_string().starts_with(&expected), "{err}");
    let check = partwatch_core::team::check(&scratch.url)
        .await
        .expect("checks");
    assert_eq!(check.schema_version, Some(newer));
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(
        applied,
        migration_files().len() as i64 + 1,
        "nothing was run on it"
    );
    scratch.drop().await;
}

#[tokio::test]
async fn checking_a_team_database_says_what_is_there_and_changes_nothing() {
    let scratch = support::postgres::scratch_database().await;
    let empty = partwatch_core::team::check(&scratch.url)
        .await
        .expect("checks");
    assert!(
        empty.server_version.starts_with("15"),
        "{}",
        empty.server_version
    );
    assert_eq!((empty.schema_version, empty.parts), (None, None));
    assert!(
        empty
            .target
            .starts_with("postgres://partwatch_admin@127.0.0.1:"),
        "{}",
        empty.target
    );
    // Still empty: the check did not migrate it.
    let again = partwatch_core::team::check(&scratch.url)
        .await
        .expect("checks");
    assert_eq!(again.schema_version, None);

    let db = Database::open_postgres(&scratch.url).await.expect("opens");
    parts::create(&db, &PartInput::named("Resistor"))
        .await
        .expect("a part");
    db.close().await;
    let used = partwatch_core::team::check(&scratch.url)
        .await
        .expect("checks");
    assert_eq!(
        (used.schema_version, used.parts),
        (Some(Database::latest_known_schema_version()), Some(1))
    );
    let err = partwatch_core::team::check("mysql://ada@db/inventory")
        .await
        .expect_err("not PostgreSQL");
    assert_eq!(err.code(), partwatch_types::ErrorCode::InvalidInput);
    scratch.drop().await;
    let err = partwatch_core::team::check(&scratch_url_without_database())
        .await
        .expect_err("dropped");
    assert!(err.to_string().contains("it has no database"), "{err}");
}

fn scratch_url_without_database() -> String {
    let url = support::harness::harness("PARTWATCH_TEST_POSTGRES_URL");
    let (server, _) = url.rsplit_once('/').expect("host/db");
    format!("{server}/partwatch_dropped_long_ago")
}

#[tokio::test]
async fn a_team_database_over_tls_is_verified_against_the_ca_file_it_names() {
    let scratch = support::postgres::scratch_database().await;
    // The harness's certificate names "localhost".
    let url = scratch.url.replace("@127.0.0.1:", "@localhost:");
    let ca = support::harness::harness("PARTWATCH_TEST_CA_CERT");
    let encrypted = |db: Database| async move {
        let ssl: bool = partwatch_core::sql::query_scalar(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        )
        .fetch_one(&db)
        .await
        .expect("pg_stat_ssl");
        db.close().await;
        ssl
    };
    for query in [
        format!("sslmode=verify-full&sslrootcert={ca}"),
        "sslmode=require".to_owned(),
    ] {
        let db = Database::open_postgres(&format!("{url}?{query}"))
            .await
            .unwrap_or_else(|err| panic!("{query}: {err}"));
        assert!(encrypted(db).await, "{query}: not encrypted");
    }
    // Verified against a CA that did not sign the server's certificate.
    let err = Database::open_postgres(&format!(
        "{url}?sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"
    ))
    .await
    .expect_err("an unknown issuer");
    assert!(
        err.to_string()
            .starts_with("Could not connect to the PostgreSQL server at localhost:"),
        "{err}"
    );
    // A CA file that is not there is said as such.
    let err = Database::open_postgres(&format!(
        "{url}?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"
    ))
    .await
    .expect_err("no CA file");
    assert!(err.to_string().contains("ca.crt"), "{err}");
    scratch.drop().await;
}

#[tokio::test]
async fn postgresql_upgrades_a_database_with_unread_notifications_to_counters_kept_per_statement() {
    let scratch = support::postgres::scratch_database().await;
    let pool = &scratch.pool;
    let old = tempfile::tempdir().expect("temp dir");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations-postgres");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("migrations-postgres")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let upto = files
        .iter()
        .position(|f| {
            f.to_string_lossy()
                .ends_with("_unread_counts_by_statement.sql")
        })
        .expect("the migration");
    for file in &files[..upto] {
        std::fs::copy(file, old.path().join(file.file_name().expect("name"))).expect("copy");
    }
    sqlx::migrate::Migrator::new(old.path())
        .await
        .expect("old migrator")
        .run(pool)
        .await
        .expect("the migrations before");
    for statement in [
        "INSERT INTO users (id, name) VALUES (1, 'Ada'), (2, 'Grace')",
        "INSERT INTO notifications (user_id, kind, title, body, reason, read_at)
         SELECT 1 + i % 2, 'test', 'Test', 'Body', 'a test',
                CASE WHEN i % 3 = 0 THEN partwatch_now() END
           FROM generate_series(1, 30) AS i",
    ] {
        sqlx::query(statement).execute(pool).await.expect(statement);
    }
    let counts = || async {
        let kept: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, unread FROM unread_counts WHERE unread > 0 ORDER BY user_id",
        )
        .fetch_all(pool)
        .await
        .expect("counters");
        let counted: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, COUNT(*) FROM notifications WHERE read_at IS NULL
              GROUP BY user_id ORDER BY user_id",
        )
        .fetch_all(pool)
        .await
        .expect("counted");
        assert_eq!(kept, counted, "the counters match the rows");
        kept
    };
    let before = counts().await;
    assert_eq!(before, vec![(1, 10), (2, 10)]);

    let db = Database::open_postgres(&scratch.url)
        .await
        .expect("this version migrates it");
    assert_eq!(counts().await, before, "the upgrade keeps every counter");
    // And the new triggers keep them from here on.
    sqlx::query("UPDATE notifications SET read_at = partwatch_now() WHERE user_id = 1")
        .execute(pool)
        .await
        .expect("all of Ada's read");
    sqlx::query("DELETE FROM notifications WHERE user_id = 2 AND id % 2 = 0")
        .execute(pool)
        .await
        .expect("some of Grace's deleted");
    let after = counts().await;
    assert_eq!(
        after.first().map(|(user, _)| *user),
        Some(2),
        "Ada has read all"
    );
    db.close().await;
    scratch.drop().await;
}
