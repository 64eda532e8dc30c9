//! The mail server settings: reading them from the database and the
//! password from this desktop's OS keyring (it never leaves the core), the
//! public view without the password, validating and saving them (the
//! password to the keyring, or to the database where the keyring cannot
//! take it), moving a password stored in the database to the keyring, and
//! the sender address parser.

use crate::secrets;
use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use lettre::message::Mailbox;
use partwatch_types::delivery::{
    EmailSecurity, EmailSettings, MailPasswordPlace, PasswordChange, SaveEmailSettings,
};

/// Everything needed to talk to the mail server, password included (never
/// leaves the core).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerSettings {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub username: Option<String>,
    /// The password as this desktop has it (from its keyring, or from the
    /// database where the keyring could not take it).
    pub password: Option<String>,
    /// Where the password is kept; `None`: no password is set.
    pub password_place: Option<MailPasswordPlace>,
    pub from_address: String,
    pub instance_name: String,
}

impl ServerSettings {
    fn public(&self) -> EmailSettings {
        EmailSettings {
            enabled: self.enabled,
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone(),
            password_place: self.password_place.clone(),
            from_address: self.from_address.clone(),
            instance_name: self.instance_name.clone(),
        }
    }

    pub(super) fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Why this desktop cannot sign in to the mail server, if it cannot: a
    /// password is set, but in another desktop's keyring.
    pub(super) fn password_missing_here(&self) -> Option<String> {
        match &self.password_place {
            Some(MailPasswordPlace::NotOnThisDesktop { reason }) if self.username.is_some() => {
                Some(format!(
                    "The mail server's password is not in this desktop's keyring ({reason}); type it again in Settings › Email."
                ))
            }
            _ => None,
        }
    }
}

/// What this desktop's keyring files the mail server's password of `db`
/// under: one per database — its file, or its server and database (not the
/// login: an administrator who moves from the owner's login to their own
/// keeps it).
pub fn keyring_key(db: &Database) -> String {
    let path = db.path().display().to_string();
    let database = match path.strip_prefix("postgres://") {
        Some(rest) => format!(
            "postgres://{}",
            rest.split_once('@').map_or(rest, |(_, place)| place)
        ),
        None => path,
    };
    format!("mail server password of {database}")
}

/// What the keyring holds: the stamp of the password (the row's
/// `password_stamp` when it was saved) and the password. A desktop whose
/// stamp differs from the row's holds a password changed since on another
/// desktop, and does not use it.
fn kept(stamp: &str, password: &str) -> String {
    format!("{stamp}:{password}")
}

/// The stamp and the password of what the keyring holds.
fn unkept(text: &str) -> Option<(&str, &str)> {
    text.split_once(':')
}

/// A new password's stamp.
fn new_stamp() -> String {
    format!("{:016x}", crate::db::random_origin())
}

