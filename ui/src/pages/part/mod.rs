//! One part: its figures with the low-stock marker, the bell (and what else
//! covers it), stock items with Add / Remove / Count, its details (editable,
//! minimum included), template and variants, the assemblies it is used in,
//! the stock history, and "Delete part…" (confirmed; refused, with the
//! core's reason, while anything still refers to it).

mod edit;
mod history;
mod stock;
mod used_in;

use self::edit::EditPartDialog;
use self::history::StockHistory;
use self::stock::{NewStockDialog, StockItems};
use self::used_in::UsedIn;
use crate::api;
use crate::components::bell::{SubscribeBell, Watched};
use crate::components::card::CardHead;
use crate::components::confirm::ConfirmDialog;
use crate::components::loader::{for_id_param, opened};
use crate::components::reload::Reload;
use crate::components::snooze::SnoozeControl;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::commands;
use partwatch_types::inventory::{Part, PartId};
use partwatch_types::notifications::SnoozeTarget;
use partwatch_types::Quantity;

#[component]
pub fn PartPage() -> impl IntoView {
    for_id_param("part", |id: PartId| view! { <PartView id/> })
}

#[component]
fn PartView(id: PartId) -> impl IntoView {
    let reload = Reload::new();
    let part = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::GetPart>(&id).await }
    });
    opened(
        part,
        "part",
        move |part| view! { <PartDetails part reload/> },
    )
}

#[component]
fn PartDetails(part: Part, reload: Reload) -> impl IntoView {
    let editing = RwSignal::new(false);
    let adding = RwSignal::new(false);
    let deleting = RwSignal::new(false);
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
    let delete_name = part.name.clone();
    let navigate = use_navigate();
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
                <SnoozeControl target=SnoozeTarget::Part(id) name=part.name.clone()/>
                <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit part"</button>
                <button type="button" class="button danger" on:click=move |_| deleting.set(true)>"Delete part…"</button>
            </div>
        </div>
        <dl class="figures" aria-label="Stock figures">
            <div class="figure" class:warn=f.is_low><dt>"In stock"</dt><dd>{with_units(f.in_stock)}</dd></div>
            <div class="figure"><dt>"Reserved"</dt><dd>{with_units(f.reserved)}</dd></div>
            <div class="figure"><dt>"Available"</dt><dd>{with_units(f.available)}</dd></div>
            <div class="figure"><dt>"Minimum stock"</dt><dd>{if f.minimum_stock == Quantity::ZERO { "none".to_owned() } else { with_units(f.minimum_stock) }}</dd></div>
        </dl>
        {part.variant_of.clone().map(|t| view! {
            <p class="related">"Variant of "<A href=routes::part(t.id)>{t.name}</A></p>
        })}
        {(!part.variants.is_empty()).then(|| {
            let variants = part.variants.clone();
            view! {
                <p class="related">"Variants: "
                    {variants.into_iter().enumerate().map(|(i, v)| view! {
                        {(i > 0).then_some(", ")}<A href=routes::part(v.id)>{v.name}</A>
                    }).collect_view()}
                </p>
            }
        })}
        <section class="card" aria-labelledby="stock-title">
            <CardHead id="stock-title" title="Stock" add="Add stock" on_add=move || adding.set(true)/>
            <StockItems part=id units=part.units.clone() reload/>
        </section>
        {part.is_assembly.then(|| view! { <crate::pages::bom::BomSection assembly=id on_change=move || reload.bump()/> })}
        <UsedIn part=id units=part.units.clone() reload/>
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"Stock history"</h2>
            <StockHistory part=id reload/>
        </section>
        {move || editing.get().then(|| view! {
            <EditPartDialog part=edit_part.clone() on_close=move || editing.set(false)
                on_saved=move || { editing.set(false); reload.bump(); }/>
        })}
        {move || deleting.get().then(|| {
            let navigate = navigate.clone();
            view! {
                <ConfirmDialog title="Delete part".to_owned()
                    message=format!("Delete {}? Its stock history goes with it. This cannot be undone.", delete_name)
                    confirm="Delete part".to_owned()
                    action={api::action::<commands::DeletePart>()} request=id
                    on_close=move || deleting.set(false)
                    on_done=move |()| navigate(routes::PARTS, Default::default())/>
            }
        })}
        {move || adding.get().then(|| view! {
            <NewStockDialog part=id on_close=move || adding.set(false)
                on_saved=move || { adding.set(false); reload.bump(); }/>
        })}
    }
}

/// Parts › every category from the top down to the part's own.
#[component]
fn PartBreadcrumbs(category: Option<partwatch_types::inventory::CategoryRef>) -> impl IntoView {
    let id = category.as_ref().map(|c| c.id);
    let path = LocalResource::new(move || async move {
        match id {
            Some(id) => api::invoke::<commands::GetCategory>(&id).await.map(|c| {
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
            <A href=routes::PARTS>"Parts"</A>
            {move || {
                let trail = path.get().and_then(Result::ok).unwrap_or_else(|| category.clone().into_iter().collect());
                trail.into_iter().map(|c| view! { <span aria-hidden="true">"›"</span><A href=routes::category(c.id)>{c.name}</A> }).collect_view()
            }}
        </nav>
    }
}
