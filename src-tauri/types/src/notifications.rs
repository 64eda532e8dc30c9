//! Who watches what, what they were told, and how they want to be told.

pub use crate::ids::NotificationId;
use crate::inventory::{BuildOrderId, CategoryId, CategoryRef, PartId, PartRef, UserId};
use crate::stored::stored_enum;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- subscriptions

/// Why a part (or category) is covered for a user without a direct subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CoveredVia {
    /// A template above the part.
    Template { part: PartRef },
    /// The category itself or the nearest ancestor category.
    Category { category: CategoryRef },
}

/// The bell's state for one part or category and one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionStatus {
    /// The user pressed the bell on this very part or category.
    pub direct: bool,
    /// The nearest subscription above it, if any.
    pub via: Option<CoveredVia>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriptions {
    pub parts: Vec<PartRef>,
    pub categories: Vec<CategoryRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPartSubscription {
    pub part_id: PartId,
    pub subscribed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetCategorySubscription {
    pub category_id: CategoryId,
    pub subscribed: bool,
}

// ---------------------------------------------------------------- notifications

stored_enum! {
    /// What a notification (and its deliveries) is about.
    pub enum NotificationKind as "notification kind" {
        LowStock = "low_stock" => "Low stock",
        OutOfStock = "out_of_stock" => "Out of stock",
        BackInStock = "back_in_stock" => "Back in stock",
        BuildShortage = "build_shortage" => "Build shortage",
        Test = "test" => "Test",
    }
}

/// What a notification is about: where clicking it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum NotificationTarget {
    Part(PartId),
    BuildOrder(BuildOrderId),
    None,
}

/// What a `partwatch://` link given to Partwatch (by the desktop, on its
/// command line) asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LinkRequest {
    /// `partwatch://parts/ID` or `partwatch://builds/ID`.
    Open { target: NotificationTarget },
    /// A `partwatch:` link that is neither: the window says so.
    Unreadable { link: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub target: NotificationTarget,
    /// "you watch category Resistors", "you are responsible for build BO-0004", …
    pub reason: String,
    pub created_at: String,
    /// `None` while it is in the inbox.
    pub read_at: Option<String>,
    /// A low-stock notification whose part is back in stock: when it recovered.
    pub resolved_at: Option<String>,
}

/// Which notifications to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// Unread.
    #[default]
    Inbox,
    /// Read.
    History,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationQuery {
    #[serde(default)]
    pub folder: Folder,
    #[serde(default)]
    pub kind: Option<NotificationKind>,
    /// Only notifications with an id below this (for the next page), newest first.
    #[serde(default)]
    pub before_id: Option<NotificationId>,
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    50
}

impl Default for NotificationQuery {
    fn default() -> Self {
        Self {
            folder: Folder::Inbox,
            kind: None,
            before_id: None,
            limit: default_limit(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkNotifications {
    pub ids: Vec<NotificationId>,
    pub read: bool,
}

// ---------------------------------------------------------------- settings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalSettings {
    /// Off: the bell is hidden and nothing is created.
    pub notifications_enabled: bool,
    pub low_stock_enabled: bool,
    pub build_orders_enabled: bool,
    /// Notifications older than this are deleted (7..=3650).
    pub delete_after_days: i64,
    pub os_popups_enabled: bool,
}

impl Default for GlobalSettings {
    fn default() -> Self {
        Self {
            notifications_enabled: true,
            low_stock_enabled: true,
            build_orders_enabled: true,
            delete_after_days: 30,
            os_popups_enabled: true,
        }
    }
}

/// The bounds of `delete_after_days`.
pub const RETENTION_DAYS: std::ops::RangeInclusive<i64> = 7..=3650;

// ---------------------------------------------------------------- preferences

stored_enum! {
    /// The ways a person can be told of an event, each chosen per event.
    pub enum PersonalChannel as "personal channel" {
        /// The inbox and the header's badge. Off: the notification goes
        /// straight to History (read), still there to look back on.
        InApp = "in_app" => "In the app",
        OsPopup = "os_popup" => "Desktop popup",
        Email = "email" => "Email",
    }
}

impl NotificationKind {
    /// The events a person chooses channels for (a test notification is
    /// asked for, not chosen).
    pub const EVENTS: [NotificationKind; 4] = [
        NotificationKind::LowStock,
        NotificationKind::OutOfStock,
        NotificationKind::BackInStock,
        NotificationKind::BuildShortage,
    ];

    /// Critical news: it always reaches the inbox (its "in the app" cell
    /// cannot be turned off) and may pass through quiet hours.
    pub fn is_critical(self) -> bool {
        self == NotificationKind::OutOfStock
    }
}

/// One cell of the preference matrix: is `event` told through `channel`?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Preference {
    pub event: NotificationKind,
    pub channel: PersonalChannel,
    pub enabled: bool,
}

/// Every cell of the matrix (events × channels, in `EVENTS` × `ALL` order),
/// once for this person and once as the team's defaults. A person's cell
/// equal to the default follows the default when an administrator changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub mine: Vec<Preference>,
    pub team_defaults: Vec<Preference>,
    /// "Email me if I haven't read it within N hours" (`None`: never).
    pub remind_after_hours: Option<i64>,
    /// When popups and mails wait (`None`: never).
    pub quiet_hours: Option<QuietHours>,
    /// How often email comes: at once, or gathered into a digest.
    pub digest: Digest,
}

stored_enum! {
    /// How often a person's email comes: each notification at once, or
    /// gathered into one mail an hour or a day (critical news always at once).
    pub enum EmailDigest as "email digest" {
        Immediately = "immediately" => "Immediately",
        Hourly = "hourly" => "Hourly digest",
        Daily = "daily" => "Daily digest",
    }
}

/// A person's email digest: how often, and for a daily one at what time
/// ("08:00") in which time zone (left empty in a request: this desktop's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub every: EmailDigest,
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub time_zone: String,
}

impl Default for Digest {
    fn default() -> Self {
        Self {
            every: EmailDigest::Immediately,
            at: String::new(),
            time_zone: String::new(),
        }
    }
}

/// A person's quiet hours: from `from` to `to` ("22:00", "07:00"; across
/// midnight when `to` is earlier) in `time_zone` ("Europe/Berlin"; left
/// empty in a request: this desktop's zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub time_zone: String,
    /// Whether critical news (out of stock) is let through at once.
    #[serde(default = "critical_through_by_default")]
    pub critical_through: bool,
}

