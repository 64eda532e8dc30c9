use super::Answer;
use crate::events;
use crate::state::AppState;
use partwatch_core::inventory::users;
use partwatch_core::notifications::Announcement;
use partwatch_types::inventory::{NewUser, RenameUser, SetUserActive, SetUserEmail, User, UserId};
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn current_user(state: State<'_, AppState>) -> Answer<User> {
    Ok(users::current(&state.db, &state.os_user_name).await?)
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> Answer<Vec<User>> {
    Ok(users::list(&state.db).await?)
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, request: NewUser) -> Answer<User> {
    Ok(users::create(&state.db, &request).await?)
}

#[tauri::command]
pub async fn rename_user(state: State<'_, AppState>, request: RenameUser) -> Answer<User> {
    Ok(users::rename(&state.db, request.id, &request.name).await?)
}

#[tauri::command]
pub async fn set_user_email(state: State<'_, AppState>, request: SetUserEmail) -> Answer<User> {
    Ok(users::set_email(&state.db, request.id, request.email.as_deref()).await?)
}

#[tauri::command]
pub async fn set_user_active(state: State<'_, AppState>, request: SetUserActive) -> Answer<User> {
    Ok(users::set_active(&state.db, request.id, request.active).await?)
}

/// Switches this desktop to another user; the window hears their unread count.
#[tauri::command]
pub async fn switch_user<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: UserId,
) -> Answer<User> {
    let user = users::switch_current(&state.db, request).await?;
    state.set_current_user(user.id);
    let nothing_new = Announcement {
        users: vec![user.id],
        created: Vec::new(),
    };
    events::emit_notifications_changed(&app, &state, &nothing_new).await;
    Ok(user)
}
