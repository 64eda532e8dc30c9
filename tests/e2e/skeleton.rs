use crate::support::{in_window, Role, RunningApp};
use serde_json::json;

#[tokio::test]
async fn home_page_shows_the_frame_and_the_schema_read_from_sqlite() {
    let app = RunningApp::launch_empty().await;

    let nav = app.by_role(Role::Navigation, "Main").await;
    let nav_text = nav.text().await.expect("nav text");
    for area in ["Home", "Parts", "Build orders", "Notifications", "Settings"] {
        assert!(
            nav_text.contains(area),
            "navigation lacks {area}: {nav_text:?}"
        );
    }
    app.by_role(Role::Link, "Home").await;
    app.by_role(Role::Button, "Notifications").await;
    app.by_role(Role::Heading, "Your inventory is empty").await;

    // The schema version travels SQLite -> core -> command -> UI.
    let shown = app.value_of("Schema version").await;
    assert_eq!(
        shown,
        partwatch_core::Database::latest_known_schema_version().to_string()
    );

    // The database is the file in the data directory this test gave the app.
    let location = app.value_of("Location").await;
    assert!(
        app.database_file().is_file(),
        "no database file was created"
    );
    let expected = std::fs::canonicalize(app.database_file()).expect("canonical path");
    assert_eq!(location, expected.display().to_string());

    app.quit().await;
}

/// The page reaches the backend only through Tauri's private bridge (the UI's
/// `ui/ipc.js`): `withGlobalTauri` is off, so there is no `window.__TAURI__`
/// API for any script in the page to use, and the window permissions are the
/// few the capabilities grant.
#[tokio::test]
async fn the_page_has_no_tauri_global_api() {
    let app = RunningApp::launch_empty().await;
    // The UI is up and talking to the backend without the global.
    app.value_of("Schema version").await;

    let globals = in_window(
        &app,
        "return {
           tauri: typeof window.__TAURI__,
           in_window: '__TAURI__' in window,
           bridge: typeof window.__TAURI_INTERNALS__?.invoke,
         };",
    )
    .await;
    assert_eq!(
        globals["ok"],
        json!({ "tauri": "undefined", "in_window": false, "bridge": "function" }),
        "{globals}"
    );

    // Even under the tests' --e2e-window-control, window commands other than
    // close and is-visible stay forbidden.
    let minimized = in_window(
        &app,
        "const label = window.__TAURI_INTERNALS__.metadata.currentWindow.label;
         return await invoke('plugin:window|minimize', { label });",
    )
    .await;
    assert!(
        minimized["rejected"]
            .as_str()
            .is_some_and(|e| e.contains("not allowed")),
        "{minimized}"
    );

    app.quit().await;
}
