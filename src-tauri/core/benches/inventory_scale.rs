//! How the inventory queries the UI needs behave at scale.
//!
//! Generates a file-backed database (WAL, synchronous=NORMAL) with the
//! generator, then times each query over several runs and prints the median.
//! Run: `cargo bench -p partwatch-core --bench inventory_scale [-- PARTS]`
//! (default 100,000 parts).

use partwatch_core::inventory::{categories, generator, parts};
use partwatch_core::Database;
use partwatch_types::inventory::{PartId, PartQuery, PartSort};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

#[allow(clippy::print_stdout)]
fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let best = samples[0];
    println!(
        "{name:<52} median {:>9.3} ms   best {:>9.3} ms",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
}

async fn time<F, Fut, T>(name: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    f().await; // warm the page cache and statement cache
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        std::hint::black_box(f().await);
        samples.push(start.elapsed());
    }
    report(name, samples);
}

#[tokio::main(flavor = "current_thread")]
#[allow(clippy::print_stdout)]
async fn main() {
    let parts_count: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("database");
    let started = Instant::now();
    let generated = generator::generate(
        &db,
        generator::GeneratorSpec {
            parts: parts_count,
            depth: 5,
            fanout: 4,
            max_categories: 2_000,
            seed: 42,
        },
    )
    .await
    .expect("generated");
    println!(
        "generated {} parts in {} categories in {:.1} s (file-backed SQLite, WAL, synchronous=NORMAL)",
        generated.parts,
        generated.categories.len(),
        started.elapsed().as_secs_f64()
    );
    let root = generated.categories[0];
    let mid = generated.categories[1];

    let queries = [
        ("first page of 50, by name", PartQuery::default()),
        (
            "page 1000 of 50, by name",
            PartQuery {
                page: 1000,
                ..PartQuery::default()
            },
        ),
        (
            "first page, sorted by in-stock descending",
            PartQuery {
                sort: PartSort::InStock,
                descending: true,
                ..PartQuery::default()
            },
        ),
        (
            "low-stock filter, first page",
            PartQuery {
                low_only: true,
                ..PartQuery::default()
            },
        ),
        (
            "search \"0042\" (name/IPN/description)",
            PartQuery {
                search: "0042".into(),
                ..PartQuery::default()
            },
        ),
        (
            "category with sub-categories (a quarter of all)",
            PartQuery {
                category_id: Some(mid),
                include_subcategories: true,
                ..PartQuery::default()
            },
        ),
        (
            "root category with sub-categories (all)",
            PartQuery {
                category_id: Some(root),
                include_subcategories: true,
                ..PartQuery::default()
            },
        ),
    ];
    for (name, query) in &queries {
        time(name, || parts::list(&db, query)).await;
    }
    time("category tree with part counts", || categories::tree(&db)).await;
    time("one part with figures", || {
        parts::get(&db, PartId(12_345.min(parts_count as i64)))
    })
    .await;
}
