//! Moving an inventory in: CSV files of categories, parts, stock items and
//! BOM lines (Partwatch's own columns, or those InvenTree writes in its
//! exports), checked row by row, then imported in one transaction.

use crate::{ApiError, ErrorCode};
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

    /// Every kind, in the order an import goes through them.
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Categories,
        ImportKind::Parts,
        ImportKind::StockItems,
        ImportKind::BomLines,
    ];

    /// "Categories", for a choice of what a file holds.
    pub fn title(self) -> &'static str {
        match self {
            ImportKind::Categories => "Categories",
            ImportKind::Parts => "Parts",
            ImportKind::StockItems => "Stock items",
            ImportKind::BomLines => "BOM lines",
        }
    }
}

/// A value an import reads from a column of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    /// The row's id in the system it came from (InvenTree's "Part ID", …).
    SourceId,
    Name,
    Ipn,
    Description,
    /// A category path ("Electronics/Passives/Resistors").
    CategoryPath,
    /// Another row's id of the row's category (or a category's parent).
    SourceCategory,
    /// A category's name alone.
    CategoryName,
    Units,
    Minimum,
    Template,
    /// A template, by IPN or name.
    VariantOf,
    /// Another row's id of the template.
    SourceVariantOf,
    Assembly,
    Active,
    /// A part, by IPN or name.
    Part,
    /// Another file's id of the part.
    SourcePart,
    /// A part's IPN alone.
    PartIpn,
    /// Stock: in a file of parts, what each part has in stock.
    Quantity,
    /// A location path ("Store › Shelf B" or "Store/Shelf B").
    Location,
    Batch,
    /// An assembly, by IPN or name.
    AssemblyPart,
    /// Another file's id of the assembly.
    SourceAssembly,
    AssemblyIpn,
    AssemblyName,
    AllowVariants,
}

impl ImportField {
    /// What a file of `kind` can have read from its columns.
    pub fn of(kind: ImportKind) -> &'static [ImportField] {
        use ImportField::*;
        match kind {
            ImportKind::Categories => &[CategoryPath, Name, Description, SourceId, SourceCategory],
            ImportKind::Parts => &[
                Name,
                Ipn,
                Description,
                CategoryPath,
                CategoryName,
                Units,
                Minimum,
                Quantity,
                Location,
                Template,
                VariantOf,
                Assembly,
                Active,
                SourceId,
                SourceCategory,
                SourceVariantOf,
            ],
            ImportKind::StockItems => &[Part, Quantity, Location, Batch, SourceId, SourcePart],
            ImportKind::BomLines => &[
                AssemblyPart,
                AssemblyIpn,
                AssemblyName,
                Part,
                PartIpn,
                Quantity,
                AllowVariants,
                SourceAssembly,
                SourcePart,
            ],
        }
    }

    /// What the field is called in a file of `kind` ("Minimum stock").
    pub fn label(self, kind: ImportKind) -> &'static str {
        use ImportField::*;
        match (self, kind) {
            (SourceId, ImportKind::Categories) => "Category id",
            (SourceId, ImportKind::Parts) => "Part id",
            (SourceId, _) => "Stock item id",
            (Name, ImportKind::Categories) => "Category name",
            (Name, _) => "Name",
            (Ipn, _) => "IPN",
            (Description, _) => "Description",
            (CategoryPath, ImportKind::Categories) => "Path (A/B/C)",
            (CategoryPath, _) => "Category path (A/B/C)",
            (SourceCategory, ImportKind::Categories) => "Parent's id",
            (SourceCategory, _) => "Category id",
            (CategoryName, _) => "Category name",
            (Units, _) => "Units",
            (Minimum, _) => "Minimum stock",
            (Template, _) => "Template (yes/no)",
            (VariantOf, _) => "Variant of (name or IPN)",
            (SourceVariantOf, _) => "Variant of (part id)",
            (Assembly, _) => "Assembly (yes/no)",
            (Active, _) => "Active (yes/no)",
            (Part, _) => "Part (name or IPN)",
            (SourcePart, _) => "Part id",
            (PartIpn, _) => "Part IPN",
            (Quantity, ImportKind::Parts) => "In stock",
            (Quantity, _) => "Quantity",
            (Location, _) => "Location",
            (Batch, _) => "Batch",
            (AssemblyPart, _) => "Assembly (name or IPN)",
            (SourceAssembly, _) => "Assembly id",
            (AssemblyIpn, _) => "Assembly IPN",
            (AssemblyName, _) => "Assembly name",
            (AllowVariants, _) => "Allow variants (yes/no)",
        }
    }
}

/// How a file is to be read, as chosen in the preview (instead of told
/// from its headings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenReading {
    /// The file holds this kind; which column is which is told from the
    /// headings, among that kind's.
    Kind(ImportKind),
    /// The file holds `kind`, each column (in the file's order) read as
    /// chosen: `None` is not read.
    Columns {
        kind: ImportKind,
        read_as: Vec<Option<ImportField>>,
    },
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
    /// How to read it, where the window chose; otherwise it is told from
    /// its headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<ChosenReading>,
}

impl ImportFile {
    /// A file as read from disk or picked in the window; refuses what is not
    /// UTF-8 text, with what to do about it.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<ImportFile, ApiError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(ImportFile {
                name: name.to_owned(),
                text,
                reading: None,
            }),
            Err(_) => Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("{name} is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”"),
            )),
        }
    }
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
    /// What it holds, told from its headings or as chosen; `None` when
    /// neither says.
    pub kind: Option<ImportKind>,
    /// Whose column names it uses; `None` when its columns were chosen.
    pub preset: Option<ImportPreset>,
    /// Rows below the header.
    pub rows: u64,
    /// Every column of the file, in its order, and what it is read as.
    pub columns: Vec<FileColumn>,
    /// Why it cannot be imported as it is read (what it holds cannot be
    /// told, or a column its kind needs is missing); then no file of the
    /// import is checked until it is chosen.
    pub unreadable: Option<String>,
    /// The first rows as the file has them.
    pub sample: Vec<SampleRow>,
}

