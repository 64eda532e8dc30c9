use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::demo;
use partwatch_types::inventory::InventoryStatus;
use partwatch_types::AppInfo;
use tauri::State;

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Answer<AppInfo> {
    Ok(state.db.info().await?)
}

#[tauri::command]
pub async fn inventory_status(state: State<'_, AppState>) -> Answer<InventoryStatus> {
    Ok(demo::status(&state.db).await?)
}

#[tauri::command]
pub async fn load_demo(state: State<'_, AppState>) -> Answer<InventoryStatus> {
    Ok(demo::load(&state.db).await?)
}

#[tauri::command]
pub async fn start_empty(state: State<'_, AppState>) -> Answer<InventoryStatus> {
    Ok(demo::start_empty(&state.db).await?)
}
