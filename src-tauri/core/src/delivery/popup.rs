//! Native OS popups through the desktop's notification server (notify-rust
//! over D-Bus on Linux). Repeated alerts about one part or build order
//! replace the previous popup instead of stacking; clicking a popup (its
//! default action) calls the activation handler with what it is about.
//!
//! A server that advertises the `body-markup` capability (GNOME Shell, KDE
//! Plasma) reads the body as XML-like markup, so a part called `Nuts & Bolts`
//! or `<b>Fuse</b>` would break it or render as markup: the body's `&`, `<`
//! and `>` are escaped for those servers, and sent as is to the others. The
//! summary is plain text by the spec and is never escaped.

use super::event::escape_markup_text;
use super::{BoxFuture, Channel, DeliveryError, Outgoing, Readiness};
use crate::{preferences, sql};
use crate::{CoreResult, Database};
use notify_rust::{Notification, Timeout, Urgency};
use partwatch_types::delivery::ChannelKind;
use partwatch_types::notifications::{NotificationTarget, PersonalChannel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long to wait for the server's answer to `GetCapabilities`.
const CAPABILITIES_TIMEOUT: Duration = Duration::from_secs(5);

/// Called (on a runtime task) when the user clicks a popup.
pub type ActivationHandler = Arc<dyn Fn(NotificationTarget) + Send + Sync>;

pub struct PopupChannel {
    db: Database,
    app_name: String,
    icon: String,
    on_activate: ActivationHandler,
    /// The server's id of the last popup about each part or build order.
    shown: Arc<Mutex<HashMap<String, u32>>>,
    /// Popups with a listener waiting for their click, and what they show now.
    listening: Arc<Mutex<HashMap<u32, NotificationTarget>>>,
    /// Whether the server reads bodies as markup, once it has said so. Asked
    /// again after a failed popup (the server may have been replaced).
    body_markup: tokio::sync::Mutex<Option<bool>>,
}

impl PopupChannel {
    /// `icon` is an icon name or an absolute path to an image.
    pub fn new(
        db: Database,
        app_name: impl Into<String>,
        icon: impl Into<String>,
        on_activate: ActivationHandler,
    ) -> Self {
        Self {
            db,
            app_name: app_name.into(),
            icon: icon.into(),
            on_activate,
            shown: Arc::default(),
            listening: Arc::default(),
            body_markup: tokio::sync::Mutex::new(None),
        }
    }

    /// Whether the notification server advertises `body-markup`: asked once
    /// (concurrent popups wait for that one answer) and remembered. If it
    /// cannot be asked, the body goes as is and the next popup asks again.
    async fn body_markup(&self) -> bool {
        let mut known = self.body_markup.lock().await;
        if let Some(markup) = *known {
            return markup;
        }
        // notify-rust's query blocks on D-Bus: keep it off the runtime's threads.
        let query = tokio::task::spawn_blocking(notify_rust::get_capabilities);
        match tokio::time::timeout(CAPABILITIES_TIMEOUT, query).await {
            Ok(Ok(Ok(capabilities))) => {
                let markup = capabilities.iter().any(|c| c == "body-markup");
                *known = Some(markup);
                markup
            }
            Ok(Ok(Err(e))) => {
                tracing::warn!("could not ask the notification server what it supports: {e}");
                false
            }
            Ok(Err(e)) => {
                tracing::warn!("asking the notification server what it supports failed: {e}");
                false
            }
            Err(_) => {
                tracing::warn!(
                    "the notification server did not say what it supports within {CAPABILITIES_TIMEOUT:?}"
                );
                false
            }
        }
    }

    /// Forgets what the server supports, so the next popup asks again.
    async fn forget_capabilities(&self) {
        *self.body_markup.lock().await = None;
    }

    fn key(target: &NotificationTarget) -> Option<String> {
        match target {
            NotificationTarget::Part(id) => Some(format!("part:{id}")),
            NotificationTarget::BuildOrder(id) => Some(format!("build:{id}")),
            NotificationTarget::None => None,
        }
    }

    async fn show(&self, outgoing: &Outgoing) -> Result<(), DeliveryError> {
        let target = outgoing.event.target();
        let key = Self::key(&target);
        let replaces = key.as_ref().and_then(|k| {
            self.shown
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(k)
                .copied()
        });
        let body = if self.body_markup().await {
            escape_markup_text(&outgoing.event.body)
        } else {
            outgoing.event.body.clone()
        };
        let mut popup = Notification::new();
        popup
            .appname(&self.app_name)
            .icon(&self.icon)
            .summary(&outgoing.event.title)
            .body(&body)
            .urgency(Urgency::Normal)
            .timeout(Timeout::Default)
            .action("default", "Open");
        if let Some(id) = replaces {
            popup.id(id);
        }
        let handle = match popup.show_async().await {
            Ok(handle) => handle,
            Err(e) => {
                self.forget_capabilities().await;
                return Err(DeliveryError::transient(format!(
                    "The desktop's notification service did not show the popup: {e}"
                )));
            }
        };
        let id = handle.id();
        if let Some(key) = key {
            self.shown
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key, id);
        }
        // One listener per popup id: a replaced popup keeps its id, and its
        // listener opens whatever the popup shows now.
        let first_listener = self
            .listening
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, target)
            .is_none();
        if first_listener {
            let listening = Arc::clone(&self.listening);
            let on_activate = Arc::clone(&self.on_activate);
            tokio::spawn(async move {
                let mut clicked = false;
                handle
                    .wait_for_action_async(|response| {
                        clicked = matches!(response, notify_rust::NotificationResponse::Default)
                            || matches!(response, notify_rust::NotificationResponse::Action(a) if a == "default");
                    })
                    .await;
                let target = listening
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id);
                if let (true, Some(target)) = (clicked, target) {
                    on_activate(target);
                }
            });
        }
        Ok(())
    }
}

