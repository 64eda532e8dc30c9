use super::Answer;
use crate::state::AppState;
use partwatch_core::inventory::stock;
use partwatch_types::inventory::{
    AdjustStock, DeleteStock, NewStockItem, PartId, StockHistoryEntry, StockHistoryRequest,
    StockItem,
};
use tauri::State;

#[tauri::command]
pub async fn stock_items(state: State<'_, AppState>, request: PartId) -> Answer<Vec<StockItem>> {
    Ok(stock::items(&state.db, request).await?)
}

#[tauri::command]
pub async fn stock_history(
    state: State<'_, AppState>,
    request: StockHistoryRequest,
) -> Answer<Vec<StockHistoryEntry>> {
    Ok(stock::history(&state.db, request.part_id, request.limit).await?)
}

#[tauri::command]
pub async fn add_stock_item(
    state: State<'_, AppState>,
    request: NewStockItem,
) -> Answer<StockItem> {
    Ok(stock::add_item(&state.db, &request).await?)
}

#[tauri::command]
pub async fn adjust_stock(state: State<'_, AppState>, request: AdjustStock) -> Answer<StockItem> {
    Ok(stock::adjust(
        &state.db,
        request.item_id,
        request.adjustment,
        &request.reason,
    )
    .await?)
}

#[tauri::command]
pub async fn delete_stock_item(state: State<'_, AppState>, request: DeleteStock) -> Answer<()> {
    Ok(stock::delete_item(&state.db, request.item_id, &request.reason).await?)
}
