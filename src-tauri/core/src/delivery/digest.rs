//! A person's email digest on its way out: the due mails waiting for it,
//! gathered behind the one the worker claimed, sent as one message.

use super::{log, Channel, DeliveryConfig, DeliveryError, Outgoing, Readiness};
use crate::{CoreResult, Database};
use partwatch_types::delivery::DeliveryId;

/// One attempt at a person's digest: `leader` and every other mail of
/// theirs due with it, each checked (one that no longer makes sense is
/// skipped with its reason), the rest sent as one message and recorded
/// together — sent, or failed and due again together.
pub(super) async fn attempt(
    db: &Database,
    channel: &dyn Channel,
    config: &DeliveryConfig,
    leader: Outgoing,
) -> CoreResult<()> {
    let mut gathered = vec![leader.clone()];
    for id in log::gather_digest(db, &leader, config.lease()).await? {
        if let Some(outgoing) = log::load(db, id).await? {
            gathered.push(outgoing);
        }
    }
    let mut ready = Vec::with_capacity(gathered.len());
    for outgoing in gathered {
        match channel.check(&outgoing).await? {
            Readiness::Skip(reason) => log::record_skipped(db, outgoing.id, &reason).await?,
            Readiness::Ready => ready.push(outgoing),
        }
    }
    if ready.is_empty() {
        return Ok(());
    }
    let result =
        match tokio::time::timeout(config.send_timeout, channel.deliver_digest(&ready)).await {
            Ok(result) => result,
            Err(_) => Err(DeliveryError::transient(format!(
                "No answer within {} seconds.",
                config.send_timeout.as_secs_f64()
            ))),
        };
    match &result {
        Ok(()) => {
            let ids: Vec<DeliveryId> = ready.iter().map(|o| o.id).collect();
            log::record_all_sent(db, &ids).await?;
        }
        Err(err) => {
            tracing::info!("a digest of {} mails failed: {}", ready.len(), err.message);
            for outgoing in &ready {
                log::record_failure(db, config, outgoing, err).await?;
            }
        }
    }
    Ok(())
}
