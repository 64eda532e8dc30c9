//! Writing many rows at once: ids chosen before the insert (so rows can
//! refer to each other), and one `INSERT … SELECT` over a JSON array per
//! few thousand rows instead of a statement per row.

use crate::sql::{self, Conn};
use crate::CoreResult;
use partwatch_types::inventory::{CategoryId, LocationId, PartId, StockChangeKind, UserId};
use serde::Serialize;
use sqlx::types::Json;

/// Rows per statement.
const CHUNK: usize = 5_000;

/// `n` ids for new rows of `table`, not used by anyone else: on SQLite the
/// writer holds the database, so the ones after the largest; on PostgreSQL
/// the table's own sequence hands them out.
pub(super) async fn reserve_ids(
    conn: &mut Conn,
    table: &'static str,
    n: usize,
) -> CoreResult<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    if conn.is_postgres() {
        return Ok(sql::query_scalar(format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        ))
        .bind(count)
        .fetch_all(&mut *conn)
        .await?);
    }
    let largest: i64 = sql::query_scalar(format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
        .fetch_one(&mut *conn)
        .await?;
    Ok((largest + 1..=largest + count).collect())
}

/// A checked part, with its id.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NewPart {
    pub id: PartId,
    pub name: String,
    pub ipn: Option<String>,
    pub description: String,
    pub category_id: Option<CategoryId>,
    pub units: String,
    pub is_template: bool,
    pub variant_of: Option<PartId>,
    pub is_assembly: bool,
    pub active: bool,
    pub minimum_stock: i64,
    pub alert_low: bool,
}

/// Inserts parts (templates before their variants), telling `tell` the
/// rows done (counting from `done`) after each statement.
pub(super) async fn insert_parts(
    conn: &mut Conn,
    parts: &[&NewPart],
    done: u64,
    tell: &mut (impl FnMut(u64) + Send),
) -> CoreResult<()> {
    for (n, chunk) in parts.chunks(CHUNK).enumerate() {
        sql::query(sql::Sql::dialects(
            "INSERT INTO parts (id, name, ipn, description, category_id, units, is_template,
                                variant_of, is_assembly, active, minimum_stock, alert_low,
                                alert_out)
             SELECT value ->> '$.id', value ->> '$.name', value ->> '$.ipn',
                    value ->> '$.description', value ->> '$.category_id', value ->> '$.units',
                    value ->> '$.is_template', value ->> '$.variant_of',
                    value ->> '$.is_assembly', value ->> '$.active', value ->> '$.minimum_stock',
                    value ->> '$.alert_low', value ->> '$.alert_low'
               FROM json_each($1) ORDER BY key",
            "INSERT INTO parts (id, name, ipn, description, category_id, units, is_template,
                                variant_of, is_assembly, active, minimum_stock, alert_low,
                                alert_out)
             SELECT CAST(value ->> 'id' AS BIGINT), value ->> 'name', value ->> 'ipn',
                    value ->> 'description', CAST(value ->> 'category_id' AS BIGINT),
                    value ->> 'units', CAST(value ->> 'is_template' AS BOOLEAN),
                    CAST(value ->> 'variant_of' AS BIGINT), CAST(value ->> 'is_assembly' AS BOOLEAN),
                    CAST(value ->> 'active' AS BOOLEAN), CAST(value ->> 'minimum_stock' AS BIGINT),
                    CAST(value ->> 'alert_low' AS BOOLEAN), CAST(value ->> 'alert_low' AS BOOLEAN)
               FROM jsonb_array_elements($1) WITH ORDINALITY AS j(value, ord) ORDER BY ord",
        ))
        .bind(Json(chunk))
        .execute(&mut *conn)
        .await?;
        tell(done + (n * CHUNK + chunk.len()) as u64);
    }
    Ok(())
}

