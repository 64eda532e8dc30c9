//! Bills of materials: what an assembly is made of. No part may contain
//! itself, directly or through other assemblies.

use super::builds::{self, readable, MAX_REQUIRED};
use super::{must_exist, parts};
use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    Bom, BomLine, BomLineId, NewBomLine, PartId, PartRef, UpdateBomLine, UsedIn,
};
use partwatch_types::{ErrorCode, Quantity};
use std::sync::LazyLock;

/// The most of one sub-part a BOM line may ask for per assembly: a billion
/// units. Its product with a build quantity is bounded too (see
/// [`builds::MAX_REQUIRED`]), and checked against every open build order.
pub const MAX_BOM_QUANTITY: Quantity = Quantity::whole(1_000_000_000);

pub async fn add_line(db: &Database, input: &NewBomLine) -> CoreResult<BomLine> {
    let mut tx = db.begin_write().await?;
    let id = add_line_in(&mut tx, input).await?;
    let line = line_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(line)
}

/// Checks and adds a BOM line in the caller's transaction (nothing is
/// written when it is refused). A refusal about the part or the quantity
/// is on that field of the window's "Add BOM line".
pub(crate) async fn add_line_in(conn: &mut Conn, input: &NewBomLine) -> CoreResult<BomLineId> {
    match try_add_line_in(conn, input).await? {
        Ok(id) => Ok(id),
        Err(LineRefused {
            field: LineField::Assembly,
            error,
        }) => Err(error),
        Err(LineRefused {
            field: LineField::Part,
            error,
        }) => Err(error.on_field("Part")),
        Err(LineRefused {
            field: LineField::Quantity,
            error,
        }) => Err(error.on_field("Quantity per assembly")),
    }
}

/// The field of a new BOM line a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineField {
    Assembly,
    Part,
    Quantity,
}

/// Why a BOM line was not added, and which of its fields is at fault.
#[derive(Debug)]
pub(crate) struct LineRefused {
    pub field: LineField,
    pub error: CoreError,
}

/// As [`add_line_in`], the rules' refusal apart from a failure of the
/// database (an import puts each on the column it is about).
pub(crate) async fn try_add_line_in(
    conn: &mut Conn,
    input: &NewBomLine,
) -> CoreResult<Result<BomLineId, LineRefused>> {
    let refused = |field, error| Ok(Err(LineRefused { field, error }));
    if let Err(error) = in_bounds(input.quantity) {
        return refused(LineField::Quantity, error);
    }
    let assembly = parts::row_in(&mut *conn, input.assembly_id).await?;
    let sub = parts::row_in(&mut *conn, input.sub_part_id).await?;
    if !assembly.is_assembly {
        return refused(
            LineField::Assembly,
            CoreError::InvalidInput(format!(
                "{} is not an assembly; mark it as one before giving it a BOM.",
                assembly.name
            )),
        );
    }
    if input.assembly_id == input.sub_part_id {
        return refused(
            LineField::Part,
            CoreError::InvalidInput(format!("{} cannot contain itself.", assembly.name)),
        );
    }
    if contains(&mut *conn, input.sub_part_id, input.assembly_id).await? {
        return refused(
            LineField::Part,
            CoreError::InvalidInput(format!(
                "{} already contains {}, so it cannot also be inside it.",
                sub.name, assembly.name
            )),
        );
    }
    let exists: Option<i64> =
        sql::query_scalar("SELECT id FROM bom_lines WHERE assembly_id = $1 AND sub_part_id = $2")
            .bind(input.assembly_id)
            .bind(input.sub_part_id)
            .fetch_optional(&mut *conn)
            .await?;
    if exists.is_some() {
        return refused(
            LineField::Part,
            CoreError::Conflict(format!(
                "{} is already on the BOM of {}; change that line's quantity instead.",
                sub.name, assembly.name
            )),
        );
    }
    match fits_open_builds(&mut *conn, input.assembly_id, &sub.name, input.quantity).await {
        Ok(()) => {}
        Err(error) if matches!(error.code(), ErrorCode::InvalidInput | ErrorCode::Conflict) => {
            return refused(LineField::Quantity, error);
        }
        Err(other) => return Err(other),
    }
    let id = BomLineId(sql::query_scalar::<i64>(
        "INSERT INTO bom_lines (assembly_id, sub_part_id, quantity, allow_variants) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(input.assembly_id)
    .bind(input.sub_part_id)
    .bind(input.quantity.milli())
    .bind(input.allow_variants)
    .fetch_one(&mut *conn)
    .await?);
    Ok(Ok(id))
}

pub async fn update_line(db: &Database, request: &UpdateBomLine) -> CoreResult<BomLine> {
    let (id, quantity, allow_variants) = (request.id, request.quantity, request.allow_variants);
    let on_quantity = |e: CoreError| e.on_field("Quantity per assembly");
    in_bounds(quantity).map_err(on_quantity)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "bom_lines", "BOM line", id).await?;
    let line = line_in(&mut tx, id).await?;
    fits_open_builds(&mut tx, line.assembly_id, &line.sub_part.name, quantity)
        .await
        .map_err(|e| match e.code() {
            ErrorCode::InvalidInput | ErrorCode::Conflict => on_quantity(e),
            _ => e,
        })?;
    sql::query("UPDATE bom_lines SET quantity = $1, allow_variants = $2 WHERE id = $3")
        .bind(quantity.milli())
        .bind(allow_variants)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let line = line_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(line)
}

