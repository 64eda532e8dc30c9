//! The welcome choice: a realistic demo inventory, or an empty start.
//! The demo is only ever loaded into an empty database, in one transaction.
//!
//! The welcome state and loading live here; the demo's content is in `data`.

mod data;

use super::{categories, parts, users};
use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};
use data::{BOM, CATEGORIES, PARTS, USERS};
use partwatch_types::inventory::{CategoryId, InventoryStatus, LocationId, PartId, PATH_SEPARATOR};
use partwatch_types::Quantity;
use std::collections::HashMap;

const STARTED_EMPTY_KEY: &str = "started_empty";
const DEMO_LOADED_KEY: &str = "demo_loaded";

pub async fn status(db: &Database) -> CoreResult<InventoryStatus> {
    let (parts, categories, started_empty, demo_loaded): (i64, i64, bool, bool) = sql::query_as(
        "SELECT (SELECT COUNT(*) FROM parts), (SELECT COUNT(*) FROM categories),
                EXISTS (SELECT 1 FROM instance_settings WHERE key = $1),
                EXISTS (SELECT 1 FROM instance_settings WHERE key = $2)",
    )
    .bind(STARTED_EMPTY_KEY)
    .bind(DEMO_LOADED_KEY)
    .fetch_one(db)
    .await?;
    Ok(InventoryStatus {
        is_empty: parts == 0 && categories == 0,
        started_empty,
        demo_loaded,
        parts,
        categories,
    })
}

/// Remembers that the user chose to start with an empty inventory.
pub async fn start_empty(db: &Database) -> CoreResult<InventoryStatus> {
    sql::query("INSERT INTO instance_settings (key, value) VALUES ($1, '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(STARTED_EMPTY_KEY)
        .execute(db)
        .await?;
    status(db).await
}

/// The location with this path ("Main store › Cabinet A › Drawer A3"),
/// made with the locations above it the first time it is asked for.
async fn location_at(
    conn: &mut Conn,
    places: &mut HashMap<String, LocationId>,
    path: &str,
) -> CoreResult<LocationId> {
    let mut parent: Option<LocationId> = None;
    let mut so_far = String::new();
    for name in path.split(PATH_SEPARATOR) {
        if !so_far.is_empty() {
            so_far.push_str(PATH_SEPARATOR);
        }
        so_far.push_str(name);
        let id = match places.get(&so_far) {
            Some(id) => *id,
            None => {
                let id: LocationId = sql::query_scalar(
                    "INSERT INTO locations (parent_id, name, path) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(parent)
                .bind(name)
                .bind(&so_far)
                .fetch_one(&mut *conn)
                .await?;
                places.insert(so_far.clone(), id);
                id
            }
        };
        parent = Some(id);
    }
    parent.ok_or_else(|| CoreError::Corrupt(format!("The demo location “{path}” is empty.")))
}

fn qty(text: &str) -> CoreResult<i64> {
    text.parse::<Quantity>()
        .map(Quantity::milli)
        .map_err(|e| CoreError::InvalidInput(e.to_string()))
}

/// Loads the demo inventory into an empty database.
pub async fn load(db: &Database) -> CoreResult<InventoryStatus> {
    let mut tx = db.begin_write().await?;
    let user_id = users::current_id(&mut tx).await?;
    let (parts_count, categories_count): (i64, i64) =
        sql::query_as("SELECT (SELECT COUNT(*) FROM parts), (SELECT COUNT(*) FROM categories)")
            .fetch_one(&mut *tx)
            .await?;
    if parts_count > 0 || categories_count > 0 {
        return Err(CoreError::Conflict(
            "The demo inventory can only be loaded into an empty database; this one already has parts or categories.".into(),
        ));
    }
    let mut categories: HashMap<&str, CategoryId> = HashMap::new();
    for (path, description) in CATEGORIES {
        let (parent, name) = match path.rsplit_once('/') {
            Some((parent, name)) => (categories.get(parent).copied(), name),
            None => (None, *path),
        };
        let id = categories::insert(&mut tx, parent, name, description).await?;
        categories.insert(path, id);
    }
    let mut by_name: HashMap<&str, PartId> = HashMap::new();
    let mut places: HashMap<String, LocationId> = HashMap::new();
    let mut by_ipn: HashMap<&str, PartId> = HashMap::new();
    for p in PARTS {
        let id = PartId(sql::query_scalar::<i64>(
            "INSERT INTO parts (name, ipn, description, category_id, units, is_template, variant_of,
                                is_assembly, minimum_stock) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(p.name)
        .bind(p.ipn)
        .bind(p.description)
        .bind(categories.get(p.category).copied())
        .bind(p.units)
        .bind(p.template)
        .bind(p.variant_of.and_then(|t| by_name.get(t).copied()))
        .bind(p.assembly)
        .bind(qty(p.minimum)?)
        .fetch_one(&mut *tx)
        .await?);
        by_name.insert(p.name, id);
        by_ipn.insert(p.ipn, id);
        let mut own = 0;
        for (path, quantity) in p.stock {
            let quantity = qty(quantity)?;
            own += quantity;
            let location = location_at(&mut tx, &mut places, path).await?;
            let item = sql::query_scalar::<i64>(
                "INSERT INTO stock_items (part_id, quantity, location_id) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(id)
            .bind(quantity)
            .bind(location)
            .fetch_one(&mut *tx)
            .await?;
            sql::query(
                "INSERT INTO stock_history
                     (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location)
                 VALUES ($1, $2, $3, 'create', $4, $5, 'Demo inventory', $6)",
            )
            .bind(id)
            .bind(item)
            .bind(user_id)
            .bind(quantity)
            .bind(quantity)
            .bind(path)
            .execute(&mut *tx)
            .await?;
        }
        sql::query("UPDATE parts SET own_stock = $1 WHERE id = $2")
            .bind(own)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        parts::refresh_totals(&mut tx, &[id]).await?;
    }
    for (assembly, sub, quantity, allow_variants) in BOM {
        sql::query(
            "INSERT INTO bom_lines (assembly_id, sub_part_id, quantity, allow_variants) VALUES ($1, $2, $3, $4)",
        )
        .bind(by_ipn.get(assembly).copied())
        .bind(by_ipn.get(sub).copied())
        .bind(qty(quantity)?)
        .bind(allow_variants)
        .execute(&mut *tx)
        .await?;
    }
    for (name, email) in USERS {
        sql::query("INSERT INTO users (name, email) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(name)
            .bind(email)
            .execute(&mut *tx)
            .await?;
    }
    sql::query(
        "INSERT INTO build_orders (reference, part_id, quantity, status, responsible_id, created_by)
         VALUES ('BO-0001', $1, 10000, 'in_production', $2, $3)",
    )
    .bind(by_ipn.get("A-SENSOR-V2").copied())
    .bind(user_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sql::query("INSERT INTO instance_settings (key, value) VALUES ($1, '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(DEMO_LOADED_KEY)
        .execute(&mut *tx)
        .await?;
    crate::triggers::settle_alert_state(&mut tx, None).await?;
    tx.commit().await?;
    status(db).await
}
