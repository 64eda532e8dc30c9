//! Completing build orders: the components' stock is used up and the
//! assemblies made are added, in one transaction with the triggers, so a
//! component that drops below its minimum alerts (once) and the assembly's
//! "back in stock" fires exactly as for any other change of stock.

use super::builds::{self, required};
use super::stock::{self, Change};
use super::{locations, parts};
use crate::sql::{self, Conn};
use crate::triggers;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    BuildCompletion, BuildStatus, CompleteBuild, Consumed, PartId, PartRef, ShortLine,
    StockChangeKind, StockItem, StockItemId,
};
use partwatch_types::Quantity;
use sqlx::types::Json;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One BOM line as completion reads it.
struct Line {
    part: PartRef,
    per_unit: Quantity,
    /// The parts whose stock the line may use: the sub-part, and its
    /// variants when the line allows them.
    accepts: Vec<PartId>,
}

/// Completes all or part of what is left of a build order (see
/// [`CompleteBuild`]). Refuses, changing nothing, when a line's stock is
/// short unless the request accepts the shortage.
pub async fn complete(db: &Database, request: &CompleteBuild) -> CoreResult<BuildCompletion> {
    if request.quantity.milli() <= 0 {
        return Err(CoreError::InvalidInput(
            "Enter how many to complete: more than zero.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let order = builds::get_in(&mut tx, request.id).await?;
    if !order.status.is_open() {
        return Err(CoreError::InvalidInput(format!(
            "{} is {}; there is nothing left to complete.",
            order.reference,
            order.status.label().to_lowercase()
        )));
    }
    let left = order
        .quantity
        .checked_sub(order.completed)
        .unwrap_or(Quantity::ZERO);
    if request.quantity > left {
        return Err(CoreError::InvalidInput(format!(
            "Only {left} of {} {} left to complete.",
            order.reference,
            if left == Quantity::whole(1) {
                "is"
            } else {
                "are"
            }
        )));
    }
    if let Some(location) = request.location_id {
        locations::reference(&mut tx, location).await?;
    }
    let lines = lines(&mut tx, order.part.id).await?;
    let plan = plan(&mut tx, &lines, request).await?;
    if !plan.short.is_empty() && !request.accept_shortage {
        let what: Vec<String> = plan
            .short
            .iter()
            .map(|l| {
                format!(
                    "{} needs {}, {} in stock",
                    l.part.name, l.required, l.available
                )
            })
            .collect();
        return Err(CoreError::InvalidInput(format!(
            "Not enough stock to complete {} of {}: {}. Complete anyway to use what there is.",
            request.quantity,
            order.reference,
            what.join("; ")
        )));
    }

    // Use up the components: a history line per item, then the totals and
    // the low-stock trigger for all of them at once.
    let (conn, fired) = tx.split();
    let mut deltas: Vec<(PartId, i64)> = Vec::new();
    let mut consumed = Vec::with_capacity(plan.takes.len());
    for take in &plan.takes {
        let after = take
            .item
            .quantity
            .checked_sub(take.quantity)
            .unwrap_or(Quantity::ZERO);
        sql::query("UPDATE stock_items SET quantity = $1 WHERE id = $2")
            .bind(after.milli())
            .bind(take.item.id)
            .execute(&mut *conn)
            .await?;
        let location = stock::place(&take.item);
        stock::write_history(
            conn,
            &Change {
                part: take.item.part_id,
                item: take.item.id,
                kind: StockChangeKind::Consume,
                delta: -take.quantity.milli(),
                after,
                reason: "",
                location,
                build: Some(order.id),
            },
        )
        .await?;
        match deltas
            .iter_mut()
            .find(|(part, _)| *part == take.item.part_id)
        {
            Some((_, delta)) => *delta -= take.quantity.milli(),
            None => deltas.push((take.item.part_id, -take.quantity.milli())),
        }
        consumed.push(Consumed {
            part: take.part.clone(),
            item_id: take.item.id,
            location: location.to_owned(),
            quantity: take.quantity,
        });
    }
    if !deltas.is_empty() {
        let flipped = parts::move_stock(conn, &deltas).await?;
        triggers::notify_flipped(conn, flipped, fired).await?;
    }

    // Add what was made, in a batch named after the order.
    let made = stock::put(
        &mut tx,
        order.part.id,
        request.location_id,
        &order.reference,
        request.quantity,
        "",
        Some(order.id),
    )
    .await?;
    let completed = order
        .completed
        .checked_add(request.quantity)
        .unwrap_or(order.quantity);
    let status = if completed >= order.quantity {
        BuildStatus::Complete
    } else {
        BuildStatus::InProduction
    };
    sql::query("UPDATE build_orders SET completed = $1, status = $2 WHERE id = $3")
        .bind(completed.milli())
        .bind(status)
        .bind(order.id)
        .execute(&mut *tx)
        .await?;
    let order = builds::get_in(&mut tx, order.id).await?;
    tx.commit().await?;
    Ok(BuildCompletion {
        order,
        consumed,
        made,
        short_lines: plan.short,
    })
}

/// The direct BOM lines of an assembly, by sub-part name.
async fn lines(conn: &mut Conn, assembly: PartId) -> CoreResult<Vec<Line>> {
    let rows: Vec<(PartId, String, i64, bool)> = sql::query_as(
        "SELECT l.sub_part_id, p.name, l.quantity, l.allow_variants
           FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id
          WHERE l.assembly_id = $1 ORDER BY p.name COLLATE NOCASE",
    )
    .bind(assembly)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for (id, name, per_unit, allow_variants) in rows {
        let accepts = if allow_variants {
            sql::query_scalar(
                "WITH RECURSIVE down(id, depth) AS (
                     SELECT $1, CAST(0 AS BIGINT)
                     UNION ALL
                     SELECT p.id, down.depth + 1 FROM parts p JOIN down ON p.variant_of = down.id
                      WHERE down.depth < 1000
                 )
                 SELECT id FROM down ORDER BY depth, id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
        } else {
            vec![id]
        };
        lines.push(Line {
            part: PartRef { id, name },
            per_unit: Quantity::from_milli(per_unit),
            accepts,
        });
    }
    Ok(lines)
}

/// Stock to use from one item for one line.
struct Take {
    /// The line's sub-part.
    part: PartRef,
    /// The item as it was before this completion.
    item: StockItem,
    quantity: Quantity,
}

struct Plan {
    takes: Vec<Take>,
    short: Vec<ShortLine>,
}

/// Works out which items each line uses: the chosen ones first, then the
/// oldest stock of the parts the line accepts. Nothing is written.
async fn plan(conn: &mut Conn, lines: &[Line], request: &CompleteBuild) -> CoreResult<Plan> {
    // What is used of each item so far, across lines.
    let mut used: HashMap<StockItemId, Quantity> = HashMap::new();
    let mut chosen_for: Vec<Vec<(StockItem, Quantity)>> =
        lines.iter().map(|_| Vec::new()).collect();
    for choice in &request.chosen {
        if choice.quantity.milli() <= 0 {
            return Err(CoreError::InvalidInput(
                "A chosen stock item needs a quantity more than zero.".into(),
            ));
        }
        let item = stock::item_in(conn, choice.item_id).await?;
        // The line naming the item's part itself, else one accepting it as a variant.
        let line = lines
            .iter()
            .position(|l| l.part.id == item.part_id)
            .or_else(|| lines.iter().position(|l| l.accepts.contains(&item.part_id)))
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "Stock item {} is not of a part this build uses.",
                    item.id
                ))
            })?;
        let total = used
            .get(&item.id)
            .copied()
            .unwrap_or(Quantity::ZERO)
            .checked_add(choice.quantity)
            .filter(|total| *total <= item.quantity)
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "Only {} in the stock item{} of {}; you chose more.",
                    item.quantity,
                    item.location
                        .as_ref()
                        .map(|l| format!(" at {}", l.path))
                        .unwrap_or_default(),
                    lines[line].part.name
                ))
            })?;
        used.insert(item.id, total);
        chosen_for[line].push((item, choice.quantity));
    }
    let mut takes = Vec::new();
    let mut short = Vec::new();
    for (line, chosen) in lines.iter().zip(chosen_for) {
        let need = required(line.per_unit, request.quantity).ok_or_else(|| {
            CoreError::InvalidInput("That build quantity is too large to plan.".into())
        })?;
        let mut got = Quantity::ZERO;
        for (item, quantity) in chosen {
            got = got
                .checked_add(quantity)
                .unwrap_or(Quantity::from_milli(i64::MAX));
            takes.push(Take {
                part: line.part.clone(),
                item,
                quantity,
            });
        }
        if got > need {
            return Err(CoreError::InvalidInput(format!(
                "You chose {got} of {}; completing {} needs {need}.",
                line.part.name, request.quantity
            )));
        }
        if got < need {
            static OLDEST_FIRST: LazyLock<[String; 2]> = LazyLock::new(|| {
                sql::with_json_ids(
                    &format!(
                        "{} WHERE s.part_id IN ({{ids}}) AND s.quantity > 0
                          ORDER BY s.created_at, s.id",
                        stock::ITEM_SELECT
                    ),
                    1,
                )
            });
            let rows: Vec<stock::ItemRow> =
                sql::query_as(sql::Sql::dialects(&OLDEST_FIRST[0], &OLDEST_FIRST[1]))
                    .bind(Json(&line.accepts))
                    .fetch_all(&mut *conn)
                    .await?;
            for item in rows.into_iter().map(stock::item_from) {
                if got >= need {
                    break;
                }
                let already = used.get(&item.id).copied().unwrap_or(Quantity::ZERO);
                let free = item.quantity.saturating_sub(already);
                let wanted = need.saturating_sub(got);
                let quantity = if free < wanted { free } else { wanted };
                if quantity.milli() <= 0 {
                    continue;
                }
                used.insert(
                    item.id,
                    already.checked_add(quantity).unwrap_or(item.quantity),
                );
                got = got.checked_add(quantity).unwrap_or(need);
                takes.push(Take {
                    part: line.part.clone(),
                    item,
                    quantity,
                });
            }
        }
        if got < need {
            short.push(ShortLine {
                part: line.part.clone(),
                required: need,
                available: got,
            });
        }
    }
    // An item used by two lines (a variant both named and allowed) was read
    // once per line; each take's "before" must count the takes before it.
    let mut taken: HashMap<StockItemId, Quantity> = HashMap::new();
    for take in &mut takes {
        let before = taken.get(&take.item.id).copied().unwrap_or(Quantity::ZERO);
        take.item.quantity = take.item.quantity.saturating_sub(before);
        taken.insert(
            take.item.id,
            before
                .checked_add(take.quantity)
                .unwrap_or(Quantity::from_milli(i64::MAX)),
        );
    }
    Ok(Plan { takes, short })
}
