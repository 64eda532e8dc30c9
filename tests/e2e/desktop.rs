//! Desktop presence under the harness's Xvfb and private D-Bus session: one
//! instance only, the tray's menu following the inbox (read from the real
//! StatusNotifierItem menu over D-Bus), closing the window to the tray while
//! popups keep coming, and pausing popups while the inbox still fills.

use crate::support::{
    eventually, in_window, poll, popups_shown, set_up, settled_popup_deliveries, take_out,
    watched_part, Role, RunningApp,
};
use serde_json::json;
use std::time::Duration;
use tokio::process::Command;

/// The app, started empty, with a watched part `name` (minimum 10, 20 in
/// stock); returns its stock item's id too.
async fn launch_watching(name: &str) -> (RunningApp, i64) {
    let app = RunningApp::launch_empty().await;
    let item = watched_part(&app, name, 10, 20).await;
    (app, item)
}

async fn gdbus(args: &[&str]) -> Option<String> {
    let out = Command::new("gdbus")
        .arg("call")
        .arg("--session")
        .args(args)
        .output()
        .await
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The labels of the tray's menu, read from the app's StatusNotifierItem
/// (libayatana-appindicator) over D-Bus with com.canonical.dbusmenu.
async fn tray_menu() -> Option<String> {
    let names = gdbus(&[
        "--dest",
        "org.freedesktop.DBus",
        "--object-path",
        "/org/freedesktop/DBus",
        "--method",
        "org.freedesktop.DBus.ListNames",
    ])
    .await?;
    for name in names.split('\'').filter(|n| n.starts_with(":1.")) {
        let Ok(out) = Command::new("gdbus")
            .args([
                "introspect",
                "--session",
                "--dest",
                name,
                "--object-path",
                "/org/ayatana/NotificationItem",
            ])
            .output()
            .await
        else {
            continue;
        };
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        // The item is the child node (the first line is the path itself).
        let Some(node) = text.lines().find_map(|l| {
            l.trim()
                .strip_prefix("node ")
                .filter(|n| !n.starts_with('/'))
                .map(|n| n.trim_end_matches('{').trim().to_owned())
        }) else {
            continue;
        };
        let path = format!("/org/ayatana/NotificationItem/{node}/Menu");
        if let Some(layout) = gdbus(&[
            "--dest",
            name,
            "--object-path",
            &path,
            "--method",
            "com.canonical.dbusmenu.GetLayout",
            "--",
            "0",
            "-1",
            "@as ['label']",
        ])
        .await
        {
            return Some(layout);
        }
    }
    None
}

async fn wait_for_tray(needle: &str) -> String {
    poll(100, Duration::from_millis(100), tray_menu, |menu| {
        menu.as_deref().is_some_and(|m| m.contains(needle))
    })
    .await
    .unwrap_or_else(|last| panic!("the tray menu never showed {needle:?}: {last:?}"))
    .unwrap_or_default()
}

fn popups_titled(summary: &str) -> usize {
    popups_shown()
        .iter()
        .filter(|p| p["summary"] == summary)
        .count()
}

/// Starts Partwatch a second time (on its own data directory, with `args`)
/// and waits for it to hand over to the running one and exit successfully.
async fn launch_again(data_dir: &std::path::Path, args: &[&str]) {
    let mut second = Command::new(env!("CARGO_BIN_EXE_partwatch"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .kill_on_drop(true)
        .spawn()
        .expect("second launch starts");
    let status = tokio::time::timeout(Duration::from_secs(20), second.wait())
        .await
        .expect("the second launch exits by itself")
        .expect("exit status");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn the_tray_menu_follows_the_inbox() {
    let app = RunningApp::launch_empty().await;
    let menu = wait_for_tray("No unread notifications").await;
    for item in [
        "Open Partwatch",
        "Mark all as read",
        "Pause popups for 1 hour",
        "Pause popups until tomorrow",
        "Quit Partwatch",
    ] {
        assert!(
            menu.contains(item),
            "{item:?} missing from the tray menu: {menu}"
        );
    }
    let item = watched_part(&app, "Tray part", 10, 20).await;
    assert_eq!(take_out(&app, item, 15).await["ok"], json!(1));
    let menu = wait_for_tray("1 unread notification").await;
    assert!(menu.contains("Low stock: Tray part"), "{menu}");
    in_window(&app, "return await invoke('mark_all_read', {});").await;
    wait_for_tray("No unread notifications").await;
    // Pausing shows in the menu as a way to resume.
    in_window(
        &app,
        "return await invoke('pause_popups', { request: 'one_hour' });",
    )
    .await;
    wait_for_tray("Resume popups (paused until").await;
    app.quit().await;
}

/// The current user is the core's: a switch (here made behind the window's
/// back, as any other caller could) reaches the tray and the window at once.
#[tokio::test]
async fn the_tray_and_the_window_follow_a_switch_of_user() {
    let (app, item) = launch_watching("Switch part").await;
    assert_eq!(take_out(&app, item, 15).await["ok"], json!(1));
    wait_for_tray("1 unread notification").await;
    let bea = in_window(
        &app,
        "const bea = await invoke('create_user', { request: { name: 'Bea' } });
         await invoke('switch_user', { request: bea.id });
         return bea.id;",
    )
    .await;
    assert!(bea["ok"].is_i64(), "{bea}");
    let menu = wait_for_tray("No unread notifications").await;
    assert!(
        !menu.contains("Low stock: Switch part"),
        "Bea's tray shows the previous user's inbox: {menu}"
    );
    app.by_role(Role::Button, "Switch user (now Bea)").await;
    let me = in_window(
        &app,
        "const users = await invoke('list_users', {});
         const me = users.find(u => u.name !== 'Bea');
         await invoke('switch_user', { request: me.id });
         return me.name;",
    )
    .await;
    let menu = wait_for_tray("1 unread notification").await;
    assert!(menu.contains("Low stock: Switch part"), "{menu}");
    let name = me["ok"].as_str().unwrap_or_default().to_owned();
    app.by_role(Role::Button, &format!("Switch user (now {name})"))
        .await;
    app.quit().await;
}

#[tokio::test]
async fn with_the_window_closed_a_stock_change_still_pops_up() {
    let (app, item) = launch_watching("Closed window part").await;
    let closed = in_window(
        &app,
        // What @tauri-apps/api's getCurrentWindow().close() / isVisible()
        // send; allowed only because the tests start the app with
        // --e2e-window-control.
        "const label = window.__TAURI_INTERNALS__.metadata.currentWindow.label;
         await invoke('plugin:window|close', { label });
         await new Promise(r => setTimeout(r, 300));
         return await invoke('plugin:window|is_visible', { label });",
    )
    .await;
    assert_eq!(
        closed["ok"],
        json!(false),
        "the window is hidden, not gone: {closed}"
    );
    assert_eq!(take_out(&app, item, 15).await["ok"], json!(1));
    eventually(async || popups_titled("Low stock: Closed window part") == 1).await;
    assert_eq!(popups_titled("Low stock: Closed window part"), 1);
    app.quit().await;
}

#[tokio::test]
async fn paused_popups_stay_quiet_while_the_inbox_fills() {
    let (app, item) = launch_watching("Paused part").await;
    let paused = in_window(
        &app,
        "return await invoke('pause_popups', { request: 'one_hour' });",
    )
    .await;
    assert!(paused["ok"]["paused_until"].is_string(), "{paused}");
    assert_eq!(
        take_out(&app, item, 15).await["ok"],
        json!(1),
        "the notification still lands in the inbox"
    );
    let log = settled_popup_deliveries(&app).await;
    assert_eq!(log["ok"][0]["status"], json!("skipped"), "{log}");
    assert_eq!(popups_titled("Low stock: Paused part"), 0);
    app.quit().await;
}

#[tokio::test]
async fn a_second_launch_shows_the_first_window_and_exits() {
    let app = RunningApp::launch_empty().await;
    in_window(&app, "return await invoke('app_info', {});").await;
    let other_dir = tempfile::tempdir().expect("temp dir");
    launch_again(other_dir.path(), &[]).await;
    assert!(
        !other_dir
            .path()
            .join(partwatch_core::DATABASE_FILE_NAME)
            .exists(),
        "the second launch never opened a database"
    );
    let seen = eventually(async || app.log_text().contains("Partwatch was started again")).await;
    assert!(
        seen,
        "the first instance was told and showed its window: {}",
        app.log_text()
    );
    // And the first one still answers.
    let info = in_window(&app, "return await invoke('app_info', {});").await;
    assert!(info["ok"]["database_path"].is_string(), "{info}");
    app.quit().await;
}

/// A link opened while Partwatch is not running starts it with the link:
/// the window opens the part once it is ready. A link naming nothing
/// Partwatch has opens Partwatch, which says so.
#[tokio::test]
async fn a_link_given_at_a_cold_start_opens_its_part_and_an_unreadable_one_is_said() {
    let app = RunningApp::launch_empty().await;
    let part = set_up(
        &app,
        "const part = await invoke('create_part', { request: { name: 'Cold relay', units: 'pcs' } });
         return part.id;",
    )
    .await;
    let id = part
        .as_i64()
        .unwrap_or_else(|| panic!("no part id: {part}"));
    let data_dir = app.quit_keeping_data().await;

    let link = format!("partwatch://parts/{id}");
    let app = RunningApp::launch_in(data_dir, &[&link]).await;
    app.by_role(Role::Heading, "Cold relay").await;
    let data_dir = app.quit_keeping_data().await;

    let app = RunningApp::launch_in(data_dir, &["partwatch://shelves/3"]).await;
    app.wait_for_text(
        "Partwatch cannot open the link “partwatch://shelves/3”: it is not a link to a part \
         (partwatch://parts/ID) or a build order (partwatch://builds/ID).",
    )
    .await;
    app.by_role(Role::Navigation, "Main").await;
    app.screenshot("unreadable-link").await;
    app.quit().await;
}

/// What the desktop does with a `partwatch://` link while Partwatch runs: it
/// starts Partwatch again with the link; that second start hands the link to
/// the running window, which opens the part, and exits.
#[tokio::test]
async fn a_link_given_to_a_second_launch_opens_in_the_first_window() {
    let app = RunningApp::launch_empty().await;
    let part = set_up(
        &app,
        "const part = await invoke('create_part', { request: { name: 'Linked relay', units: 'pcs' } });
         return part.id;",
    )
    .await;
    let id = part
        .as_i64()
        .unwrap_or_else(|| panic!("no part id: {part}"));
    // A running window: its page is up (and listening), not still starting.
    app.by_role(Role::Navigation, "Main").await;
    let other_dir = tempfile::tempdir().expect("temp dir");
    launch_again(other_dir.path(), &[&format!("partwatch://parts/{id}")]).await;
    app.by_role(Role::Heading, "Linked relay").await;
    app.quit().await;
}
