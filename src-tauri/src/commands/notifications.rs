use super::Answer;
use crate::state::AppState;
use partwatch_core::notifications;
use partwatch_types::notifications::{
    MarkNotifications, Notification, NotificationId, NotificationQuery,
};
use tauri::State;

#[tauri::command]
pub async fn list_notifications(
    state: State<'_, AppState>,
    request: NotificationQuery,
) -> Answer<Vec<Notification>> {
    Ok(notifications::list(&state.db, state.current_user(), &request).await?)
}

#[tauri::command]
pub async fn unread_count(state: State<'_, AppState>) -> Answer<i64> {
    Ok(notifications::unread_count(&state.db, state.current_user()).await?)
}

#[tauri::command]
pub async fn mark_notifications(
    state: State<'_, AppState>,
    request: MarkNotifications,
) -> Answer<i64> {
    let me = state.current_user();
    Ok(notifications::mark(&state.db, me, &request.ids, request.read).await?)
}

#[tauri::command]
pub async fn mark_all_read(state: State<'_, AppState>) -> Answer<i64> {
    Ok(notifications::mark_all_read(&state.db, state.current_user()).await?)
}

#[tauri::command]
pub async fn delete_notifications(
    state: State<'_, AppState>,
    request: Vec<NotificationId>,
) -> Answer<i64> {
    Ok(notifications::delete(&state.db, state.current_user(), &request).await?)
}

#[tauri::command]
pub async fn delete_history(state: State<'_, AppState>) -> Answer<i64> {
    Ok(notifications::delete_history(&state.db, state.current_user()).await?)
}
