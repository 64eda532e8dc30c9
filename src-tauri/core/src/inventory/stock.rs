//! Stock items and their history. Every change goes through `record`, which
//! writes the history row, moves `own_stock` and refreshes the template
//! totals in the caller's transaction.

use super::{must_exist, parts, users};
use crate::triggers::{self, Fired};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    NewStockItem, PartId, StockAdjustment, StockChangeKind, StockHistoryEntry, StockItem,
    StockItemId,
};
use partwatch_types::Quantity;
use sqlx::types::Json;
use sqlx::SqliteConnection;

/// Creates a stock item with its starting quantity.
pub async fn add_item(db: &Database, input: &NewStockItem) -> CoreResult<StockItem> {
    non_negative(input.quantity)?;
    let location = validate::free_text("Location", &input.location, 200)?;
    let batch = validate::free_text("Batch", &input.batch, 100)?;
    let reason = validate::free_text("Reason", &input.reason, 500)?;
    let mut tx = db.begin_write().await?;
    let mut fired = Fired::default();
    must_exist(&mut tx, "parts", "Part", input.part_id).await?;
    let id = sqlx::query(
        "INSERT INTO stock_items (part_id, quantity, location, batch) VALUES (?, ?, ?, ?)",
    )
    .bind(input.part_id)
    .bind(input.quantity.milli())
    .bind(&location)
    .bind(&batch)
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    record(
        &mut tx,
        input.part_id,
        Some(id),
        StockChangeKind::Create,
        input.quantity.milli(),
        input.quantity,
        &reason,
        &mut fired,
    )
    .await?;
    let item = item_in(&mut tx, id).await?;
    tx.commit().await?;
    db.announce_fired(fired);
    Ok(item)
}

/// Adds to, removes from (never below zero) or counts a stock item.
pub async fn adjust(
    db: &Database,
    item_id: StockItemId,
    adjustment: StockAdjustment,
    reason: &str,
) -> CoreResult<StockItem> {
    let reason = validate::free_text("Reason", reason, 500)?;
    let mut tx = db.begin_write().await?;
    let mut fired = Fired::default();
    let item = adjust_in(&mut tx, item_id, adjustment, &reason, &mut fired).await?;
    tx.commit().await?;
    db.announce_fired(fired);
    Ok(item)
}

