//! Email through SMTP (lettre): the mail server settings, the templates
//! (multipart HTML + plain text, user text escaped in HTML), the channel with
//! a pooled transport, and "Send test email" with errors in plain words.

use super::event::{escape_html, BuildFigures, Details, Event, PartFigures};
use super::{BoxFuture, Channel, DeliveryConfig, DeliveryError, Outgoing, Readiness};
use crate::inventory::users;
use crate::{validate, CoreError, CoreResult, Database};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use partwatch_types::delivery::{
    ChannelKind, EmailSecurity, EmailSettings, PasswordChange, SaveEmailSettings, SendTestEmail,
    TestSent,
};
use sqlx::SqliteConnection;
use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

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

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

pub(crate) async fn server_settings_in(conn: &mut SqliteConnection) -> CoreResult<ServerSettings> {
    #[allow(clippy::type_complexity)]
    let (enabled, host, port, security, username, password, from_address, instance_name): (
        bool,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT g.email_enabled, e.host, e.port, e.security, e.username, e.password,
                e.from_address, e.instance_name
           FROM email_settings e, global_settings g WHERE e.id = 1 AND g.id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ServerSettings {
        enabled,
        host,
        port: u16::try_from(port).unwrap_or(587),
        security: EmailSecurity::parse(&security).unwrap_or_default(),
        username,
        password,
        from_address,
        instance_name,
    })
}

/// The name put in front of subjects and shown in chat posts.
pub(crate) async fn instance_name(db: &Database) -> CoreResult<String> {
    Ok(
        sqlx::query_scalar("SELECT instance_name FROM email_settings WHERE id = 1")
            .fetch_one(db.pool())
            .await?,
    )
}

pub async fn settings(db: &Database) -> CoreResult<EmailSettings> {
    let mut conn = db.pool().acquire().await?;
    Ok(server_settings_in(&mut conn).await?.public())
}

