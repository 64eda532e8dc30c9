//! Build orders: making assemblies. Creating one checks each direct BOM line
//! against what is available (stock less what other open orders reserve).

use super::{parts, users};
use crate::triggers;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    BuildOrder, BuildOrderId, BuildStatus, CreatedBuildOrder, NewBuildOrder, PartId, PartRef,
    SetBuildStatus, ShortLine, UserId, UserRef,
};
use partwatch_types::Quantity;
use sqlx::types::Json;
use sqlx::SqliteConnection;

/// The next free reference of the form BO-0001.
pub async fn suggest_reference(db: &Database) -> CoreResult<String> {
    let mut conn = db.pool().acquire().await?;
    next_reference(&mut conn).await
}

async fn next_reference(conn: &mut SqliteConnection) -> CoreResult<String> {
    let highest: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(CAST(substr(reference, 4) AS INTEGER)) FROM build_orders
          WHERE reference LIKE 'BO-%' AND substr(reference, 4) GLOB '[0-9]*'",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!("BO-{:04}", highest.unwrap_or(0) + 1))
}

/// Creates a build order and reports the BOM lines that cannot be covered.
/// The current user is recorded as its creator.
pub async fn create(db: &Database, input: &NewBuildOrder) -> CoreResult<CreatedBuildOrder> {
    if input.quantity.milli() <= 0 {
        return Err(CoreError::InvalidInput(
            "The build quantity must be more than zero.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let reference = match validate::optional("Reference", Some(&input.reference), 50)? {
        Some(reference) => reference,
        None => next_reference(&mut tx).await?,
    };
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM build_orders WHERE reference = ? COLLATE NOCASE")
            .bind(&reference)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(CoreError::Conflict(format!(
            "There is already a build order {reference}."
        )));
    }
    let part = parts::row_in(&mut tx, input.part_id).await?;
    if !part.is_assembly {
        return Err(CoreError::InvalidInput(format!(
            "{} is not an assembly, so it cannot be built.",
            part.name
        )));
    }
    if !part.active {
        return Err(CoreError::InvalidInput(format!(
            "{} is inactive; activate it before building it.",
            part.name
        )));
    }
    if let Some(responsible) = input.responsible_id {
        let user = users::get_in(&mut tx, responsible).await?;
        if !user.active {
            return Err(CoreError::InvalidInput(format!(
                "{} is deactivated and cannot be responsible for a build.",
                user.name
            )));
        }
    }
    let created_by = users::current_id(&mut tx).await?;
    let id = BuildOrderId(
        sqlx::query(
            "INSERT INTO build_orders (reference, part_id, quantity, responsible_id, created_by)
         VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&reference)
        .bind(input.part_id)
        .bind(input.quantity.milli())
        .bind(input.responsible_id)
        .bind(created_by)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid(),
    );
    let short_lines = shortages(&mut tx, id).await?;
    let (conn, fired) = tx.split();
    triggers::build_created(conn, id, &short_lines, fired).await?;
    let order = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(CreatedBuildOrder { order, short_lines })
}

/// The direct BOM lines of an order's assembly that its stock cannot cover:
/// required = line quantity × build quantity; available = stock (with variants
/// when the line allows them) less what *other* open orders reserve.
/// A BOM line as the shortage check reads it: sub-part, its name, quantity
/// per assembly, stock, and what other open orders reserve (milli-units).
type LineFigures = (PartId, String, i64, i64, i64);

pub(crate) async fn shortages(
    conn: &mut SqliteConnection,
    build: BuildOrderId,
) -> CoreResult<Vec<ShortLine>> {
    let (assembly, quantity): (PartId, i64) =
        sqlx::query_as("SELECT part_id, quantity FROM build_orders WHERE id = ?")
            .bind(build)
            .fetch_one(&mut *conn)
            .await?;
    let quantity = Quantity::from_milli(quantity);
    // One pass over the BOM: each line with its stock and what other open
    // orders reserve, as one JSON row (a row per line through sqlx's worker
    // thread would cost more than the query).
    let Json(lines): Json<Vec<LineFigures>> = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, name, per_unit, in_stock, reserved)
                                 ORDER BY name COLLATE NOCASE)
           FROM (SELECT l.sub_part_id AS id, p.name AS name, l.quantity AS per_unit,
                        CASE WHEN l.allow_variants THEN p.total_stock ELSE p.own_stock END AS in_stock,
                        COALESCE((SELECT SUM(o.quantity * b.quantity / 1000)
                                    FROM bom_lines o
                                    JOIN build_orders b ON b.part_id = o.assembly_id
                                   WHERE o.sub_part_id = l.sub_part_id AND b.id != ?2
                                     AND b.status IN ('pending', 'in_production')), 0) AS reserved
                   FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id
                  WHERE l.assembly_id = ?1)",
    )
    .bind(assembly)
    .bind(build)
    .fetch_one(&mut *conn)
    .await?;
    let mut short = Vec::new();
    for (id, name, per_unit, in_stock, reserved) in lines {
        let available =
            Quantity::from_milli(in_stock).saturating_sub(Quantity::from_milli(reserved));
        let required = Quantity::from_milli(per_unit)
            .checked_mul(quantity)
            .ok_or_else(|| {
                CoreError::InvalidInput("That build quantity is too large to plan.".into())
            })?;
        if available < required {
            short.push(ShortLine {
                part: PartRef { id, name },
                required,
                available,
            });
        }
    }
    Ok(short)
}

