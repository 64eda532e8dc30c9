//! Events the shell emits to the UI, so the UI never polls. Each has a name
//! constant and a payload type; the shell emits and the UI listens with them.

use crate::notifications::Notification;

/// The user clicked an OS popup: show what it is about. Payload: `NotificationTarget`.
pub const OPEN_TARGET: &str = "partwatch://open";

/// Partwatch was started again with a `partwatch:` link it cannot read.
/// Payload: the link as given (`String`).
pub const UNREADABLE_LINK: &str = "partwatch://unreadable-link";

use serde::{Deserialize, Serialize};

/// The current user's notifications changed (new ones arrived, some were read or deleted).
pub const NOTIFICATIONS_CHANGED: &str = "partwatch://notifications-changed";

/// Payload of [`NOTIFICATIONS_CHANGED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsChanged {
    pub unread_count: i64,
    /// The notifications this change created for the current user, newest first.
    pub new: Vec<Notification>,
}

/// This desktop now works as another user. Payload: `User`.
pub const CURRENT_USER_CHANGED: &str = "partwatch://current-user-changed";

/// Moving this desktop's database to a team database has come further.
/// Payload: `MoveProgress`.
pub const MOVE_PROGRESS: &str = "partwatch://move-progress";

/// An import from the window has come further (every few thousand rows, in
/// its check as in the import itself). Payload: `import::ImportProgress`.
pub const IMPORT_PROGRESS: &str = "partwatch://import-progress";

/// Whether this desktop hears other desktops of its team database changed
/// (lost, live again). Payload: `TeamLink`.
pub const TEAM_LINK_CHANGED: &str = "partwatch://team-link-changed";

/// Another desktop of the team changed something (or this desktop caught up
/// after losing the team database): open screens load what they show again.
/// Payload: `()`. At most a few times a second, however busy the team is.
pub const CHANGED_ELSEWHERE: &str = "partwatch://changed-elsewhere";

/// Some of the current person's snoozes ended by themselves (their time came,
/// or a part came back in stock): pages showing "Snoozed until …" ask again.
/// Payload: `()`.
pub const SNOOZES_ENDED: &str = "partwatch://snoozes-ended";
