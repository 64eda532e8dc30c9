//! The location tree of the store (Store › Shelf B › Drawer A3). Each
//! location keeps its full `path`, rewritten for its whole subtree when it
//! is renamed or moved, so every read of a stock item's place is one join.

use super::{ensure_sibling_name_free, must_exist};
use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    LocatedItem, Location, LocationContents, LocationId, LocationRef, NewLocation, PartId, PartRef,
    StockItem, StockItemId, UpdateLocation, PATH_SEPARATOR,
};
use partwatch_types::Quantity;

/// The most levels a location tree may have.
pub const MAX_DEPTH: i64 = 20;

pub async fn list(db: &Database) -> CoreResult<Vec<Location>> {
    let rows: Vec<LocationRow> =
        sql::query_as(format!("{LOCATION_SELECT} ORDER BY l.path COLLATE NOCASE"))
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(Location::from).collect())
}

pub async fn get(db: &Database, id: LocationId) -> CoreResult<LocationContents> {
    let mut conn = db.connection().await?;
    let location = get_in(&mut conn, id).await?;
    let ancestors: Vec<(LocationId, String)> = sql::query_as(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT parent_id, CAST(1 AS BIGINT) FROM locations WHERE id = $1
             UNION ALL
             SELECT l.parent_id, up.depth + 1 FROM locations l JOIN up ON l.id = up.id
              WHERE up.depth <= $2
         )
         SELECT l.id, l.path FROM up JOIN locations l ON l.id = up.id ORDER BY up.depth DESC",
    )
    .bind(id)
    .bind(MAX_DEPTH)
    .fetch_all(&mut conn)
    .await?;
    let children: Vec<LocationRow> = sql::query_as(format!(
        "{LOCATION_SELECT} WHERE l.parent_id = $1 ORDER BY l.name COLLATE NOCASE"
    ))
    .bind(id)
    .fetch_all(&mut conn)
    .await?;
    type Row = (
        StockItemId,
        PartId,
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
    );
    let items: Vec<Row> = sql::query_as(
        "SELECT s.id, s.part_id, s.quantity, s.batch, s.created_at, p.name, p.ipn, p.units
           FROM stock_items s JOIN parts p ON p.id = s.part_id
          WHERE s.location_id = $1 ORDER BY p.name COLLATE NOCASE, s.batch, s.id",
    )
    .bind(id)
    .fetch_all(&mut conn)
    .await?;
    let here = LocationRef {
        id,
        path: location.path.clone(),
    };
    Ok(LocationContents {
        ancestors: ancestors
            .into_iter()
            .map(|(id, path)| LocationRef { id, path })
            .collect(),
        children: children.into_iter().map(Location::from).collect(),
        items: items
            .into_iter()
            .map(
                |(item_id, part_id, quantity, batch, created_at, name, ipn, units)| LocatedItem {
                    item: StockItem {
                        id: item_id,
                        part_id,
                        quantity: Quantity::from_milli(quantity),
                        location: Some(here.clone()),
                        batch,
                        created_at,
                    },
                    part: PartRef { id: part_id, name },
                    ipn,
                    units,
                },
            )
            .collect(),
        location,
    })
}

pub async fn create(db: &Database, input: &NewLocation) -> CoreResult<Location> {
    let name = location_name(&input.name)?;
    let description = validate::free_text("Description", &input.description, 2000)?;
    let mut tx = db.begin_write().await?;
    let path = match input.parent_id {
        Some(parent) => {
            let parent = get_in(&mut tx, parent).await?;
            if parent.depth + 1 >= MAX_DEPTH {
                return Err(CoreError::InvalidInput(format!(
                    "Locations can be at most {MAX_DEPTH} levels deep."
                )));
            }
            format!("{}{PATH_SEPARATOR}{name}", parent.path)
        }
        None => name.clone(),
    };
    ensure_name_free(&mut tx, input.parent_id, &name, None).await?;
    let id = insert(&mut tx, input.parent_id, &name, &description, &path).await?;
    let location = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(location)
}

