//! Moving stock within a part: transferring (all or some of) an item to
//! another location, and merging items into one. Neither changes the part's
//! total, so neither notifies anyone; both leave a history line per item.

use super::read::item_at;
use super::{item_in, place, positive, set_quantity, too_much, write_history, Change};
use crate::inventory::locations;
use crate::sql;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    LocationRef, MergeStock, StockChangeKind, StockItem, StockItemId, TransferStock,
};
use partwatch_types::Quantity;

/// Moves all or part of a stock item to another location. At the
/// destination the stock joins the part's item of the same batch, if there
/// is one; a partial move otherwise makes a new item (as old as the source,
/// so oldest-first use still finds it first). Answers the item the stock is
/// in now.
pub async fn transfer(db: &Database, request: &TransferStock) -> CoreResult<StockItem> {
    let reason = validate::free_text("Reason", &request.reason, 500)?;
    let mut tx = db.begin_write().await?;
    let item = item_in(&mut tx, request.item_id).await?;
    let destination: Option<LocationRef> = match request.to_location_id {
        Some(id) => Some(locations::reference(&mut tx, id).await?),
        None => None,
    };
    let to_id = destination.as_ref().map(|l| l.id);
    let to_path = destination.as_ref().map_or("", |l| l.path.as_str());
    if item.location.as_ref().map(|l| l.id) == to_id {
        return Err(CoreError::InvalidInput(format!(
            "This stock is already at {}.",
            if to_path.is_empty() {
                "no location"
            } else {
                to_path
            }
        )));
    }
    let quantity = request.quantity.unwrap_or(item.quantity);
    positive(quantity, "transfer")?;
    if quantity > item.quantity {
        return Err(CoreError::InvalidInput(format!(
            "Only {} in this stock item; you cannot transfer {quantity}.",
            item.quantity
        )));
    }
    let whole = quantity == item.quantity;
    let target = item_at(&mut tx, item.part_id, to_id, &item.batch).await?;
    let left = item
        .quantity
        .checked_sub(quantity)
        .unwrap_or(Quantity::ZERO);
    let arrived = match target {
        Some(target) => {
            let after = target.quantity.checked_add(quantity).ok_or_else(too_much)?;
            set_quantity(&mut tx, target.id, after).await?;
            if whole {
                sql::query("DELETE FROM stock_items WHERE id = $1")
                    .bind(item.id)
                    .execute(&mut *tx)
                    .await?;
            } else {
                set_quantity(&mut tx, item.id, left).await?;
            }
            (target.id, after)
        }
        None if whole => {
            sql::query("UPDATE stock_items SET location_id = $1 WHERE id = $2")
                .bind(to_id)
                .bind(item.id)
                .execute(&mut *tx)
                .await?;
            (item.id, quantity)
        }
        None => {
            set_quantity(&mut tx, item.id, left).await?;
            let id: StockItemId = sql::query_scalar(
                "INSERT INTO stock_items (part_id, quantity, location_id, batch, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(item.part_id)
            .bind(quantity.milli())
            .bind(to_id)
            .bind(&item.batch)
            .bind(&item.created_at)
            .fetch_one(&mut *tx)
            .await?;
            (id, quantity)
        }
    };
    let (conn, _) = tx.split();
    write_history(
        conn,
        &Change {
            part: item.part_id,
            item: item.id,
            kind: StockChangeKind::Transfer,
            delta: -quantity.milli(),
            after: left,
            reason: &reason,
            location: place(&item),
            build: None,
        },
    )
    .await?;
    write_history(
        conn,
        &Change {
            part: item.part_id,
            item: arrived.0,
            kind: StockChangeKind::Transfer,
            delta: quantity.milli(),
            after: arrived.1,
            reason: &reason,
            location: to_path,
            build: None,
        },
    )
    .await?;
    let moved = item_in(conn, arrived.0).await?;
    tx.commit().await?;
    Ok(moved)
}

/// Adds the quantities of other items of the same part to one item and
/// deletes them.
pub async fn merge(db: &Database, request: &MergeStock) -> CoreResult<StockItem> {
    let reason = validate::free_text("Reason", &request.reason, 500)?;
    let mut from = request.from.clone();
    from.sort_unstable();
    from.dedup();
    if from.is_empty() {
        return Err(CoreError::InvalidInput(
            "Choose at least one other stock item to merge.".into(),
        ));
    }
    if from.contains(&request.into) {
        return Err(CoreError::InvalidInput(
            "A stock item cannot be merged into itself.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let into = item_in(&mut tx, request.into).await?;
    let mut total = into.quantity;
    let mut merged = Vec::with_capacity(from.len());
    for id in from {
        let item = item_in(&mut tx, id).await?;
        if item.part_id != into.part_id {
            return Err(CoreError::InvalidInput(
                "Only stock items of the same part can be merged.".into(),
            ));
        }
        total = total.checked_add(item.quantity).ok_or_else(too_much)?;
        merged.push(item);
    }
    let (conn, _) = tx.split();
    for item in &merged {
        sql::query("DELETE FROM stock_items WHERE id = $1")
            .bind(item.id)
            .execute(&mut *conn)
            .await?;
        write_history(
            conn,
            &Change {
                part: item.part_id,
                item: item.id,
                kind: StockChangeKind::Merge,
                delta: -item.quantity.milli(),
                after: Quantity::ZERO,
                reason: &reason,
                location: place(item),
                build: None,
            },
        )
        .await?;
    }
    set_quantity(conn, into.id, total).await?;
    write_history(
        conn,
        &Change {
            part: into.part_id,
            item: into.id,
            kind: StockChangeKind::Merge,
            delta: total.milli() - into.quantity.milli(),
            after: total,
            reason: &reason,
            location: place(&into),
            build: None,
        },
    )
    .await?;
    let item = item_in(conn, into.id).await?;
    tx.commit().await?;
    Ok(item)
}
