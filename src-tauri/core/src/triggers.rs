//! The trigger engine: decides, inside the transaction of the change that
//! caused it, who is told what. Low stock is edge-triggered: each part keeps
//! `alert_low`; only ok → low notifies (once per subscriber), low → ok re-arms
//! and sends "back in stock" to those who opted in.

use crate::delivery::event::{self, BuildFigures, Details, EventId, PartFigures};
use crate::delivery::webhook;
use crate::inventory::users;
use crate::subscriptions::{self, Subscriber};
use crate::{settings, CoreResult};
use partwatch_types::inventory::{BuildOrderId, PartId, PartRef, ShortLine, UserId};
use partwatch_types::notifications::{GlobalSettings, NotificationId, NotificationKind};
use partwatch_types::Quantity;
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// What a transaction created, to announce once it has committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fired {
    pub notifications: Vec<(UserId, NotificationId)>,
    /// How many deliveries (popups, emails, webhook posts) it queued.
    pub deliveries: usize,
}

impl Fired {
    pub fn is_empty(&self) -> bool {
        self.notifications.is_empty() && self.deliveries == 0
    }
}

/// What every notification of one trigger run needs, read once.
struct Context {
    global: GlobalSettings,
    email_enabled: bool,
    current_user: Option<UserId>,
    webhooks: Vec<webhook::Enabled>,
}

impl Context {
    async fn load(conn: &mut SqliteConnection) -> CoreResult<Self> {
        Ok(Self {
            global: settings::global_in(conn).await?,
            email_enabled: settings::email_enabled_in(conn).await?,
            current_user: users::current_id(conn).await?,
            webhooks: webhook::enabled_in(conn).await?,
        })
    }
}

/// A part whose low-stock state has just flipped, with its figures.
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct Flipped {
    id: PartId,
    name: String,
    ipn: Option<String>,
    units: String,
    active: bool,
    minimum_stock: i64,
    total_stock: i64,
    /// The new state.
    alert_low: bool,
}

/// Re-evaluates the low-stock condition of each part in `parts` (callers pass
/// the parts whose total or minimum may have moved, templates included) and
/// fires on transitions, in the order of `parts`.
///
/// Set-based, so a batch of any size costs the same few statements: one
/// flips `alert_low` wherever it no longer matches the figures and returns
/// those parts, one resolves the subscribers of all of them; only the
/// notifications of each part that flipped are then written. (Stock moves
/// flip `alert_low` in their own update, see `parts::move_stock`, and call
/// [`notify_flipped`] directly.)
pub(crate) async fn evaluate_low_stock(
    conn: &mut SqliteConnection,
    parts: &[PartId],
    fired: &mut Fired,
) -> CoreResult<()> {
    if parts.is_empty() {
        return Ok(());
    }
    // Inactive parts never notify; they sit at "ok" so that reactivating a
    // low part is a transition that notifies.
    let mut flipped: Vec<Flipped> = sqlx::query_as(
        "UPDATE parts SET alert_low = NOT alert_low
          WHERE id IN (SELECT value FROM json_each(?))
            AND alert_low != (active = 1 AND minimum_stock > 0 AND total_stock < minimum_stock)
         RETURNING id, name, ipn, units, active, minimum_stock, total_stock, alert_low",
    )
    .bind(Json(parts))
    .fetch_all(&mut *conn)
    .await?;
    let position: HashMap<PartId, usize> = parts
        .iter()
        .enumerate()
        .rev()
        .map(|(n, id)| (*id, n))
        .collect();
    flipped.sort_unstable_by_key(|p| position.get(&p.id).copied());
    notify_flipped(conn, flipped, fired).await
}

