//! The lettre SMTP transport for the saved settings (pooled for the channel,
//! fresh for the test button, with any extra trusted certificates) and the
//! wording of SMTP failures in plain sentences.

use super::super::{DeliveryConfig, DeliveryError};
use super::settings::ServerSettings;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use partwatch_types::delivery::EmailSecurity;
use std::error::Error as _;
use std::time::Duration;

/// Builds a transport for these settings. `pooled` keeps connections open
/// between messages (the channel); the test button uses a fresh one.
pub(super) fn transport(
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
pub(super) fn explain(
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
