//! The backend announces; the window hears. These drive the real commands
//! from inside the window (as the UI does) and listen for the real events.

use crate::support::{in_window, RunningApp};
use serde_json::{json, Value};

#[tokio::test]
async fn a_stock_change_that_goes_low_is_announced_to_the_window() {
    let app = RunningApp::launch_empty().await;
    let answer = in_window(
        &app,
        "const part = await invoke('create_part', { request: { name: 'Event part', minimum_stock: '10', units: 'pcs' } });
         const item = await invoke('add_stock_item', { request: { part_id: part.id, quantity: '20' } });
         await invoke('set_part_subscription', { request: { part_id: part.id, subscribed: true } });
         const heard = new Promise(resolve => listen('partwatch://notifications-changed', e => resolve(e.payload)));
         await invoke('adjust_stock', { request: { item_id: item.id, adjustment: { kind: 'remove', quantity: '15' } } });
         const payload = await heard;
         const count = await invoke('unread_count', {});
         return { payload, count };",
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
async fn bad_input_comes_back_as_code_and_message_and_changes_nothing() {
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
        json!({ "code": "invalid_input", "message": "Part name cannot be empty." }),
        "{answer}"
    );
    assert_eq!(ok["total"], json!(0));
    app.quit().await;
}

#[tokio::test]
async fn the_running_app_shows_an_os_popup_and_logs_the_delivery_as_sent() {
    let app = RunningApp::launch_empty().await;
    let answer = in_window(
        &app,
        "const part = await invoke('create_part', { request: { name: 'Popup part', minimum_stock: '4', units: 'pcs' } });
         const item = await invoke('add_stock_item', { request: { part_id: part.id, quantity: '5' } });
         await invoke('set_part_subscription', { request: { part_id: part.id, subscribed: true } });
         await invoke('adjust_stock', { request: { item_id: item.id, adjustment: { kind: 'remove', quantity: '2' } } });
         for (let i = 0; i < 100; i++) {
           const log = await invoke('list_deliveries', { request: { channel: 'os_popup' } });
           if (log.length && log[0].status !== 'pending') return log;
           await new Promise(r => setTimeout(r, 50));
         }
         return await invoke('list_deliveries', { request: {} });",
    )
    .await;
    let log = &answer["ok"];
    assert_eq!(log[0]["status"], json!("sent"), "{answer}");
    assert_eq!(log[0]["title"], json!("Low stock: Popup part"));
    assert_eq!(log[0]["recipient"], json!("this desktop"));

    let shown = std::fs::read_to_string(
        std::env::var("PARTWATCH_NOTIFICATIONS_LOG").expect("run inside the test harness"),
    )
    .expect("popup log");
    let popup: Value = shown
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
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
