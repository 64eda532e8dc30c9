//! The `deliveries` table: claiming due rows, loading them, recording
//! outcomes, and the delivery log the UI shows.

use super::event::{self, EventId};
use super::{DeliveryConfig, DeliveryError, Outgoing, Recipient, WebhookTarget};
use crate::sql;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::delivery::{
    ChannelKind, Delivery, DeliveryId, DeliveryQuery, DeliveryStatus, WebhookId, WebhookKind,
};
use partwatch_types::inventory::UserId;
use partwatch_types::notifications::{NotificationId, NotificationKind};

use crate::clock;
use std::sync::LazyLock;
use std::time::Duration;

/// Takes up to `limit` due deliveries of one channel and hides them from other passes for
/// `lease` (if the app dies mid-send, they come due again after it).
pub(super) async fn claim_due(
    db: &Database,
    channel: ChannelKind,
    limit: i64,
    lease: Duration,
) -> CoreResult<Vec<DeliveryId>> {
    // On PostgreSQL several desktops claim at once: `SKIP LOCKED` lets each
    // take rows no other is taking, so each delivery is sent once. A popup is
    // only ever claimed by a desktop its recipient works on.
    //
    // Of a person's due mails waiting for their digest only the first is
    // claimed: its attempt gathers the others (`gather_digest`).
    const CLAIM: &str = "UPDATE deliveries SET leased_until = $1, leased_by = $6
          WHERE id IN (SELECT d.id FROM deliveries d
                        WHERE d.status = 'pending' AND d.next_attempt_at <= $4
                          AND (d.leased_until IS NULL OR d.leased_until <= $4)
                          AND d.channel = $3
                          AND (d.channel <> 'os_popup' OR d.user_id = $5)
                          AND (NOT d.in_digest OR d.id = (
                                SELECT MIN(o.id) FROM deliveries o
                                 WHERE o.user_id = d.user_id AND o.status = 'pending'
                                   AND o.in_digest = {TRUE} AND o.channel = 'email'
                                   AND o.next_attempt_at <= $4))
                        ORDER BY d.next_attempt_at, d.id LIMIT $2 {LOCK})
        RETURNING id";
    // `in_digest = 1` on SQLite: the words of the partial index's condition,
    // which its planner needs to see to use it.
    static SQLITE: LazyLock<String> =
        LazyLock::new(|| CLAIM.replace(" {LOCK}", "").replace("{TRUE}", "1"));
    static POSTGRES: LazyLock<String> = LazyLock::new(|| {
        CLAIM
            .replace("{LOCK}", "FOR UPDATE SKIP LOCKED")
            .replace("{TRUE}", "TRUE")
    });
    Ok(sql::query_scalar(sql::Sql::dialects(&SQLITE, &POSTGRES))
        .bind(clock::from_now(lease.as_secs_f64()))
        .bind(limit)
        .bind(channel)
        .bind(clock::now())
        .bind(db.current_user())
        .bind(db.desktop_id())
        .fetch_all(db)
        .await?)
}

/// The most mails one digest gathers: a person with more due at once gets
/// them in several digests, each well within one attempt's deadline.
pub(super) const DIGEST_AT_MOST: i64 = 500;

/// Takes, for the due digest of `leader` (a claimed delivery waiting for
/// its person's digest), the other due mails of that person waiting for it
/// (the oldest, [`DIGEST_AT_MOST`] in all) and not taken by another
/// desktop, under the same lease. Oldest first.
pub(super) async fn gather_digest(
    db: &Database,
    leader: &Outgoing,
    lease: Duration,
) -> CoreResult<Vec<DeliveryId>> {
    const GATHER: &str = "UPDATE deliveries SET leased_until = $1, leased_by = $2
          WHERE id IN (SELECT id FROM deliveries
                        WHERE status = 'pending' AND in_digest = {TRUE} AND channel = 'email'
                          AND user_id = $3 AND next_attempt_at <= $4 AND id <> $5
                          AND (leased_until IS NULL OR leased_until <= $4)
                        ORDER BY id LIMIT $6 {LOCK})
        RETURNING id";
    static SQLITE: LazyLock<String> =
        LazyLock::new(|| GATHER.replace(" {LOCK}", "").replace("{TRUE}", "1"));
    static POSTGRES: LazyLock<String> = LazyLock::new(|| {
        GATHER
            .replace("{LOCK}", "FOR UPDATE SKIP LOCKED")
            .replace("{TRUE}", "TRUE")
    });
    let Some(user) = leader.recipient.as_ref().map(|r| r.user_id) else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<DeliveryId> = sql::query_scalar(sql::Sql::dialects(&SQLITE, &POSTGRES))
        .bind(clock::from_now(lease.as_secs_f64()))
        .bind(db.desktop_id())
        .bind(user)
        .bind(clock::now())
        .bind(leader.id)
        .bind(DIGEST_AT_MOST - 1)
        .fetch_all(db)
        .await?;
    ids.sort_unstable();
    Ok(ids)
}

