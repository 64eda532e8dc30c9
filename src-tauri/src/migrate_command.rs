//! The commands that run without a window and exit: `partwatch migrate --to
//! postgres://…` moves this desktop's SQLite database up to a team's empty
//! PostgreSQL database, with a progress bar in the terminal; `partwatch
//! login …` gives a person of a team database their own login.

use crate::cli::GrantLogin;
use partwatch_core::{logins, moving, team, Database};
use partwatch_types::MoveProgress;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Tauri's identifier (`tauri.conf.json`): the app's data directory is
/// `<the OS's data directory>/<identifier>`, as Tauri's `app_data_dir` says.
pub const APP_IDENTIFIER: &str = "app.partwatch.desktop";

/// Runs the move; the process's exit code.
pub fn run(data_dir: Option<&Path>, target: &str) -> i32 {
    let Some(data_dir) = resolve_data_dir(data_dir) else {
        return 2;
    };
    let database = data_dir.join(partwatch_core::DATABASE_FILE_NAME);
    if !database.is_file() {
        eprintln!(
            "partwatch: there is no Partwatch database at {} to move",
            database.display()
        );
        return 1;
    }
    let Some(runtime) = runtime() else {
        return 1;
    };
    runtime.block_on(async {
        let source = match Database::open_in(&data_dir).await {
            Ok(db) => db,
            Err(err) => {
                eprintln!("partwatch: {}: {err}", database.display());
                return 1;
            }
        };
        eprintln!(
            "Moving {} to {}",
            database.display(),
            team::describe_url(target)
        );
        let mut bar = ProgressBar::new();
        let moved = moving::to_postgres(&source, target, |progress: &MoveProgress| {
            bar.show(&progress.table, progress.copied, progress.total);
        })
        .await;
        bar.finish();
        source.close().await;
        match moved {
            Ok(summary) => {
                eprintln!(
                    "Moved {} rows in {} tables to {}.\nStart Partwatch on it with: partwatch --database <the same URL>",
                    summary.rows, summary.tables, summary.target
                );
                0
            }
            Err(err) => {
                eprintln!("partwatch: nothing was moved: {err}");
                1
            }
        }
    })
}

/// The data directory named on the command line, else the app's (said on
/// stderr if the system has none).
pub(crate) fn resolve_data_dir(data_dir: Option<&Path>) -> Option<std::path::PathBuf> {
    match data_dir {
        Some(dir) => Some(dir.to_path_buf()),
        None => {
            let dir = dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER));
            if dir.is_none() {
                eprintln!("partwatch: this system has no data directory; name one with --data-dir");
            }
            dir
        }
    }
}

/// A runtime for a command without a window (said on stderr if none).
pub(crate) fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .inspect_err(|err| eprintln!("partwatch: {err}"))
        .ok()
}

/// `partwatch login --person NAME --login LOGIN [--administrator]` on the
/// team database named with `--database` or `PARTWATCH_DATABASE_URL`; the
/// process's exit code.
pub fn grant_login(database: Option<&str>, grant: &GrantLogin) -> i32 {
    let from_env = std::env::var(team::DATABASE_URL_ENV)
        .ok()
        .filter(|u| !u.is_empty());
    let Some(url) = database.map(str::to_owned).or(from_env) else {
        eprintln!(
            "partwatch: name the team database with --database postgres://owner@host/db \
             (or {}), connecting as the login that owns it",
            team::DATABASE_URL_ENV
        );
        return 2;
    };
    let Some(runtime) = runtime() else {
        return 1;
    };
    runtime.block_on(async {
        let db = match Database::open_postgres(&url).await {
            Ok(db) => db,
            Err(err) => {
                eprintln!("partwatch: {}: {err}", team::describe_url(&url));
                return 1;
            }
        };
        let granted =
            logins::grant_login(&db, &grant.person, &grant.login, grant.administrator).await;
        db.close().await;
        match granted {
            Ok(granted) => {
                eprintln!(
                    "{} now connects with the login \"{}\"{}. On their desktop: \
                     partwatch --database postgres://{}@{}",
                    granted.name,
                    granted.login,
                    if granted.administrator {
                        ", as an administrator"
                    } else {
                        ""
                    },
                    granted.login,
                    team::describe_url(&url)
                        .split_once('@')
                        .map_or("host:5432/db", |(_, rest)| rest)
                );
                0
            }
            Err(err) => {
                eprintln!("partwatch: nothing was changed: {err}");
                1
            }
        }
    })
}

/// `parts  [#########...........]  45%  1234/2742 rows` on one terminal
/// line, redrawn; a line per table (or file) where stderr is not a terminal.
pub(crate) struct ProgressBar {
    terminal: bool,
    table: String,
    drawn: bool,
}

impl ProgressBar {
    pub(crate) fn new() -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            table: String::new(),
            drawn: false,
        }
    }

    /// `label`: the table or file under way; `done` of `total` rows.
    pub(crate) fn show(&mut self, label: &str, done: u64, total: u64) {
        let new_table = label != self.table;
        label.clone_into(&mut self.table);
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let filled = usize::try_from(percent / 5).unwrap_or(20);
            let _ = write!(
                err,
                "\r\x1b[2K{label:<22} [{}{}] {percent:>3}%  {done}/{total} rows",
                "#".repeat(filled),
                ".".repeat(20 - filled.min(20)),
            );
            self.drawn = true;
        } else if new_table && !label.is_empty() {
            let _ = writeln!(err, "{percent:>3}%  {done}/{total} rows, now {label}");
        }
        let _ = err.flush();
    }

    pub(crate) fn finish(&self) {
        if self.drawn {
            eprintln!();
        }
    }
}

#[cfg(test)]
mod tests {
    /// The data directory the move reads is the one the app opens: Tauri's
    /// `app_data_dir` is the OS data directory joined with the identifier.
    #[test]
    fn the_identifier_is_tauris() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json");
        assert_eq!(config["identifier"], super::APP_IDENTIFIER);
    }
}
