//! Start-up and memory of the whole app: the real binary in a real window
//! (tauri-driver + WebKitWebDriver under the harness's Xvfb), on a generated
//! 100,000-part database, against the same binary on an empty database in the
//! same run.
//!
//! Start-up is the time from asking WebDriver for a session (which starts the
//! process) until the window answers its first command (`app_info`, invoked
//! from the page as the UI does). Memory is the resident set of the app and
//! every process it started (WebKit's web and network processes), summed from
//! /proc once the home page has loaded: as resident sets (shared libraries
//! counted in each process) and as proportional sets (counted once).
//!
//!   bash tests/harness/with-services.sh cargo bench --bench startup [-- PARTS]

#![allow(clippy::print_stdout)] // a benchmark reports on standard output

use fantoccini::ClientBuilder;
use partwatch_core::inventory::generator::{self, GeneratorSpec};
use partwatch_core::Database;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

struct Sample {
    startup: Duration,
    rss_kib: u64,
    pss_kib: u64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The pids of processes whose command line mentions `needle`, and all their descendants.
fn process_tree(needle: &str) -> Vec<u32> {
    let mut all: Vec<(u32, u32, String)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let ppid = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        all.push((pid, ppid, cmdline));
    }
    let mut tree: Vec<u32> = all
        .iter()
        .filter(|(pid, _, cmd)| cmd.contains(needle) && *pid != std::process::id())
        .map(|(pid, _, _)| *pid)
        .collect();
    loop {
        let before = tree.len();
        for (pid, ppid, _) in &all {
            if tree.contains(ppid) && !tree.contains(pid) {
                tree.push(*pid);
            }
        }
        if tree.len() == before {
            return tree;
        }
    }
}

/// A `Name:   1234 kB` figure from a /proc file.
fn proc_kib(file: &str, name: &str) -> u64 {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resident memory of one process: the resident set, and its proportional
/// share (PSS: pages shared between processes, such as WebKit's libraries,
/// counted once across the tree rather than in every process).
fn memory_kib(pid: u32) -> (u64, u64) {
    (
        proc_kib(&format!("/proc/{pid}/status"), "VmRSS:"),
        proc_kib(&format!("/proc/{pid}/smaps_rollup"), "Pss:"),
    )
}

async fn launch(url: &str, data_dir: &Path) -> Sample {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": env!("CARGO_BIN_EXE_partwatch"),
            "args": ["--data-dir", data_dir],
        }),
    );
    let started = Instant::now();
    let client = ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(url)
        .await
        .expect("a WebDriver session with the app");
    let script = "const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('app_info', {}).then(i => done(i.schema_version), e => done(null));";
    loop {
        let answer = client.execute_async(script, vec![]).await;
        if answer.is_ok_and(|v| v.is_i64()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let startup = started.elapsed();
    // Let the home page finish loading before reading memory.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_kib, pss_kib) = process_tree(&data_dir.display().to_string())
        .into_iter()
        .map(memory_kib)
        .fold((0, 0), |(rss, pss), (r, p)| (rss + r, pss + p));
    client.close().await.expect("session closes");
    tokio::time::sleep(Duration::from_millis(500)).await;
    Sample {
        startup,
        rss_kib,
        pss_kib,
    }
}

#[tokio::main]
async fn main() {
    let parts: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let url = std::env::var("PARTWATCH_WEBDRIVER_URL").expect(
        "run inside the harness: bash tests/harness/with-services.sh cargo bench --bench startup",
    );
    let scratch = tempfile::Builder::new()
        .prefix("startup-")
        .tempdir()
        .expect("temp dir");
    let empty = scratch.path().join("empty");
    let large = scratch.path().join("large");
    Database::open_in(&empty)
        .await
        .expect("empty database")
        .close()
        .await;
    let db = Database::open_in(&large).await.expect("large database");
    let generated_in = Instant::now();
    generator::generate(
        &db,
        GeneratorSpec {
            parts,
            depth: 5,
            fanout: 4,
            max_categories: 2_000,
            seed: 42,
        },
    )
    .await
    .expect("generated");
    db.close().await;
    // The database file and its write-ahead log (which may still hold pages).
    let file = large.join(partwatch_core::DATABASE_FILE_NAME);
    let size: u64 = [file.clone(), file.with_extension("sqlite3-wal")]
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!("Partwatch start-up (release build, tauri-driver + WebKitWebDriver, Xvfb), {RUNS} runs each, medians");
    println!(
        "database: {parts} parts generated in {:.1} s, {:.1} MiB",
        generated_in.elapsed().as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    // One warm-up launch so both sides start from the same page cache.
    launch(&url, &empty).await;
    let mut results = Vec::new();
    for (label, dir) in [
        ("empty database (baseline)", &empty),
        ("large database", &large),
    ] {
        let mut samples = Vec::new();
        for _ in 0..RUNS {
            samples.push(launch(&url, dir).await);
        }
        let startup = median(
            samples
                .iter()
                .map(|s| s.startup.as_secs_f64() * 1000.0)
                .collect(),
        );
        let rss = median(samples.iter().map(|s| s.rss_kib as f64 / 1024.0).collect());
        let pss = median(samples.iter().map(|s| s.pss_kib as f64 / 1024.0).collect());
        println!("  {label:<28} first command answered after {startup:7.0} ms   memory: resident {rss:4.0} MiB summed over the processes, {pss:4.0} MiB proportional (PSS)");
        results.push((startup, pss));
    }
    println!(
        "  ratio large / empty: start-up {:.2}x, memory (PSS) {:.2}x",
        results[1].0 / results[0].0,
        results[1].1 / results[0].1
    );
}
