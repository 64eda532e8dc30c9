//! Low stock: re-evaluating parts' `alert_low` and `alert_out`, notifying on
//! the flips (low stock, out of stock, back in stock), and settling the state
//! silently for parts that come into being already low.

use super::fanout::notify_all;
use super::{Context, Fired, Message};
use crate::delivery::event::{Details, PartFigures};
use crate::inventory::parts;
use crate::snoozes;
use crate::sql::{self, Conn};
use crate::subscriptions::{self, Subscriber};
use crate::CoreResult;
use partwatch_types::inventory::{PartId, UserId};
use partwatch_types::notifications::NotificationKind;
use partwatch_types::Quantity;
use sqlx::types::Json;
use std::collections::HashMap;
use std::sync::LazyLock;

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
    /// The new state: low, and out of stock (out is a kind of low).
    alert_low: bool,
    alert_out: bool,
    /// The state before.
    was_low: bool,
    was_out: bool,
}

/// What a part's change of state tells its subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transition {
    /// ok → low.
    Low,
    /// ok or low → out: one critical notice, even straight from ok.
    Out,
    /// low or out → ok.
    Back,
    /// out → low: still short, nothing new to tell.
    Quiet,
}

/// The transition from the state before to the state now (out implies low).
pub(crate) fn transition(was_low: bool, was_out: bool, low: bool, out: bool) -> Transition {
    if out && !was_out {
        Transition::Out
    } else if !low && (was_low || was_out) {
        Transition::Back
    } else if low && !was_low {
        Transition::Low
    } else {
        Transition::Quiet
    }
}

impl Flipped {
    pub(crate) fn part(&self) -> PartId {
        self.id
    }

    /// Whether the part is low now (out of stock included).
    pub(crate) fn is_low(&self) -> bool {
        self.alert_low
    }

    fn transition(&self) -> Transition {
        transition(self.was_low, self.was_out, self.alert_low, self.alert_out)
    }
}

/// Re-evaluates the low-stock condition of each part in `parts` (callers pass
/// the parts whose total or minimum may have moved, templates included) and
/// fires on transitions, in the order of `parts`.
///
/// Set-based, so a batch of any size costs the same few statements: one
/// reads the parts whose `alert_low` or `alert_out` no longer matches the
/// figures (with the state before), one sets them, one resolves the
/// subscribers of all of them; only the notifications of each part that
/// changed are then written. (Stock moves set the state in their own update,
/// see `parts::move_stock`, and call [`notify_flipped`] directly.)
pub(crate) async fn evaluate_low_stock(
    conn: &mut Conn,
    parts: &[PartId],
    fired: &mut Fired,
) -> CoreResult<()> {
    if parts.is_empty() {
        return Ok(());
    }
    // Inactive parts never notify; they sit at "ok" so that reactivating a
    // low part is a transition that notifies. The state before is read
    // first (`RETURNING` gives only the new one), then set.
    static FIND: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::with_json_ids(
            &format!(
                "SELECT id, name, ipn, units, active, minimum_stock, total_stock,
                        {low} AS alert_low, {out} AS alert_out,
                        alert_low AS was_low, alert_out AS was_out
                   FROM parts
                  WHERE id IN ({{ids}}) AND (alert_low != {low} OR alert_out != {out})",
                low = parts::should_alert_sql(""),
                out = parts::should_alert_out_sql("")
            ),
            1,
        )
    });
    static FLIP: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::with_json_ids(
            &format!(
                "UPDATE parts SET alert_low = {}, alert_out = {} WHERE id IN ({{ids}})",
                parts::should_alert_sql(""),
                parts::should_alert_out_sql("")
            ),
            1,
        )
    });
    let mut flipped: Vec<Flipped> = sql::query_as(sql::Sql::dialects(&FIND[0], &FIND[1]))
        .bind(Json(parts))
        .fetch_all(&mut *conn)
        .await?;
    if flipped.is_empty() {
        return Ok(());
    }
    let changed: Vec<PartId> = flipped.iter().map(|p| p.id).collect();
    sql::query(sql::Sql::dialects(&FLIP[0], &FLIP[1]))
        .bind(Json(&changed))
        .execute(&mut *conn)
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

