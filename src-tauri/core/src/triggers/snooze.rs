//! The end of a snooze: its person is told once of each part it covered that
//! is still low ("Still low: …", a low-stock notification) or out ("Still
//! out of stock: …", critical), through their preferences — to them alone,
//! never to the team's webhooks.

use super::fanout::notify_all;
use super::{Context, Fired, Message};
use crate::delivery::event::{Details, PartFigures};
use crate::sql::{self, Conn};
use crate::subscriptions::{self, Subscriber};
use crate::CoreResult;
use partwatch_types::inventory::{PartId, UserId};
use partwatch_types::notifications::NotificationKind;
use partwatch_types::Quantity;

/// Tells `user`, whose snooze has just ended, of each of `parts` (still
/// low, unheard of since the snooze began) that they watch.
pub(crate) async fn snooze_ended(
    conn: &mut Conn,
    user: UserId,
    parts: &[PartId],
    fired: &mut Fired,
) -> CoreResult<()> {
    if parts.is_empty() {
        return Ok(());
    }
    let mut cx = Context::load(conn).await?;
    if !(cx.global.notifications_enabled && cx.global.low_stock_enabled) {
        return Ok(());
    }
    // One person's reminder: not an event for the team's channels.
    cx.webhooks.clear();
    let mut watchers = subscriptions::resolve_many(conn, parts).await?;
    for &part in parts {
        let Some(me) = watchers
            .remove(&part)
            .unwrap_or_default()
            .into_iter()
            .find(|s| s.user_id == user)
        else {
            continue;
        };
        let (name, ipn, units, minimum, total, out): (
            String,
            Option<String>,
            String,
            i64,
            i64,
            bool,
        ) = sql::query_as(
            "SELECT name, ipn, units, minimum_stock, total_stock, alert_out FROM parts WHERE id = $1",
        )
            .bind(part)
            .fetch_one(&mut *conn)
            .await?;
        let in_stock = Quantity::from_milli(total);
        let minimum = Quantity::from_milli(minimum);
        let unit = if units.is_empty() {
            String::new()
        } else {
            format!(" {units}")
        };
        let (kind, title) = if out {
            (
                NotificationKind::OutOfStock,
                format!("Still out of stock: {name}"),
            )
        } else {
            (NotificationKind::LowStock, format!("Still low: {name}"))
        };
        let message = Message {
            kind,
            title,
            body: format!(
                "{name} is at {in_stock}{unit}, below its minimum of {minimum}{unit}. \
                 Your snooze of it has ended."
            ),
            part: Some(part),
            build: None,
            details: Details::Stock {
                part: PartFigures {
                    id: part,
                    name,
                    ipn,
                    in_stock,
                    minimum,
                    units,
                },
            },
        };
        let to = Subscriber {
            reason: format!("{}; your snooze ended", me.reason),
            ..me
        };
        notify_all(conn, &cx, &[&to], &message, fired).await?;
    }
    Ok(())
}
