//! Subscriber resolution: 10k subscribers with reasons, beside the raw read of the subscription rows.

use super::{fresh_on, line, median, timed, watched_part, Backend};
use partwatch_core::subscriptions;

pub(super) async fn resolution(backend: Backend) {
    let (_dir, db) = fresh_on(backend).await;
    let (part, _) = watched_part(&db, 10_000).await;
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut found = 0;
    for _ in 0..15 {
        let mut conn = db.connection().await.expect("conn");
        found = timed(&mut samples, subscriptions::resolve(&mut conn, part))
            .await
            .expect("resolve")
            .len();
        // The raw read, as one JSON row (the cheapest way out of SQLite).
        let plain =
            partwatch_core::sql::query_scalar::<String>(partwatch_core::sql::Sql::dialects(
                "SELECT json_group_array(user_id) FROM (
                 SELECT user_id FROM part_subscriptions
                 UNION ALL SELECT user_id FROM category_subscriptions)",
                "SELECT jsonb_agg(user_id)::text FROM (
                 SELECT user_id FROM part_subscriptions
                 UNION ALL SELECT user_id FROM category_subscriptions) AS s",
            ))
            .fetch_one(&mut conn);
        timed(&mut baseline, plain).await.expect("plain");
    }
    println!("subscriber resolution: {found} subscribers with reasons, 12-deep categories, template chain");
    line(
        "  resolve(part)",
        median(&samples),
        median(&baseline),
        "(reading the 10k subscription rows)",
    );
}