/// The mail server settings of `db`, read on `conn`, with the password from
/// this desktop's keyring. (The keyring may answer slowly — a locked one
/// asks its owner — so call this outside a write transaction.)
pub(crate) async fn server_settings(db: &Database, conn: &mut Conn) -> CoreResult<ServerSettings> {
    #[allow(clippy::type_complexity)]
    let (enabled, host, port, security, username, stored, stamp, from_address, instance_name): (
        bool,
        String,
        i64,
        EmailSecurity,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
    ) = sql::query_as(
        "SELECT g.email_enabled, e.host, e.port, e.security, e.username, e.password,
                e.password_stamp, e.from_address, e.instance_name
           FROM email_settings e, global_settings g WHERE e.id = 1 AND g.id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (password, password_place) = match stamp {
        Some(stamp) => {
            let key = keyring_key(db);
            match secrets::ask(db.secrets(), move |s| s.get(&key)).await {
                Ok(Some(text)) => match unkept(&text) {
                    Some((held, password)) if held == stamp => {
                        (Some(password.to_owned()), Some(MailPasswordPlace::Keyring))
                    }
                    _ => (
                        None,
                        Some(MailPasswordPlace::NotOnThisDesktop {
                            reason: "it was changed on another desktop since it was typed here"
                                .into(),
                        }),
                    ),
                },
                Ok(None) => (
                    None,
                    Some(MailPasswordPlace::NotOnThisDesktop {
                        reason: "it was typed on another desktop".into(),
                    }),
                ),
                Err(reason) => (None, Some(MailPasswordPlace::NotOnThisDesktop { reason })),
            }
        }
        None => {
            let place = stored.as_ref().map(|_| MailPasswordPlace::Database {
                reason: String::new(),
            });
            (stored, place)
        }
    };
    Ok(ServerSettings {
        enabled,
        host,
        port: u16::try_from(port).map_err(|_| {
            CoreError::Corrupt(format!(
                "email_settings.port holds {port}, which is not a port"
            ))
        })?,
        security,
        username,
        password,
        password_place,
        from_address,
        instance_name,
    })
}

/// The public view of the mail server settings, saying why a password kept
/// in the database is not in the keyring (the keyring's own answer).
async fn public(db: &Database) -> CoreResult<EmailSettings> {
    let mut conn = db.connection().await?;
    let settings = server_settings(db, &mut conn).await?;
    drop(conn);
    let mut public = settings.public();
    if let Some(MailPasswordPlace::Database { reason }) = &mut public.password_place {
        let key = keyring_key(db);
        *reason = match secrets::ask(db.secrets(), move |s| s.get(&key)).await {
            Err(why) => why,
            Ok(_) => "it was saved before Partwatch kept passwords in the keyring; it moves there \
                      when Partwatch next starts on a desktop allowed to change the mail server"
                .into(),
        };
    }
    Ok(public)
}

/// Refuses, before anything is written anywhere, a login that may not
/// change the mail server (the server would refuse the row; the keyring
/// must not take a password first).
async fn may_change_mail_server(db: &Database) -> CoreResult<()> {
    if crate::logins::permissions(db).await?.team_settings {
        Ok(())
    } else {
        Err(CoreError::Forbidden(
            "The team database does not let your login change the mail server: only an \
             administrator may."
                .into(),
        ))
    }
}

/// Moves a mail server password still stored in the database (saved before
/// the keyring was used, or while it did not answer) to this desktop's
/// keyring. Answers whether it moved. On a team database only a desktop
/// allowed to change the mail server moves it (the others leave it be).
pub async fn keep_password_in_keyring(db: &Database) -> CoreResult<bool> {
    let stored: Option<String> =
        sql::query_scalar("SELECT password FROM email_settings WHERE id = 1")
            .fetch_one(db)
            .await?;
    let Some(password) = stored else {
        return Ok(false);
    };
    if may_change_mail_server(db).await.is_err() {
        return Ok(false);
    }
    let (key, stamp) = (keyring_key(db), new_stamp());
    let text = kept(&stamp, &password);
    if let Err(reason) = secrets::ask(db.secrets(), move |s| s.set(&key, &text)).await {
        tracing::info!("the mail server's password stays in the database: {reason}");
        return Ok(false);
    }
    // If this fails, the row still holds the password and the keyring's
    // stamp matches nothing: nothing uses the keyring's copy.
    let mut tx = db.begin_write().await?;
    let rows = sql::query(
        "UPDATE email_settings SET password = NULL, password_stamp = $1
          WHERE id = 1 AND password = $2",
    )
    .bind(&stamp)
    .bind(&password)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows == 1)
}

/// Gives the database `to` (just copied from `from`, stamp included) the
/// mail server password this desktop keeps for `from`, if it keeps one.
pub(crate) async fn carry_password(from: &Database, to: &Database) {
    let (from_key, to_key) = (keyring_key(from), keyring_key(to));
    let carried = secrets::ask(from.secrets(), move |s| match s.get(&from_key)? {
        Some(text) => s.set(&to_key, &text),
        None => Ok(()),
    })
    .await;
    if let Err(reason) = carried {
        tracing::warn!("the mail server's password stayed with the old database: {reason}");
    }
}

/// The name put in front of subjects and shown in chat posts.
pub(crate) async fn instance_name(db: &Database) -> CoreResult<String> {
    Ok(
        sql::query_scalar("SELECT instance_name FROM email_settings WHERE id = 1")
            .fetch_one(db)
            .await?,
    )
}

pub async fn settings(db: &Database) -> CoreResult<EmailSettings> {
    public(db).await
}

/// The fields of a form's mail server settings once `check` passed them.
struct Checked {
    host: String,
    from_address: String,
    username: Option<String>,
    instance_name: String,
}

/// Checks a form's settings with the rules of saving them.
fn check(input: &SaveEmailSettings) -> CoreResult<Checked> {
    // Checked as a line first, so the message below never repeats a huge or
    // unprintable text.
    let host = validate::required("Mail server", &input.host, 253)?;
    if host.contains(char::is_whitespace) || host.contains('/') || host.len() > 253 {
        return Err(CoreError::InvalidInput(format!(
            "\"{host}\" is not a mail server name (like smtp.example.com)."
        )));
    }
    if input.port == 0 {
        return Err(CoreError::InvalidInput(
            "The port must be between 1 and 65535.".into(),
        ));
    }
    let from_address = input.from_address.trim().to_owned();
    if !from_address.is_empty() {
        check_sender(&from_address)?;
    }
    if input.enabled && (host.is_empty() || from_address.is_empty()) {
        return Err(CoreError::InvalidInput(
            "To switch email on, fill in the mail server and the sender address.".into(),
        ));
    }
    let username = validate::optional("Username", input.username.as_deref(), 254)?;
    if input.security == EmailSecurity::None && username.is_some() {
        return Err(CoreError::InvalidInput(
            "Signing in to the mail server without encryption (security \"None\") would send the password unencrypted; choose STARTTLS or TLS, or leave the username empty.".into(),
        ));
    }
    let instance_name = validate::required("Instance name", &input.instance_name, 60)?;
    if let PasswordChange::Set(password) = &input.password {
        if password.is_empty() {
            return Err(CoreError::InvalidInput(
                "The password cannot be empty; choose \"no password\" to remove it.".into(),
            ));
        }
        if password.len() > 1024 {
            return Err(CoreError::InvalidInput(
                "The password is too long: at most 1,024 bytes.".into(),
            ));
        }
    }
    Ok(Checked {
        host,
        from_address,
        username,
        instance_name,
    })
}

