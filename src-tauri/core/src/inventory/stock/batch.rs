//! The set-based batch: `adjust_many` applies many adjustments in one
//! transaction, a constant number of statements for a batch of distinct items.

use super::read::{item_from, ItemRow};
use super::{adjust_in, non_negative, positive};
use crate::inventory::{parts, users};
use crate::sql;
use crate::triggers;
use crate::WriteTx;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{PartId, StockAdjustment, StockItem, StockItemId};
use partwatch_types::Quantity;
use sqlx::types::Json;
use std::sync::LazyLock;

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
    let mut distinct: Vec<StockItemId> = adjustments.iter().map(|(id, _)| *id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let items = if distinct.len() < adjustments.len() {
        let mut items = Vec::with_capacity(adjustments.len());
        for &(item_id, adjustment) in adjustments {
            items.push(adjust_in(&mut tx, item_id, adjustment, &reason).await?);
        }
        items
    } else {
        adjust_set(&mut tx, adjustments, &reason).await?
    };
    tx.commit().await?;
    Ok(items)
}

/// `adjust_many` for a batch of distinct items (see there).
async fn adjust_set(
    tx: &mut WriteTx,
    adjustments: &[(StockItemId, StockAdjustment)],
    reason: &str,
) -> CoreResult<Vec<StockItem>> {
    let (conn, fired) = tx.split();
    // `new` is worked out unbounded (SQLite: any type; PostgreSQL: NUMERIC),
    // so a count too big to keep is seen and refused, not wrapped or raised.
    sql::query(sql::Sql::dialects(
        "CREATE TEMP TABLE IF NOT EXISTS batch_adjustments (
             seq INTEGER PRIMARY KEY, item_id INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,
             quantity INTEGER NOT NULL, old INTEGER, new, part_id INTEGER,
             location_id INTEGER, path TEXT, batch TEXT, created_at TEXT)",
        "CREATE TEMP TABLE IF NOT EXISTS batch_adjustments (
             seq BIGINT PRIMARY KEY, item_id BIGINT NOT NULL UNIQUE, kind TEXT NOT NULL,
             quantity BIGINT NOT NULL, old BIGINT, new NUMERIC, part_id BIGINT,
             location_id BIGINT, path TEXT, batch TEXT, created_at TEXT) ON COMMIT DELETE ROWS",
    ))
    .execute(&mut *conn)
    .await?;
    sql::query("DELETE FROM batch_adjustments")
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
    sql::query(sql::Sql::dialects(
        "INSERT INTO batch_adjustments
             (seq, item_id, kind, quantity, old, new, part_id, location_id, path, batch, created_at)
         SELECT a.key, a.value ->> 0, a.value ->> 1, a.value ->> 2, s.quantity,
                CASE a.value ->> 1
                    WHEN 'add' THEN s.quantity + (a.value ->> 2)
                    WHEN 'remove' THEN s.quantity - (a.value ->> 2)
                    ELSE a.value ->> 2 END,
                s.part_id, s.location_id, l.path, s.batch, s.created_at
           FROM json_each($1) a LEFT JOIN stock_items s ON s.id = a.value ->> 0
           LEFT JOIN locations l ON l.id = s.location_id",
        "INSERT INTO batch_adjustments
             (seq, item_id, kind, quantity, old, new, part_id, location_id, path, batch, created_at)
         SELECT a.ord - 1, a.item, a.kind, a.quantity, s.quantity,
                CASE a.kind
                    WHEN 'add' THEN s.quantity + CAST(a.quantity AS NUMERIC)
                    WHEN 'remove' THEN s.quantity - CAST(a.quantity AS NUMERIC)
                    ELSE a.quantity END,
                s.part_id, s.location_id, l.path, s.batch, s.created_at
           FROM (SELECT ord, CAST(value ->> 0 AS BIGINT) AS item, value ->> 1 AS kind,
                        CAST(value ->> 2 AS BIGINT) AS quantity
                   FROM jsonb_array_elements($1) WITH ORDINALITY AS j(value, ord)) a
           LEFT JOIN stock_items s ON s.id = a.item
           LEFT JOIN locations l ON l.id = s.location_id",
    ))
    .bind(Json(batch))
    .execute(&mut *conn)
    .await?;
    conn.analyze_staged("batch_adjustments").await?;
    // SQLite turns an integer overflow into a float: that is a count too big
    // to keep (on PostgreSQL, a NUMERIC beyond BIGINT).
    let problem: Option<(i64, Option<i64>, i64, bool)> = sql::query_as(sql::Sql::dialects(
        "SELECT item_id, old, quantity, typeof(new) = 'integer' FROM batch_adjustments
          WHERE old IS NULL OR typeof(new) != 'integer' OR new < 0 ORDER BY seq LIMIT 1",
        "SELECT item_id, old, quantity, COALESCE(new <= 9223372036854775807, FALSE)
           FROM batch_adjustments
          WHERE old IS NULL OR new > 9223372036854775807 OR new < 0 ORDER BY seq LIMIT 1",
    ))
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
    sql::query(
        "INSERT INTO stock_history
             (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location)
         SELECT part_id, item_id, $1, kind, new - old, new, $2, COALESCE(path, '')
           FROM batch_adjustments ORDER BY seq",
    )
    .bind(user)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    sql::query(
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
    static DELTAS: LazyLock<[String; 2]> = LazyLock::new(|| {
        let rows = sql::json_rows("part_id, delta", "first");
        let statement = |rows: &str| {
            format!(
                "SELECT {rows}
                   FROM (SELECT part_id, SUM(new - old) AS delta, MIN(seq) AS first
                           FROM batch_adjustments GROUP BY part_id HAVING SUM(new - old) != 0) d"
            )
        };
        [statement(&rows[0]), statement(&rows[1])]
    });
    let Json(deltas): Json<Vec<(PartId, i64)>> =
        sql::query_scalar(sql::Sql::dialects(&DELTAS[0], &DELTAS[1]))
            .fetch_one(&mut *conn)
            .await?;
    let flipped = parts::move_stock(conn, &deltas).await?;
    triggers::notify_flipped(conn, flipped, fired).await?;
    static ITEMS: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::json_rows(
            "item_id, part_id, new, location_id, path, batch, created_at",
            "seq",
        )
        .map(|rows| format!("SELECT {rows} FROM batch_adjustments"))
    });
    let Json(items): Json<Vec<ItemRow>> =
        sql::query_scalar(sql::Sql::dialects(&ITEMS[0], &ITEMS[1]))
            .fetch_one(&mut *conn)
            .await?;
    Ok(items.into_iter().map(item_from).collect())
}
