//! Fan-out: one stock change notifying 1,000 subscribers, beside a plain insert of the same rows.

use super::{
    adjust, exec, fresh_on, line, median, notification_rows, q, settle, timed, watched_part,
    Backend,
};
use partwatch_core::sql;
use partwatch_types::inventory::*;
use std::time::Instant;

pub(super) async fn fan_out(backend: Backend) {
    let (_dir, db) = fresh_on(backend).await;
    let (_part, item) = watched_part(&db, 1_000).await;
    exec(
        &db,
        "CREATE TABLE baseline AS SELECT * FROM notifications WHERE 1 = 0",
    )
    .await;
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut floor = Vec::new();
    let mut rows = 0;
    for _ in 0..15 {
        let before = notification_rows(&db).await;
        settle(&db, backend).await;
        let goes_low = adjust(&db, item, StockAdjustment::Remove(q("15")), "");
        timed(&mut samples, goes_low).await;
        rows = notification_rows(&db).await - before;
        adjust(&db, item, StockAdjustment::Add(q("15")), "").await;

        // The baseline: the same number of rows inserted one by one in one
        // write transaction (the writer's lock included, as the change takes it).
        settle(&db, backend).await;
        let start = Instant::now();
        let mut tx = db.begin_write().await.expect("tx");
        for n in 0..rows {
            sql::query("INSERT INTO baseline (id, user_id, kind, title, body, part_id, reason) VALUES (NULL, $1, 'low_stock', 'Low stock: Watched part', 'Watched part is down to 5, below its minimum of 10.', 1, 'you watch category Level 3')")
                .bind(n)
                .execute(&mut *tx)
                .await
                .expect("baseline row");
        }
        tx.commit().await.expect("commit");
        baseline.push(start.elapsed());

        // The floor: the same rows in one set-based statement.
        settle(&db, backend).await;
        let start = Instant::now();
        let mut tx = db.begin_write().await.expect("tx");
        sql::query(sql::Sql::dialects(
            "INSERT INTO baseline (id, user_id, kind, title, body, part_id, reason)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
             SELECT NULL, i, 'low_stock', 'Low stock: Watched part', 'Watched part is down to 5, below its minimum of 10.', 1, 'you watch category Level 3' FROM n",
            "INSERT INTO baseline (id, user_id, kind, title, body, part_id, reason)
             SELECT NULL, i, 'low_stock', 'Low stock: Watched part', 'Watched part is down to 5, below its minimum of 10.', 1, 'you watch category Level 3'
               FROM generate_series(1, $1) AS n(i)",
        ))
        .bind(rows)
        .execute(&mut *tx)
        .await
        .expect("set-based baseline");
        tx.commit().await.expect("commit");
        floor.push(start.elapsed());
    }
    println!("fan-out: {rows} rows (notifications + deliveries) per ok -> low, 1,000 subscribers, 12-deep categories");
    line(
        "  stock change to notifications committed",
        median(&samples),
        median(&baseline),
        match backend {
            Backend::Sqlite => "<= 2x baseline",
            Backend::Postgres => "<= 3x baseline",
        },
    );
    line(
        "  (floor: the same rows in one INSERT … SELECT)",
        median(&samples),
        median(&floor),
        "-",
    );
}