pub async fn remove_line(db: &Database, id: BomLineId) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "bom_lines", "BOM line", id).await?;
    sql::query("DELETE FROM bom_lines WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An assembly's BOM, each line with its stock, and how many whole
/// assemblies the available stock covers.
/// The largest "can build" figure: just under a trillion, the most a
/// quantity can hold.
const MAX_CAN_BUILD: i64 = 999_999_999_999;

pub async fn lines(db: &Database, assembly_id: PartId) -> CoreResult<Bom> {
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "parts", "Part", assembly_id).await?;
    let lines = lines_in(&mut conn, assembly_id).await?;
    let can_build = lines
        .iter()
        .map(|line| line.available.milli() / line.quantity.milli())
        .min()
        // Beyond what a quantity can say (a trillion), "more than enough".
        .map(|n| Quantity::whole(n.min(MAX_CAN_BUILD)));
    Ok(Bom { lines, can_build })
}

/// The assemblies whose BOM uses a part: lines naming it, and lines naming
/// a template above it that allow variants. By assembly name.
pub async fn where_used(db: &Database, part: PartId) -> CoreResult<Vec<UsedIn>> {
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "parts", "Part", part).await?;
    type Row = (PartId, String, i64, Option<PartId>, Option<String>);
    let rows: Vec<Row> = sql::query_as(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT variant_of, CAST(1 AS BIGINT) FROM parts WHERE id = $1 AND variant_of IS NOT NULL
             UNION ALL
             SELECT p.variant_of, up.depth + 1 FROM parts p JOIN up ON p.id = up.id
              WHERE p.variant_of IS NOT NULL AND up.depth < 1000
         )
         SELECT a.id, a.name, l.quantity,
                CASE WHEN l.sub_part_id = $1 THEN NULL ELSE t.id END,
                CASE WHEN l.sub_part_id = $1 THEN NULL ELSE t.name END
           FROM bom_lines l
           JOIN parts a ON a.id = l.assembly_id
           JOIN parts t ON t.id = l.sub_part_id
          WHERE l.sub_part_id = $1
             OR (l.allow_variants AND l.sub_part_id IN (SELECT id FROM up))
          ORDER BY a.name COLLATE NOCASE, a.id",
    )
    .bind(part)
    .fetch_all(&mut conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, quantity, through_id, through_name)| UsedIn {
            assembly: PartRef { id, name },
            quantity: Quantity::from_milli(quantity),
            through: through_id
                .zip(through_name)
                .map(|(id, name)| PartRef { id, name }),
        })
        .collect())
}

