//! Opening the database at start, and again from the window when that
//! failed: a team's server that is down or refuses the password is a page in
//! the window that says so (with "Try again"), not an app that will not start.

use crate::state::AppState;
use crate::{delivery, events, tray};
use partwatch_core::live::Listening;
use partwatch_core::team::DatabaseChoice;
use partwatch_types::{DatabaseProblem, DatabaseSource};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use tauri::{AppHandle, Manager, Runtime};

/// What opening the database needs, kept for another try.
pub struct Startup {
    pub data_dir: PathBuf,
    pub log_directory: PathBuf,
    demo: bool,
    choice: Mutex<DatabaseChoice>,
    problem: Mutex<Option<DatabaseProblem>>,
    /// One opening at a time (a double click on "Try again").
    opening: tokio::sync::Mutex<()>,
}

impl Startup {
    pub fn new(
        data_dir: PathBuf,
        log_directory: PathBuf,
        demo: bool,
        choice: DatabaseChoice,
    ) -> Self {
        Self {
            data_dir,
            log_directory,
            demo,
            choice: Mutex::new(choice),
            problem: Mutex::new(None),
            opening: tokio::sync::Mutex::new(()),
        }
    }

    pub fn choice(&self) -> DatabaseChoice {
        self.choice
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Opens this desktop's own database from now on (after a problem).
    pub fn choose_own(&self) {
        *self.choice.lock().unwrap_or_else(PoisonError::into_inner) =
            DatabaseChoice::Own(self.data_dir.clone());
    }

    pub fn problem(&self) -> Option<DatabaseProblem> {
        self.problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Where a choice came from.
pub fn source_of(choice: &DatabaseChoice) -> DatabaseSource {
    match choice {
        DatabaseChoice::Own(_) => DatabaseSource::Own,
        DatabaseChoice::Team { source, .. } => *source,
    }
}

/// Opens the chosen database and starts everything that works on it;
/// `Some(problem)` if it could not be opened (then nothing is started and
/// the window shows the problem). Does nothing once a database is open.
pub async fn open<R: Runtime>(app: &AppHandle<R>) -> Option<DatabaseProblem> {
    let startup = app.state::<Startup>();
    let _one_at_a_time = startup.opening.lock().await;
    if app.try_state::<AppState>().is_some() {
        return None;
    }
    open_chosen(app, &startup).await
}

/// Forgets the team database saved in Settings and opens this desktop's own
/// database instead, unless a database is open already (a "Try again" that
/// got there first): then nothing changes.
pub async fn open_own<R: Runtime>(
    app: &AppHandle<R>,
) -> partwatch_core::CoreResult<Option<DatabaseProblem>> {
    let startup = app.state::<Startup>();
    let _one_at_a_time = startup.opening.lock().await;
    if app.try_state::<AppState>().is_some() {
        return Ok(None);
    }
    partwatch_core::team::save(&startup.data_dir, None)?;
    startup.choose_own();
    Ok(open_chosen(app, &startup).await)
}

/// Opens the current choice; the caller holds `opening`.
async fn open_chosen<R: Runtime>(app: &AppHandle<R>, startup: &Startup) -> Option<DatabaseProblem> {
    let choice = startup.choice();
    let problem = match AppState::open(
        &choice,
        &startup.data_dir,
        startup.demo,
        startup.log_directory.clone(),
    )
    .await
    {
        Ok(state) => {
            tracing::info!("database at {}", state.db.path().display());
            start(app, state);
            None
        }
        Err(err) => {
            tracing::error!("{} could not be opened: {err}", choice.described());
            Some(DatabaseProblem {
                database: choice.described(),
                source: source_of(&choice),
                message: err.to_string(),
            })
        }
    };
    *startup
        .problem
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = problem.clone();
    problem
}

/// Manages the state and starts the announcements, deliveries, tray and
/// the daily purge.
fn start<R: Runtime>(app: &AppHandle<R>, mut state: AppState) {
    let db = state.db.clone();
    let delivery_config = state.delivery_config.clone();
    {
        // Listening spawns on the runtime it is called from: Tauri's.
        let runtime = tauri::async_runtime::handle();
        let _inside = runtime.inner().enter();
        state.listening = partwatch_core::live::listen(&db);
    }
    let link_changes = state.listening.as_ref().map(Listening::link_changes);
    app.manage(state);
    tauri::async_runtime::spawn(events::forward_announcements(app.clone()));
    if let Some(changes) = link_changes {
        tauri::async_runtime::spawn(events::forward_team_link(app.clone(), changes));
    }
    let data_dir = app.state::<Startup>().data_dir.clone();
    delivery::start(app, db.clone(), delivery_config, &data_dir);
    if let Err(err) = tray::create(app) {
        tracing::warn!("no tray icon on this desktop: {err}");
    }
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { tray::refresh(&handle).await });
    tauri::async_runtime::spawn(partwatch_core::snoozes::end_when_due(
        db.clone(),
        SNOOZE_RECHECK,
    ));
    tauri::async_runtime::spawn(partwatch_core::notifications::purge_daily(db));
}

/// How often the snoozes are looked at again between their ends (one set
/// since, here or on another desktop of the team, ends at most this late).
const SNOOZE_RECHECK: std::time::Duration = std::time::Duration::from_secs(300);