impl ImportedFile {
    /// The headings of the columns not read.
    pub fn columns_ignored(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.read_as.is_none() && !c.heading.is_empty())
            .map(|c| c.heading.as_str())
            .collect()
    }

    /// What each column is read as, in the file's order: the choice that
    /// keeps the file read as it is now.
    pub fn read_as(&self) -> Vec<Option<ImportField>> {
        self.columns.iter().map(|c| c.read_as).collect()
    }
}

/// One column of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileColumn {
    /// As the file spells it ("" where it has none).
    pub heading: String,
    /// `None`: not read.
    pub read_as: Option<ImportField>,
}

/// A row of a file as the file has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRow {
    /// In the file (the header is line 1).
    pub line: u64,
    /// One per [`ImportedFile::columns`] (empty where the row is short).
    pub cells: Vec<String>,
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

impl ImportCounts {
    /// "4 categories, 5 parts, 2 new locations; 3 new parts start below their
    /// minimum (low, without an alert)", or "nothing".
    pub fn summary(&self) -> String {
        let mut said = Vec::new();
        for (n, one, many) in [
            (self.categories, "category", "categories"),
            (self.parts, "part", "parts"),
            (self.stock_items, "stock item", "stock items"),
            (self.bom_lines, "BOM line", "BOM lines"),
            (self.locations, "new location", "new locations"),
        ] {
            match n {
                0 => {}
                1 => said.push(format!("1 {one}")),
                n => said.push(format!("{n} {many}")),
            }
        }
        let mut text = if said.is_empty() {
            "nothing".to_owned()
        } else {
            said.join(", ")
        };
        match self.low_parts {
            0 => {}
            1 => text.push_str("; 1 new part starts below its minimum (low, without an alert)"),
            n => text.push_str(&format!(
                "; {n} new parts start below their minimum (low, without an alert)"
            )),
        }
        text
    }
}

/// Rows not imported, as CSV: the file's own columns plus "Problem".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRows {
    /// The file they are rows of ("parts.csv").
    pub file: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_utf8_is_refused_with_what_to_do() {
        let file = ImportFile::from_bytes("a.csv", b"Name\nR\xe9sistance\n".to_vec());
        let err = file.expect_err("Latin-1 is not UTF-8");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(
            err.message,
            "a.csv is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”"
        );
        let file = ImportFile::from_bytes("b.csv", "Name\nRésistance\n".as_bytes().to_vec());
        assert_eq!(file.map(|f| f.text), Ok("Name\nRésistance\n".to_owned()));
    }

    #[test]
    fn every_field_has_a_label_in_each_kind_that_reads_it() {
        for kind in ImportKind::ALL {
            let fields = ImportField::of(kind);
            let mut labels: Vec<&str> = fields.iter().map(|f| f.label(kind)).collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(
                labels.len(),
                fields.len(),
                "{kind:?}: two fields share a label"
            );
        }
        assert_eq!(ImportField::Quantity.label(ImportKind::Parts), "In stock");
        assert_eq!(
            ImportField::Quantity.label(ImportKind::StockItems),
            "Quantity"
        );
    }

    #[test]
    fn a_file_without_a_chosen_reading_is_sent_as_before() {
        let file = ImportFile::from_bytes("a.csv", b"Name\n".to_vec()).expect("utf-8");
        let json = serde_json::to_string(&file).expect("json");
        assert_eq!(json, r#"{"name":"a.csv","text":"Name\n"}"#);
        let chosen = ImportFile {
            reading: Some(ChosenReading::Columns {
                kind: ImportKind::Parts,
                read_as: vec![Some(ImportField::Name), None],
            }),
            ..file
        };
        let back: ImportFile =
            serde_json::from_str(&serde_json::to_string(&chosen).expect("json")).expect("back");
        assert_eq!(back, chosen);
    }

    #[test]
    fn counts_are_said_in_words() {
        assert_eq!(ImportCounts::default().summary(), "nothing");
        let counts = ImportCounts {
            categories: 1,
            parts: 5,
            locations: 2,
            low_parts: 3,
            ..ImportCounts::default()
        };
        assert_eq!(
            counts.summary(),
            "1 category, 5 parts, 2 new locations; 3 new parts start below their minimum \
             (low, without an alert)"
        );
        let one_low = ImportCounts {
            parts: 1,
            low_parts: 1,
            ..ImportCounts::default()
        };
        assert_eq!(
            one_low.summary(),
            "1 part; 1 new part starts below its minimum (low, without an alert)"
        );
    }
}

/// What "Export" in the window wrote: the category tree and the parts table
/// as CSV files an import reads back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedParts {
    /// Where the parts went (`…/Downloads/parts.csv`).
    pub parts_file: String,
    pub categories_file: String,
    pub parts: u64,
    pub categories: u64,
}

impl ExportedParts {
    /// "Exported 42 parts and 7 categories to /home/ada/Downloads/parts.csv
    /// and categories.csv."
    pub fn summary(&self) -> String {
        let count = |n: u64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let categories_name = std::path::Path::new(&self.categories_file)
            .file_name()
            .map_or_else(
                || self.categories_file.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
        format!(
            "Exported {} and {} to {} and {categories_name}.",
            count(self.parts, "part", "parts"),
            count(self.categories, "category", "categories"),
            self.parts_file
        )
    }
}