/// Validates and saves the mail server settings; nothing changes on error.
pub async fn save_settings(db: &Database, input: &SaveEmailSettings) -> CoreResult<EmailSettings> {
    let host = input.host.trim().to_owned();
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
        parse_mailbox(&from_address).map_err(|_| {
            CoreError::InvalidInput(format!(
                "\"{from_address}\" is not a sender address (like stores@example.com or Stores <stores@example.com>)."
            ))
        })?;
    }
    if input.enabled && (host.is_empty() || from_address.is_empty()) {
        return Err(CoreError::InvalidInput(
            "To switch email on, fill in the mail server and the sender address.".into(),
        ));
    }
    let username = validate::optional("Username", input.username.as_deref(), 254)?;
    let instance_name = validate::required("Instance name", &input.instance_name, 60)?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE email_settings SET host = ?, port = ?, security = ?, username = ?,
                from_address = ?, instance_name = ? WHERE id = 1",
    )
    .bind(&host)
    .bind(i64::from(input.port))
    .bind(input.security.as_str())
    .bind(&username)
    .bind(&from_address)
    .bind(&instance_name)
    .execute(&mut *tx)
    .await?;
    match &input.password {
        PasswordChange::Keep => {}
        PasswordChange::Set(password) => {
            if password.is_empty() || password.len() > 1024 {
                return Err(CoreError::InvalidInput(
                    "The password cannot be empty; choose \"no password\" to remove it.".into(),
                ));
            }
            sqlx::query("UPDATE email_settings SET password = ? WHERE id = 1")
                .bind(password)
                .execute(&mut *tx)
                .await?;
        }
        PasswordChange::Clear => {
            sqlx::query("UPDATE email_settings SET password = NULL WHERE id = 1")
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("UPDATE global_settings SET email_enabled = ? WHERE id = 1")
        .bind(input.enabled)
        .execute(&mut *tx)
        .await?;
    let saved = server_settings_in(&mut tx).await?.public();
    tx.commit().await?;
    Ok(saved)
}

fn parse_mailbox(text: &str) -> Result<Mailbox, lettre::address::AddressError> {
    text.parse::<Mailbox>()
}

/// Builds a transport for these settings. `pooled` keeps connections open
/// between messages (the channel); the test button uses a fresh one.
fn transport(
    settings: &ServerSettings,
    config: &DeliveryConfig,
    pooled: bool,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, DeliveryError> {
    let tls = |host: &str| -> Result<TlsParameters, DeliveryError> {
        let mut builder = TlsParameters::builder(host.to_owned());
        for pem in &config.extra_root_certificates {
            let cert = Certificate::from_pem(pem).map_err(|e| {
                DeliveryError::permanent(format!("An extra trusted certificate is unreadable: {e}"))
            })?;
            builder = builder.add_root_certificate(cert);
        }
        builder
            .build_rustls()
            .map_err(|e| DeliveryError::permanent(format!("TLS could not be set up: {e}")))
    };
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
            .port(settings.port)
            .timeout(Some(config.send_timeout.min(Duration::from_secs(60))))
            .tls(match settings.security {
                EmailSecurity::None => Tls::None,
                EmailSecurity::Starttls => Tls::Required(tls(&settings.host)?),
                EmailSecurity::Tls => Tls::Wrapper(tls(&settings.host)?),
            });
    if let Some(username) = &settings.username {
        builder = builder.credentials(Credentials::new(
            username.clone(),
            settings.password.clone().unwrap_or_default(),
        ));
    }
    builder = builder.pool_config(if pooled {
        PoolConfig::new()
            .max_size(4)
            .idle_timeout(Duration::from_secs(60))
    } else {
        PoolConfig::new()
            .max_size(1)
            .idle_timeout(Duration::from_secs(1))
    });
    Ok(builder.build())
}

/// Turns an SMTP failure into a sentence for the delivery log or the test button.
fn explain(
    err: &lettre::transport::smtp::Error,
    settings: &ServerSettings,
    to: &str,
) -> DeliveryError {
    let mut chain = Vec::new();
    let mut source = err.source();
    let mut io_kind = None;
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        chain.push(cause.to_string());
        source = cause.source();
    }
    let detail = chain.last().cloned().unwrap_or_else(|| err.to_string());
    let server = settings.address();
    if let Some(code) = err.status() {
        let code_text = code.to_string();
        let reply = format!(
            "{code_text} {}",
            chain.first().map(String::as_str).unwrap_or("")
        )
        .trim()
        .to_owned();
        return match code_text.as_str() {
            "535" | "534" | "530" | "538" => DeliveryError::permanent(format!(
                "The mail server did not accept the username and password (authentication failed: {reply})."
            )),
            "550" | "551" | "553" | "554" | "501" if err.is_permanent() => DeliveryError::permanent(format!(
                "The mail server rejected the recipient {to} ({reply})."
            )),
            _ if err.is_permanent() => {
                DeliveryError::permanent(format!("The mail server refused the message ({reply})."))
            }
            _ => DeliveryError::transient(format!("The mail server is busy or unavailable right now ({reply}).")),
        };
    }
    let lower = chain.join(" ").to_lowercase();
    let tls_trouble = ["certificate", "tls", "handshake", "ssl"]
        .iter()
        .any(|w| lower.contains(w));
    if err.is_tls() || tls_trouble {
        return DeliveryError::transient(format!(
            "A secure (TLS) connection to {server} could not be established: {detail}. Check the security setting and the server's certificate."
        ));
    }
    if err.is_timeout() || io_kind == Some(std::io::ErrorKind::TimedOut) {
        return DeliveryError::transient(format!(
            "The mail server at {server} did not answer in time."
        ));
    }
    match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => DeliveryError::transient(format!(
            "The mail server at {server} refused the connection. Check the host and port, and that the server is running."
        )),
        _ if detail.contains("lookup") || detail.contains("resolve") || detail.contains("Name or service") => {
            DeliveryError::transient(format!("The mail server name {} could not be found.", settings.host))
        }
        _ => DeliveryError::transient(format!("Could not talk to the mail server at {server}: {detail}.")),
    }
}

