//! Which database a desktop opens, and trying a team's before choosing it.
//!
//! A desktop opens its own SQLite file unless a team's PostgreSQL database
//! is chosen: on the command line (`--database`), in the environment
//! (`PARTWATCH_DATABASE_URL`), or in Settings, which remembers the choice in
//! the data directory (`team-database.url`, readable by its owner only: the
//! URL may carry the password) for the next start.

mod url_password;

use crate::secrets::{OsKeyring, SecretStore};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::{DatabaseSource, PasswordPlace, TeamDatabaseCheck};
use sqlx::postgres::PgConnectOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url_password::{password_of, with_kept_password, without_password};

/// The environment variable naming a team's database.
pub const DATABASE_URL_ENV: &str = "PARTWATCH_DATABASE_URL";

/// The file in the data directory that remembers the choice made in Settings.
pub const CHOICE_FILE_NAME: &str = "team-database.url";

/// The file in the data directory that remembers who works on this desktop,
/// per team database (`{"postgres://user@host:port/db": user id}`).
pub const PERSON_FILE_NAME: &str = "team-person.json";

/// The file in a desktop's data directory that names the desktop in its
/// delivery leases on team databases.
pub const DESKTOP_ID_FILE_NAME: &str = "desktop-id";

/// This desktop's name for its delivery leases: the one its data directory
/// keeps, else `fresh` (as hex), kept there now. A file that cannot be
/// written leaves `fresh` for this start only: its leases lapse by
/// themselves after a crash instead of being released at the next start.
pub(crate) fn desktop_id(data_dir: &Path, fresh: u64) -> String {
    let file = data_dir.join(DESKTOP_ID_FILE_NAME);
    if let Ok(kept) = std::fs::read_to_string(&file) {
        let kept = kept.trim();
        if !kept.is_empty() && kept.len() <= 64 && kept.chars().all(|c| c.is_ascii_hexdigit()) {
            return kept.to_owned();
        }
    }
    let id = format!("{fresh:016x}");
    if let Err(err) = crate::private::write_private(&file, id.as_bytes()) {
        tracing::warn!(
            "could not keep this desktop's name in {}: {err}",
            file.display()
        );
    }
    id
}

/// Who works on this desktop on the team database `database` (described,
/// as `Database::path` says it), if this desktop has worked there before.
/// A file that cannot be read as such is reported and treated as empty: the
/// person is then found again by name.
pub(crate) fn remembered_person(file: &Path, database: &str) -> Option<UserId> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => {
            tracing::warn!("could not read {}: {err}", file.display());
            return None;
        }
    };
    match serde_json::from_str::<BTreeMap<String, UserId>>(&text) {
        Ok(people) => people.get(database).copied(),
        Err(err) => {
            tracing::warn!("{} is not a list of people: {err}", file.display());
            None
        }
    }
}

/// Remembers that `user` works on this desktop on `database`, keeping what
/// the file says of other databases.
pub(crate) fn remember_person(file: &Path, database: &str, user: UserId) -> CoreResult<()> {
    let mut people: BTreeMap<String, UserId> = std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    people.insert(database.to_owned(), user);
    let text = serde_json::to_string_pretty(&people).map_err(|err| {
        CoreError::Corrupt(format!("could not write who works on this desktop: {err}"))
    })?;
    crate::private::write_private(file, text.as_bytes()).map_err(|source| CoreError::File {
        path: file.display().to_string(),
        doing: "written",
        source,
    })
}

/// The database a desktop opens: its own file, or a team's server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseChoice {
    /// The SQLite file in the data directory.
    Own(PathBuf),
    /// A PostgreSQL URL, and where it was chosen.
    Team { url: String, source: DatabaseSource },
}

impl DatabaseChoice {
    /// The choice for this start: the command line's, else the
    /// environment's, else the one saved in Settings, else the own file.
    pub fn for_start(data_dir: &Path, command_line: Option<&str>) -> CoreResult<Self> {
        Self::choose(
            data_dir,
            command_line,
            std::env::var(DATABASE_URL_ENV).ok().as_deref(),
        )
    }

