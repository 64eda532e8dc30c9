//! A part's stock items, each where it is (a link to the location), with Add
//! / Remove / Count, Transfer, Merge (when there are two or more) and Delete;
//! and the "Add stock" dialog, which puts stock at a location.

use crate::api;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::location_picker::{LocationPicker, PickerText};
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use crate::components::transfer::{amount, place, TransferDialog};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::commands;
use partwatch_types::inventory::{
    AdjustStock, DeleteStock, MergeStock, NewStockItem, PartId, StockAdjustment, StockItem,
    StockItemId,
};
use std::collections::BTreeSet;

/// What a row's dialog is doing, with the item (and, to merge, the others).
#[derive(Debug, Clone)]
enum Doing {
    Adjust(StockItem, AdjustKind),
    Transfer(StockItem),
    Merge(StockItem, Vec<StockItem>),
    Delete(StockItem),
}

#[component]
pub(super) fn StockItems(part: PartId, units: String, reload: Reload) -> impl IntoView {
    let items = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::StockItems>(&part).await }
    });
    let doing = RwSignal::new(None::<Doing>);
    let units = StoredValue::new(units);
    let done = move || {
        doing.set(None);
        reload.bump();
    };
    view! {
        {loaded(items, "Loading stock…", move |value| match value {
                list if list.is_empty() => view! {
                    <p class="muted">"No stock yet. “Add stock” records what you have and where."</p>
                }.into_any(),
                list => {
                    let all = list.clone();
                    let can_merge = list.len() >= 2;
                    view! {
                        {data_table("Stock items", &[text("Location"), text("Batch"), number("Quantity"), ACTIONS], list, move |item| {
                                    let name = place(&item);
                                    let others: Vec<StockItem> = all.iter().filter(|o| o.id != item.id).cloned().collect();
                                    let row = StoredValue::new(item.clone());
                                    let open = move |what: fn(StockItem) -> Doing| doing.set(Some(what(row.get_value())));
                                    let others = StoredValue::new(others);
                                    view! {
                                        <tr>
                                            <td>{item.location.clone().map_or_else(
                                                || view! { <span class="muted">"—"</span> }.into_any(),
                                                |l| view! { <A href=routes::location(l.id)>{l.path}</A> }.into_any(),
                                            )}</td>
                                            <td class="mono">{item.batch.clone()}</td>
                                            <td class="num">{amount(item.quantity, &units.get_value())}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Add stock to {name}")
                                                    on:click=move |_| open(|i| Doing::Adjust(i, AdjustKind::Add))>"Add"</button>
                                                <button type="button" class="button small" aria-label=format!("Remove stock from {name}")
                                                    on:click=move |_| open(|i| Doing::Adjust(i, AdjustKind::Remove))>"Remove"</button>
                                                <button type="button" class="button small" aria-label=format!("Count stock at {name}")
                                                    on:click=move |_| open(|i| Doing::Adjust(i, AdjustKind::Count))>"Count"</button>
                                                <button type="button" class="button small" aria-label=format!("Transfer stock from {name}")
                                                    on:click=move |_| open(Doing::Transfer)>"Transfer"</button>
                                                {can_merge.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Merge other stock into {name}")
                                                        on:click=move |_| doing.set(Some(Doing::Merge(row.get_value(), others.get_value())))>"Merge"</button>
                                                })}
                                                <button type="button" class="button small danger" aria-label=format!("Delete stock at {name}")
                                                    on:click=move |_| open(Doing::Delete)>"Delete"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any()
                }
            })}
        {move || doing.get().map(|now| {
            let close = move || doing.set(None);
            match now {
                Doing::Adjust(item, kind) => view! {
                    <AdjustDialog item kind on_close=close on_saved=done/>
                }.into_any(),
                Doing::Transfer(item) => view! {
                    <TransferDialog item units=units.get_value() on_close=close on_saved=done/>
                }.into_any(),
                Doing::Merge(into, others) => view! {
                    <MergeDialog into others units=units.get_value() on_close=close on_saved=done/>
                }.into_any(),
                Doing::Delete(item) => {
                    let message = delete_message(&item, &units.get_value());
                    let action = api::action::<commands::DeleteStockItem>();
                    view! {
                        <ConfirmDialog title="Delete stock item".to_owned() message
                            confirm="Delete stock item".to_owned()
                            action
                            request=DeleteStock { item_id: item.id, reason: String::new() }
                            on_close=close
                            on_done=move |()| done()/>
                    }.into_any()
                }
            }
        })}
    }
}

/// What deleting an item does, in words.
fn delete_message(item: &StockItem, units: &str) -> String {
    let how_much = amount(item.quantity, units);
    let which = match item.location {
        Some(_) => format!("the stock item at {} ({how_much})", place(item)),
        None => format!("stock {} ({how_much}, in no location)", place(item)),
    };
    format!(
        "Delete {which}? Its {how_much} leave the part's stock; subscribers are told if that \
         takes the part below its minimum."
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdjustKind {
    Add,
    Remove,
    Count,
}

#[component]
fn AdjustDialog(
    item: StockItem,
    kind: AdjustKind,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = form::error();
    let save = api::action::<commands::AdjustStockCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let (title, label, submit) = match kind {
        AdjustKind::Add => ("Add stock", "Quantity to add", "Add"),
        AdjustKind::Remove => ("Remove stock", "Quantity to remove", "Remove"),
        AdjustKind::Count => ("Count stock", "Counted quantity", "Save count"),
    };
    let item_id = item.id;
    let on_submit = form::on_submit(save, error, move || {
        let adjustment = form::quantity(label, &quantity.get()).map(|q| match kind {
            AdjustKind::Add => StockAdjustment::Add(q),
            AdjustKind::Remove => StockAdjustment::Remove(q),
            AdjustKind::Count => StockAdjustment::Count(q),
        });
        adjustment.map(|adjustment| AdjustStock {
            item_id,
            adjustment,
            reason: reason.get(),
        })
    });
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=on_submit>
                <p class="muted">{format!("Now {} at {}", item.quantity, item.location.as_ref().map_or("no location", |l| l.path.as_str()))}</p>
                <TextField label=label value=quantity autofocus=true inputmode="decimal"/>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                <Failure error/>
                <DialogActions submit=submit busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

/// Merges other items of the part into `into`: their quantities move into
/// it and they are removed.
#[component]
fn MergeDialog(
    into: StockItem,
    others: Vec<StockItem>,
    units: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(BTreeSet::<StockItemId>::new());
    let reason = RwSignal::new(String::new());
    let error = form::error();
    let save = api::action::<commands::MergeStockCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let into_id = into.id;
    let on_submit = form::on_submit(save, error, move || {
        let from: Vec<StockItemId> = chosen.get_untracked().into_iter().collect();
        if from.is_empty() {
            return Err(form::invalid(
                "Choose at least one item to merge into this one.",
            ));
        }
        Ok(MergeStock {
            into: into_id,
            from,
            reason: reason.get_untracked(),
        })
    });
    let boxes = others
        .into_iter()
        .map(|other| {
            let id = other.id;
            let words = format!("{} — {}", place(&other), amount(other.quantity, &units));
            view! {
                <label class="check">
                    <input type="checkbox"
                        prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                        }/>
                    {words}
                </label>
            }
        })
        .collect_view();
    view! {
        <Dialog title="Merge stock".to_owned() on_close>
            <form on:submit=on_submit>
                <p class="muted">{format!("Into the item at {} (now {}).", place(&into), amount(into.quantity, &units))}</p>
                <fieldset class="checks stacked">
                    <legend>"Merge these items into it"</legend>
                    {boxes}
                </fieldset>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                <p class="hint small">"Their quantities move into this item and they are removed. The part's total does not change, so nobody is notified."</p>
                <Failure error/>
                <DialogActions submit="Merge" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
pub(super) fn NewStockDialog(
    part: PartId,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let quantity = RwSignal::new(String::new());
    let location = RwSignal::new(None);
    let location_text = PickerText::new();
    let batch = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = form::error();
    let save = api::action::<commands::AddStockItem>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = form::on_submit(save, error, move || {
        form::quantity("Quantity", &quantity.get()).and_then(|quantity| {
            Ok(NewStockItem {
                part_id: part,
                quantity,
                location_id: location_text.chosen("Location", location.get().as_ref())?,
                batch: batch.get(),
                reason: reason.get(),
            })
        })
    });
    view! {
        <Dialog title="Add stock".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Quantity" value=quantity autofocus=true inputmode="decimal"/>
                <LocationPicker label="Location" value=location text=location_text
                    hint="Adding to a place that already holds this part (same batch) adds to that item."/>
                <TextField label="Batch" value=batch mono=true placeholder="optional"/>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                <Failure error/>
                <DialogActions submit="Add to stock" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::{LocationId, LocationRef};
    use partwatch_types::Quantity;

    #[test]
    fn deleting_says_where_how_much_and_who_is_told() {
        let mut item = StockItem {
            id: StockItemId(4),
            part_id: PartId(1),
            quantity: Quantity::whole(12),
            location: Some(LocationRef {
                id: LocationId(2),
                path: "Store › Drawer A3".to_owned(),
            }),
            batch: String::new(),
            created_at: String::new(),
        };
        assert_eq!(
            delete_message(&item, "pcs"),
            "Delete the stock item at Store › Drawer A3 (12 pcs)? Its 12 pcs leave the part's \
             stock; subscribers are told if that takes the part below its minimum."
        );
        item.location = None;
        assert!(
            delete_message(&item, "").starts_with("Delete stock item 4 (12, in no location)?"),
            "{}",
            delete_message(&item, "")
        );
    }
}