/// The rendered email for one event and one reader.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders an event as an email: the subject "[INSTANCE] title", a plain-text
/// part and an HTML part in which every user-supplied text is escaped.
pub fn render(event: &Event, instance: &str, reason: Option<&str>) -> Rendered {
    let subject = format!("[{instance}] {}", event.title);
    let mut text = format!("{}\n\n{}\n", event.title, event.body);
    let mut html = String::new();
    html.push_str("<!DOCTYPE html><html><body style=\"font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2937;line-height:1.5\">");
    html.push_str(&format!(
        "<h2 style=\"margin:0 0 8px;font-size:18px\">{}</h2>",
        escape_html(&event.title)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 16px\">{}</p>",
        escape_html(&event.body).replace('\n', "<br>")
    ));
    let cell = "padding:4px 12px 4px 0;border-bottom:1px solid #e5e7eb;text-align:left";
    match &event.details {
        Details::Stock { part } => {
            let PartFigures {
                name,
                ipn,
                in_stock,
                minimum,
                units,
                ..
            } = part;
            let units = if units.is_empty() {
                String::new()
            } else {
                format!(" {units}")
            };
            text.push_str(&format!("\nPart:      {name}\n"));
            if let Some(ipn) = ipn {
                text.push_str(&format!("IPN:       {ipn}\n"));
            }
            text.push_str(&format!(
                "In stock:  {in_stock}{units}\nMinimum:   {minimum}{units}\n"
            ));
            html.push_str("<table style=\"border-collapse:collapse;margin:0 0 16px\">");
            let mut row = |label: &str, value: &str| {
                html.push_str(&format!(
                    "<tr><th style=\"{cell}\">{label}</th><td style=\"{cell}\">{}</td></tr>",
                    escape_html(value)
                ));
            };
            row("Part", name);
            if let Some(ipn) = ipn {
                row("IPN", ipn);
            }
            row("In stock", &format!("{in_stock}{units}"));
            row("Minimum", &format!("{minimum}{units}"));
            html.push_str("</table>");
        }
        Details::BuildShortage { build } => {
            let BuildFigures {
                reference,
                assembly,
                quantity,
                lines,
                ..
            } = build;
            text.push_str(&format!(
                "\nBuild order: {reference} — {quantity} × {}\n\n",
                assembly.name
            ));
            text.push_str(&format!(
                "{:<32} {:>12} {:>12}\n",
                "Part", "Required", "Available"
            ));
            for line in lines {
                text.push_str(&format!(
                    "{:<32} {:>12} {:>12}\n",
                    line.part.name,
                    line.required.to_string(),
                    line.available.to_string()
                ));
            }
            html.push_str(&format!(
                "<p style=\"margin:0 0 8px\">Build order <strong>{}</strong>: {} × {}</p>",
                escape_html(reference),
                escape_html(&quantity.to_string()),
                escape_html(&assembly.name)
            ));
            html.push_str(&format!(
                "<table style=\"border-collapse:collapse;margin:0 0 16px\"><tr><th style=\"{cell}\">Part</th><th style=\"{cell}\">Required</th><th style=\"{cell}\">Available</th></tr>"
            ));
            for line in lines {
                html.push_str(&format!(
                    "<tr><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td></tr>",
                    escape_html(&line.part.name),
                    escape_html(&line.required.to_string()),
                    escape_html(&line.available.to_string())
                ));
            }
            html.push_str("</table>");
        }
        Details::Plain => {}
    }
    if let Some(link) = event.app_link() {
        text.push_str(&format!("\nOpen in Partwatch: {link}\n"));
        html.push_str(&format!(
            "<p style=\"margin:0 0 16px\"><a href=\"{0}\" style=\"color:#2563eb\">Open in Partwatch</a></p>",
            escape_html(&link)
        ));
    }
    let footer = match reason {
        Some(reason) if !reason.is_empty() => format!("You receive this because {reason}."),
        _ => String::new(),
    };
    text.push_str(&format!("\n{footer}\n— Partwatch ({instance})\n"));
    html.push_str(&format!(
        "<p style=\"margin:24px 0 0;color:#6b7280;font-size:12px\">{} — Partwatch ({})</p></body></html>",
        escape_html(&footer),
        escape_html(instance)
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

fn message(
    settings: &ServerSettings,
    to: &str,
    rendered: Rendered,
) -> Result<Message, DeliveryError> {
    let from = parse_mailbox(&settings.from_address).map_err(|_| {
        DeliveryError::permanent(format!(
            "The sender address \"{}\" is not valid.",
            settings.from_address
        ))
    })?;
    let to: Mailbox = to
        .parse()
        .map_err(|_| DeliveryError::permanent(format!("\"{to}\" is not a valid email address.")))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .user_agent(format!("Partwatch {}", env!("CARGO_PKG_VERSION")))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(rendered.text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(rendered.html),
                ),
        )
        .map_err(|e| DeliveryError::permanent(format!("The message could not be built: {e}")))
}

/// The email channel: one pooled transport, rebuilt when the settings change.
pub struct EmailChannel {
    db: Database,
    config: Arc<DeliveryConfig>,
    transport: Mutex<Option<(ServerSettings, AsyncSmtpTransport<Tokio1Executor>)>>,
}

impl EmailChannel {
    pub fn new(db: Database, config: DeliveryConfig) -> Self {
        Self {
            db,
            config: Arc::new(config),
            transport: Mutex::new(None),
        }
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), DeliveryError> {
        let settings = {
            let mut conn = self.db.pool().acquire().await.map_err(db_error)?;
            server_settings_in(&mut conn)
                .await
                .map_err(|e| DeliveryError::transient(e.to_string()))?
        };
        let recipient = outgoing
            .recipient
            .as_ref()
            .ok_or_else(|| DeliveryError::permanent("This email has no recipient."))?;
        let address = recipient.email.as_deref().ok_or_else(|| {
            DeliveryError::permanent(format!("{} has no email address.", recipient.name))
        })?;
        let to = format!(
            "{} <{address}>",
            recipient.name.replace(['<', '>', '"'], "")
        );
        let rendered = render(
            &outgoing.event,
            &settings.instance_name,
            Some(&recipient.reason),
        );
        let email = message(&settings, &to, rendered)?;
        let transport = {
            let mut cached = self.transport.lock().await;
            match cached.as_ref() {
                Some((built_for, transport)) if *built_for == settings => transport.clone(),
                _ => {
                    let transport = transport(&settings, &self.config, true)?;
                    *cached = Some((settings.clone(), transport.clone()));
                    transport
                }
            }
        };
        transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| explain(&e, &settings, address))
    }
}

fn db_error(err: sqlx::Error) -> DeliveryError {
    DeliveryError::transient(format!("The database could not be read: {err}"))
}

impl Channel for EmailChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn check<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        Box::pin(async move {
            let mut conn = self.db.pool().acquire().await?;
            if !server_settings_in(&mut conn).await?.enabled {
                return Ok(Readiness::Skip(
                    "Email was switched off before this could be sent.".into(),
                ));
            }
            let Some(recipient) = &outgoing.recipient else {
                return Ok(Readiness::Skip("The user no longer exists.".into()));
            };
            let (email_on,): (bool,) = sqlx::query_as(
                "SELECT COALESCE((SELECT email_enabled FROM user_settings WHERE user_id = ?), 1)",
            )
            .bind(recipient.user_id)
            .fetch_one(&mut *conn)
            .await?;
            if !email_on {
                return Ok(Readiness::Skip(format!(
                    "{} turned email notifications off.",
                    recipient.name
                )));
            }
            if recipient.email.is_none() {
                return Ok(Readiness::Skip(format!(
                    "{} has no email address.",
                    recipient.name
                )));
            }
            Ok(Readiness::Ready)
        })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send(outgoing))
    }
}

