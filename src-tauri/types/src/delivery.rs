//! Getting notifications out of the app: OS popups, email, webhooks, and the
//! delivery log that shows what went where.

pub use crate::ids::{DeliveryId, WebhookId};
use crate::inventory::UserId;
use crate::notifications::{NotificationId, NotificationKind};
use crate::stored::stored_enum;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- the log

stored_enum! {
    /// Where a delivery goes.
    pub enum ChannelKind as "delivery channel" {
        OsPopup = "os_popup" => "Desktop popup",
        Email = "email" => "Email",
        Webhook = "webhook" => "Webhook",
    }
}

stored_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus as "delivery status" {
        /// Waiting for its (next) attempt.
        Pending = "pending",
        Sent = "sent",
        /// Gave up: a permanent error, or too many attempts.
        Failed = "failed",
        /// Never attempted, and why is in `last_error` (no address, opted out).
        Skipped = "skipped",
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
    /// Held by its person's quiet hours until `next_attempt_at` (then sent
    /// only if the notification is still unread).
    #[serde(default)]
    pub held_by_quiet_hours: bool,
    /// Waits for its person's email digest, due at `next_attempt_at`, sent
    /// then in one mail with everything else gathered by then.
    #[serde(default)]
    pub in_digest: bool,
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

stored_enum! {
    /// How the connection to the mail server is protected.
    #[derive(Default)]
    pub enum EmailSecurity as "email security" {
        /// Plain SMTP (only sensible on a trusted network).
        None = "none" => "None",
        /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
        #[default]
        Starttls = "starttls" => "STARTTLS",
        /// TLS from the first byte (usually port 465).
        Tls = "tls" => "TLS",
    }
}

impl EmailSecurity {
    pub fn default_port(self) -> u16 {
        match self {
            EmailSecurity::None => 25,
            EmailSecurity::Starttls => 587,
            EmailSecurity::Tls => 465,
        }
    }
}

/// The mail server settings as the UI sees them: the password never comes
/// back, only where it is kept, if one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// Email notifications are sent (needs a host and a from address).
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub username: Option<String>,
    /// Where the mail server's password is kept; `None`: no password is set.
    pub password_place: Option<MailPasswordPlace>,
    pub from_address: String,
    /// Put in front of every subject: "[Lab stores] Low stock: …".
    pub instance_name: String,
}

/// Where the mail server's password is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "place")]
pub enum MailPasswordPlace {
    /// In this desktop's OS keyring (Secret Service on Linux).
    Keyring,
    /// In the database, because this desktop's keyring could not take it
    /// (`reason`): on this desktop's own file, readable by its owner only; on
    /// a team database, readable by every person of the team.
    Database { reason: String },
    /// Set, in the keyring of the desktop where it was typed, but not in
    /// this one's (`reason`): this desktop cannot sign in to the mail server
    /// until it is typed here too. On a team database the other desktops
    /// send the mail meanwhile.
    NotOnThisDesktop { reason: String },
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
    /// The settings to test, as the form holds them (not saved, and never
    /// saved by the test); `None` tests the saved ones. Their password
    /// follows the form's rule: `Keep` (a blank field) uses the saved one.
    #[serde(default)]
    pub settings: Option<SaveEmailSettings>,
}

/// A test that went through: what was sent where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSent {
    pub message: String,
}

// ---------------------------------------------------------------- webhooks

stored_enum! {
    /// What a webhook's receiver expects.
    pub enum WebhookKind as "webhook kind" {
        /// A Slack incoming webhook (Block Kit body).
        Slack = "slack" => "Slack",
        /// A Discord channel webhook (content + embed).
        Discord = "discord" => "Discord",
        /// Any HTTP endpoint: Partwatch's versioned JSON event.
        Generic = "generic" => "Generic JSON",
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
