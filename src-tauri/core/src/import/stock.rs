//! A file of stock items, and the stock every import brings in: rows at the
//! same part, place and batch become one item (added to the item already
//! there, as adding stock in the window does), each with a line of history,
//! and the parts' totals move in a constant number of statements.

use super::bulk;
use super::columns::Field;
use super::index::{key, path_key, Index};
use super::table::{self, Table};
use super::Import;
use crate::inventory::locations::{self, MAX_DEPTH};
use crate::inventory::parts;
use crate::sql::{self, Conn};
use crate::{triggers, validate, CoreResult};
use partwatch_types::inventory::{LocationId, PartId, StockChangeKind, PATH_SEPARATOR};
use partwatch_types::Quantity;
use sqlx::types::Json;
use std::collections::HashMap;

/// Stock to put at a place.
pub(super) struct StockEntry {
    pub part: PartId,
    pub location: Option<LocationId>,
    pub batch: String,
    pub quantity: Quantity,
}

pub(super) async fn import(
    import: &mut Import,
    table: &Table,
    tell: &mut (impl FnMut(u64) + Send),
) -> CoreResult<()> {
    let mut entries = Vec::new();
    for (n, row) in table.rows.iter().enumerate() {
        if n % 10_000 == 0 {
            tell(import.progress.done + n as u64);
        }
        let mut problems: Vec<(Field, String)> = Vec::new();
        let source = table.cell(row, Field::SourcePart);
        let named = table.cell(row, Field::Part);
        let part = if !source.is_empty()
            && (import.index.parts_by_source.contains_key(source)
                || import
                    .index
                    .skipped_parts
                    .contains_key(&format!("#{source}"))
                || named.is_empty())
        {
            import
                .index
                .part_by_source(source)
                .map(|p| p.id)
                .map_err(|why| problems.push((Field::SourcePart, why)))
                .ok()
        } else {
            import
                .index
                .part(named)
                .map(|p| p.id)
                .map_err(|why| problems.push((Field::Part, why)))
                .ok()
        };
        let quantity = table::quantity(table.cell(row, Field::Quantity), table.decimal_comma)
            .map_err(|why| problems.push((Field::Quantity, why)))
            .ok();
        let batch = validate::line("Batch", table.cell(row, Field::Batch), 100)
            .map_err(|e| problems.push((Field::Batch, e.to_string())))
            .ok();
        // Locations are made only for rows that are otherwise good.
        let location = match check_place(&import.index, table.cell(row, Field::Location)) {
            Err(why) => {
                problems.push((Field::Location, why));
                None
            }
            Ok(()) if !problems.is_empty() => None,
            Ok(()) => place(import, table.cell(row, Field::Location)).await?.ok(),
        };
        for (field, message) in &problems {
            import.problem(table, row.line, table.heading(*field), message.clone());
        }
        if let (Some(part), Some(quantity), Some(batch), Some(location)) =
            (part, quantity, batch, location)
        {
            entries.push(StockEntry {
                part,
                location,
                batch,
                quantity,
            });
        }
    }
    apply(import, &table.name, entries).await
}

/// The location a cell names ("" for none): a path with " › " or "/"
/// between its levels, or — as InvenTree's "Location Name" — a name only
/// one location has. Missing levels are made.
pub(super) async fn place(
    import: &mut Import,
    text: &str,
) -> CoreResult<Result<Option<LocationId>, String>> {
    if text.is_empty() {
        return Ok(Ok(None));
    }
    if let Err(why) = check_place(&import.index, text) {
        return Ok(Err(why));
    }
    let names = level_names(text);
    if names.len() == 1 {
        if let Some([one]) = import
            .index
            .locations_by_name
            .get(&key(names[0]))
            .map(Vec::as_slice)
        {
            return Ok(Ok(Some(*one)));
        }
    }
    let mut parent: Option<LocationId> = None;
    let mut path = String::new();
    for depth in 0..names.len() {
        let name = match locations::location_name(names[depth]) {
            Ok(name) => name,
            Err(err) => return Ok(Err(err.to_string())),
        };
        path = if depth == 0 {
            name.clone()
        } else {
            format!("{path}{PATH_SEPARATOR}{name}")
        };
        let folded = path_key(names[..=depth].iter().copied());
        let id = match import.index.locations_by_path.get(&folded) {
            Some(id) => *id,
            None => {
                let id = locations::insert(&mut import.tx, parent, &name, "", &path).await?;
                import.index.add_location(id, &name, path.clone());
                import.counts.locations += 1;
                id
            }
        };
        if let Some((stored, _)) = import.index.location_paths.get(&id) {
            path.clone_from(stored);
        }
        parent = Some(id);
    }
    Ok(Ok(parent))
}

