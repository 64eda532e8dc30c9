//! Moving an inventory in from CSV files, and the parts table out to one.
//!
//! `run` reads every file first: a file that is not CSV stops the import
//! with an error; one whose columns say nothing Partwatch knows (and were
//! not chosen in the window), or lack one its kind needs, stops it with a
//! report that says so and lists every file's columns, so that the window
//! can ask what they are. Then it in one write transaction goes through categories, parts,
//! stock items and BOM lines, in that order, row by row: each row is
//! checked against the database and the rows before it, and a good row is
//! written. A row that refers to a bad one is bad too. At the end the
//! transaction commits only if the request asked for it and — unless bad
//! rows may be skipped — nothing was bad. A check (the preview) is the same
//! run, rolled back: it can never disagree with the import.
//!
//! New parts that start below their minimum are low without an alert (as a
//! part created in the window is); stock added to parts that were already
//! there moves them as any stock change does.

mod bom;
mod bulk;
mod categories;
mod columns;
pub mod export;
mod index;
mod parts;
mod stock;
mod table;

pub use table::MAX_ROWS;

use crate::{CoreResult, Database, WriteTx};
use index::Index;
use partwatch_types::import::{
    FileColumn, ImportCounts, ImportKind, ImportMode, ImportProgress, ImportReport, ImportRequest,
    ImportedFile, RowProblem, SampleRow, SkippedRows,
};
use partwatch_types::inventory::{LocationId, PartId};
use std::collections::{BTreeMap, HashMap};
use table::Table;

/// How many rows of each file the report shows as they are.
const SAMPLE_ROWS: usize = 10;

/// Checks, and if asked imports, the request's files. `progress` hears how
/// far it has come every few thousand rows.
pub async fn run(
    db: &Database,
    request: &ImportRequest,
    mut progress: impl FnMut(&ImportProgress) + Send,
) -> CoreResult<ImportReport> {
    let mut tables = request
        .files
        .iter()
        .map(table::read)
        .collect::<CoreResult<Vec<Table>>>()?;
    // Problems and skipped lists go by file name: two of one name would mix.
    let mut names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(crate::CoreError::InvalidInput(format!(
            "Two of the files are called {}; rename one so that their problems can be told apart.",
            twice[0]
        )));
    }
    tables.sort_by_key(|t| t.map.kind);
    let total: usize = tables.iter().map(|t| t.rows.len()).sum();
    if total > MAX_ROWS {
        return Err(crate::CoreError::InvalidInput(format!(
            "These files hold {total} rows; one import takes at most {MAX_ROWS}."
        )));
    }
    // Every file must be read as something before any is checked: ids in
    // one refer to rows of the others.
    let readable: Vec<(ImportKind, &Table)> = tables
        .iter()
        .filter_map(|t| match (t.map.kind, &t.map.unreadable) {
            (Some(kind), None) => Some((kind, t)),
            _ => None,
        })
        .collect();
    if readable.len() < tables.len() {
        return Ok(ImportReport {
            files: tables.iter().map(describe).collect(),
            problems: Vec::new(),
            bad_rows: 0,
            counts: ImportCounts::default(),
            committed: false,
            skipped: Vec::new(),
        });
    }
    let mut tx = db.begin_write().await?;
    let index = Index::load(&mut tx).await?;
    let mut import = Import {
        tx,
        index,
        problems: BTreeMap::new(),
        counts: ImportCounts::default(),
        progress: Progress { done: 0 },
        new_parts: HashMap::new(),
        items_made: HashMap::new(),
    };
    for (kind, table) in readable {
        let mut tell = |done: u64| {
            progress(&ImportProgress {
                file: table.name.clone(),
                done,
                total: total as u64,
            });
        };
        tell(import.progress.done);
        match kind {
            ImportKind::Categories => categories::import(&mut import, table).await?,
            ImportKind::Parts => parts::import(&mut import, table, &mut tell).await?,
            ImportKind::StockItems => stock::import(&mut import, table, &mut tell).await?,
            ImportKind::BomLines => bom::import(&mut import, table).await?,
        }
        import.progress.done += table.rows.len() as u64;
        tell(import.progress.done);
    }
    let Import {
        tx,
        problems,
        mut counts,
        new_parts,
        ..
    } = import;
    counts.low_parts = new_parts.values().filter(|p| p.low).count() as u64;
    let bad_rows = problems.len() as u64;
    let commit = request.commit && (bad_rows == 0 || request.mode == ImportMode::SkipBadRows);
    if commit {
        tx.commit().await?;
    } else {
        drop(tx);
    }
    let skipped = if request.mode == ImportMode::SkipBadRows {
        skipped_files(&tables, &problems)
    } else {
        Vec::new()
    };
    Ok(ImportReport {
        files: tables.iter().map(describe).collect(),
        problems: problems.into_values().flatten().collect(),
        bad_rows,
        counts,
        committed: commit,
        skipped,
    })
}

/// An import under way: its transaction, what it knows of the inventory
/// (the database's and the rows written so far), and what it found.
pub(super) struct Import {
    tx: WriteTx,
    index: Index,
    /// Per bad row, keyed by (file name, line), its problems.
    problems: BTreeMap<(String, u64), Vec<RowProblem>>,
    counts: ImportCounts,
    progress: Progress,
    /// Parts this import made, and their figures so far: they start low
    /// without an alert, and their totals are kept here, not re-read.
    new_parts: HashMap<PartId, NewPartFigures>,
    /// Stock items this import made for its new parts, by (part, place,
    /// batch): (item, quantity). A later file adds to them.
    items_made: HashMap<(PartId, Option<LocationId>, String), (i64, i64)>,
}

