//! Types that cross the IPC boundary between the desktop shell and the UI.
//!
//! This crate depends on `serde` only, so it builds for `wasm32-unknown-unknown`
//! (the UI) and for the native target (the shell and the core). Nothing here
//! knows about tauri, leptos or SQLite: it is the contract between them.

mod error;
mod system;

pub use error::{ApiError, ErrorCode};
pub use system::AppInfo;

/// The names of the `#[tauri::command]`s the UI may invoke.
///
/// The shell registers exactly these, and the UI's typed `invoke` wrapper only
/// calls through these constants, so a rename breaks the build, not the app.
pub mod commands {
    /// `() -> AppInfo`
    pub const APP_INFO: &str = "app_info";
}