fn level_names(text: &str) -> Vec<&str> {
    let separator = if text.contains('›') { '›' } else { '/' };
    text.split(separator).map(str::trim).collect()
}

/// Whether [`place`] can take a cell, without making anything: every level
/// a good name, not too deep, and a lone name not one that several
/// locations have.
pub(super) fn check_place(index: &Index, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let names = level_names(text);
    if names.len() as i64 > MAX_DEPTH {
        return Err(format!("Locations can be at most {MAX_DEPTH} levels deep."));
    }
    for name in &names {
        locations::location_name(name).map_err(|err| err.to_string())?;
    }
    if let [name] = names.as_slice() {
        if let Some(many) = index
            .locations_by_name
            .get(&key(name))
            .filter(|l| l.len() > 1)
        {
            return Err(format!(
                "{} locations are called “{name}”; name it by its path (e.g. Store/Shelf B/{name}).",
                many.len()
            ));
        }
    }
    Ok(())
}

/// Puts `entries` into stock: new items and additions to the items already
/// at those places, their history, the parts' totals; parts that were
/// there before the import and flip (back in stock) are told as always.
pub(super) async fn apply(
    import: &mut Import,
    file: &str,
    entries: Vec<StockEntry>,
) -> CoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    // One item per part, place and batch.
    let mut items: HashMap<(PartId, Option<LocationId>, String), i64> = HashMap::new();
    for entry in entries {
        let sum = items
            .entry((entry.part, entry.location, entry.batch))
            .or_default();
        *sum = sum.checked_add(entry.quantity.milli()).ok_or_else(|| {
            crate::CoreError::InvalidInput(format!(
                "{file} puts more stock at one place than can be counted."
            ))
        })?;
    }
    let conn: &mut Conn = &mut import.tx;
    let old_parts: Vec<PartId> = {
        let mut old: Vec<PartId> = items
            .keys()
            .map(|(part, _, _)| *part)
            .filter(|p| !import.new_parts.contains_key(p))
            .collect();
        old.sort_unstable();
        old.dedup();
        old
    };
    let existing = existing_items(conn, &old_parts).await?;
    let user = crate::inventory::users::current_id(conn).await?;
    let reason: String = format!("Imported from {file}").chars().take(500).collect();
    let mut fresh: Vec<(PartId, Option<LocationId>, String, i64)> = Vec::new();
    let mut history: Vec<bulk::HistoryLine> = Vec::new();
    let mut deltas: HashMap<PartId, i64> = HashMap::new();
    for ((part, location, batch), quantity) in items {
        let delta = deltas.entry(part).or_default();
        *delta = delta.checked_add(quantity).ok_or_else(|| {
            crate::CoreError::InvalidInput(format!(
                "{file} gives a part more stock than can be counted."
            ))
        })?;
        let at = location
            .and_then(|l| import.index.location_paths.get(&l))
            .map_or(String::new(), |(path, _)| path.clone());
        let place = (part, location, batch.clone());
        // An item already there: in the database, or made by this import.
        let found = existing
            .get(&place)
            .or_else(|| import.items_made.get(&place))
            .copied();
        match found {
            Some((item, before)) => {
                let after = before.checked_add(quantity).ok_or_else(|| {
                    crate::CoreError::InvalidInput(format!(
                        "{file} adds more stock to an item than can be counted."
                    ))
                })?;
                sql::query("UPDATE stock_items SET quantity = $1 WHERE id = $2")
                    .bind(after)
                    .bind(item)
                    .execute(&mut *conn)
                    .await?;
                if let Some(made) = import.items_made.get_mut(&place) {
                    made.1 = after;
                }
                history.push(bulk::HistoryLine {
                    part,
                    item,
                    user,
                    kind: StockChangeKind::Add,
                    delta: quantity,
                    after,
                    reason: reason.clone(),
                    location: at,
                });
            }
            None => fresh.push((part, location, batch, quantity)),
        }
    }
    import.counts.stock_items += (history.len() + fresh.len()) as u64;
    let ids = bulk::reserve_ids(conn, "stock_items", fresh.len()).await?;
    let mut rows = Vec::with_capacity(fresh.len());
    for ((part, location, batch, quantity), id) in fresh.into_iter().zip(ids) {
        let at = location
            .and_then(|l| import.index.location_paths.get(&l))
            .map_or(String::new(), |(path, _)| path.clone());
        history.push(bulk::HistoryLine {
            part,
            item: id,
            user,
            kind: StockChangeKind::Create,
            delta: quantity,
            after: quantity,
            reason: reason.clone(),
            location: at,
        });
        if import.new_parts.contains_key(&part) {
            import
                .items_made
                .insert((part, location, batch.clone()), (id, quantity));
        }
        rows.push((id, part, quantity, location, batch));
    }
    bulk::insert_stock_items(conn, &rows).await?;
    bulk::insert_history(conn, &history).await?;
    let moved = new_parts_figures(import, file, &deltas)?;
    bulk::set_figures(&mut import.tx, &moved).await?;
    // Parts that were here before, and new ones under a template that was:
    // as any stock change.
    let direct: std::collections::HashSet<PartId> = moved.iter().map(|m| m.0).collect();
    let mut deltas: Vec<(PartId, i64)> = deltas
        .into_iter()
        .filter(|(part, d)| *d != 0 && !direct.contains(part))
        .collect();
    deltas.sort_unstable();
    let flipped = parts::move_stock(&mut import.tx, &deltas).await?;
    let mut told = Vec::new();
    for flip in flipped {
        match import.new_parts.get_mut(&flip.part()) {
            Some(new) => new.low = flip.is_low(),
            None => told.push(flip),
        }
    }
    let (conn, fired) = import.tx.split();
    triggers::notify_flipped(conn, told, fired).await
}