    fn choose(
        data_dir: &Path,
        command_line: Option<&str>,
        environment: Option<&str>,
    ) -> CoreResult<Self> {
        if let Some(url) = command_line {
            return Ok(Self::team(url, DatabaseSource::CommandLine));
        }
        if let Some(url) = environment.filter(|u| !u.trim().is_empty()) {
            return Ok(Self::team(url, DatabaseSource::Environment));
        }
        Ok(match saved(data_dir)? {
            Some(url) => Self::team(&url, DatabaseSource::Settings),
            None => Self::Own(data_dir.to_path_buf()),
        })
    }

    fn team(url: &str, source: DatabaseSource) -> Self {
        Self::Team {
            url: url.trim().to_owned(),
            source,
        }
    }

    /// Opens (and migrates) the chosen database for the desktop whose data
    /// directory is `data_dir` (where a team database's person is remembered).
    /// A team database's password comes from the URL, else from the OS
    /// keyring (where Settings put it), else from PostgreSQL's own
    /// `PGPASSWORD` / `~/.pgpass`.
    pub async fn open(&self, data_dir: &Path) -> CoreResult<Database> {
        self.open_with(data_dir, Arc::new(OsKeyring)).await
    }

    /// [`DatabaseChoice::open`] with `secrets` for the keyring. A password
    /// still in the saved URL (saved before the keyring was used, or when it
    /// did not answer) moves to the keyring now if it answers; so does a
    /// mail server password still stored in the database.
    pub async fn open_with(
        &self,
        data_dir: &Path,
        secrets: Arc<dyn SecretStore>,
    ) -> CoreResult<Database> {
        let db = match self {
            Self::Own(dir) => Database::open_in(dir).await?,
            Self::Team { url, source } => {
                if *source == DatabaseSource::Settings && password_of(url).is_some() {
                    if let Err(err) = save_with(data_dir, Some(url), secrets.as_ref()) {
                        tracing::warn!("could not move the team database's password: {err}");
                    }
                }
                let url = with_kept_password(url, secrets.as_ref());
                Database::open_postgres(&url)
                    .await?
                    .with_desktop_dir(data_dir)
            }
        }
        .with_secrets(secrets);
        if let Err(err) = crate::delivery::email::keep_password_in_keyring(&db).await {
            tracing::warn!("could not move the mail server's password to the keyring: {err}");
        }
        Ok(db)
    }

    /// What the window may show of it: the SQLite path, or
    /// `postgres://user@host:port/db` without the password.
    pub fn described(&self) -> String {
        match self {
            Self::Own(dir) => dir.join(crate::DATABASE_FILE_NAME).display().to_string(),
            Self::Team { url, .. } => describe_url(url),
        }
    }
}

/// `postgres://user@host:port/db` for a URL (never its password); the URL
/// itself, with anything after a colon in its user part cut, if it does not parse.
pub fn describe_url(url: &str) -> String {
    match url.parse::<PgConnectOptions>() {
        Ok(options) => format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        ),
        Err(_) => {
            // Parameters may hold a password (`?password=…`): none are shown.
            let url = url.split_once('?').map_or(url, |(address, _)| address);
            let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
            let scheme = if scheme.is_empty() {
                String::new()
            } else {
                format!("{scheme}://")
            };
            match rest.rsplit_once('@') {
                Some((user, host)) => format!(
                    "{scheme}{}@{host}",
                    user.split_once(':').map_or(user, |(name, _)| name)
                ),
                None => format!("{scheme}{rest}"),
            }
        }
    }
}

