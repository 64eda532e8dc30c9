//! Reads of stock: a part's items, its history, one item, and the mapping of
//! an item row.

use crate::inventory::must_exist;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    PartId, StockChangeKind, StockHistoryEntry, StockHistoryRequest, StockItem, StockItemId,
};
use partwatch_types::Quantity;
use sqlx::SqliteConnection;

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
    request: &StockHistoryRequest,
) -> CoreResult<Vec<StockHistoryEntry>> {
    let (part_id, limit) = (request.part_id, request.limit);
    let mut conn = db.pool().acquire().await?;
    must_exist(&mut conn, "parts", "Part", part_id).await?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, PartId, Option<StockItemId>, Option<String>, StockChangeKind, i64, i64, String, String)> = sqlx::query_as(
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
                    kind,
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

pub(super) async fn item_in(conn: &mut SqliteConnection, id: StockItemId) -> CoreResult<StockItem> {
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
pub(super) type ItemRow = (StockItemId, PartId, i64, String, String);

pub(super) fn item_from((id, part_id, quantity, location, batch): ItemRow) -> StockItem {
    StockItem {
        id,
        part_id,
        quantity: Quantity::from_milli(quantity),
        location,
        batch,
    }
}
