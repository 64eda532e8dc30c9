//! The Partwatch desktop shell: opens the window, owns the app state and
//! translates between IPC and the domain core. It holds no domain logic:
//! every command takes state, calls one core function and maps the error.

mod cli;
mod commands;
mod state;

use state::AppState;
use tauri::{Manager, Runtime};

/// Environment variable that overrides where the database lives (tests use it).
pub const DATA_DIR_ENV: &str = "PARTWATCH_DATA_DIR";

/// Builds and runs the app on the default (wry) runtime.
pub fn run() {
    init_logging();
    let options = match cli::Options::parse(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("partwatch: {message}");
            std::process::exit(2);
        }
    };
    let app = build_app(tauri::Builder::default(), options).build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            tracing::error!("Partwatch could not start: {err}");
            std::process::exit(1);
        }
    }
}

/// Everything but the runtime: plugins, state, commands.
fn build_app<R: Runtime>(builder: tauri::Builder<R>, options: cli::Options) -> tauri::Builder<R> {
    builder
        .setup(move |app| {
            let data_dir = match (options.data_dir, std::env::var_os(DATA_DIR_ENV)) {
                (Some(dir), _) => dir,
                (None, Some(dir)) if !dir.is_empty() => std::path::PathBuf::from(dir),
                _ => app.path().app_data_dir()?,
            };
            let state = tauri::async_runtime::block_on(AppState::open(&data_dir))?;
            tracing::info!("database at {}", state.db.path().display());
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::system::app_info])
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARTWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}
