//! The SQLite database: one file, WAL journal, a busy timeout, foreign keys on,
//! migrated to the newest schema when opened.

use crate::notifications::Announcement;
use crate::write::WriteTx;
use crate::{CoreError, CoreResult};
use partwatch_types::inventory::UserId;
use partwatch_types::AppInfo;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// The database file's name inside the data directory.
pub const DATABASE_FILE_NAME: &str = "partwatch.sqlite3";

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// WAL pages (4 KiB each) written before a commit checkpoints them.
const WAL_CHECKPOINT_PAGES: &str = "10000";

/// Page cache per connection, in KiB when negative (SQLite's convention).
const CACHE_SIZE: &str = "-65536";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How many announcements a slow listener may fall behind before it misses some.
const ANNOUNCEMENT_BACKLOG: usize = 256;

/// An open, migrated Partwatch database, and the channel on which the core
/// announces committed changes to notifications.
#[derive(Debug, Clone)]
pub struct Database {
    pool: SqlitePool,
    path: PathBuf,
    announcements: broadcast::Sender<Announcement>,
    delivery_wakeup: Arc<Notify>,
    /// The user this desktop works as, as last read or switched by
    /// `inventory::users` (0: not read yet). The database row is the truth
    /// across starts; this is the core's own copy of it, so no other layer
    /// keeps one.
    current_user: Arc<AtomicI64>,
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
        MIGRATOR.run(&pool).await?;
        restrict_to_owner(path);
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let (announcements, _) = broadcast::channel(ANNOUNCEMENT_BACKLOG);
        Ok(Self {
            pool,
            path,
            announcements,
            delivery_wakeup: Arc::new(Notify::new()),
            current_user: Arc::new(AtomicI64::new(0)),
        })
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

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes SQLite's write lock at once
    /// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for it. A deferred
    /// transaction that reads first and writes later fails outright with
    /// `SQLITE_BUSY_SNAPSHOT` if another connection — the delivery worker —
    /// committed in between, and no timeout helps it. Every change goes
    /// through here; what it fires is announced when it commits (`WriteTx`).
    pub async fn begin_write(&self) -> CoreResult<WriteTx> {
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx::new(tx, self.clone()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The newest schema version this build knows (the last migration's timestamp).
    pub fn latest_known_schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Describes this database: where it lives and which schema it has.
    pub async fn info(&self) -> CoreResult<AppInfo> {
        let (schema_version, migrations_applied): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0), COUNT(*) FROM _sqlx_migrations WHERE success = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(AppInfo {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            database_path: self.path.display().to_string(),
            schema_version,
            migrations_applied,
        })
    }

    /// Closes the pool, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The database holds the SMTP password: make the file and its WAL and
/// shared-memory files readable by their owner only (SQLite gives new WAL
/// files the database file's permissions).
fn restrict_to_owner(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let file = PathBuf::from(file);
            if file.exists() {
                if let Err(err) =
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                {
                    tracing::warn!("could not make {} private: {err}", file.display());
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
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
        assert_eq!(info.migrations_applied, MIGRATOR.iter().count() as i64);
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
        assert_eq!(info.migrations_applied, MIGRATOR.iter().count() as i64);
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
