//! The category tree. `category_paths` holds every (ancestor, descendant) pair,
//! so "this category and everything below it" is one indexed lookup at any depth.

use super::{ensure_sibling_name_free, must_exist};
use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    Category, CategoryContentsGo, CategoryId, CategoryNode, CategoryRef, DeleteCategory,
    MoveCategory, NewCategory, UpdateCategory,
};
use std::collections::HashMap;

pub async fn create(db: &Database, input: &NewCategory) -> CoreResult<Category> {
    let name = validate::required("Category name", &input.name, 100)?;
    let description = validate::free_text("Description", &input.description, 2000)?;
    let mut tx = db.begin_write().await?;
    if let Some(parent) = input.parent_id {
        must_exist(&mut tx, "categories", "Category", parent).await?;
    }
    ensure_name_free(&mut tx, input.parent_id, &name, None).await?;
    let id = insert(&mut tx, input.parent_id, &name, &description).await?;
    let category = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(category)
}

/// Inserts a (validated) category and its paths to every ancestor.
pub(crate) async fn insert(
    conn: &mut Conn,
    parent: Option<CategoryId>,
    name: &str,
    description: &str,
) -> CoreResult<CategoryId> {
    let id: CategoryId = sql::query_scalar(
        "INSERT INTO categories (parent_id, name, description) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(parent)
    .bind(name)
    .bind(description)
    .fetch_one(&mut *conn)
    .await?;
    sql::query(
        "INSERT INTO category_paths (ancestor_id, descendant_id, depth)
         SELECT $1, $1, 0
         UNION ALL
         SELECT ancestor_id, $1, depth + 1 FROM category_paths WHERE descendant_id = $2",
    )
    .bind(id)
    .bind(parent)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Renames and re-describes a category.
pub async fn update(db: &Database, request: &UpdateCategory) -> CoreResult<Category> {
    let (id, input) = (request.id, &request.update);
    let name = validate::required("Category name", &input.name, 100)?;
    let description = validate::free_text("Description", &input.description, 2000)?;
    let mut tx = db.begin_write().await?;
    let current = get_in(&mut tx, id).await?;
    ensure_name_free(&mut tx, current.parent_id, &name, Some(id)).await?;
    sql::query("UPDATE categories SET name = $1, description = $2 WHERE id = $3")
        .bind(&name)
        .bind(&description)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let category = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(category)
}

/// Moves a category (with everything in it) under `new_parent`, or to the top level.
pub async fn move_to(db: &Database, request: &MoveCategory) -> CoreResult<Category> {
    let (id, new_parent) = (request.id, request.parent_id);
    let mut tx = db.begin_write().await?;
    reparent(&mut tx, id, new_parent).await?;
    let category = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(category)
}

pub(crate) async fn reparent(
    conn: &mut Conn,
    id: CategoryId,
    new_parent: Option<CategoryId>,
) -> CoreResult<()> {
    let current = get_in(conn, id).await?;
    if let Some(parent) = new_parent {
        must_exist(conn, "categories", "Category", parent).await?;
        if is_within(conn, parent, id).await? {
            return Err(CoreError::InvalidInput(format!(
                "{} cannot be moved into itself or one of its own sub-categories.",
                current.name
            )));
        }
    }
    ensure_name_free(conn, new_parent, &current.name, Some(id)).await?;
    sql::query("UPDATE categories SET parent_id = $1 WHERE id = $2")
        .bind(new_parent)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // Cut the subtree loose from its old ancestors, then hang it under the new ones.
    sql::query(
        "DELETE FROM category_paths
          WHERE descendant_id IN (SELECT descendant_id FROM category_paths WHERE ancestor_id = $1)
            AND ancestor_id NOT IN (SELECT descendant_id FROM category_paths WHERE ancestor_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sql::query(
        "INSERT INTO category_paths (ancestor_id, descendant_id, depth)
         SELECT a.ancestor_id, s.descendant_id, a.depth + s.depth + 1
           FROM category_paths a, category_paths s
          WHERE a.descendant_id = $2 AND s.ancestor_id = $1",
    )
    .bind(id)
    .bind(new_parent)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a category. Its parts and sub-categories go where `contents` says;
/// with `Nowhere`, a category that still holds anything is refused.
pub async fn delete(db: &Database, request: &DeleteCategory) -> CoreResult<()> {
    let (id, contents) = (request.id, request.contents);
    let mut tx = db.begin_write().await?;
    let category = get_in(&mut tx, id).await?;
    let children: Vec<CategoryId> =
        sql::query_scalar("SELECT id FROM categories WHERE parent_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let parts: i64 = sql::query_scalar("SELECT COUNT(*) FROM parts WHERE category_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let target = match contents {
        CategoryContentsGo::Nowhere => {
            if !children.is_empty() || parts > 0 {
                return Err(CoreError::Conflict(format!(
                    "{} still holds {parts} part(s) and {} sub-categor{}; choose where they go.",
                    category.name,
                    children.len(),
                    if children.len() == 1 { "y" } else { "ies" }
                )));
            }
            None
        }
        CategoryContentsGo::ToParent => category.parent_id,
        CategoryContentsGo::To(target) => {
            must_exist(&mut tx, "categories", "Category", target).await?;
            if is_within(&mut tx, target, id).await? {
                return Err(CoreError::InvalidInput(format!(
                    "The contents of {} cannot go into a category inside it.",
                    category.name
                )));
            }
            Some(target)
        }
    };
    for child in children {
        reparent(&mut tx, child, target).await?;
    }
    sql::query("UPDATE parts SET category_id = $1 WHERE category_id = $2")
        .bind(target)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sql::query("DELETE FROM categories WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Database, id: CategoryId) -> CoreResult<Category> {
    let mut conn = db.connection().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut Conn, id: CategoryId) -> CoreResult<Category> {
    let row: Option<(CategoryId, Option<CategoryId>, String, String)> =
        sql::query_as("SELECT id, parent_id, name, description FROM categories WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (id, parent_id, name, description) =
        row.ok_or_else(|| CoreError::NotFound(format!("Category {id} does not exist.")))?;
    let ancestors = sql::query_as::<(CategoryId, String)>(
        "SELECT c.id, c.name FROM category_paths p JOIN categories c ON c.id = p.ancestor_id
          WHERE p.descendant_id = $1 AND p.depth > 0 ORDER BY p.depth DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, name)| CategoryRef { id, name })
    .collect();
    Ok(Category {
        id,
        parent_id,
        name,
        description,
        ancestors,
    })
}

/// The whole tree in display order (depth first, siblings by name), with part counts.
pub async fn tree(db: &Database) -> CoreResult<Vec<CategoryNode>> {
    let rows: Vec<(CategoryId, Option<CategoryId>, String)> = sql::query_as(
        "SELECT id, parent_id, name FROM categories ORDER BY name COLLATE NOCASE, id",
    )
    .fetch_all(db)
    .await?;
    let own: HashMap<CategoryId, i64> = sql::query_as::<(CategoryId, i64)>(
        "SELECT category_id, COUNT(*) FROM parts WHERE category_id IS NOT NULL GROUP BY category_id",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .collect();

    let mut children: HashMap<Option<CategoryId>, Vec<usize>> = HashMap::new();
    for (index, (_, parent, _)) in rows.iter().enumerate() {
        children.entry(*parent).or_default().push(index);
    }
    // Depth-first walk with an explicit stack (the tree may be hundreds deep).
    let mut order: Vec<(usize, i64)> = Vec::with_capacity(rows.len());
    let mut stack: Vec<(usize, i64)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|&i| (i, 0)).collect())
        .unwrap_or_default();
    while let Some((index, depth)) = stack.pop() {
        order.push((index, depth));
        if let Some(kids) = children.get(&Some(rows[index].0)) {
            stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        }
    }
    // Totals bottom-up: in reverse depth-first order every child comes before its parent.
    let mut total: HashMap<CategoryId, i64> = HashMap::with_capacity(rows.len());
    for &(index, _) in order.iter().rev() {
        let (id, parent, _) = &rows[index];
        let sum = own.get(id).copied().unwrap_or(0) + total.get(id).copied().unwrap_or(0);
        total.insert(*id, sum);
        if let Some(parent) = parent {
            *total.entry(*parent).or_insert(0) += sum;
        }
    }
    Ok(order
        .into_iter()
        .map(|(index, depth)| {
            let (id, parent_id, name) = rows[index].clone();
            CategoryNode {
                id,
                parent_id,
                name,
                depth,
                own_parts: own.get(&id).copied().unwrap_or(0),
                total_parts: total.get(&id).copied().unwrap_or(0),
            }
        })
        .collect())
}

/// Is `candidate` the category `root` or somewhere below it?
async fn is_within(conn: &mut Conn, candidate: CategoryId, root: CategoryId) -> CoreResult<bool> {
    let found: Option<i64> = sql::query_scalar(
        "SELECT depth FROM category_paths WHERE ancestor_id = $1 AND descendant_id = $2",
    )
    .bind(root)
    .bind(candidate)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

async fn ensure_name_free(
    conn: &mut Conn,
    parent: Option<CategoryId>,
    name: &str,
    except: Option<CategoryId>,
) -> CoreResult<()> {
    let taken = |_| format!("There is already a category called {name} here.");
    ensure_sibling_name_free(
        conn,
        ("categories", "name", "Category name"),
        parent,
        name,
        except,
        taken,
    )
    .await
}
