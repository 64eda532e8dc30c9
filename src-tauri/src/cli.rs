//! Command-line options. Unknown arguments are ignored (with a log line):
//! WebDriver and desktop launchers add arguments of their own.
//!
//! ```text
//! partwatch [--data-dir DIR] [--database URL] [--demo] [--e2e-window-control] [LINK]
//! partwatch migrate --to URL [--data-dir DIR]
//! partwatch login --person NAME --login LOGIN [--administrator] [--database URL]
//! partwatch import [--check] [--skip-bad-rows] [--data-dir DIR] [--database URL] FILE...
//! partwatch export parts|categories FILE [--data-dir DIR] [--database URL]
//!
//!   --data-dir DIR          where the database, window state and logs live
//!                           (overrides PARTWATCH_DATA_DIR)
//!   --database URL          open a team's PostgreSQL database,
//!                           postgres://user:password@host:5432/db
//!                           (overrides PARTWATCH_DATABASE_URL and Settings)
//!   migrate --to URL        copy this desktop's SQLite database into the
//!                           empty PostgreSQL database at URL, then exit
//!   login --person NAME --login LOGIN [--administrator]
//!                           give the team database's person NAME the
//!                           PostgreSQL login LOGIN (created on the server
//!                           first), run with the login that owns the
//!                           database (--database or PARTWATCH_DATABASE_URL)
//!   import FILE...          import CSV files of categories, parts, stock items
//!                           and BOM lines (Partwatch's columns or InvenTree's
//!                           exports) into the database this desktop opens;
//!                           --check only reports what it would do, and
//!                           --skip-bad-rows imports the good rows and writes
//!                           the others to FILE.skipped.csv beside each file
//!   export parts FILE       write the parts table as CSV (export categories
//!                           FILE: the category tree), in the columns import reads
//!   --demo                  load the demo inventory when the database is empty
//!   LINK                    partwatch://parts/ID or partwatch://builds/ID:
//!                           open that part or build order (the desktop passes
//!                           the links of notifications, emails and popups)
//!   --e2e-window-control    FOR THE END-TO-END TESTS ONLY (tests/e2e passes it).
//!                           Lets the page in the main window close that window
//!                           (`plugin:window|close`) and ask whether it is shown
//!                           (`plugin:window|is_visible`), i.e. grants it
//!                           `core:window:allow-close` and
//!                           `core:window:allow-is-visible`, and nothing else.
//!                           The shipped app never needs it: its UI does neither.
//! ```

use partwatch_types::notifications::LinkRequest;
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--data-dir PATH`: where the database lives (overrides `PARTWATCH_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// `--database URL`: a team's PostgreSQL database.
    pub database: Option<String>,
    /// `migrate --to URL`: move the SQLite database up, no window.
    pub migrate_to: Option<String>,
    /// `login --person NAME --login LOGIN [--administrator]`: give a
    /// person of the team database their own login, no window.
    pub grant_login: Option<GrantLogin>,
    /// `--demo`: load the demo inventory at start-up when the database is empty.
    pub demo: bool,
    /// `--e2e-window-control` (end-to-end tests only): grant the main
    /// window's page `core:window:allow-close` and
    /// `core:window:allow-is-visible`, nothing more. See the module docs.
    pub e2e_window_control: bool,
    /// `import [--check] [--skip-bad-rows] FILE...`: no window.
    pub import: Option<ImportCommand>,
    /// `export parts|categories FILE`: no window.
    pub export: Option<ExportCommand>,
    /// The first `partwatch:` link among the arguments (the desktop opening
    /// a link): what the window opens once it is ready.
    pub link: Option<LinkRequest>,
}

/// `partwatch login …`: whom, which login, and whether an administrator.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GrantLogin {
    pub person: String,
    pub login: String,
    pub administrator: bool,
}

/// `partwatch import …`: which files, and how.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportCommand {
    pub files: Vec<PathBuf>,
    /// Report only; change nothing.
    pub check: bool,
    pub skip_bad_rows: bool,
}

