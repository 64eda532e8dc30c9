use serde::{Deserialize, Serialize};

/// Where this instance keeps its data and what shape that data is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The version of the running app (the package version).
    pub app_version: String,
    /// Absolute path of the SQLite database file, or the team's PostgreSQL
    /// database as `postgres://user@host:port/db` (never the password).
    pub database_path: String,
    /// Version of the newest migration applied (its timestamp, e.g. 20261201090000).
    pub schema_version: i64,
    /// How many migrations have been applied.
    pub migrations_applied: i64,
}

/// How far moving a SQLite database up to PostgreSQL has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveProgress {
    /// The table being copied.
    pub table: String,
    /// Rows copied so far, over all tables.
    pub copied: u64,
    /// Rows to copy in all.
    pub total: u64,
}

/// What a finished move copied, and where to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveSummary {
    /// The PostgreSQL database, as `postgres://user@host:port/db`.
    pub target: String,
    pub tables: u64,
    pub rows: u64,
}
