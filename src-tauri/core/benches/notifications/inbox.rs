//! Inbox: unread count and first pages over 1,000,000 notifications, beside `SELECT 1`.

use super::{fresh_on, line, median, timed, Backend};
use partwatch_core::{notifications, sql};
use partwatch_types::inventory::*;
use partwatch_types::notifications::NotificationQuery;
use std::time::Instant;

pub(super) async fn inbox(backend: Backend) {
    let (_dir, db) = fresh_on(backend).await;
    let start = Instant::now();
    sql::query(sql::Sql::dialects(
        "INSERT INTO notifications (user_id, kind, title, body, reason, read_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
         SELECT 1, 'low_stock', 'Low stock: Part ' || i, 'Part ' || i || ' is low.', 'you watch this part',
                CASE WHEN i % 2 = 0 THEN '2026-01-01T00:00:00.000Z' END FROM n",
        "INSERT INTO notifications (user_id, kind, title, body, reason, read_at)
         SELECT 1, 'low_stock', 'Low stock: Part ' || i, 'Part ' || i || ' is low.', 'you watch this part',
                CASE WHEN i % 2 = 0 THEN '2026-01-01T00:00:00.000Z' END
           FROM generate_series(1, 1000000) AS n(i)",
    ))
    .execute(&db)
    .await
    .expect("1M notifications");
    if backend == Backend::Postgres {
        // What autovacuum does soon after a bulk load on a real server.
        sql::query("VACUUM ANALYZE notifications")
            .execute(&db)
            .await
            .expect("vacuum");
    }
    println!(
        "inbox: 1,000,000 notifications for one user (half unread), inserted in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let mut count = Vec::new();
    let mut page = Vec::new();
    let mut history = Vec::new();
    let mut baseline = Vec::new();
    let first_page = NotificationQuery::default();
    let history_page = NotificationQuery {
        folder: partwatch_types::notifications::Folder::History,
        ..NotificationQuery::default()
    };
    for _ in 0..50 {
        let unread = timed(&mut count, notifications::unread_count(&db, UserId(1)))
            .await
            .expect("count");
        assert_eq!(unread, 500_000);
        let first = timed(&mut page, notifications::list(&db, UserId(1), &first_page))
            .await
            .expect("page");
        assert_eq!(first.len(), 50);
        let read = timed(
            &mut history,
            notifications::list(&db, UserId(1), &history_page),
        )
        .await
        .expect("history");
        assert_eq!(read.len(), 50);
        let one = sql::query_scalar::<i64>("SELECT CAST(1 AS BIGINT)").fetch_one(&db);
        timed(&mut baseline, one).await.expect("select 1");
    }
    line(
        "  unread count",
        median(&count),
        median(&baseline),
        "<= 1 ms (baseline: SELECT 1)",
    );
    line(
        "  first inbox page of 50",
        median(&page),
        median(&baseline),
        "<= 1 ms",
    );
    line(
        "  first history page of 50",
        median(&history),
        median(&baseline),
        "<= 1 ms",
    );
}
