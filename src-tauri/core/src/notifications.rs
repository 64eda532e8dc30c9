//! Each user's notifications: the inbox (unread) and the history (read).
//! Every change that touches a user's notifications is announced after it
//! commits, so the shell can tell the UI without the UI polling.

use crate::sql;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{BuildOrderId, PartId, User, UserId};
use partwatch_types::notifications::{
    Folder, Notification, NotificationId, NotificationKind, NotificationQuery, NotificationTarget,
};

/// What the core announces after a commit, for the shell to pass on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// Some users' notifications changed (created, read, deleted).
    Notifications {
        /// The users whose notifications changed, each once, in id order.
        users: Vec<UserId>,
        /// The notifications created, oldest first.
        created: Vec<NotificationId>,
    },
    /// This desktop now works as another user.
    CurrentUser(User),
    /// Some of these users' snoozes ended by themselves (their time came, or
    /// a part came back in stock).
    SnoozesEnded { users: Vec<UserId> },
    /// Another desktop of the team committed a change (of anything: stock,
    /// parts, settings, …), or this desktop has just caught up after losing
    /// the team database: what the window shows may be out of date.
    ChangedElsewhere,
}

impl Announcement {
    /// Notifications of `users` changed; `created` are the new ones.
    pub fn notifications(mut users: Vec<UserId>, created: Vec<NotificationId>) -> Self {
        users.sort_unstable();
        users.dedup();
        Announcement::Notifications { users, created }
    }

    /// `users`' snoozes ended.
    pub fn snoozes_ended(mut users: Vec<UserId>) -> Self {
        users.sort_unstable();
        users.dedup();
        Announcement::SnoozesEnded { users }
    }

    /// Whether `user` should hear of it.
    pub fn concerns(&self, user: UserId) -> bool {
        match self {
            Announcement::Notifications { users, .. } | Announcement::SnoozesEnded { users } => {
                users.contains(&user)
            }
            Announcement::CurrentUser(_) | Announcement::ChangedElsewhere => true,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: NotificationId,
    user_id: UserId,
    kind: NotificationKind,
    title: String,
    body: String,
    part_id: Option<PartId>,
    build_order_id: Option<BuildOrderId>,
    reason: String,
    created_at: String,
    read_at: Option<String>,
    resolved_at: Option<String>,
}

impl From<Row> for Notification {
    fn from(row: Row) -> Self {
        Notification {
            id: row.id,
            user_id: row.user_id,
            kind: row.kind,
            title: row.title,
            body: row.body,
            target: match (row.build_order_id, row.part_id) {
                (Some(build), _) => NotificationTarget::BuildOrder(build),
                (None, Some(part)) => NotificationTarget::Part(part),
                (None, None) => NotificationTarget::None,
            },
            reason: row.reason,
            created_at: row.created_at,
            read_at: row.read_at,
            resolved_at: row.resolved_at,
        }
    }
}

const SELECT: &str =
    "SELECT id, user_id, kind, title, body, part_id, build_order_id, reason, created_at, read_at,
        resolved_at
   FROM notifications";

/// A page of a user's inbox or history, newest first.
pub async fn list(
    db: &Database,
    user: UserId,
    query: &NotificationQuery,
) -> CoreResult<Vec<Notification>> {
    if !(1..=500).contains(&query.limit) {
        return Err(CoreError::InvalidInput(
            "A page holds between 1 and 500 notifications.".into(),
        ));
    }
    // Two spellings so each folder walks its own partial index.
    let folder = match query.folder {
        Folder::Inbox => "read_at IS NULL",
        Folder::History => "read_at IS NOT NULL",
    };
    let rows: Vec<Row> = sql::query_as(format!(
        "{SELECT} WHERE user_id = $1 AND {folder}
            AND ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR id < $3)
          ORDER BY id DESC LIMIT $4"
    ))
    .bind(user)
    .bind(query.kind)
    .bind(query.before_id)
    .bind(query.limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// These notifications of this user (in id order); unknown or foreign ids are skipped.
pub async fn by_ids(
    db: &Database,
    user: UserId,
    ids: &[NotificationId],
) -> CoreResult<Vec<Notification>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<Row> = sql::query_as(format!("{SELECT} WHERE id = $1 AND user_id = $2"))
            .bind(id)
            .bind(user)
            .fetch_optional(db)
            .await?;
        out.extend(row.map(Notification::from));
    }
    Ok(out)
}

/// The badge's number, kept current by triggers on `notifications` (see the
/// notifications migration), so it never counts rows.
pub async fn unread_count(db: &Database, user: UserId) -> CoreResult<i64> {
    let unread: Option<i64> =
        sql::query_scalar("SELECT unread FROM unread_counts WHERE user_id = $1")
            .bind(user)
            .fetch_optional(db)
            .await?;
    Ok(unread.unwrap_or(0))
}

/// Marks these notifications read (or unread again). All ids must be the user's.
pub async fn mark(
    db: &Database,
    user: UserId,
    ids: &[NotificationId],
    read: bool,
) -> CoreResult<i64> {
    let sql = if read {
        "UPDATE notifications SET read_at = $2 WHERE id = $1 AND read_at IS NULL"
    } else {
        "UPDATE notifications SET read_at = $2 WHERE id = $1 AND read_at IS NOT NULL"
    };
    let read_at = read.then(crate::clock::now);
    change_each(db, user, ids, |id| {
        sql::query(sql).bind(id).bind(read_at.clone())
    })
    .await
}

pub async fn mark_all_read(db: &Database, user: UserId) -> CoreResult<i64> {
    let mut tx = db.begin_write().await?;
    let changed =
        sql::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
            .bind(user)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await? as i64;
    if changed > 0 {
        tx.announce_after_commit(Announcement::notifications(vec![user], Vec::new()));
    }
    tx.commit().await?;
    Ok(changed)
}

/// Deletes these notifications (read or not). All ids must be the user's.
pub async fn delete(db: &Database, user: UserId, ids: &[NotificationId]) -> CoreResult<i64> {
    change_each(db, user, ids, |id| {
        sql::query("DELETE FROM notifications WHERE id = $1").bind(id)
    })
    .await
}

/// Runs `statement` on each of these notifications (all must be the
/// user's) in one transaction; answers how many rows it changed, and
/// announces the change to the user when there was one.
async fn change_each<'q>(
    db: &Database,
    user: UserId,
    ids: &[NotificationId],
    statement: impl Fn(NotificationId) -> sql::Query<'q>,
) -> CoreResult<i64> {
    let ids = distinct(ids);
    let mut tx = db.begin_write().await?;
    ensure_owned(&mut tx, user, &ids).await?;
    let mut changed = 0;
    for &id in &ids {
        changed += statement(id).execute(&mut *tx).await? as i64;
    }
    if changed > 0 {
        tx.announce_after_commit(Announcement::notifications(vec![user], Vec::new()));
    }
    tx.commit().await?;
    Ok(changed)
}

