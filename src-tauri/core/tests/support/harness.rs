//! What the suites that talk to the harness's real servers share: its
//! variables, a quick-retry delivery configuration that trusts its test CA,
//! and the popups its notification server was asked to show.

use partwatch_core::delivery::DeliveryConfig;
use serde_json::Value;
use std::time::Duration;

/// A variable the harness (`tests/harness/with-services.sh`) sets.
pub fn harness(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests inside tests/harness/with-services.sh (bash tests/run.sh)")
    })
}

/// Quick retries, so a test sees several attempts in well under a second;
/// trusts the harness's test certificate authority.
pub fn fast() -> DeliveryConfig {
    DeliveryConfig {
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_millis(400),
        max_attempts: 50,
        send_timeout: Duration::from_secs(2),
        batch: 50,
        extra_root_certificates: vec![
            std::fs::read(harness("PARTWATCH_TEST_CA_CERT")).expect("test CA")
        ],
    }
}

/// The popups the notification server was asked to show with this summary.
pub fn popups_with(summary: &str) -> Vec<Value> {
    let log = std::fs::read_to_string(harness("PARTWATCH_NOTIFICATIONS_LOG")).unwrap_or_default();
    log.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|popup| popup["summary"] == summary)
        .collect()
}

/// Waits (up to 10 s) until at least `count` popups with this summary were shown.
pub async fn wait_for_popups(summary: &str, count: usize) -> Vec<Value> {
    for _ in 0..200 {
        let found = popups_with(summary);
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "fewer than {count} popup(s) titled {summary:?}: {:?}",
        popups_with(summary)
    );
}

/// The mails aiosmtpd has spooled so far whose envelope goes to `to`, oldest
/// first: each as (the raw message, its JSON envelope).
pub fn spooled_mails_to(spool: &str, to: &str) -> Vec<(String, Value)> {
    let Ok(entries) = std::fs::read_dir(spool) else {
        return Vec::new();
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let meta: Value = serde_json::from_str(
                &std::fs::read_to_string(file.with_extension("json")).expect("envelope"),
            )
            .expect("json envelope");
            meta["to"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == to))
                .then(|| (std::fs::read_to_string(&file).expect("mail"), meta))
        })
        .collect()
}
