//! How the inventory queries the UI needs behave at scale.
//!
//! Generates a file-backed database (WAL, synchronous=NORMAL) with the
//! generator, then times each query over several runs and prints the median.
//! Run: `cargo bench -p partwatch-core --bench inventory_scale [-- PARTS]`
//! (default 100,000 parts).

mod support;

use partwatch_core::inventory::{categories, generator, parts};
use partwatch_types::inventory::{PartId, PartQuery, PartSort};
use std::time::{Duration, Instant};
use support::{fresh, median, ms, number_arg, timed};

const RUNS: usize = 15;

#[allow(clippy::print_stdout)]
fn report(name: &str, samples: &[Duration]) {
    let best = samples.iter().min().copied().unwrap_or_default();
    println!(
        "{name:<52} median {:>9.3} ms   best {:>9.3} ms",
        ms(median(samples)),
        ms(best)
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
        timed(&mut samples, f()).await;
    }
    report(name, &samples);
}

#[tokio::main(flavor = "current_thread")]
#[allow(clippy::print_stdout)]
async fn main() {
    let parts_count: usize = number_arg(100_000);
    let (_dir, db) = fresh().await;
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
