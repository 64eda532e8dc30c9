//! Delivery: getting notifications out of the app, reliably.
//!
//! The trigger engine writes `deliveries` rows in the transaction of the
//! change that caused them (see `triggers.rs`). The [`Worker`] drains them:
//! it claims due rows with a lease (so a crash mid-send retries later instead
//! of losing them), sends each on its own task through its [`Channel`], and
//! records the outcome — sent, or the error in plain words with the next
//! attempt after an exponential, capped backoff, until it gives up.
//!
//! A channel is one implementation of [`Channel`] in one module: `popup.rs`,
//! `email/`, `webhook/`. A new integration is a new module, a new
//! [`ChannelKind`] and its registration in the shell.

mod digest;
pub mod email;
pub mod event;
mod log;
pub mod popup;
pub mod webhook;

pub use log::{list, retry};

use crate::{CoreResult, Database};
use event::Event;
use partwatch_types::delivery::{ChannelKind, DeliveryId, WebhookId, WebhookKind};
use partwatch_types::inventory::UserId;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a delivery did not go out, in words for the delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    pub message: String,
    /// Trying again will not help (a rejected address, a 404): give up now.
    pub permanent: bool,
}

impl DeliveryError {
    pub fn transient(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }
}

/// The user a popup or an email is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: UserId,
    pub name: String,
    pub email: Option<String>,
    /// "you watch category Resistors".
    pub reason: String,
}

/// The webhook a post is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub id: WebhookId,
    pub name: String,
    pub kind: WebhookKind,
    pub url: String,
}

/// One delivery, loaded with everything its channel needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: DeliveryId,
    pub channel: ChannelKind,
    pub event: Event,
    pub recipient: Option<Recipient>,
    pub webhook: Option<WebhookTarget>,
    /// Attempts before this one.
    pub attempts: i64,
    /// A reminder (sent only if its notification is still unread when due):
    /// whether it still is. `None` for every other delivery.
    pub reminder_still_unread: Option<bool>,
    /// Held until its person's quiet hours ended (with `reminder_still_unread`).
    pub held_by_quiet_hours: bool,
    /// A mail waiting for its person's digest: sent together with the
    /// others due with it ([`Channel::deliver_digest`]).
    pub in_digest: bool,
}

/// Whether an outgoing delivery should still be attempted.
pub enum Readiness {
    Ready,
    /// Not sent, and never will be: the reason goes in the log.
    Skip(String),
}

/// One way out of the app.
pub trait Channel: Send + Sync + 'static {
    fn kind(&self) -> ChannelKind;

    /// Checks, just before sending, that the delivery still makes sense (the
    /// user still has an address, popups are still on, …).
    fn check<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        let _ = outgoing;
        Box::pin(async { Ok(Readiness::Ready) })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>>;

    /// Sends several deliveries to one person as one message, a digest
    /// (oldest first). Only email gathers deliveries into a digest; any
    /// other channel refuses.
    fn deliver_digest<'a>(
        &'a self,
        outgoings: &'a [Outgoing],
    ) -> BoxFuture<'a, Result<(), DeliveryError>> {
        let _ = outgoings;
        Box::pin(async move {
            Err(DeliveryError::permanent(format!(
                "{} does not gather notifications into a digest.",
                self.kind().label()
            )))
        })
    }

    /// Whether this desktop takes this channel's due deliveries now (another
    /// desktop of a team may be the one able to send them).
    fn claims_here(&self) -> BoxFuture<'_, bool> {
        Box::pin(async { true })
    }

    /// How many sends through this channel may be in flight at once. A mail
    /// server limits connections per client (Postfix: 50), a chat service
    /// rate-limits; a burst of due deliveries waits its turn in the table
    /// instead of opening hundreds of connections.
    fn max_in_flight(&self) -> usize {
        DEFAULT_MAX_IN_FLIGHT
    }
}

/// Sends in flight per channel unless the channel says otherwise.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4;

