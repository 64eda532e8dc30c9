//! The notification engine at scale, each figure beside a baseline measured
//! in the same run on the same file-backed database (WAL, synchronous=NORMAL,
//! as the app runs it). See BENCHMARKS.md.
//!
//! Run: `cargo bench -p partwatch-core --bench notifications [-- PARTS] [SECTION...]`
//! (PARTS: size of the throughput database, default 1,000,000; SECTION: any of
//! fan-out, resolution, build-check, inbox, throughput — all by default).

#![allow(clippy::print_stdout)]

use partwatch_core::inventory::{bom, builds, categories, generator, parts, stock, users};
use partwatch_core::{notifications, subscriptions, Database};
use partwatch_types::inventory::*;
use partwatch_types::notifications::NotificationQuery;
use partwatch_types::Quantity;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(samples: &[Duration]) -> Duration {
    let mut samples = samples.to_vec();
    samples.sort();
    samples[samples.len() / 2]
}

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

fn q(text: &str) -> Quantity {
    text.parse().expect("quantity")
}

async fn fresh() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("database");
    users::current(&db, "Bench").await.expect("current user");
    (dir, db)
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
    let item = stock::add_item(
        db,
        &NewStockItem {
            part_id: part.id,
            quantity: q("20"),
            location: String::new(),
            batch: String::new(),
            reason: String::new(),
        },
    )
    .await
    .expect("stock");
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

async fn fan_out() {
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
        let start = Instant::now();
        stock::adjust(&db, item, StockAdjustment::Remove(q("15")), "")
            .await
            .expect("goes low");
        samples.push(start.elapsed());
        let after: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM notifications) + (SELECT COUNT(*) FROM deliveries)",
        )
        .fetch_one(db.pool())
        .await
        .expect("rows");
        rows = after - before;
        stock::adjust(&db, item, StockAdjustment::Add(q("15")), "")
            .await
            .expect("re-arms");

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

async fn resolution() {
    let (_dir, db) = fresh().await;
    let (part, _) = watched_part(&db, 10_000).await;
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut found = 0;
    for _ in 0..15 {
        let mut conn = db.pool().acquire().await.expect("conn");
        let start = Instant::now();
        found = subscriptions::resolve(&mut conn, part)
            .await
            .expect("resolve")
            .len();
        samples.push(start.elapsed());
        let start = Instant::now();
        // The raw read, as one JSON row (the cheapest way out of SQLite).
        let plain: String = sqlx::query_scalar(
            "SELECT json_group_array(user_id) FROM (
                 SELECT user_id FROM part_subscriptions
                 UNION ALL SELECT user_id FROM category_subscriptions)",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("plain");
        std::hint::black_box(plain);
        baseline.push(start.elapsed());
    }
    println!("subscriber resolution: {found} subscribers with reasons, 12-deep categories, template chain");
    line(
        "  resolve(part)",
        median(&samples),
        median(&baseline),
        "(reading the 10k subscription rows)",
    );
}

async fn build_check() {
    let (_dir, db) = fresh().await;
    let assembly = parts::create(
        &db,
        &PartInput {
            is_assembly: true,
            ..PartInput::named("Big assembly")
        },
    )
    .await
    .expect("assembly");
    for n in 0..1_000 {
        let sub = parts::create(&db, &PartInput::named(format!("Sub part {n:04}")))
            .await
            .expect("sub");
        stock::add_item(
            &db,
            &NewStockItem {
                part_id: sub.id,
                quantity: q(if n % 10 == 0 { "1" } else { "100" }),
                location: String::new(),
                batch: String::new(),
                reason: String::new(),
            },
        )
        .await
        .expect("stock");
        bom::add_line(
            &db,
            &NewBomLine {
                assembly_id: assembly.id,
                sub_part_id: sub.id,
                quantity: q("2"),
                allow_variants: false,
            },
        )
        .await
        .expect("line");
    }
    subscriptions::set_part(&db, UserId(1), assembly.id, true)
        .await
        .expect("watch");
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut short = 0;
    for _ in 0..30 {
        let start = Instant::now();
        let created = builds::create(
            &db,
            &NewBuildOrder {
                reference: String::new(),
                part_id: assembly.id,
                quantity: q("1"),
                responsible_id: Some(UserId(1)),
            },
        )
        .await
        .expect("build");
        samples.push(start.elapsed());
        short = created.short_lines.len();
        builds::set_status(&db, created.order.id, BuildStatus::Cancelled)
            .await
            .expect("cancel");
        let start = Instant::now();
        // Reading the BOM lines with their stock, as one JSON row.
        let lines: String = sqlx::query_scalar(
            "SELECT json_group_array(json_array(l.sub_part_id, p.name, l.quantity, p.own_stock))
               FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id WHERE l.assembly_id = ?",
        )
        .bind(assembly.id)
        .fetch_one(db.pool())
        .await
        .expect("lines");
        std::hint::black_box(lines);
        baseline.push(start.elapsed());
    }
    println!("build check: 1,000-line BOM, {short} short lines, one notification");
    line(
        "  create build order + check + notify",
        median(&samples),
        median(&baseline),
        "<= 5 ms (baseline: read the BOM)",
    );
}

