use crate::state::AppState;
use partwatch_types::{ApiError, AppInfo};
use tauri::State;

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, ApiError> {
    Ok(state.db.info().await?)
}
