//! The stock-totals engine: `move_stock` and `refresh_totals` move
//! `own_stock`, `total_stock` (and `alert_low`) of parts and every template
//! above them in a constant number of statements, staged in the `stock_moves`
//! temp table; plus the stock figures and low-stock condition derived from them.

use crate::sql::{self, Conn};
use crate::triggers::Flipped;
use crate::{CoreError, CoreResult};
use partwatch_types::inventory::{PartId, StockFigures};
use partwatch_types::Quantity;
use sqlx::types::Json;

use std::sync::LazyLock;

/// Stages the moves of `$1` (a JSON array of `[part, delta]`) with every
/// template above each part. `rank` orders each moved part before the
/// templates above it; the old and new alert state are read here, from the
/// figures before the move.
static RECORD_MOVES: LazyLock<[String; 2]> = LazyLock::new(|| {
    let low = low_sql("p.total_stock + m.total", "p.minimum_stock");
    let out = out_sql("p.total_stock + m.total", "p.minimum_stock");
    let statement = |deltas: &str| {
        format!(
            "INSERT INTO stock_moves (id, own, total, rank, was_low, now_low, was_out, now_out)
         WITH RECURSIVE up(id, delta, depth, start) AS (
             {deltas}
             UNION ALL
             SELECT p.variant_of, up.delta, up.depth + 1, up.start FROM up JOIN parts p ON p.id = up.id
              WHERE p.variant_of IS NOT NULL AND up.depth < 1000
         ),
         moves(id, own, total, rank) AS (
             SELECT id, SUM(CASE WHEN depth = 0 THEN delta ELSE 0 END), SUM(delta),
                    MIN(start * 1001 + depth)
               FROM up GROUP BY id
         )
         SELECT m.id, m.own, m.total, m.rank, p.alert_low,
                p.active = TRUE AND {low}, p.alert_out, p.active = TRUE AND {out}
           FROM moves m JOIN parts p ON p.id = m.id
          WHERE m.own != 0 OR m.total != 0"
        )
    };
    [
        statement("SELECT value ->> 0, value ->> 1, 0, key FROM json_each($1)"),
        // PostgreSQL reads the deltas staged (and analysed) in `stock_deltas`:
        // straight from the JSON, its planner guesses a hundred of them and
        // joins every part by reading them all.
        statement("SELECT id, delta, 0, start FROM stock_deltas"),
    ]
});

/// PostgreSQL: stages `deltas` in `stock_deltas` with figures for the planner.
async fn stage_deltas(conn: &mut Conn, deltas: &[(PartId, i64)]) -> CoreResult<()> {
    sql::query(
        "CREATE TEMP TABLE IF NOT EXISTS stock_deltas (
             id BIGINT NOT NULL, delta BIGINT NOT NULL, start BIGINT NOT NULL)
         ON COMMIT DELETE ROWS",
    )
    .execute(&mut *conn)
    .await?;
    sql::query("DELETE FROM stock_deltas")
        .execute(&mut *conn)
        .await?;
    sql::query(
        "INSERT INTO stock_deltas (id, delta, start)
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), ord - 1
           FROM jsonb_array_elements($1) WITH ORDINALITY AS j(value, ord)",
    )
    .bind(Json(deltas))
    .execute(&mut *conn)
    .await?;
    conn.analyze_staged("stock_deltas").await?;
    Ok(())
}

