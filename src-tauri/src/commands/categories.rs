use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::categories;
use partwatch_types::inventory::{
    Category, CategoryId, CategoryNode, DeleteCategory, MoveCategory, NewCategory, UpdateCategory,
};
use tauri::State;

#[tauri::command]
pub async fn category_tree(state: State<'_, AppState>) -> Answer<Vec<CategoryNode>> {
    Ok(categories::tree(&state.db).await?)
}

#[tauri::command]
pub async fn get_category(state: State<'_, AppState>, request: CategoryId) -> Answer<Category> {
    Ok(categories::get(&state.db, request).await?)
}

#[tauri::command]
pub async fn create_category(state: State<'_, AppState>, request: NewCategory) -> Answer<Category> {
    Ok(categories::create(&state.db, &request).await?)
}

#[tauri::command]
pub async fn update_category(
    state: State<'_, AppState>,
    request: UpdateCategory,
) -> Answer<Category> {
    Ok(categories::update(&state.db, request.id, &request.update).await?)
}

#[tauri::command]
pub async fn move_category(state: State<'_, AppState>, request: MoveCategory) -> Answer<Category> {
    Ok(categories::move_to(&state.db, request.id, request.parent_id).await?)
}

#[tauri::command]
pub async fn delete_category(state: State<'_, AppState>, request: DeleteCategory) -> Answer<()> {
    Ok(categories::delete(&state.db, request.id, request.contents).await?)
}
