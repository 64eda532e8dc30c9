//! Email through SMTP (lettre): the mail server settings, the templates
//! (multipart HTML + plain text, user text escaped in HTML), the channel with
//! a pooled transport, and "Send test email" with errors in plain words.
//!
//! This file holds the channel and the test send; the settings live in
//! `settings.rs`, the transport and the SMTP error wording in `transport.rs`,
//! and the templates in `render.rs`.

mod render;
mod settings;
mod transport;

pub use render::{render, render_digest, DigestItem, Rendered};
pub(crate) use settings::{
    carry_password, instance_name, server_settings, unsaved, ServerSettings,
};
pub use settings::{keep_password_in_keyring, keyring_key, save_settings, settings};

use super::event::Event;
use super::{BoxFuture, Channel, DeliveryConfig, DeliveryError, Outgoing, Readiness};
use crate::inventory::users;
use crate::preferences;
use crate::{validate, CoreError, CoreResult, Database};
use lettre::message::Mailbox;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use partwatch_types::delivery::{ChannelKind, SendTestEmail, TestSent};
use partwatch_types::notifications::PersonalChannel;
use render::message;
use std::sync::Arc;
use tokio::sync::Mutex;
use transport::{explain, transport};

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

    /// One mail of one event.
    async fn send(&self, outgoing: &Outgoing) -> Result<(), DeliveryError> {
        let recipient = outgoing
            .recipient
            .as_ref()
            .ok_or_else(|| DeliveryError::permanent("This email has no recipient."))?;
        self.send_to(recipient, |instance| {
            render(&outgoing.event, instance, Some(&recipient.reason))
        })
        .await
    }

    /// One mail of a person's digest: every event in `outgoings`.
    async fn send_digest(&self, outgoings: &[Outgoing]) -> Result<(), DeliveryError> {
        let recipient = outgoings
            .first()
            .and_then(|o| o.recipient.as_ref())
            .ok_or_else(|| DeliveryError::permanent("This email has no recipient."))?;
        if outgoings
            .iter()
            .any(|o| o.recipient.as_ref().map(|r| r.user_id) != Some(recipient.user_id))
        {
            return Err(DeliveryError::permanent(
                "A digest gathers one person's mails only.",
            ));
        }
        let items: Vec<DigestItem<'_>> = outgoings
            .iter()
            .map(|o| DigestItem {
                event: &o.event,
                reason: o.recipient.as_ref().map_or("", |r| r.reason.as_str()),
            })
            .collect();
        self.send_to(recipient, |instance| render_digest(&items, instance))
            .await
    }

    /// Renders (with the instance's name) and sends a mail to `recipient`.
    async fn send_to(
        &self,
        recipient: &super::Recipient,
        rendered: impl FnOnce(&str) -> Rendered,
    ) -> Result<(), DeliveryError> {
        let settings = {
            let mut conn = self.db.connection().await.map_err(db_error)?;
            server_settings(&self.db, &mut conn)
                .await
                .map_err(|e| DeliveryError::transient(e.to_string()))?
        };
        if let Some(missing) = settings.password_missing_here() {
            return Err(DeliveryError::transient(missing));
        }
        let address = recipient.email.as_deref().ok_or_else(|| {
            DeliveryError::permanent(format!("{} has no email address.", recipient.name))
        })?;
        let to = Mailbox::new(
            Some(recipient.name.clone()),
            address.parse::<Address>().map_err(|_| {
                DeliveryError::permanent(format!("\"{address}\" is not a valid email address."))
            })?,
        );
        let email = message(&settings, to, rendered(&settings.instance_name))?;
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

fn db_error(err: crate::CoreError) -> DeliveryError {
    DeliveryError::transient(format!("The database could not be read: {err}"))
}

impl Channel for EmailChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn check<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        Box::pin(async move {
            let mut conn = self.db.connection().await?;
            if !server_settings(&self.db, &mut conn).await?.enabled {
                return Ok(Readiness::Skip(
                    "Email was switched off before this could be sent.".into(),
                ));
            }
            let Some(recipient) = &outgoing.recipient else {
                return Ok(Readiness::Skip("The user no longer exists.".into()));
            };
            let kind = outgoing.event.kind;
            if outgoing.reminder_still_unread == Some(false) {
                return Ok(Readiness::Skip(
                    if outgoing.held_by_quiet_hours {
                        "Read before quiet hours ended."
                    } else {
                        "Read before the reminder was due."
                    }
                    .into(),
                ));
            }
            // A reminder was asked for, whatever the event's email cell says.
            let reminder =
                outgoing.reminder_still_unread.is_some() && !outgoing.held_by_quiet_hours;
            if !reminder
                && !preferences::wants_in(
                    &mut conn,
                    recipient.user_id,
                    kind,
                    PersonalChannel::Email,
                )
                .await?
            {
                return Ok(Readiness::Skip(format!(
                    "{} chose no email for {}.",
                    recipient.name,
                    kind.label().to_lowercase()
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

    fn deliver_digest<'a>(
        &'a self,
        outgoings: &'a [Outgoing],
    ) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send_digest(outgoings))
    }

    /// On a team database, a desktop that cannot sign in to the mail server
    /// (its keyring lacks the password) leaves the mail to the desktops that
    /// can. This person's own database has no other desktop: there the
    /// attempt fails and says what to do.
    fn claims_here(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            if !self.db.is_postgres() {
                return true;
            }
            let Ok(mut conn) = self.db.connection().await else {
                return true;
            };
            match server_settings(&self.db, &mut conn).await {
                Ok(settings) => settings.password_missing_here().is_none(),
                Err(_) => true,
            }
        })
    }
}

/// Sends a test email to `to` (or the current user's address) with the
/// settings the form holds, or else the saved ones, and reports the server's
/// answer in plain words. The form's settings are checked as saving them
/// would be, and never saved; a blank password uses the saved one.
pub async fn send_test(
    db: &Database,
    config: &DeliveryConfig,
    request: &SendTestEmail,
) -> CoreResult<TestSent> {
    let mut conn = db.connection().await?;
    let saved = server_settings(db, &mut conn).await?;
    let settings = match &request.settings {
        Some(form) => unsaved(form, saved)?,
        None => saved,
    };
    if settings.host.is_empty() || settings.from_address.is_empty() {
        return Err(CoreError::InvalidInput(
            if request.settings.is_some() {
                "Fill in the mail server and the sender address first."
            } else {
                "Fill in and save the mail server and the sender address first."
            }
            .into(),
        ));
    }
    let to = match validate::email(request.to.as_deref())? {
        Some(to) => to,
        None => {
            let current = match db.current_user() {
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
    if let Some(missing) = settings.password_missing_here() {
        return Err(CoreError::Delivery(missing));
    }
    let to_mailbox = Mailbox::new(None, validate::address(&to)?);
    let rendered = render(
        &Event::test(&settings.instance_name),
        &settings.instance_name,
        None,
    );
    let email =
        message(&settings, to_mailbox, rendered).map_err(|e| CoreError::Delivery(e.message))?;
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
