//! A file of parts. Each row is checked on its own (name, IPN not taken,
//! minimum, flags, category), then templates are found (a template may be
//! a row further down), loops between variants refused, and the good rows
//! written in one statement per few thousand. Partwatch's own parts files
//! may carry a stock column: it becomes the part's first stock item.

use super::bulk;
use super::categories::split_path;
use super::columns::Field;
use super::index::{key, path_key, KnownPart};
use super::stock::{self, StockEntry};
use super::table::{self, Row, Table};
use super::{Import, NewPartFigures};
use crate::{validate, CoreResult};
use partwatch_types::inventory::{CategoryId, PartId};
use partwatch_types::Quantity;
use std::collections::HashMap;

/// A row that passed its own checks.
struct Planned<'r> {
    row: &'r Row,
    id: PartId,
    part: bulk::NewPart,
    /// Its template as the file names it (IPN or name, or a source id).
    variant_of: Option<String>,
    stock: Option<(Quantity, String)>,
}

pub(super) async fn import(
    import: &mut Import,
    table: &Table,
    tell: &mut (impl FnMut(u64) + Send),
) -> CoreResult<()> {
    let mut planned = Vec::new();
    // IPNs of this file's good rows so far, with their parts' names.
    let mut taken: HashMap<String, String> = HashMap::new();
    for row in &table.rows {
        if let Some(plan) = check_row(import, table, row, &taken) {
            if let Some(ipn) = &plan.part.ipn {
                taken.insert(key(ipn), plan.part.name.clone());
            }
            planned.push(plan);
        }
    }
    let ids = bulk::reserve_ids(&mut import.tx, "parts", planned.len()).await?;
    for (plan, id) in planned.iter_mut().zip(ids) {
        plan.id = PartId(id);
        plan.part.id = PartId(id);
        import.index.add_part(
            KnownPart {
                id: plan.id,
                name: plan.part.name.clone(),
                is_template: plan.part.is_template,
            },
            plan.part.ipn.as_deref(),
            Some(table.cell(plan.row, Field::SourceId)),
        );
    }
    find_templates(import, table, &mut planned);
    // What is left is good; templates go in before their variants.
    let position: HashMap<PartId, usize> =
        planned.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let depth = |mut at: usize| {
        let mut depth = 0;
        while let Some(up) = planned[at].part.variant_of.and_then(|t| position.get(&t)) {
            at = *up;
            depth += 1;
        }
        depth
    };
    let mut order: Vec<(usize, usize)> = (0..planned.len()).map(|i| (depth(i), i)).collect();
    order.sort_unstable();
    let mut rows: Vec<bulk::NewPart> = Vec::with_capacity(order.len());
    for (_, i) in &order {
        rows.push(planned[*i].part.clone());
    }
    let rows: Vec<&bulk::NewPart> = rows.iter().collect();
    bulk::insert_parts(&mut import.tx, &rows, import.progress.done, tell).await?;
    import.counts.parts += planned.len() as u64;
    for plan in &planned {
        let part = &plan.part;
        import.new_parts.insert(
            plan.id,
            NewPartFigures {
                variant_of: part.variant_of,
                active: part.active,
                minimum: part.minimum_stock,
                own: 0,
                total: 0,
                low: part.alert_low,
            },
        );
    }
    let mut entries = Vec::new();
    for plan in &planned {
        let Some((quantity, location)) = &plan.stock else {
            continue;
        };
        match stock::place(import, location).await? {
            Ok(place) => entries.push(StockEntry {
                part: plan.id,
                location: place,
                batch: String::new(),
                quantity: *quantity,
            }),
            Err(why) => import.problem(table, plan.row.line, table.heading(Field::Location), why),
        }
    }
    stock::apply(import, &table.name, entries).await
}