/// Applies many adjustments in one transaction (a stock-take, an import):
/// all of them, with their alerts, or — if any is rejected — none.
///
/// Set-based: the batch goes into a temporary table in one statement and each
/// step (checks, history, quantities, part totals, alert transitions,
/// subscriber resolution) is one statement for the whole batch; only the
/// notifications themselves are written per part that changed state. A batch that touches one item twice is applied in
/// order, one adjustment at a time.
pub async fn adjust_many(
    db: &Database,
    adjustments: &[(StockItemId, StockAdjustment)],
    reason: &str,
) -> CoreResult<Vec<StockItem>> {
    let reason = validate::free_text("Reason", reason, 500)?;
    for (_, adjustment) in adjustments {
        match *adjustment {
            StockAdjustment::Add(q) => positive(q, "add")?,
            StockAdjustment::Remove(q) => positive(q, "remove")?,
            StockAdjustment::Count(q) => non_negative(q)?,
        }
    }
    let mut tx = db.begin_write().await?;
    let mut fired = Fired::default();
    let mut distinct: Vec<StockItemId> = adjustments.iter().map(|(id, _)| *id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let items = if distinct.len() < adjustments.len() {
        let mut items = Vec::with_capacity(adjustments.len());
        for &(item_id, adjustment) in adjustments {
            items.push(adjust_in(&mut tx, item_id, adjustment, &reason, &mut fired).await?);
        }
        items
    } else {
        adjust_set(&mut tx, adjustments, &reason, &mut fired).await?
    };
    tx.commit().await?;
    db.announce_fired(fired);
    Ok(items)
}

/// `adjust_many` for a batch of distinct items (see there).
async fn adjust_set(
    conn: &mut SqliteConnection,
    adjustments: &[(StockItemId, StockAdjustment)],
    reason: &str,
    fired: &mut Fired,
) -> CoreResult<Vec<StockItem>> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS batch_adjustments (
             seq INTEGER PRIMARY KEY, item_id INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,
             quantity INTEGER NOT NULL, old INTEGER, new, part_id INTEGER,
             location TEXT, batch TEXT)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM batch_adjustments")
        .execute(&mut *conn)
        .await?;
    // The whole batch travels as one JSON array of [item, kind, quantity]
    // and lands, joined with the items' current figures, in one statement.
    let batch: Vec<(StockItemId, &str, i64)> = adjustments
        .iter()
        .map(|(item, adjustment)| match *adjustment {
            StockAdjustment::Add(q) => (*item, "add", q.milli()),
            StockAdjustment::Remove(q) => (*item, "remove", q.milli()),
            StockAdjustment::Count(q) => (*item, "count", q.milli()),
        })
        .collect();
    sqlx::query(
        "INSERT INTO batch_adjustments (seq, item_id, kind, quantity, old, new, part_id, location, batch)
         SELECT a.key, a.value ->> 0, a.value ->> 1, a.value ->> 2, s.quantity,
                CASE a.value ->> 1
                    WHEN 'add' THEN s.quantity + (a.value ->> 2)
                    WHEN 'remove' THEN s.quantity - (a.value ->> 2)
                    ELSE a.value ->> 2 END,
                s.part_id, s.location, s.batch
           FROM json_each(?) a LEFT JOIN stock_items s ON s.id = a.value ->> 0",
    )
    .bind(Json(batch))
    .execute(&mut *conn)
    .await?;
    // SQLite turns an integer overflow into a float: that is a count too big to keep.
    let problem: Option<(i64, Option<i64>, i64, bool)> = sqlx::query_as(
        "SELECT item_id, old, quantity, typeof(new) = 'integer' FROM batch_adjustments
          WHERE old IS NULL OR typeof(new) != 'integer' OR new < 0 ORDER BY seq LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    match problem {
        Some((item, None, _, _)) => {
            return Err(CoreError::NotFound(format!(
                "Stock item {item} does not exist."
            )))
        }
        Some((_, Some(_), _, false)) => {
            return Err(CoreError::InvalidInput(
                "That would be more stock than can be counted.".into(),
            ))
        }
        Some((_, Some(old), wanted, true)) => {
            return Err(CoreError::InvalidInput(format!(
                "Only {} in this stock item; you cannot remove {}.",
                Quantity::from_milli(old),
                Quantity::from_milli(wanted)
            )))
        }
        None => {}
    }
    let user = users::current_id(conn).await?;
    sqlx::query(
        "INSERT INTO stock_history (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason)
         SELECT part_id, item_id, ?, kind, new - old, new, ? FROM batch_adjustments ORDER BY seq",
    )
    .bind(user)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE stock_items
            SET quantity = (SELECT b.new FROM batch_adjustments b WHERE b.item_id = stock_items.id)
          WHERE id IN (SELECT item_id FROM batch_adjustments)",
    )
    .execute(&mut *conn)
    .await?;
    // Own stock, totals (the templates above included) and alert state in
    // one update, then the notifications of the parts that flipped. Results
    // come back as one JSON row, not a row per item: each row crossing
    // sqlx's worker thread costs.
    let deltas: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(part_id, delta) ORDER BY first)
           FROM (SELECT part_id, SUM(new - old) AS delta, MIN(seq) AS first
                   FROM batch_adjustments GROUP BY part_id HAVING SUM(new - old) != 0)",
    )
    .fetch_one(&mut *conn)
    .await?;
    let flipped = parts::move_stock(conn, deltas).await?;
    triggers::notify_flipped(conn, flipped, fired).await?;
    let Json(items): Json<Vec<ItemRow>> = sqlx::query_scalar(
        "SELECT json_group_array(json_array(item_id, part_id, new, location, batch) ORDER BY seq)
           FROM batch_adjustments",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(items.into_iter().map(item_from).collect())
}

async fn adjust_in(
    conn: &mut SqliteConnection,
    item_id: StockItemId,
    adjustment: StockAdjustment,
    reason: &str,
    fired: &mut Fired,
) -> CoreResult<StockItem> {
    let item = item_in(conn, item_id).await?;
    let (kind, after) = match adjustment {
        StockAdjustment::Add(q) => {
            positive(q, "add")?;
            let after = item.quantity.checked_add(q).ok_or_else(|| {
                CoreError::InvalidInput("That would be more stock than can be counted.".into())
            })?;
            (StockChangeKind::Add, after)
        }
        StockAdjustment::Remove(q) => {
            positive(q, "remove")?;
            let after = item.quantity.checked_sub(q).ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "Only {} in this stock item; you cannot remove {q}.",
                    item.quantity
                ))
            })?;
            (StockChangeKind::Remove, after)
        }
        StockAdjustment::Count(q) => {
            non_negative(q)?;
            (StockChangeKind::Count, q)
        }
    };
    sqlx::query("UPDATE stock_items SET quantity = ? WHERE id = ?")
        .bind(after.milli())
        .bind(item_id)
        .execute(&mut *conn)
        .await?;
    let delta = after.milli() - item.quantity.milli();
    record(
        conn,
        item.part_id,
        Some(item_id),
        kind,
        delta,
        after,
        reason,
        fired,
    )
    .await?;
    item_in(conn, item_id).await
}

