use super::Answer;
use crate::state::AppState;
use crate::tray;
use partwatch_core::desktop;
use partwatch_types::desktop::{DesktopStatus, PauseFor, PopupPause, UpdateDesktop};
use partwatch_types::{ApiError, ErrorCode};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

fn autostart_error(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("Start at login could not be changed: {err}"),
    )
}

async fn status<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Answer<DesktopStatus> {
    Ok(DesktopStatus {
        settings: desktop::settings(&state.db).await?,
        start_at_login: app.autolaunch().is_enabled().unwrap_or(false),
        pause: desktop::popup_pause(&state.db, state.current_user()).await?,
        log_directory: state.log_directory.display().to_string(),
    })
}

#[tauri::command]
pub async fn desktop_status<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<DesktopStatus> {
    status(&app, &state).await
}

#[tauri::command]
pub async fn update_desktop<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: UpdateDesktop,
) -> Answer<DesktopStatus> {
    let saved = desktop::update_settings(&state.db, &request.settings).await?;
    state.set_close_to_tray(saved.close_to_tray);
    let autolaunch = app.autolaunch();
    if request.start_at_login != autolaunch.is_enabled().unwrap_or(false) {
        if request.start_at_login {
            autolaunch.enable().map_err(autostart_error)?;
        } else {
            autolaunch.disable().map_err(autostart_error)?;
        }
    }
    status(&app, &state).await
}

#[tauri::command]
pub async fn pause_popups<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: PauseFor,
) -> Answer<PopupPause> {
    let pause = desktop::pause_popups(&state.db, state.current_user(), &request).await?;
    tray::refresh(&app).await;
    Ok(pause)
}

#[tauri::command]
pub async fn resume_popups<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<PopupPause> {
    let pause = desktop::resume_popups(&state.db, state.current_user()).await?;
    tray::refresh(&app).await;
    Ok(pause)
}