/// A part the import made: what its stock figures are, as written.
#[derive(Debug, Clone, Copy)]
struct NewPartFigures {
    variant_of: Option<PartId>,
    active: bool,
    minimum: i64,
    own: i64,
    total: i64,
    /// `alert_low` as written.
    low: bool,
}

impl NewPartFigures {
    fn should_alert(&self) -> bool {
        self.active && self.minimum > 0 && self.total < self.minimum
    }
}

/// Rows gone through, over all files.
struct Progress {
    done: u64,
}

impl Import {
    /// Records a problem of `row` (in `column`, if it is one column's).
    fn problem(&mut self, table: &Table, line: u64, column: Option<String>, message: String) {
        self.problems
            .entry((table.name.clone(), line))
            .or_default()
            .push(RowProblem {
                file: table.name.clone(),
                line,
                column,
                message,
            });
    }
}

fn describe(table: &Table) -> ImportedFile {
    let width = table.headings.len();
    ImportedFile {
        name: table.name.clone(),
        kind: table.map.kind,
        preset: table.map.preset,
        rows: table.rows.len() as u64,
        columns: table
            .headings
            .iter()
            .enumerate()
            .map(|(i, heading)| FileColumn {
                heading: heading.clone(),
                read_as: table.map.field_at(i),
            })
            .collect(),
        unreadable: table.map.unreadable.clone(),
        sample: table
            .rows
            .iter()
            .take(SAMPLE_ROWS)
            .map(|row| SampleRow {
                line: row.line,
                cells: (0..width)
                    .map(|i| row.cells.get(i).cloned().unwrap_or_default())
                    .collect(),
            })
            .collect(),
    }
}

/// Per file with skipped rows: its columns, a "Problem" column, those rows.
fn skipped_files(
    tables: &[Table],
    problems: &BTreeMap<(String, u64), Vec<RowProblem>>,
) -> Vec<SkippedRows> {
    let mut files = Vec::new();
    for table in tables {
        // In the file's own separator, so that it reads back the same way.
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if table.decimal_comma { b';' } else { b',' })
            .from_writer(Vec::new());
        let mut rows = 0;
        let mut header = table.headings.clone();
        header.push("Problem".into());
        let mut ok = writer.write_record(&header).is_ok();
        for row in &table.rows {
            let Some(found) = problems.get(&(table.name.clone(), row.line)) else {
                continue;
            };
            let mut record = row.cells.clone();
            record.resize(table.headings.len(), String::new());
            record.push(
                found
                    .iter()
                    .map(|p| match &p.column {
                        Some(column) => format!("{column}: {}", p.message),
                        None => p.message.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            ok &= writer.write_record(&record).is_ok();
            rows += 1;
        }
        let csv = writer
            .into_inner()
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let (true, true, Some(csv)) = (rows > 0, ok, csv) {
            files.push(SkippedRows {
                file: table.name.clone(),
                name: skipped_name(&table.name),
                csv,
                rows,
            });
        }
    }
    files
}

/// The name of the list of a file's skipped rows: "parts.csv" →
/// "parts.skipped.csv".
pub fn skipped_name(file: &str) -> String {
    let stem = file
        .strip_suffix(".csv")
        .or_else(|| file.strip_suffix(".CSV"))
        .unwrap_or(file);
    format!("{stem}.skipped.csv")
}

/// Writes `rows` into `dir` under its own name, or "NAME (2).skipped.csv"
/// and so on if that is taken (nothing there is ever overwritten); the path
/// written. The name is the file's own, never a path: one that is not a
/// plain file name is refused.
pub fn save_skipped(dir: &std::path::Path, rows: &SkippedRows) -> CoreResult<std::path::PathBuf> {
    let plain = std::path::Path::new(&rows.name)
        .file_name()
        .is_some_and(|n| n == rows.name.as_str());
    let stem = match rows.name.strip_suffix(".skipped.csv") {
        Some(stem) if plain && !stem.is_empty() => stem,
        _ => {
            return Err(crate::CoreError::InvalidInput(format!(
                "“{}” is not the name of a list of skipped rows.",
                rows.name
            )))
        }
    };
    write_new(dir, stem, ".skipped.csv", rows.csv.as_bytes())
}

/// Writes `bytes` into `dir` as `STEM.EXT`, or `STEM (2).EXT` and so on if
/// that is taken: nothing there is ever overwritten. The path written.
pub(crate) fn write_new(
    dir: &std::path::Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> CoreResult<std::path::PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|err| write_error(dir, err))?;
    for n in 1..=1000 {
        let name = if n == 1 {
            format!("{stem}{extension}")
        } else {
            format!("{stem} ({n}){extension}")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(bytes)
                    .map_err(|err| write_error(&path, err))?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(write_error(&path, err)),
        }
    }
    Err(crate::CoreError::InvalidInput(format!(
        "{} already holds a thousand files called {stem}{extension}; move some away.",
        dir.display(),
    )))
}

fn write_error(path: &std::path::Path, err: std::io::Error) -> crate::CoreError {
    crate::CoreError::File {
        path: path.display().to_string(),
        doing: "written",
        source: err,
    }
}
