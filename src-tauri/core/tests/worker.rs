//! The delivery worker's promises, through a scripted fake popup channel
//! instead of a real desktop: transient failures are retried until the popup
//! goes out, a permanent error fails at once (and "Retry" sends it again), the
//! worker gives up after `max_attempts`, a send cut off by a crash is sent
//! again by the next worker, a delivery the channel declines is skipped with
//! its reason, one slow send does not hold up another, and a burst goes out
//! a few sends at a time. Each test checks
//! what a user would see in the delivery log: status, attempts, last error.
//!
//! Needs no servers (no D-Bus, SMTP or HTTP): runs with a plain `cargo test`.

use partwatch_core::delivery::{
    self, BoxFuture, Channel, ChannelSet, DeliveryConfig, DeliveryError, Outgoing, Readiness,
    Worker,
};
use partwatch_core::CoreResult;
use partwatch_types::delivery::{ChannelKind, Delivery, DeliveryId, DeliveryQuery, DeliveryStatus};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

mod support;
use support::{world, World};

/// How long any wait in this suite may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// Quick retries (50 ms, doubling to at most 200 ms): every attempt within a second.
fn fast() -> DeliveryConfig {
    DeliveryConfig {
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        max_attempts: 4,
        send_timeout: Duration::from_secs(2),
        batch: 50,
        extra_root_certificates: vec![],
    }
}

/// For tests that hold a send open: the send timeout must not end it first.
/// Its lease (65 s) also outlives every wait here.
fn patient() -> DeliveryConfig {
    DeliveryConfig {
        send_timeout: Duration::from_secs(30),
        ..fast()
    }
}

// ------------------------------------------------------------ the fake channel

#[derive(Default)]
struct Script {
    /// What the next sends return, in order; `Ok(())` once it is empty.
    outcomes: VecDeque<Result<(), DeliveryError>>,
    /// Every send: the delivery and its event's title.
    calls: Vec<(DeliveryId, String)>,
    /// What `check` answers: skip with this reason, or ready.
    skip: Option<String>,
    /// Sends whose title contains this hang until the semaphore is closed.
    gate: Option<(String, Arc<Semaphore>)>,
    /// The channel's allowance of sends in flight (the worker's default if unset).
    limit: Option<usize>,
    /// Sends in flight now, and the most there ever were at once.
    active: usize,
    most_at_once: usize,
}

/// A desktop-popup channel that does what its script says.
#[derive(Clone, Default)]
struct FakePopups(Arc<Mutex<Script>>);

impl FakePopups {
    fn script(&self) -> MutexGuard<'_, Script> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Fails the first sends with these errors, then succeeds.
    fn failing(errors: impl IntoIterator<Item = DeliveryError>) -> Self {
        let fake = Self::default();
        fake.script().outcomes.extend(errors.into_iter().map(Err));
        fake
    }

    /// Declines every delivery in `check`.
    fn declining(reason: &str) -> Self {
        let fake = Self::default();
        fake.script().skip = Some(reason.to_owned());
        fake
    }

    /// Sends whose event title contains `title` hang until [`Self::release`].
    fn gated(title: &str) -> Self {
        let fake = Self::default();
        fake.script().gate = Some((title.to_owned(), Arc::new(Semaphore::new(0))));
        fake
    }

    /// Lets the held sends (and any later ones) through.
    fn release(&self) {
        if let Some((_, gate)) = &self.script().gate {
            gate.close();
        }
    }

    /// At most `limit` sends at once.
    fn limited(self, limit: usize) -> Self {
        self.script().limit = Some(limit);
        self
    }

    fn most_at_once(&self) -> usize {
        self.script().most_at_once
    }

    fn calls(&self) -> usize {
        self.script().calls.len()
    }

    fn calls_for(&self, id: DeliveryId) -> usize {
        self.script()
            .calls
            .iter()
            .filter(|(call, _)| *call == id)
            .count()
    }

