//! The `deliveries` table: claiming due rows, loading them, recording
//! outcomes, and the delivery log the UI shows.

use super::event::{self, EventId};
use super::{DeliveryConfig, DeliveryError, Outgoing, Recipient, WebhookTarget};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::delivery::{
    ChannelKind, Delivery, DeliveryId, DeliveryQuery, DeliveryStatus, WebhookId, WebhookKind,
};
use partwatch_types::inventory::UserId;
use partwatch_types::notifications::{NotificationId, NotificationKind};
use sqlx::{QueryBuilder, Sqlite};
use std::time::Duration;

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Takes up to `limit` due deliveries of one channel and hides them from other passes for
/// `lease` (if the app dies mid-send, they come due again after it).
pub(super) async fn claim_due(
    db: &Database,
    channel: ChannelKind,
    limit: i64,
    lease: Duration,
) -> CoreResult<Vec<DeliveryId>> {
    Ok(sqlx::query_scalar(&format!(
        "UPDATE deliveries
            SET leased_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?1 || ' seconds')
          WHERE id IN (SELECT id FROM deliveries
                        WHERE status = 'pending' AND next_attempt_at <= {NOW}
                          AND (leased_until IS NULL OR leased_until <= {NOW})
                          AND channel = ?3
                        ORDER BY next_attempt_at, id LIMIT ?2)
        RETURNING id"
    ))
    .bind(lease.as_secs_f64())
    .bind(limit)
    .bind(channel)
    .fetch_all(db.pool())
    .await?)
}

