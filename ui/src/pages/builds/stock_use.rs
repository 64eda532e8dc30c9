//! How each BOM line's stock is used in "Complete…": automatically (the
//! oldest first) or items chosen, each with a quantity.

use super::needed;
use crate::api;
use crate::components::form;
use crate::components::loader::loaded;
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::inventory::{
    BomLine, BomLineId, ChosenStock, PartRef, StockItem, StockItemId,
};
use partwatch_types::{commands, ApiError, Quantity};
use std::collections::HashMap;

/// How one BOM line's stock is used in a completion: the oldest first, or
/// items chosen with quantities (used first; the rest still comes from the
/// oldest stock).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LineUse {
    choose: bool,
    /// By item: what the quantity field is named, and what was typed.
    typed: HashMap<StockItemId, (String, String)>,
}

/// The stock items chosen for the lines in "choose" mode, or why a typed
/// quantity does not read. Blank and zero quantities choose nothing.
pub(super) fn chosen_stock(
    uses: &HashMap<BomLineId, LineUse>,
) -> Result<Vec<ChosenStock>, ApiError> {
    let mut chosen = Vec::new();
    let mut lines: Vec<_> = uses.iter().filter(|(_, u)| u.choose).collect();
    lines.sort_by_key(|(id, _)| **id);
    for (_, line) in lines {
        let mut items: Vec<_> = line.typed.iter().collect();
        items.sort_by_key(|(id, _)| **id);
        for (item_id, (label, text)) in items {
            let quantity = form::optional_quantity(label, text)?;
            if !quantity.is_zero() {
                chosen.push(ChosenStock {
                    item_id: *item_id,
                    quantity,
                });
            }
        }
    }
    Ok(chosen)
}

/// One BOM line in "Complete…": what it needs, and how its stock is used.
#[component]
pub(super) fn LineUseField(
    line: BomLine,
    uses: RwSignal<HashMap<BomLineId, LineUse>>,
    quantity: Memo<Option<Quantity>>,
) -> impl IntoView {
    let id = line.id;
    let choose = Memo::new(move |_| uses.with(|u| u.get(&id).is_some_and(|l| l.choose)));
    let set_choose = move |on: bool| uses.update(|u| u.entry(id).or_default().choose = on);
    let group = format!("consume-{id}");
    let (per, in_stock) = (line.quantity, line.in_stock);
    let figures = {
        let line = line.clone();
        move || {
            let need = quantity.get().and_then(|q| needed(&line, q));
            let short = need.is_some_and(|need| in_stock < need);
            view! {
                <p class="muted small">
                    {format!("{per} per assembly · needs {} · {in_stock} in stock", need.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned()))}
                    {short.then(|| view! { " "<span class="badge low">"short"</span> })}
                </p>
            }
        }
    };
    let name = line.sub_part.name.clone();
    view! {
        <fieldset class="consume">
            <legend>{name}</legend>
            {figures}
            <div class="consume-modes">
                <label class="check">
                    <input type="radio" name=group.clone() prop:checked=move || !choose.get() on:change=move |_| set_choose(false)/>
                    "Automatic: oldest stock first"
                </label>
                <label class="check">
                    <input type="radio" name=group prop:checked=move || choose.get() on:change=move |_| set_choose(true)/>
                    "Choose stock items"
                </label>
            </div>
            {move || choose.get().then(|| view! { <StockChoice line=line.clone() uses/> })}
        </fieldset>
    }
}

