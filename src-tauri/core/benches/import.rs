//! Moving in at scale: CSV files generated here (1,365 categories five
//! levels deep, N parts with IPNs, every 25th a template with 4 variants,
//! one stock item per non-template part over 200 locations), checked and
//! imported through `import::run` into an empty database, as `partwatch
//! import` and the window do.
//!
//! Run: `cargo bench -p partwatch-core --bench import [-- PARTS]` (default
//! 100,000), and on PostgreSQL: `bash tests/harness/with-services.sh cargo
//! bench -p partwatch-core --bench import -- postgres`.

mod support;

use partwatch_core::import;
use partwatch_types::import::{ImportFile, ImportMode, ImportRequest};
use std::fmt::Write;
use std::time::{Duration, Instant};
use support::{clean_up, fresh_on, median, number_arg, Backend};

const RUNS: usize = 3;

/// The generated files: categories, parts, stock.
fn generate(parts: usize) -> [ImportFile; 3] {
    let mut categories = String::from("Path,Description\n");
    let mut level = vec!["Generated".to_owned()];
    let mut leaves = Vec::new();
    categories.push_str("Generated,Synthetic inventory\n");
    for depth in 1..=5 {
        let mut below = Vec::new();
        for parent in &level {
            for i in 0..4 {
                let path = format!("{parent}/L{depth} C{i}");
                let _ = writeln!(categories, "{path},");
                below.push(path);
            }
        }
        leaves.clone_from(&below);
        level = below;
    }
    let mut rng: u64 = 42;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut part_rows =
        String::from("Name,IPN,Category,Units,Minimum stock,Template,Variant of,Assembly\n");
    let mut stock_rows = String::from("Part,Quantity,Location,Batch\n");
    let mut template = String::new();
    for n in 0..parts {
        let ipn = format!("GEN-{n:07}");
        let category = &leaves[n % leaves.len()];
        let is_template = n % 25 == 0;
        let variant_of = if !is_template && n % 25 <= 4 {
            template.as_str()
        } else {
            ""
        };
        let stock = next() % 2000;
        let minimum = match next() % 4 {
            0 => 0,
            1 => stock + 1,
            2 => stock,
            _ => stock / 2,
        };
        let _ = writeln!(
            part_rows,
            "Part {n:07},{ipn},{category},pcs,{},{},{variant_of},no",
            if is_template { 0 } else { minimum },
            if is_template { "yes" } else { "no" },
        );
        if is_template {
            template.clone_from(&ipn);
        } else {
            let _ = writeln!(
                stock_rows,
                "{ipn},{stock},Store/Shelf {}/Drawer {},",
                n % 20,
                (n / 20) % 10
            );
        }
    }
    [
        ImportFile {
            name: "categories.csv".into(),
            text: categories,
            reading: None,
        },
        ImportFile {
            name: "parts.csv".into(),
            text: part_rows,
            reading: None,
        },
        ImportFile {
            name: "stock.csv".into(),
            text: stock_rows,
            reading: None,
        },
    ]
}

fn rows(files: &[ImportFile]) -> usize {
    files.iter().map(|f| f.text.lines().count() - 1).sum()
}

/// Median of `RUNS` imports of `files` into a fresh database.
async fn time(backend: Backend, files: &[ImportFile], commit: bool) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..RUNS {
        let (_dir, db) = fresh_on(backend).await;
        let request = ImportRequest {
            files: files.to_vec(),
            mode: ImportMode::AllOrNothing,
            commit,
        };
        let started = Instant::now();
        let report = import::run(&db, &request, |_| {}).await.expect("import");
        samples.push(started.elapsed());
        assert_eq!(report.bad_rows, 0, "{:?}", report.problems.first());
        assert_eq!(report.committed, commit);
        db.close().await;
    }
    median(&samples)
}

#[tokio::main(flavor = "current_thread")]
#[allow(clippy::print_stdout)]
async fn main() {
    let backend = Backend::from_args();
    let parts: usize = number_arg(100_000);
    let started = Instant::now();
    let [categories, part_file, stock] = generate(parts);
    println!(
        "generated {} categories, {parts} parts, {} stock rows ({:.1} MB of CSV) in {:.2} s; {}",
        categories.text.lines().count() - 1,
        stock.text.lines().count() - 1,
        (categories.text.len() + part_file.text.len() + stock.text.len()) as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        backend.describe()
    );
    let cases: [(&str, Vec<ImportFile>, bool); 4] = [
        (
            "check categories + parts (the preview)",
            vec![categories.clone(), part_file.clone()],
            false,
        ),
        (
            "import categories + parts",
            vec![categories.clone(), part_file.clone()],
            true,
        ),
        (
            "check categories + parts + stock",
            vec![categories.clone(), part_file.clone(), stock.clone()],
            false,
        ),
        (
            "import categories + parts + stock",
            vec![categories, part_file, stock],
            true,
        ),
    ];
    for (name, files, commit) in cases {
        let took = time(backend, &files, commit).await;
        let rows = rows(&files);
        println!(
            "{name:<40} {rows:>7} rows   median {:>6.2} s   {:>8.0} rows/s",
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64()
        );
    }
    clean_up(backend).await;
}
