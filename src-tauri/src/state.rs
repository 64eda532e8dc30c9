use partwatch_core::delivery::DeliveryConfig;
use partwatch_core::inventory::{demo, users};
use partwatch_core::{CoreResult, Database};
use partwatch_types::inventory::UserId;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};

/// What every command can reach.
pub struct AppState {
    pub db: Database,
    /// The operating system's name for whoever runs the app: the name given to
    /// the first user on a new database.
    pub os_user_name: String,
    /// The user this desktop works as (also stored in the database, which is
    /// the truth across starts; `switch_user` keeps both in step).
    current_user: AtomicI64,
    /// Timeouts and retry policy of deliveries (also used by the test buttons).
    pub delivery_config: DeliveryConfig,
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
        let me = users::current(&db, &os_user_name).await?;
        if demo && demo::status(&db).await?.is_empty {
            demo::load(&db).await?;
        }
        Ok(Self {
            db,
            os_user_name,
            current_user: AtomicI64::new(me.id),
            delivery_config: DeliveryConfig::default(),
        })
    }

    pub fn current_user(&self) -> UserId {
        self.current_user.load(Ordering::Relaxed)
    }

    pub fn set_current_user(&self, user: UserId) {
        self.current_user.store(user, Ordering::Relaxed);
    }
}