/// Moves an order along pending → in production → complete (or to cancelled).
pub async fn set_status(db: &Database, request: &SetBuildStatus) -> CoreResult<BuildOrder> {
    let (id, next) = (request.id, request.status);
    let mut tx = db.begin_write().await?;
    let order = get_in(&mut tx, id).await?;
    if !order.status.can_become(next) {
        return Err(CoreError::InvalidInput(format!(
            "{} is {}; it cannot become {}.",
            order.reference,
            order.status.label().to_lowercase(),
            next.label().to_lowercase()
        )));
    }
    sqlx::query("UPDATE build_orders SET status = ? WHERE id = ?")
        .bind(next)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let order = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(order)
}

/// All build orders, newest first; with `status`, only those in it.
pub async fn list(db: &Database, status: Option<BuildStatus>) -> CoreResult<Vec<BuildOrder>> {
    let rows: Vec<OrderRow> = sqlx::query_as(&format!(
        "{ORDER_SELECT} WHERE ?1 IS NULL OR b.status = ?1 ORDER BY b.id DESC"
    ))
    .bind(status)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(BuildOrder::from).collect())
}

pub async fn get(db: &Database, id: BuildOrderId) -> CoreResult<BuildOrder> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, id).await
}

async fn get_in(conn: &mut SqliteConnection, id: BuildOrderId) -> CoreResult<BuildOrder> {
    let row: Option<OrderRow> = sqlx::query_as(&format!("{ORDER_SELECT} WHERE b.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(BuildOrder::from)
        .ok_or_else(|| CoreError::NotFound(format!("Build order {id} does not exist.")))
}

const ORDER_SELECT: &str = "SELECT b.id, b.reference, b.part_id, p.name AS part_name, b.quantity,
        b.status, b.responsible_id, r.name AS responsible_name, b.created_by,
        c.name AS created_by_name, b.created_at
   FROM build_orders b
   JOIN parts p ON p.id = b.part_id
   LEFT JOIN users r ON r.id = b.responsible_id
   LEFT JOIN users c ON c.id = b.created_by";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: BuildOrderId,
    reference: String,
    part_id: PartId,
    part_name: String,
    quantity: i64,
    status: BuildStatus,
    responsible_id: Option<UserId>,
    responsible_name: Option<String>,
    created_by: Option<UserId>,
    created_by_name: Option<String>,
    created_at: String,
}

impl From<OrderRow> for BuildOrder {
    fn from(row: OrderRow) -> Self {
        BuildOrder {
            id: row.id,
            reference: row.reference,
            part: PartRef {
                id: row.part_id,
                name: row.part_name,
            },
            quantity: Quantity::from_milli(row.quantity),
            status: row.status,
            responsible: row
                .responsible_id
                .zip(row.responsible_name)
                .map(|(id, name)| UserRef { id, name }),
            created_by: row
                .created_by
                .zip(row.created_by_name)
                .map(|(id, name)| UserRef { id, name }),
            created_at: row.created_at,
        }
    }
}