/// How patient the worker is.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// The wait after the first failure; it doubles with each further one.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// After this many failed attempts a delivery is marked failed.
    pub max_attempts: i64,
    /// The longest a single send may take before it counts as failed.
    pub send_timeout: Duration,
    /// How many due deliveries one pass claims.
    pub batch: i64,
    /// Extra certificates (PEM) to trust for SMTP over TLS, besides the system's.
    pub extra_root_certificates: Vec<Vec<u8>>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(60 * 60),
            max_attempts: 8,
            send_timeout: Duration::from_secs(30),
            batch: 50,
            extra_root_certificates: Vec::new(),
        }
    }
}

impl DeliveryConfig {
    /// The wait before the next attempt after `failures` failed ones.
    pub fn backoff(&self, failures: i64) -> Duration {
        let exponent = u32::try_from(failures.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.backoff_base
            .saturating_mul(2u32.saturating_pow(exponent))
            .min(self.backoff_cap)
    }

    /// A claimed delivery is invisible to other passes this long; longer
    /// than any attempt may take, so nothing is sent twice by the worker itself.
    fn lease(&self) -> Duration {
        self.attempt_deadline() + Duration::from_secs(5)
    }

    /// The longest a whole attempt may take — loading, checking, sending and
    /// recording — so its result is written before its lease lapses.
    fn attempt_deadline(&self) -> Duration {
        self.send_timeout * 2
    }
}

/// The channels the worker sends through, one per kind, each with its
/// allowance of sends in flight.
#[derive(Clone, Default)]
pub struct ChannelSet {
    channels: HashMap<ChannelKind, Arc<dyn Channel>>,
    slots: HashMap<ChannelKind, Arc<Semaphore>>,
}

impl ChannelSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, channel: impl Channel) -> Self {
        let slots = Arc::new(Semaphore::new(channel.max_in_flight().max(1)));
        self.slots.insert(channel.kind(), slots);
        self.channels.insert(channel.kind(), Arc::new(channel));
        self
    }

    /// The sends a kind may still start now (a kind without a channel is
    /// failed at once, so it is never held back).
    fn free_slots(&self, kind: ChannelKind) -> usize {
        self.slots
            .get(&kind)
            .map_or(usize::MAX, |slots| slots.available_permits())
    }

    /// Takes one of a kind's slots, given back when the send is recorded.
    fn take_slot(&self, kind: ChannelKind) -> Option<OwnedSemaphorePermit> {
        self.slots
            .get(&kind)
            .and_then(|slots| Arc::clone(slots).try_acquire_owned().ok())
    }

    fn get(&self, kind: ChannelKind) -> Option<Arc<dyn Channel>> {
        self.channels.get(&kind).cloned()
    }
}

/// The running delivery worker.
pub struct Worker {
    stop: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Starts draining the database's deliveries on the current runtime.
    pub fn start(db: Database, channels: ChannelSet, config: DeliveryConfig) -> Self {
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(run(db, channels, Arc::new(config), Arc::clone(&stop)));
        Self { stop, task }
    }

