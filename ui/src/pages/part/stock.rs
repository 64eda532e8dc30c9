//! Stock items with Add / Remove / Count, and the "Add stock" dialog for a
//! new item.

use crate::api;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{AdjustStock, NewStockItem, PartId, StockAdjustment, StockItem};
use partwatch_types::ApiError;

#[component]
pub(super) fn StockItems(part: PartId, units: String, reload: Reload) -> impl IntoView {
    let items = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::StockItems>(&part).await }
    });
    let adjusting = RwSignal::new(None::<(StockItem, AdjustKind)>);
    view! {
        {loaded(items, "Loading stock…", move |value| match value {
                list if list.is_empty() => view! {
                    <p class="muted">"No stock yet. “Add stock” records what you have and where."</p>
                }.into_any(),
                list => {
                    let units = units.clone();
                    view! {
                        {data_table("Stock items", &[text("Location"), text("Batch"), number("Quantity"), ACTIONS], list, |item| {
                                    let place = if item.location.is_empty() { format!("item {}", item.id) } else { item.location.clone() };
                                    let (a, r, c) = (item.clone(), item.clone(), item.clone());
                                    view! {
                                        <tr>
                                            <td>{if item.location.is_empty() { "—".to_owned() } else { item.location.clone() }}</td>
                                            <td class="mono">{item.batch.clone()}</td>
                                            <td class="num">{item.quantity.to_string()}" "{units.clone()}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Add stock to {place}") on:click=move |_| adjusting.set(Some((a.clone(), AdjustKind::Add)))>"Add"</button>
                                                <button type="button" class="button small" aria-label=format!("Remove stock from {place}") on:click=move |_| adjusting.set(Some((r.clone(), AdjustKind::Remove)))>"Remove"</button>
                                                <button type="button" class="button small" aria-label=format!("Count stock at {place}") on:click=move |_| adjusting.set(Some((c.clone(), AdjustKind::Count)))>"Count"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any()
                }
            })}
        {move || adjusting.get().map(|(item, kind)| view! {
            <AdjustDialog item kind on_close=move || adjusting.set(None)
                on_saved=move || { adjusting.set(None); reload.bump(); }/>
        })}
    }
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
    let error = RwSignal::new(None::<ApiError>);
    let save = api::action::<commands::AdjustStockCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let (title, label, submit) = match kind {
        AdjustKind::Add => ("Add stock", "Quantity to add", "Add"),
        AdjustKind::Remove => ("Remove stock", "Quantity to remove", "Remove"),
        AdjustKind::Count => ("Count stock", "Counted quantity", "Save count"),
    };
    let item_id = item.id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let adjustment = form::quantity(label, &quantity.get()).map(|q| match kind {
            AdjustKind::Add => StockAdjustment::Add(q),
            AdjustKind::Remove => StockAdjustment::Remove(q),
            AdjustKind::Count => StockAdjustment::Count(q),
        });
        let request = adjustment.map(|adjustment| AdjustStock {
            item_id,
            adjustment,
            reason: reason.get(),
        });
        form::submit(save, error, request);
    };
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=on_submit>
                <p class="muted">{format!("Now {} at {}", item.quantity, if item.location.is_empty() { "an unnamed location" } else { &item.location })}</p>
                <TextField label=label value=quantity autofocus=true inputmode="decimal"/>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                <Failure error/>
                <DialogActions submit=submit busy=save.pending().into() on_cancel=on_close/>
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
    let location = RwSignal::new(String::new());
    let batch = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let save = api::action::<commands::AddStockItem>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form::quantity("Quantity", &quantity.get()).map(|quantity| NewStockItem {
            part_id: part,
            quantity,
            location: location.get(),
            batch: batch.get(),
            reason: String::new(),
        });
        form::submit(save, error, input);
    };
    view! {
        <Dialog title="Add stock".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Quantity" value=quantity autofocus=true inputmode="decimal"/>
                <TextField label="Location" value=location placeholder="e.g. Drawer A3"/>
                <TextField label="Batch" value=batch mono=true placeholder="optional"/>
                <Failure error/>
                <DialogActions submit="Add to stock" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