/// Notifies the subscribers of parts whose `alert_low` or `alert_out` has
/// just changed (in the caller's transaction), in the given order: "low
/// stock" for ok → low, "out of stock" (critical) for ok or low → out, "back
/// in stock" for low or out → ok (which the default preferences leave off),
/// nothing for out → low.
pub(crate) async fn notify_flipped(
    conn: &mut Conn,
    mut flipped: Vec<Flipped>,
    fired: &mut Fired,
) -> CoreResult<()> {
    resolve_recovered(conn, &flipped, fired).await?;
    // Back in stock ends the snoozes "until back in stock" of it, before
    // anyone is told (the back-in-stock notice reaches them again).
    let recovered: Vec<PartId> = flipped
        .iter()
        .filter(|p| !p.alert_low)
        .map(|p| p.id)
        .collect();
    let ended = snoozes::end_back_in_stock(conn, &recovered).await?;
    fired.snoozes_ended_for.extend(ended);
    fired.snoozes_ended_for.sort_unstable();
    fired.snoozes_ended_for.dedup();
    flipped.retain(|p| p.active && p.transition() != Transition::Quiet);
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
        let transition = part.transition();
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
        // Whom each kind reaches is their preferences' (`notify_all`).
        let recipients: Vec<&Subscriber> = subscribers.iter().collect();
        let (kind, title, body) = match transition {
            Transition::Low => (
                NotificationKind::LowStock,
                format!("Low stock: {name}"),
                format!(
                    "{name} is down to {in_stock}{units}, below its minimum of {minimum}{units}."
                ),
            ),
            Transition::Out => (
                NotificationKind::OutOfStock,
                format!("Out of stock: {name}"),
                format!("{name} has {in_stock}{units} left; its minimum is {minimum}{units}."),
            ),
            Transition::Back | Transition::Quiet => (
                NotificationKind::BackInStock,
                format!("Back in stock: {name}"),
                format!(
                    "{name} has {in_stock}{units} again, at or above its minimum of {minimum}{units}."
                ),
            ),
        };
        let message = Message {
            kind,
            title,
            body,
            part: Some(part.id),
            build: None,
            details,
        };
        notify_all(conn, &cx, &recipients, &message, fired).await?;
    }
    Ok(())
}

/// Marks the unresolved low-stock notifications of parts that left the low
/// state as resolved (and read): still shown, no longer waiting for anyone.
async fn resolve_recovered(
    conn: &mut Conn,
    flipped: &[Flipped],
    fired: &mut Fired,
) -> CoreResult<()> {
    let recovered: Vec<PartId> = flipped
        .iter()
        .filter(|p| !p.alert_low)
        .map(|p| p.id)
        .collect();
    if recovered.is_empty() {
        return Ok(());
    }
    let users: Vec<UserId> = sql::query_scalar(sql::Sql::dialects(
        "UPDATE notifications SET resolved_at = $2, read_at = COALESCE(read_at, $2)
          WHERE kind IN ('low_stock', 'out_of_stock') AND resolved_at IS NULL
            AND part_id IN (SELECT value FROM json_each($1))
         RETURNING user_id",
        // Everyone's notifications, which row-level security hides from
        // this desktop's login: the server's function resolves them.
        "SELECT partwatch_resolve_low_stock($1, $2)",
    ))
    .bind(Json(&recovered))
    .bind(crate::clock::now())
    .fetch_all(&mut *conn)
    .await?;
    fired.resolved_for.extend(users);
    fired.resolved_for.sort_unstable();
    fired.resolved_for.dedup();
    Ok(())
}

/// Sets `alert_low` and `alert_out` from the figures without notifying
/// anyone: for parts that come into being (a new part, the demo, generated
/// data) already low.
pub(crate) async fn settle_alert_state(conn: &mut Conn, part: Option<PartId>) -> CoreResult<()> {
    static SETTLE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE parts SET alert_low = {}, alert_out = {} WHERE $1 IS NULL OR id = $1",
            parts::should_alert_sql(""),
            parts::should_alert_out_sql("")
        )
    });
    sql::query(&SETTLE).bind(part).execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{transition, Transition};

    /// Every change of state between ok, low and out, and what it tells.
    #[test]
    fn each_change_of_state_tells_one_thing_at_most() {
        // (was low, was out) → (low, out): what subscribers hear.
        let ok = (false, false);
        let low = (true, false);
        let out = (true, true);
        let cases = [
            (ok, low, Transition::Low),
            (ok, out, Transition::Out),
            (low, out, Transition::Out),
            (low, ok, Transition::Back),
            (out, ok, Transition::Back),
            (out, low, Transition::Quiet),
        ];
        for ((was_low, was_out), (now_low, now_out), told) in cases {
            assert_eq!(
                transition(was_low, was_out, now_low, now_out),
                told,
                "({was_low}, {was_out}) → ({now_low}, {now_out})"
            );
        }
    }
}