/// How long a popup may wait to be shown (for its person's desktop to run)
/// before it is skipped instead.
pub(super) const FRESH_FOR_SECONDS: f64 = 3_600.0;

/// What the delivery log says of a popup skipped for waiting too long.
pub(super) const STALE_REASON: &str =
    "Not shown: it waited more than an hour to be shown; it is in the inbox.";

impl Channel for PopupChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::OsPopup
    }

    fn check<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        Box::pin(async move {
            let Some(recipient) = &outgoing.recipient else {
                return Ok(Readiness::Skip("The user no longer exists.".into()));
            };
            // A popup says "this just happened": one that waited longer (the
            // recipient's desktop was not running, or worked as someone else)
            // is only in the inbox.
            // One held by quiet hours waited on purpose: shown if still unread.
            if outgoing.held_by_quiet_hours {
                if outgoing.reminder_still_unread == Some(false) {
                    return Ok(Readiness::Skip("Read before quiet hours ended.".into()));
                }
            } else if outgoing.event.created_at < crate::clock::from_now(-FRESH_FOR_SECONDS) {
                return Ok(Readiness::Skip(STALE_REASON.into()));
            }
            let mut conn = self.db.connection().await?;
            let global: bool = sql::query_scalar(
                "SELECT notifications_enabled AND os_popups_enabled FROM global_settings WHERE id = 1",
            )
            .fetch_one(&mut conn)
            .await?;
            let kind = outgoing.event.kind;
            let personal =
                preferences::wants_in(&mut conn, recipient.user_id, kind, PersonalChannel::OsPopup)
                    .await?;
            if !global {
                return Ok(Readiness::Skip(
                    "Desktop popups were switched off before this could be shown.".into(),
                ));
            }
            if !personal {
                return Ok(Readiness::Skip(format!(
                    "{} chose no desktop popups for {}.",
                    recipient.name,
                    kind.label().to_lowercase()
                )));
            }
            let pause = crate::desktop::pause_in(&mut conn, recipient.user_id).await?;
            if let Some(until) = pause.paused_until {
                return Ok(Readiness::Skip(format!(
                    "Desktop popups are paused until {until} (UTC)."
                )));
            }
            Ok(Readiness::Ready)
        })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.show(outgoing))
    }
}

#[cfg(test)]
mod tests {
    use super::escape_markup_text;

    #[test]
    fn body_markup_escapes_ampersands_and_angle_brackets_only() {
        assert_eq!(
            escape_markup_text(r#"Nuts & Bolts <b>"x"</b> 'y'"#),
            r#"Nuts &amp; Bolts &lt;b&gt;"x"&lt;/b&gt; 'y'"#
        );
        assert_eq!(escape_markup_text("&amp;"), "&amp;amp;");
    }
}
