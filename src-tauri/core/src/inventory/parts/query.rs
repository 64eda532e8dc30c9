//! The parts table: `list`, one filtered, searched and sorted page of parts,
//! the SQL it builds for that and the mapping of its rows.
use crate::sql;

use super::totals::low_sql;
use super::{is_low, PartRecord, RECORD_SELECT};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{CategoryRef, Page, PartQuery, PartRow, PartSort};
use partwatch_types::Quantity;

/// The largest page the parts table may ask for.
pub const MAX_PAGE_SIZE: i64 = 500;

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
    // Checked up front: a huge page number must be refused, not overflow.
    let offset = query
        .page
        .checked_mul(query.page_size)
        .ok_or_else(|| CoreError::InvalidInput("That page number is too large.".into()))?;
    let search = validate::free_text("Search", &query.search, 200)?;

    let filter = |qb: &mut sql::Builder<'_>| {
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
            // Case-insensitive on both: SQLite's LIKE is, PostgreSQL's ILIKE.
            let like = |qb: &mut sql::Builder<'_>, column: &str, pattern: String| {
                qb.push(column)
                    .push_dialects(" LIKE ", " ILIKE ")
                    .push_bind(pattern)
                    .push(" ESCAPE '\\'");
            };
            qb.push(" AND (");
            like(qb, "p.name", pattern.clone());
            qb.push(" OR ");
            like(qb, "p.ipn", pattern.clone());
            qb.push(" OR ");
            like(qb, "p.description", pattern);
            qb.push(")");
        }
        if query.low_only {
            qb.push(" AND ")
                .push(low_sql("p.total_stock", "p.minimum_stock"));
        }
        if let Some(active) = query.active {
            qb.push(" AND p.active = ").push_bind(active);
        }
        if query.templates_only {
            qb.push(" AND p.is_template = TRUE");
        }
        if query.assemblies_only {
            qb.push(" AND p.is_assembly = TRUE");
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

    let mut count = sql::Builder::new("SELECT COUNT(*) FROM parts p");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;

    let mut select = sql::Builder::new(RECORD_SELECT);
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
        .push_bind(offset);
    let rows: Vec<PartRecord> = select.build_query_as().fetch_all(db).await?;

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
