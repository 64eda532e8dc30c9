//! The trigger engine: decides, inside the transaction of the change that
//! caused it, who is told what. Low stock is edge-triggered: each part keeps
//! `alert_low`; only ok → low notifies (once per subscriber), low → ok re-arms
//! and sends "back in stock" to those who opted in.

use crate::inventory::parts::is_low;
use crate::inventory::users;
use crate::subscriptions::{self, Subscriber};
use crate::{settings, CoreResult};
use partwatch_types::inventory::{BuildOrderId, PartId, ShortLine, UserId};
use partwatch_types::notifications::{NotificationId, NotificationKind};
use partwatch_types::Quantity;
use sqlx::SqliteConnection;

/// What a transaction created, to announce once it has committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fired {
    pub notifications: Vec<(UserId, NotificationId)>,
}

impl Fired {
    pub fn is_empty(&self) -> bool {
        self.notifications.is_empty()
    }
}

/// Re-evaluates the low-stock condition of each part in `parts` (callers pass
/// a part and every template above it) and fires on transitions.
pub(crate) async fn evaluate_low_stock(
    conn: &mut SqliteConnection,
    parts: &[PartId],
    fired: &mut Fired,
) -> CoreResult<()> {
    let mut seen = Vec::with_capacity(parts.len());
    for &part in parts {
        if seen.contains(&part) {
            continue;
        }
        seen.push(part);
        let row: Option<(String, String, bool, i64, i64, bool)> = sqlx::query_as(
            "SELECT name, units, active, minimum_stock, total_stock, alert_low FROM parts WHERE id = ?",
        )
        .bind(part)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((name, units, active, minimum, total, was_low)) = row else {
            continue;
        };
        // Inactive parts never notify; they sit at "ok" so that reactivating a
        // low part is a transition that notifies.
        let now_low = active && is_low(total, minimum);
        if now_low == was_low {
            continue;
        }
        sqlx::query("UPDATE parts SET alert_low = ? WHERE id = ?")
            .bind(now_low)
            .bind(part)
            .execute(&mut *conn)
            .await?;
        let global = settings::global_in(conn).await?;
        if !(global.notifications_enabled && global.low_stock_enabled && active) {
            continue;
        }
        let in_stock = Quantity::from_milli(total);
        let minimum = Quantity::from_milli(minimum);
        let units = if units.is_empty() {
            String::new()
        } else {
            format!(" {units}")
        };
        let subscribers = subscriptions::resolve(conn, part).await?;
        if now_low {
            let message = Message {
                kind: NotificationKind::LowStock,
                title: format!("Low stock: {name}"),
                body: format!(
                    "{name} is down to {in_stock}{units}, below its minimum of {minimum}{units}."
                ),
                part: Some(part),
                build: None,
            };
            for s in subscribers {
                notify(conn, &s, &message, fired).await?;
            }
        } else {
            let message = Message {
                kind: NotificationKind::BackInStock,
                title: format!("Back in stock: {name}"),
                body: format!(
                    "{name} has {in_stock}{units} again, at or above its minimum of {minimum}{units}."
                ),
                part: Some(part),
                build: None,
            };
            for s in subscribers {
                if settings::user_in(conn, s.user_id).await?.back_in_stock {
                    notify(conn, &s, &message, fired).await?;
                }
            }
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
    let global = settings::global_in(conn).await?;
    if !(global.notifications_enabled && global.build_orders_enabled) {
        return Ok(());
    }
    let (reference, assembly, assembly_name, responsible): (String, i64, String, Option<i64>) =
        sqlx::query_as(
            "SELECT b.reference, b.part_id, p.name, b.responsible_id
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
    };
    let mut recipients = Vec::new();
    if let Some(user) = responsible {
        let active: Option<bool> = sqlx::query_scalar("SELECT active FROM users WHERE id = ?")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
        if active == Some(true) {
            recipients.push(Subscriber {
                user_id: user,
                reason: format!("you are responsible for build {reference}"),
            });
        }
    }
    for s in subscriptions::resolve(conn, assembly).await? {
        if !recipients.iter().any(|r| r.user_id == s.user_id) {
            recipients.push(s);
        }
    }
    for r in recipients {
        notify(conn, &r, &message, fired).await?;
    }
    Ok(())
}

struct Message {
    kind: NotificationKind,
    title: String,
    body: String,
    part: Option<PartId>,
    build: Option<BuildOrderId>,
}

/// Writes one notification and its outbox rows (one per external channel
/// enabled for that user) in the caller's transaction.
async fn notify(
    conn: &mut SqliteConnection,
    to: &Subscriber,
    message: &Message,
    fired: &mut Fired,
) -> CoreResult<()> {
    let id = sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, body, part_id, build_order_id, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(to.user_id)
    .bind(message.kind.as_str())
    .bind(&message.title)
    .bind(&message.body)
    .bind(message.part)
    .bind(message.build)
    .bind(&to.reason)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    let global = settings::global_in(conn).await?;
    let personal = settings::user_in(conn, to.user_id).await?;
    let is_current = users::current_id(conn).await? == Some(to.user_id);
    if global.os_popups_enabled && personal.os_popups_enabled && is_current {
        outbox(conn, id, "os_popup").await?;
    }
    let has_email: bool = sqlx::query_scalar("SELECT email IS NOT NULL FROM users WHERE id = ?")
        .bind(to.user_id)
        .fetch_one(&mut *conn)
        .await?;
    if settings::email_enabled_in(conn).await? && personal.email_enabled && has_email {
        outbox(conn, id, "email").await?;
    }
    fired.notifications.push((to.user_id, id));
    Ok(())
}

async fn outbox(
    conn: &mut SqliteConnection,
    notification: NotificationId,
    channel: &str,
) -> CoreResult<()> {
    sqlx::query("INSERT INTO outbox (notification_id, channel) VALUES (?, ?)")
        .bind(notification)
        .bind(channel)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
