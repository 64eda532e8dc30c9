//! Build orders: making assemblies. Creating one checks each direct BOM line
//! against what is available (stock less what other open orders reserve).
//! Their `BO-` references are numbered in `reference`.

mod reference;

pub use reference::{suggest_reference, MAX_REFERENCE_DIGITS};

use super::{parts, users};
use crate::sql::{self, Conn};
use crate::triggers;
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    BuildLine, BuildOrder, BuildOrderDetail, BuildOrderId, BuildStatus, CheckBuild,
    CreatedBuildOrder, NewBuildOrder, PartId, PartRef, SetBuildStatus, ShortLine, UserId, UserRef,
};
use partwatch_types::{ErrorCode, Quantity};
use reference::{check_reference, next_reference};
use sqlx::types::Json;
use std::sync::LazyLock;

/// The most one build order may make: a billion units.
pub const MAX_BUILD_QUANTITY: Quantity = Quantity::whole(1_000_000_000);

/// The most one BOM line may need for one build order (line quantity ×
/// build quantity): a billion units. SQL forms that product in thousandths
/// squared (`l.quantity * (b.quantity - b.completed) / 1000`, for reserved stock and the
/// shortage check); an integer overflow there would silently become a float,
/// which no later read of the part or build could decode. Bounded so, each
/// product stays below 10^15 and their sums fit a 64-bit integer for millions
/// of open orders.
pub const MAX_REQUIRED: Quantity = Quantity::whole(1_000_000_000);

/// What one build of `build` assemblies needs of a BOM line of `per_unit`,
/// or `None` when that is more than [`MAX_REQUIRED`].
pub(crate) fn required(per_unit: Quantity, build: Quantity) -> Option<Quantity> {
    per_unit
        .checked_mul(build)
        .filter(|required| *required <= MAX_REQUIRED)
}

/// What open build orders still need of a sub-part, as an SQL expression in
/// thousandths: Σ line quantity × what is left to build of each open order
/// using it, except the order `except` names (an SQL parameter, `NULL` for
/// none). The one definition of "reserved" (part figures, BOM lines and the
/// shortage check all use it).
pub(crate) fn reserved_sql(sub_part: &str, except: &str) -> String {
    format!(
        "COALESCE((SELECT CAST(SUM(o.quantity * (b.quantity - b.completed) / 1000) AS BIGINT)
                     FROM bom_lines o JOIN build_orders b ON b.part_id = o.assembly_id
                    WHERE o.sub_part_id = {sub_part} AND b.id IS DISTINCT FROM {except}
                      AND b.status IN ('pending', 'in_production')), 0)"
    )
}

