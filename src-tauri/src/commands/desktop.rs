//! The commands that reach beyond the database: the operating system's
//! start-at-login entry and the tray.

use super::{Answer, Context};
use crate::tray;
use partwatch_core::desktop;
use partwatch_types::desktop::{DesktopStatus, PauseFor, PopupPause, UpdateDesktop};
use partwatch_types::notifications::LinkRequest;
use partwatch_types::{ApiError, ErrorCode};
use tauri::{Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;

fn autostart_error(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("Start at login could not be changed: {err}"),
    )
}

pub async fn status<R: Runtime>(context: Context<R>, (): ()) -> Answer<DesktopStatus> {
    let state = context.state()?;
    Ok(DesktopStatus {
        settings: desktop::settings(&state.db).await?,
        start_at_login: context.app.autolaunch().is_enabled().unwrap_or(false),
        pause: desktop::popup_pause(&state.db, state.me()?).await?,
        log_directory: state.log_directory.display().to_string(),
    })
}

pub async fn update<R: Runtime>(
    context: Context<R>,
    request: UpdateDesktop,
) -> Answer<DesktopStatus> {
    let state = context.state()?;
    let saved = desktop::update_settings(&state.db, &request.settings).await?;
    state.set_close_to_tray(saved.close_to_tray);
    let autolaunch = context.app.autolaunch();
    if request.start_at_login != autolaunch.is_enabled().unwrap_or(false) {
        if request.start_at_login {
            autolaunch.enable().map_err(autostart_error)?;
        } else {
            autolaunch.disable().map_err(autostart_error)?;
        }
    }
    status(context, ()).await
}

pub async fn pause<R: Runtime>(context: Context<R>, request: PauseFor) -> Answer<PopupPause> {
    let state = context.state()?;
    let pause = desktop::pause_popups(&state.db, state.me()?, &request).await?;
    tray::refresh(&context.app).await;
    Ok(pause)
}

pub async fn resume<R: Runtime>(context: Context<R>, (): ()) -> Answer<PopupPause> {
    let state = context.state()?;
    let pause = desktop::resume_popups(&state.db, state.me()?).await?;
    tray::refresh(&context.app).await;
    Ok(pause)
}

/// The link this start was given, once (see `StartLink`).
pub async fn take_start_link<R: Runtime>(
    context: Context<R>,
    (): (),
) -> Answer<Option<LinkRequest>> {
    let link = context
        .app
        .try_state::<crate::StartLink>()
        .and_then(|start| start.take());
    match &link {
        Some(LinkRequest::Open { target }) => {
            tracing::info!("the window opens the link it was started with: {target:?}");
        }
        Some(LinkRequest::Unreadable { link }) => {
            tracing::warn!("Partwatch was started with a link it cannot open: {link:?}");
        }
        None => {}
    }
    Ok(link)
}
