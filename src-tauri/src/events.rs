//! Turns the core's announcements into Tauri events, so the UI never polls.
//! This is the one listener: after every commit that changed the current
//! user's notifications, and after a switch of user, it tells the window
//! (unread count, what is new, who works here now) and rebuilds the tray.
//! On a team database, other desktops' commits arrive as the same
//! announcements (`partwatch_core::live`); whether this desktop hears them is
//! pushed too (`TEAM_LINK_CHANGED`).

use crate::state::AppState;
use partwatch_core::notifications::{self, Announcement};
use partwatch_types::events::{
    NotificationsChanged, CHANGED_ELSEWHERE, CURRENT_USER_CHANGED, NOTIFICATIONS_CHANGED,
    SNOOZES_ENDED, TEAM_LINK_CHANGED,
};
use partwatch_types::notifications::NotificationId;
use partwatch_types::TeamLink;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

/// Forwards announcements for as long as the app runs.
pub async fn forward_announcements<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let mut announcements = state.db.announcements();
    let changed_elsewhere = Coalesced::default();
    loop {
        let created = match announcements.recv().await {
            Ok(announcement) => {
                let Ok(me) = state.me() else { continue };
                if !announcement.concerns(me) {
                    continue;
                }
                match announcement {
                    Announcement::Notifications { created, .. } => created,
                    Announcement::CurrentUser(user) => {
                        if let Err(err) = app.emit(CURRENT_USER_CHANGED, user) {
                            tracing::warn!("could not tell the window who works here now: {err}");
                        }
                        Vec::new()
                    }
                    Announcement::ChangedElsewhere => {
                        changed_elsewhere.tell(&app);
                        continue;
                    }
                    Announcement::SnoozesEnded { .. } => {
                        if let Err(err) = app.emit(SNOOZES_ENDED, ()) {
                            tracing::warn!("could not tell the window a snooze ended: {err}");
                        }
                        continue;
                    }
                }
            }
            // Fell behind: the count is all that matters, so send it fresh,
            // and whatever else it missed may have been a change elsewhere.
            Err(RecvError::Lagged(_)) => {
                changed_elsewhere.tell(&app);
                Vec::new()
            }
            Err(RecvError::Closed) => return,
        };
        emit_notifications_changed(&app, &state, &created).await;
        crate::tray::refresh(&app).await;
    }
}

/// Emits the current user's unread count and which of `created` are theirs.
async fn emit_notifications_changed<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    created: &[NotificationId],
) {
    let payload = async {
        let user = state.me()?;
        let unread_count = notifications::unread_count(&state.db, user).await?;
        let mut new = notifications::by_ids(&state.db, user, created).await?;
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

/// Tells the window each time this desktop loses or regains its team
/// database's announcements, for as long as the app runs.
pub async fn forward_team_link<R: Runtime>(
    app: AppHandle<R>,
    mut changes: watch::Receiver<TeamLink>,
) {
    while changes.changed().await.is_ok() {
        let link = changes.borrow_and_update().clone();
        if let Err(err) = app.emit(TEAM_LINK_CHANGED, link) {
            tracing::warn!("could not tell the window about the team connection: {err}");
        }
    }
}

/// How long changes made elsewhere are gathered before the window is told
/// once: a busy team (or a thousand mails recorded) must not make the
/// window load its screen a thousand times.
const GATHER_CHANGES_FOR: Duration = Duration::from_millis(250);

/// `CHANGED_ELSEWHERE`, emitted once for all that arrives within
/// [`GATHER_CHANGES_FOR`] of the first.
#[derive(Default)]
struct Coalesced {
    pending: Arc<AtomicBool>,
}

impl Coalesced {
    fn tell<R: Runtime>(&self, app: &AppHandle<R>) {
        if self.pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let (app, pending) = (app.clone(), Arc::clone(&self.pending));
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(GATHER_CHANGES_FOR).await;
            pending.store(false, Ordering::Release);
            if let Err(err) = app.emit(CHANGED_ELSEWHERE, ()) {
                tracing::warn!("could not tell the window of changes elsewhere: {err}");
            }
        });
    }
}
