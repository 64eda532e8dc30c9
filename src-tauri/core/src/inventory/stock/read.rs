//! Reads of stock: a part's items, its history, one item, and the mapping of
//! an item row.

use crate::inventory::must_exist;
use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    BuildOrderId, BuildRef, LocationId, LocationRef, PartId, StockChangeKind, StockHistoryEntry,
    StockHistoryRequest, StockItem, StockItemId,
};
use partwatch_types::Quantity;

/// A part's stock items, by location path (unplaced last), batch and age.
pub async fn items(db: &Database, part_id: PartId) -> CoreResult<Vec<StockItem>> {
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "parts", "Part", part_id).await?;
    let rows: Vec<ItemRow> = sql::query_as(format!(
        "{ITEM_SELECT} WHERE s.part_id = $1
          ORDER BY l.path IS NULL, l.path COLLATE NOCASE, s.batch, s.created_at, s.id"
    ))
    .bind(part_id)
    .fetch_all(&mut conn)
    .await?;
    Ok(rows.into_iter().map(item_from).collect())
}

/// The newest `limit` history entries of a part, newest first.
pub async fn history(
    db: &Database,
    request: &StockHistoryRequest,
) -> CoreResult<Vec<StockHistoryEntry>> {
    let (part_id, limit) = (request.part_id, request.limit);
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "parts", "Part", part_id).await?;
    let rows: Vec<HistoryRow> = sql::query_as(
        "SELECT h.id, h.part_id, h.stock_item_id, u.name AS user, h.kind, h.delta,
                h.quantity_after, h.reason, h.at, h.location, h.build_order_id,
                b.reference AS build_reference
           FROM stock_history h
           LEFT JOIN users u ON u.id = h.user_id
           LEFT JOIN build_orders b ON b.id = h.build_order_id
          WHERE h.part_id = $1 ORDER BY h.id DESC LIMIT $2",
    )
    .bind(part_id)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&mut conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StockHistoryEntry {
            id: row.id,
            part_id: row.part_id,
            stock_item_id: row.stock_item_id,
            user: row.user,
            kind: row.kind,
            delta: if row.delta >= 0 {
                format!("+{}", Quantity::from_milli(row.delta))
            } else {
                format!("-{}", Quantity::from_milli(-row.delta))
            },
            quantity_after: Quantity::from_milli(row.quantity_after),
            reason: row.reason,
            at: row.at,
            location: row.location,
            build: row
                .build_order_id
                .zip(row.build_reference)
                .map(|(id, reference)| BuildRef { id, reference }),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: i64,
    part_id: PartId,
    stock_item_id: Option<StockItemId>,
    user: Option<String>,
    kind: StockChangeKind,
    delta: i64,
    quantity_after: i64,
    reason: String,
    at: String,
    location: String,
    build_order_id: Option<BuildOrderId>,
    build_reference: Option<String>,
}

pub(crate) async fn item_in(conn: &mut Conn, id: StockItemId) -> CoreResult<StockItem> {
    let row: Option<ItemRow> = sql::query_as(format!("{ITEM_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(item_from)
        .ok_or_else(|| CoreError::NotFound(format!("Stock item {id} does not exist.")))
}

/// The item of a part at a place in a batch, if there is one.
pub(super) async fn item_at(
    conn: &mut Conn,
    part: PartId,
    location: Option<LocationId>,
    batch: &str,
) -> CoreResult<Option<StockItem>> {
    let row: Option<ItemRow> = sql::query_as(format!(
        "{ITEM_SELECT} WHERE s.part_id = $1 AND s.location_id IS NOT DISTINCT FROM $2 AND s.batch = $3"
    ))
    .bind(part)
    .bind(location)
    .bind(batch)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(item_from))
}

/// Reads an [`ItemRow`].
pub(crate) const ITEM_SELECT: &str =
    "SELECT s.id, s.part_id, s.quantity, s.location_id, l.path, s.batch, s.created_at
       FROM stock_items s LEFT JOIN locations l ON l.id = s.location_id";

/// A stock item as read: id, part, quantity (milli), location and its path,
/// batch, created.
pub(crate) type ItemRow = (
    StockItemId,
    PartId,
    i64,
    Option<LocationId>,
    Option<String>,
    String,
    String,
);

pub(crate) fn item_from(
    (id, part_id, quantity, location_id, path, batch, created_at): ItemRow,
) -> StockItem {
    StockItem {
        id,
        part_id,
        quantity: Quantity::from_milli(quantity),
        location: location_id
            .zip(path)
            .map(|(id, path)| LocationRef { id, path }),
        batch,
        created_at,
    }
}

/// The path of an item's location, "" for none (as history records it).
pub(crate) fn place(item: &StockItem) -> &str {
    item.location.as_ref().map_or("", |l| l.path.as_str())
}
