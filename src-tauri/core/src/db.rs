//! The database: one person's SQLite file (WAL journal, a busy timeout,
//! foreign keys on) or a team's PostgreSQL server, migrated to the newest
//! schema when opened. The rest of the core runs its statements through
//! `crate::sql`, which serves either backend.

use crate::notifications::Announcement;
use crate::secrets::{OsKeyring, SecretStore};
use crate::sql::{Conn, Target};
use crate::write::WriteTx;
use crate::{CoreError, CoreResult};
use partwatch_types::inventory::UserId;
use partwatch_types::AppInfo;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use sqlx::{PgPool, SqlitePool};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// The database file's name inside the data directory.
pub const DATABASE_FILE_NAME: &str = "partwatch.sqlite3";

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a PostgreSQL server has to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A pool of up to `max_connections` to a PostgreSQL server, after one plain
/// connection has shown the server is there and takes the login: a pool
/// retries a refused connection until its timeout and then says only that it
/// timed out, where a person needs to read "refused the login".
pub(crate) async fn connect_postgres(
    options: PgConnectOptions,
    max_connections: u32,
) -> CoreResult<PgPool> {
    let server = format!("{}:{}", options.get_host(), options.get_port());
    let unreachable = |reason: String| {
        CoreError::Unreachable(format!(
            "Could not connect to the PostgreSQL server at {server}: {reason}"
        ))
    };
    let first = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_| {
            unreachable(format!(
                "it did not answer within {} seconds.",
                CONNECT_TIMEOUT.as_secs()
            ))
        })?
        .map_err(|err| unreachable(connect_failure(&options, err)))?;
    // Closing a connection that worked a moment ago: a failure here says
    // nothing about the server the pool will reach.
    let _ = first.close().await;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(BUSY_TIMEOUT)
        .connect_with(options)
        .await?)
}

/// Why a first connection failed, in words that say what to fix.
pub(crate) fn connect_failure(options: &PgConnectOptions, err: sqlx::Error) -> String {
    match err {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "it refused the connection (is PostgreSQL running and listening on that port?)".into()
        }
        sqlx::Error::Io(io) => format!("it could not be reached ({io})."),
        sqlx::Error::Tls(tls) => format!("the TLS connection failed ({tls})."),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01" | "28000") => format!(
                "it refused the login of {:?} ({}).",
                options.get_username(),
                db.message()
            ),
            Some("3D000") => format!(
                "it has no database {:?} ({}).",
                options.get_database().unwrap_or_default(),
                db.message()
            ),
            _ => format!("{}.", db.message()),
        },
        other => format!("{other}."),
    }
}

/// WAL pages (4 KiB each) written before a commit checkpoints them.
const WAL_CHECKPOINT_PAGES: &str = "10000";

/// Page cache per connection, in KiB when negative (SQLite's convention).
const CACHE_SIZE: &str = "-65536";

/// How many announcements a slow listener may fall behind before it misses some.
const ANNOUNCEMENT_BACKLOG: usize = 256;

/// The PostgreSQL advisory lock every write transaction holds (see
/// `begin_write`); the number is "PW" and a 1 in ASCII, any fixed value works.
const POSTGRES_WRITE_LOCK: i64 = 0x5057_0001;