/// Deletes a stock item; its quantity leaves the part's stock.
pub async fn delete_item(db: &Database, item_id: StockItemId, reason: &str) -> CoreResult<()> {
    let reason = validate::free_text("Reason", reason, 500)?;
    let mut tx = db.begin_write().await?;
    let mut fired = Fired::default();
    let item = item_in(&mut tx, item_id).await?;
    sqlx::query("DELETE FROM stock_items WHERE id = ?")
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        item.part_id,
        Some(item_id),
        StockChangeKind::Delete,
        -item.quantity.milli(),
        Quantity::ZERO,
        &reason,
        &mut fired,
    )
    .await?;
    tx.commit().await?;
    db.announce_fired(fired);
    Ok(())
}

pub async fn items(db: &Database, part_id: PartId) -> CoreResult<Vec<StockItem>> {
    let mut conn = db.pool().acquire().await?;
    must_exist(&mut conn, "parts", "Part", part_id).await?;
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, part_id, quantity, location, batch FROM stock_items WHERE part_id = ? ORDER BY id",
    )
    .bind(part_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(item_from).collect())
}

/// The newest `limit` history entries of a part, newest first.
pub async fn history(
    db: &Database,
    part_id: PartId,
    limit: i64,
) -> CoreResult<Vec<StockHistoryEntry>> {
    let mut conn = db.pool().acquire().await?;
    must_exist(&mut conn, "parts", "Part", part_id).await?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, i64, Option<i64>, Option<String>, String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT h.id, h.part_id, h.stock_item_id, u.name, h.kind, h.delta, h.quantity_after, h.reason, h.at
           FROM stock_history h LEFT JOIN users u ON u.id = h.user_id
          WHERE h.part_id = ? ORDER BY h.id DESC LIMIT ?",
    )
    .bind(part_id)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, part_id, stock_item_id, user, kind, delta, after, reason, at)| {
                StockHistoryEntry {
                    id,
                    part_id,
                    stock_item_id,
                    user,
                    kind: match kind.as_str() {
                        "create" => StockChangeKind::Create,
                        "add" => StockChangeKind::Add,
                        "remove" => StockChangeKind::Remove,
                        "count" => StockChangeKind::Count,
                        _ => StockChangeKind::Delete,
                    },
                    delta: if delta >= 0 {
                        format!("+{}", Quantity::from_milli(delta))
                    } else {
                        format!("-{}", Quantity::from_milli(-delta))
                    },
                    quantity_after: Quantity::from_milli(after),
                    reason,
                    at,
                }
            },
        )
        .collect())
}

/// Writes the history row (as the current user), moves the part's stock
/// figures and runs the low-stock trigger for the part and its templates.
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut SqliteConnection,
    part_id: PartId,
    item_id: Option<StockItemId>,
    kind: StockChangeKind,
    delta: i64,
    after: Quantity,
    reason: &str,
    fired: &mut Fired,
) -> CoreResult<()> {
    let user_id = users::current_id(conn).await?;
    let kind = match kind {
        StockChangeKind::Create => "create",
        StockChangeKind::Add => "add",
        StockChangeKind::Remove => "remove",
        StockChangeKind::Count => "count",
        StockChangeKind::Delete => "delete",
    };
    sqlx::query(
        "INSERT INTO stock_history (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(part_id)
    .bind(item_id)
    .bind(user_id)
    .bind(kind)
    .bind(delta)
    .bind(after.milli())
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    if delta != 0 {
        let flipped = parts::move_stock(conn, Json([(part_id, delta)])).await?;
        triggers::notify_flipped(conn, flipped, fired).await?;
    }
    Ok(())
}

async fn item_in(conn: &mut SqliteConnection, id: StockItemId) -> CoreResult<StockItem> {
    let row: Option<ItemRow> = sqlx::query_as(
        "SELECT id, part_id, quantity, location, batch FROM stock_items WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(item_from)
        .ok_or_else(|| CoreError::NotFound(format!("Stock item {id} does not exist.")))
}

/// A stock item as read: id, part, quantity (milli), location, batch.
type ItemRow = (i64, i64, i64, String, String);

fn item_from((id, part_id, quantity, location, batch): ItemRow) -> StockItem {
    StockItem {
        id,
        part_id,
        quantity: Quantity::from_milli(quantity),
        location,
        batch,
    }
}

fn non_negative(q: Quantity) -> CoreResult<()> {
    if q.milli() < 0 {
        return Err(CoreError::InvalidInput(
            "A quantity cannot be negative.".into(),
        ));
    }
    Ok(())
}

fn positive(q: Quantity, verb: &str) -> CoreResult<()> {
    if q.milli() <= 0 {
        return Err(CoreError::InvalidInput(format!(
            "Enter how much to {verb}: more than zero."
        )));
    }
    Ok(())
}