/// A bound for a message, with thousands separators: "1,000,000,000".
pub(crate) fn readable(quantity: Quantity) -> String {
    let text = quantity.to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Refuses a quantity that is not more than zero (saying `not_positive`)
/// or is more than `max` ("`what` can be at most …").
pub(crate) fn positive_up_to(
    quantity: Quantity,
    max: Quantity,
    not_positive: &str,
    what: &str,
) -> CoreResult<()> {
    if quantity.milli() <= 0 {
        return Err(CoreError::InvalidInput(not_positive.into()));
    }
    if quantity > max {
        return Err(CoreError::InvalidInput(format!(
            "{what} can be at most {}.",
            readable(max)
        )));
    }
    Ok(())
}

/// Creates a build order and reports the BOM lines that cannot be covered.
/// The current user is recorded as its creator.
pub async fn create(db: &Database, input: &NewBuildOrder) -> CoreResult<CreatedBuildOrder> {
    check_quantity(input.quantity).map_err(|e| e.on_field("Quantity"))?;
    let mut tx = db.begin_write().await?;
    let reference = match validate::optional("Reference", Some(&input.reference), 50)? {
        Some(reference) => {
            check_reference(&reference)?;
            reference
        }
        None => next_reference(&mut tx).await?,
    };
    let taken: Option<i64> =
        sql::query_scalar("SELECT id FROM build_orders WHERE reference = $1 COLLATE NOCASE")
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
        ))
        .on_field("Assembly"));
    }
    if !part.active {
        return Err(CoreError::InvalidInput(format!(
            "{} is inactive; activate it before building it.",
            part.name
        ))
        .on_field("Assembly"));
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
    check_lines(&mut tx, input.part_id, &part.name, input.quantity)
        .await
        .map_err(|e| match e.code() {
            ErrorCode::InvalidInput => e.on_field("Quantity"),
            _ => e,
        })?;
    let created_by = users::current_id(&mut tx).await?;
    let id = BuildOrderId(
        sql::query_scalar::<i64>(
            "INSERT INTO build_orders (reference, part_id, quantity, responsible_id, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&reference)
        .bind(input.part_id)
        .bind(input.quantity.milli())
        .bind(input.responsible_id)
        .bind(created_by)
        .fetch_one(&mut *tx)
        .await?,
    );
    let short_lines = shortages(&mut tx, id).await?;
    let (conn, fired) = tx.split();
    triggers::build_created(conn, id, &short_lines, fired).await?;
    let order = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(CreatedBuildOrder { order, short_lines })
}

/// A BOM line as the shortage check reads it: sub-part, its name, quantity
/// per assembly, whether variants count (1 or 0: SQLite's JSON has no
/// booleans), stock, and what other open orders
/// reserve (milli-units).
type LineFigures = (PartId, String, i64, i64, i64, i64);

/// The direct BOM lines of an order's assembly that its stock cannot cover
/// (see [`shortages_for`]).
pub(crate) async fn shortages(conn: &mut Conn, build: BuildOrderId) -> CoreResult<Vec<ShortLine>> {
    let (assembly, quantity): (PartId, i64) =
        sql::query_as("SELECT part_id, quantity FROM build_orders WHERE id = $1")
            .bind(build)
            .fetch_one(&mut *conn)
            .await?;
    shortages_for(conn, assembly, Quantity::from_milli(quantity), Some(build)).await
}

/// The direct BOM lines of `assembly` that building `quantity` of it cannot
/// be covered for (see [`lines_for`]).
pub(crate) async fn shortages_for(
    conn: &mut Conn,
    assembly: PartId,
    quantity: Quantity,
    except: Option<BuildOrderId>,
) -> CoreResult<Vec<ShortLine>> {
    Ok(lines_for(conn, assembly, quantity, except)
        .await?
        .into_iter()
        .filter(|line| line.short > Quantity::ZERO)
        .map(|line| ShortLine {
            part: line.part,
            required: line.required,
            available: line.available,
        })
        .collect())
}

/// Every direct BOM line of `assembly` with what building `quantity` of it
/// needs: required = line quantity × quantity; available = stock (with
/// variants when the line allows them) less what open orders other than
/// `except` still need; short = what available lacks. By part name.
async fn lines_for(
    conn: &mut Conn,
    assembly: PartId,
    quantity: Quantity,
    except: Option<BuildOrderId>,
) -> CoreResult<Vec<BuildLine>> {
    // One pass over the BOM: each line with its stock and what other open
    // orders reserve, as one JSON row (a row per line through sqlx's worker
    // thread would cost more than the query).
    static LINES: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::json_rows(
            "id, name, per_unit, allow_variants, in_stock, reserved",
            "name COLLATE NOCASE",
        )
        .map(|rows| {
            format!(
                "SELECT {rows}
                   FROM (SELECT l.sub_part_id AS id, p.name AS name, l.quantity AS per_unit,
                                CASE WHEN l.allow_variants THEN 1 ELSE 0 END AS allow_variants,
                                CASE WHEN l.allow_variants THEN p.total_stock ELSE p.own_stock END AS in_stock,
                                {} AS reserved
                           FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id
                          WHERE l.assembly_id = $1) lines",
                reserved_sql("l.sub_part_id", "$2")
            )
        })
    });
    let Json(lines): Json<Vec<LineFigures>> =
        sql::query_scalar(sql::Sql::dialects(&LINES[0], &LINES[1]))
            .bind(assembly)
            .bind(except)
            .fetch_one(&mut *conn)
            .await?;
    lines
        .into_iter()
        .map(|(id, name, per_unit, allow_variants, in_stock, reserved)| {
            let per_unit = Quantity::from_milli(per_unit);
            let available =
                Quantity::from_milli(in_stock).saturating_sub(Quantity::from_milli(reserved));
            let required = required(per_unit, quantity).ok_or_else(|| {
                CoreError::InvalidInput("That build quantity is too large to plan.".into())
            })?;
            Ok(BuildLine {
                part: PartRef { id, name },
                per_unit,
                allow_variants: allow_variants != 0,
                required,
                available,
                short: required.saturating_sub(available),
            })
        })
        .collect()
}

