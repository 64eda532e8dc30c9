//! `#[tauri::command]`s, one file per area. Each takes state, calls one core
//! function and maps its error to `ApiError`; the names are in
//! `partwatch_types::commands`.

pub mod system;
