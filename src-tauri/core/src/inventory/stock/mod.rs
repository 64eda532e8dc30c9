//! Stock items and their history. Every change goes through `record`, which
//! writes the history row and — for changes that move the part's total —
//! moves `own_stock`, refreshes the template totals and runs the low-stock
//! trigger, all in the caller's transaction.
//!
//! A part has at most one item per location and batch: adding stock where
//! the part already is grows that item. Single-item changes live here,
//! moving stock between locations in `moves`, the set-based `adjust_many`
//! in `batch`, the item and history reads in `read`.

mod batch;
mod moves;
mod read;

pub use batch::adjust_many;
pub use moves::{merge, transfer};
pub use read::{history, items};
pub(crate) use read::{item_from, item_in, place, ItemRow, ITEM_SELECT};

use super::{locations, must_exist, parts, users};
use crate::sql::{self, Conn};
use crate::triggers::{self, Fired};
use crate::WriteTx;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    AdjustStock, BuildOrderId, DeleteStock, NewStockItem, PartId, StockAdjustment, StockChangeKind,
    StockItem, StockItemId,
};
use partwatch_types::Quantity;

/// Adds stock of a part at a location (in a batch): to the item already
/// there, or as a new item.
pub async fn add_item(db: &Database, input: &NewStockItem) -> CoreResult<StockItem> {
    non_negative(input.quantity)?;
    let batch = validate::line("Batch", &input.batch, 100)?;
    let reason = validate::free_text("Reason", &input.reason, 500)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "parts", "Part", input.part_id).await?;
    if let Some(location) = input.location_id {
        locations::reference(&mut tx, location).await?;
    }
    let item = put(
        &mut tx,
        input.part_id,
        input.location_id,
        &batch,
        input.quantity,
        &reason,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Puts `quantity` of a part at a place: into the item there (an `Add`, or
/// `Build` for a build's output) or a new one (`Create`), with history and
/// triggers.
pub(crate) async fn put(
    tx: &mut WriteTx,
    part: PartId,
    location: Option<partwatch_types::inventory::LocationId>,
    batch: &str,
    quantity: Quantity,
    reason: &str,
    build: Option<BuildOrderId>,
) -> CoreResult<StockItem> {
    let (conn, fired) = tx.split();
    let existing = read::item_at(conn, part, location, batch).await?;
    let (id, kind, after) = match existing {
        Some(item) => {
            let after = item.quantity.checked_add(quantity).ok_or_else(too_much)?;
            set_quantity(conn, item.id, after).await?;
            (item.id, StockChangeKind::Add, after)
        }
        None => {
            let id: StockItemId = sql::query_scalar(
                "INSERT INTO stock_items (part_id, quantity, location_id, batch)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(part)
            .bind(quantity.milli())
            .bind(location)
            .bind(batch)
            .fetch_one(&mut *conn)
            .await?;
            (id, StockChangeKind::Create, quantity)
        }
    };
    let item = item_in(conn, id).await?;
    let kind = if build.is_some() {
        StockChangeKind::Build
    } else {
        kind
    };
    if kind != StockChangeKind::Add || quantity.milli() != 0 {
        let change = Change {
            part,
            item: id,
            kind,
            delta: quantity.milli(),
            after,
            reason,
            location: place(&item),
            build,
        };
        record(conn, &change, fired).await?;
    }
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
            let after = item.quantity.checked_add(q).ok_or_else(too_much)?;
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
    set_quantity(conn, item_id, after).await?;
    let change = Change {
        part: item.part_id,
        item: item_id,
        kind,
        delta: after.milli() - item.quantity.milli(),
        after,
        reason,
        location: place(&item),
        build: None,
    };
    record(conn, &change, fired).await?;
    item_in(conn, item_id).await
}

/// Deletes a stock item; its quantity leaves the part's stock.
pub async fn delete_item(db: &Database, request: &DeleteStock) -> CoreResult<()> {
    let item_id = request.item_id;
    let reason = validate::free_text("Reason", &request.reason, 500)?;
    let mut tx = db.begin_write().await?;
    let item = item_in(&mut tx, item_id).await?;
    sql::query("DELETE FROM stock_items WHERE id = $1")
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    let (conn, fired) = tx.split();
    let change = Change {
        part: item.part_id,
        item: item_id,
        kind: StockChangeKind::Delete,
        delta: -item.quantity.milli(),
        after: Quantity::ZERO,
        reason: &reason,
        location: place(&item),
        build: None,
    };
    record(conn, &change, fired).await?;
    tx.commit().await?;
    Ok(())
}

/// One line of stock history.
pub(crate) struct Change<'a> {
    pub(crate) part: PartId,
    pub(crate) item: StockItemId,
    pub(crate) kind: StockChangeKind,
    /// Of the item, in thousandths.
    pub(crate) delta: i64,
    /// The item's quantity after it.
    pub(crate) after: Quantity,
    pub(crate) reason: &'a str,
    /// The item's location path ("" for none).
    pub(crate) location: &'a str,
    pub(crate) build: Option<BuildOrderId>,
}

/// Writes the history row and, when the change moves the part's total,
/// the part's stock figures and the low-stock trigger.
async fn record(conn: &mut Conn, change: &Change<'_>, fired: &mut Fired) -> CoreResult<()> {
    write_history(conn, change).await?;
    if change.delta != 0 && moves_total(change.kind) {
        let flipped = parts::move_stock(conn, &[(change.part, change.delta)]).await?;
        triggers::notify_flipped(conn, flipped, fired).await?;
    }
    Ok(())
}

/// Writes one history row (as the current user) and nothing else: the
/// caller moves the totals (see `record`).
pub(crate) async fn write_history(conn: &mut Conn, change: &Change<'_>) -> CoreResult<()> {
    let user_id = users::current_id(conn).await?;
    sql::query(
        "INSERT INTO stock_history
             (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location, build_order_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(change.part)
    .bind(change.item)
    .bind(user_id)
    .bind(change.kind)
    .bind(change.delta)
    .bind(change.after.milli())
    .bind(change.reason)
    .bind(change.location)
    .bind(change.build)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Transfers and merges move stock within a part: its total stays.
fn moves_total(kind: StockChangeKind) -> bool {
    !matches!(kind, StockChangeKind::Transfer | StockChangeKind::Merge)
}

/// Sets a stock item's quantity (its history is the caller's).
async fn set_quantity(conn: &mut Conn, item: StockItemId, quantity: Quantity) -> CoreResult<()> {
    sql::query("UPDATE stock_items SET quantity = $1 WHERE id = $2")
        .bind(quantity.milli())
        .bind(item)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn too_much() -> CoreError {
    CoreError::InvalidInput("That would be more stock than can be counted.".into())
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
