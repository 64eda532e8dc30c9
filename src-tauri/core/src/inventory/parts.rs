//! Parts, their variants and their stock figures.
//!
//! `parts.own_stock` is the sum of a part's stock items and `parts.total_stock`
//! adds every variant below it; `refresh_totals` keeps both true in the same
//! transaction as the change that moved them.

use super::must_exist;
use crate::triggers::{self, Fired, Flipped};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    CategoryRef, Page, Part, PartId, PartInput, PartQuery, PartRef, PartRow, PartSort, StockFigures,
};
use partwatch_types::Quantity;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The largest page the parts table may ask for.
pub const MAX_PAGE_SIZE: i64 = 500;

struct CleanInput {
    name: String,
    ipn: Option<String>,
    description: String,
    units: String,
}

fn clean(input: &PartInput) -> CoreResult<CleanInput> {
    if input.minimum_stock.milli() < 0 {
        return Err(CoreError::InvalidInput(
            "Minimum stock cannot be negative.".into(),
        ));
    }
    Ok(CleanInput {
        name: validate::required("Part name", &input.name, 200)?,
        ipn: validate::optional("IPN", input.ipn.as_deref(), 100)?,
        description: validate::free_text("Description", &input.description, 2000)?,
        units: validate::free_text("Units", &input.units, 20)?,
    })
}

/// Binds the ten part fields, in the column order `create` and `update` share.
fn bind_fields<'q>(
    query: Query<'q, Sqlite, SqliteArguments<'q>>,
    clean: &'q CleanInput,
    input: &'q PartInput,
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    query
        .bind(&clean.name)
        .bind(&clean.ipn)
        .bind(&clean.description)
        .bind(input.category_id)
        .bind(&clean.units)
        .bind(input.is_template)
        .bind(input.variant_of)
        .bind(input.is_assembly)
        .bind(input.active)
        .bind(input.minimum_stock.milli())
}

pub async fn create(db: &Database, input: &PartInput) -> CoreResult<Part> {
    let clean = clean(input)?;
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, None, input, clean.ipn.as_deref()).await?;
    let insert = sqlx::query(
        "INSERT INTO parts (name, ipn, description, category_id, units, is_template, variant_of,
                            is_assembly, active, minimum_stock)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    let id = bind_fields(insert, &clean, input)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
    // A part created below its minimum starts out low, without an alert: the
    // first alert comes with the first ok -> low transition.
    triggers::settle_alert_state(&mut tx, Some(id)).await?;
    let part = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(part)
}

/// Edits a part: details, category (a move), template/variant links, flags and minimum stock.
pub async fn update(db: &Database, id: PartId, input: &PartInput) -> CoreResult<Part> {
    let clean = clean(input)?;
    let mut tx = db.begin_write().await?;
    let before = row_in(&mut tx, id).await?;
    check_references(&mut tx, Some(id), input, clean.ipn.as_deref()).await?;
    if before.is_template && !input.is_template {
        let variants: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parts WHERE variant_of = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if variants > 0 {
            return Err(CoreError::Conflict(format!(
                "{} has {variants} variant(s); it must stay a template while they exist.",
                before.name
            )));
        }
    }
    if before.is_assembly && !input.is_assembly {
        let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bom_lines WHERE assembly_id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if lines > 0 {
            return Err(CoreError::Conflict(format!(
                "{} has {lines} BOM line(s); remove them before it stops being an assembly.",
                before.name
            )));
        }
    }
    let update = sqlx::query(
        "UPDATE parts SET name = ?, ipn = ?, description = ?, category_id = ?, units = ?,
                          is_template = ?, variant_of = ?, is_assembly = ?, active = ?,
                          minimum_stock = ?
          WHERE id = ?",
    );
    bind_fields(update, &clean, input)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // A new minimum, (de)activation or a new template can each move the
    // low-stock condition: of this part, and of the templates above it.
    let mut affected = vec![id];
    if before.variant_of != input.variant_of {
        // The old template chain lost this part's stock, the new one gained it.
        let roots: Vec<PartId> = before.variant_of.into_iter().chain([id]).collect();
        affected.extend(refresh_totals(&mut tx, &roots).await?);
    }
    let mut fired = Fired::default();
    triggers::evaluate_low_stock(&mut tx, &affected, &mut fired).await?;
    let part = get_in(&mut tx, id).await?;
    tx.commit().await?;
    db.announce_fired(fired);
    Ok(part)
}

