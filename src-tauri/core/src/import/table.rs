//! A CSV file read into rows, and the readers of one cell's value.

use super::columns::{self, ColumnMap, Field};
use crate::{CoreError, CoreResult};
use partwatch_types::import::ImportFile;
use partwatch_types::Quantity;

/// The most rows one import reads, over all its files.
pub const MAX_ROWS: usize = 1_000_000;

/// One file: its header, rows and how its columns are read.
pub(super) struct Table {
    pub name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Row>,
    pub map: ColumnMap,
    /// `;`-separated files are written by spreadsheets that also write
    /// decimal commas.
    pub decimal_comma: bool,
}

pub(super) struct Row {
    /// In the file (the header is line 1).
    pub line: u64,
    pub cells: Vec<String>,
}

/// Reads a file, or says why it cannot be read as CSV (nothing is imported
/// then). What its columns hold is in its map, which may say it cannot be
/// imported as read.
pub(super) fn read(file: &ImportFile) -> CoreResult<Table> {
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let unreadable = |err: csv::Error| {
        let line = err
            .position()
            .map_or(String::new(), |p| format!(" (line {})", p.line()));
        CoreError::InvalidInput(format!("{} cannot be read as CSV{line}: {err}", file.name))
    };
    let headings: Vec<String> = reader
        .headers()
        .map_err(unreadable)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headings.iter().all(String::is_empty) {
        return Err(CoreError::InvalidInput(format!(
            "{} is empty: it needs a header line naming its columns.",
            file.name
        )));
    }
    let map = columns::read_as(&headings, file.reading.as_ref());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(CoreError::InvalidInput(format!(
                "{} has more than {MAX_ROWS} rows; split it into smaller files.",
                file.name
            )));
        }
        rows.push(Row {
            line: record.position().map_or(0, |p| p.line()),
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
        });
    }
    Ok(Table {
        name: file.name.clone(),
        headings,
        rows,
        map,
        decimal_comma: delimiter == b';',
    })
}

impl Table {
    /// The cell of `field` in `row` ("" where the file has no such column
    /// or the row is short).
    pub fn cell<'r>(&self, row: &'r Row, field: Field) -> &'r str {
        self.map
            .index(field)
            .and_then(|i| row.cells.get(i))
            .map_or("", String::as_str)
    }

    /// The heading of `field`'s column, for a problem.
    pub fn heading(&self, field: Field) -> Option<String> {
        self.map.index(field).map(|i| self.headings[i].clone())
    }
}

/// A yes/no cell; `None` for an empty one.
pub(super) fn yes_no(text: &str) -> Result<Option<bool>, String> {
    match text.to_lowercase().as_str() {
        "" => Ok(None),
        "1" | "true" | "yes" | "y" | "x" | "✓" => Ok(Some(true)),
        "0" | "false" | "no" | "n" | "-" => Ok(Some(false)),
        _ => Err(format!("“{text}” is not yes or no.")),
    }
}

/// A quantity cell: "12", "12.5", "100.00000" (InvenTree writes five
/// decimals), "12,5" in a `;`-separated file.
pub(super) fn quantity(text: &str, decimal_comma: bool) -> Result<Quantity, String> {
    let mut text = text.trim().to_owned();
    let point = if decimal_comma { ',' } else { '.' };
    if text.contains(point) {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with(point) {
            text.pop();
        }
    }
    Quantity::parse_typed(&text, decimal_comma).map_err(|err| err.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inventrees_decimals_and_a_spreadsheets_commas() {
        assert_eq!(quantity("100.00000", false), Ok(Quantity::whole(100)));
        assert_eq!(quantity("2.50000", false), Ok(Quantity::from_milli(2500)));
        assert_eq!(quantity("2,5", true), Ok(Quantity::from_milli(2500)));
        assert!(quantity("ten", false).is_err());
        assert!(quantity("-3", false).is_err());
        assert!(quantity("", false).is_err());
    }

    #[test]
    fn reads_yes_and_no() {
        assert_eq!(yes_no("True"), Ok(Some(true)));
        assert_eq!(yes_no("0"), Ok(Some(false)));
        assert_eq!(yes_no(""), Ok(None));
        assert!(yes_no("maybe").is_err());
    }

    #[test]
    fn finds_the_separator_and_skips_blank_lines() {
        let table = read(&ImportFile {
            name: "p.csv".into(),
            text: "\u{feff}Name;Minimum stock\n\"R, 1k\";2,5\n;\nC 1u;3\n".into(),
            reading: None,
        })
        .expect("read");
        assert!(table.decimal_comma);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.cell(&table.rows[0], Field::Name), "R, 1k");
        assert_eq!(table.rows[1].line, 4);
    }

    #[test]
    fn says_a_file_without_a_header_is_empty() {
        let err = read(&ImportFile {
            name: "empty.csv".into(),
            text: "\n".into(),
            reading: None,
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("empty.csv is empty"), "{err}");
    }
}
