//! What the core's benchmarks share: a fresh file-backed database, the size
//! argument, timing and medians, and the stock changes they set up with.
//! Each benchmark uses part of it.

#![allow(dead_code)]

use partwatch_core::inventory::{stock, users};
use partwatch_core::Database;
use partwatch_types::inventory::StockItemId;
use partwatch_types::inventory::{AdjustStock, NewStockItem, PartId, StockAdjustment, StockItem};
use partwatch_types::Quantity;
use std::future::Future;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// A new database in a temporary directory (file-backed: WAL,
/// synchronous=NORMAL, as the app runs it), with its current user "Bench".
pub async fn fresh() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("database");
    users::current(&db, "Bench").await.expect("current user");
    (dir, db)
}

/// The first argument (not a flag) that reads as a number, or `default`.
pub fn number_arg<T: FromStr>(default: T) -> T {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .find_map(|a| a.parse().ok())
        .unwrap_or(default)
}

/// Awaits `work`, adding how long it took to `samples`.
pub async fn timed<T>(samples: &mut Vec<Duration>, work: impl Future<Output = T>) -> T {
    let start = Instant::now();
    let out = std::hint::black_box(work.await);
    samples.push(start.elapsed());
    out
}

pub fn median(samples: &[Duration]) -> Duration {
    let mut samples = samples.to_vec();
    samples.sort();
    samples[samples.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn q(text: &str) -> Quantity {
    text.parse().expect("quantity")
}

/// A new stock item of `part`, at no location.
pub async fn add_stock(db: &Database, part: PartId, quantity: &str) -> StockItem {
    stock::add_item(
        db,
        &NewStockItem {
            part_id: part,
            quantity: q(quantity),
            location_id: None,
            batch: String::new(),
            reason: String::new(),
        },
    )
    .await
    .expect("stock")
}

pub async fn adjust(
    db: &Database,
    item: StockItemId,
    adjustment: StockAdjustment,
    reason: &str,
) -> StockItem {
    stock::adjust(
        db,
        &AdjustStock {
            item_id: item,
            adjustment,
            reason: reason.into(),
        },
    )
    .await
    .expect("adjust")
}
