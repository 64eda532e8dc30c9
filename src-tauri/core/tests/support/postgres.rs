//! A database of its own on the harness's private PostgreSQL cluster, for a
//! test that needs one (team mode's backend).

use super::harness::harness;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU32, Ordering};

/// An empty database, created for one test. `drop` removes it; a test that
/// panics first leaves it behind, and the harness throws the whole cluster
/// away when it ends.
pub struct ScratchDatabase {
    pub pool: PgPool,
    pub url: String,
    name: String,
    admin: PgPool,
}

/// Creates an empty database on the harness's cluster and connects to it.
pub async fn scratch_database() -> ScratchDatabase {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin_url = harness("PARTWATCH_TEST_POSTGRES_URL");
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin_url)
        .await
        .expect("the harness's PostgreSQL accepts its superuser");
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create a scratch database");
    let (server, _) = admin_url.rsplit_once('/').expect("URL ends in a database");
    let url = format!("{server}/{name}");
    let pool = PgPool::connect(&url)
        .await
        .expect("connect to the scratch database");
    ScratchDatabase {
        pool,
        url,
        name,
        admin,
    }
}

impl ScratchDatabase {
    /// Closes the connections and removes the database.
    pub async fn drop(self) {
        self.pool.close().await;
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&self.admin)
            .await
            .expect("drop the scratch database");
    }
}

/// The database standing for the data directory `dir` when the suites run on
/// PostgreSQL (`PARTWATCH_TEST_BACKEND=postgres`): created the first time,
/// the same one each time `dir` is opened again. Left to the harness to
/// throw away with its cluster.
pub async fn database_for(dir: &std::path::Path) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static DATABASES: OnceLock<Mutex<HashMap<std::path::PathBuf, String>>> = OnceLock::new();
    let known = DATABASES
        .get_or_init(Default::default)
        .lock()
        .expect("lock")
        .get(dir)
        .cloned();
    if let Some(url) = known {
        return url;
    }
    let scratch = scratch_database().await;
    scratch.pool.close().await;
    let url = scratch.url.clone();
    DATABASES
        .get_or_init(Default::default)
        .lock()
        .expect("lock")
        .insert(dir.to_path_buf(), url.clone());
    url
}
