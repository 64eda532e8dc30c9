//! The Partwatch desktop shell: opens the window, owns the app state and
//! translates between IPC and the domain core. It holds no domain logic:
//! every command takes state, calls one core function and maps the error.

mod cli;
mod commands;
mod delivery;
mod events;
mod import_command;
mod migrate_command;
mod startup;
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
    // The commands without a window: `--data-dir`, else PARTWATCH_DATA_DIR,
    // else the app's own.
    let data_dir = options.data_dir.clone().or_else(|| {
        std::env::var_os(DATA_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    });
    if let Some(target) = &options.migrate_to {
        std::process::exit(migrate_command::run(data_dir.as_deref(), target));
    }
    if options.import.is_some() || options.export.is_some() {
        let database = options.database.as_deref();
        std::process::exit(match (&options.import, &options.export) {
            (Some(import), _) => import_command::run_import(data_dir.as_deref(), database, import),
            (_, Some(export)) => import_command::run_export(data_dir.as_deref(), database, export),
            (None, None) => 2,
        });
    }
    if let Some(grant) = &options.grant_login {
        std::process::exit(migrate_command::grant_login(
            options.database.as_deref(),
            grant,
        ));
    }
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
    let start_link = StartLink(std::sync::Mutex::new(options.link.clone()));
    builder
        .manage(start_link)
        // First: a second start hands its arguments to this one and exits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            tracing::info!("Partwatch was started again: showing this window instead");
            tray::show_window(app);
            if let Some(link) = argv
                .iter()
                .find_map(|arg| partwatch_core::delivery::event::link_request(arg))
            {
                open_link(app, link);
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
            if options.e2e_window_control {
                grant_e2e_window_control(app.handle())?;
            }
            let choice = partwatch_core::team::DatabaseChoice::for_start(
                &data_dir,
                options.database.as_deref(),
            )?;
            let own = matches!(choice, partwatch_core::team::DatabaseChoice::Own(_));
            app.manage(startup::Startup::new(
                data_dir,
                log_directory,
                options.demo,
                choice,
            ));
            if let Some(problem) = tauri::async_runtime::block_on(startup::open(app.handle())) {
                // This desktop's own file must open; a team's server may be
                // down for a while: the window says so and offers to try again.
                if own {
                    return Err(problem.message.into());
                }
            }
            Ok(())
        })
        .invoke_handler({
            let router = commands::router();
            move |invoke| router.dispatch(invoke)
        })
}

/// The `partwatch:` link this start was given, until the window takes it
/// (`TakeStartLink`): on a cold start the page is not listening yet.
pub struct StartLink(std::sync::Mutex<Option<partwatch_types::notifications::LinkRequest>>);

impl StartLink {
    /// The link, once; `None` after that or when there was none.
    pub fn take(&self) -> Option<partwatch_types::notifications::LinkRequest> {
        self.0.lock().map_or(None, |mut link| link.take())
    }
}

/// Hands a link given to a second start to the running window: it opens
/// the target, or says it cannot read the link.
fn open_link<R: Runtime>(
    app: &tauri::AppHandle<R>,
    link: partwatch_types::notifications::LinkRequest,
) {
    use partwatch_types::events::{OPEN_TARGET, UNREADABLE_LINK};
    use partwatch_types::notifications::LinkRequest;
    let sent = match link {
        LinkRequest::Open { target } => app.emit(OPEN_TARGET, target),
        LinkRequest::Unreadable { link } => {
            tracing::warn!("Partwatch was given a link it cannot open: {link:?}");
            app.emit(UNREADABLE_LINK, link)
        }
    };
    if let Err(err) = sent {
        tracing::warn!("could not hand a link to the window: {err}");
    }
}

/// For the end-to-end tests only (`--e2e-window-control`, see `cli`): lets the
/// main window's page close that window and ask whether it is shown — the two
/// window permissions the tests use and the shipped UI does not. Not in
/// `src-tauri/capabilities/`, so the app never has them without the flag.
fn grant_e2e_window_control<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<()> {
    tracing::warn!(
        "{}: the window's page may close the window and ask whether it is shown (tests only)",
        cli::E2E_WINDOW_CONTROL_FLAG
    );
    app.add_capability(
        tauri::ipc::CapabilityBuilder::new("e2e-window-control")
            .window("main")
            .permission("core:window:allow-close")
            .permission("core:window:allow-is-visible"),
    )
}

