use partwatch_core::inventory::{demo, users};
use partwatch_core::{CoreResult, Database};
use std::path::Path;

/// What every command can reach.
pub struct AppState {
    pub db: Database,
    /// The operating system's name for whoever runs the app: the name given to
    /// the first user on a new database.
    pub os_user_name: String,
}

impl AppState {
    /// Opens the database; with `demo`, an empty one gets the demo inventory.
    pub async fn open(data_dir: &Path, demo: bool) -> CoreResult<Self> {
        let db = Database::open_in(data_dir).await?;
        let os_user_name = std::env::var("USER")
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "Me".to_owned());
        // Make sure a current user exists before anything is recorded.
        users::current(&db, &os_user_name).await?;
        if demo && demo::status(&db).await?.is_empty {
            demo::load(&db).await?;
        }
        Ok(Self { db, os_user_name })
    }
}
