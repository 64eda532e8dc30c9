//! Where a desktop keeps a secret of its own (today: the password of its
//! team database): the OS keyring — the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows — under the service "Partwatch". Where none answers, the caller
//! keeps today's file readable by its owner only, and says so.

/// A place for secrets, by key. The OS keyring in the app; tests may give
/// their own.
pub trait SecretStore: Send + Sync {
    /// The secret under `key`, if there is one.
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    /// Keeps `secret` under `key`, replacing what was there.
    fn set(&self, key: &str, secret: &str) -> Result<(), String>;
    /// Forgets the secret under `key` (nothing there is no error).
    fn delete(&self, key: &str) -> Result<(), String>;
}

/// This desktop's OS keyring. Its calls block (D-Bus on Linux): they are
/// short, made when a database is chosen or opened.
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
                "no keyring service (Secret Service) is running on this desktop".to_owned()
            } else {
                format!("the keyring did not answer: {text}")
            }
        }
        other => format!("the keyring refused: {other}"),
    }
}
