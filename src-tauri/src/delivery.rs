//! Starts the core's delivery worker with the three channels, and stops it
//! (letting sends in flight finish) when the app exits. A clicked OS popup
//! brings the window forward and tells the UI what to open.

use partwatch_core::delivery::email::EmailChannel;
use partwatch_core::delivery::popup::PopupChannel;
use partwatch_core::delivery::webhook::WebhookChannel;
use partwatch_core::delivery::{ChannelSet, DeliveryConfig, Worker};
use partwatch_core::Database;
use partwatch_types::events::OPEN_TARGET;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The running worker, managed as app state until exit.
#[derive(Default)]
pub struct DeliveryWorker(Mutex<Option<Worker>>);

/// The icon the popups show, written next to the database so the
/// notification server can read it whether or not the app is installed.
fn popup_icon(data_dir: &Path) -> String {
    let path = data_dir.join("partwatch-icon.png");
    match std::fs::write(&path, include_bytes!("../../icons/128x128.png")) {
        Ok(()) => path.display().to_string(),
        Err(err) => {
            tracing::warn!("could not write the popup icon: {err}");
            "dialog-information".to_owned()
        }
    }
}

pub fn start<R: Runtime>(
    app: &AppHandle<R>,
    db: Database,
    config: DeliveryConfig,
    data_dir: &Path,
) {
    let handle = app.clone();
    let on_activate = Arc::new(move |target| {
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Err(err) = handle.emit(OPEN_TARGET, target) {
            tracing::warn!("could not ask the window to open a notification: {err}");
        }
    });
    let channels = ChannelSet::new()
        .with(PopupChannel::new(
            db.clone(),
            "Partwatch",
            popup_icon(data_dir),
            on_activate,
        ))
        .with(EmailChannel::new(db.clone(), config.clone()))
        .with(WebhookChannel::new(db.clone(), &config));
    // Worker::start spawns on the runtime it is called from: Tauri's (entered,
    // not blocked on: this runs at start-up and from an async command alike).
    let runtime = tauri::async_runtime::handle();
    let _inside = runtime.inner().enter();
    let worker = Worker::start(db, channels, config);
    app.manage(DeliveryWorker(Mutex::new(Some(worker))));
}

/// Lets the sends in flight finish (at most a few seconds), then stops.
pub fn stop<R: Runtime>(app: &AppHandle<R>) {
    let Some(state) = app.try_state::<DeliveryWorker>() else {
        return;
    };
    let worker = state
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(worker) = worker {
        tauri::async_runtime::block_on(async {
            if tokio::time::timeout(Duration::from_secs(5), worker.stop())
                .await
                .is_err()
            {
                tracing::warn!(
                    "deliveries still in flight at exit; they are sent at the next start"
                );
            }
        });
    }
}
