//! The inventory: users, the category tree, parts and their variants, stock,
//! BOMs and build orders. Every function validates its input first and does
//! its writes in one transaction, so a rejected call changes nothing.

pub mod bom;
pub mod builds;
pub mod categories;
pub mod demo;
pub mod generator;
pub mod parts;
pub mod stock;
pub mod users;

use crate::{CoreError, CoreResult};
use sqlx::SqliteConnection;

/// `NotFound` unless a row with this id exists in `table`.
pub(crate) async fn must_exist(
    conn: &mut SqliteConnection,
    table: &'static str,
    what: &str,
    id: i64,
) -> CoreResult<()> {
    let found: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| CoreError::NotFound(format!("{what} {id} does not exist.")))
}
