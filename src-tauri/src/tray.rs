//! The tray icon: its icon (with a red dot while anything is unread), title
//! and menu — Open Partwatch, the latest unread notifications (click opens
//! one), Mark all as read, pause or resume popups, Quit. Rebuilt after every
//! change to the current user's notifications (see `events.rs`).

use crate::state::AppState;
use partwatch_core::{desktop, notifications};
use partwatch_types::desktop::PauseFor;
use partwatch_types::events::OPEN_TARGET;
use partwatch_types::notifications::{
    Folder, NotificationId, NotificationQuery, NotificationTarget,
};
use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

const TRAY_ID: &str = "partwatch";
const LATEST: i64 = 5;

fn icon(unread: bool) -> Option<Image<'static>> {
    let bytes: &'static [u8] = if unread {
        include_bytes!("../../icons/tray-unread.png")
    } else {
        include_bytes!("../../icons/tray.png")
    };
    Image::from_bytes(bytes).ok()
}

/// Creates the tray icon (with an empty menu until the first refresh).
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Partwatch")
        .title("Partwatch")
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event);
    if let Some(image) = icon(false) {
        builder = builder.icon(image);
    }
    builder.menu(&Menu::new(app)?).build(app)?;
    Ok(())
}

/// What the tray shows, read from the core for the current user.
pub struct TrayView {
    pub unread: i64,
    pub latest: Vec<(String, String)>,
    pub paused_until: Option<String>,
}

async fn read<R: Runtime>(app: &AppHandle<R>) -> partwatch_core::CoreResult<TrayView> {
    let state = app.state::<AppState>();
    let user = state.me()?;
    let unread = notifications::unread_count(&state.db, user).await?;
    let query = NotificationQuery {
        folder: Folder::Inbox,
        limit: LATEST,
        ..NotificationQuery::default()
    };
    let latest = notifications::list(&state.db, user, &query)
        .await?
        .into_iter()
        .map(|n| (format!("notification:{}", n.id), n.title))
        .collect();
    let paused_until = desktop::popup_pause(&state.db, user).await?.paused_until;
    Ok(TrayView {
        unread,
        latest,
        paused_until,
    })
}

/// Brings the tray up to date with the current user's inbox.
pub async fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let view = match read(app).await {
        Ok(view) => view,
        Err(err) => {
            tracing::warn!("could not read what the tray shows: {err}");
            return;
        }
    };
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let title = match view.unread {
        0 => "Partwatch".to_owned(),
        1 => "Partwatch — 1 unread".to_owned(),
        n => format!("Partwatch — {n} unread"),
    };
    let _ = tray.set_icon(icon(view.unread > 0));
    let _ = tray.set_tooltip(Some(&title));
    let _ = tray.set_title(Some(&title));
    match menu(app, &view) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(err) => tracing::warn!("could not build the tray menu: {err}"),
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "open",
        "Open Partwatch",
        true,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    let heading = match view.unread {
        0 => "No unread notifications".to_owned(),
        1 => "1 unread notification".to_owned(),
        n => format!("{n} unread notifications"),
    };
    menu.append(&MenuItem::with_id(
        app,
        "unread",
        heading,
        false,
        None::<&str>,
    )?)?;
    for (id, title) in &view.latest {
        menu.append(&MenuItem::with_id(
            app,
            id.as_str(),
            format!("   {title}"),
            true,
            None::<&str>,
        )?)?;
    }
    menu.append(&MenuItem::with_id(
        app,
        "mark-all-read",
        "Mark all as read",
        view.unread > 0,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    match &view.paused_until {
        Some(until) => {
            let label = format!("Resume popups (paused until {})", short_time(until));
            menu.append(&MenuItem::with_id(
                app,
                "resume",
                label,
                true,
                None::<&str>,
            )?)?;
        }
        None => {
            menu.append(&MenuItem::with_id(
                app,
                "pause-hour",
                "Pause popups for 1 hour",
                true,
                None::<&str>,
            )?)?;
            menu.append(&MenuItem::with_id(
                app,
                "pause-tomorrow",
                "Pause popups until tomorrow",
                true,
                None::<&str>,
            )?)?;
        }
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        "quit",
        "Quit Partwatch",
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

/// "2026-12-01T13:05:00.000Z" → "13:05 UTC" (the tray has no locale; the
/// Settings screen shows the local time).
fn short_time(iso: &str) -> String {
    iso.get(11..16)
        .map(|hm| format!("{hm} UTC"))
        .unwrap_or_else(|| iso.to_owned())
}

/// Shows the window and brings it to the front.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref().to_owned();
    let app = app.clone();
    match id.as_str() {
        "open" => show_window(&app),
        "quit" => app.exit(0),
        _ => {
            tauri::async_runtime::spawn(async move {
                if let Err(err) = act(&app, &id).await {
                    tracing::warn!("tray action {id} failed: {err}");
                }
                refresh(&app).await;
            });
        }
    }
}

async fn act<R: Runtime>(app: &AppHandle<R>, id: &str) -> partwatch_core::CoreResult<()> {
    let state = app.state::<AppState>();
    let user = state.me()?;
    match id {
        "mark-all-read" => {
            notifications::mark_all_read(&state.db, user).await?;
        }
        "pause-hour" => {
            desktop::pause_popups(&state.db, user, &PauseFor::OneHour).await?;
        }
        "pause-tomorrow" => {
            desktop::pause_popups(&state.db, user, &PauseFor::UntilTomorrow).await?;
        }
        "resume" => {
            desktop::resume_popups(&state.db, user).await?;
        }
        other => {
            if let Some(nid) = other
                .strip_prefix("notification:")
                .and_then(|n| n.parse::<NotificationId>().ok())
            {
                let opened = notifications::by_ids(&state.db, user, &[nid]).await?;
                notifications::mark(&state.db, user, &[nid], true).await?;
                show_window(app);
                let target = opened
                    .into_iter()
                    .next()
                    .map_or(NotificationTarget::None, |n| n.target);
                let _ = app.emit(OPEN_TARGET, target);
            }
        }
    }
    Ok(())
}
