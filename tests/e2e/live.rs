//! The backend announces; the window hears. These drive the real commands
//! from inside the window (as the UI does) and listen for the real events.

use crate::support::{
    in_window, popups_shown, settled_popup_deliveries, take_out, watched_part, RunningApp,
};
use serde_json::json;

#[tokio::test]
async fn a_stock_change_that_goes_low_is_announced_to_the_window() {
    let app = RunningApp::launch_empty().await;
    let item = watched_part(&app, "Event part", 10, 20).await;
    let answer = in_window(
        &app,
        &format!(
            "const heard = new Promise(resolve => listen('partwatch://notifications-changed', e => resolve(e.payload)));
             await invoke('adjust_stock', {{ request: {{ item_id: {item}, adjustment: {{ kind: 'remove', quantity: '15' }} }} }});
             const payload = await heard;
             const count = await invoke('unread_count', {{}});
             return {{ payload, count }};"
        ),
    )
    .await;
    let ok = &answer["ok"];
    assert!(!ok.is_null(), "the script failed: {answer}");
    assert_eq!(ok["payload"]["unread_count"], json!(1));
    assert_eq!(
        ok["payload"]["new"][0]["title"],
        json!("Low stock: Event part")
    );
    assert_eq!(
        ok["payload"]["new"][0]["reason"],
        json!("you watch this part")
    );
    assert_eq!(
        ok["payload"]["new"][0]["body"],
        json!("Event part is down to 5 pcs, below its minimum of 10 pcs.")
    );
    assert_eq!(ok["count"], json!(1));
    app.quit().await;
}

#[tokio::test]
async fn bad_input_comes_back_as_code_message_and_field_and_changes_nothing() {
    let app = RunningApp::launch_empty().await;
    let answer = in_window(
        &app,
        "let rejected = null;
         try { await invoke('create_part', { request: { name: '   ' } }); }
         catch (e) { rejected = e; }
         const page = await invoke('list_parts', { request: {} });
         return { rejected, total: page.total };",
    )
    .await;
    let ok = &answer["ok"];
    assert_eq!(
        ok["rejected"],
        json!({
            "code": "invalid_input",
            "message": "Part name cannot be empty.",
            "field": "Part name"
        }),
        "{answer}"
    );
    assert_eq!(ok["total"], json!(0));
    app.quit().await;
}

#[tokio::test]
async fn the_running_app_shows_an_os_popup_and_logs_the_delivery_as_sent() {
    let app = RunningApp::launch_empty().await;
    let item = watched_part(&app, "Popup part", 4, 5).await;
    let taken = take_out(&app, item, 2).await;
    assert!(taken["ok"].is_number(), "{taken}");
    let answer = settled_popup_deliveries(&app).await;
    let log = &answer["ok"];
    assert_eq!(log[0]["status"], json!("sent"), "{answer}");
    assert_eq!(log[0]["title"], json!("Low stock: Popup part"));
    assert_eq!(log[0]["recipient"], json!("this desktop"));

    let popup = popups_shown()
        .into_iter()
        .find(|p| p["summary"] == "Low stock: Popup part")
        .expect("the notification server received the popup");
    assert_eq!(popup["app_name"], json!("Partwatch"));
    assert_eq!(
        popup["body"],
        json!("Popup part is down to 3 pcs, below its minimum of 4 pcs.")
    );
    assert!(
        popup["app_icon"].as_str().is_some_and(
            |icon| icon.ends_with("partwatch-icon.png") && std::path::Path::new(icon).is_file()
        ),
        "{popup}"
    );
    app.quit().await;
}