    fn channels(&self) -> ChannelSet {
        ChannelSet::new().with(self.clone())
    }
}

impl Channel for FakePopups {
    fn kind(&self) -> ChannelKind {
        ChannelKind::OsPopup
    }

    fn max_in_flight(&self) -> usize {
        self.script()
            .limit
            .unwrap_or(delivery::DEFAULT_MAX_IN_FLIGHT)
    }

    fn check<'a>(&'a self, _outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        let readiness: CoreResult<Readiness> = Ok(match self.script().skip.clone() {
            Some(reason) => Readiness::Skip(reason),
            None => Readiness::Ready,
        });
        Box::pin(async move { readiness })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            let (outcome, gate) = {
                let mut script = self.script();
                script
                    .calls
                    .push((outgoing.id, outgoing.event.title.clone()));
                let gate = script
                    .gate
                    .as_ref()
                    .filter(|(title, _)| outgoing.event.title.contains(title.as_str()))
                    .map(|(_, gate)| Arc::clone(gate));
                script.active += 1;
                script.most_at_once = script.most_at_once.max(script.active);
                (script.outcomes.pop_front().unwrap_or(Ok(())), gate)
            };
            if let Some(gate) = gate {
                // No permit is ever added: this returns (an error) once `release` closes it.
                let _ = gate.acquire().await;
            }
            self.script().active -= 1;
            outcome
        })
    }
}

// ------------------------------------------------------------------ the world

impl World {
    /// A part I watch, minimum 10, taken from 20 down to 5: the trigger writes
    /// one popup delivery for me (this desktop's user). Returns its id.
    async fn popup_for_low_part(&self, name: &str) -> DeliveryId {
        let (_, item) = self.watched_part(name, &[self.me]).await;
        self.go_low(item).await;
        let title = format!("Low stock: {name}");
        let popups: Vec<Delivery> = self
            .log()
            .await
            .into_iter()
            .filter(|d| d.channel == ChannelKind::OsPopup && d.title == title)
            .collect();
        assert_eq!(popups.len(), 1, "one popup for {name}: {popups:#?}");
        assert_eq!(popups[0].status, DeliveryStatus::Pending);
        popups[0].id
    }

    async fn log(&self) -> Vec<Delivery> {
        delivery::list(&self.db, &DeliveryQuery::default())
            .await
            .expect("delivery log")
    }

