//! The mail server settings: reading them from the database (password
//! included, which never leaves the core), the public view without the
//! password, validating and saving them, and the sender address parser.

use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use lettre::message::Mailbox;
use partwatch_types::delivery::{EmailSecurity, EmailSettings, PasswordChange, SaveEmailSettings};

/// Everything needed to talk to the mail server, password included (never
/// leaves the core).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerSettings {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
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
            password_set: self.password.is_some(),
            from_address: self.from_address.clone(),
            instance_name: self.instance_name.clone(),
        }
    }

    pub(super) fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

pub(crate) async fn server_settings_in(conn: &mut Conn) -> CoreResult<ServerSettings> {
    #[allow(clippy::type_complexity)]
    let (enabled, host, port, security, username, password, from_address, instance_name): (
        bool,
        String,
        i64,
        EmailSecurity,
        Option<String>,
        Option<String>,
        String,
        String,
    ) = sql::query_as(
        "SELECT g.email_enabled, e.host, e.port, e.security, e.username, e.password,
                e.from_address, e.instance_name
           FROM email_settings e, global_settings g WHERE e.id = 1 AND g.id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
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
        from_address,
        instance_name,
    })
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
    let mut conn = db.connection().await?;
    Ok(server_settings_in(&mut conn).await?.public())
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
        from_address: checked.from_address,
        instance_name: checked.instance_name,
    })
}

/// Validates and saves the mail server settings; nothing changes on error.
pub async fn save_settings(db: &Database, input: &SaveEmailSettings) -> CoreResult<EmailSettings> {
    let Checked {
        host,
        from_address,
        username,
        instance_name,
    } = check(input)?;
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
    match &input.password {
        PasswordChange::Keep => {}
        PasswordChange::Set(password) => {
            sql::query("UPDATE email_settings SET password = $1 WHERE id = 1")
                .bind(password)
                .execute(&mut *tx)
                .await?;
        }
        PasswordChange::Clear => {
            sql::query("UPDATE email_settings SET password = NULL WHERE id = 1")
                .execute(&mut *tx)
                .await?;
        }
    }
    sql::query("UPDATE global_settings SET email_enabled = $1 WHERE id = 1")
        .bind(input.enabled)
        .execute(&mut *tx)
        .await?;
    let saved = server_settings_in(&mut tx).await?.public();
    tx.commit().await?;
    Ok(saved)
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
