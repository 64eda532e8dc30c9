//! Parts, their variants and their stock figures.
//!
//! `parts.own_stock` is the sum of a part's stock items and `parts.total_stock`
//! adds every variant below it; `refresh_totals` keeps both true in the same
//! transaction as the change that moved them.
//!
//! Part CRUD and the shared part record live here; the totals engine is in
//! `totals`, the parts-table query in `query`.

mod query;
mod totals;

pub use query::{list, MAX_PAGE_SIZE};
pub(crate) use totals::{
    figures, move_stock, refresh_totals, should_alert_out_sql, should_alert_sql, MAX_STOCK_MILLI,
};
pub use totals::{is_low, is_out};

use super::must_exist;
use crate::sql::{self, Conn};
use crate::triggers;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    CategoryId, CategoryRef, Part, PartId, PartInput, PartRef, UpdatePart,
};
use partwatch_types::Quantity;

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
    if !input.minimum_stock.is_typable() {
        return Err(
            CoreError::InvalidInput("That minimum stock is too large.".into())
                .on_field("Minimum stock"),
        );
    }
    Ok(CleanInput {
        name: validate::required("Part name", &input.name, 200)?,
        ipn: validate::optional("IPN", input.ipn.as_deref(), 100)?,
        description: validate::free_text("Description", &input.description, 2000)?,
        units: validate::line("Units", &input.units, 20)?,
    })
}

/// Binds the ten part fields, in the column order `create` and `update` share.
fn bind_fields<'q, Q: sql::Bind<'q>>(query: Q, clean: &'q CleanInput, input: &'q PartInput) -> Q {
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
    let insert = sql::query_scalar::<i64>(
        "INSERT INTO parts (name, ipn, description, category_id, units, is_template, variant_of,
                            is_assembly, active, minimum_stock)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    );
    let id = PartId(
        bind_fields(insert, &clean, input)
            .fetch_one(&mut *tx)
            .await?,
    );
    // A part created below its minimum starts out low, without an alert: the
    // first alert comes with the first ok -> low transition.
    triggers::settle_alert_state(&mut tx, Some(id)).await?;
    let part = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(part)
}

/// Edits a part: details, category (a move), template/variant links, flags and minimum stock.
pub async fn update(db: &Database, request: &UpdatePart) -> CoreResult<Part> {
    let (id, input) = (request.id, &request.input);
    let clean = clean(input)?;
    let mut tx = db.begin_write().await?;
    let before = row_in(&mut tx, id).await?;
    check_references(&mut tx, Some(id), input, clean.ipn.as_deref()).await?;
    if before.is_template && !input.is_template {
        let variants: i64 = sql::query_scalar("SELECT COUNT(*) FROM parts WHERE variant_of = $1")
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
        let lines: i64 = sql::query_scalar("SELECT COUNT(*) FROM bom_lines WHERE assembly_id = $1")
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
    let update = sql::query(
        "UPDATE parts SET name = $1, ipn = $2, description = $3, category_id = $4, units = $5,
                          is_template = $6, variant_of = $7, is_assembly = $8, active = $9,
                          minimum_stock = $10
          WHERE id = $11",
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
    let (conn, fired) = tx.split();
    triggers::evaluate_low_stock(conn, &affected, fired).await?;
    let part = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(part)
}

/// Deletes a part that nothing refers to; otherwise says what still does.
pub async fn delete(db: &Database, id: PartId) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    let part = row_in(&mut tx, id).await?;
    let (stock, used_in, builds, variants): (i64, i64, i64, i64) = sql::query_as(
        "SELECT (SELECT COUNT(*) FROM stock_items WHERE part_id = $1),
                (SELECT COUNT(*) FROM bom_lines WHERE sub_part_id = $1),
                (SELECT COUNT(*) FROM build_orders WHERE part_id = $1),
                (SELECT COUNT(*) FROM parts WHERE variant_of = $1)",
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
    sql::query("DELETE FROM stock_history WHERE part_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sql::query("DELETE FROM parts WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn check_references(
    conn: &mut Conn,
    id: Option<PartId>,
    input: &PartInput,
    ipn: Option<&str>,
) -> CoreResult<()> {
    if let Some(category) = input.category_id {
        must_exist(conn, "categories", "Category", category).await?;
    }
    if let Some(ipn) = ipn {
        let taken: Option<String> = sql::query_scalar(
            "SELECT name FROM parts WHERE ipn = $1 COLLATE NOCASE AND id IS DISTINCT FROM $2",
        )
        .bind(ipn)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(other) = taken {
            return Err(
                CoreError::Conflict(format!("The IPN {ipn} is already used by {other}."))
                    .on_field("IPN"),
            );
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
pub(crate) async fn template_chain(conn: &mut Conn, id: PartId) -> CoreResult<Vec<PartId>> {
    let chain = sql::query_scalar(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT $1, CAST(0 AS BIGINT)
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

#[derive(sqlx::FromRow)]
pub(crate) struct PartRecord {
    pub id: PartId,
    pub name: String,
    pub ipn: Option<String>,
    pub description: String,
    pub category_id: Option<CategoryId>,
    pub category_name: Option<String>,
    pub units: String,
    pub is_template: bool,
    pub variant_of: Option<PartId>,
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

pub(crate) async fn row_in(conn: &mut Conn, id: PartId) -> CoreResult<PartRecord> {
    let row: Option<PartRecord> = sql::query_as(format!("{RECORD_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| CoreError::NotFound(format!("Part {id} does not exist.")))
}

/// What open build orders still need of this part: Σ line quantity × what
/// is left to build of each order.
pub(crate) async fn reserved(conn: &mut Conn, id: PartId) -> CoreResult<Quantity> {
    reserved_excluding(conn, id, None).await
}

pub(crate) async fn reserved_excluding(
    conn: &mut Conn,
    id: PartId,
    except_build: Option<i64>,
) -> CoreResult<Quantity> {
    let milli: i64 = sql::query_scalar(format!(
        "SELECT {}",
        super::builds::reserved_sql("$1", "$2")
    ))
    .bind(id)
    .bind(except_build)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Quantity::from_milli(milli))
}

pub async fn get(db: &Database, id: PartId) -> CoreResult<Part> {
    let mut conn = db.connection().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut Conn, id: PartId) -> CoreResult<Part> {
    let row = row_in(conn, id).await?;
    let reserved = reserved(conn, id).await?;
    let variants = sql::query_as::<(PartId, String)>(
        "SELECT id, name FROM parts WHERE variant_of = $1 ORDER BY name COLLATE NOCASE",
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