/// Skips the popups still waiting after an hour (`popup::FRESH_FOR_SECONDS`):
/// no desktop of their person showed them, and an hour-old popup helps no
/// one (the notification is in the inbox). Answers how many.
pub(super) async fn skip_stale_popups(db: &Database) -> CoreResult<u64> {
    Ok(sql::query(
        "UPDATE deliveries SET status = 'skipped', last_error = $1, leased_until = NULL
          WHERE status = 'pending' AND channel = 'os_popup' AND created_at < $2
            AND (leased_until IS NULL OR leased_until <= $3)",
    )
    .bind(super::popup::STALE_REASON)
    .bind(clock::from_now(-super::popup::FRESH_FOR_SECONDS))
    .bind(clock::now())
    .execute(db)
    .await?)
}

/// Releases the leases of this desktop's last worker (the app quit or
/// crashed mid-send): what it was sending is due again. Call before
/// starting a worker. A SQLite file has one desktop: every lease there is
/// its own. On a team database another desktop's leases are its sends in
/// flight, left alone (they lapse by themselves if it crashed).
pub(super) async fn release_stale_leases(db: &Database) -> CoreResult<u64> {
    Ok(sql::query(
        "UPDATE deliveries SET leased_until = NULL, leased_by = NULL
          WHERE leased_until IS NOT NULL
            AND ($1 OR leased_by IS NULL OR leased_by = $2)",
    )
    .bind(!db.is_postgres())
    .bind(db.desktop_id())
    .execute(db)
    .await?)
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
    let next: Option<String> = sql::query_scalar(sql::Sql::dialects(
        "SELECT MIN(MAX(next_attempt_at, COALESCE(leased_until, ''))) FROM deliveries
          WHERE status = 'pending' AND channel IN (SELECT value FROM json_each($1))
            AND (channel <> 'os_popup' OR user_id = $2)",
        "SELECT MIN(GREATEST(next_attempt_at, COALESCE(leased_until, ''))) FROM deliveries
          WHERE status = 'pending' AND channel IN (SELECT jsonb_array_elements_text($1))
            AND (channel <> 'os_popup' OR user_id = $2)",
    ))
    .bind(sqlx::types::Json(channels))
    .bind(db.current_user())
    .fetch_one(db)
    .await?;
    Ok(next
        .and_then(|next| clock::until(&next))
        .map(|left| left.min(Duration::from_secs(86_400))))
}

pub(super) async fn load(db: &Database, id: DeliveryId) -> CoreResult<Option<Outgoing>> {
    let mut conn = db.connection().await?;
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
        Option<bool>,
        bool,
        bool,
    )> = sql::query_as(sql::Sql::dialects(
        "SELECT d.event_id, d.channel, d.attempts,
                d.user_id, u.name, u.email, n.reason,
                d.webhook_id, w.name, w.kind, w.url,
                CASE WHEN d.only_if_unread THEN n.read_at IS NULL END, d.held_by_quiet_hours,
                d.in_digest
           FROM deliveries d
           LEFT JOIN users u ON u.id = d.user_id
           LEFT JOIN notifications n ON n.id = d.notification_id
           LEFT JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = $1 AND d.status = 'pending'",
        // Another person's notification is hidden from this desktop's login
        // (row-level security); the server's function gives an email's
        // sender the one line it needs, why the person is told.
        "SELECT d.event_id, d.channel, d.attempts,
                d.user_id, u.name, u.email, partwatch_email_reason(d.id),
                d.webhook_id, w.name, w.kind, w.url,
                CASE WHEN d.only_if_unread THEN COALESCE(partwatch_reminder_unread(d.id), FALSE) END,
                d.held_by_quiet_hours, d.in_digest
           FROM deliveries d
           LEFT JOIN users u ON u.id = d.user_id
           LEFT JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = $1 AND d.status = 'pending'",
    ))
    .bind(id)
    .fetch_optional(&mut conn)
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
        reminder_still_unread,
        held_by_quiet_hours,
        in_digest,
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
        reminder_still_unread,
        held_by_quiet_hours,
        in_digest,
    }))
}

