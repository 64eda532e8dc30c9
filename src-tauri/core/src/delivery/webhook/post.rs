//! The HTTP side of webhooks: the web client, the POST itself, and sorting
//! the answer into sent, worth retrying (connection trouble, 5xx, 408, 429)
//! or a permanent failure, with the reason in plain words.
//!
//! A webhook's address is its secret (Slack's path carries the token), so
//! no message made here names more of it than the host: reqwest's errors are
//! stripped of their URL, and a redirect names only where it points to.

use super::super::{DeliveryError, WebhookTarget};
use partwatch_types::delivery::DeliveryId;
use partwatch_types::notifications::NotificationKind;
use reqwest::{StatusCode, Url};
use serde_json::Value;
use std::time::Duration;

/// How much of an error answer is read, at most.
const ANSWER_READ_LIMIT: usize = 4 * 1024;
/// How much of an error answer is quoted in the message.
const ANSWER_QUOTE_CHARS: usize = 200;

// ---------------------------------------------------------------- sending

pub(super) fn client(timeout: Duration) -> Result<reqwest::Client, DeliveryError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("Partwatch/", env!("CARGO_PKG_VERSION")))
        // A redirect would turn the POST into a GET (301, 302) or re-post the
        // body wherever it points (307, 308): it is answered as a failure.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            DeliveryError::permanent(format!(
                "The web client could not be set up: {}",
                describe(e)
            ))
        })
}

pub(super) async fn post(
    client: &reqwest::Client,
    hook: &WebhookTarget,
    kind: NotificationKind,
    delivery: DeliveryId,
    body: &Value,
) -> Result<(), DeliveryError> {
    let mut response = client
        .post(&hook.url)
        .header("Content-Type", "application/json")
        .header("X-Partwatch-Event", kind.as_str())
        .header("X-Partwatch-Delivery", delivery.to_string())
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| explain_transport(e, hook))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        return Err(moved(hook, status, &response));
    }
    let text = read_answer(&mut response).await;
    let answer = if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
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

/// A 3xx answer: a permanent failure that names the new address's host only.
fn moved(hook: &WebhookTarget, status: StatusCode, response: &reqwest::Response) -> DeliveryError {
    let new_host = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .and_then(|location| response.url().join(location.trim()).ok())
        .and_then(|url| url.host_str().map(str::to_owned))
        .filter(|host| !host.is_empty());
    DeliveryError::permanent(match new_host {
        Some(host) => format!(
            "{} answered {status}: it moved to {host}; update the webhook's address.",
            hook.name
        ),
        None => format!(
            "{} answered {status} without saying where it moved; check the webhook's address.",
            hook.name
        ),
    })
}

/// The start of an error answer, trimmed and cut to a quotable length.
/// At most `ANSWER_READ_LIMIT` bytes are read, however long the answer is.
async fn read_answer(response: &mut reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < ANSWER_READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = ANSWER_READ_LIMIT - bytes.len();
                bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            // The end, or a broken answer: quote what arrived.
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&bytes)
        .trim()
        .chars()
        .take(ANSWER_QUOTE_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

fn explain_transport(err: reqwest::Error, hook: &WebhookTarget) -> DeliveryError {
    let host = host_of(&hook.url);
    if err.is_timeout() {
        DeliveryError::transient(format!("{host} did not answer in time."))
    } else if err.is_connect() {
        DeliveryError::transient(format!(
            "Could not connect to {host}; it may be down or unreachable."
        ))
    } else {
        let reason = redact(&describe(err), &hook.url, &host);
        DeliveryError::transient(format!("Posting to {host} failed: {reason}"))
    }
}

/// The host of a webhook address, the only part of it safe to show.
pub(super) fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "the webhook".to_owned())
}

/// A reqwest error in words without its URL, with the causes reqwest's own
/// text leaves out ("error sending request: connection closed before
/// message completed").
fn describe(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !cause_text.is_empty() && !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Belt and braces: replaces the webhook's address in `text`, should a
/// cause have quoted it, by its host.
fn redact(text: &str, url: &str, host: &str) -> String {
    let mut text = text.to_owned();
    let parsed = Url::parse(url).ok();
    let mut secrets = vec![url.to_owned()];
    if let Some(parsed) = &parsed {
        secrets.push(parsed.as_str().to_owned());
        let path = parsed.path();
        if path.len() > 1 {
            secrets.push(path.to_owned());
        }
        if let Some(query) = parsed.query().filter(|q| !q.is_empty()) {
            secrets.push(query.to_owned());
        }
    }
    for secret in secrets {
        if !secret.is_empty() {
            text = text.replace(&secret, host);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_replaces_the_address_its_path_and_query_by_the_host() {
        let url = "https://hooks.slack.com/services/T0/B0/XoXo?token=abc";
        let host = host_of(url);
        assert_eq!(host, "hooks.slack.com");
        let text = redact(
            &format!("failed for {url}; path /services/T0/B0/XoXo, query token=abc"),
            url,
            &host,
        );
        assert!(!text.contains("XoXo") && !text.contains("abc"), "{text}");
        assert_eq!(host_of("not a url"), "the webhook");
    }
}
