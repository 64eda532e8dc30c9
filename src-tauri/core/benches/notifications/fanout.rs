//! Fan-out: one stock change notifying 1,000 subscribers, beside a plain insert of the same rows.

use super::{adjust, exec, fresh, line, median, q, timed, watched_part};
use partwatch_types::inventory::*;
use std::time::Instant;

pub(super) async fn fan_out() {
    let (_dir, db) = fresh().await;
    let (_part, item) = watched_part(&db, 1_000).await;
    exec(
        &db,
        "CREATE TABLE baseline AS SELECT * FROM notifications WHERE 0",
    )
    .await;
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut rows = 0;
    for _ in 0..15 {
        let before: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM notifications) + (SELECT COUNT(*) FROM deliveries)",
        )
        .fetch_one(db.pool())
        .await
        .expect("rows");
        // Both sides start from a checkpointed WAL: neither pays for the other's pages.
        exec(&db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
        let goes_low = adjust(&db, item, StockAdjustment::Remove(q("15")), "");
        timed(&mut samples, goes_low).await;
        let after: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM notifications) + (SELECT COUNT(*) FROM deliveries)",
        )
        .fetch_one(db.pool())
        .await
        .expect("rows");
        rows = after - before;
        adjust(&db, item, StockAdjustment::Add(q("15")), "").await;

        exec(&db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
        let start = Instant::now();
        let mut tx = db.pool().begin().await.expect("tx");
        for n in 0..rows {
            sqlx::query("INSERT INTO baseline (id, user_id, kind, title, body, part_id, reason) VALUES (NULL, ?, 'low_stock', 'Low stock: Watched part', 'Watched part is down to 5, below its minimum of 10.', 1, 'you watch category Level 3')")
                .bind(n)
                .execute(&mut *tx)
                .await
                .expect("baseline row");
        }
        tx.commit().await.expect("commit");
        baseline.push(start.elapsed());
    }
    println!("fan-out: {rows} rows (notifications + deliveries) per ok -> low, 1,000 subscribers, 12-deep categories");
    line(
        "  stock change to notifications committed",
        median(&samples),
        median(&baseline),
        "<= 2x baseline",
    );
}