/// The stock items a line may use (its part's, and its variants' where the
/// line allows them), oldest first, each with a quantity to use.
#[component]
fn StockChoice(line: BomLine, uses: RwSignal<HashMap<BomLineId, LineUse>>) -> impl IntoView {
    let id = line.id;
    let part = line.sub_part.clone();
    let variants = line.allow_variants;
    let items = LocalResource::new(move || {
        let part = part.clone();
        async move {
            let mut found: Vec<(PartRef, StockItem)> =
                api::invoke::<commands::StockItems>(&part.id)
                    .await?
                    .into_iter()
                    .map(|item| (part.clone(), item))
                    .collect();
            if variants {
                let template = api::invoke::<commands::GetPart>(&part.id).await?;
                for variant in template.variants {
                    for item in api::invoke::<commands::StockItems>(&variant.id).await? {
                        found.push((variant.clone(), item));
                    }
                }
            }
            found.retain(|(_, item)| !item.quantity.is_zero());
            found.sort_by(|a, b| {
                a.1.created_at
                    .cmp(&b.1.created_at)
                    .then(a.1.id.cmp(&b.1.id))
            });
            Ok::<_, ApiError>(found)
        }
    });
    let name = line.sub_part.name.clone();
    view! {
        <div class="stock-choice">
            <p class="hint small">"Chosen items are used first; whatever they do not cover comes from the oldest stock."</p>
            {loaded(items, "Loading stock…", move |found| {
                if found.is_empty() {
                    return view! { <p class="muted">{format!("No stock of {name}{}.", if variants { " or its variants" } else { "" })}</p> }.into_any();
                }
                let rows = found.into_iter().map(|(part, item)| {
                    let place = item.location.as_ref().map(|l| l.path.clone()).unwrap_or_else(|| "no location".to_owned());
                    let batch = if item.batch.is_empty() { String::new() } else { format!(", batch {}", item.batch) };
                    let label = format!("Use of {} from {place}{batch}", part.name);
                    let item_id = item.id;
                    let stored_label = label.clone();
                    view! {
                        <tr>
                            {variants.then(|| view! { <td>{part.name.clone()}</td> })}
                            <td>{place.clone()}{(!item.batch.is_empty()).then(|| view! { " "<span class="mono muted small">{item.batch.clone()}</span> })}</td>
                            <td class="nowrap">{local_time(&item.created_at)}</td>
                            <td class="num">{item.quantity.to_string()}</td>
                            <td class="num">
                                <input type="text" class="qty" inputmode="decimal" placeholder="0" aria-label=label
                                    prop:value=move || uses.with(|u| u.get(&id).and_then(|l| l.typed.get(&item_id)).map(|t| t.1.clone()).unwrap_or_default())
                                    on:input=move |ev| {
                                        let text = event_target_value(&ev);
                                        let label = stored_label.clone();
                                        uses.update(|u| { u.entry(id).or_default().typed.insert(item_id, (label, text)); });
                                    }/>
                            </td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table class="table compact" aria-label=format!("Stock of {name}")>
                        <thead><tr>
                            {variants.then(|| view! { <th scope="col">"Part"</th> })}
                            <th scope="col">"Location"</th>
                            <th scope="col">"Added"</th>
                            <th scope="col" class="num">"In stock"</th>
                            <th scope="col" class="num">"Use"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        text.parse().expect("a quantity")
    }

    #[test]
    fn only_lines_choosing_stock_send_their_typed_quantities() {
        let mut uses = HashMap::new();
        uses.insert(
            BomLineId(1),
            LineUse {
                choose: true,
                typed: HashMap::from([
                    (
                        StockItemId(7),
                        ("Use of A from Bin 1".to_owned(), " 2 ".to_owned()),
                    ),
                    (
                        StockItemId(8),
                        ("Use of A from Bin 2".to_owned(), String::new()),
                    ),
                    (
                        StockItemId(9),
                        ("Use of A from Bin 3".to_owned(), "0".to_owned()),
                    ),
                ]),
            },
        );
        uses.insert(
            BomLineId(2),
            LineUse {
                choose: false,
                typed: HashMap::from([(StockItemId(5), ("Use of B".to_owned(), "4".to_owned()))]),
            },
        );
        assert_eq!(
            chosen_stock(&uses),
            Ok(vec![ChosenStock {
                item_id: StockItemId(7),
                quantity: q("2")
            }])
        );
        uses.get_mut(&BomLineId(1)).expect("line 1").typed.insert(
            StockItemId(8),
            ("Use of A from Bin 2".to_owned(), "lots".to_owned()),
        );
        let err = chosen_stock(&uses).expect_err("not a number");
        assert!(
            err.message.starts_with("Use of A from Bin 2: "),
            "{}",
            err.message
        );
    }
}
