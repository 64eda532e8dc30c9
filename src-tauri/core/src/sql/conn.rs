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
