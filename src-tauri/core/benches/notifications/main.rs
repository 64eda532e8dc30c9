//! The notification engine at scale, each figure beside a baseline measured
//! in the same run on the same file-backed database (WAL, synchronous=NORMAL,
//! as the app runs it). See BENCHMARKS.md.
//!
//! Run: `cargo bench -p partwatch-core --bench notifications [-- PARTS] [SECTION...]`
//! (PARTS: size of the throughput database, default 1,000,000; SECTION: any of
//! fan-out, resolution, build-check, inbox, throughput — all by default).

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
use partwatch_core::Database;
use partwatch_types::inventory::*;
use resolution::resolution;
use std::time::Duration;
use support::{add_stock, adjust, fresh, median, ms, number_arg, q, timed};
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

async fn exec(db: &Database, sql: &str) {
    sqlx::query(sql).execute(db.pool()).await.expect(sql);
}

/// `count` users named "<prefix> n", returning the first id.
async fn users_in_bulk(db: &Database, prefix: &str, count: i64) -> i64 {
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM users")
        .fetch_one(db.pool())
        .await
        .expect("max");
    sqlx::query(
        "INSERT INTO users (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         SELECT ?1 || ' ' || i FROM n",
    )
    .bind(prefix)
    .bind(count)
    .execute(db.pool())
    .await
    .expect("users");
    first
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
    let mut tx = db.pool().begin().await.expect("tx");
    for n in 0..subscribers {
        let user = first + n;
        match n % 3 {
            0 => sqlx::query("INSERT INTO part_subscriptions (user_id, part_id) VALUES (?, ?)")
                .bind(user)
                .bind(part.id),
            1 => sqlx::query("INSERT INTO part_subscriptions (user_id, part_id) VALUES (?, ?)")
                .bind(user)
                .bind(template.id),
            _ => sqlx::query(
                "INSERT INTO category_subscriptions (user_id, category_id) VALUES (?, ?)",
            )
            .bind(user)
            .bind(chain[(n as usize / 3) % 12]),
        }
        .execute(&mut *tx)
        .await
        .expect("subscription");
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
        .filter(|a| !a.starts_with('-'))
        .collect();
    let parts_count: usize = number_arg(1_000_000);
    let sections: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err())
        .map(String::as_str)
        .collect();
    let runs = |name: &str| sections.is_empty() || sections.contains(&name);
    println!("Partwatch notification benchmarks (file-backed SQLite, WAL, synchronous=NORMAL)");
    if runs("fan-out") {
        fan_out().await;
    }
    if runs("resolution") {
        resolution().await;
    }
    if runs("build-check") {
        build_check().await;
    }
    if runs("inbox") {
        inbox().await;
    }
    if runs("throughput") {
        throughput(parts_count).await;
    }
}
