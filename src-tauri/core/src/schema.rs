//! The schema, in two dialects. A database is migrated by the files of its
//! backend: `migrations/` for SQLite (one person's embedded database) and
//! `migrations-postgres/` for a team's PostgreSQL server. Each PostgreSQL
//! file has the version of its SQLite twin and leaves the schema in the same
//! state (same tables, columns, nullability and indexes, in PostgreSQL's
//! types), so one version number means one schema on both;
//! `tests/migrations.rs` compares them table by table.

use crate::{CoreError, CoreResult};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{PgPool, SqlitePool};

pub(crate) static SQLITE: Migrator = sqlx::migrate!("./migrations");
static POSTGRES: Migrator = sqlx::migrate!("./migrations-postgres");

/// Brings a SQLite database to the newest schema this build knows, after
/// refusing one that a newer Partwatch has already moved further.
///
/// The migrations run on a connection of their own with foreign keys off,
/// as SQLite's way of changing a table (create, copy, drop, rename) needs:
/// dropping a table that others point at must not cascade into them. Every
/// key is checked once they ran. A database already at this build's
/// version is left alone.
pub async fn migrate_sqlite(pool: &SqlitePool) -> CoreResult<()> {
    let applied = applied_sqlite(pool).await?;
    refuse_newer(applied)?;
    if applied == Some(latest_known_version()) {
        return Ok(());
    }
    let options = pool.connect_options().as_ref().clone().foreign_keys(false);
    let migrating = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let ran = SQLITE.run(&migrating).await;
    let dangling: Result<Vec<(String, String)>, sqlx::Error> =
        sqlx::query_as(r#"SELECT "table", parent FROM pragma_foreign_key_check LIMIT 5"#)
            .fetch_all(&migrating)
            .await;
    migrating.close().await;
    ran?;
    if let Some((table, parent)) = dangling?.first() {
        return Err(CoreError::Corrupt(format!(
            "After the schema changed, a row of {table} points at a row of {parent} that is not there."
        )));
    }
    Ok(())
}

/// Brings a PostgreSQL database to the newest schema this build knows, after
/// refusing one that a newer Partwatch has already moved further.
///
/// Only the login that owns the schema migrates it: a person's own login
/// (see `people`) opens a database that is up to date without touching the
/// schema, and is told in words when the owner must start Partwatch first.
pub async fn migrate_postgres(pool: &PgPool) -> CoreResult<()> {
    let applied = applied_postgres(pool).await?;
    refuse_newer(applied)?;
    // The schema's owner is whoever owns its record of migrations (a
    // database without one is new: whoever creates it owns it).
    let may_migrate: bool = sqlx::query_scalar(
        "SELECT COALESCE((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
                           WHERE schemaname = current_schema() AND tablename = '_sqlx_migrations'),
                         TRUE)",
    )
    .fetch_one(pool)
    .await?;
    if !may_migrate {
        let known = latest_known_version();
        return match applied {
            Some(found) if found == known => Ok(()),
            found => Err(CoreError::Forbidden(format!(
                "This team database has schema version {}, and this Partwatch brings it to {known}: \
                 only the login that owns the database may do that. Ask your team's database \
                 administrator to start this Partwatch once with that login.",
                found.map_or_else(|| "none".to_owned(), |v| v.to_string())
            ))),
        };
    }
    POSTGRES.run(pool).await?;
    Ok(())
}

async fn applied_sqlite(pool: &SqlitePool) -> CoreResult<Option<i64>> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    if !has_table {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?,
    )
}

async fn applied_postgres(pool: &PgPool) -> CoreResult<Option<i64>> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                         WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    if !has_table {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?,
    )
}

/// A schema newer than this build's is refused with both versions: this
/// build would not know what its data means (and sqlx would only say a
/// migration is "missing").
fn refuse_newer(applied: Option<i64>) -> CoreResult<()> {
    let known = latest_known_version();
    match applied {
        Some(found) if found > known => Err(CoreError::NewerSchema { found, known }),
        _ => Ok(()),
    }
}

/// The newest schema version this build knows (the last migration's
/// timestamp), the same on both backends.
pub fn latest_known_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}
