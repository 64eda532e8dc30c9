//! The parts table as CSV, in the columns an import reads back: importing
//! the file into an empty database makes the same parts, categories and
//! (own) stock.

use crate::sql;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::import::ExportedParts;
use partwatch_types::inventory::CategoryId;
use partwatch_types::Quantity;
use std::collections::HashMap;

/// The headings, in order.
pub const PART_COLUMNS: [&str; 11] = [
    "Name",
    "IPN",
    "Description",
    "Category",
    "Units",
    "Minimum stock",
    "Template",
    "Variant of",
    "Assembly",
    "Active",
    "In stock",
];

type PartLine = (
    String,
    Option<String>,
    String,
    Option<CategoryId>,
    String,
    bool,
    Option<String>,
    Option<String>,
    bool,
    bool,
    i64,
    i64,
);

/// Each category's path from the top, "/" between the levels.
async fn category_paths(
    conn: &mut crate::sql::Conn,
) -> CoreResult<HashMap<CategoryId, (String, String)>> {
    let categories: Vec<(CategoryId, Option<CategoryId>, String, String)> =
        sql::query_as("SELECT id, parent_id, name, description FROM categories")
            .fetch_all(&mut *conn)
            .await?;
    let up: HashMap<CategoryId, (Option<CategoryId>, &str)> = categories
        .iter()
        .map(|(id, parent, name, _)| (*id, (*parent, name.as_str())))
        .collect();
    Ok(categories
        .iter()
        .map(|(id, _, _, description)| {
            let mut names = Vec::new();
            let mut at = Some(*id);
            while let Some((parent, name)) = at.and_then(|id| up.get(&id)) {
                names.push(*name);
                at = *parent;
                if names.len() > up.len() {
                    break;
                }
            }
            names.reverse();
            (*id, (names.join("/"), description.clone()))
        })
        .collect())
}

/// Every category ("Path", "Description"), parents first.
pub async fn categories_csv(db: &Database) -> CoreResult<String> {
    Ok(categories_in(&mut db.connection().await?).await?.0)
}

/// The categories' CSV, and how many rows it has.
async fn categories_in(conn: &mut crate::sql::Conn) -> CoreResult<(String, u64)> {
    let mut paths: Vec<(String, String)> = category_paths(conn).await?.into_values().collect();
    paths.sort_by_key(|(path, _)| (path.matches('/').count(), path.to_lowercase()));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["Path", "Description"])
        .map_err(failed)?;
    let rows = paths.len() as u64;
    for (path, description) in paths {
        writer.write_record([path, description]).map_err(failed)?;
    }
    Ok((finish(writer)?, rows))
}

fn failed(err: csv::Error) -> CoreError {
    CoreError::File {
        path: "the CSV text".into(),
        doing: "written",
        source: std::io::Error::other(err.to_string()),
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> CoreResult<String> {
    let bytes = writer
        .into_inner()
        .map_err(|err| failed(err.into_error().into()))?;
    // Every cell came from a String.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every part, by name. "In stock" is the part's own stock (a template's
/// variants have rows of their own); "Category" the path from the top,
/// "/" between the levels; "Variant of" the template's IPN, else its name.
pub async fn parts_csv(db: &Database) -> CoreResult<String> {
    Ok(parts_in(&mut db.connection().await?).await?.0)
}

/// The parts' CSV, and how many rows it has.
async fn parts_in(conn: &mut crate::sql::Conn) -> CoreResult<(String, u64)> {
    let paths = category_paths(conn).await?;
    let path = |id: CategoryId| paths.get(&id).map(|(path, _)| path.clone());
    let parts: Vec<PartLine> = sql::query_as(
        "SELECT p.name, p.ipn, p.description, p.category_id, p.units, p.is_template, t.ipn,
                t.name, p.is_assembly, p.active, p.minimum_stock, p.own_stock
           FROM parts p LEFT JOIN parts t ON t.id = p.variant_of
          ORDER BY p.name COLLATE NOCASE, p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = parts.len() as u64;
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(PART_COLUMNS).map_err(failed)?;
    for part in parts {
        let (name, ipn, description, category, units, template, t_ipn, t_name) = (
            part.0, part.1, part.2, part.3, part.4, part.5, part.6, part.7,
        );
        writer
            .write_record([
                name,
                ipn.unwrap_or_default(),
                description,
                category.and_then(path).unwrap_or_default(),
                units,
                Quantity::from_milli(part.10).to_string(),
                yes_no(template),
                t_ipn.or(t_name).unwrap_or_default(),
                yes_no(part.8),
                yes_no(part.9),
                Quantity::from_milli(part.11).to_string(),
            ])
            .map_err(failed)?;
    }
    Ok((finish(writer)?, rows))
}

/// The category tree and the parts table, written into `dir` as
/// `categories.csv` and `parts.csv` — or `parts (2).csv` and so on, never
/// over a file already there: what the window's "Export" does. Importing
/// both files into an empty database makes the same parts and categories.
/// Both are read from one snapshot, so a part never names a category that
/// a change in between took out of the other file.
pub async fn save(db: &Database, dir: &std::path::Path) -> CoreResult<ExportedParts> {
    let mut snapshot = db.read_snapshot().await?;
    let (categories, category_rows) = categories_in(&mut snapshot).await?;
    let (parts, part_rows) = parts_in(&mut snapshot).await?;
    drop(snapshot);
    let parts_file = super::write_new(dir, "parts", ".csv", parts.as_bytes())?;
    let categories_file = super::write_new(dir, "categories", ".csv", categories.as_bytes())?;
    Ok(ExportedParts {
        parts_file: parts_file.display().to_string(),
        categories_file: categories_file.display().to_string(),
        parts: part_rows,
        categories: category_rows,
    })
}
