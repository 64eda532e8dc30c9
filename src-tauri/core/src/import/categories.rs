//! A file of categories: each row a path ("Electronics/Passives/Resistors",
//! or InvenTree's "Category Path", else its name under its "Parent ID").
//! Categories already there are used as they are; missing levels above a
//! row are made too.

use super::columns::Field;
use super::index::{key, path_key};
use super::table::{Row, Table};
use super::Import;
use crate::inventory::categories;
use crate::{validate, CoreResult};
use std::collections::HashMap;

/// The most levels a category path may have.
const MAX_LEVELS: usize = 50;

pub(super) async fn import(import: &mut Import, table: &Table) -> CoreResult<()> {
    // Each row's path, found first: an InvenTree row without a path is its
    // parent's path plus its name, and its parent may come later.
    let by_source: HashMap<&str, &Row> = table
        .rows
        .iter()
        .filter(|r| !table.cell(r, Field::SourceId).is_empty())
        .map(|r| (table.cell(r, Field::SourceId), r))
        .collect();
    let mut planned: Vec<(&Row, Vec<String>, String)> = Vec::new();
    // The paths of rows refused for all but their path: their categories
    // are not made, not even as a level above another row.
    let mut refused: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        match path_of(table, row, &by_source, 0) {
            Ok(names) => {
                let description = table.cell(row, Field::Description);
                match validate::free_text("Description", description, 2000) {
                    Ok(description) => planned.push((row, names, description)),
                    Err(err) => {
                        import.problem(
                            table,
                            row.line,
                            table.heading(Field::Description),
                            err.to_string(),
                        );
                        skip(import, table, row);
                        let path = path_key(names.iter().map(String::as_str));
                        if !import.index.categories_by_path.contains_key(&path) {
                            refused.insert(path, row.line);
                        }
                    }
                }
            }
            Err((field, message)) => {
                import.problem(table, row.line, table.heading(field), message);
                skip(import, table, row);
            }
        }
    }
    let mut below_refused = Vec::new();
    planned.retain(|(row, names, _)| {
        let above = (1..names.len())
            .find_map(|depth| refused.get(&path_key(names[..depth].iter().map(String::as_str))));
        match above {
            Some(line) => {
                below_refused.push((*row, *line));
                false
            }
            None => true,
        }
    });
    for (row, line) in below_refused {
        let column = [Field::CategoryPath, Field::SourceCategory, Field::Name]
            .into_iter()
            .find_map(|field| table.heading(field));
        import.problem(
            table,
            row.line,
            column,
            format!("It is inside the category of line {line}, which is not imported."),
        );
        skip(import, table, row);
    }
    // Parents before children.
    planned.sort_by_key(|(_, names, _)| names.len());
    for (row, names, description) in planned {
        let mut parent = None;
        for depth in 0..names.len() {
            let path = path_key(names[..=depth].iter().map(String::as_str));
            let id = match import.index.categories_by_path.get(&path) {
                Some(id) => *id,
                None => {
                    let last = depth + 1 == names.len();
                    let text = if last { description.as_str() } else { "" };
                    let id =
                        categories::insert(&mut import.tx, parent, &names[depth], text).await?;
                    import.index.categories_by_path.insert(path, id);
                    import
                        .index
                        .categories_by_name
                        .entry(key(&names[depth]))
                        .or_default()
                        .push(id);
                    import.counts.categories += 1;
                    id
                }
            };
            parent = Some(id);
        }
        let source = table.cell(row, Field::SourceId);
        if let (false, Some(id)) = (source.is_empty(), parent) {
            import
                .index
                .categories_by_source
                .insert(source.to_owned(), id);
        }
    }
    Ok(())
}

/// Remembers a row left out, so that parts in it say why.
fn skip(import: &mut Import, table: &Table, row: &Row) {
    let source = table.cell(row, Field::SourceId);
    if !source.is_empty() {
        import.index.skipped_categories.insert(
            source.to_owned(),
            format!(
                "Its category (line {} of {}) is not imported.",
                row.line, table.name
            ),
        );
    }
}

/// The names from the top down to a row's category, or the column at
/// fault and why.
fn path_of(
    table: &Table,
    row: &Row,
    by_source: &HashMap<&str, &Row>,
    depth: usize,
) -> Result<Vec<String>, (Field, String)> {
    if depth > MAX_LEVELS {
        return Err((
            Field::SourceCategory,
            "Its parents make a loop (a category cannot be inside itself).".into(),
        ));
    }
    let path = table.cell(row, Field::CategoryPath);
    if !path.is_empty() {
        return split_path(path).map_err(|why| (Field::CategoryPath, why));
    }
    let name = validate::required("Category name", table.cell(row, Field::Name), 100)
        .map_err(|err| (Field::Name, err.to_string()))?;
    let parent = table.cell(row, Field::SourceCategory);
    let mut names = if parent.is_empty() {
        Vec::new()
    } else {
        match by_source.get(parent) {
            Some(up) => path_of(table, up, by_source, depth + 1)?,
            None => {
                return Err((
                    Field::SourceCategory,
                    format!("Its parent (id {parent}) is not in this file."),
                ))
            }
        }
    };
    names.push(name);
    Ok(names)
}

/// "Electronics / Passives/Resistors" → its names, each checked.
pub(super) fn split_path(path: &str) -> Result<Vec<String>, String> {
    let names: Vec<&str> = path.split('/').map(str::trim).collect();
    if names.len() > MAX_LEVELS {
        return Err(format!("“{path}” has more than {MAX_LEVELS} levels."));
    }
    names
        .iter()
        .map(|name| {
            if name.is_empty() {
                Err(format!("“{path}” has an empty level (two “/” in a row?)."))
            } else {
                validate::required("Category name", name, 100).map_err(|e| e.to_string())
            }
        })
        .collect()
}