/// A row's own checks; problems are recorded and the row left out.
fn check_row<'r>(
    import: &mut Import,
    table: &Table,
    row: &'r Row,
    taken: &HashMap<String, String>,
) -> Option<Planned<'r>> {
    let mut problems: Vec<(Field, String)> = Vec::new();
    let mut text = |field: Field, label: &str, max: usize, required: bool| {
        let cell = table.cell(row, field);
        let checked = if required {
            validate::required(label, cell, max)
        } else {
            validate::line(label, cell, max)
        };
        checked
            .map_err(|e| problems.push((field, e.to_string())))
            .ok()
    };
    let name = text(Field::Name, "Part name", 200, true);
    let ipn = text(Field::Ipn, "IPN", 100, false).filter(|i| !i.is_empty());
    let units = text(Field::Units, "Units", 20, false);
    let description = validate::free_text("Description", table.cell(row, Field::Description), 2000)
        .map_err(|e| problems.push((Field::Description, e.to_string())))
        .ok();
    if let Some(ipn) = &ipn {
        let other = match import.index.parts_by_ipn.get(&key(ipn)) {
            Some(id) => Some(import.index.parts[id].name.as_str()),
            None => taken.get(&key(ipn)).map(String::as_str),
        };
        if let Some(other) = other {
            problems.push((
                Field::Ipn,
                format!("The IPN {ipn} is already used by {other}."),
            ));
        }
    }
    let minimum = match table.cell(row, Field::Minimum) {
        "" => Some(Quantity::ZERO),
        cell => table::quantity(cell, table.decimal_comma)
            .map_err(|why| problems.push((Field::Minimum, why)))
            .ok(),
    };
    let mut flag = |field: Field, default: bool| match table::yes_no(table.cell(row, field)) {
        Ok(value) => value.unwrap_or(default),
        Err(why) => {
            problems.push((field, why));
            default
        }
    };
    let is_template = flag(Field::Template, false);
    let is_assembly = flag(Field::Assembly, false);
    let active = flag(Field::Active, true);
    let category = category(import, table, row)
        .map_err(|p| problems.push(p))
        .ok();
    let stock = match table.cell(row, Field::Quantity) {
        "" => None,
        cell => table::quantity(cell, table.decimal_comma)
            .map_err(|why| problems.push((Field::Quantity, why)))
            .ok()
            .map(|q| (q, table.cell(row, Field::Location).to_owned())),
    };
    // Checked now: the part is written before its stock is placed.
    if let Err(why) = stock::check_place(&import.index, table.cell(row, Field::Location)) {
        problems.push((Field::Location, why));
    }
    let variant_of = [Field::VariantOf, Field::SourceVariantOf]
        .into_iter()
        .find_map(|field| {
            let cell = table.cell(row, field);
            (!cell.is_empty()).then(|| match field {
                Field::SourceVariantOf => format!("#{cell}"),
                _ => cell.to_owned(),
            })
        });
    for (field, message) in &problems {
        import.problem(table, row.line, table.heading(*field), message.clone());
    }
    if !problems.is_empty() {
        skip(import, table, row, name.as_deref(), ipn.as_deref());
        return None;
    }
    Some(Planned {
        row,
        id: PartId(0),
        part: bulk::NewPart {
            id: PartId(0),
            name: name?,
            ipn,
            description: description?,
            category_id: category?,
            units: units?,
            is_template,
            variant_of: None,
            is_assembly,
            active,
            minimum_stock: minimum?.milli(),
            // No stock yet: low if it has a minimum (and is active).
            alert_low: active && minimum.is_some_and(|m| m.milli() > 0),
        },
        variant_of,
        stock,
    })
}

