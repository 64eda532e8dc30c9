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

/// Where the database a desktop opened was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseSource {
    /// This desktop's own SQLite file (nothing else was chosen).
    Own,
    /// `partwatch --database …`.
    CommandLine,
    /// `PARTWATCH_DATABASE_URL`.
    Environment,
    /// Settings › Team database.
    Settings,
}

/// What is at a team database's URL, found without changing anything there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDatabaseCheck {
    /// `postgres://user@host:port/db` (never the password).
    pub target: String,
    pub server_version: String,
    /// The newest Partwatch migration there, if Partwatch has been there.
    pub schema_version: Option<i64>,
    /// The newest this Partwatch knows: a higher one there is refused.
    pub known_schema_version: i64,
    /// How many parts it holds, where Partwatch has been.
    pub parts: Option<i64>,
}

/// What this desktop's login may change beyond a person's own things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// The team's settings: the global notification switches, the mail
    /// server, webhooks, and adding or (de)activating people. Always on a
    /// desktop's own file; on a team database, for the owner's login and
    /// administrators' logins only.
    pub team_settings: bool,
}

/// Which database this desktop has open, and which it opens next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDatabaseStatus {
    /// The open database: the SQLite path or `postgres://user@host:port/db`.
    pub open: String,
    pub is_postgres: bool,
    pub source: DatabaseSource,
    /// The team database saved in Settings for the next start (described),
    /// if any. The command line and the environment still come first.
    pub saved: Option<String>,
    /// Where this desktop keeps that database's password, if it keeps one.
    pub password_place: Option<PasswordPlace>,
}

/// Where a desktop keeps its team database's password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "place")]
pub enum PasswordPlace {
    /// In the OS keyring (Secret Service on Linux).
    Keyring,
    /// In the saved URL, in a file readable by its owner only, because the
    /// keyring could not take it (`reason`).
    PrivateFile { reason: String },
}

/// The database could not be opened at start: the window says so (and
/// offers to try again) instead of the app failing to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseProblem {
    /// The database that was tried (never its password).
    pub database: String,
    pub source: DatabaseSource,
    /// What went wrong, in words.
    pub message: String,
}

/// Whether this desktop hears, at once, what other desktops change in a team
/// database (PostgreSQL `LISTEN`). Pushed as `TEAM_LINK_CHANGED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TeamLink {
    /// This desktop's own database: there is no one else to hear from.
    Own,
    /// Listening for the first time.
    Connecting,
    /// Listening: other desktops' changes arrive as they commit.
    Live,
    /// The listening connection is lost; Partwatch keeps trying, waiting
    /// longer after each failure (up to half a minute).
    Lost {
        /// When it was lost (ISO-8601 UTC).
        since: String,
        /// Why, in words.
        reason: String,
        /// Failed attempts to listen again so far.
        attempts: u32,
    },
}
