use serde::{Deserialize, Serialize};

/// Where this instance keeps its data and what shape that data is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The version of the running app (the package version).
    pub app_version: String,
    /// Absolute path of the SQLite database file.
    pub database_path: String,
    /// Version of the newest migration applied (its timestamp, e.g. 20261201090000).
    pub schema_version: i64,
    /// How many migrations have been applied.
    pub migrations_applied: i64,
}
