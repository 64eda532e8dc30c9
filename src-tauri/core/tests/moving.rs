//! Moving up: `partwatch migrate --to postgres://…` copies a whole SQLite
//! database into an empty PostgreSQL one, losing nothing, and refuses a
//! target that already holds data.

mod support;

use partwatch_core::delivery::webhook;
use partwatch_core::inventory::{demo, locations, parts, users};
use partwatch_core::{moving, notifications, sql, Database};
use partwatch_types::delivery::{WebhookInput, WebhookKind};
use partwatch_types::inventory::{PartInput, UpdateLocation};
use partwatch_types::notifications::{Folder, NotificationKind, NotificationQuery};
use partwatch_types::{ErrorCode, MoveProgress};
use serde_json::Value;
use support::postgres::scratch_database;

/// Every table's rows, each as an array of its column values, sorted;
/// booleans as SQLite keeps them (0 and 1).
async fn every_row(db: &Database, tables: &[String]) -> Vec<(String, Vec<String>)> {
    let mut all = Vec::new();
    for table in tables {
        let columns: Vec<String> = sql::query_scalar(sql::Sql::dialects(
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        ))
        .bind(table.as_str())
        .fetch_all(db)
        .await
        .expect("columns");
        let mut sorted = columns.clone();
        sorted.sort();
        let listed = sorted.join(", ");
        let sqlite = format!("SELECT json_group_array(json_array({listed})) FROM {table}");
        let postgres = format!(
            "SELECT CAST(COALESCE(jsonb_agg(jsonb_build_array({listed})), '[]') AS TEXT) FROM {table}"
        );
        let text: String = sql::query_scalar(sql::Sql::dialects(&sqlite, &postgres))
            .fetch_one(db)
            .await
            .unwrap_or_else(|err| panic!("{table}: {err}"));
        let rows: Vec<Value> = serde_json::from_str(&text).expect("JSON rows");
        let mut rows: Vec<String> = rows
            .into_iter()
            .map(|row| match row {
                Value::Array(values) => Value::Array(
                    values
                        .into_iter()
                        .map(|v| match v {
                            Value::Bool(b) => Value::from(i64::from(b)),
                            other => other,
                        })
                        .collect(),
                )
                .to_string(),
                other => panic!("{table}: not a row: {other}"),
            })
            .collect();
        rows.sort();
        all.push((format!("{table} ({listed})"), rows));
    }
    all
}

/// The same rows in every table, told table by table.
#[track_caller]
fn assert_same(moved: &[(String, Vec<String>)], expected: &[(String, Vec<String>)]) {
    assert_eq!(moved.len(), expected.len(), "tables");
    for ((table, rows), (expected_table, expected_rows)) in moved.iter().zip(expected) {
        assert_eq!(table, expected_table, "columns");
        assert_eq!(rows, expected_rows, "the rows of {table}");
    }
}

async fn sqlite_tables(db: &Database) -> Vec<String> {
    sql::query_scalar(
        "SELECT name FROM sqlite_master
          WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'
          ORDER BY name",
    )
    .fetch_all(db)
    .await
    .expect("tables")
}