/// Moves the own stock of parts by `deltas` — a JSON array of `[part,
/// delta]` (milli-units, one entry per part): `Json(&[(part, delta)])`, or
/// JSON text a batch computed in SQL — and the totals of those parts and
/// every template above them, and settles their `alert_low` in the same
/// update. A constant number of statements for any number of parts; only the
/// flipped parts come back. Returns the parts whose low-stock state flipped,
/// each before the templates above it, for `triggers::notify_flipped`.
pub(crate) async fn move_stock(
    conn: &mut Conn,
    deltas: &[(PartId, i64)],
) -> CoreResult<Vec<Flipped>> {
    clear_stock_moves(conn).await?;
    if conn.is_postgres() {
        stage_deltas(conn, deltas).await?;
        sql::query(&RECORD_MOVES[1]).execute(&mut *conn).await?;
    } else {
        sql::query(&RECORD_MOVES[0])
            .bind(Json(deltas))
            .execute(&mut *conn)
            .await?;
    }
    conn.analyze_staged("stock_moves").await?;
    refuse_uncountable_stock(conn).await?;
    apply_stock_moves(conn).await?;
    // One JSON row, not a row per part: each row crossing sqlx's worker
    // thread costs more than SQLite takes to produce it.
    let Json(flipped): Json<Vec<Flipped>> = sql::query_scalar(sql::Sql::dialects(
        "SELECT json_group_array(json_object(
                    'id', p.id, 'name', p.name, 'ipn', p.ipn, 'units', p.units,
                    'active', json(CASE p.active WHEN 1 THEN 'true' ELSE 'false' END),
                    'minimum_stock', p.minimum_stock, 'total_stock', p.total_stock,
                    'alert_low', json(CASE p.alert_low WHEN 1 THEN 'true' ELSE 'false' END),
                    'alert_out', json(CASE p.alert_out WHEN 1 THEN 'true' ELSE 'false' END),
                    'was_low', json(CASE m.was_low WHEN 1 THEN 'true' ELSE 'false' END),
                    'was_out', json(CASE m.was_out WHEN 1 THEN 'true' ELSE 'false' END))
                ORDER BY m.rank)
           FROM stock_moves m JOIN parts p ON p.id = m.id
          WHERE m.was_low != m.now_low OR m.was_out != m.now_out",
        "SELECT COALESCE(jsonb_agg(jsonb_build_object(
                    'id', p.id, 'name', p.name, 'ipn', p.ipn, 'units', p.units,
                    'active', p.active, 'minimum_stock', p.minimum_stock,
                    'total_stock', p.total_stock, 'alert_low', p.alert_low,
                    'alert_out', p.alert_out, 'was_low', m.was_low, 'was_out', m.was_out)
                ORDER BY m.rank), '[]')
           FROM stock_moves m JOIN parts p ON p.id = m.id
          WHERE m.was_low != m.now_low OR m.was_out != m.now_out",
    ))
    .fetch_one(&mut *conn)
    .await?;
    Ok(flipped)
}

/// The most stock one part (with its variants) may hold, in thousandths: a
/// trillion units, far beyond any store, and far from where SQLite's integer
/// sums would overflow into floating point.
pub const MAX_STOCK_MILLI: i64 = 1_000_000_000_000_000;

/// Refuses a move that would take any part's own or total stock past
/// [`MAX_STOCK_MILLI`] (the caller's transaction then changes nothing).
async fn refuse_uncountable_stock(conn: &mut Conn) -> CoreResult<()> {
    let too_much: Option<String> = sql::query_scalar(
        "SELECT p.name FROM stock_moves m JOIN parts p ON p.id = m.id
          WHERE p.total_stock + m.total > $1 OR p.own_stock + m.own > $1 LIMIT 1",
    )
    .bind(MAX_STOCK_MILLI)
    .fetch_optional(&mut *conn)
    .await?;
    match too_much {
        Some(name) => Err(CoreError::InvalidInput(format!(
            "That would be more stock of {name} than Partwatch can count (at most a trillion)."
        ))),
        None => Ok(()),
    }
}