/// Inserts a (validated) location whose parent's path is already in `path`.
pub(crate) async fn insert(
    conn: &mut Conn,
    parent: Option<LocationId>,
    name: &str,
    description: &str,
    path: &str,
) -> CoreResult<LocationId> {
    Ok(sql::query_scalar(
        "INSERT INTO locations (parent_id, name, description, path) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(parent)
    .bind(name)
    .bind(description)
    .bind(path)
    .fetch_one(&mut *conn)
    .await?)
}

/// Renames, re-describes and moves a location; the paths of everything
/// below it follow.
pub async fn update(db: &Database, request: &UpdateLocation) -> CoreResult<Location> {
    let name = location_name(&request.name)?;
    let description = validate::free_text("Description", &request.description, 2000)?;
    let id = request.id;
    let mut tx = db.begin_write().await?;
    let current = get_in(&mut tx, id).await?;
    let parent_path = match request.parent_id {
        Some(parent) if parent == id => {
            return Err(CoreError::InvalidInput(format!(
                "{} cannot be inside itself.",
                current.name
            )))
        }
        Some(parent) => {
            let parent = get_in(&mut tx, parent).await?;
            let below: Option<bool> = sql::query_scalar(
                "WITH RECURSIVE down(id, depth) AS (
                     SELECT id, CAST(1 AS BIGINT) FROM locations WHERE parent_id = $1
                     UNION ALL
                     SELECT l.id, down.depth + 1 FROM locations l JOIN down ON l.parent_id = down.id
                      WHERE down.depth <= $3
                 )
                 SELECT TRUE FROM down WHERE id = $2",
            )
            .bind(id)
            .bind(parent.id)
            .bind(MAX_DEPTH)
            .fetch_optional(&mut *tx)
            .await?;
            if below.is_some() {
                return Err(CoreError::InvalidInput(format!(
                    "{} is inside {}, so {} cannot move into it.",
                    parent.name, current.name, current.name
                )));
            }
            let height = subtree_height(&mut tx, id).await?;
            if parent.depth + 1 + height >= MAX_DEPTH {
                return Err(CoreError::InvalidInput(format!(
                    "Locations can be at most {MAX_DEPTH} levels deep."
                )));
            }
            Some(parent.path)
        }
        None => None,
    };
    ensure_name_free(&mut tx, request.parent_id, &name, Some(id)).await?;
    let path = match parent_path {
        Some(parent) => format!("{parent}{PATH_SEPARATOR}{name}"),
        None => name.clone(),
    };
    sql::query(
        "UPDATE locations SET parent_id = $1, name = $2, description = $3, path = $4 WHERE id = $5",
    )
    .bind(request.parent_id)
    .bind(&name)
    .bind(&description)
    .bind(&path)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // Every location below takes the new path as its prefix.
    sql::query(
        "WITH RECURSIVE down(id, path, depth) AS (
             SELECT l.id, $2 || $3 || l.name, CAST(1 AS BIGINT) FROM locations l WHERE l.parent_id = $1
             UNION ALL
             SELECT l.id, down.path || $3 || l.name, down.depth + 1
               FROM locations l JOIN down ON l.parent_id = down.id WHERE down.depth <= $4
         )
         UPDATE locations SET path = (SELECT down.path FROM down WHERE down.id = locations.id)
          WHERE id IN (SELECT id FROM down)",
    )
    .bind(id)
    .bind(&path)
    .bind(PATH_SEPARATOR)
    .bind(MAX_DEPTH)
    .execute(&mut *tx)
    .await?;
    let location = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(location)
}

/// Deletes an empty location: no stock items and no sub-locations.
pub async fn delete(db: &Database, id: LocationId) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    let location = get_in(&mut tx, id).await?;
    if location.items > 0 {
        return Err(CoreError::Conflict(format!(
            "{} still holds {} stock item{}; transfer {} elsewhere first.",
            location.path,
            location.items,
            if location.items == 1 { "" } else { "s" },
            if location.items == 1 { "it" } else { "them" }
        )));
    }
    if location.children > 0 {
        return Err(CoreError::Conflict(format!(
            "{} has {} location{} inside it; move or delete {} first.",
            location.path,
            location.children,
            if location.children == 1 { "" } else { "s" },
            if location.children == 1 { "it" } else { "them" }
        )));
    }
    sql::query("DELETE FROM locations WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The location as other things name it, `NotFound` when it does not exist.
pub(crate) async fn reference(conn: &mut Conn, id: LocationId) -> CoreResult<LocationRef> {
    must_exist(conn, "locations", "Location", id).await?;
    let path: String = sql::query_scalar("SELECT path FROM locations WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(LocationRef { id, path })
}

/// A location name: one line, and no " › " (which separates path levels).
pub(crate) fn location_name(name: &str) -> CoreResult<String> {
    let name = validate::required("Location name", name, 100)?;
    if name.contains('›') {
        return Err(CoreError::InvalidInput(
            "A location name cannot contain “›”: it separates the levels of a path.".into(),
        ));
    }
    Ok(name)
}

async fn ensure_name_free(
    conn: &mut Conn,
    parent: Option<LocationId>,
    name: &str,
    except: Option<LocationId>,
) -> CoreResult<()> {
    let taken = |path| format!("There is already a location {path}.");
    ensure_sibling_name_free(
        conn,
        ("locations", "path", "Location name"),
        parent,
        name,
        except,
        taken,
    )
    .await
}

/// How many levels there are below a location (0 for a leaf).
async fn subtree_height(conn: &mut Conn, id: LocationId) -> CoreResult<i64> {
    let height: i64 = sql::query_scalar(
        "WITH RECURSIVE down(id, depth) AS (
             SELECT $1, CAST(0 AS BIGINT)
             UNION ALL
             SELECT l.id, down.depth + 1 FROM locations l JOIN down ON l.parent_id = down.id
              WHERE down.depth <= $2
         )
         SELECT MAX(depth) FROM down",
    )
    .bind(id)
    .bind(MAX_DEPTH)
    .fetch_one(&mut *conn)
    .await?;
    Ok(height)
}

async fn get_in(conn: &mut Conn, id: LocationId) -> CoreResult<Location> {
    let row: Option<LocationRow> = sql::query_as(format!("{LOCATION_SELECT} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(Location::from)
        .ok_or_else(|| CoreError::NotFound(format!("Location {id} does not exist.")))
}

/// Depth is the number of separators in the path.
const LOCATION_SELECT: &str = "SELECT l.id, l.parent_id, l.name, l.description, l.path,
        CAST((length(l.path) - length(replace(l.path, ' › ', ''))) / 3 AS BIGINT) AS depth,
        (SELECT COUNT(*) FROM stock_items s WHERE s.location_id = l.id) AS items,
        (SELECT COUNT(*) FROM locations c WHERE c.parent_id = l.id) AS children
   FROM locations l";

#[derive(sqlx::FromRow)]
struct LocationRow {
    id: LocationId,
    parent_id: Option<LocationId>,
    name: String,
    description: String,
    path: String,
    depth: i64,
    items: i64,
    children: i64,
}

impl From<LocationRow> for Location {
    fn from(row: LocationRow) -> Self {
        Location {
            id: row.id,
            parent_id: row.parent_id,
            name: row.name,
            description: row.description,
            path: row.path,
            depth: row.depth,
            items: row.items,
            children: row.children,
        }
    }
}