async fn inbox() {
    let (_dir, db) = fresh().await;
    let start = Instant::now();
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, body, reason, read_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
         SELECT 1, 'low_stock', 'Low stock: Part ' || i, 'Part ' || i || ' is low.', 'you watch this part',
                CASE WHEN i % 2 = 0 THEN '2026-01-01T00:00:00.000Z' END FROM n",
    )
    .execute(db.pool())
    .await
    .expect("1M notifications");
    println!(
        "inbox: 1,000,000 notifications for one user (half unread), inserted in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let mut count = Vec::new();
    let mut page = Vec::new();
    let mut history = Vec::new();
    let mut baseline = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let unread = notifications::unread_count(&db, UserId(1))
            .await
            .expect("count");
        count.push(start.elapsed());
        assert_eq!(unread, 500_000);
        let start = Instant::now();
        let first = notifications::list(&db, UserId(1), &NotificationQuery::default())
            .await
            .expect("page");
        page.push(start.elapsed());
        assert_eq!(first.len(), 50);
        let start = Instant::now();
        let read = notifications::list(
            &db,
            UserId(1),
            &NotificationQuery {
                folder: partwatch_types::notifications::Folder::History,
                ..NotificationQuery::default()
            },
        )
        .await
        .expect("history");
        history.push(start.elapsed());
        assert_eq!(read.len(), 50);
        let start = Instant::now();
        let one: i64 = sqlx::query_scalar("SELECT 1")
            .fetch_one(db.pool())
            .await
            .expect("select 1");
        std::hint::black_box(one);
        baseline.push(start.elapsed());
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

async fn throughput(parts_count: usize) {
    let (_dir, db) = fresh().await;
    let start = Instant::now();
    generator::generate(
        &db,
        generator::GeneratorSpec {
            parts: parts_count,
            depth: 6,
            fanout: 4,
            max_categories: 5_000,
            seed: 9,
        },
    )
    .await
    .expect("generated");
    println!(
        "throughput: {parts_count} parts generated in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let items: Vec<StockItemId> =
        sqlx::query_scalar("SELECT id FROM stock_items WHERE quantity > 1000 ORDER BY id")
            .fetch_all(db.pool())
            .await
            .expect("items");
    let all_items = items.clone();
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut pick = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        items[(rng % items.len() as u64) as usize]
    };
    let total = 100_000;
    let batch = 1_000;
    let alerts_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parts WHERE alert_low = 1")
        .fetch_one(db.pool())
        .await
        .expect("alerts");
    // Each batch touches distinct items (a stock-take counts each bin once).
    let mut order = all_items;
    let start = Instant::now();
    for b in 0..total / batch {
        if (b * batch) % order.len() + batch > order.len() {
            // Reshuffle when the pass over the items runs out.
            for i in (1..order.len()).rev() {
                order.swap(i, (pick().get() as usize) % (i + 1));
            }
        }
        let offset = (b * batch) % (order.len() - batch);
        let adjustments: Vec<_> = order[offset..offset + batch]
            .iter()
            .enumerate()
            .map(|(n, id)| {
                (
                    *id,
                    if (b + n) % 2 == 0 {
                        StockAdjustment::Remove(q("1"))
                    } else {
                        StockAdjustment::Add(q("1"))
                    },
                )
            })
            .collect();
        stock::adjust_many(&db, &adjustments, "bench")
            .await
            .expect("batch");
    }
    let batched = start.elapsed();
    let chosen: Vec<StockItemId> = (0..total).map(|_| pick()).collect();
    let start = Instant::now();
    for chunk in chosen.chunks(batch) {
        let mut tx = db.pool().begin().await.expect("tx");
        for id in chunk {
            sqlx::query("UPDATE stock_items SET quantity = quantity + 1 WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await
                .expect("update");
        }
        tx.commit().await.expect("commit");
    }
    let plain = start.elapsed();
    // SQLite's own floor for the same batches: one set-based UPDATE of the
    // batch's items per transaction (no history, no totals, no alerts).
    let start = Instant::now();
    for chunk in chosen.chunks(batch) {
        let ids = format!(
            "[{}]",
            chunk
                .iter()
                .map(StockItemId::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut tx = db.pool().begin().await.expect("tx");
        sqlx::query(
            "UPDATE stock_items SET quantity = quantity + 1
              WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(ids)
        .execute(&mut *tx)
        .await
        .expect("update");
        tx.commit().await.expect("commit");
    }
    let floor = start.elapsed();
    let mut single = Vec::new();
    for n in 0..1_000 {
        let item = pick();
        let adjustment = if n % 2 == 0 {
            StockAdjustment::Remove(q("1"))
        } else {
            StockAdjustment::Add(q("1"))
        };
        let start = Instant::now();
        stock::adjust(&db, item, adjustment, "bench")
            .await
            .expect("single");
        single.push(start.elapsed());
    }
    let alerts_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parts WHERE alert_low = 1")
        .fetch_one(db.pool())
        .await
        .expect("alerts");
    println!(
        "  {total} adjustments in batches of {batch}: {:.0} adjustments/s (baselines: plain UPDATE statements {:.0}/s; one set-based UPDATE per batch {:.0}/s)   goal >= 100,000/s",
        total as f64 / batched.as_secs_f64(),
        total as f64 / plain.as_secs_f64(),
        total as f64 / floor.as_secs_f64()
    );
    println!(
        "  single adjustment, own transaction: median {:.3} ms, p99 {:.3} ms   (parts low before/after: {alerts_before}/{alerts_after})",
        ms(median(&single)),
        ms(p99(&single))
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Arguments: an optional part count for the throughput database, and
    // optionally the names of the sections to run (all of them by default).
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let parts_count: usize = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
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
