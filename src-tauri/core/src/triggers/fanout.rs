//! The fan-out: writing one message's notifications (per recipient) and
//! deliveries (popups, emails, webhook posts) in the caller's transaction.

use super::{Context, Fired, Message};
use crate::delivery::webhook;
use crate::snoozes;
use crate::sql::{self, Conn};
use crate::subscriptions::Subscriber;
use crate::CoreResult;
use partwatch_types::inventory::UserId;
use partwatch_types::notifications::{NotificationId, NotificationKind, PersonalChannel};
use std::collections::{HashMap, HashSet};

/// Writes `recipients`' notifications of `message` (at most a hundred),
/// returning each one's id and person. On PostgreSQL the ids are drawn from
/// the sequence first: row-level security lets this desktop's login write
/// another person's notification but not read it back (`RETURNING`).
///
/// Those in `read` do not want it in the app: theirs is written read, so it
/// goes straight to History without touching the inbox or the badge.
async fn insert_notifications(
    conn: &mut Conn,
    recipients: &[&Subscriber],
    read: &HashSet<UserId>,
    message: &Message,
) -> CoreResult<Vec<(NotificationId, UserId)>> {
    let now = crate::clock::now();
    let ids: Option<Vec<NotificationId>> = if conn.is_postgres() {
        Some(
            sql::query_scalar(
                "SELECT nextval(pg_get_serial_sequence('notifications', 'id'))
                   FROM generate_series(1, $1)",
            )
            .bind(recipients.len() as i64)
            .fetch_all(&mut *conn)
            .await?,
        )
    } else {
        None
    };
    let rows: Vec<(Option<NotificationId>, &Subscriber)> = match &ids {
        Some(ids) => ids
            .iter()
            .copied()
            .map(Some)
            .zip(recipients.iter().copied())
            .collect(),
        None => recipients.iter().map(|to| (None, *to)).collect(),
    };
    let mut insert = sql::Builder::new(match ids {
        Some(_) => "INSERT INTO notifications (id, user_id, kind, title, body, part_id, build_order_id, reason, read_at) ",
        None => "INSERT INTO notifications (user_id, kind, title, body, part_id, build_order_id, reason, read_at) ",
    });
    insert.push_values(rows, |mut row, (id, to)| {
        if let Some(id) = id {
            row.push_bind(id);
        }
        row.push_bind(to.user_id)
            .push_bind(message.kind)
            .push_bind(&message.title)
            .push_bind(&message.body)
            .push_bind(message.part)
            .push_bind(message.build)
            .push_bind(&to.reason)
            .push_bind(read.contains(&to.user_id).then_some(now.as_str()));
    });
    match ids {
        Some(ids) => {
            insert.build().execute(&mut *conn).await?;
            Ok(ids
                .into_iter()
                .zip(recipients.iter().map(|to| to.user_id))
                .collect())
        }
        None => {
            insert.push(" RETURNING id, user_id");
            Ok(insert.build_query_as().fetch_all(&mut *conn).await?)
        }
    }
}