/// The team database saved in Settings for the next start, if any.
pub fn saved(data_dir: &Path) -> CoreResult<Option<String>> {
    match std::fs::read_to_string(data_dir.join(CHOICE_FILE_NAME)) {
        Ok(text) => Ok(Some(text.trim().to_owned()).filter(|u| !u.is_empty())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(CoreError::File {
            path: data_dir.join(CHOICE_FILE_NAME).display().to_string(),
            doing: "read",
            source,
        }),
    }
}

/// Remembers `url` as the database of the next start (`None`: this
/// desktop's own file again, forgetting the password kept for the one
/// saved). Checks that it is a PostgreSQL URL first. A password in the URL
/// goes to the OS keyring and the file keeps the URL without it; where the
/// keyring does not answer, the file (readable by its owner only) keeps it,
/// and the answer says why.
pub fn save(data_dir: &Path, url: Option<&str>) -> CoreResult<Option<PasswordPlace>> {
    save_with(data_dir, url, &OsKeyring)
}

/// [`save`] with `secrets` for the keyring.
pub fn save_with(
    data_dir: &Path,
    url: Option<&str>,
    secrets: &dyn SecretStore,
) -> CoreResult<Option<PasswordPlace>> {
    let file = data_dir.join(CHOICE_FILE_NAME);
    let write = |text: &str| {
        crate::private::write_private(&file, text.as_bytes()).map_err(|source| CoreError::File {
            path: file.display().to_string(),
            doing: "written",
            source,
        })
    };
    let Some(url) = url.map(str::trim) else {
        if let Some(previous) = saved(data_dir)? {
            if let Err(err) = secrets.delete(&describe_url(&previous)) {
                tracing::warn!("could not forget the team database's password: {err}");
            }
        }
        return match std::fs::remove_file(&file) {
            Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(CoreError::File {
                path: file.display().to_string(),
                doing: "removed",
                source,
            }),
            _ => Ok(None),
        };
    };
    parse(url)?;
    let Some(password) = password_of(url) else {
        write(url)?;
        return Ok(password_place(data_dir, secrets));
    };
    match secrets.set(&describe_url(url), &password) {
        Ok(()) => {
            write(&without_password(url))?;
            Ok(Some(PasswordPlace::Keyring))
        }
        Err(reason) => {
            write(url)?;
            Ok(Some(PasswordPlace::PrivateFile { reason }))
        }
    }
}

/// Where this desktop keeps the password of the team database saved in
/// Settings, if it keeps one.
pub fn password_place(data_dir: &Path, secrets: &dyn SecretStore) -> Option<PasswordPlace> {
    let url = saved(data_dir).ok().flatten()?;
    if password_of(&url).is_some() {
        let reason = match secrets.get(&describe_url(&url)) {
            Err(reason) => reason,
            Ok(_) => "it was saved there before; it moves to the keyring at the next start".into(),
        };
        return Some(PasswordPlace::PrivateFile { reason });
    }
    match secrets.get(&describe_url(&url)) {
        Ok(Some(_)) => Some(PasswordPlace::Keyring),
        Ok(None) | Err(_) => None,
    }
}

/// The connection options of a PostgreSQL URL, or why it is not one
/// Partwatch can use (never quoting the password). A CA file named with
/// `sslrootcert` must exist: the TLS library would only say "no such file".
pub(crate) fn parse(url: &str) -> CoreResult<PgConnectOptions> {
    let url = url.trim();
    if let Some(ca) = url
        .split_once('?')
        .into_iter()
        .flat_map(|(_, query)| query.split('&'))
        .find_map(|pair| pair.strip_prefix("sslrootcert="))
    {
        if !Path::new(ca).is_file() {
            return Err(CoreError::InvalidInput(format!(
                "The CA file {ca} named with sslrootcert does not exist."
            )));
        }
    }
    parse_url(url)
}

fn parse_url(url: &str) -> CoreResult<PgConnectOptions> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(CoreError::InvalidInput(
            "A team database is a PostgreSQL URL: postgres://user:password@host:5432/database"
                .into(),
        ));
    }
    url.parse::<PgConnectOptions>().map_err(|err| {
        CoreError::InvalidInput(format!(
            "{} is not a PostgreSQL URL Partwatch can use: {err}",
            describe_url(url)
        ))
    })
}