#[tokio::test]
async fn a_whole_sqlite_database_moves_to_postgresql_row_for_row() {
    // A database that has lived a little: the demo inventory, a second
    // person, a location made before the one it now sits in, a webhook,
    // notifications (one read) with their deliveries.
    let w = support::sqlite_world().await;
    demo::load(&w.db).await.expect("demo");
    let ada = w.user("Ada").await;
    let bin = w.location("Bin 9", None).await;
    let shelf = w.location("Shelf 9", None).await;
    locations::update(
        &w.db,
        &UpdateLocation {
            id: bin,
            parent_id: Some(shelf),
            name: "Bin 9".into(),
            description: String::new(),
        },
    )
    .await
    .expect("bin onto the newer shelf");
    webhook::create(
        &w.db,
        &WebhookInput {
            name: "Lab channel".into(),
            kind: WebhookKind::Slack,
            url: "https://hooks.slack.com/services/T0/B0/x".into(),
            events: vec![NotificationKind::LowStock],
            enabled: true,
        },
    )
    .await
    .expect("webhook");
    // Siblings' names are unique, cousins' need not be: "Drawer 1" in two
    // cabinets, "Fasteners" in two categories (rows that cannot all go in
    // without their parents).
    for cabinet in ["Cabinet A", "Cabinet B"] {
        let parent = w.location(cabinet, None).await;
        w.location("Drawer 1", Some(parent)).await;
        let category = w.category(cabinet, None).await;
        w.category("Fasteners", Some(category.id)).await;
    }
    let (_, item) = w.watched_part("Moved resistor", &[w.me, ada]).await;
    w.go_low(item).await;
    let inbox = notifications::list(
        &w.db,
        ada,
        &NotificationQuery {
            folder: Folder::Inbox,
            kind: None,
            before_id: None,
            limit: 10,
        },
    )
    .await
    .expect("Ada's inbox");
    notifications::mark(&w.db, ada, &[inbox[0].id], true)
        .await
        .expect("read one");
    let tables = sqlite_tables(&w.db).await;
    let before = every_row(&w.db, &tables).await;
    for table in [
        "parts",
        "locations",
        "notifications",
        "deliveries",
        "webhooks",
        "stock_history",
    ] {
        let (_, rows) = before
            .iter()
            .find(|(name, _)| name.starts_with(&format!("{table} (")))
            .expect("table");
        assert!(!rows.is_empty(), "{table} has rows to move");
    }

    let target = scratch_database().await;
    let mut seen: Vec<MoveProgress> = Vec::new();
    let summary = moving::to_postgres(&w.db, &target.url, |p| seen.push(p.clone()))
        .await
        .expect("moves");
    let rows: usize = before.iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(summary.rows, rows as u64, "every row, once");
    assert_eq!(summary.tables, tables.len() as u64);
    assert!(
        summary
            .target
            .starts_with("postgres://partwatch_admin@127.0.0.1:")
            && !target.url.contains(&summary.target),
        "{} names the server, not the password",
        summary.target
    );
    assert!(
        seen.windows(2).all(|p| p[0].copied <= p[1].copied),
        "progress only goes forward"
    );
    let last = seen.last().expect("progress was told");
    assert_eq!((last.copied, last.total), (summary.rows, summary.rows));

    let moved = Database::open_postgres(&target.url)
        .await
        .expect("opens")
        .with_desktop_dir(w.dir.path());
    assert_same(&every_row(&moved, &tables).await, &before);

    // The same inventory, people and inbox on PostgreSQL, and it goes on;
    // the desktop that moved up is still its person there (whatever the OS
    // user's name: the data directory remembers).
    assert_eq!(
        users::current(&moved, "someone-else").await.expect("me").id,
        w.me,
        "the desktop's person is the same"
    );
    assert_eq!(
        notifications::unread_count(&moved, ada)
            .await
            .expect("unread"),
        w.unread(ada).await
    );
    assert_eq!(
        locations::get(&moved, bin)
            .await
            .expect("bin")
            .location
            .path,
        "Shelf 9 › Bin 9"
    );
    let highest: i64 = sql::query_scalar("SELECT MAX(id) FROM parts")
        .fetch_one(&moved)
        .await
        .expect("highest");
    let new = parts::create(&moved, &PartInput::named("First on the team"))
        .await
        .expect("a new part");
    assert_eq!(new.id.get(), highest + 1, "ids go on after the moved ones");

    // A second move into the now full database is refused and changes nothing.
    let after = every_row(&moved, &tables).await;
    let err = moving::to_postgres(&w.db, &target.url, |_| {})
        .await
        .expect_err("not empty");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(
        err.to_string().contains("already holds Partwatch data"),
        "{err}"
    );
    assert_same(&every_row(&moved, &tables).await, &after);
    moved.close().await;
    target.drop().await;
}

#[tokio::test]
async fn a_move_from_postgresql_or_to_a_refused_login_is_a_clear_error() {
    let w = support::sqlite_world().await;
    let url = support::harness::harness("PARTWATCH_TEST_POSTGRES_URL");
    let (before, after) = url.split_once('@').expect("user@host");
    let (user, _) = before.rsplit_once(':').expect("user:password");
    let err = moving::to_postgres(&w.db, &format!("{user}:wrong@{after}"), |_| {})
        .await
        .expect_err("refused password");
    assert!(
        err.to_string().contains("password authentication failed"),
        "{err}"
    );
    let target = scratch_database().await;
    let team = Database::open_postgres(&target.url).await.expect("opens");
    let err = moving::to_postgres(&team, &target.url, |_| {})
        .await
        .expect_err("already on PostgreSQL");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    team.close().await;
    target.drop().await;
}