/// Recomputes `total_stock` for each of `parts` and every template above
/// them from scratch (after the variant tree itself changed): a part's total
/// is the own stock of its whole variant subtree. Returns the parts whose
/// total changed, each before the templates above it; their alert state is
/// left to `triggers::evaluate_low_stock`.
pub(crate) async fn refresh_totals(conn: &mut Conn, parts: &[PartId]) -> CoreResult<Vec<PartId>> {
    clear_stock_moves(conn).await?;
    static REFRESH: LazyLock<[String; 2]> = LazyLock::new(|| {
        let statement = |parts: &str| {
            format!(
                "INSERT INTO stock_moves (id, own, total, rank)
         WITH RECURSIVE up(id, depth, start) AS (
             {parts}
             UNION ALL
             SELECT p.variant_of, up.depth + 1, up.start FROM up JOIN parts p ON p.id = up.id
              WHERE p.variant_of IS NOT NULL AND up.depth < 1000
         ),
         roots(id, rank) AS (SELECT id, MIN(start * 1001 + depth) FROM up GROUP BY id),
         down(root, id, depth) AS (
             SELECT id, id, 0 FROM roots
             UNION ALL
             SELECT down.root, v.id, down.depth + 1 FROM down JOIN parts v ON v.variant_of = down.id
              WHERE down.depth < 1000
         ),
         sums(id, total) AS (
             SELECT down.root, SUM(p.own_stock) FROM down JOIN parts p ON p.id = down.id GROUP BY down.root
         )
         SELECT roots.id, 0, sums.total - p.total_stock, roots.rank
           FROM roots JOIN sums ON sums.id = roots.id JOIN parts p ON p.id = roots.id
          WHERE sums.total != p.total_stock"
            )
        };
        [
            statement("SELECT value, 0, key FROM json_each($1)"),
            statement(
                "SELECT CAST(value AS BIGINT), 0, ord - 1
                   FROM jsonb_array_elements_text($1) WITH ORDINALITY AS j(value, ord)",
            ),
        ]
    });
    sql::query(sql::Sql::dialects(&REFRESH[0], &REFRESH[1]))
        .bind(Json(parts))
        .execute(&mut *conn)
        .await?;
    conn.analyze_staged("stock_moves").await?;
    apply_stock_moves(conn).await?;
    let Json(moved): Json<Vec<PartId>> = sql::query_scalar(sql::Sql::dialects(
        "SELECT json_group_array(id ORDER BY rank) FROM stock_moves",
        "SELECT COALESCE(jsonb_agg(id ORDER BY rank), '[]') FROM stock_moves",
    ))
    .fetch_one(&mut *conn)
    .await?;
    Ok(moved)
}

