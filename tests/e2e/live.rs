//! The backend announces; the window hears. These drive the real commands
//! from inside the window (as the UI does) and listen for the real events.

use crate::support::RunningApp;
use serde_json::{json, Value};

/// Runs `body` (an async JS function body with `invoke` and `listen` in scope)
/// in the window and returns what it resolves to.
async fn in_window(app: &RunningApp, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const {{ invoke }} = window.__TAURI__.core;
         const {{ listen }} = window.__TAURI__.event;
         (async () => {{ {body} }})().then(
             value => done({{ ok: value }}),
             error => done({{ rejected: error }}));"
    );
    app.client
        .execute_async(&script, vec![])
        .await
        .expect("script runs in the window")
}

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