/// Releases the leases of a worker that is gone (the app quit or crashed
/// mid-send): what it was sending is due again. Call before starting a worker.
pub(super) async fn release_stale_leases(db: &Database) -> CoreResult<u64> {
    Ok(
        sqlx::query("UPDATE deliveries SET leased_until = NULL WHERE leased_until IS NOT NULL")
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

/// How long until the next pending delivery of these channels is due, if
/// any is pending.
pub(super) async fn next_due_in(
    db: &Database,
    channels: &[ChannelKind],
) -> CoreResult<Option<Duration>> {
    if channels.is_empty() {
        return Ok(None);
    }
    let seconds: Option<f64> = sqlx::query_scalar(
        "SELECT (julianday(MIN(MAX(next_attempt_at, COALESCE(leased_until, ''))))
                 - julianday('now')) * 86400.0
           FROM deliveries
          WHERE status = 'pending' AND channel IN (SELECT value FROM json_each(?))",
    )
    .bind(sqlx::types::Json(channels))
    .fetch_one(db.pool())
    .await?;
    Ok(seconds.map(|s| Duration::from_secs_f64(s.clamp(0.0, 86_400.0))))
}

pub(super) async fn load(db: &Database, id: DeliveryId) -> CoreResult<Option<Outgoing>> {
    let mut conn = db.pool().acquire().await?;
    #[allow(clippy::type_complexity)]
    let row: Option<(
        EventId,
        ChannelKind,
        i64,
        Option<UserId>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<WebhookId>,
        Option<String>,
        Option<WebhookKind>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT d.event_id, d.channel, d.attempts,
                d.user_id, u.name, u.email, n.reason,
                d.webhook_id, w.name, w.kind, w.url
           FROM deliveries d
           LEFT JOIN users u ON u.id = d.user_id
           LEFT JOIN notifications n ON n.id = d.notification_id
           LEFT JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = ? AND d.status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((
        event_id,
        channel,
        attempts,
        user_id,
        name,
        email,
        reason,
        webhook_id,
        webhook_name,
        kind,
        url,
    )) = row
    else {
        return Ok(None);
    };
    let Some(event) = event::load(&mut conn, event_id).await? else {
        return Ok(None);
    };
    let recipient = user_id.map(|user_id| Recipient {
        user_id,
        name: name.unwrap_or_default(),
        email,
        reason: reason.unwrap_or_default(),
    });
    let webhook = match (webhook_id, webhook_name, kind, url) {
        (Some(id), Some(name), Some(kind), Some(url)) => Some(WebhookTarget {
            id,
            name,
            kind,
            url,
        }),
        _ => None,
    };
    Ok(Some(Outgoing {
        id,
        channel,
        event,
        recipient,
        webhook,
        attempts,
    }))
}

pub(super) async fn record_sent(db: &Database, id: DeliveryId) -> CoreResult<()> {
    sqlx::query(&format!(
        "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL,
                leased_until = NULL, sent_at = {NOW}
          WHERE id = ? AND status = 'pending'"
    ))
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub(super) async fn record_skipped(db: &Database, id: DeliveryId, reason: &str) -> CoreResult<()> {
    sqlx::query("UPDATE deliveries SET status = 'skipped', last_error = ?, leased_until = NULL WHERE id = ? AND status = 'pending'")
        .bind(reason)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub(super) async fn record_failure(
    db: &Database,
    config: &DeliveryConfig,
    outgoing: &Outgoing,
    err: &DeliveryError,
) -> CoreResult<()> {
    let failures = outgoing.attempts + 1;
    let give_up = err.permanent || failures >= config.max_attempts;
    let message = if give_up && !err.permanent {
        format!("{} Gave up after {failures} attempts.", err.message)
    } else {
        err.message.clone()
    };
    sqlx::query(
        "UPDATE deliveries
            SET attempts = ?1, last_error = ?2, leased_until = NULL,
                status = CASE WHEN ?3 THEN 'failed' ELSE 'pending' END,
                next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?4 || ' seconds')
          WHERE id = ?5 AND status = 'pending'",
    )
    .bind(failures)
    .bind(message)
    .bind(give_up)
    .bind(config.backoff(failures).as_secs_f64())
    .bind(outgoing.id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The delivery log, newest first.
pub async fn list(db: &Database, query: &DeliveryQuery) -> CoreResult<Vec<Delivery>> {
    if !(1..=500).contains(&query.limit) {
        return Err(CoreError::InvalidInput(
            "Show between 1 and 500 deliveries at a time.".into(),
        ));
    }
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT d.id, d.channel, e.kind, e.title, d.recipient, d.notification_id, d.user_id,
                d.webhook_id, d.status, d.attempts, d.last_error, d.next_attempt_at,
                d.created_at, d.sent_at
           FROM deliveries d JOIN delivery_events e ON e.id = d.event_id WHERE 1 = 1",
    );
    if let Some(status) = query.status {
        sql.push(" AND d.status = ").push_bind(status);
    }
    if let Some(channel) = query.channel {
        sql.push(" AND d.channel = ").push_bind(channel);
    }
    if let Some(before) = query.before_id {
        sql.push(" AND d.id < ").push_bind(before);
    }
    sql.push(" ORDER BY d.id DESC LIMIT ")
        .push_bind(query.limit);
    let rows: Vec<Row> = sql.build_query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(Row::into_delivery).collect())
}

/// Puts a failed (or skipped) delivery back in the queue, due now, with a
/// fresh set of attempts.
pub async fn retry(db: &Database, id: DeliveryId) -> CoreResult<Delivery> {
    let mut tx = db.begin_write().await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM deliveries WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    match status.as_deref().and_then(DeliveryStatus::parse) {
        None => {
            return Err(CoreError::NotFound(format!(
                "Delivery {id} does not exist."
            )))
        }
        Some(DeliveryStatus::Sent) => {
            return Err(CoreError::Conflict(
                "This delivery was already sent; it is not sent twice.".into(),
            ))
        }
        Some(DeliveryStatus::Pending) => {
            return Err(CoreError::Conflict(
                "This delivery is already waiting to be sent.".into(),
            ))
        }
        Some(DeliveryStatus::Failed | DeliveryStatus::Skipped) => {}
    }
    sqlx::query(&format!(
        "UPDATE deliveries SET status = 'pending', attempts = 0, leased_until = NULL,
                next_attempt_at = {NOW} WHERE id = ?"
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    db.wake_delivery();
    let query = DeliveryQuery {
        before_id: Some(DeliveryId(id.get() + 1)),
        limit: 1,
        ..DeliveryQuery::default()
    };
    list(db, &query)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(format!("Delivery {id} does not exist.")))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: DeliveryId,
    channel: ChannelKind,
    kind: NotificationKind,
    title: String,
    recipient: String,
    notification_id: Option<NotificationId>,
    user_id: Option<UserId>,
    webhook_id: Option<WebhookId>,
    status: DeliveryStatus,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: String,
    created_at: String,
    sent_at: Option<String>,
}

impl Row {
    fn into_delivery(self) -> Delivery {
        let status = self.status;
        Delivery {
            id: self.id,
            channel: self.channel,
            event_kind: self.kind,
            title: self.title,
            recipient: self.recipient,
            notification_id: self.notification_id,
            user_id: self.user_id,
            webhook_id: self.webhook_id,
            status,
            attempts: self.attempts,
            last_error: self.last_error,
            next_attempt_at: (status == DeliveryStatus::Pending).then_some(self.next_attempt_at),
            created_at: self.created_at,
            sent_at: self.sent_at,
        }
    }
}
