//! The trigger engine: decides, inside the transaction of the change that
//! caused it, who is told what. Low stock is edge-triggered: each part keeps
//! `alert_low`; only ok → low notifies (once per subscriber), low → ok re-arms
//! and sends "back in stock" to those who opted in.

use crate::inventory::parts::is_low;
use crate::inventory::users;
use crate::subscriptions::{self, Subscriber};
use crate::{settings, CoreResult};
use partwatch_types::inventory::{BuildOrderId, PartId, ShortLine, UserId};
use partwatch_types::notifications::{GlobalSettings, NotificationId, NotificationKind};
use partwatch_types::Quantity;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

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

/// What every notification of one trigger run needs, read once.
struct Context {
    global: GlobalSettings,
    email_enabled: bool,
    current_user: Option<UserId>,
}

impl Context {
    async fn load(conn: &mut SqliteConnection) -> CoreResult<Self> {
        Ok(Self {
            global: settings::global_in(conn).await?,
            email_enabled: settings::email_enabled_in(conn).await?,
            current_user: users::current_id(conn).await?,
        })
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
    let mut context = None;
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
        if context.is_none() {
            context = Some(Context::load(conn).await?);
        }
        let Some(cx) = context.as_ref() else { continue };
        if !(cx.global.notifications_enabled && cx.global.low_stock_enabled && active) {
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
            let all: Vec<&Subscriber> = subscribers.iter().collect();
            notify_all(conn, cx, &all, &message, fired).await?;
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
            let opted_in: Vec<&Subscriber> = subscribers
                .iter()
                .filter(|s| s.channels.back_in_stock)
                .collect();
            notify_all(conn, cx, &opted_in, &message, fired).await?;
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
}

/// Writes one notification per recipient and their outbox rows (one per
/// external channel enabled for that user) in the caller's transaction,
/// a hundred rows to a statement.
async fn notify_all(
    conn: &mut SqliteConnection,
    cx: &Context,
    recipients: &[&Subscriber],
    message: &Message,
    fired: &mut Fired,
) -> CoreResult<()> {
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
        let mut deliveries: Vec<(NotificationId, &str)> = Vec::new();
        for &(id, user) in &created {
            let Some(to) = by_user.get(&user) else {
                continue;
            };
            let channels = &to.channels;
            if cx.global.os_popups_enabled
                && channels.os_popups_enabled
                && cx.current_user == Some(user)
            {
                deliveries.push((id, "os_popup"));
            }
            if cx.email_enabled && channels.email_enabled && channels.has_email {
                deliveries.push((id, "email"));
            }
            fired.notifications.push((user, id));
        }
        if !deliveries.is_empty() {
            let mut outbox =
                QueryBuilder::<Sqlite>::new("INSERT INTO outbox (notification_id, channel) ");
            outbox.push_values(deliveries, |mut row, (id, channel)| {
                row.push_bind(id).push_bind(channel);
            });
            outbox.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}
