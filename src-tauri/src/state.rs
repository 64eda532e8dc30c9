use partwatch_core::delivery::DeliveryConfig;
use partwatch_core::inventory::{demo, users};
use partwatch_core::live::Listening;
use partwatch_core::team::DatabaseChoice;
use partwatch_core::{CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::TeamLink;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// What every command can reach.
pub struct AppState {
    pub db: Database,
    /// The operating system's name for whoever runs the app: the name given to
    /// the first user on a new database.
    pub os_user_name: String,
    /// Timeouts and retry policy of deliveries (also used by the test buttons).
    pub delivery_config: DeliveryConfig,
    /// Where the rotating log files go (shown in Settings).
    pub log_directory: PathBuf,
    /// Closing the window hides it to the tray (else it quits); read by the
    /// window-event handler, which cannot wait for the database.
    close_to_tray: AtomicBool,
    /// On a team database, this desktop listening to the others
    /// (`partwatch_core::live`); set when the state is started.
    pub listening: Option<Listening>,
}

impl AppState {
    /// Opens the chosen database; with `demo`, an empty one gets the demo inventory.
    pub async fn open(
        choice: &DatabaseChoice,
        data_dir: &Path,
        demo: bool,
        log_directory: PathBuf,
    ) -> CoreResult<Self> {
        let db = choice.open(data_dir).await?;
        let os_user_name = std::env::var("USER")
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "Me".to_owned());
        // Who works here: on a team database this desktop has not worked
        // on, nobody yet (the window asks).
        users::at_start(&db, &os_user_name).await?;
        if demo && demo::status(&db).await?.is_empty {
            demo::load(&db).await?;
        }
        let close_to_tray = partwatch_core::desktop::settings(&db).await?.close_to_tray;
        Ok(Self {
            db,
            os_user_name,
            delivery_config: DeliveryConfig::default(),
            log_directory,
            close_to_tray: AtomicBool::new(close_to_tray),
            listening: None,
        })
    }

    /// The user this desktop works as: the core keeps it (and announces a
    /// switch); the shell only asks.
    pub fn me(&self) -> CoreResult<UserId> {
        self.db
            .current_user()
            .ok_or_else(|| CoreError::NotFound("No user works on this desktop yet.".into()))
    }

    /// Whether this desktop hears the other desktops of its team.
    pub fn team_link(&self) -> TeamLink {
        self.listening
            .as_ref()
            .map_or(TeamLink::Own, Listening::link)
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }
}