/// Writes, in the caller's transaction: one notification per recipient whom
/// this kind reaches by their preferences and who does not snooze the part (a hundred rows to a statement;
/// read already for those who do not want it in the app), and the
/// deliveries — a popup for the current user (for every recipient on a team
/// database) who wants one, an email per recipient when email is on
/// (skipped, with the reason, for those without an address or who chose no
/// email for this kind), and one post per webhook that takes this kind — all
/// pointing at one delivery event.
pub(super) async fn notify_all(
    conn: &mut Conn,
    cx: &Context,
    recipients: &[&Subscriber],
    message: &Message,
    fired: &mut Fired,
) -> CoreResult<()> {
    let book = &cx.preferences;
    let snoozing = match message.part {
        Some(part) if cx.snoozes => snoozes::snoozing(conn, part, &cx.now).await?,
        _ => Vec::new(),
    };
    let recipients: Vec<&Subscriber> = recipients
        .iter()
        .copied()
        .filter(|to| book.reaches(to.user_id, message.kind) && !snoozing.contains(&to.user_id))
        .collect();
    let hooks: Vec<&webhook::Enabled> = cx
        .webhooks
        .iter()
        .filter(|hook| hook.takes(message.kind))
        .collect();
    if recipients.is_empty() && hooks.is_empty() {
        return Ok(());
    }
    let mut event_id = None;
    if !hooks.is_empty() {
        let id = message.store_event(conn).await?;
        event_id = Some(id);
        let mut insert =
            sql::Builder::new("INSERT INTO deliveries (event_id, channel, webhook_id, recipient) ");
        insert.push_values(&hooks, |mut row, hook| {
            row.push_bind(id)
                .push_bind("webhook")
                .push_bind(hook.id)
                .push_bind(&hook.label);
        });
        insert.build().execute(&mut *conn).await?;
        fired.deliveries += hooks.len();
    }
    for chunk in recipients.chunks(100) {
        let read: HashSet<UserId> = chunk
            .iter()
            .map(|to| to.user_id)
            .filter(|&user| !book.wants(user, message.kind, PersonalChannel::InApp))
            .collect();
        let mut created = insert_notifications(conn, chunk, &read, message).await?;
        created.sort_unstable();
        let by_user: HashMap<UserId, &Subscriber> = chunk.iter().map(|s| (s.user_id, *s)).collect();
        let mut deliveries: Vec<Queued> = Vec::new();
        for &(id, user) in &created {
            let Some(to) = by_user.get(&user) else {
                continue;
            };
            let first_of_theirs = deliveries.len();
            if cx.global.os_popups_enabled
                && book.wants(user, message.kind, PersonalChannel::OsPopup)
                && cx.popups_only_for.is_none_or(|only| only == Some(user))
            {
                deliveries.push(Queued {
                    channel: "os_popup",
                    ..Queued::now(id, user, &cx.now)
                });
            }
            let mut mailed = false;
            if cx.email_enabled {
                let skipped = if !book.wants(user, message.kind, PersonalChannel::Email) {
                    Some(match message.kind {
                        NotificationKind::LowStock => "Chose no email for low stock.",
                        NotificationKind::OutOfStock => "Chose no email for out of stock.",
                        NotificationKind::BackInStock => "Chose no email for back in stock.",
                        NotificationKind::BuildShortage => "Chose no email for build shortages.",
                        NotificationKind::Test => "Chose no email.",
                    })
                } else if !to.has_email {
                    Some("Has no email address.")
                } else {
                    None
                };
                mailed = skipped.is_none();
                // Someone who takes a digest: the mail waits for it (a
                // pending row due then, gathered with the others).
                let digest = skipped
                    .is_none()
                    .then(|| book.digest_due(user, message.kind, &cx.now))
                    .flatten();
                deliveries.push(Queued {
                    channel: "email",
                    skipped,
                    in_digest: digest.is_some(),
                    due: digest.unwrap_or_else(|| cx.now.clone()),
                    ..Queued::now(id, user, &cx.now)
                });
            }
            // Not mailed now, in the inbox, and the person asked to be
            // reminded: a mail held until then, sent only if still unread.
            if let Some(hours) = book.remind_after(user) {
                if cx.email_enabled
                    && !mailed
                    && to.has_email
                    && message.kind != NotificationKind::Test
                    && !read.contains(&user)
                {
                    deliveries.push(Queued {
                        channel: "email",
                        due: crate::clock::from_now(hours as f64 * 3600.0),
                        only_if_unread: true,
                        ..Queued::now(id, user, &cx.now)
                    });
                }
            }
            // During their quiet hours, popups and mails wait until the
            // hours end, and go then only if still unread (or, for someone
            // who keeps this event out of the inbox, go then).
            if message.kind != NotificationKind::Test {
                for q in &mut deliveries[first_of_theirs..] {
                    if q.skipped.is_some() {
                        continue;
                    }
                    let Some(end) = book.quiet_until(user, message.kind, &q.due) else {
                        continue;
                    };
                    q.due = end;
                    if q.in_digest {
                        // A digest lists everything since the last one, read or not.
                        q.held_by_quiet_hours = true;
                    } else if !q.only_if_unread {
                        q.held_by_quiet_hours = true;
                        q.only_if_unread = !read.contains(&user);
                    }
                }
            }
            fired.notifications.push((user, id));
        }
        if deliveries.is_empty() {
            continue;
        }
        let event = match event_id {
            Some(id) => id,
            None => *event_id.insert(message.store_event(conn).await?),
        };
        let mut insert = sql::Builder::new(
            "INSERT INTO deliveries (event_id, channel, notification_id, user_id, status, last_error, recipient, next_attempt_at, only_if_unread, held_by_quiet_hours, in_digest) ",
        );
        insert.push_values(&deliveries, |mut row, q| {
            row.push_bind(event)
                .push_bind(q.channel)
                .push_bind(q.notification)
                .push_bind(q.user)
                .push_bind(if q.skipped.is_some() {
                    "skipped"
                } else {
                    "pending"
                })
                .push_bind(q.skipped)
                .push_bind("this desktop")
                .push_bind(&q.due)
                .push_bind(q.only_if_unread)
                .push_bind(q.held_by_quiet_hours)
                .push_bind(q.in_digest);
        });
        insert.build().execute(&mut *conn).await?;
        fired.deliveries += deliveries.iter().filter(|q| q.skipped.is_none()).count();
    }
    if let (Some(event), true) = (event_id, cx.email_enabled) {
        sql::query(
            "UPDATE deliveries SET recipient = (
                    SELECT CASE WHEN u.email IS NULL THEN u.name ELSE u.name || ' <' || u.email || '>' END
                      FROM users u WHERE u.id = deliveries.user_id)
              WHERE event_id = $1 AND channel = 'email'",
        )
        .bind(event)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A delivery row about to be written for one notification.
struct Queued {
    notification: NotificationId,
    user: UserId,
    channel: &'static str,
    skipped: Option<&'static str>,
    /// When it is first tried.
    due: String,
    /// Sent only if the notification is still unread then (a reminder, or
    /// one held by quiet hours).
    only_if_unread: bool,
    /// Held until its person's quiet hours end.
    held_by_quiet_hours: bool,
    /// Waits for its person's email digest.
    in_digest: bool,
}

impl Queued {
    /// A delivery of `notification` to `user`, due at `now` (the channel set by the caller).
    fn now(notification: NotificationId, user: UserId, now: &str) -> Self {
        Self {
            notification,
            user,
            channel: "",
            skipped: None,
            due: now.to_owned(),
            only_if_unread: false,
            held_by_quiet_hours: false,
            in_digest: false,
        }
    }
}
