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

/// Which database a benchmark runs on: `postgres` among the arguments runs
/// it on a PostgreSQL server, else on a SQLite file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_args() -> Self {
        if std::env::args().skip(1).any(|a| a == "postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Backend::Sqlite => "file-backed SQLite, WAL, synchronous=NORMAL",
            Backend::Postgres => "PostgreSQL over loopback TCP",
        }
    }
}

/// The server a PostgreSQL run uses: `PARTWATCH_BENCH_POSTGRES_URL`, else the
/// harness's (`PARTWATCH_TEST_POSTGRES_URL`); a superuser, since each
/// benchmark creates its own database `partwatch_bench` (and removes the one
/// before).
fn postgres_server() -> String {
    std::env::var("PARTWATCH_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("PARTWATCH_TEST_POSTGRES_URL"))
        .expect(
            "a PostgreSQL run needs PARTWATCH_BENCH_POSTGRES_URL (a superuser's URL) \
             or the harness: bash tests/harness/with-services.sh cargo bench … -- postgres",
        )
}

const BENCH_DATABASE: &str = "partwatch_bench";

/// The URL of the database `fresh_on(Backend::Postgres)` makes, for other
/// handles on it (more desktops).
pub fn postgres_url() -> String {
    let server = postgres_server();
    let (base, _) = server.rsplit_once('/').expect("URL ends in a database");
    format!("{base}/{BENCH_DATABASE}")
}

/// Runs `sql` on the PostgreSQL server's maintenance database.
async fn on_server(sql: &str) {
    let server = postgres_server();
    let (base, _) = server.rsplit_once('/').expect("URL ends in a database");
    let admin = sqlx::PgPool::connect(&format!("{base}/postgres"))
        .await
        .expect("the PostgreSQL server");
    sqlx::query(sql).execute(&admin).await.expect(sql);
    admin.close().await;
}

/// A new, empty database with its current user "Bench": a file in a
/// temporary directory (WAL, synchronous=NORMAL, as the app runs it), or
/// `partwatch_bench` on the PostgreSQL server, made anew.
pub async fn fresh_on(backend: Backend) -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = match backend {
        Backend::Sqlite => Database::open_in(dir.path()).await.expect("database"),
        Backend::Postgres => {
            on_server(&format!(
                "DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
            ))
            .await;
            on_server(&format!("CREATE DATABASE {BENCH_DATABASE}")).await;
            Database::open_postgres(&postgres_url())
                .await
                .expect("database")
        }
    };
    users::current(&db, "Bench").await.expect("current user");
    (dir, db)
}

/// A new SQLite database (the benchmarks that run on SQLite only).
pub async fn fresh() -> (tempfile::TempDir, Database) {
    fresh_on(Backend::Sqlite).await
}

/// Removes the last benchmark database from the PostgreSQL server.
pub async fn clean_up(backend: Backend) {
    if backend == Backend::Postgres {
        on_server(&format!(
            "DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
        ))
        .await;
    }
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
