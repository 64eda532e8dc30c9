//! The notification engine at scale, each figure beside a baseline measured
//! in the same run on the same database: a file-backed SQLite one (WAL,
//! synchronous=NORMAL, as the app runs it) or, with `postgres`, one on a
//! PostgreSQL server. See BENCHMARKS.md.
//!
//! Run: `cargo bench -p partwatch-core --bench notifications [-- [postgres] [PARTS] [SECTION...]]`
//! (PARTS: size of the throughput database, default 1,000,000; SECTION: any of
//! fan-out, resolution, build-check, inbox, throughput — all by default). On
//! PostgreSQL: `bash tests/harness/with-services.sh cargo bench -p partwatch-core
//! --bench notifications -- postgres` (the harness's private cluster; set
//! `PARTWATCH_POSTGRES_FSYNC=on` for a server that syncs as a real one does),
//! or `PARTWATCH_BENCH_POSTGRES_URL` naming a superuser on another server.

#![allow(clippy::print_stdout)]

mod build_check;
mod fanout;
mod inbox;
mod resolution;
#[path = "../support/mod.rs"]
mod support;
mod throughput;

use build_check::build_check;
use fanout::fan_out;
use inbox::inbox;
use partwatch_core::inventory::{categories, parts};
use partwatch_core::{sql, Database};
use partwatch_types::inventory::*;
use resolution::resolution;
use std::time::Duration;
use support::{add_stock, adjust, fresh_on, median, ms, number_arg, q, timed, Backend};
use throughput::throughput;

fn p99(samples: &[Duration]) -> Duration {
    let mut samples = samples.to_vec();
    samples.sort();
    samples[(samples.len() * 99 / 100).min(samples.len() - 1)]
}

fn line(name: &str, value: Duration, baseline: Duration, goal: &str) {
    println!(
        "{name:<46} {:>9.3} ms   baseline {:>9.3} ms   ratio {:>5.2}x   goal {goal}",
        ms(value),
        ms(baseline),
        value.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    );
}

async fn exec(db: &Database, text: &str) {
    sql::query(text).execute(db).await.expect(text);
}

/// The number of notifications and deliveries in the database.
async fn notification_rows(db: &Database) -> i64 {
    sql::query_scalar(
        "SELECT (SELECT COUNT(*) FROM notifications) + (SELECT COUNT(*) FROM deliveries)",
    )
    .fetch_one(db)
    .await
    .expect("rows")
}

/// Lets neither side of a comparison pay for the other's writes: SQLite's
/// WAL is checkpointed; PostgreSQL writes its own checkpoints.
async fn settle(db: &Database, backend: Backend) {
    if backend == Backend::Sqlite {
        exec(db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
}

/// `count` users named "<prefix> n", with consecutive ids; the first id.
async fn users_in_bulk(db: &Database, prefix: &str, count: i64) -> i64 {
    let before: i64 = sql::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users")
        .fetch_one(db)
        .await
        .expect("max");
    sql::query(sql::Sql::dialects(
        "INSERT INTO users (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
         SELECT $1 || ' ' || i FROM n",
        "INSERT INTO users (name) SELECT $1 || ' ' || i FROM generate_series(1, $2) AS n(i) ORDER BY i",
    ))
    .bind(prefix)
    .bind(count)
    .execute(db)
    .await
    .expect("users");
    sql::query_scalar("SELECT MIN(id) FROM users WHERE id > $1")
        .bind(before)
        .fetch_one(db)
        .await
        .expect("first")
}

/// A 12-deep category chain, a template in the deepest one and its variant;
/// `subscribers` users spread over the variant, the template and the 12 categories.
async fn watched_part(db: &Database, subscribers: i64) -> (PartId, StockItemId) {
    let mut parent = None;
    let mut chain = Vec::new();
    for level in 0..12 {
        let c = categories::create(
            db,
            &NewCategory {
                name: format!("Level {level}"),
                description: String::new(),
                parent_id: parent,
            },
        )
        .await
        .expect("category");
        parent = Some(c.id);
        chain.push(c.id);
    }
    let template = parts::create(
        db,
        &PartInput {
            is_template: true,
            category_id: parent,
            ..PartInput::named("Template")
        },
    )
    .await
    .expect("template");
    let part = parts::create(
        db,
        &PartInput {
            variant_of: Some(template.id),
            category_id: parent,
            minimum_stock: q("10"),
            ..PartInput::named("Watched part")
        },
    )
    .await
    .expect("part");
    let item = add_stock(db, part.id, "20").await;
    let first = users_in_bulk(db, "Subscriber", subscribers).await;
    // User first + n watches the variant (n % 3 = 0), the template (1) or
    // category (n / 3) % 12 of the chain (2).
    let mut tx = db.begin_write().await.expect("tx");
    for (remainder, watched) in [(0_i64, part.id), (1, template.id)] {
        sql::query(
            "INSERT INTO part_subscriptions (user_id, part_id)
             SELECT id, $1 FROM users WHERE id >= $2 AND id < $3 AND (id - $2) % 3 = $4",
        )
        .bind(watched)
        .bind(first)
        .bind(first + subscribers)
        .bind(remainder)
        .execute(&mut *tx)
        .await
        .expect("part subscriptions");
    }
    for (level, category) in chain.iter().enumerate() {
        sql::query(
            "INSERT INTO category_subscriptions (user_id, category_id)
             SELECT id, $1 FROM users
              WHERE id >= $2 AND id < $3 AND (id - $2) % 3 = 2 AND ((id - $2) / 3) % 12 = $4",
        )
        .bind(*category)
        .bind(first)
        .bind(first + subscribers)
        .bind(level as i64)
        .execute(&mut *tx)
        .await
        .expect("category subscriptions");
    }
    tx.commit().await.expect("commit");
    (part.id, item.id)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Arguments: an optional part count for the throughput database, and
    // optionally the names of the sections to run (all of them by default).
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-') && a != "postgres")
        .collect();
    let backend = Backend::from_args();
    let parts_count: usize = number_arg(1_000_000);
    let sections: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err())
        .map(String::as_str)
        .collect();
    let runs = |name: &str| sections.is_empty() || sections.contains(&name);
    println!("Partwatch notification benchmarks ({})", backend.describe());
    if runs("fan-out") {
        fan_out(backend).await;
    }
    if runs("resolution") {
        resolution(backend).await;
    }
    if runs("build-check") {
        build_check(backend).await;
    }
    if runs("inbox") {
        inbox(backend).await;
    }
    if runs("throughput") {
        throughput(backend, parts_count).await;
    }
    support::clean_up(backend).await;
}
