use partwatch_core::delivery::DeliveryConfig;
use partwatch_core::inventory::{demo, users};
use partwatch_core::{CoreResult, Database};
use partwatch_types::inventory::UserId;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

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
    /// Where the rotating log files go (shown in Settings).
    pub log_directory: PathBuf,
    /// Closing the window hides it to the tray (else it quits); read by the
    /// window-event handler, which cannot wait for the database.
    close_to_tray: AtomicBool,
}

impl AppState {
    /// Opens the database; with `demo`, an empty one gets the demo inventory.
    pub async fn open(data_dir: &Path, demo: bool, log_directory: PathBuf) -> CoreResult<Self> {
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
        let close_to_tray = partwatch_core::desktop::settings(&db).await?.close_to_tray;
        Ok(Self {
            db,
            os_user_name,
            current_user: AtomicI64::new(me.id),
            delivery_config: DeliveryConfig::default(),
            log_directory,
            close_to_tray: AtomicBool::new(close_to_tray),
        })
    }

    pub fn current_user(&self) -> UserId {
        self.current_user.load(Ordering::Relaxed)
    }

    pub fn set_current_user(&self, user: UserId) {
        self.current_user.store(user, Ordering::Relaxed);
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }
}
