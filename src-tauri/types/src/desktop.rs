//! The desktop app's own behaviour: the tray, closing the window, pausing popups.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopSettings {
    /// Closing the window keeps Partwatch running in the tray (on by default);
    /// off: closing the window quits.
    pub close_to_tray: bool,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            close_to_tray: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseFor {
    OneHour,
    /// Until 08:00 tomorrow, local time.
    UntilTomorrow,
}

/// Whether the current user's OS popups are paused, and until when (UTC, ISO-8601).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopupPause {
    pub paused_until: Option<String>,
}

/// What the Settings screen shows about the desktop side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopStatus {
    pub settings: DesktopSettings,
    /// Partwatch starts when you log in (the operating system's own setting).
    pub start_at_login: bool,
    pub pause: PopupPause,
    /// Where the log files are (one per day, a week kept).
    pub log_directory: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDesktop {
    pub settings: DesktopSettings,
    pub start_at_login: bool,
}