    /// Stops after the sends in flight have finished and been recorded.
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }

    /// Stops at once, as a crash would: sends in flight are abandoned.
    pub async fn abort(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

/// How often a worker skips popups that no desktop showed within the hour
/// (their person's desktop is not running, or works as someone else).
const STALE_POPUP_SWEEP_EVERY: Duration = Duration::from_secs(60);

async fn run(db: Database, channels: ChannelSet, config: Arc<DeliveryConfig>, stop: Arc<Notify>) {
    let wake = db.delivery_wakeup();
    // Only this desktop's own leases: another desktop of a team may be
    // sending under its lease right now.
    match log::release_stale_leases(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} delivery(ies) interrupted by the last exit are due again"),
        Err(err) => tracing::warn!("could not release interrupted deliveries: {err}"),
    }
    let mut in_flight = JoinSet::new();
    let mut next_sweep = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_sweep {
            next_sweep += STALE_POPUP_SWEEP_EVERY;
            match log::skip_stale_popups(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} popup(s) waited more than an hour and were skipped"),
                Err(err) => tracing::warn!("could not skip stale popups: {err}"),
            }
        }
        // What this desktop takes this pass: another desktop of a team may
        // be the one able to send some kinds (and waiting for those here
        // would wake this loop at once, again and again).
        let mut claimed_here = Vec::with_capacity(ChannelKind::ALL.len());
        for kind in ChannelKind::ALL {
            match channels.get(kind) {
                Some(channel) if !channel.claims_here().await => {}
                _ => claimed_here.push(kind),
            }
        }
        for &kind in &claimed_here {
            // Only as many as the channel may send at once: the rest stay
            // unclaimed in the table, due, for the next pass.
            let free = channels.free_slots(kind).min(config.batch.max(0) as usize);
            if free == 0 {
                continue;
            }
            match log::claim_due(&db, kind, free as i64, config.lease()).await {
                Ok(due) => {
                    for id in due {
                        let slot = channels.take_slot(kind);
                        let (db, channels, config) =
                            (db.clone(), channels.clone(), Arc::clone(&config));
                        in_flight.spawn(async move {
                            let _slot = slot;
                            attempt(&db, &channels, &config, id).await;
                        });
                    }
                }
                Err(err) => {
                    tracing::warn!("delivery worker could not read the delivery log: {err}")
                }
            }
        }
        // Kinds whose slots are all taken wake the loop when a send ends.
        let open: Vec<ChannelKind> = claimed_here
            .into_iter()
            .filter(|kind| channels.free_slots(*kind) > 0)
            .collect();
        let wait = match log::next_due_in(&db, &open).await {
            Ok(Some(wait)) => wait.min(Duration::from_secs(60)),
            Ok(None) => Duration::from_secs(60),
            Err(_) => Duration::from_secs(5),
        };
        tokio::select! {
            _ = stop.notified() => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
        }
    }
    while in_flight.join_next().await.is_some() {}
}

/// One attempt at one delivery, recorded whatever happens, within
/// `attempt_deadline` (past it the lease lapses and the delivery is due again).
async fn attempt(db: &Database, channels: &ChannelSet, config: &DeliveryConfig, id: DeliveryId) {
    let deadline = config.attempt_deadline();
    if tokio::time::timeout(deadline, attempt_within(db, channels, config, id))
        .await
        .is_err()
    {
        tracing::warn!(
            "delivery {id} took longer than {} s to attempt and record; it is due again once its lease ends",
            deadline.as_secs()
        );
    }
}

async fn attempt_within(
    db: &Database,
    channels: &ChannelSet,
    config: &DeliveryConfig,
    id: DeliveryId,
) {
    let outcome = async {
        let Some(outgoing) = log::load(db, id).await? else {
            return Ok(());
        };
        let Some(channel) = channels.get(outgoing.channel) else {
            let message = format!(
                "{} delivery is not available in this build.",
                outgoing.channel.label()
            );
            return log::record_failure(db, config, &outgoing, &DeliveryError::permanent(message))
                .await;
        };
        if outgoing.in_digest {
            return digest::attempt(db, channel.as_ref(), config, outgoing).await;
        }
        if let Readiness::Skip(reason) = channel.check(&outgoing).await? {
            return log::record_skipped(db, id, &reason).await;
        }
        let result =
            match tokio::time::timeout(config.send_timeout, channel.deliver(&outgoing)).await {
                Ok(result) => result,
                Err(_) => Err(DeliveryError::transient(format!(
                    "No answer within {} seconds.",
                    config.send_timeout.as_secs_f64()
                ))),
            };
        match result {
            Ok(()) => log::record_sent(db, id).await,
            Err(err) => {
                tracing::info!(
                    "delivery {id} ({}) failed: {}",
                    outgoing.channel.as_str(),
                    err.message
                );
                log::record_failure(db, config, &outgoing, &err).await
            }
        }
    }
    .await;
    if let Err(err) = outcome {
        tracing::warn!("delivery {id} could not be recorded: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let config = DeliveryConfig {
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(300),
            ..DeliveryConfig::default()
        };
        let waits: Vec<u64> = (1..=6).map(|n| config.backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 300, 300]);
        assert_eq!(config.backoff(1_000).as_secs(), 300);
    }
}
