//! Stock items and their history. Every change goes through `record`, which
//! writes the history row, moves `own_stock` and refreshes the template
//! totals in the caller's transaction.
//!
//! Single-item changes live here; the set-based `adjust_many` is in `batch`,
//! the item and history reads in `read`.

mod batch;
mod read;

pub use batch::adjust_many;
pub use read::{history, items};

use super::{must_exist, parts, users};
use crate::triggers::{self, Fired};
use crate::WriteTx;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    AdjustStock, DeleteStock, NewStockItem, PartId, StockAdjustment, StockChangeKind, StockItem,
    StockItemId,
};
use partwatch_types::Quantity;
use read::item_in;
use sqlx::types::Json;
use sqlx::SqliteConnection;

/// Creates a stock item with its starting quantity.
pub async fn add_item(db: &Database, input: &NewStockItem) -> CoreResult<StockItem> {
    non_negative(input.quantity)?;
    let location = validate::line("Location", &input.location, 200)?;
    let batch = validate::line("Batch", &input.batch, 100)?;
    let reason = validate::free_text("Reason", &input.reason, 500)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "parts", "Part", input.part_id).await?;
    let id = StockItemId(
        sqlx::query(
            "INSERT INTO stock_items (part_id, quantity, location, batch) VALUES (?, ?, ?, ?)",
        )
        .bind(input.part_id)
        .bind(input.quantity.milli())
        .bind(&location)
        .bind(&batch)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid(),
    );
    let (conn, fired) = tx.split();
    record(
        conn,
        input.part_id,
        Some(id),
        StockChangeKind::Create,
        input.quantity.milli(),
        input.quantity,
        &reason,
        fired,
    )
    .await?;
    let item = item_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(item)
}

/// Adds to, removes from (never below zero) or counts a stock item.
pub async fn adjust(db: &Database, request: &AdjustStock) -> CoreResult<StockItem> {
    let (item_id, adjustment) = (request.item_id, request.adjustment);
    let reason = validate::free_text("Reason", &request.reason, 500)?;
    let mut tx = db.begin_write().await?;
    let item = adjust_in(&mut tx, item_id, adjustment, &reason).await?;
    tx.commit().await?;
    Ok(item)
}

async fn adjust_in(
    tx: &mut WriteTx,
    item_id: StockItemId,
    adjustment: StockAdjustment,
    reason: &str,
) -> CoreResult<StockItem> {
    let (conn, fired) = tx.split();
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
pub async fn delete_item(db: &Database, request: &DeleteStock) -> CoreResult<()> {
    let item_id = request.item_id;
    let reason = validate::free_text("Reason", &request.reason, 500)?;
    let mut tx = db.begin_write().await?;
    let item = item_in(&mut tx, item_id).await?;
    sqlx::query("DELETE FROM stock_items WHERE id = ?")
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    let (conn, fired) = tx.split();
    record(
        conn,
        item.part_id,
        Some(item_id),
        StockChangeKind::Delete,
        -item.quantity.milli(),
        Quantity::ZERO,
        &reason,
        fired,
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
