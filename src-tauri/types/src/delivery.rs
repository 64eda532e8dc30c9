//! Getting notifications out of the app: OS popups, email, webhooks, and the
//! delivery log that shows what went where.

use crate::inventory::UserId;
use crate::notifications::{NotificationId, NotificationKind};
use serde::{Deserialize, Serialize};

pub type DeliveryId = i64;
pub type WebhookId = i64;

// ---------------------------------------------------------------- the log

/// Where a delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    OsPopup,
    Email,
    Webhook,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 3] = [
        ChannelKind::OsPopup,
        ChannelKind::Email,
        ChannelKind::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::OsPopup => "os_popup",
            ChannelKind::Email => "email",
            ChannelKind::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::OsPopup => "Desktop popup",
            ChannelKind::Email => "Email",
            ChannelKind::Webhook => "Webhook",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    Sent,
    /// Gave up: a permanent error, or too many attempts.
    Failed,
    /// Never attempted, and why is in `last_error` (no address, opted out).
    Skipped,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 4] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Sent,
        DeliveryStatus::Failed,
        DeliveryStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Skipped => "skipped",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One row of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: DeliveryId,
    pub channel: ChannelKind,
    pub event_kind: NotificationKind,
    /// The notification's title ("Low stock: 10k resistor").
    pub title: String,
    /// "Ada Lovelace <ada@example.com>", "Slack: #stores", "this desktop".
    pub recipient: String,
    pub notification_id: Option<NotificationId>,
    pub user_id: Option<UserId>,
    pub webhook_id: Option<WebhookId>,
    pub status: DeliveryStatus,
    pub attempts: i64,
    /// The last failure (or the reason it was skipped), in plain words.
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryQuery {
    #[serde(default)]
    pub status: Option<DeliveryStatus>,
    #[serde(default)]
    pub channel: Option<ChannelKind>,
    /// Only deliveries with an id below this (the next page), newest first.
    #[serde(default)]
    pub before_id: Option<DeliveryId>,
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    100
}

impl Default for DeliveryQuery {
    fn default() -> Self {
        Self {
            status: None,
            channel: None,
            before_id: None,
            limit: default_limit(),
        }
    }
}

// ---------------------------------------------------------------- email

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EmailSecurity {
    /// Plain SMTP (only sensible on a trusted network).
    None,
    /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl EmailSecurity {
    pub const ALL: [EmailSecurity; 3] = [
        EmailSecurity::None,
        EmailSecurity::Starttls,
        EmailSecurity::Tls,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailSecurity::None => "none",
            EmailSecurity::Starttls => "starttls",
            EmailSecurity::Tls => "tls",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailSecurity::None => "None",
            EmailSecurity::Starttls => "STARTTLS",
            EmailSecurity::Tls => "TLS",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            EmailSecurity::None => 25,
            EmailSecurity::Starttls => 587,
            EmailSecurity::Tls => 465,
        }
    }
}

/// The mail server settings as the UI sees them: the password never comes
/// back, only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// Email notifications are sent (needs a host and a from address).
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub username: Option<String>,
    pub password_set: bool,
    pub from_address: String,
    /// Put in front of every subject: "[Lab stores] Low stock: …".
    pub instance_name: String,
}

/// What to do with the stored SMTP password when saving the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "action", content = "value")]
pub enum PasswordChange {
    #[default]
    Keep,
    Set(String),
    Clear,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveEmailSettings {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: PasswordChange,
    pub from_address: String,
    pub instance_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendTestEmail {
    /// Defaults to the current user's address.
    #[serde(default)]
    pub to: Option<String>,
}

/// A test that went through: what was sent where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSent {
    pub message: String,
}

// ---------------------------------------------------------------- webhooks

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// A Slack incoming webhook (Block Kit body).
    Slack,
    /// A Discord channel webhook (content + embed).
    Discord,
    /// Any HTTP endpoint: Partwatch's versioned JSON event.
    Generic,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 3] = [
        WebhookKind::Slack,
        WebhookKind::Discord,
        WebhookKind::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::Slack => "slack",
            WebhookKind::Discord => "discord",
            WebhookKind::Generic => "generic",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            WebhookKind::Slack => "Slack",
            WebhookKind::Discord => "Discord",
            WebhookKind::Generic => "Generic JSON",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: WebhookId,
    pub name: String,
    pub kind: WebhookKind,
    pub url: String,
    /// The event kinds it receives.
    pub events: Vec<NotificationKind>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInput {
    pub name: String,
    pub kind: WebhookKind,
    pub url: String,
    pub events: Vec<NotificationKind>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWebhook {
    pub id: WebhookId,
    pub webhook: WebhookInput,
}