/// Deletes the user's whole history (every read notification).
pub async fn delete_history(db: &Database, user: UserId) -> CoreResult<i64> {
    let mut tx = db.begin_write().await?;
    let deleted = sql::query("DELETE FROM notifications WHERE user_id = $1 AND read_at IS NOT NULL")
        .bind(user)
        .execute(&mut *tx)
        .await? as i64;
    if deleted > 0 {
        tx.announce_after_commit(Announcement::notifications(vec![user], Vec::new()));
    }
    tx.commit().await?;
    Ok(deleted)
}

/// Deletes notifications older than the retention setting. Returns how many.
pub async fn purge_expired(db: &Database) -> CoreResult<i64> {
    let mut tx = db.begin_write().await?;
    let days: i64 = sql::query_scalar("SELECT delete_after_days FROM global_settings WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let cutoff = crate::clock::days_ago(days);
    let (users, deleted) = if tx.is_postgres() {
        // Row-level security shows a person only their own notifications;
        // retention is the team's rule, applied by the server's function.
        let gone: Vec<(UserId, i64)> =
            sql::query_as("SELECT user_id, deleted FROM partwatch_delete_notifications_before($1)")
                .bind(&cutoff)
                .fetch_all(&mut *tx)
                .await?;
        let deleted = gone.iter().map(|(_, n)| n).sum::<i64>();
        (gone.into_iter().map(|(user, _)| user).collect(), deleted)
    } else {
        let users: Vec<UserId> =
            sql::query_scalar("SELECT DISTINCT user_id FROM notifications WHERE created_at < $1")
                .bind(&cutoff)
                .fetch_all(&mut *tx)
                .await?;
        let deleted = sql::query("DELETE FROM notifications WHERE created_at < $1")
            .bind(&cutoff)
            .execute(&mut *tx)
            .await? as i64;
        (users, deleted)
    };
    // The delivery log ages with them (webhook posts have no notification).
    sql::query(
        "DELETE FROM delivery_events
          WHERE created_at < $1
            AND NOT EXISTS (SELECT 1 FROM deliveries d
                             WHERE d.event_id = delivery_events.id AND d.status = 'pending')",
    )
    .bind(&cutoff)
    .execute(&mut *tx)
    .await?;
    if deleted > 0 {
        tx.announce_after_commit(Announcement::notifications(users, Vec::new()));
    }
    tx.commit().await?;
    Ok(deleted)
}

/// Runs `purge_expired` now and then once a day, forever: spawn it on the runtime.
pub async fn purge_daily(db: Database) {
    let mut every_day = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        every_day.tick().await;
        match purge_expired(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("deleted {n} notification(s) past the retention period"),
            Err(err) => tracing::warn!("could not delete old notifications: {err}"),
        }
    }
}

fn distinct(ids: &[NotificationId]) -> Vec<NotificationId> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

async fn ensure_owned(
    conn: &mut crate::sql::Conn,
    user: UserId,
    ids: &[NotificationId],
) -> CoreResult<()> {
    for id in ids {
        let owner: Option<UserId> =
            sql::query_scalar("SELECT user_id FROM notifications WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if owner != Some(user) {
            return Err(CoreError::NotFound(format!(
                "Notification {id} does not exist."
            )));
        }
    }
    Ok(())
}