/// A build order's page: the order and each BOM line with what the rest of
/// the order needs (nothing once it is closed) and what is available to it.
pub async fn detail(db: &Database, id: BuildOrderId) -> CoreResult<BuildOrderDetail> {
    let mut conn = db.connection().await?;
    let order = get_in(&mut conn, id).await?;
    let left = if order.status.is_open() {
        order.quantity.saturating_sub(order.completed)
    } else {
        Quantity::ZERO
    };
    let lines = lines_for(&mut conn, order.part.id, left, Some(id)).await?;
    Ok(BuildOrderDetail { order, lines })
}

/// The shortage check of a build that is only being considered: what
/// building `quantity` of an assembly would be short of. Notifies nobody.
pub async fn check(db: &Database, request: &CheckBuild) -> CoreResult<Vec<ShortLine>> {
    let mut conn = db.connection().await?;
    let part = parts::row_in(&mut conn, request.part_id).await?;
    if !part.is_assembly {
        return Err(CoreError::InvalidInput(format!(
            "{} is not an assembly, so it cannot be built.",
            part.name
        )));
    }
    check_quantity(request.quantity)?;
    check_lines(&mut conn, request.part_id, &part.name, request.quantity).await?;
    shortages_for(&mut conn, request.part_id, request.quantity, None).await
}

fn check_quantity(quantity: Quantity) -> CoreResult<()> {
    positive_up_to(
        quantity,
        MAX_BUILD_QUANTITY,
        "The build quantity must be more than zero.",
        "A build quantity",
    )
}

/// Refuses a build whose BOM lines would need more than [`MAX_REQUIRED`]
/// (checked here, before SQL multiplies them).
async fn check_lines(
    conn: &mut Conn,
    assembly: PartId,
    assembly_name: &str,
    quantity: Quantity,
) -> CoreResult<()> {
    let lines: Vec<(String, i64)> = sql::query_as(
        "SELECT p.name, l.quantity FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id
          WHERE l.assembly_id = $1 ORDER BY p.name COLLATE NOCASE",
    )
    .bind(assembly)
    .fetch_all(&mut *conn)
    .await?;
    for (name, per_unit) in lines {
        if required(Quantity::from_milli(per_unit), quantity).is_none() {
            return Err(CoreError::InvalidInput(format!(
                "Building {quantity} of {assembly_name} would need more than {} {name}, the most one build order may use; \
                 split it into smaller orders.",
                readable(MAX_REQUIRED)
            )));
        }
    }
    Ok(())
}

/// Moves an order along pending → in production, or to cancelled.
/// Completing goes through `production::complete`, which moves the stock.
pub async fn set_status(db: &Database, request: &SetBuildStatus) -> CoreResult<BuildOrder> {
    let (id, next) = (request.id, request.status);
    let mut tx = db.begin_write().await?;
    let order = get_in(&mut tx, id).await?;
    if next == BuildStatus::Complete && order.status.can_become(next) {
        return Err(CoreError::InvalidInput(format!(
            "Complete {} with “Complete…”: it uses the components' stock and adds what was built.",
            order.reference
        )));
    }
    if !order.status.can_become(next) {
        return Err(CoreError::InvalidInput(format!(
            "{} is {}; it cannot become {}.",
            order.reference,
            order.status.label().to_lowercase(),
            next.label().to_lowercase()
        )));
    }
    sql::query("UPDATE build_orders SET status = $1 WHERE id = $2")
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
    let rows: Vec<OrderRow> = sql::query_as(format!(
        "{ORDER_SELECT} WHERE $1 IS NULL OR b.status = $1 ORDER BY b.id DESC"
    ))
    .bind(status)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(BuildOrder::from).collect())
}

pub async fn get(db: &Database, id: BuildOrderId) -> CoreResult<BuildOrder> {
    let mut conn = db.connection().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut Conn, id: BuildOrderId) -> CoreResult<BuildOrder> {
    let row: Option<OrderRow> = sql::query_as(format!("{ORDER_SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(BuildOrder::from)
        .ok_or_else(|| CoreError::NotFound(format!("Build order {id} does not exist.")))
}

const ORDER_SELECT: &str = "SELECT b.id, b.reference, b.part_id, p.name AS part_name, b.quantity,
        b.completed, b.status, b.responsible_id, r.name AS responsible_name, b.created_by,
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
    completed: i64,
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
            completed: Quantity::from_milli(row.completed),
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