    async fn row(&self, id: DeliveryId) -> Delivery {
        self.log()
            .await
            .into_iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("delivery {id} is not in the log"))
    }

    /// Waits (bounded) until delivery `id` has `status` in the log.
    async fn settle(&self, id: DeliveryId, status: DeliveryStatus) -> Delivery {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let row = self.row(id).await;
            if row.status == status {
                return row;
            }
            assert!(
                Instant::now() < deadline,
                "delivery {id} did not become {status:?} within {PATIENCE:?}: {row:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The error (or skip reason) a delivery shows in the log.
fn error(d: &Delivery) -> &str {
    d.last_error.as_deref().unwrap_or("")
}

/// Waits (bounded) until `done` holds.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out after {PATIENCE:?} waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ------------------------------------------------------------------ the tests

#[tokio::test]
async fn transient_failures_are_retried_until_the_popup_goes_out() {
    let w = world().await;
    let id = w.popup_for_low_part("Flaky capacitor").await;
    let fake = FakePopups::failing([
        DeliveryError::transient("The notification service is busy."),
        DeliveryError::transient("The notification service is still busy."),
    ]);
    let worker = Worker::start(w.db.clone(), fake.channels(), fast());
    let sent = w.settle(id, DeliveryStatus::Sent).await;
    worker.stop().await;
    assert_eq!(sent.attempts, 3, "{sent:#?}");
    assert_eq!(sent.last_error, None, "a sent delivery shows no error");
    assert_eq!(fake.calls_for(id), 3);
}

#[tokio::test]
async fn a_popup_that_waited_more_than_an_hour_is_skipped_not_shown() {
    let w = world().await;
    let stale = w.popup_for_low_part("Forgotten fuse").await;
    let fresh = w.popup_for_low_part("Fresh fuse").await;
    // The first was queued (and its event happened) an hour and a minute ago,
    // while no desktop of its person ran.
    let long_ago = partwatch_core::clock::from_now(-3_660.0);
    for statement in [
        "UPDATE deliveries SET created_at = $1 WHERE id = $2",
        "UPDATE delivery_events SET created_at = $1
          WHERE id = (SELECT event_id FROM deliveries WHERE id = $2)",
    ] {
        partwatch_core::sql::query(statement)
            .bind(&long_ago)
            .bind(stale)
            .execute(&w.db)
            .await
            .expect("back in time");
    }
    let fake = FakePopups::default();
    let worker = Worker::start(w.db.clone(), fake.channels(), fast());
    let sent = w.settle(fresh, DeliveryStatus::Sent).await;
    let skipped = w.settle(stale, DeliveryStatus::Skipped).await;
    worker.stop().await;
    assert_eq!(sent.attempts, 1);
    assert!(
        error(&skipped).contains("waited more than an hour"),
        "{skipped:#?}"
    );
    assert_eq!(fake.calls_for(stale), 0, "an hour-old popup is not shown");
}

#[tokio::test]
async fn a_permanent_error_fails_at_once_and_retry_sends_it_again() {
    let w = world().await;
    let id = w.popup_for_low_part("Refused diode").await;
    let refusal = "The desktop refused the popup.";
    let fake = FakePopups::failing([DeliveryError::permanent(refusal)]);
    let worker = Worker::start(w.db.clone(), fake.channels(), fast());
    let failed = w.settle(id, DeliveryStatus::Failed).await;
    assert_eq!(failed.attempts, 1, "{failed:#?}");
    assert!(error(&failed).contains(refusal), "{failed:#?}");
    assert_eq!(fake.calls_for(id), 1, "a permanent error is not retried");

    // "Retry" in the delivery log: due again with fresh attempts, and the
    // running worker sends it.
    let queued = delivery::retry(&w.db, id).await.expect("retry");
    assert_eq!(queued.id, id);
    assert_eq!(queued.status, DeliveryStatus::Pending, "{queued:#?}");
    assert_eq!(queued.attempts, 0);
    let sent = w.settle(id, DeliveryStatus::Sent).await;
    worker.stop().await;
    assert_eq!(sent.attempts, 1, "{sent:#?}");
    assert_eq!(sent.last_error, None);
    assert_eq!(fake.calls_for(id), 2);
}

#[tokio::test]
async fn the_worker_gives_up_after_max_attempts() {
    let w = world().await;
    let id = w.popup_for_low_part("Hopeless inductor").await;
    let fake = FakePopups::failing(
        (0..10).map(|n| DeliveryError::transient(format!("No notification service ({n})."))),
    );
    let worker = Worker::start(w.db.clone(), fake.channels(), fast());
    let failed = w.settle(id, DeliveryStatus::Failed).await;
    worker.stop().await;
    assert_eq!(failed.attempts, 4, "max_attempts: {failed:#?}");
    let shown = error(&failed);
    assert!(shown.contains("No notification service (3)."), "{shown}");
    assert!(shown.contains("Gave up after 4 attempts."), "{shown}");
    assert_eq!(fake.calls_for(id), 4);
    assert_eq!(fake.script().outcomes.len(), 6, "no send after giving up");
}

#[tokio::test]
async fn a_send_in_flight_at_a_crash_is_sent_again_by_the_next_worker() {
    let w = world().await;
    let name = "Crash resistor";
    let id = w.popup_for_low_part(name).await;

    // The first run hangs in the send and dies.
    let hanging = FakePopups::gated(name);
    let worker = Worker::start(w.db.clone(), hanging.channels(), patient());
    wait_until("the first worker is sending", || hanging.calls_for(id) == 1).await;
    worker.abort().await;
    let row = w.row(id).await;
    assert_eq!(row.status, DeliveryStatus::Pending, "{row:#?}");
    assert_eq!(row.attempts, 0, "the cut-off send was never recorded");

    // The next run: its lease would keep the row hidden for 65 s, so only the
    // release of stale leases at start lets it go out within PATIENCE.
    let healthy = FakePopups::default();
    let worker = Worker::start(w.db.clone(), healthy.channels(), patient());
    let sent = w.settle(id, DeliveryStatus::Sent).await;
    worker.stop().await;
    assert_eq!(sent.attempts, 1, "{sent:#?}");
    assert_eq!(healthy.calls_for(id), 1, "sent once by the new worker");
    assert_eq!(hanging.calls_for(id), 1, "tried once before the crash");
}

#[tokio::test]
async fn a_delivery_the_channel_declines_is_skipped_with_its_reason() {
    let w = world().await;
    let id = w.popup_for_low_part("Paused transistor").await;
    let fake = FakePopups::declining("popups are paused");
    let worker = Worker::start(w.db.clone(), fake.channels(), fast());
    let skipped = w.settle(id, DeliveryStatus::Skipped).await;
    worker.stop().await;
    assert!(
        error(&skipped).contains("popups are paused"),
        "{skipped:#?}"
    );
    assert_eq!(skipped.attempts, 0, "{skipped:#?}");
    assert_eq!(fake.calls(), 0, "a skipped delivery is never sent");
}

#[tokio::test]
async fn one_slow_delivery_does_not_hold_up_another() {
    let w = world().await;
    let slow = w.popup_for_low_part("Slow regulator").await;
    let quick = w.popup_for_low_part("Quick fuse").await;
    let fake = FakePopups::gated("Slow regulator");
    let worker = Worker::start(w.db.clone(), fake.channels(), patient());

    let sent = w.settle(quick, DeliveryStatus::Sent).await;
    assert_eq!(sent.attempts, 1, "{sent:#?}");
    wait_until("the slow popup is being sent", || fake.calls_for(slow) == 1).await;
    let held = w.row(slow).await; // still in flight
    assert_eq!(held.status, DeliveryStatus::Pending, "{held:#?}");
    assert_eq!(held.attempts, 0, "{held:#?}");

    fake.release();
    let sent = w.settle(slow, DeliveryStatus::Sent).await;
    worker.stop().await;
    assert_eq!(sent.attempts, 1, "{sent:#?}");
    assert_eq!(fake.calls_for(slow), 1);
    assert_eq!(fake.calls_for(quick), 1);
}

/// A burst of due deliveries does not become a burst of connections: the
/// worker starts at most the channel's allowance at once and the rest wait
/// their turn, pending, until a send ends.
#[tokio::test]
async fn a_burst_is_sent_a_few_at_a_time() {
    let w = world().await;
    let mut ids = Vec::new();
    for n in 0..8 {
        ids.push(w.popup_for_low_part(&format!("Burst part {n}")).await);
    }
    let fake = FakePopups::gated("Burst part").limited(3);
    let worker = Worker::start(w.db.clone(), fake.channels(), patient());

    wait_until("three sends are in flight", || fake.calls() == 3).await;
    // Time for the worker to start more, if it were going to.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.calls(), 3, "only the allowance is started");
    let waiting = w
        .log()
        .await
        .into_iter()
        .filter(|d| d.status == DeliveryStatus::Pending)
        .count();
    assert_eq!(waiting, 8, "all eight are still pending, none failed");

    fake.release();
    for id in &ids {
        w.settle(*id, DeliveryStatus::Sent).await;
    }
    worker.stop().await;
    assert_eq!(fake.calls(), 8, "each sent once");
    assert_eq!(fake.most_at_once(), 3, "never more than three at once");
}