/// Keeps the log file writer flushing until the app exits.
struct LogGuard {
    _flushes_on_drop: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Logs to stderr and to a daily file in `dir` (a week of files kept), with
/// the filter from `PARTWATCH_LOG` (default `info`). The logs name parts,
/// users and addresses: the directory is private (0700 on unix) and so are
/// the files (0600), see [`PrivateLogFiles`].
fn init_logging(dir: &std::path::Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARTWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let mut problems = Vec::new();
    let file = match partwatch_core::create_private_dir(dir) {
        Ok(loose) => {
            problems.extend(loose);
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix(LOG_FILE_PREFIX)
                .filename_suffix(LOG_FILE_SUFFIX)
                .max_log_files(7)
                .build(dir)
                .map_err(|err| problems.push(format!("no log file in {}: {err}", dir.display())))
                .ok()
                .map(|appender| PrivateLogFiles::new(appender, dir, &mut problems))
        }
        Err(err) => {
            problems.push(format!("no log directory {}: {err}", dir.display()));
            None
        }
    };
    let (file_layer, guard) = match file {
        Some(files) => {
            let (writer, guard) = tracing_appender::non_blocking(files);
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
    for problem in problems {
        tracing::warn!("{problem}");
    }
    guard
}

const LOG_FILE_PREFIX: &str = "partwatch";
const LOG_FILE_SUFFIX: &str = "log";

/// The daily log files, readable by their owner only.
///
/// tracing-appender creates each day's file itself, with the default mode
/// (0644 under the usual umask), and has no option for it; changing the
/// process's umask would change every file the app creates. So this wraps
/// the appender: at start it makes every `partwatch*.log` in the directory
/// 0600 (today's file, which the appender has just opened, and any left by
/// older versions), and after the first write of each new UTC day — when the
/// appender has rolled over to a new file — it does so again. The new file is
/// readable for at most that one write, and only inside the 0700 directory,
/// which already keeps other users out.
struct PrivateLogFiles {
    appender: tracing_appender::rolling::RollingFileAppender,
    dir: PathBuf,
    /// The UTC day (days since the epoch) of the last sweep; the appender
    /// rolls over at UTC midnight.
    day: u64,
}

impl PrivateLogFiles {
    fn new(
        appender: tracing_appender::rolling::RollingFileAppender,
        dir: &std::path::Path,
        problems: &mut Vec<String>,
    ) -> Self {
        let files = Self {
            appender,
            dir: dir.to_path_buf(),
            day: utc_day(),
        };
        problems.extend(files.tighten());
        files
    }

    /// Makes every log file in the directory 0600; returns what failed.
    fn tighten(&self) -> Vec<String> {
        let mut problems = Vec::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let entries = match std::fs::read_dir(&self.dir) {
                Ok(entries) => entries,
                Err(err) => return vec![format!("could not list {}: {err}", self.dir.display())],
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if !(name.starts_with(LOG_FILE_PREFIX) && name.ends_with(LOG_FILE_SUFFIX)) {
                    continue;
                }
                // Not through a symlink: only files that are in the directory.
                let Ok(metadata) = entry.metadata() else {
                    continue;
                };
                if metadata.is_file() && metadata.permissions().mode() & 0o077 != 0 {
                    let path = entry.path();
                    if let Err(err) =
                        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    {
                        problems.push(format!("could not make {} private: {err}", path.display()));
                    }
                }
            }
        }
        problems
    }
}

impl std::io::Write for PrivateLogFiles {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.appender.write(buf);
        let day = utc_day();
        if day != self.day {
            self.day = day;
            // Logging from inside the log writer would write here again: say
            // it on stderr.
            for problem in self.tighten() {
                eprintln!("partwatch: {problem}");
            }
        }
        written
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.appender.flush()
    }
}

/// Days since the Unix epoch, in UTC.
fn utc_day() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    fn log_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("log dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "log"))
            .collect();
        files.sort();
        files
    }

    /// The logs name parts, users and addresses: other users of the machine
    /// may not read them, whether the directory and files are new or older.
    #[test]
    fn the_log_directory_and_log_files_are_private() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh = dir.path().join("fresh").join("logs");
        drop(super::init_logging(&fresh));
        assert_eq!(mode(&fresh), 0o700, "new log dir");
        let files = log_files(&fresh);
        assert_eq!(files.len(), 1, "today's log file: {files:?}");
        assert_eq!(mode(&files[0]), 0o600, "{}", files[0].display());

        // Left readable by an older version.
        let older = dir.path().join("older");
        std::fs::create_dir(&older).expect("dir");
        set_mode(&older, 0o755);
        let old_log = older.join("partwatch.2020-01-01.log");
        std::fs::write(&old_log, "old\n").expect("old log");
        set_mode(&old_log, 0o644);
        let unrelated = older.join("notes.txt");
        std::fs::write(&unrelated, "mine\n").expect("other file");
        set_mode(&unrelated, 0o644);
        drop(super::init_logging(&older));
        assert_eq!(mode(&older), 0o700, "existing log dir");
        let files = log_files(&older);
        assert_eq!(files.len(), 2, "{files:?}");
        for file in &files {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
        assert_eq!(mode(&unrelated), 0o644, "not a log file: left alone");
    }

    /// A day's file is created by tracing-appender at the first write after
    /// UTC midnight, with the default mode: it is made private right after.
    #[test]
    fn the_file_of_a_new_day_is_made_private_after_its_first_write() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = dir.path().join("logs");
        partwatch_core::create_private_dir(&logs).expect("log dir");
        let appender = tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(super::LOG_FILE_PREFIX)
            .filename_suffix(super::LOG_FILE_SUFFIX)
            .build(&logs)
            .expect("appender");
        let mut problems = Vec::new();
        let mut files = super::PrivateLogFiles::new(appender, &logs, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        // As if the appender had just rolled over to a new day's file.
        let tomorrow = logs.join("partwatch.2999-01-01.log");
        std::fs::write(&tomorrow, "").expect("new day's file");
        set_mode(&tomorrow, 0o644);
        files.write_all(b"same day\n").expect("write");
        assert_eq!(mode(&tomorrow), 0o644, "no sweep within a day");
        files.day -= 1;
        files.write_all(b"a new day\n").expect("write");
        assert_eq!(mode(&tomorrow), 0o600);
        assert!(
            log_files(&logs).iter().all(|f| mode(f) == 0o600),
            "{:?}",
            log_files(&logs)
        );
    }
}