/// A number no other open database handle is likely to draw: the process id
/// and the standard library's per-process random hash keys.
pub(crate) fn random_origin() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Where the data lives: the pool of one backend or the other.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Backend {
    pub(crate) fn target(&self) -> Target<'_> {
        match self {
            Backend::Sqlite(pool) => Target::SqlitePool(pool),
            Backend::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

/// An open, migrated Partwatch database, and the channel on which the core
/// announces committed changes to notifications.
#[derive(Debug, Clone)]
pub struct Database {
    backend: Backend,
    /// The SQLite file, or for PostgreSQL its server and database (never
    /// the password) as `postgres://user@host:port/db`.
    path: PathBuf,
    announcements: broadcast::Sender<Announcement>,
    delivery_wakeup: Arc<Notify>,
    /// The user this desktop works as, as last read or switched by
    /// `inventory::users` (0: not read yet). The database row is the truth
    /// across starts; this is the core's own copy of it, so no other layer
    /// keeps one.
    current_user: Arc<AtomicI64>,
    /// Tells this desktop's announcements apart from other desktops' on a
    /// team database (`crate::live`): random for each open.
    origin: u64,
    /// On a team database, the file in this desktop's data directory that
    /// remembers who works here (`with_desktop_dir`); the shared database
    /// cannot, since every desktop of the team has its own person.
    person_file: Option<PathBuf>,
    /// Names this desktop in the delivery leases it takes: on a team
    /// database the same across its starts (kept in its data directory, see
    /// `with_desktop_dir`), so a starting worker can release the leases its
    /// own last run left and no other desktop's.
    desktop_id: Arc<str>,
    /// Where this desktop keeps the secrets the database must not hold
    /// (the mail server's password): the OS keyring unless told otherwise.
    secrets: Arc<dyn SecretStore>,
}

impl Database {
    /// Opens (creating if needed) the database in `data_dir` and migrates it.
    /// The directory is made private to its owner (0700 on unix), whether it
    /// is new or already there.
    pub async fn open_in(data_dir: &Path) -> CoreResult<Self> {
        let loose = crate::private::create_private_dir(data_dir).map_err(|source| {
            CoreError::DataDirectory {
                path: data_dir.display().to_string(),
                source,
            }
        })?;
        if let Some(problem) = loose {
            // Used all the same: the database files in it are still made 0600.
            tracing::warn!("{problem}");
        }
        Self::open(&data_dir.join(DATABASE_FILE_NAME)).await
    }

    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub async fn open(path: &Path) -> CoreResult<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // Measured in BENCHMARKS.md (throughput on 1M parts, 19.6k → 32.6k
            // adjustments/s): checkpoint every ~40 MiB of WAL rather than every
            // 4 MiB, so a large batch does not pay a checkpoint (and its fsync) on
            // every commit; and up to 64 MiB of page cache per connection, so a
            // batch's pages stay cached between its statements. Small databases
            // never reach either limit.
            .pragma("wal_autocheckpoint", WAL_CHECKPOINT_PAGES)
            .pragma("cache_size", CACHE_SIZE);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        crate::schema::migrate_sqlite(&pool).await?;
        crate::private::restrict_to_owner(path);
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Self::with_backend(Backend::Sqlite(pool), path))
    }

    /// Connects to a team's PostgreSQL database (`postgres://…` with the
    /// usual `sslmode`, `sslrootcert` parameters) and migrates it.
    pub async fn open_postgres(url: &str) -> CoreResult<Self> {
        let options = crate::team::parse(url)?;
        let described = format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = connect_postgres(options, 4).await?;
        crate::schema::migrate_postgres(&pool).await?;
        Ok(Self::with_backend(
            Backend::Postgres(pool),
            PathBuf::from(described),
        ))
    }

    fn with_backend(backend: Backend, path: PathBuf) -> Self {
        let (announcements, _) = broadcast::channel(ANNOUNCEMENT_BACKLOG);
        let origin = random_origin();
        Self {
            backend,
            path,
            announcements,
            delivery_wakeup: Arc::new(Notify::new()),
            current_user: Arc::new(AtomicI64::new(0)),
            origin,
            person_file: None,
            desktop_id: Arc::from(format!("{origin:016x}")),
            secrets: Arc::new(OsKeyring),
        }
    }

    /// Keeps this desktop's secrets in `secrets` instead of the OS keyring.
    pub fn with_secrets(mut self, secrets: Arc<dyn SecretStore>) -> Self {
        self.secrets = secrets;
        self
    }

    pub(crate) fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// Keeps who works on this desktop, and the name its delivery leases
    /// carry, in `data_dir` (a team database only; a SQLite file remembers
    /// its person itself and has one desktop). Without it, a team
    /// database's person and this desktop's name last as long as this handle.
    pub fn with_desktop_dir(mut self, data_dir: &Path) -> Self {
        if self.is_postgres() {
            self.person_file = Some(data_dir.join(crate::team::PERSON_FILE_NAME));
            self.desktop_id = Arc::from(crate::team::desktop_id(data_dir, self.origin));
        }
        self
    }

    /// The name this desktop's delivery leases carry.
    pub(crate) fn desktop_id(&self) -> &str {
        &self.desktop_id
    }

    pub(crate) fn person_file(&self) -> Option<&Path> {
        self.person_file.as_deref()
    }

    pub(crate) fn origin(&self) -> u64 {
        self.origin
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Whether this is a team's PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Listens to what the core announces after each commit that changed notifications.
    pub fn announcements(&self) -> broadcast::Receiver<Announcement> {
        self.announcements.subscribe()
    }

    /// Announces a committed change (call only after the commit; `WriteTx`
    /// does it for every change).
    pub(crate) fn announce(&self, announcement: Announcement) {
        // No listener is not an error: tests and benchmarks run without one.
        let _ = self.announcements.send(announcement);
    }

    /// The user this desktop works as, once `inventory::users::current` has
    /// read (or created) them; `None` before that.
    pub fn current_user(&self) -> Option<UserId> {
        match self.current_user.load(Ordering::Acquire) {
            0 => None,
            id => Some(UserId(id)),
        }
    }

    /// Remembers who this desktop works as (only `inventory::users` calls it,
    /// with what it has just read or committed).
    pub(crate) fn remember_current_user(&self, user: UserId) {
        self.current_user.store(user.get(), Ordering::Release);
    }

    /// Wakes the delivery worker: new deliveries are due (call after the commit).
    pub(crate) fn wake_delivery(&self) {
        self.delivery_wakeup.notify_one();
    }

    /// What the delivery worker waits on besides its timer.
    pub(crate) fn delivery_wakeup(&self) -> Arc<Notify> {
        Arc::clone(&self.delivery_wakeup)
    }

    /// The SQLite pool, for code not yet moved to `crate::sql`.
    ///
    /// # Panics
    /// On a PostgreSQL database: such code cannot run there.
    pub fn pool(&self) -> &SqlitePool {
        match &self.backend {
            Backend::Sqlite(pool) => pool,
            Backend::Postgres(_) => panic!("this statement has not been moved to crate::sql yet"),
        }
    }

    /// A connection from the pool, for a series of reads.
    pub async fn connection(&self) -> CoreResult<Conn> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Conn::SqlitePooled(pool.acquire().await?),
            Backend::Postgres(pool) => Conn::PostgresPooled(pool.acquire().await?),
        })
    }

    /// A connection inside a read-only transaction: every statement on it
    /// sees the database as it was at the first one (SQLite's snapshot of a
    /// deferred transaction; PostgreSQL's `REPEATABLE READ`), so that reads
    /// which must agree (the two files of an export) do. Rolled back when
    /// dropped.
    pub async fn read_snapshot(&self) -> CoreResult<Conn> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Conn::SqliteTx(pool.begin_with("BEGIN DEFERRED").await?),
            Backend::Postgres(pool) => Conn::PostgresTx(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// Starts a write transaction that holds the database's one writer lock
    /// from its first statement, waiting up to the busy timeout for it, so
    /// that what a change reads to decide what fires (a part's alert state,
    /// its subscribers) cannot move before it commits. On SQLite that is the
    /// write lock (`BEGIN IMMEDIATE`): a deferred transaction that reads
    /// first and writes later fails outright with `SQLITE_BUSY_SNAPSHOT` if
    /// another connection — the delivery worker — committed in between. On
    /// PostgreSQL it is a transaction-scoped advisory lock that every
    /// desktop's writers take: writes are short, and one at a time keeps the
    /// edge-triggered rules exactly as on SQLite. Every change goes through
    /// here; what it fires is announced when it commits (`WriteTx`).
    pub async fn begin_write(&self) -> CoreResult<WriteTx> {
        let conn =
            match &self.backend {
                Backend::Sqlite(pool) => Conn::SqliteTx(pool.begin_with("BEGIN IMMEDIATE").await?),
                Backend::Postgres(pool) => {
                    let mut conn = Conn::PostgresTx(pool.begin().await?);
                    // The person of this desktop rides on the transaction, for
                    // what records who made a change (`users::current_id`).
                    crate::sql::query(
                    "SELECT pg_advisory_xact_lock($1), set_config('partwatch.person', $2, TRUE)",
                )
                .bind(POSTGRES_WRITE_LOCK)
                .bind(self.current_user().map(|u| u.get().to_string()).unwrap_or_default())
                .execute(&mut conn)
                .await?;
                    conn
                }
            };
        Ok(WriteTx::new(conn, self.clone()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The newest schema version this build knows (the last migration's timestamp).
    pub fn latest_known_schema_version() -> i64 {
        crate::schema::latest_known_version()
    }

    /// Describes this database: where it lives and which schema it has.
    pub async fn info(&self) -> CoreResult<AppInfo> {
        let (schema_version, migrations_applied): (i64, i64) = crate::sql::query_as(
            "SELECT COALESCE(MAX(version), 0), COUNT(*) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(self)
        .await?;
        Ok(AppInfo {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            database_path: self.path.display().to_string(),
            schema_version,
            migrations_applied,
        })
    }

    /// Closes the pool (on SQLite, checkpointing the WAL).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_a_new_file_in_wal_mode_and_migrates_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::open_in(&dir.path().join("nested"))
            .await
            .expect("database opens");
        assert!(dir.path().join("nested").join(DATABASE_FILE_NAME).is_file());

        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(db.pool())
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(db.pool())
            .await
            .expect("pragma");
        assert_eq!(fk, 1);

        let info = db.info().await.expect("info");
        assert_eq!(info.schema_version, Database::latest_known_schema_version());
        assert!(info.schema_version >= 20261201090000);
        assert_eq!(
            info.migrations_applied,
            crate::schema::SQLITE.iter().count() as i64
        );
        assert!(info.database_path.ends_with(DATABASE_FILE_NAME));

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = dir.path().join("nested").join(DATABASE_FILE_NAME);
            for suffix in ["", "-wal", "-shm"] {
                let mut name = file.as_os_str().to_owned();
                name.push(suffix);
                let mode = std::fs::metadata(&name)
                    .expect("file exists")
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{suffix}: {mode:o}");
            }
        }
    }

    #[tokio::test]
    async fn reopening_keeps_data_and_does_not_migrate_twice() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = Database::open_in(dir.path()).await.expect("opens");
        let created: (String,) = sqlx::query_as("SELECT created_at FROM instance")
            .fetch_one(first.pool())
            .await
            .expect("row");
        first.close().await;

        let second = Database::open_in(dir.path()).await.expect("reopens");
        let again: (String,) = sqlx::query_as("SELECT created_at FROM instance")
            .fetch_one(second.pool())
            .await
            .expect("row");
        assert_eq!(created, again);
        let info = second.info().await.expect("info");
        assert_eq!(
            info.migrations_applied,
            crate::schema::SQLITE.iter().count() as i64
        );
    }

    /// The data directory holds the database (and its SMTP password), the
    /// window state and the logs: other users may not even list it.
    #[cfg(unix)]
    #[tokio::test]
    async fn the_data_dir_is_private_whether_new_or_already_there() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("data dir exists")
                .permissions()
                .mode()
                & 0o777
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let new = dir.path().join("new").join("data");
        let db = Database::open_in(&new).await.expect("opens");
        db.close().await;
        assert_eq!(mode(&new), 0o700, "new: {:o}", mode(&new));

        let existing = dir.path().join("existing");
        std::fs::create_dir(&existing).expect("dir");
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let db = Database::open_in(&existing).await.expect("opens");
        db.close().await;
        assert_eq!(mode(&existing), 0o700, "existing: {:o}", mode(&existing));
    }

    #[tokio::test]
    async fn a_data_dir_that_is_a_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, b"x").expect("write");
        let err = Database::open_in(&blocker).await.expect_err("must fail");
        assert_eq!(err.code(), partwatch_types::ErrorCode::Database);
        assert!(err.to_string().contains("could not be prepared"), "{err}");
    }
}