fn critical_through_by_default() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetQuietHours {
    /// `None`: no quiet hours.
    pub quiet_hours: Option<QuietHours>,
}

/// The bounds of a reminder's hours (a week at most).
pub const REMIND_AFTER_HOURS: std::ops::RangeInclusive<i64> = 1..=168;

/// A person's unread reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// `None`: no reminder.
    pub after_hours: Option<i64>,
}

impl Preferences {
    /// Whether `event` reaches this person through `channel`.
    pub fn mine(&self, event: NotificationKind, channel: PersonalChannel) -> bool {
        find(&self.mine, event, channel)
    }

    /// The team's default for the cell.
    pub fn team_default(&self, event: NotificationKind, channel: PersonalChannel) -> bool {
        find(&self.team_defaults, event, channel)
    }
}

fn find(cells: &[Preference], event: NotificationKind, channel: PersonalChannel) -> bool {
    cells
        .iter()
        .any(|c| c.event == event && c.channel == channel && c.enabled)
}

// ---------------------------------------------------------------- snoozes

/// What a person snoozes: a part (with its variants) or a category (with
/// everything below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum SnoozeTarget {
    Part(PartId),
    Category(CategoryId),
}

/// For how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SnoozeLength {
    Day,
    Week,
    /// Until 08:00 (this desktop's time) on `date` ("2026-12-24"), at most a
    /// year ahead.
    Until {
        date: String,
    },
    /// Until the part is back at or above its minimum (parts only).
    BackInStock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSnooze {
    pub target: SnoozeTarget,
    pub length: SnoozeLength,
}

/// A snooze in force for the current person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    pub target: SnoozeTarget,
    /// When it began.
    pub since: String,
    /// When it ends; `None`: when the part is back in stock.
    pub until: Option<String>,
}
