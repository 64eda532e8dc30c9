//! Types that cross the IPC boundary between the desktop shell and the UI.
//!
//! This crate depends on `serde` only, so it builds for `wasm32-unknown-unknown`
//! (the UI) and for the native target (the shell and the core). Nothing here
//! knows about tauri, leptos or SQLite: it is the contract between them.

mod builds;
pub mod commands;
pub mod delivery;
pub mod desktop;
mod error;
pub mod events;
mod ids;
pub mod import;
pub mod inventory;
pub mod notifications;
mod quantity;
mod requests;
mod store;
mod stored;
mod system;

pub use error::{ApiError, ErrorCode};
pub use quantity::{Quantity, QuantityError};
pub use stored::UnknownStoredValue;
pub use system::{
    AppInfo, DatabaseProblem, DatabaseSource, MoveProgress, MoveSummary, PasswordPlace,
    Permissions, TeamDatabaseCheck, TeamDatabaseStatus, TeamLink,
};
