//! The schema, in two dialects. A database is migrated by the files of its
//! backend: `migrations/` for SQLite (one person's embedded database) and
//! `migrations-postgres/` for a team's PostgreSQL server. Each PostgreSQL
//! file has the version of its SQLite twin and leaves the schema in the same
//! state (same tables, columns, nullability and indexes, in PostgreSQL's
//! types), so one version number means one schema on both;
//! `tests/migrations.rs` compares them table by table.

use crate::CoreResult;
use sqlx::migrate::Migrator;
use sqlx::PgPool;

pub(crate) static SQLITE: Migrator = sqlx::migrate!("./migrations");
static POSTGRES: Migrator = sqlx::migrate!("./migrations-postgres");

/// Brings a PostgreSQL database to the newest schema this build knows.
pub async fn migrate_postgres(pool: &PgPool) -> CoreResult<()> {
    POSTGRES.run(pool).await?;
    Ok(())
}

/// The newest schema version this build knows (the last migration's
/// timestamp), the same on both backends.
pub fn latest_known_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}