/// Deletes a part that nothing refers to; otherwise says what still does.
pub async fn delete(db: &Database, id: PartId) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    let part = row_in(&mut tx, id).await?;
    let (stock, used_in, builds, variants): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM stock_items WHERE part_id = ?1),
                (SELECT COUNT(*) FROM bom_lines WHERE sub_part_id = ?1),
                (SELECT COUNT(*) FROM build_orders WHERE part_id = ?1),
                (SELECT COUNT(*) FROM parts WHERE variant_of = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let mut blockers = Vec::new();
    if stock > 0 {
        blockers.push(format!("{stock} stock item(s)"));
    }
    if used_in > 0 {
        blockers.push(format!("use in {used_in} BOM(s)"));
    }
    if builds > 0 {
        blockers.push(format!("{builds} build order(s)"));
    }
    if variants > 0 {
        blockers.push(format!("{variants} variant(s)"));
    }
    if !blockers.is_empty() {
        return Err(CoreError::Conflict(format!(
            "{} cannot be deleted while it has {}. Deactivate it instead, or remove those first.",
            part.name,
            blockers.join(", ")
        )));
    }
    sqlx::query("DELETE FROM stock_history WHERE part_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM parts WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn check_references(
    conn: &mut SqliteConnection,
    id: Option<PartId>,
    input: &PartInput,
    ipn: Option<&str>,
) -> CoreResult<()> {
    if let Some(category) = input.category_id {
        must_exist(conn, "categories", "Category", category).await?;
    }
    if let Some(ipn) = ipn {
        let taken: Option<String> = sqlx::query_scalar(
            "SELECT name FROM parts WHERE ipn = ? COLLATE NOCASE AND id IS NOT ?",
        )
        .bind(ipn)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(other) = taken {
            return Err(CoreError::Conflict(format!(
                "The IPN {ipn} is already used by {other}."
            )));
        }
    }
    if let Some(template) = input.variant_of {
        if Some(template) == id {
            return Err(CoreError::InvalidInput(
                "A part cannot be a variant of itself.".into(),
            ));
        }
        let row = row_in(conn, template).await?;
        if !row.is_template {
            return Err(CoreError::InvalidInput(format!(
                "{} is not a template part, so it cannot have variants.",
                row.name
            )));
        }
        if let Some(id) = id {
            if template_chain(conn, template).await?.contains(&id) {
                return Err(CoreError::InvalidInput(format!(
                    "{} is itself a variant of this part; that would make a loop.",
                    row.name
                )));
            }
        }
    }
    Ok(())
}

/// The part and every template above it, nearest first.
pub(crate) async fn template_chain(
    conn: &mut SqliteConnection,
    id: PartId,
) -> CoreResult<Vec<PartId>> {
    let chain = sqlx::query_scalar(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT ?, 0
             UNION ALL
             SELECT p.variant_of, up.depth + 1 FROM parts p JOIN up ON p.id = up.id
              WHERE p.variant_of IS NOT NULL AND up.depth < 1000
         ) SELECT id FROM up ORDER BY depth",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(chain)
}

/// Moves the own stock of parts by `deltas` — a JSON array of `[part,
/// delta]` (milli-units, one entry per part): `Json(&[(part, delta)])`, or
/// JSON text a batch computed in SQL — and the totals of those parts and
/// every template above them, and settles their `alert_low` in the same
/// update. A constant number of statements for any number of parts; only the
/// flipped parts come back. Returns the parts whose low-stock state flipped,
/// each before the templates above it, for `triggers::notify_flipped`.
pub(crate) async fn move_stock<'q, D>(
    conn: &mut SqliteConnection,
    deltas: D,
) -> CoreResult<Vec<Flipped>>
where
    D: sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Send + 'q,
{
    clear_stock_moves(conn).await?;
    // `rank` orders each moved part before the templates above it; the
    // old and new alert state are read here, from the figures before the move.
    sqlx::query(
        "INSERT INTO stock_moves (id, own, total, rank, was_low, now_low)
         WITH RECURSIVE up(id, delta, depth, start) AS (
             SELECT value ->> 0, value ->> 1, 0, key FROM json_each(?1)
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
                p.active = 1 AND p.minimum_stock > 0 AND p.total_stock + m.total < p.minimum_stock
           FROM moves m JOIN parts p ON p.id = m.id
          WHERE m.own != 0 OR m.total != 0",
    )
    .bind(deltas)
    .execute(&mut *conn)
    .await?;
    apply_stock_moves(conn).await?;
    // One JSON row, not a row per part: each row crossing sqlx's worker
    // thread costs more than SQLite takes to produce it.
    let Json(flipped): Json<Vec<Flipped>> = sqlx::query_scalar(
        "SELECT json_group_array(json_object(
                    'id', p.id, 'name', p.name, 'ipn', p.ipn, 'units', p.units,
                    'active', json(CASE p.active WHEN 1 THEN 'true' ELSE 'false' END),
                    'minimum_stock', p.minimum_stock, 'total_stock', p.total_stock,
                    'alert_low', json(CASE p.alert_low WHEN 1 THEN 'true' ELSE 'false' END))
                ORDER BY m.rank)
           FROM stock_moves m JOIN parts p ON p.id = m.id
          WHERE m.was_low != m.now_low",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(flipped)
}

