//! The team database's password lives in the desktop's OS keyring (the
//! harness runs GNOME Keyring's Secret Service on its private session bus),
//! not in the file that remembers the choice (the mail server's password:
//! tests/delivery.rs, and moving up below); where no keyring answers, the
//! file (readable by its owner only) keeps it and Settings says why. Run
//! inside tests/harness/with-services.sh, on either test backend.

use partwatch_core::delivery::email;
use partwatch_core::secrets::{OsKeyring, SecretStore, WithoutKeyring, NO_KEYRING};
use partwatch_core::team::{self, DatabaseChoice, CHOICE_FILE_NAME};
use partwatch_core::{moving, CoreError, Database};
use partwatch_types::delivery::{
    EmailSecurity, MailPasswordPlace, PasswordChange, SaveEmailSettings,
};
use partwatch_types::{DatabaseSource, PasswordPlace};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

mod support;
use support::postgres::scratch_database;

/// The password in a URL `postgres://user:password@…` (the harness's has one).
fn password_in(url: &str) -> String {
    let (_, rest) = url.split_once("://").expect("a URL");
    let (user_info, _) = rest.split_once('@').expect("a user");
    user_info.split_once(':').expect("a password").1.to_owned()
}

fn file_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(CHOICE_FILE_NAME)).expect("the choice is saved")
}

fn saved_choice(dir: &Path) -> DatabaseChoice {
    DatabaseChoice::Team {
        url: team::saved(dir)
            .expect("readable")
            .expect("a team database"),
        source: DatabaseSource::Settings,
    }
}

/// A keyring in memory.
#[derive(Debug, Default)]
struct Memory(Mutex<HashMap<String, String>>);

impl SecretStore for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.0.lock().expect("lock").get(key).cloned())
    }
    fn set(&self, key: &str, secret: &str) -> Result<(), String> {
        self.0
            .lock()
            .expect("lock")
            .insert(key.to_owned(), secret.to_owned());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), String> {
        self.0.lock().expect("lock").remove(key);
        Ok(())
    }
}

#[tokio::test]
async fn the_team_databases_password_goes_to_the_keyring_and_opens_from_there() {
    assert!(
        std::env::var_os("PGPASSWORD").is_none(),
        "PGPASSWORD would open the database whatever the keyring holds"
    );
    let team_db = scratch_database().await;
    let password = password_in(&team_db.url);
    let key = team::describe_url(&team_db.url);
    let dir = tempfile::tempdir().expect("temp dir");

    // Chosen in Settings: the password goes to the keyring, the file keeps
    // the URL without it.
    let place = team::save(dir.path(), Some(&team_db.url)).expect("saved");
    assert_eq!(place, Some(PasswordPlace::Keyring));
    assert!(
        !file_of(dir.path()).contains(&password),
        "{}",
        file_of(dir.path())
    );
    assert_eq!(OsKeyring.get(&key), Ok(Some(password.clone())));
    assert_eq!(
        team::password_place(dir.path(), &OsKeyring),
        Some(PasswordPlace::Keyring)
    );

    // The next start opens it with the keyring's password …
    let db = saved_choice(dir.path())
        .open(dir.path())
        .await
        .expect("opens with the password from the keyring");
    db.close().await;
    // … and could not without it (the server asks for a password).
    OsKeyring.delete(&key).expect("forgotten");
    let refused = saved_choice(dir.path()).open(dir.path()).await;
    assert!(
        matches!(&refused, Err(CoreError::Unreachable(_))),
        "{:?}",
        refused.err()
    );

    // A password saved in the file before (or while no keyring answered)
    // moves to the keyring at the next start.
    std::fs::write(dir.path().join(CHOICE_FILE_NAME), &team_db.url).expect("an older file");
    saved_choice(dir.path())
        .open(dir.path())
        .await
        .expect("opens with the file's password")
        .close()
        .await;
    assert!(!file_of(dir.path()).contains(&password));
    assert_eq!(OsKeyring.get(&key), Ok(Some(password.clone())));

    // Back to this desktop's own database: the password is forgotten too.
    team::save(dir.path(), None).expect("back to the own file");
    assert_eq!(OsKeyring.get(&key), Ok(None));
    team_db.drop().await;
}

#[tokio::test]
async fn without_a_keyring_the_private_file_keeps_the_password_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = "postgres://ada:s3cr%40t@db.lab.example:5432/inventory?sslmode=require";
    let place = team::save_with(dir.path(), Some(url), &WithoutKeyring).expect("saved");
    assert_eq!(
        place,
        Some(PasswordPlace::PrivateFile {
            reason: NO_KEYRING.into()
        })
    );
    assert_eq!(file_of(dir.path()), url);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(CHOICE_FILE_NAME))
            .expect("the file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }

    // Once a keyring answers, the password (decoded) moves there and the
    // rest of the URL stays as it was.
    let keyring = Memory::default();
    let place = team::save_with(dir.path(), Some(url), &keyring).expect("saved again");
    assert_eq!(place, Some(PasswordPlace::Keyring));
    assert_eq!(
        file_of(dir.path()),
        "postgres://ada@db.lab.example:5432/inventory?sslmode=require"
    );
    assert_eq!(
        keyring.get("postgres://ada@db.lab.example:5432/inventory"),
        Ok(Some("s3cr@t".into()))
    );

    // A password given as a parameter goes too.
    let place = team::save_with(
        dir.path(),
        Some("postgres://ben@db.lab.example/inventory?password=x%2By&sslmode=require"),
        &keyring,
    )
    .expect("saved");
    assert_eq!(place, Some(PasswordPlace::Keyring));
    assert_eq!(
        file_of(dir.path()),
        "postgres://ben@db.lab.example/inventory?sslmode=require"
    );
    assert_eq!(
        keyring.get("postgres://ben@db.lab.example:5432/inventory"),
        Ok(Some("x+y".into()))
    );

    // A URL that is not one changes nothing.
    assert!(team::save_with(dir.path(), Some("mysql://x"), &keyring).is_err());
    assert_eq!(
        file_of(dir.path()),
        "postgres://ben@db.lab.example/inventory?sslmode=require"
    );
}

/// Moving this desktop's own database up to a team database takes the mail
/// server's password along: the copied row says it is in the keyring, and
/// this desktop's keyring has it under the new database's name too.
#[tokio::test]
async fn moving_up_takes_the_mail_servers_password_along() {
    let dir = tempfile::tempdir().expect("temp dir");
    let own = DatabaseChoice::Own(dir.path().to_path_buf())
        .open(dir.path())
        .await
        .expect("the own database");
    email::save_settings(
        &own,
        &SaveEmailSettings {
            enabled: true,
            host: "localhost".into(),
            port: 587,
            security: EmailSecurity::Starttls,
            username: Some("partwatch".into()),
            password: PasswordChange::Set("moved-secret".into()),
            from_address: "stores@lab.example".into(),
            instance_name: "Lab".into(),
        },
    )
    .await
    .expect("mail server saved");
    let team_db = scratch_database().await;
    moving::to_postgres(&own, &team_db.url, |_| {})
        .await
        .expect("moved up");
    let team = Database::open_postgres(&team_db.url)
        .await
        .expect("the team database");
    assert_eq!(
        email::settings(&team)
            .await
            .expect("settings")
            .password_place,
        Some(MailPasswordPlace::Keyring)
    );
    let kept = OsKeyring
        .get(&email::keyring_key(&team))
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(kept.ends_with(":moved-secret"), "{kept}");
    team.close().await;
    own.close().await;
    team_db.drop().await;
}