async fn clear_stock_moves(conn: &mut Conn) -> CoreResult<()> {
    sql::query(sql::Sql::dialects(
        "CREATE TEMP TABLE IF NOT EXISTS stock_moves (
             id INTEGER PRIMARY KEY, own INTEGER NOT NULL, total INTEGER NOT NULL,
             rank INTEGER NOT NULL, was_low INTEGER, now_low INTEGER,
             was_out INTEGER, now_out INTEGER)",
        // Emptied at every commit too: a temporary table is never vacuumed,
        // so deleted rows would pile up for as long as the connection lives.
        "CREATE TEMP TABLE IF NOT EXISTS stock_moves (
             id BIGINT PRIMARY KEY, own BIGINT NOT NULL, total BIGINT NOT NULL,
             rank BIGINT NOT NULL, was_low BOOLEAN, now_low BOOLEAN,
             was_out BOOLEAN, now_out BOOLEAN) ON COMMIT DELETE ROWS",
    ))
    .execute(&mut *conn)
    .await?;
    sql::query("DELETE FROM stock_moves")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Applies the moves in `stock_moves` (and the new alert state, where one
/// was worked out). A correlated `UPDATE … WHERE id IN` is several times
/// faster in SQLite than `UPDATE … FROM` for a batch of rows; PostgreSQL
/// joins with `UPDATE … FROM`.
async fn apply_stock_moves(conn: &mut Conn) -> CoreResult<()> {
    sql::query(sql::Sql::dialects(
        "UPDATE parts SET (own_stock, total_stock, alert_low, alert_out) = (
                SELECT parts.own_stock + m.own, parts.total_stock + m.total,
                       COALESCE(m.now_low, parts.alert_low), COALESCE(m.now_out, parts.alert_out)
                  FROM stock_moves m WHERE m.id = parts.id)
          WHERE id IN (SELECT id FROM stock_moves)",
        "UPDATE parts SET own_stock = parts.own_stock + m.own,
                          total_stock = parts.total_stock + m.total,
                          alert_low = COALESCE(m.now_low, parts.alert_low),
                          alert_out = COALESCE(m.now_out, parts.alert_out)
           FROM stock_moves m WHERE m.id = parts.id",
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn figures(in_stock: i64, reserved: Quantity, minimum: i64) -> StockFigures {
    let in_stock = Quantity::from_milli(in_stock);
    let minimum_stock = Quantity::from_milli(minimum);
    StockFigures {
        in_stock,
        reserved,
        available: in_stock.saturating_sub(reserved),
        minimum_stock,
        is_low: is_low(in_stock.milli(), minimum),
    }
}

/// The spec's low-stock condition: a threshold is set and stock is strictly
/// below it. `low_sql` is the same rule for SQL; a test checks they agree.
pub fn is_low(in_stock_milli: i64, minimum_milli: i64) -> bool {
    minimum_milli > 0 && in_stock_milli < minimum_milli
}

/// `is_low` as an SQL condition over the given stock and minimum expressions.
pub(crate) fn low_sql(in_stock: &str, minimum: &str) -> String {
    format!("({minimum} > 0 AND {in_stock} < {minimum})")
}

/// Out of stock, the critical form of low: a threshold is set and nothing
/// (or less) is left. `out_sql` is the same rule for SQL.
pub fn is_out(in_stock_milli: i64, minimum_milli: i64) -> bool {
    is_low(in_stock_milli, minimum_milli) && in_stock_milli <= 0
}

/// `is_out` as an SQL condition over the given stock and minimum expressions.
pub(crate) fn out_sql(in_stock: &str, minimum: &str) -> String {
    format!("({} AND {in_stock} <= 0)", low_sql(in_stock, minimum))
}

/// Whether a part (columns of `parts`, prefixed with `table`, e.g. `"p."`)
/// belongs in the alert state: active and low. Inactive parts sit at "ok".
pub(crate) fn should_alert_sql(table: &str) -> String {
    format!(
        "({table}active = TRUE AND {})",
        low_sql(
            &format!("{table}total_stock"),
            &format!("{table}minimum_stock")
        )
    )
}

/// Whether a part belongs in the out-of-stock state: active and out.
pub(crate) fn should_alert_out_sql(table: &str) -> String {
    format!(
        "({table}active = TRUE AND {})",
        out_sql(
            &format!("{table}total_stock"),
            &format!("{table}minimum_stock")
        )
    )
}

#[cfg(test)]
mod tests {
    use super::{is_low, is_out, low_sql, out_sql, should_alert_sql};
    use sqlx::sqlite::SqlitePoolOptions;

    /// The SQL and the Rust spelling of "is low" are one rule: SQLite
    /// evaluates `low_sql` to what `is_low` says, on every edge of it.
    #[tokio::test]
    async fn is_low_agrees_in_sql_and_rust() {
        let pool = SqlitePoolOptions::new()
            .connect("sqlite::memory:")
            .await
            .expect("in-memory database");
        let values = [-1_000, 0, 1, 999, 1_000, 1_001, 5_000];
        let sql = format!("SELECT {}, {}", low_sql("$1", "$2"), out_sql("$1", "$2"));
        for stock in values {
            for minimum in values {
                let (low, out): (bool, bool) = sqlx::query_as(&sql)
                    .bind(stock)
                    .bind(minimum)
                    .fetch_one(&pool)
                    .await
                    .expect("evaluates");
                assert_eq!(
                    low,
                    is_low(stock, minimum),
                    "stock {stock}, minimum {minimum}"
                );
                assert_eq!(
                    out,
                    is_out(stock, minimum),
                    "stock {stock}, minimum {minimum}"
                );
                assert!(!out || low, "out is a kind of low");
            }
        }
        assert!(is_out(0, 1_000) && is_out(-1_000, 1_000) && !is_out(1, 1_000));
        assert!(!is_out(0, 0), "no minimum: never out");
        assert_eq!(
            should_alert_sql("p."),
            "(p.active = TRUE AND (p.minimum_stock > 0 AND p.total_stock < p.minimum_stock))"
        );
    }
}