/// Notifies the subscribers of parts whose `alert_low` has just been
/// flipped (in the caller's transaction), in the given order: "low stock"
/// for ok → low, "back in stock" to those who opted in for low → ok.
pub(crate) async fn notify_flipped(
    conn: &mut SqliteConnection,
    mut flipped: Vec<Flipped>,
    fired: &mut Fired,
) -> CoreResult<()> {
    flipped.retain(|p| p.active);
    if flipped.is_empty() {
        return Ok(());
    }
    let cx = Context::load(conn).await?;
    if !(cx.global.notifications_enabled && cx.global.low_stock_enabled) {
        return Ok(());
    }
    let ids: Vec<PartId> = flipped.iter().map(|p| p.id).collect();
    let mut subscribers = subscriptions::resolve_many(conn, &ids).await?;
    for part in flipped {
        let subscribers = subscribers.remove(&part.id).unwrap_or_default();
        let name = part.name;
        let in_stock = Quantity::from_milli(part.total_stock);
        let minimum = Quantity::from_milli(part.minimum_stock);
        let units = if part.units.is_empty() {
            String::new()
        } else {
            format!(" {}", part.units)
        };
        let details = Details::Stock {
            part: PartFigures {
                id: part.id,
                name: name.clone(),
                ipn: part.ipn,
                in_stock,
                minimum,
                units: part.units,
            },
        };
        if part.alert_low {
            let message = Message {
                kind: NotificationKind::LowStock,
                title: format!("Low stock: {name}"),
                body: format!(
                    "{name} is down to {in_stock}{units}, below its minimum of {minimum}{units}."
                ),
                part: Some(part.id),
                build: None,
                details,
            };
            let all: Vec<&Subscriber> = subscribers.iter().collect();
            notify_all(conn, &cx, &all, &message, fired).await?;
        } else {
            let message = Message {
                kind: NotificationKind::BackInStock,
                title: format!("Back in stock: {name}"),
                body: format!(
                    "{name} has {in_stock}{units} again, at or above its minimum of {minimum}{units}."
                ),
                part: Some(part.id),
                build: None,
                details,
            };
            let opted_in: Vec<&Subscriber> = subscribers
                .iter()
                .filter(|s| s.channels.back_in_stock)
                .collect();
            notify_all(conn, &cx, &opted_in, &message, fired).await?;
        }
    }
    Ok(())
}

/// Sets `alert_low` from the figures without notifying anyone: for parts that
/// come into being (a new part, the demo, generated data) already low.
pub(crate) async fn settle_alert_state(
    conn: &mut SqliteConnection,
    part: Option<PartId>,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE parts SET alert_low = (active = 1 AND minimum_stock > 0 AND total_stock < minimum_stock)
          WHERE ?1 IS NULL OR id = ?1",
    )
    .bind(part)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A new build order whose parts are short: one notification listing the
/// short lines, to the assembly's subscribers and the responsible user.
pub(crate) async fn build_created(
    conn: &mut SqliteConnection,
    build: BuildOrderId,
    short: &[ShortLine],
    fired: &mut Fired,
) -> CoreResult<()> {
    if short.is_empty() {
        return Ok(());
    }
    let cx = Context::load(conn).await?;
    if !(cx.global.notifications_enabled && cx.global.build_orders_enabled) {
        return Ok(());
    }
    let (reference, assembly, assembly_name, quantity, responsible): (
        String,
        i64,
        String,
        i64,
        Option<i64>,
    ) = sqlx::query_as(
        "SELECT b.reference, b.part_id, p.name, b.quantity, b.responsible_id
               FROM build_orders b JOIN parts p ON p.id = b.part_id WHERE b.id = ?",
    )
    .bind(build)
    .fetch_one(&mut *conn)
    .await?;
    let lines: Vec<String> = short
        .iter()
        .map(|l| {
            format!(
                "{}: required {}, available {}",
                l.part.name, l.required, l.available
            )
        })
        .collect();
    let message = Message {
        kind: NotificationKind::BuildShortage,
        title: format!("Stock required for build order {reference}"),
        body: format!(
            "{reference} ({assembly_name}) is short of {} part(s):\n{}",
            short.len(),
            lines.join("\n")
        ),
        part: Some(assembly),
        build: Some(build),
        details: Details::BuildShortage {
            build: BuildFigures {
                id: build,
                reference: reference.clone(),
                assembly: PartRef {
                    id: assembly,
                    name: assembly_name.clone(),
                },
                quantity: Quantity::from_milli(quantity),
                lines: short.to_vec(),
            },
        },
    };
    let mut recipients = Vec::new();
    if let Some(user) = responsible {
        if let Some(channels) = subscriptions::channels_of(conn, user).await? {
            recipients.push(Subscriber {
                user_id: user,
                reason: format!("you are responsible for build {reference}"),
                channels,
            });
        }
    }
    for s in subscriptions::resolve(conn, assembly).await? {
        if !recipients.iter().any(|r| r.user_id == s.user_id) {
            recipients.push(s);
        }
    }
    let all: Vec<&Subscriber> = recipients.iter().collect();
    notify_all(conn, &cx, &all, &message, fired).await?;
    Ok(())
}

