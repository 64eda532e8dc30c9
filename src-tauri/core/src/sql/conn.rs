//! What a statement runs on: a held [`Conn`] (a transaction or a pooled
//! connection) or the [`Database`]'s pool, either backend.

use crate::Database;
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// A connection of either backend, held for a while: a transaction (every
/// write, see `Database::begin_write`) or a connection from the pool (a
/// series of reads).
pub enum Conn {
    SqliteTx(Transaction<'static, Sqlite>),
    SqlitePooled(PoolConnection<Sqlite>),
    PostgresTx(Transaction<'static, Postgres>),
    PostgresPooled(PoolConnection<Postgres>),
}

impl Conn {
    /// Whether this is a connection to a team's PostgreSQL database.
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::PostgresTx(_) | Conn::PostgresPooled(_))
    }

    /// Gives PostgreSQL's planner the figures of a temporary table just
    /// filled (nothing else analyses temporary tables): without them it
    /// guesses a thousand rows and joins a one-part move by reading every
    /// part (16 ms instead of 0.1 on 100,000 parts). SQLite needs nothing.
    pub(crate) async fn analyze_staged(&mut self, table: &str) -> sqlx::Result<()> {
        if self.is_postgres() {
            super::query(format!("ANALYZE {table}"))
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    /// Commits a transaction (a pooled connection has nothing to commit).
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Conn::SqliteTx(tx) => tx.commit().await,
            Conn::PostgresTx(tx) => tx.commit().await,
            Conn::SqlitePooled(_) | Conn::PostgresPooled(_) => Ok(()),
        }
    }
}

/// What a statement runs on, borrowed for the statement.
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    Sqlite(&'c mut SqliteConnection),
    PostgresPool(&'c PgPool),
    Postgres(&'c mut PgConnection),
}

/// Anything a statement can run on.
pub trait Runs<'c> {
    fn target(self) -> Target<'c>;
}

impl<'c> Runs<'c> for &'c mut Conn {
    fn target(self) -> Target<'c> {
        match self {
            Conn::SqliteTx(tx) => Target::Sqlite(tx),
            Conn::SqlitePooled(conn) => Target::Sqlite(conn),
            Conn::PostgresTx(tx) => Target::Postgres(tx),
            Conn::PostgresPooled(conn) => Target::Postgres(conn),
        }
    }
}

impl<'c> Runs<'c> for &'c Database {
    fn target(self) -> Target<'c> {
        self.backend().target()
    }
}