/// The settings a form holds, checked as saving them would, without saving
/// them: to test before saving. Its password change applies to the `saved`
/// password (`Keep`, a blank field, uses it).
pub(crate) fn unsaved(
    input: &SaveEmailSettings,
    saved: ServerSettings,
) -> CoreResult<ServerSettings> {
    let checked = check(input)?;
    Ok(ServerSettings {
        enabled: input.enabled,
        host: checked.host,
        port: input.port,
        security: input.security,
        username: checked.username,
        password: match &input.password {
            PasswordChange::Keep => saved.password,
            PasswordChange::Set(password) => Some(password.clone()),
            PasswordChange::Clear => None,
        },
        password_place: match &input.password {
            PasswordChange::Keep => saved.password_place,
            // Typed into the form: this desktop has it, wherever it goes.
            PasswordChange::Set(_) => Some(MailPasswordPlace::Keyring),
            PasswordChange::Clear => None,
        },
        from_address: checked.from_address,
        instance_name: checked.instance_name,
    })
}

/// Validates and saves the mail server settings; nothing changes on error.
/// A new password goes to this desktop's keyring under a new stamp (the row
/// keeps only the stamp), or into the row where the keyring cannot take it.
/// The keyring is written before the row, outside the write transaction
/// (a locked keyring may wait for its owner; no other desktop waits with
/// it): if the row then fails, the keyring's new stamp matches nothing and
/// the saved password stays the one in use.
pub async fn save_settings(db: &Database, input: &SaveEmailSettings) -> CoreResult<EmailSettings> {
    let Checked {
        host,
        from_address,
        username,
        instance_name,
    } = check(input)?;
    let key = keyring_key(db);
    // (password in the row, stamp of the keyring's) for a new password.
    let new_password = match &input.password {
        PasswordChange::Set(password) => {
            may_change_mail_server(db).await?;
            let (key, stamp) = (key.clone(), new_stamp());
            let text = kept(&stamp, password);
            match secrets::ask(db.secrets(), move |s| s.set(&key, &text)).await {
                Ok(()) => Some((None, Some(stamp))),
                Err(reason) => {
                    tracing::warn!("the mail server's password goes to the database: {reason}");
                    Some((Some(password.clone()), None))
                }
            }
        }
        PasswordChange::Keep | PasswordChange::Clear => None,
    };
    let mut tx = db.begin_write().await?;
    sql::query(
        "UPDATE email_settings SET host = $1, port = $2, security = $3, username = $4,
                from_address = $5, instance_name = $6 WHERE id = 1",
    )
    .bind(&host)
    .bind(i64::from(input.port))
    .bind(input.security)
    .bind(&username)
    .bind(&from_address)
    .bind(&instance_name)
    .execute(&mut *tx)
    .await?;
    // Clear: neither in the row nor stamped.
    let (in_row, stamp) = new_password.unwrap_or((None, None));
    if input.password != PasswordChange::Keep {
        sql::query("UPDATE email_settings SET password = $1, password_stamp = $2 WHERE id = 1")
            .bind(in_row)
            .bind(stamp)
            .execute(&mut *tx)
            .await?;
    }
    sql::query("UPDATE global_settings SET email_enabled = $1 WHERE id = 1")
        .bind(input.enabled)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if input.password == PasswordChange::Clear {
        if let Err(reason) = secrets::ask(db.secrets(), move |s| s.delete(&key)).await {
            tracing::warn!("could not forget the mail server's password: {reason}");
        }
    }
    public(db).await
}

/// The sender as typed ("stores@example.com" or "Stores <stores@example.com>"):
/// it must parse as a mailbox, its address must pass the same checks as a
/// user's, and its name the same as any name.
fn check_sender(from_address: &str) -> CoreResult<()> {
    let from_address = validate::required("Sender address", from_address, 320)?;
    let from_address = from_address.as_str();
    let not_a_sender = || {
        CoreError::InvalidInput(format!(
            "\"{from_address}\" is not a valid sender address (like stores@example.com or Stores <stores@example.com>)."
        ))
    };
    let mailbox = parse_mailbox(from_address).map_err(|_| not_a_sender())?;
    validate::address(mailbox.email.as_ref()).map_err(|_| not_a_sender())?;
    validate::optional("The sender's name", mailbox.name.as_deref(), 200)?;
    Ok(())
}

pub(super) fn parse_mailbox(text: &str) -> Result<Mailbox, lettre::address::AddressError> {
    text.parse::<Mailbox>()
}
