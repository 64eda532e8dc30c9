//! `#[tauri::command]`s, one file per area. Each takes state, calls one core
//! function and maps its error to `ApiError`; the names are in
//! `partwatch_types::commands`, and each takes at most one argument, `request`.

pub mod bom;
pub mod builds;
pub mod categories;
pub mod delivery;
pub mod desktop;
pub mod notifications;
pub mod parts;
pub mod settings;
pub mod stock;
pub mod subscriptions;
pub mod system;
pub mod users;

/// What every command answers: the value, or `{ code, message }`.
pub type Answer<T> = Result<T, partwatch_types::ApiError>;