/// Moves the stock figures of the new parts whose templates are all new
/// too (nothing else reads them yet), in memory; their rows to write.
fn new_parts_figures(
    import: &mut Import,
    file: &str,
    deltas: &HashMap<PartId, i64>,
) -> CoreResult<Vec<(PartId, i64, i64, bool)>> {
    let all_new = |mut part: PartId| loop {
        match import.new_parts.get(&part) {
            Some(facts) => match facts.variant_of {
                Some(up) => part = up,
                None => return true,
            },
            None => return false,
        }
    };
    let direct: Vec<(PartId, i64)> = deltas
        .iter()
        .filter(|(part, delta)| **delta != 0 && all_new(**part))
        .map(|(part, delta)| (*part, *delta))
        .collect();
    let too_much = || {
        crate::CoreError::InvalidInput(format!(
            "{file} gives a part more stock than can be counted."
        ))
    };
    let mut touched = Vec::new();
    for (part, delta) in direct {
        let mut at = Some(part);
        let mut own = true;
        while let Some(id) = at {
            let Some(facts) = import.new_parts.get_mut(&id) else {
                break;
            };
            if own {
                facts.own = facts.own.checked_add(delta).ok_or_else(too_much)?;
                own = false;
            }
            facts.total = facts.total.checked_add(delta).ok_or_else(too_much)?;
            if facts.total > parts::MAX_STOCK_MILLI {
                return Err(too_much());
            }
            touched.push(id);
            at = facts.variant_of;
        }
    }
    touched.sort_unstable();
    touched.dedup();
    Ok(touched
        .into_iter()
        .filter_map(|id| {
            let facts = import.new_parts.get_mut(&id)?;
            facts.low = facts.should_alert();
            Some((id, facts.own, facts.total, facts.low))
        })
        .collect())
}

/// The items already at the places of these parts: (part, place, batch) →
/// (item, quantity).
async fn existing_items(
    conn: &mut Conn,
    parts: &[PartId],
) -> CoreResult<HashMap<(PartId, Option<LocationId>, String), (i64, i64)>> {
    let mut found = HashMap::new();
    for chunk in parts.chunks(10_000) {
        let rows: Vec<(i64, PartId, Option<LocationId>, String, i64)> =
            sql::query_as(sql::Sql::dialects(
                "SELECT id, part_id, location_id, batch, quantity FROM stock_items
                  WHERE part_id IN (SELECT value FROM json_each($1))",
                "SELECT id, part_id, location_id, batch, quantity FROM stock_items
                  WHERE part_id IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text($1))",
            ))
            .bind(Json(chunk))
            .fetch_all(&mut *conn)
            .await?;
        for (id, part, location, batch, quantity) in rows {
            found.insert((part, location, batch), (id, quantity));
        }
    }
    Ok(found)
}