/// `partwatch export …`: which table, to which file.
#[derive(Debug, PartialEq, Eq)]
pub struct ExportCommand {
    pub table: ExportTable,
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTable {
    Parts,
    Categories,
}

/// The test-only flag behind [`Options::e2e_window_control`].
pub const E2E_WINDOW_CONTROL_FLAG: &str = "--e2e-window-control";

impl Options {
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Self, String> {
        let mut options = Options::default();
        // `migrate` may come anywhere among the options
        // (`partwatch --data-dir D migrate --to URL`).
        let args: Vec<OsString> = args.into_iter().collect();
        let migrate = args.iter().any(|a| a == "migrate");
        /// The options `import` and `export` share with the window.
        const KNOWN: [&str; 2] = ["--data-dir", "--database"];
        let login = args.first().is_some_and(|a| a == "login");
        let import = args.first().is_some_and(|a| a == "import");
        let export = args.first().is_some_and(|a| a == "export");
        let mut grant = GrantLogin::default();
        let mut importing = ImportCommand::default();
        let mut exporting: Vec<String> = Vec::new();
        let mut args = args
            .into_iter()
            .enumerate()
            .filter(|(i, a)| a != "migrate" && !((login || import || export) && *i == 0))
            .map(|(_, a)| a);
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy();
            if login && (text == "--person" || text == "--login") {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{text} needs a name after it"))?
                    .to_string_lossy()
                    .into_owned();
                if text == "--person" {
                    grant.person = value;
                } else {
                    grant.login = value;
                }
            } else if import && text == "--check" {
                importing.check = true;
            } else if import && text == "--skip-bad-rows" {
                importing.skip_bad_rows = true;
            } else if (import || export)
                && text.starts_with("--")
                && !KNOWN
                    .iter()
                    .any(|k| text == *k || text.starts_with(&format!("{k}=")))
            {
                // A mistyped `--check` must not import for real.
                return Err(format!(
                    "{text} is not an option of partwatch {}",
                    if import { "import" } else { "export" }
                ));
            } else if import && !text.starts_with("--") {
                importing.files.push(PathBuf::from(&arg));
            } else if export && !text.starts_with("--") {
                exporting.push(text.into_owned());
            } else if login && text == "--administrator" {
                grant.administrator = true;
            } else if migrate && text == "--to" {
                let value = args.next().ok_or("--to needs a postgres:// URL after it")?;
                options.migrate_to = Some(value.to_string_lossy().into_owned());
            } else if let Some(value) = text.strip_prefix("--to=").filter(|_| migrate) {
                options.migrate_to = Some(value.to_owned());
            } else if text == "--database" {
                let value = args
                    .next()
                    .ok_or("--database needs a postgres:// URL after it")?;
                options.database = Some(value.to_string_lossy().into_owned());
            } else if let Some(value) = text.strip_prefix("--database=") {
                options.database = Some(value.to_owned());
            } else if text == "--data-dir" {
                let value = args.next().ok_or("--data-dir needs a directory after it")?;
                options.data_dir = Some(PathBuf::from(value));
            } else if text == "--demo" {
                options.demo = true;
            } else if text == E2E_WINDOW_CONTROL_FLAG {
                options.e2e_window_control = true;
            } else if let Some(value) = text.strip_prefix("--data-dir=") {
                options.data_dir = Some(PathBuf::from(value));
            } else if let Some(link) = partwatch_core::delivery::event::link_request(&text) {
                options.link.get_or_insert(link);
            } else {
                tracing::debug!("ignoring argument {text:?}");
            }
        }
        if options
            .data_dir
            .as_ref()
            .is_some_and(|d| d.as_os_str().is_empty())
        {
            return Err("--data-dir needs a non-empty directory".into());
        }
        if migrate && options.migrate_to.as_deref().is_none_or(str::is_empty) {
            return Err("usage: partwatch migrate --to postgres://user:password@host/db".into());
        }
        if login {
            if grant.person.trim().is_empty() || grant.login.trim().is_empty() {
                return Err(
                    "usage: partwatch login --person NAME --login LOGIN [--administrator] [--database URL]"
                        .into(),
                );
            }
            options.grant_login = Some(grant);
        }
        if import {
            if importing.files.is_empty() {
                return Err("usage: partwatch import [--check] [--skip-bad-rows] FILE...".into());
            }
            options.import = Some(importing);
        }
        if export {
            let table = match exporting.first().map(String::as_str) {
                Some("parts") => ExportTable::Parts,
                Some("categories") => ExportTable::Categories,
                _ => return Err("usage: partwatch export parts|categories FILE".into()),
            };
            let [_, file] = exporting.as_slice() else {
                return Err("usage: partwatch export parts|categories FILE".into());
            };
            options.export = Some(ExportCommand {
                table,
                file: PathBuf::from(file),
            });
        }
        if options.database.as_deref().is_some_and(str::is_empty) {
            return Err("--database needs a postgres:// URL".into());
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn reads_the_data_dir_in_both_spellings() {
        assert_eq!(
            parse(&["--data-dir", "/x"]).map(|o| o.data_dir),
            Ok(Some("/x".into()))
        );
        assert_eq!(
            parse(&["--data-dir=/y"]).map(|o| o.data_dir),
            Ok(Some("/y".into()))
        );
    }

    #[test]
    fn reads_the_demo_flag() {
        assert_eq!(parse(&["--demo"]).map(|o| o.demo), Ok(true));
        assert_eq!(parse(&[]).map(|o| o.demo), Ok(false));
    }

    #[test]
    fn window_control_for_the_tests_is_off_unless_asked_for() {
        assert_eq!(parse(&[]).map(|o| o.e2e_window_control), Ok(false));
        assert_eq!(
            parse(&["--data-dir", "/x", "--e2e-window-control"]).map(|o| o.e2e_window_control),
            Ok(true)
        );
    }

    #[test]
    fn reads_import_and_export() {
        assert_eq!(
            parse(&[
                "import",
                "--skip-bad-rows",
                "parts.csv",
                "--data-dir",
                "/x",
                "stock.csv"
            ])
            .map(|o| (o.import, o.data_dir)),
            Ok((
                Some(ImportCommand {
                    files: vec!["parts.csv".into(), "stock.csv".into()],
                    check: false,
                    skip_bad_rows: true,
                }),
                Some("/x".into())
            ))
        );
        assert!(parse(&["import", "--check"]).is_err(), "no file");
        assert!(
            parse(&["import", "--dry-run", "parts.csv"]).is_err(),
            "a mistyped option does not import for real"
        );
        assert_eq!(
            parse(&["export", "categories", "c.csv"]).map(|o| o.export),
            Ok(Some(ExportCommand {
                table: ExportTable::Categories,
                file: "c.csv".into()
            }))
        );
        assert!(parse(&["export", "stock", "s.csv"]).is_err());
        assert!(parse(&["export", "parts"]).is_err());
    }

    #[test]
    fn keeps_the_first_link_it_is_given() {
        use partwatch_types::inventory::PartId;
        use partwatch_types::notifications::NotificationTarget;
        assert_eq!(
            parse(&[
                "--data-dir",
                "/x",
                "partwatch://parts/7",
                "partwatch://builds/1"
            ])
            .map(|o| o.link),
            Ok(Some(LinkRequest::Open {
                target: NotificationTarget::Part(PartId(7))
            }))
        );
        assert_eq!(
            parse(&["partwatch://shelves/2"]).map(|o| o.link),
            Ok(Some(LinkRequest::Unreadable {
                link: "partwatch://shelves/2".into()
            }))
        );
        assert_eq!(parse(&["--demo"]).map(|o| o.link), Ok(None));
    }

    #[test]
    fn reads_a_login_to_give() {
        let given = parse(&[
            "login",
            "--person",
            "Ben Ng",
            "--login",
            "ben",
            "--administrator",
            "--database",
            "postgres://o@h/d",
        ])
        .expect("a login to give");
        assert_eq!(
            given.grant_login,
            Some(GrantLogin {
                person: "Ben Ng".into(),
                login: "ben".into(),
                administrator: true
            })
        );
        assert_eq!(given.database.as_deref(), Some("postgres://o@h/d"));
        assert!(parse(&["login", "--person", "Ben"]).is_err(), "which login");
        assert!(
            parse(&["login", "--login"]).is_err(),
            "a name after --login"
        );
        assert_eq!(parse(&["--person", "x"]).map(|o| o.grant_login), Ok(None));
    }

    #[test]
    fn reads_a_team_database_and_the_move_up() {
        assert_eq!(
            parse(&["--database", "postgres://a@b/c"]).map(|o| o.database),
            Ok(Some("postgres://a@b/c".into()))
        );
        assert_eq!(
            parse(&["--database=postgres://a@b/c"]).map(|o| o.database),
            Ok(Some("postgres://a@b/c".into()))
        );
        let moving =
            parse(&["migrate", "--to", "postgres://a@b/c", "--data-dir", "/x"]).expect("a move");
        assert_eq!(moving.migrate_to.as_deref(), Some("postgres://a@b/c"));
        assert_eq!(moving.data_dir, Some("/x".into()));
        assert!(parse(&["migrate"]).is_err(), "where to");
        let later = parse(&["--data-dir", "/x", "migrate", "--to", "postgres://a@b/c"])
            .expect("migrate after an option");
        assert_eq!(later.migrate_to.as_deref(), Some("postgres://a@b/c"));
        assert_eq!(later.data_dir, Some(PathBuf::from("/x")));
        assert!(parse(&["migrate", "--to"]).is_err(), "where to");
        assert!(parse(&["--database"]).is_err());
        assert_eq!(parse(&["--to", "x"]).map(|o| o.migrate_to), Ok(None));
    }

    #[test]
    fn ignores_foreign_arguments() {
        assert_eq!(parse(&["--automation"]), Ok(Options::default()));
    }

    #[test]
    fn a_missing_or_empty_directory_is_an_error() {
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--data-dir="]).is_err());
    }
}
