//! "New build order": an assembly picker, quantity, the next free reference
//! and who is responsible, with "Check stock" before creating; then the
//! shortage check of the order created, shown on the list's page.

use super::{short_table, ResultCard};
use crate::api;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::part_picker::{Offer, PartPicker};
use leptos::prelude::*;
use partwatch_types::inventory::{
    CheckBuild, CreatedBuildOrder, NewBuildOrder, PartId, PartRef, ShortLine,
};
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn NewBuildDialog(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<CreatedBuildOrder>,
) -> impl IntoView {
    let users = LocalResource::new(|| async { api::ask::<commands::ListUsers>().await });
    let me = LocalResource::new(api::ask::<commands::CurrentUser>);
    let next_reference = LocalResource::new(api::ask::<commands::SuggestBuildReference>);
    let assembly = RwSignal::new(None::<PartRef>);
    let quantity = RwSignal::new("1".to_owned());
    let responsible = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let error = form::error();
    Effect::new(move |_| {
        if let (Some(Ok(me)), true) = (me.get(), responsible.get_untracked().is_empty()) {
            responsible.set(me.id.to_string());
        }
    });
    let create = api::action::<commands::CreateBuild>();
    api::on_success(create, error, move |result| on_created.run(result));
    let chosen_assembly = move || -> Result<PartId, ApiError> {
        assembly
            .get()
            .map(|p| p.id)
            .ok_or_else(|| form::invalid("Choose the assembly to build.").on_field("Assembly"))
    };
    let on_submit = form::on_submit(create, error, move || {
        Ok(NewBuildOrder {
            reference: reference.get().trim().to_owned(),
            part_id: chosen_assembly()?,
            quantity: form::quantity("Quantity", &quantity.get())?,
            responsible_id: responsible.get().parse().ok(),
        })
    });
    // "Check stock": the shortage check without an order, for what the
    // fields say now (a result for other fields is not shown).
    let check = Action::new_local(|request: &(CheckBuild, String)| {
        let (request, name) = request.clone();
        async move {
            api::invoke::<commands::CheckBuildCommand>(&request)
                .await
                .map(|short| (request, name, short))
        }
    });
    let check_error = RwSignal::new(None::<ApiError>);
    let checked = RwSignal::new(None::<(CheckBuild, String, Vec<ShortLine>)>);
    api::on_success(check, check_error, move |result| checked.set(Some(result)));
    let run_check = move |_| {
        let request = || {
            let part = assembly
                .get()
                .ok_or_else(|| form::invalid("Choose the assembly to check."))?;
            let quantity = form::quantity("Quantity", &quantity.get())?;
            Ok((
                CheckBuild {
                    part_id: part.id,
                    quantity,
                },
                part.name,
            ))
        };
        checked.set(None);
        form::submit(check, check_error, request());
    };
    let current_check = move || {
        let result = checked.get()?;
        let part = assembly.get()?;
        let quantity = form::quantity("Quantity", &quantity.get()).ok()?;
        (result.0.part_id == part.id && result.0.quantity == quantity).then_some(result)
    };
    let reference_hint = move || match next_reference.get() {
        Some(Ok(next)) => next,
        _ => "next free".to_owned(),
    };
    view! {
        <Dialog title="New build order".to_owned() on_close>
            <form on:submit=on_submit>
                <PartPicker label="Assembly" value=assembly offer=Offer::Assemblies active_only=true
                    placeholder="Search assemblies by name or IPN"/>
                <div class="field-row">
                    <TextField label="Quantity" value=quantity inputmode="decimal"/>
                    <div class="field">
                        <label for="field-reference">"Reference"</label>
                        <input id="field-reference" type="text" class="mono" placeholder=reference_hint
                            aria-describedby="field-reference-hint"
                            prop:value=move || reference.get() on:input=move |ev| reference.set(event_target_value(&ev))/>
                        <span class="hint small" id="field-reference-hint">
                            {move || format!("Leave empty for the next free one, {}.", reference_hint())}
                        </span>
                    </div>
                </div>
                <div class="field">
                    <label for="field-responsible">"Responsible"</label>
                    <select id="field-responsible" on:change=move |ev| responsible.set(event_target_value(&ev)) prop:value=move || responsible.get()>
                        <option value="">"Nobody"</option>
                        {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|u| u.active)
                            .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="check-row">
                    <button type="button" class="button" disabled=move || check.pending().get() on:click=run_check>"Check stock"</button>
                    <span class="hint small">"Only looks: creates nothing and tells nobody."</span>
                </div>
                <Failure error=check_error/>
                {move || current_check().map(|(request, name, short)| {
                    if short.is_empty() {
                        view! { <p class="ok" role="status">{format!("Everything is in stock for {} × {name}.", request.quantity)}</p> }.into_any()
                    } else {
                        view! {
                            <div role="status">
                                <p class="warn-text">{format!("{} short for {} × {name}:", parts_short(short.len()), request.quantity)}</p>
                                {short_table("Stock check", ["Required", "Available"], short, false)}
                            </div>
                        }.into_any()
                    }
                })}
                <Failure error/>
                <DialogActions submit="Create build order" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

/// The shortage check of the order just created.
#[component]
pub(super) fn ShortageResult(
    result: CreatedBuildOrder,
    #[prop(into)] on_dismiss: Callback<()>,
) -> impl IntoView {
    let order = result.order;
    let short = result.short_lines;
    let title = format!("{} created", order.reference);
    let any_short = !short.is_empty();
    view! {
        <ResultCard id="result-title" title warn=any_short on_dismiss>
            {if !any_short {
                view! { <p>{format!("Every part for {} × {} is in stock.", order.quantity, order.part.name)}</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{} short for {} × {}. The assembly's subscribers and the responsible user have been notified.", parts_short(short.len()), order.quantity, order.part.name)}</p>
                    {short_table("Short parts", ["Required", "Available"], short, true)}
                }.into_any()
            }}
        </ResultCard>
    }
}

/// "1 part is" / "3 parts are".
fn parts_short(count: usize) -> String {
    if count == 1 {
        "1 part is".to_owned()
    } else {
        format!("{count} parts are")
    }
}
