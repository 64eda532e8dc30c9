//! "Complete…" of an order in production: how many, where the assemblies
//! go and which stock each BOM line uses (refused while a line is short,
//! unless completed anyway with what there is); then what the completion
//! used and made, shown on the list's page.

use super::stock_use::{chosen_stock, LineUse, LineUseField};
use super::{left_to_complete, progress, short_for, short_table, ResultCard};
use crate::api;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::location_picker::{LocationPicker, PickerText};
use crate::components::table::{data_table, number, text};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::commands;
use partwatch_types::inventory::{
    BomLineId, BuildCompletion, BuildOrder, BuildStatus, CompleteBuild, LocationRef,
};
use std::collections::HashMap;

#[component]
pub(super) fn CompleteBuildDialog(
    order: BuildOrder,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<BuildCompletion>,
) -> impl IntoView {
    let left = left_to_complete(&order);
    let assembly = order.part.id;
    let id = order.id;
    let quantity = RwSignal::new(left.to_string());
    let location = RwSignal::new(None::<LocationRef>);
    let location_text = PickerText::new();
    let accept = RwSignal::new(false);
    let offer_anyway = RwSignal::new(false);
    let error = form::error();
    let uses = RwSignal::new(HashMap::<BomLineId, LineUse>::new());
    let bom =
        LocalResource::new(
            move || async move { api::invoke::<commands::BomLines>(&assembly).await },
        );
    let typed_quantity =
        Memo::new(move |_| form::quantity("Quantity to complete", &quantity.get()).ok());

    let complete = api::action::<commands::CompleteBuildCommand>();
    api::on_success(complete, error, move |done| on_done.run(done));
    // Refused while a line is short: offer to complete with what there is.
    Effect::new(move |_| {
        if let Some(Err(_)) = complete.value().get() {
            let short = match (bom.get_untracked(), typed_quantity.get_untracked()) {
                (Some(Ok(bom)), Some(q)) => !short_for(&bom.lines, q).is_empty(),
                _ => false,
            };
            if short {
                offer_anyway.set(true);
            }
        }
    });
    let on_submit = form::on_submit(complete, error, move || {
        let quantity = form::quantity("Quantity to complete", &quantity.get())?;
        if quantity.is_zero() {
            return Err(form::invalid(
                "Quantity to complete: more than zero, please.",
            ));
        }
        if quantity > left {
            return Err(form::invalid(format!(
                "Quantity to complete: only {left} left of this order."
            )));
        }
        Ok(CompleteBuild {
            id,
            quantity,
            location_id: location_text
                .chosen("Where the assemblies go", location.get().as_ref())?,
            chosen: uses.with(chosen_stock)?,
            accept_shortage: offer_anyway.get() && accept.get(),
        })
    });
    let title = format!("Complete {}", order.reference);
    let intro = format!(
        "{} of {} × {} completed so far; {left} left.",
        order.completed, order.quantity, order.part.name
    );
    view! {
        <Dialog title on_close>
            <form on:submit=on_submit>
                <p class="muted">{intro}</p>
                <div class="field-row">
                    <TextField label="Quantity to complete" value=quantity inputmode="decimal"/>
                </div>
                <LocationPicker label="Where the assemblies go" value=location text=location_text
                    hint="The stock item the finished assemblies go into."/>
                <h3 class="sub-heading">"Components"</h3>
                {loaded(bom, "Loading the bill of materials…", move |bom| {
                    if bom.lines.is_empty() {
                        view! { <p class="muted">"This assembly has no BOM lines: completing uses no stock."</p> }.into_any()
                    } else {
                        bom.lines.into_iter().map(|line| view! { <LineUseField line uses quantity=typed_quantity/> }).collect_view().into_any()
                    }
                })}
                <Failure error/>
                {move || offer_anyway.get().then(|| view! {
                    <CheckField label="Complete anyway, using what is in stock" value=accept/>
                })}
                <DialogActions submit="Complete build" busy=complete.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

/// What a completion used and made.
#[component]
pub(super) fn CompletionResult(
    done: BuildCompletion,
    #[prop(into)] on_dismiss: Callback<()>,
) -> impl IntoView {
    let order = done.order;
    let made = done.made;
    let title = if order.status == BuildStatus::Complete {
        format!("{} complete", order.reference)
    } else {
        format!("{}: {} completed", order.reference, progress(&order))
    };
    let place = made
        .location
        .map(|l| format!("at {}", l.path))
        .unwrap_or_else(|| "with no location".to_owned());
    let summary = format!(
        "Made {} × {}, now in stock {place} (batch {}).",
        made.quantity, order.part.name, made.batch
    );
    let short = done.short_lines;
    let any_short = !short.is_empty();
    let consumed = done.consumed;
    view! {
        <ResultCard id="completion-title" title warn=any_short on_dismiss>
            <p>{summary}" "<A href=routes::part(order.part.id)>{format!("Open {}", order.part.name)}</A></p>
            {if consumed.is_empty() {
                view! { <p class="muted">"No stock was used."</p> }.into_any()
            } else {
                data_table("Stock used", &[text("Part"), text("From"), number("Used")], consumed, |c| view! {
                    <tr>
                        <td><A href=routes::part(c.part.id)>{c.part.name}</A></td>
                        <td>{if c.location.is_empty() { "No location".to_owned() } else { c.location }}</td>
                        <td class="num">{c.quantity.to_string()}</td>
                    </tr>
                })
            }}
            {any_short.then(|| view! {
                <p>"Completed short of stock: these lines used all there was."</p>
                {short_table("Lines completed short", ["Needed", "Used"], short, true)}
            })}
        </ResultCard>
    }
}