/// The row's category: by path, by another file's id, or by a name only
/// one category has.
fn category(
    import: &Import,
    table: &Table,
    row: &Row,
) -> Result<Option<CategoryId>, (Field, String)> {
    let path = table.cell(row, Field::CategoryPath);
    if !path.is_empty() {
        let names = split_path(path).map_err(|why| (Field::CategoryPath, why))?;
        return match import
            .index
            .categories_by_path
            .get(&path_key(names.iter().map(String::as_str)))
        {
            Some(id) => Ok(Some(*id)),
            None => Err((
                Field::CategoryPath,
                format!(
                    "There is no category “{path}”: create it first, or import a file of \
                     categories with it in the same import."
                ),
            )),
        };
    }
    let source = table.cell(row, Field::SourceCategory);
    if let Some(id) = import.index.categories_by_source.get(source) {
        return Ok(Some(*id));
    }
    if let Some(why) = import.index.skipped_categories.get(source) {
        return Err((Field::SourceCategory, why.clone()));
    }
    let name = table.cell(row, Field::CategoryName);
    if name.is_empty() && source.is_empty() {
        return Ok(None);
    }
    match import
        .index
        .categories_by_name
        .get(&key(name))
        .map(Vec::as_slice)
    {
        Some([one]) if !name.is_empty() => Ok(Some(*one)),
        Some(many) if many.len() > 1 => Err((
            Field::CategoryName,
            format!(
                "{} categories are called “{name}”; import the categories file along with \
                 the parts so that its ids say which.",
                many.len()
            ),
        )),
        _ => Err((
            if name.is_empty() {
                Field::SourceCategory
            } else {
                Field::CategoryName
            },
            format!(
                "There is no category “{}”: create it first, or import the categories file \
                 along with the parts.",
                if name.is_empty() { source } else { name }
            ),
        )),
    }
}

/// Finds each row's template; a row whose template is missing, not a
/// template, skipped, or part of a loop is left out, and so is every row
/// below it.
fn find_templates(import: &mut Import, table: &Table, planned: &mut Vec<Planned<'_>>) {
    loop {
        let mut bad: Vec<(usize, Field, String)> = Vec::new();
        for (i, plan) in planned.iter_mut().enumerate() {
            let Some(text) = &plan.variant_of else {
                continue;
            };
            let (field, found) = match text.strip_prefix('#') {
                Some(source) => (Field::SourceVariantOf, import.index.part_by_source(source)),
                None => (Field::VariantOf, import.index.part(text)),
            };
            match found {
                Ok(template) if !template.is_template => bad.push((
                    i,
                    field,
                    format!(
                        "{} is not a template part, so it cannot have variants.",
                        template.name
                    ),
                )),
                Ok(template) if template.id == plan.id => {
                    bad.push((i, field, "A part cannot be a variant of itself.".into()))
                }
                Ok(template) => plan.part.variant_of = Some(template.id),
                Err(why) => bad.push((i, field, why)),
            }
        }
        // Loops among the new rows (parts already there cannot point at them).
        let position: HashMap<PartId, usize> =
            planned.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for start in 0..planned.len() {
            let mut at = start;
            for _ in 0..=planned.len() {
                match planned[at].part.variant_of.and_then(|t| position.get(&t)) {
                    Some(&up) if up == start => {
                        bad.push((
                            start,
                            Field::VariantOf,
                            "Its templates make a loop (a part cannot be a variant of itself, \
                             even through others)."
                                .into(),
                        ));
                        break;
                    }
                    Some(&up) => at = up,
                    None => break,
                }
            }
        }
        if bad.is_empty() {
            return;
        }
        bad.sort_by_key(|(i, _, _)| std::cmp::Reverse(*i));
        bad.dedup_by_key(|(i, _, _)| *i);
        for (i, field, message) in bad {
            let plan = planned.remove(i);
            let column = table
                .heading(field)
                .or_else(|| table.heading(Field::SourceVariantOf));
            import.problem(table, plan.row.line, column, message);
            import.index.remove_part(plan.id);
            skip(
                import,
                table,
                plan.row,
                Some(&plan.part.name),
                plan.part.ipn.as_deref(),
            );
        }
        // Go round again: rows below a removed template now fail to find it.
    }
}

/// Remembers a row left out, so that rows referring to it say why.
fn skip(import: &mut Import, table: &Table, row: &Row, name: Option<&str>, ipn: Option<&str>) {
    let why = format!(
        "Its part (line {} of {}) is not imported.",
        row.line, table.name
    );
    let source = table.cell(row, Field::SourceId);
    if !source.is_empty() {
        import
            .index
            .skipped_parts
            .insert(format!("#{source}"), why.clone());
    }
    for text in [name, ipn].into_iter().flatten() {
        import.index.skipped_parts.insert(key(text), why.clone());
    }
}
