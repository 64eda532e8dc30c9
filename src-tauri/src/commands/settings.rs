use super::Answer;
use crate::state::AppState;
use partwatch_core::settings;
use partwatch_types::notifications::{GlobalSettings, UserSettings};
use tauri::State;

#[tauri::command]
pub async fn global_settings(state: State<'_, AppState>) -> Answer<GlobalSettings> {
    Ok(settings::global(&state.db).await?)
}

#[tauri::command]
pub async fn update_global_settings(
    state: State<'_, AppState>,
    request: GlobalSettings,
) -> Answer<GlobalSettings> {
    Ok(settings::update_global(&state.db, &request).await?)
}

#[tauri::command]
pub async fn my_settings(state: State<'_, AppState>) -> Answer<UserSettings> {
    Ok(settings::user(&state.db, state.current_user()).await?)
}

#[tauri::command]
pub async fn update_my_settings(
    state: State<'_, AppState>,
    request: UserSettings,
) -> Answer<UserSettings> {
    Ok(settings::update_user(&state.db, state.current_user(), &request).await?)
}
