use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::bom;
use partwatch_types::inventory::{BomLine, BomLineId, NewBomLine, PartId, UpdateBomLine};
use tauri::State;

#[tauri::command]
pub async fn bom_lines(state: State<'_, AppState>, request: PartId) -> Answer<Vec<BomLine>> {
    Ok(bom::lines(&state.db, request).await?)
}

#[tauri::command]
pub async fn add_bom_line(state: State<'_, AppState>, request: NewBomLine) -> Answer<BomLine> {
    Ok(bom::add_line(&state.db, &request).await?)
}

#[tauri::command]
pub async fn update_bom_line(
    state: State<'_, AppState>,
    request: UpdateBomLine,
) -> Answer<BomLine> {
    Ok(bom::update_line(
        &state.db,
        request.id,
        request.quantity,
        request.allow_variants,
    )
    .await?)
}

#[tauri::command]
pub async fn remove_bom_line(state: State<'_, AppState>, request: BomLineId) -> Answer<()> {
    Ok(bom::remove_line(&state.db, request).await?)
}
