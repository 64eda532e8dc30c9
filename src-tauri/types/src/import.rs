//! Moving an inventory in: CSV files of categories, parts, stock items and
//! BOM lines (Partwatch's own columns, or those InvenTree writes in its
//! exports), checked row by row, then imported in one transaction.

use serde::{Deserialize, Serialize};

/// What one CSV file holds; told from its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Categories,
    Parts,
    StockItems,
    BomLines,
}

impl ImportKind {
    /// Lower-case plural, for sentences ("3 stock items").
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Categories => "categories",
            ImportKind::Parts => "parts",
            ImportKind::StockItems => "stock items",
            ImportKind::BomLines => "BOM lines",
        }
    }
}

/// Whose column names a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPreset {
    /// Partwatch's own (what its export writes), with common spreadsheet
    /// spellings ("Min stock", "Qty", …).
    Partwatch,
    /// The columns of InvenTree's CSV exports of parts, part categories,
    /// stock items and BOMs ("Part Name", "Category ID", "Minimum Stock", …).
    InvenTree,
}

impl ImportPreset {
    pub fn label(self) -> &'static str {
        match self {
            ImportPreset::Partwatch => "Partwatch",
            ImportPreset::InvenTree => "InvenTree",
        }
    }
}

/// What to do when some rows have problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Import nothing unless every row is good.
    #[default]
    AllOrNothing,
    /// Import the good rows; list the others (and rows that depended on
    /// them) as skipped.
    SkipBadRows,
}

/// One CSV file, as read from disk (UTF-8; a byte-order mark is allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFile {
    /// The file's name, for messages ("parts.csv").
    pub name: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    /// Files of any kinds, in any order: categories go in first, then
    /// parts, stock items and BOM lines. Ids in one file (InvenTree's
    /// "Category ID", "Part ID") refer to rows of the others.
    pub files: Vec<ImportFile>,
    pub mode: ImportMode,
    /// `false`: check every row and report, changing nothing (the preview).
    pub commit: bool,
}

/// A problem with one row (and, where it is one column's, that column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub file: String,
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// The column's heading as the file spells it.
    pub column: Option<String>,
    pub message: String,
}

/// How one file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFile {
    pub name: String,
    pub kind: ImportKind,
    pub preset: ImportPreset,
    /// Rows below the header.
    pub rows: u64,
    /// The file's headings that Partwatch reads (others are ignored).
    pub columns_read: Vec<String>,
    /// The headings it ignores.
    pub columns_ignored: Vec<String>,
    /// The first rows as the file has them (for the preview).
    pub sample: Vec<Vec<String>>,
}

/// What an import made (or, when it was only checked, would make).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportCounts {
    pub categories: u64,
    pub parts: u64,
    pub stock_items: u64,
    pub bom_lines: u64,
    /// Locations named by stock rows that did not exist yet.
    pub locations: u64,
    /// New parts that start below their minimum (low, without an alert).
    pub low_parts: u64,
}

/// Rows not imported, as CSV: the file's own columns plus "Problem".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRows {
    /// "parts.csv" → "parts.skipped.csv".
    pub name: String,
    pub csv: String,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub files: Vec<ImportedFile>,
    /// Every problem found, in file and line order.
    pub problems: Vec<RowProblem>,
    /// Rows with at least one problem.
    pub bad_rows: u64,
    pub counts: ImportCounts,
    /// Whether the import was written (false for a check, and for an
    /// all-or-nothing import with problems).
    pub committed: bool,
    /// With [`ImportMode::SkipBadRows`], a file of skipped rows per file
    /// that had some.
    pub skipped: Vec<SkippedRows>,
}

/// How far an import has come, over all its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// The file being read.
    pub file: String,
    pub done: u64,
    pub total: u64,
}