struct Message {
    kind: NotificationKind,
    title: String,
    body: String,
    part: Option<PartId>,
    build: Option<BuildOrderId>,
    details: Details,
}

impl Message {
    async fn store_event(&self, conn: &mut SqliteConnection) -> CoreResult<EventId> {
        event::insert(
            conn,
            self.kind,
            &self.title,
            &self.body,
            self.part,
            self.build,
            &self.details,
        )
        .await
    }
}

/// Writes, in the caller's transaction: one notification per recipient (a
/// hundred rows to a statement), and the deliveries — a popup for the
/// current user, an email per recipient when email is on (skipped, with the
/// reason, for those without an address or who opted out), and one post per
/// webhook that takes this kind — all pointing at one delivery event.
async fn notify_all(
    conn: &mut SqliteConnection,
    cx: &Context,
    recipients: &[&Subscriber],
    message: &Message,
    fired: &mut Fired,
) -> CoreResult<()> {
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
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO deliveries (event_id, channel, webhook_id, recipient) ",
        );
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
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO notifications (user_id, kind, title, body, part_id, build_order_id, reason) ",
        );
        insert.push_values(chunk, |mut row, to| {
            row.push_bind(to.user_id)
                .push_bind(message.kind.as_str())
                .push_bind(&message.title)
                .push_bind(&message.body)
                .push_bind(message.part)
                .push_bind(message.build)
                .push_bind(&to.reason);
        });
        insert.push(" RETURNING id, user_id");
        let mut created: Vec<(NotificationId, UserId)> =
            insert.build_query_as().fetch_all(&mut *conn).await?;
        created.sort_unstable();
        let by_user: HashMap<UserId, &Subscriber> = chunk.iter().map(|s| (s.user_id, *s)).collect();
        let mut deliveries: Vec<Queued> = Vec::new();
        for &(id, user) in &created {
            let Some(to) = by_user.get(&user) else {
                continue;
            };
            let channels = &to.channels;
            if cx.global.os_popups_enabled
                && channels.os_popups_enabled
                && cx.current_user == Some(user)
            {
                deliveries.push(Queued {
                    notification: id,
                    user,
                    channel: "os_popup",
                    skipped: None,
                });
            }
            if cx.email_enabled {
                let skipped = if !channels.email_enabled {
                    Some("Turned email notifications off.")
                } else if !channels.has_email {
                    Some("Has no email address.")
                } else {
                    None
                };
                deliveries.push(Queued {
                    notification: id,
                    user,
                    channel: "email",
                    skipped,
                });
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
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO deliveries (event_id, channel, notification_id, user_id, status, last_error, recipient) ",
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
                .push_bind("this desktop");
        });
        insert.build().execute(&mut *conn).await?;
        fired.deliveries += deliveries.iter().filter(|q| q.skipped.is_none()).count();
    }
    if let (Some(event), true) = (event_id, cx.email_enabled) {
        sqlx::query(
            "UPDATE deliveries SET recipient = (
                    SELECT CASE WHEN u.email IS NULL THEN u.name ELSE u.name || ' <' || u.email || '>' END
                      FROM users u WHERE u.id = deliveries.user_id)
              WHERE event_id = ? AND channel = 'email'",
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
}