pub(super) async fn record_sent(db: &Database, id: DeliveryId) -> CoreResult<()> {
    sql::query(
        "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL,
                leased_until = NULL, sent_at = $2
          WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(clock::now())
    .execute(db)
    .await?;
    Ok(())
}

/// Records every one of `ids` sent at once (a digest): one statement.
pub(super) async fn record_all_sent(db: &Database, ids: &[DeliveryId]) -> CoreResult<()> {
    static SENT: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::with_json_ids(
            "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL,
                    leased_until = NULL, sent_at = $2
              WHERE id IN ({ids}) AND status = 'pending'",
            1,
        )
    });
    sql::query(sql::Sql::dialects(&SENT[0], &SENT[1]))
        .bind(sqlx::types::Json(ids))
        .bind(clock::now())
        .execute(db)
        .await?;
    Ok(())
}

pub(super) async fn record_skipped(db: &Database, id: DeliveryId, reason: &str) -> CoreResult<()> {
    sql::query("UPDATE deliveries SET status = 'skipped', last_error = $1, leased_until = NULL WHERE id = $2 AND status = 'pending'")
        .bind(reason)
        .bind(id)
        .execute(db)
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
    sql::query(
        "UPDATE deliveries
            SET attempts = $1, last_error = $2, leased_until = NULL,
                status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
                next_attempt_at = $4
          WHERE id = $5 AND status = 'pending'",
    )
    .bind(failures)
    .bind(message)
    .bind(give_up)
    .bind(clock::from_now(config.backoff(failures).as_secs_f64()))
    .bind(outgoing.id)
    .execute(db)
    .await?;
    Ok(())
}

/// The delivery log, newest first.
pub async fn list(db: &Database, query: &DeliveryQuery) -> CoreResult<Vec<Delivery>> {
    list_on(db, query).await
}

async fn list_on<'c>(on: impl sql::Runs<'c>, query: &DeliveryQuery) -> CoreResult<Vec<Delivery>> {
    if !(1..=500).contains(&query.limit) {
        return Err(CoreError::InvalidInput(
            "Show between 1 and 500 deliveries at a time.".into(),
        ));
    }
    let mut sql = sql::Builder::new(
        "SELECT d.id, d.channel, e.kind, e.title, d.recipient, d.notification_id, d.user_id,
                d.webhook_id, d.status, d.attempts, d.last_error, d.next_attempt_at,
                d.held_by_quiet_hours, d.in_digest, d.created_at, d.sent_at
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
    let rows: Vec<Row> = sql.build_query_as().fetch_all(on).await?;
    Ok(rows.into_iter().map(Row::into_delivery).collect())
}

/// Puts a failed (or skipped) delivery back in the queue, due now, with a
/// fresh set of attempts.
pub async fn retry(db: &Database, id: DeliveryId) -> CoreResult<Delivery> {
    let mut tx = db.begin_write().await?;
    let status: Option<String> = sql::query_scalar("SELECT status FROM deliveries WHERE id = $1")
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
    sql::query(
        "UPDATE deliveries SET status = 'pending', attempts = 0, leased_until = NULL,
                next_attempt_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(clock::now())
    .execute(&mut *tx)
    .await?;
    // Read before the commit: the answer is what the retry did, not what a
    // running worker has done with it since.
    let query = DeliveryQuery {
        before_id: Some(DeliveryId(id.get() + 1)),
        limit: 1,
        ..DeliveryQuery::default()
    };
    let retried = list_on(&mut *tx, &query)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(format!("Delivery {id} does not exist.")))?;
    tx.commit().await?;
    db.wake_delivery();
    Ok(retried)
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
    held_by_quiet_hours: bool,
    in_digest: bool,
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
            held_by_quiet_hours: self.held_by_quiet_hours,
            in_digest: self.in_digest,
            created_at: self.created_at,
            sent_at: self.sent_at,
        }
    }
}
