//! One part: its figures with the low-stock marker, the bell (and what else
//! covers it), stock items with Add / Remove / Count, its details (editable,
//! minimum included), template and variants, and the stock history.

use crate::api;
use crate::components::bell::{SubscribeBell, Watched};
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::ErrorText;
use crate::pages::parts::{category_options, parse_quantity};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use partwatch_types::inventory::{
    AdjustStock, NewStockItem, Part, PartId, PartInput, StockAdjustment, StockChangeKind,
    StockItem, UpdatePart,
};
use partwatch_types::{ApiError, Quantity};

#[component]
pub fn PartPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PartId>().ok())
    };
    view! {
        {move || match id() {
            Some(id) => view! { <PartView id/> }.into_any(),
            None => view! { <div class="card error" role="alert"><h2>"No such part"</h2></div> }.into_any(),
        }}
    }
}

/// What changed on the page, so everything that shows it reloads together.
#[derive(Clone, Copy)]
struct Reload(RwSignal<u32>);

impl Reload {
    fn bump(self) {
        self.0.update(|n| *n += 1);
    }
    fn track(self) -> u32 {
        self.0.get()
    }
}

#[component]
fn PartView(id: PartId) -> impl IntoView {
    let reload = Reload(RwSignal::new(0));
    let part = LocalResource::new(move || {
        reload.track();
        api::get_part(id)
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading the part…"</p> }>
            {move || part.get().map(|result| match result {
                Ok(part) => view! { <PartDetails part reload/> }.into_any(),
                Err(err) => view! { <div class="card error" role="alert"><h2>"This part could not be opened"</h2><p>{err.message}</p></div> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn PartDetails(part: Part, reload: Reload) -> impl IntoView {
    let editing = RwSignal::new(false);
    let adding = RwSignal::new(false);
    let units = part.units.clone();
    let with_units = move |q: Quantity| {
        if units.is_empty() {
            q.to_string()
        } else {
            format!("{q} {units}")
        }
    };
    let f = part.figures;
    let id = part.id;
    let edit_part = part.clone();
    view! {
        <PartBreadcrumbs category=part.category.clone()/>
        <div class="page-head">
            <div>
                <div class="title-line">
                    <h1>{part.name.clone()}</h1>
                    {f.is_low.then(|| view! { <span class="badge low">"low stock"</span> })}
                    {part.is_template.then(|| view! { <span class="badge">"template"</span> })}
                    {part.is_assembly.then(|| view! { <span class="badge">"assembly"</span> })}
                    {(!part.active).then(|| view! { <span class="badge">"inactive"</span> })}
                </div>
                {part.ipn.clone().map(|ipn| view! { <p class="muted mono">"IPN "{ipn}</p> })}
                {(!part.description.is_empty()).then(|| view! { <p class="lede">{part.description.clone()}</p> })}
            </div>
            <div class="head-actions">
                <SubscribeBell watched=Watched::Part(id)/>
                <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit part"</button>
            </div>
        </div>
        <dl class="figures" aria-label="Stock figures">
            <div class="figure" class:warn=f.is_low><dt>"In stock"</dt><dd>{with_units(f.in_stock)}</dd></div>
            <div class="figure"><dt>"Reserved"</dt><dd>{with_units(f.reserved)}</dd></div>
            <div class="figure"><dt>"Available"</dt><dd>{with_units(f.available)}</dd></div>
            <div class="figure"><dt>"Minimum stock"</dt><dd>{if f.minimum_stock == Quantity::ZERO { "none".to_owned() } else { with_units(f.minimum_stock) }}</dd></div>
        </dl>
        {part.variant_of.clone().map(|t| view! {
            <p class="related">"Variant of "<A href=format!("/parts/{}", t.id)>{t.name}</A></p>
        })}
        {(!part.variants.is_empty()).then(|| {
            let variants = part.variants.clone();
            view! {
                <p class="related">"Variants: "
                    {variants.into_iter().enumerate().map(|(i, v)| view! {
                        {(i > 0).then_some(", ")}<A href=format!("/parts/{}", v.id)>{v.name}</A>
                    }).collect_view()}
                </p>
            }
        })}
        <section class="card" aria-labelledby="stock-title">
            <div class="card-head">
                <h2 id="stock-title">"Stock"</h2>
                <button type="button" class="button" on:click=move |_| adding.set(true)>"Add stock"</button>
            </div>
            <StockItems part=id units=part.units.clone() reload/>
        </section>
        {part.is_assembly.then(|| view! { <crate::pages::bom::BomSection assembly=id on_change=move || reload.bump()/> })}
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"Stock history"</h2>
            <StockHistory part=id reload/>
        </section>
        {move || editing.get().then(|| view! {
            <EditPartDialog part=edit_part.clone() on_close=move || editing.set(false)
                on_saved=move || { editing.set(false); reload.bump(); }/>
        })}
        {move || adding.get().then(|| view! {
            <NewStockDialog part=id on_close=move || adding.set(false)
                on_saved=move || { adding.set(false); reload.bump(); }/>
        })}
    }
}

#[component]
fn StockItems(part: PartId, units: String, reload: Reload) -> impl IntoView {
    let items = LocalResource::new(move || {
        reload.track();
        api::stock_items(part)
    });
    let adjusting = RwSignal::new(None::<(StockItem, AdjustKind)>);
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading stock…"</p> }>
            {move || items.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! {
                    <p class="muted">"No stock yet. “Add stock” records what you have and where."</p>
                }.into_any(),
                Ok(list) => {
                    let units = units.clone();
                    view! {
                        <table class="table" aria-label="Stock items">
                            <thead><tr><th scope="col">"Location"</th><th scope="col">"Batch"</th><th scope="col" class="num">"Quantity"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|item| {
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
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </Suspense>
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
    let save = Action::new_local(|request: &AdjustStock| {
        let request = request.clone();
        async move { api::adjust_stock(&request).await }
    });
    api::on_success(save, error, move |_| on_saved.run(()));
    let (title, label, submit) = match kind {
        AdjustKind::Add => ("Add stock", "Quantity to add", "Add"),
        AdjustKind::Remove => ("Remove stock", "Quantity to remove", "Remove"),
        AdjustKind::Count => ("Count stock", "Counted quantity", "Save count"),
    };
    let item_id = item.id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = match quantity.get().trim().parse::<Quantity>() {
            Ok(q) => q,
            Err(e) => {
                return error.set(Some(ApiError::new(
                    partwatch_types::ErrorCode::InvalidInput,
                    format!("{label}: {e}"),
                )))
            }
        };
        let adjustment = match kind {
            AdjustKind::Add => StockAdjustment::Add(q),
            AdjustKind::Remove => StockAdjustment::Remove(q),
            AdjustKind::Count => StockAdjustment::Count(q),
        };
        save.dispatch(AdjustStock {
            item_id,
            adjustment,
            reason: reason.get(),
        });
    };
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=on_submit>
                <p class="muted">{format!("Now {} at {}", item.quantity, if item.location.is_empty() { "an unnamed location" } else { &item.location })}</p>
                <TextField label=label value=quantity autofocus=true inputmode="decimal"/>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit=submit busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
fn NewStockDialog(
    part: PartId,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let quantity = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let batch = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(|input: &NewStockItem| {
        let input = input.clone();
        async move { api::add_stock_item(&input).await }
    });
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = match quantity.get().trim().parse::<Quantity>() {
            Ok(q) => q,
            Err(e) => {
                return error.set(Some(ApiError::new(
                    partwatch_types::ErrorCode::InvalidInput,
                    format!("Quantity: {e}"),
                )))
            }
        };
        save.dispatch(NewStockItem {
            part_id: part,
            quantity: q,
            location: location.get(),
            batch: batch.get(),
            reason: String::new(),
        });
    };
    view! {
        <Dialog title="Add stock".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Quantity" value=quantity autofocus=true inputmode="decimal"/>
                <TextField label="Location" value=location placeholder="e.g. Drawer A3"/>
                <TextField label="Batch" value=batch mono=true placeholder="optional"/>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Add to stock" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
fn EditPartDialog(
    part: Part,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let tree = LocalResource::new(api::category_tree);
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    let name = RwSignal::new(part.name.clone());
    let ipn = RwSignal::new(part.ipn.clone().unwrap_or_default());
    let units = RwSignal::new(part.units.clone());
    let minimum = RwSignal::new(if part.figures.minimum_stock == Quantity::ZERO {
        String::new()
    } else {
        part.figures.minimum_stock.to_string()
    });
    let description = RwSignal::new(part.description.clone());
    let category = RwSignal::new(
        part.category
            .as_ref()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    );
    let template = RwSignal::new(part.is_template);
    let assembly = RwSignal::new(part.is_assembly);
    let active = RwSignal::new(part.active);
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(|request: &UpdatePart| {
        let request = request.clone();
        async move { api::update_part(&request).await }
    });
    api::on_success(save, error, move |_| on_saved.run(()));
    let id = part.id;
    let variant_of = part.variant_of.as_ref().map(|t| t.id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let minimum_stock = match parse_quantity("Minimum stock", &minimum.get()) {
            Ok(q) => q,
            Err(err) => return error.set(Some(err)),
        };
        let ipn = ipn.get();
        save.dispatch(UpdatePart {
            id,
            input: PartInput {
                name: name.get(),
                ipn: (!ipn.trim().is_empty()).then_some(ipn),
                description: description.get(),
                category_id: category.get().parse().ok(),
                units: units.get(),
                is_template: template.get(),
                variant_of,
                is_assembly: assembly.get(),
                active: active.get(),
                minimum_stock,
            },
        });
    };
    view! {
        <Dialog title="Edit part".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Name" value=name autofocus=true/>
                <div class="field-row">
                    <TextField label="IPN" value=ipn mono=true/>
                    <TextField label="Units" value=units/>
                </div>
                <div class="field">
                    <label for="field-category">"Category"</label>
                    <select id="field-category" on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get()>
                        {move || category_options(&nodes.get(), "No category")}
                    </select>
                </div>
                <TextField label="Minimum stock" value=minimum inputmode="decimal" placeholder="0 = no minimum"/>
                <TextField label="Description" value=description/>
                <div class="field-row">
                    <CheckField label="Template (has variants)" value=template/>
                    <CheckField label="Assembly (has a BOM)" value=assembly/>
                    <CheckField label="Active" value=active/>
                </div>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Save" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
fn StockHistory(part: PartId, reload: Reload) -> impl IntoView {
    let history = LocalResource::new(move || {
        reload.track();
        api::stock_history(part)
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading history…"</p> }>
            {move || history.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing has happened to this part's stock yet."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="table" aria-label="Stock history">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col" class="num">"Change"</th><th scope="col" class="num">"After"</th><th scope="col">"Who"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr>
                                    <td class="nowrap">{crate::format::local_time(&e.at)}</td>
                                    <td>{match e.kind {
                                        StockChangeKind::Create => "New item",
                                        StockChangeKind::Add => "Added",
                                        StockChangeKind::Remove => "Removed",
                                        StockChangeKind::Count => "Counted",
                                        StockChangeKind::Delete => "Deleted",
                                    }}</td>
                                    <td class="num mono">{e.delta}</td>
                                    <td class="num">{e.quantity_after.to_string()}</td>
                                    <td>{e.user.unwrap_or_default()}</td>
                                    <td>{e.reason}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Parts › every category from the top down to the part's own.
#[component]
fn PartBreadcrumbs(category: Option<partwatch_types::inventory::CategoryRef>) -> impl IntoView {
    let id = category.as_ref().map(|c| c.id);
    let path = LocalResource::new(move || async move {
        match id {
            Some(id) => api::get_category(id).await.map(|c| {
                let mut trail = c.ancestors;
                trail.push(partwatch_types::inventory::CategoryRef {
                    id: c.id,
                    name: c.name,
                });
                trail
            }),
            None => Ok(Vec::new()),
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/parts">"Parts"</A>
            {move || {
                let trail = path.get().and_then(Result::ok).unwrap_or_else(|| category.clone().into_iter().collect());
                trail.into_iter().map(|c| view! { <span aria-hidden="true">"›"</span><A href=format!("/categories/{}", c.id)>{c.name}</A> }).collect_view()
            }}
        </nav>
    }
}
