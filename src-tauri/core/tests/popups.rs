//! OS popups against the harness's notification server
//! (tests/harness/notification_server.py on the private session bus): what a
//! popup's text looks like to the server, depending on what it advertises.
//! Run inside tests/harness/with-services.sh.

use partwatch_core::delivery::popup::PopupChannel;
use partwatch_core::delivery::{ChannelSet, DeliveryConfig, Worker};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

mod support;
use support::harness::wait_for_popups;
use support::{world, World};

/// The server's capabilities are shared by every test in this run: a test
/// that depends on them holds this while it sets and uses them.
static SERVER_CAPABILITIES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Makes the server advertise `body-markup` (or not) to clients that ask
/// from now on; put back to the server's default (advertised) when dropped.
struct BodyMarkup;

impl BodyMarkup {
    fn advertise(advertised: bool) -> Self {
        set_body_markup(advertised);
        BodyMarkup
    }
}

impl Drop for BodyMarkup {
    fn drop(&mut self) {
        set_body_markup(true);
    }
}

fn set_body_markup(advertised: bool) {
    let out = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.partwatch.TestControl.SetBodyMarkup",
        ])
        .arg(format!("boolean:{advertised}"))
        .output()
        .expect("dbus-send");
    assert!(out.status.success(), "SetBodyMarkup: {out:?}");
}

/// Takes a watched part of `name` below its minimum with a popup channel
/// made now (so it asks the server's capabilities now) and returns the popup.
async fn low_stock_popup(w: &World, name: &str) -> Value {
    let (_, item) = w.watched_part(name, &[w.me]).await;
    let popup = PopupChannel::new(
        w.db.clone(),
        "Partwatch",
        "dialog-warning",
        Arc::new(|_| {}),
    );
    let config = DeliveryConfig {
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_millis(400),
        send_timeout: Duration::from_secs(5),
        ..DeliveryConfig::default()
    };
    let worker = Worker::start(w.db.clone(), ChannelSet::new().with(popup), config);
    w.go_low(item).await;
    let shown = wait_for_popups(&format!("Low stock: {name}"), 1).await;
    worker.stop().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    shown.into_iter().next().expect("one popup")
}

/// With the server advertising `body-markup` (or not), a part named `name`
/// goes low: the popup says whether it was sent markup, and has this body.
async fn popup_body(advertised: bool, name: &str, body: &str) {
    let _capabilities = SERVER_CAPABILITIES.lock().await;
    let _markup = BodyMarkup::advertise(advertised);
    let w = world().await;
    let popup = low_stock_popup(&w, name).await;
    assert_eq!(popup["body_markup"], advertised, "{popup}");
    assert_eq!(popup["body"], body, "{popup}");
}

#[tokio::test]
async fn a_server_with_body_markup_gets_the_body_escaped_and_the_summary_as_is() {
    // Found by its summary, which is plain text by the spec: not escaped.
    popup_body(
        true,
        "Nuts & Bolts <b>",
        "Nuts &amp; Bolts &lt;b&gt; is down to 5 pcs, below its minimum of 10 pcs.",
    )
    .await;
}

#[tokio::test]
async fn a_server_without_body_markup_gets_the_body_as_is() {
    let name = "Washers & Nuts <i>";
    let body = format!("{name} is down to 5 pcs, below its minimum of 10 pcs.");
    popup_body(false, name, &body).await;
}
