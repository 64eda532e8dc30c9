//! The inventory: users, the category tree, parts and their variants, stock,
//! BOMs and build orders. Every function validates its input first and does
//! its writes in one transaction, so a rejected call changes nothing.

pub mod bom;
pub mod builds;
pub mod categories;
pub mod demo;
pub mod generator;
pub mod locations;
pub mod parts;
pub mod production;
pub mod stock;
pub mod users;

use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult};

/// `NotFound` unless a row with this id exists in `table`.
pub(crate) async fn must_exist<Id>(
    conn: &mut Conn,
    table: &'static str,
    what: &str,
    id: Id,
) -> CoreResult<()>
where
    Id: for<'q> sql::Bindable<'q> + std::fmt::Display + Copy,
{
    let found: Option<i64> = sql::query_scalar(format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| CoreError::NotFound(format!("{what} {id} does not exist.")))
}

/// Whether a row of `table` other than `except` already has this name
/// (names are unique regardless of case).
pub(crate) async fn name_taken<Id>(
    conn: &mut Conn,
    table: &'static str,
    name: &str,
    except: Option<Id>,
) -> CoreResult<bool>
where
    Id: for<'q> sql::Bindable<'q>,
{
    let taken: Option<i64> = sql::query_scalar(format!(
        "SELECT id FROM {table} WHERE name = $1 COLLATE NOCASE AND id IS DISTINCT FROM $2"
    ))
    .bind(name)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(taken.is_some())
}

/// Refuses a name that a sibling in the tree `table` (a row under the same
/// `parent`, other than `except`) already has, regardless of case; the
/// conflict says `taken` of that sibling's `column`, about the field
/// `field` ("Category name").
pub(crate) async fn ensure_sibling_name_free<Id>(
    conn: &mut Conn,
    (table, column, field): (&'static str, &'static str, &'static str),
    parent: Option<Id>,
    name: &str,
    except: Option<Id>,
    taken: impl FnOnce(String) -> String,
) -> CoreResult<()>
where
    Id: for<'q> sql::Bindable<'q>,
{
    let sibling: Option<String> = sql::query_scalar(format!(
        "SELECT {column} FROM {table}
          WHERE parent_id IS NOT DISTINCT FROM $1 AND name = $2 COLLATE NOCASE AND id IS DISTINCT FROM $3"
    ))
    .bind(parent)
    .bind(name)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match sibling {
        Some(sibling) => Err(CoreError::Conflict(taken(sibling)).on_field(field)),
        None => Ok(()),
    }
}
