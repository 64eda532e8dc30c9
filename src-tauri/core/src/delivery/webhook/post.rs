//! The HTTP side of webhooks: the web client, the POST itself, and sorting
//! the answer into sent, worth retrying (connection trouble, 5xx, 408, 429)
//! or a permanent failure, with the reason in plain words.

use super::super::{DeliveryError, WebhookTarget};
use partwatch_types::delivery::DeliveryId;
use partwatch_types::notifications::NotificationKind;
use serde_json::Value;
use std::time::Duration;

// ---------------------------------------------------------------- sending

pub(super) fn client(timeout: Duration) -> Result<reqwest::Client, DeliveryError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("Partwatch/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DeliveryError::permanent(format!("The web client could not be set up: {e}")))
}

pub(super) async fn post(
    client: &reqwest::Client,
    hook: &WebhookTarget,
    kind: NotificationKind,
    delivery: DeliveryId,
    body: &Value,
) -> Result<(), DeliveryError> {
    let response = client
        .post(&hook.url)
        .header("Content-Type", "application/json")
        .header("X-Partwatch-Event", kind.as_str())
        .header("X-Partwatch-Delivery", delivery.to_string())
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| explain_transport(&e, hook))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text: String = response
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let answer = if text.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", text.trim())
    };
    let message = format!("{} answered {status}{answer}", hook.name);
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
        Err(DeliveryError::transient(message))
    } else {
        Err(DeliveryError::permanent(format!(
            "{message}. Check the webhook's address."
        )))
    }
}

fn explain_transport(err: &reqwest::Error, hook: &WebhookTarget) -> DeliveryError {
    let host = reqwest::Url::parse(&hook.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    if err.is_timeout() {
        DeliveryError::transient(format!("{host} did not answer in time."))
    } else if err.is_connect() {
        DeliveryError::transient(format!(
            "Could not connect to {host}; it may be down or unreachable."
        ))
    } else {
        DeliveryError::transient(format!("Posting to {host} failed: {err}"))
    }
}
