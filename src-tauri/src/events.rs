//! Turns the core's announcements into Tauri events for the window, so the
//! UI never polls: after every commit that changed the current user's
//! notifications, the window gets the unread count and what is new.

use crate::state::AppState;
use partwatch_core::notifications::{self, Announcement};
use partwatch_types::events::{NotificationsChanged, NOTIFICATIONS_CHANGED};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Forwards announcements for as long as the app runs.
pub async fn forward_announcements<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let mut announcements = state.db.announcements();
    loop {
        match announcements.recv().await {
            Ok(announcement) => {
                if announcement.users.contains(&state.current_user()) {
                    emit_notifications_changed(&app, &state, &announcement).await;
                    crate::tray::refresh(&app).await;
                }
            }
            // Fell behind: the count is all that matters, so send it fresh.
            Err(RecvError::Lagged(_)) => {
                let nothing_new = Announcement {
                    users: vec![state.current_user()],
                    created: Vec::new(),
                };
                emit_notifications_changed(&app, &state, &nothing_new).await;
                crate::tray::refresh(&app).await;
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Emits the current user's unread count and the notifications just created for them.
pub async fn emit_notifications_changed<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    announcement: &Announcement,
) {
    let user = state.current_user();
    let payload = async {
        let unread_count = notifications::unread_count(&state.db, user).await?;
        let mut new = notifications::by_ids(&state.db, user, &announcement.created).await?;
        new.reverse();
        Ok::<_, partwatch_core::CoreError>(NotificationsChanged { unread_count, new })
    };
    match payload.await {
        Ok(payload) => {
            if let Err(err) = app.emit(NOTIFICATIONS_CHANGED, payload) {
                tracing::warn!("could not tell the window about new notifications: {err}");
            }
        }
        Err(err) => tracing::warn!("could not read notifications to announce: {err}"),
    }
}