/// Sends a test email with the saved settings to `to` (or the current
/// user's address) and reports the server's answer in plain words.
pub async fn send_test(
    db: &Database,
    config: &DeliveryConfig,
    request: &SendTestEmail,
) -> CoreResult<TestSent> {
    let mut conn = db.pool().acquire().await?;
    let settings = server_settings_in(&mut conn).await?;
    if settings.host.is_empty() || settings.from_address.is_empty() {
        return Err(CoreError::InvalidInput(
            "Fill in and save the mail server and the sender address first.".into(),
        ));
    }
    let to = match validate::email(request.to.as_deref())? {
        Some(to) => to,
        None => {
            let current = match users::current_id(&mut conn).await? {
                Some(id) => users::get_in(&mut conn, id).await?.email,
                None => None,
            };
            current.ok_or_else(|| {
                CoreError::InvalidInput(
                    "Enter an address to send the test to (you have no email address).".into(),
                )
            })?
        }
    };
    drop(conn);
    let rendered = render(
        &Event::test(&settings.instance_name),
        &settings.instance_name,
        None,
    );
    let email = message(&settings, &to, rendered).map_err(|e| CoreError::Delivery(e.message))?;
    let transport =
        transport(&settings, config, false).map_err(|e| CoreError::Delivery(e.message))?;
    let sent = tokio::time::timeout(config.send_timeout, transport.send(email)).await;
    match sent {
        Ok(Ok(_)) => Ok(TestSent {
            message: format!(
                "The test email was accepted by {} for {to}.",
                settings.address()
            ),
        }),
        Ok(Err(err)) => Err(CoreError::Delivery(explain(&err, &settings, &to).message)),
        Err(_) => Err(CoreError::Delivery(format!(
            "The mail server at {} did not answer in time.",
            settings.address()
        ))),
    }
}
