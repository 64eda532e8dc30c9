//! Build orders: the one notification a new, short build order sends to the
//! assembly's subscribers and the responsible user.

use super::fanout::notify_all;
use super::{Context, Fired, Message};
use crate::delivery::event::{BuildFigures, Details};
use crate::sql::{self, Conn};
use crate::subscriptions::{self, Subscriber};
use crate::CoreResult;
use partwatch_types::inventory::{BuildOrderId, PartId, PartRef, ShortLine, UserId};
use partwatch_types::notifications::NotificationKind;
use partwatch_types::Quantity;

/// A new build order whose parts are short: one notification listing the
/// short lines, to the assembly's subscribers and the responsible user.
pub(crate) async fn build_created(
    conn: &mut Conn,
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
        PartId,
        String,
        i64,
        Option<UserId>,
    ) = sql::query_as(
        "SELECT b.reference, b.part_id, p.name, b.quantity, b.responsible_id
               FROM build_orders b JOIN parts p ON p.id = b.part_id WHERE b.id = $1",
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
        if let Some(has_email) = subscriptions::has_email(conn, user).await? {
            recipients.push(Subscriber {
                user_id: user,
                reason: format!("you are responsible for build {reference}"),
                has_email,
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