/// Recomputes `total_stock` for each of `parts` and every template above
/// them from scratch (after the variant tree itself changed): a part's total
/// is the own stock of its whole variant subtree. Returns the parts whose
/// total changed, each before the templates above it; their alert state is
/// left to `triggers::evaluate_low_stock`.
pub(crate) async fn refresh_totals(
    conn: &mut SqliteConnection,
    parts: &[PartId],
) -> CoreResult<Vec<PartId>> {
    clear_stock_moves(conn).await?;
    sqlx::query(
        "INSERT INTO stock_moves (id, own, total, rank)
         WITH RECURSIVE up(id, depth, start) AS (
             SELECT value, 0, key FROM json_each(?1)
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
          WHERE sums.total != p.total_stock",
    )
    .bind(Json(parts))
    .execute(&mut *conn)
    .await?;
    apply_stock_moves(conn).await?;
    let Json(moved): Json<Vec<PartId>> =
        sqlx::query_scalar("SELECT json_group_array(id ORDER BY rank) FROM stock_moves")
            .fetch_one(&mut *conn)
            .await?;
    Ok(moved)
}

async fn clear_stock_moves(conn: &mut SqliteConnection) -> CoreResult<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS stock_moves (
             id INTEGER PRIMARY KEY, own INTEGER NOT NULL, total INTEGER NOT NULL,
             rank INTEGER NOT NULL, was_low INTEGER, now_low INTEGER)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM stock_moves")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Applies the moves in `stock_moves` (and the new alert state, where one
/// was worked out). A correlated `UPDATE … WHERE id IN` is several times
/// faster in SQLite than `UPDATE … FROM` for a batch of rows.
async fn apply_stock_moves(conn: &mut SqliteConnection) -> CoreResult<()> {
    sqlx::query(
        "UPDATE parts SET (own_stock, total_stock, alert_low) = (
                SELECT parts.own_stock + m.own, parts.total_stock + m.total,
                       COALESCE(m.now_low, parts.alert_low)
                  FROM stock_moves m WHERE m.id = parts.id)
          WHERE id IN (SELECT id FROM stock_moves)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartRecord {
    pub id: i64,
    pub name: String,
    pub ipn: Option<String>,
    pub description: String,
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    pub units: String,
    pub is_template: bool,
    pub variant_of: Option<i64>,
    pub variant_of_name: Option<String>,
    pub is_assembly: bool,
    pub active: bool,
    pub minimum_stock: i64,
    pub total_stock: i64,
}

const RECORD_SELECT: &str = "SELECT p.id, p.name, p.ipn, p.description, p.category_id,
        c.name AS category_name, p.units, p.is_template, p.variant_of, t.name AS variant_of_name,
        p.is_assembly, p.active, p.minimum_stock, p.total_stock
   FROM parts p
   LEFT JOIN categories c ON c.id = p.category_id
   LEFT JOIN parts t ON t.id = p.variant_of";

pub(crate) async fn row_in(conn: &mut SqliteConnection, id: PartId) -> CoreResult<PartRecord> {
    let row: Option<PartRecord> = sqlx::query_as(&format!("{RECORD_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| CoreError::NotFound(format!("Part {id} does not exist.")))
}

/// What open build orders need of this part: Σ line quantity × build quantity.
pub(crate) async fn reserved(conn: &mut SqliteConnection, id: PartId) -> CoreResult<Quantity> {
    reserved_excluding(conn, id, None).await
}

pub(crate) async fn reserved_excluding(
    conn: &mut SqliteConnection,
    id: PartId,
    except_build: Option<i64>,
) -> CoreResult<Quantity> {
    let milli: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(l.quantity * b.quantity / 1000), 0)
           FROM bom_lines l
           JOIN build_orders b ON b.part_id = l.assembly_id
          WHERE l.sub_part_id = ? AND b.status IN ('pending', 'in_production') AND b.id IS NOT ?",
    )
    .bind(id)
    .bind(except_build)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Quantity::from_milli(milli))
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

/// The spec's low-stock condition: a threshold is set and stock is strictly below it.
pub fn is_low(in_stock_milli: i64, minimum_milli: i64) -> bool {
    minimum_milli > 0 && in_stock_milli < minimum_milli
}

pub async fn get(db: &Database, id: PartId) -> CoreResult<Part> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut SqliteConnection, id: PartId) -> CoreResult<Part> {
    let row = row_in(conn, id).await?;
    let reserved = reserved(conn, id).await?;
    let variants = sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM parts WHERE variant_of = ? ORDER BY name COLLATE NOCASE",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, name)| PartRef { id, name })
    .collect();
    Ok(Part {
        id: row.id,
        name: row.name,
        ipn: row.ipn,
        description: row.description,
        category: row
            .category_id
            .zip(row.category_name)
            .map(|(id, name)| CategoryRef { id, name }),
        units: row.units,
        is_template: row.is_template,
        variant_of: row
            .variant_of
            .zip(row.variant_of_name)
            .map(|(id, name)| PartRef { id, name }),
        is_assembly: row.is_assembly,
        active: row.active,
        figures: figures(row.total_stock, reserved, row.minimum_stock),
        variants,
    })
}

/// One page of the parts table: filtered, searched, sorted.
pub async fn list(db: &Database, query: &PartQuery) -> CoreResult<Page<PartRow>> {
    if query.page < 0 {
        return Err(CoreError::InvalidInput(
            "The page number cannot be negative.".into(),
        ));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&query.page_size) {
        return Err(CoreError::InvalidInput(format!(
            "A page holds between 1 and {MAX_PAGE_SIZE} parts."
        )));
    }
    let search = validate::free_text("Search", &query.search, 200)?;

    let filter = |qb: &mut QueryBuilder<'_, Sqlite>| {
        qb.push(" WHERE 1 = 1");
        if let Some(category) = query.category_id {
            if query.include_subcategories {
                qb.push(" AND p.category_id IN (SELECT descendant_id FROM category_paths WHERE ancestor_id = ")
                    .push_bind(category)
                    .push(")");
            } else {
                qb.push(" AND p.category_id = ").push_bind(category);
            }
        }
        if !search.is_empty() {
            let pattern = format!(
                "%{}%",
                search
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            qb.push(" AND (p.name LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR p.ipn LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR p.description LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
        if query.low_only {
            qb.push(" AND p.minimum_stock > 0 AND p.total_stock < p.minimum_stock");
        }
        if let Some(active) = query.active {
            qb.push(" AND p.active = ").push_bind(active);
        }
        if query.templates_only {
            qb.push(" AND p.is_template = 1");
        }
        if query.assemblies_only {
            qb.push(" AND p.is_assembly = 1");
        }
        if let Some(user) = query.watched_by {
            qb.push(
                " AND (p.id IN (WITH RECURSIVE covered(id) AS (
                        SELECT part_id FROM part_subscriptions WHERE user_id = ",
            )
            .push_bind(user)
            .push(
                " UNION SELECT c.id FROM parts c JOIN covered ON c.variant_of = covered.id)
                     SELECT id FROM covered)
                  OR p.category_id IN (SELECT cp.descendant_id FROM category_subscriptions cs
                        JOIN category_paths cp ON cp.ancestor_id = cs.category_id WHERE cs.user_id = ",
            )
            .push_bind(user)
            .push("))");
        }
    };

    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM parts p");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(db.pool()).await?;

    let mut select = QueryBuilder::<Sqlite>::new(RECORD_SELECT);
    filter(&mut select);
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = match query.sort {
        PartSort::Name => format!("p.name COLLATE NOCASE {direction}"),
        PartSort::Ipn => format!("p.ipn IS NULL, p.ipn COLLATE NOCASE {direction}"),
        PartSort::InStock => format!("p.total_stock {direction}"),
        PartSort::Minimum => format!("p.minimum_stock {direction}"),
        PartSort::Category => format!("c.name IS NULL, c.name COLLATE NOCASE {direction}"),
    };
    select
        .push(format!(" ORDER BY {order}, p.id {direction} LIMIT "))
        .push_bind(query.page_size)
        .push(" OFFSET ")
        .push_bind(query.page * query.page_size);
    let rows: Vec<PartRecord> = select.build_query_as().fetch_all(db.pool()).await?;

    Ok(Page {
        items: rows.into_iter().map(row_to_table).collect(),
        total,
        page: query.page,
        page_size: query.page_size,
    })
}

fn row_to_table(row: PartRecord) -> PartRow {
    PartRow {
        id: row.id,
        name: row.name,
        ipn: row.ipn,
        category: row
            .category_id
            .zip(row.category_name)
            .map(|(id, name)| CategoryRef { id, name }),
        is_template: row.is_template,
        is_assembly: row.is_assembly,
        active: row.active,
        in_stock: Quantity::from_milli(row.total_stock),
        minimum_stock: Quantity::from_milli(row.minimum_stock),
        is_low: is_low(row.total_stock, row.minimum_stock),
        units: row.units,
    }
}
