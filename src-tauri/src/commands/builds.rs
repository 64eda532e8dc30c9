use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::builds;
use partwatch_types::inventory::{
    BuildOrder, BuildOrderId, BuildStatus, CreatedBuildOrder, NewBuildOrder, SetBuildStatus,
};
use tauri::State;

#[tauri::command]
pub async fn list_builds(
    state: State<'_, AppState>,
    request: Option<BuildStatus>,
) -> Answer<Vec<BuildOrder>> {
    Ok(builds::list(&state.db, request).await?)
}

#[tauri::command]
pub async fn get_build(state: State<'_, AppState>, request: BuildOrderId) -> Answer<BuildOrder> {
    Ok(builds::get(&state.db, request).await?)
}

#[tauri::command]
pub async fn suggest_build_reference(state: State<'_, AppState>) -> Answer<String> {
    Ok(builds::suggest_reference(&state.db).await?)
}

#[tauri::command]
pub async fn create_build(
    state: State<'_, AppState>,
    request: NewBuildOrder,
) -> Answer<CreatedBuildOrder> {
    Ok(builds::create(&state.db, &request).await?)
}

#[tauri::command]
pub async fn set_build_status(
    state: State<'_, AppState>,
    request: SetBuildStatus,
) -> Answer<BuildOrder> {
    Ok(builds::set_status(&state.db, request.id, request.status).await?)
}
