//! Where a desktop keeps a secret of its own (the password of its team
//! database, the mail server's password): the OS keyring — the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows — under the service "Partwatch". Where none answers, the caller
//! keeps today's file readable by its owner only, and says so.

use std::sync::Arc;

/// A place for secrets, by key. The OS keyring in the app; tests may give
/// their own.
pub trait SecretStore: std::fmt::Debug + Send + Sync {
    /// The secret under `key`, if there is one.
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    /// Keeps `secret` under `key`, replacing what was there.
    fn set(&self, key: &str, secret: &str) -> Result<(), String>;
    /// Forgets the secret under `key` (nothing there is no error).
    fn delete(&self, key: &str) -> Result<(), String>;
}

/// A desktop without a keyring service: every call says so (what the app
/// meets where no Secret Service runs; tests use it to meet it anywhere).
#[derive(Debug, Clone, Copy, Default)]
pub struct WithoutKeyring;

/// What [`WithoutKeyring`] answers.
pub const NO_KEYRING: &str = "no keyring service (Secret Service) is running on this desktop";

impl SecretStore for WithoutKeyring {
    fn get(&self, _key: &str) -> Result<Option<String>, String> {
        Err(NO_KEYRING.into())
    }
    fn set(&self, _key: &str, _secret: &str) -> Result<(), String> {
        Err(NO_KEYRING.into())
    }
    fn delete(&self, _key: &str) -> Result<(), String> {
        Err(NO_KEYRING.into())
    }
}

/// This desktop's OS keyring. Its calls block (D-Bus on Linux): they are
/// short; async code makes them through [`ask`].
#[derive(Debug, Clone, Copy, Default)]
pub struct OsKeyring;

/// The service the keyring files Partwatch's secrets under.
pub const KEYRING_SERVICE: &str = "Partwatch";

impl OsKeyring {
    fn entry(key: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(KEYRING_SERVICE, key).map_err(|err| describe(&err))
    }
}

impl SecretStore for OsKeyring {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        match Self::entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(describe(&err)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> Result<(), String> {
        Self::entry(key)?
            .set_password(secret)
            .map_err(|err| describe(&err))
    }

    fn delete(&self, key: &str) -> Result<(), String> {
        match Self::entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(describe(&err)),
        }
    }
}

/// The keyring's failure in words ("no keyring service is running on this
/// desktop" rather than a D-Bus error name where that is what it means).
fn describe(err: &keyring::Error) -> String {
    match err {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.contains("ServiceUnknown")
                || text.contains("was not provided by any .service files")
                || text.contains("org.freedesktop.secrets")
            {
                NO_KEYRING.to_owned()
            } else {
                format!("the keyring did not answer: {text}")
            }
        }
        other => format!("the keyring refused: {other}"),
    }
}

/// Runs `call` on the keyring away from the async runtime's threads (the
/// keyring's calls block on D-Bus).
pub(crate) async fn ask<T: Send + 'static>(
    secrets: &Arc<dyn SecretStore>,
    call: impl FnOnce(&dyn SecretStore) -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let secrets = Arc::clone(secrets);
    tokio::task::spawn_blocking(move || call(secrets.as_ref()))
        .await
        .unwrap_or_else(|err| Err(format!("the keyring call stopped: {err}")))
}
