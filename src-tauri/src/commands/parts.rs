use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::parts;
use partwatch_types::inventory::{Page, Part, PartId, PartInput, PartQuery, PartRow, UpdatePart};
use tauri::State;

#[tauri::command]
pub async fn list_parts(state: State<'_, AppState>, request: PartQuery) -> Answer<Page<PartRow>> {
    Ok(parts::list(&state.db, &request).await?)
}

#[tauri::command]
pub async fn get_part(state: State<'_, AppState>, request: PartId) -> Answer<Part> {
    Ok(parts::get(&state.db, request).await?)
}

#[tauri::command]
pub async fn create_part(state: State<'_, AppState>, request: PartInput) -> Answer<Part> {
    Ok(parts::create(&state.db, &request).await?)
}

#[tauri::command]
pub async fn update_part(state: State<'_, AppState>, request: UpdatePart) -> Answer<Part> {
    Ok(parts::update(&state.db, request.id, &request.input).await?)
}

#[tauri::command]
pub async fn delete_part(state: State<'_, AppState>, request: PartId) -> Answer<()> {
    Ok(parts::delete(&state.db, request).await?)
}