pub(crate) async fn lines_in(conn: &mut Conn, assembly_id: PartId) -> CoreResult<Vec<BomLine>> {
    let rows: Vec<LineRow> = sql::query_as(format!(
        "{} WHERE l.assembly_id = $1 ORDER BY p.name COLLATE NOCASE",
        *LINE_SELECT
    ))
    .bind(assembly_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(BomLine::from).collect())
}

/// Does `outer` contain `inner` anywhere in its BOM tree?
async fn contains(conn: &mut Conn, outer: PartId, inner: PartId) -> CoreResult<bool> {
    let found: Option<bool> = sql::query_scalar(
        "WITH RECURSIVE inside(id) AS (
             SELECT sub_part_id FROM bom_lines WHERE assembly_id = $1
             UNION
             SELECT l.sub_part_id FROM bom_lines l JOIN inside ON l.assembly_id = inside.id
         ) SELECT TRUE FROM inside WHERE id = $2 LIMIT 1",
    )
    .bind(outer)
    .bind(inner)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: BomLineId,
    assembly_id: PartId,
    sub_part_id: PartId,
    sub_part_name: String,
    quantity: i64,
    allow_variants: bool,
    in_stock: i64,
    reserved: i64,
}

/// A line with its sub-part's stock (with variants where the line allows
/// them) and what open orders reserve of it.
static LINE_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT l.id, l.assembly_id, l.sub_part_id, p.name AS sub_part_name,
                l.quantity, l.allow_variants,
                CASE WHEN l.allow_variants THEN p.total_stock ELSE p.own_stock END AS in_stock,
                {} AS reserved
           FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id",
        builds::reserved_sql("l.sub_part_id", "NULL")
    )
});

impl From<LineRow> for BomLine {
    fn from(row: LineRow) -> Self {
        BomLine {
            id: row.id,
            assembly_id: row.assembly_id,
            sub_part: PartRef {
                id: row.sub_part_id,
                name: row.sub_part_name,
            },
            quantity: Quantity::from_milli(row.quantity),
            allow_variants: row.allow_variants,
            in_stock: Quantity::from_milli(row.in_stock),
            available: Quantity::from_milli(row.in_stock)
                .saturating_sub(Quantity::from_milli(row.reserved)),
        }
    }
}

async fn line_in(conn: &mut Conn, id: BomLineId) -> CoreResult<BomLine> {
    let row: Option<LineRow> = sql::query_as(format!("{} WHERE l.id = $1", *LINE_SELECT))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(BomLine::from)
        .ok_or_else(|| CoreError::NotFound(format!("BOM line {id} does not exist.")))
}

fn in_bounds(q: Quantity) -> CoreResult<()> {
    builds::positive_up_to(
        q,
        MAX_BOM_QUANTITY,
        "A BOM quantity must be more than zero.",
        "A BOM quantity",
    )
}

/// Refuses a line quantity with which an open build order of `assembly`
/// would need more than [`MAX_REQUIRED`] of the sub-part: checked here,
/// before SQL multiplies the two for reserved stock.
async fn fits_open_builds(
    conn: &mut Conn,
    assembly: PartId,
    sub_part: &str,
    quantity: Quantity,
) -> CoreResult<()> {
    // The largest open order is the one that needs the most.
    let largest: Option<(String, i64)> = sql::query_as(
        "SELECT reference, quantity FROM build_orders
          WHERE part_id = $1 AND status IN ('pending', 'in_production')
          ORDER BY quantity DESC, id LIMIT 1",
    )
    .bind(assembly)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((reference, build)) = largest else {
        return Ok(());
    };
    if builds::required(quantity, Quantity::from_milli(build)).is_some() {
        return Ok(());
    }
    Err(CoreError::InvalidInput(format!(
        "With {quantity} {sub_part} each, build order {reference} would need more than {}, \
         the most one order may use.",
        readable(MAX_REQUIRED)
    )))
}