/// Connects to `url` without changing anything there, and says what is
/// there: the server's version and Partwatch's schema (if any) and data.
pub async fn check(url: &str) -> CoreResult<TeamDatabaseCheck> {
    let options = parse(url.trim())?;
    let pool = crate::db::connect_postgres(options, 1).await?;
    let server_version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&pool)
        .await?;
    let has_schema: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                         WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')",
    )
    .fetch_one(&pool)
    .await?;
    let (schema_version, parts) = if has_schema {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await?;
        let parts: Option<i64> = sqlx::query_scalar("SELECT COUNT(*) FROM parts")
            .fetch_one(&pool)
            .await
            .ok();
        (version, parts)
    } else {
        (None, None)
    };
    pool.close().await;
    Ok(TeamDatabaseCheck {
        target: describe_url(url),
        server_version,
        schema_version,
        known_schema_version: Database::latest_known_schema_version(),
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::WithoutKeyring;

    const URL: &str = "postgres://ada:hunter2@db.lab:5433/inventory";

    fn save(dir: &Path, url: Option<&str>) -> CoreResult<Option<PasswordPlace>> {
        // No keyring: these tests never touch the desktop's own (the
        // keyring itself is tested in tests/keyring.rs, against the harness's).
        save_with(dir, url, &WithoutKeyring)
    }

    #[test]
    fn the_command_line_wins_then_the_environment_then_settings_then_the_own_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let own = DatabaseChoice::choose(dir.path(), None, None).expect("choice");
        assert_eq!(own, DatabaseChoice::Own(dir.path().to_path_buf()));
        // An empty variable is no choice.
        let own = DatabaseChoice::choose(dir.path(), None, Some("  ")).expect("choice");
        assert_eq!(own, DatabaseChoice::Own(dir.path().to_path_buf()));

        save(dir.path(), Some(URL)).expect("saved");
        let team = |url: &str, source| DatabaseChoice::Team {
            url: url.to_owned(),
            source,
        };
        assert_eq!(
            DatabaseChoice::choose(dir.path(), None, None).expect("choice"),
            team(URL, DatabaseSource::Settings)
        );
        let env = "postgres://env@h/db";
        assert_eq!(
            DatabaseChoice::choose(dir.path(), None, Some(env)).expect("choice"),
            team(env, DatabaseSource::Environment)
        );
        let cli = "postgres://cli@h/db";
        assert_eq!(
            DatabaseChoice::choose(dir.path(), Some(cli), Some(env)).expect("choice"),
            team(cli, DatabaseSource::CommandLine)
        );
        // Back to the own file from the next start.
        save(dir.path(), None).expect("forgotten");
        save(dir.path(), None).expect("forgetting twice is fine");
        assert_eq!(saved(dir.path()).expect("read"), None);
    }

    #[test]
    fn the_saved_choice_is_readable_by_its_owner_only_and_never_described_with_the_password() {
        let dir = tempfile::tempdir().expect("temp dir");
        save(dir.path(), Some(&format!("  {URL}\n"))).expect("saved");
        assert_eq!(saved(dir.path()).expect("read").as_deref(), Some(URL));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(CHOICE_FILE_NAME))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(describe_url(URL), "postgres://ada@db.lab:5433/inventory");
        let choice = DatabaseChoice::choose(dir.path(), None, None).expect("choice");
        assert!(!choice.described().contains("hunter2"));
        // A URL that does not parse still loses its password.
        assert_eq!(
            describe_url("postgres://ada:hunter2@[broken"),
            "postgres://ada@[broken"
        );
        assert_eq!(
            describe_url("postgres://ada@db:54x2/inventory?password=hunter2"),
            "postgres://ada@db:54x2/inventory"
        );
        let err = save(
            dir.path(),
            Some("postgres://ada@db:54x2/inventory?password=hunter2"),
        )
        .expect_err("a bad port");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn only_a_postgresql_url_is_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        for bad in ["mysql://ada@h/db", "", "db.lab:5432", "postgres://[broken"] {
            let err = save(dir.path(), Some(bad)).expect_err(bad);
            assert_eq!(
                err.code(),
                partwatch_types::ErrorCode::InvalidInput,
                "{bad}"
            );
        }
        assert_eq!(
            saved(dir.path()).expect("read"),
            None,
            "nothing was written"
        );
    }
}
