//! `partwatch import FILE...` and `partwatch export parts|categories FILE`:
//! moving an inventory in from CSV files, and the parts table out, on the
//! database this desktop opens (its own file, or the team's), without a
//! window. Progress and the report go to the terminal.

use crate::cli::{ExportCommand, ExportTable, ImportCommand};
use crate::migrate_command::{resolve_data_dir, runtime, ProgressBar};
use partwatch_core::import::{self, export};
use partwatch_core::team::DatabaseChoice;
use partwatch_core::Database;
use partwatch_types::import::{ImportFile, ImportMode, ImportReport, ImportRequest};
use std::path::{Path, PathBuf};

/// Problems listed on the terminal before "… and N more".
const PROBLEMS_SHOWN: usize = 50;

/// Runs an import; the process's exit code (0: imported, or a clean check;
/// 1: nothing imported).
pub fn run_import(data_dir: Option<&Path>, database: Option<&str>, command: &ImportCommand) -> i32 {
    let mut files = Vec::new();
    for path in &command.files {
        match read(path) {
            Ok(file) => files.push(file),
            Err(message) => {
                eprintln!("partwatch: {message}");
                return 1;
            }
        }
    }
    let request = ImportRequest {
        files,
        mode: if command.skip_bad_rows {
            ImportMode::SkipBadRows
        } else {
            ImportMode::AllOrNothing
        },
        commit: !command.check,
    };
    with_database(data_dir, database, |db| async move {
        let mut bar = ProgressBar::new();
        let report = import::run(&db, &request, |progress| {
            bar.show(&progress.file, progress.done, progress.total);
        })
        .await;
        bar.finish();
        db.close().await;
        match report {
            Ok(report) => tell(&report, command),
            Err(err) => {
                eprintln!("partwatch: nothing was imported: {err}");
                1
            }
        }
    })
}

/// Writes a table as CSV; the process's exit code.
pub fn run_export(data_dir: Option<&Path>, database: Option<&str>, command: &ExportCommand) -> i32 {
    with_database(data_dir, database, |db| async move {
        let csv = match command.table {
            ExportTable::Parts => export::parts_csv(&db).await,
            ExportTable::Categories => export::categories_csv(&db).await,
        };
        db.close().await;
        let csv = match csv {
            Ok(csv) => csv,
            Err(err) => {
                eprintln!("partwatch: {err}");
                return 1;
            }
        };
        match std::fs::write(&command.file, csv) {
            Ok(()) => {
                eprintln!(
                    "Wrote {} ({} rows).",
                    command.file.display(),
                    count_rows(&command.file)
                );
                0
            }
            Err(err) => {
                eprintln!(
                    "partwatch: {} could not be written: {err}",
                    command.file.display()
                );
                1
            }
        }
    })
}

fn count_rows(file: &Path) -> usize {
    std::fs::read(file)
        .map(|bytes| csv::Reader::from_reader(bytes.as_slice()).records().count())
        .unwrap_or(0)
}

/// Opens the database this desktop would open and runs `work` on it.
fn with_database<F, Fut>(data_dir: Option<&Path>, database: Option<&str>, work: F) -> i32
where
    F: FnOnce(Database) -> Fut,
    Fut: std::future::Future<Output = i32>,
{
    let Some(data_dir) = resolve_data_dir(data_dir) else {
        return 2;
    };
    let choice = match DatabaseChoice::for_start(&data_dir, database) {
        Ok(choice) => choice,
        Err(err) => {
            eprintln!("partwatch: {err}");
            return 1;
        }
    };
    let Some(runtime) = runtime() else {
        return 1;
    };
    runtime.block_on(async {
        match choice.open(&data_dir).await {
            Ok(db) => work(db).await,
            Err(err) => {
                eprintln!("partwatch: the database could not be opened: {err}");
                1
            }
        }
    })
}

/// A file as text, or why it cannot be read.
fn read(path: &Path) -> Result<ImportFile, String> {
    let bytes = std::fs::read(path).map_err(|err| format!("{}: {err}", path.display()))?;
    ImportFile::from_bytes(&path.display().to_string(), bytes)
        .map(|file| ImportFile {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            ..file
        })
        .map_err(|err| err.message)
}

/// Says what was read, found and done; the exit code.
fn tell(report: &ImportReport, command: &ImportCommand) -> i32 {
    for file in &report.files {
        let ignored = file.columns_ignored();
        let ignored = if ignored.is_empty() {
            String::new()
        } else {
            format!("; ignored: {}", ignored.join(", "))
        };
        let columns = file.preset.map_or("chosen columns".to_owned(), |p| {
            format!("{}'s columns", p.label())
        });
        match (file.kind, &file.unreadable) {
            (Some(kind), None) => eprintln!(
                "{}: {} rows of {} ({columns}{ignored})",
                file.name,
                file.rows,
                kind.label(),
            ),
            (_, why) => eprintln!(
                "{}: {}",
                file.name,
                why.as_deref().unwrap_or("what it holds cannot be told")
            ),
        }
    }
    if report.files.iter().any(|f| f.unreadable.is_some()) {
        eprintln!(
            "Nothing was checked or imported. Rename the file's headings to the columns Partwatch \
             reads, or import it in the window (Parts › Import CSV), where you can say what each \
             column holds."
        );
        return 1;
    }
    for problem in report.problems.iter().take(PROBLEMS_SHOWN) {
        let column = problem
            .column
            .as_ref()
            .map_or(String::new(), |c| format!(", {c}"));
        eprintln!(
            "  {} line {}{column}: {}",
            problem.file, problem.line, problem.message
        );
    }
    if report.problems.len() > PROBLEMS_SHOWN {
        eprintln!(
            "  … and {} more problems",
            report.problems.len() - PROBLEMS_SHOWN
        );
    }
    let made = report.counts.summary();
    if command.check {
        if report.bad_rows == 0 {
            eprintln!("Checked, nothing changed. Importing would make {made}.");
            return 0;
        }
        eprintln!(
            "Checked, nothing changed: {} rows have problems. Importing the others would make {made}.",
            report.bad_rows
        );
        return 1;
    }
    if !report.committed {
        eprintln!(
            "Nothing was imported: {} rows have problems. Fix them, or run again with \
             --skip-bad-rows to import the others.",
            report.bad_rows
        );
        return 1;
    }
    eprintln!("Imported {made}.");
    for skipped in &report.skipped {
        // Beside the file it comes from.
        let beside = command
            .files
            .iter()
            .find(|f| {
                f.file_name()
                    .is_some_and(|n| import::skipped_name(&n.to_string_lossy()) == skipped.name)
            })
            .and_then(|f| f.parent())
            .map_or_else(PathBuf::new, Path::to_path_buf);
        let path = beside.join(&skipped.name);
        match std::fs::write(&path, &skipped.csv) {
            Ok(()) => eprintln!(
                "Skipped {} rows: they are in {}, each with its problem.",
                skipped.rows,
                path.display()
            ),
            Err(err) => eprintln!(
                "Skipped {} rows; {} could not be written: {err}",
                skipped.rows,
                path.display()
            ),
        }
    }
    0
}