/// Inserts stock items: (id, part, quantity in thousandths, location, batch).
pub(super) async fn insert_stock_items(
    conn: &mut Conn,
    items: &[(i64, PartId, i64, Option<LocationId>, String)],
) -> CoreResult<()> {
    for chunk in items.chunks(CHUNK) {
        sql::query(sql::Sql::dialects(
            "INSERT INTO stock_items (id, part_id, quantity, location_id, batch)
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
               FROM json_each($1)",
            "INSERT INTO stock_items (id, part_id, quantity, location_id, batch)
             SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT),
                    CAST(value ->> 2 AS BIGINT), CAST(value ->> 3 AS BIGINT), value ->> 4
               FROM jsonb_array_elements($1)",
        ))
        .bind(Json(chunk))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A line of stock history for an imported item.
#[derive(Debug, Clone, Serialize)]
pub(super) struct HistoryLine {
    pub part: PartId,
    pub item: i64,
    pub user: Option<UserId>,
    pub kind: StockChangeKind,
    pub delta: i64,
    pub after: i64,
    pub reason: String,
    pub location: String,
}

pub(super) async fn insert_history(conn: &mut Conn, lines: &[HistoryLine]) -> CoreResult<()> {
    for chunk in lines.chunks(CHUNK) {
        sql::query(sql::Sql::dialects(
            "INSERT INTO stock_history
                 (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location)
             SELECT value ->> '$.part', value ->> '$.item', value ->> '$.user',
                    value ->> '$.kind', value ->> '$.delta', value ->> '$.after',
                    value ->> '$.reason', value ->> '$.location'
               FROM json_each($1) ORDER BY key",
            "INSERT INTO stock_history
                 (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location)
             SELECT CAST(value ->> 'part' AS BIGINT), CAST(value ->> 'item' AS BIGINT),
                    CAST(value ->> 'user' AS BIGINT), value ->> 'kind',
                    CAST(value ->> 'delta' AS BIGINT), CAST(value ->> 'after' AS BIGINT),
                    value ->> 'reason', value ->> 'location'
               FROM jsonb_array_elements($1) WITH ORDINALITY AS j(value, ord) ORDER BY ord",
        ))
        .bind(Json(chunk))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets the stock figures of parts this import made: (part, own, total,
/// alert_low; `alert_out` follows from them). Staged in a keyed temporary table on SQLite, whose planner
/// would otherwise read the JSON once per part.
pub(super) async fn set_figures(
    conn: &mut Conn,
    rows: &[(PartId, i64, i64, bool)],
) -> CoreResult<()> {
    let postgres = conn.is_postgres();
    for chunk in rows.chunks(CHUNK) {
        if postgres {
            sql::query(
                "UPDATE parts SET own_stock = j.own, total_stock = j.total, alert_low = j.low,
                                  alert_out = j.low AND j.total <= 0
                   FROM (SELECT CAST(value ->> 0 AS BIGINT) AS id, CAST(value ->> 1 AS BIGINT) AS own,
                                CAST(value ->> 2 AS BIGINT) AS total, CAST(value ->> 3 AS BOOLEAN) AS low
                           FROM jsonb_array_elements($1)) AS j
                  WHERE parts.id = j.id",
            )
            .bind(Json(chunk))
            .execute(&mut *conn)
            .await?;
            continue;
        }
        sql::query(
            "CREATE TEMP TABLE IF NOT EXISTS import_figures (
                 id INTEGER PRIMARY KEY, own INTEGER NOT NULL, total INTEGER NOT NULL,
                 low INTEGER NOT NULL)",
        )
        .execute(&mut *conn)
        .await?;
        sql::query("DELETE FROM import_figures")
            .execute(&mut *conn)
            .await?;
        sql::query(
            "INSERT INTO import_figures (id, own, total, low)
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each($1)",
        )
        .bind(Json(chunk))
        .execute(&mut *conn)
        .await?;
        sql::query(
            "UPDATE parts SET own_stock = f.own, total_stock = f.total, alert_low = f.low,
                              alert_out = f.low AND f.total <= 0
               FROM import_figures f WHERE parts.id = f.id",
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
