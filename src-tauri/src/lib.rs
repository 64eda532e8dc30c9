//! The Partwatch desktop shell: opens the window, owns the app state and
//! translates between IPC and the domain core. It holds no domain logic:
//! every command takes state, calls one core function and maps the error.

mod cli;
mod commands;
mod delivery;
mod events;
mod state;
mod tray;

use state::AppState;
use std::path::PathBuf;
use tauri::{Emitter, Manager, Runtime, WindowEvent};

/// Environment variable that overrides where the database lives (tests use it).
pub const DATA_DIR_ENV: &str = "PARTWATCH_DATA_DIR";

/// Builds and runs the app on the default (wry) runtime.
pub fn run() {
    let options = match cli::Options::parse(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("partwatch: {message}");
            std::process::exit(2);
        }
    };
    let app = build_app(tauri::Builder::default(), options).build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                delivery::stop(handle);
            }
        }),
        Err(err) => {
            tracing::error!("Partwatch could not start: {err}");
            std::process::exit(1);
        }
    }
}

/// Everything but the runtime: plugins, state, commands.
fn build_app<R: Runtime>(builder: tauri::Builder<R>, options: cli::Options) -> tauri::Builder<R> {
    // A data directory chosen on the command line (or by the environment)
    // keeps the window state and the logs with it: tests and demos stay apart
    // from the user's own.
    let chosen_dir = match (options.data_dir.clone(), std::env::var_os(DATA_DIR_ENV)) {
        (Some(dir), _) => Some(dir),
        (None, Some(dir)) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => None,
    };
    let mut window_state = tauri_plugin_window_state::Builder::default();
    if let Some(dir) = &chosen_dir {
        window_state =
            window_state.with_filename(dir.join("window-state.json").display().to_string());
    }
    builder
        // First: a second start hands its arguments to this one and exits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            tracing::info!("Partwatch was started again: showing this window instead");
            tray::show_window(app);
            if let Some(target) = argv
                .iter()
                .find_map(|arg| partwatch_core::delivery::event::parse_link(arg))
            {
                let _ = app.emit(partwatch_types::events::OPEN_TARGET, target);
            }
        }))
        .plugin(window_state.build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let keep_running = window
                    .app_handle()
                    .try_state::<AppState>()
                    .is_some_and(|s| s.close_to_tray());
                if keep_running {
                    api.prevent_close();
                    let _ = window.hide();
                    tracing::info!("window closed: Partwatch keeps watching from the tray");
                }
            }
        })
        .setup(move |app| {
            let data_dir = match chosen_dir.clone() {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            let log_directory = match &chosen_dir {
                Some(dir) => dir.join("logs"),
                None => app.path().app_log_dir()?,
            };
            app.manage(LogGuard {
                _flushes_on_drop: init_logging(&log_directory),
            });
            let state = tauri::async_runtime::block_on(AppState::open(
                &data_dir,
                options.demo,
                log_directory,
            ))?;
            tracing::info!("database at {}", state.db.path().display());
            let db = state.db.clone();
            let delivery_config = state.delivery_config.clone();
            app.manage(state);
            tauri::async_runtime::spawn(events::forward_announcements(app.handle().clone()));
            delivery::start(app.handle(), db.clone(), delivery_config, &data_dir);
            if let Err(err) = tray::create(app.handle()) {
                tracing::warn!("no tray icon on this desktop: {err}");
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { tray::refresh(&handle).await });
            tauri::async_runtime::spawn(partwatch_core::notifications::purge_daily(db));
            Ok(())
        })
        .invoke_handler({
            let router = commands::router();
            move |invoke| router.dispatch(invoke)
        })
}

/// Keeps the log file writer flushing until the app exits.
struct LogGuard {
    _flushes_on_drop: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Logs to stderr and to a daily file in `dir` (a week of files kept), with
/// the filter from `PARTWATCH_LOG` (default `info`).
fn init_logging(dir: &std::path::Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARTWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let file = std::fs::create_dir_all(dir).ok().and_then(|()| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("partwatch")
            .filename_suffix("log")
            .max_log_files(7)
            .build(dir)
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (
                Some(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(writer),
                ),
                Some(guard),
            )
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(file_layer)
        .try_init();
    guard
}
