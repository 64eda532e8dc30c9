//! Build orders: the list with status, how many are done, and a status
//! filter; starting, completing ("Complete…": how many, where the
//! assemblies go, which stock each BOM line uses) and cancelling (confirmed)
//! an order; and "New build order" (an assembly picker, quantity, the next
//! free reference, "Check stock" before creating), which shows the shortage
//! check's result — the short lines — right after creation.

use crate::api;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::{ErrorText, Failure};
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::location_picker::{LocationPicker, PickerText};
use crate::components::part_picker::{Offer, PartPicker};
use crate::components::reload::Reload;
use crate::components::table::{data_table, hidden, number, text};
use crate::format::local_time;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{
    BomLine, BomLineId, BuildCompletion, BuildOrder, BuildStatus, CheckBuild, ChosenStock,
    CompleteBuild, CreatedBuildOrder, LocationRef, NewBuildOrder, PartId, PartRef, SetBuildStatus,
    ShortLine, StockItem, StockItemId,
};
use partwatch_types::{commands, ApiError, Quantity};
use std::collections::HashMap;

/// What is left to complete of an order.
pub fn left_to_complete(order: &BuildOrder) -> Quantity {
    order.quantity.saturating_sub(order.completed)
}

/// "1 / 3": completed of ordered.
pub fn progress(order: &BuildOrder) -> String {
    format!("{} / {}", order.completed, order.quantity)
}

/// What a line needs for `quantity` assemblies; `None` when that overflows.
pub fn needed(line: &BomLine, quantity: Quantity) -> Option<Quantity> {
    line.quantity.checked_mul(quantity)
}

/// The lines whose stock cannot cover `quantity` assemblies.
pub fn short_for(lines: &[BomLine], quantity: Quantity) -> Vec<&BomLine> {
    lines
        .iter()
        .filter(|l| needed(l, quantity).is_none_or(|need| l.in_stock < need))
        .collect()
}

#[component]
pub fn BuildsPage() -> impl IntoView {
    let filter = RwSignal::new(None::<BuildStatus>);
    let reload = Reload::new();
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedBuildOrder>);
    let completing = RwSignal::new(None::<BuildOrder>);
    let completion = RwSignal::new(None::<BuildCompletion>);
    let cancelling = RwSignal::new(None::<BuildOrder>);
    let builds = LocalResource::new(move || {
        reload.track();
        let status = filter.get();
        async move { api::invoke::<commands::ListBuilds>(&status).await }
    });
    let start = api::action::<commands::SetBuildStatusCommand>();
    let status_error = RwSignal::new(None::<ApiError>);
    api::on_success(start, status_error, move |_| {
        reload.bump();
    });
    view! {
        <div class="page-head">
            <h1>"Build orders"</h1>
            <div class="head-actions">
                <button type="button" class="button primary" on:click=move |_| creating.set(true)>"New build order"</button>
            </div>
        </div>
        {move || created.get().map(|result| view! { <ShortageResult result on_dismiss=move || created.set(None)/> })}
        {move || completion.get().map(|done| view! { <CompletionResult done on_dismiss=move || completion.set(None)/> })}
        <section class="card" aria-labelledby="builds-title">
            <div class="card-head">
                <h2 id="builds-title">"Orders"</h2>
                <div class="field inline">
                    <label for="field-status">"Status"</label>
                    <select id="field-status" on:change=move |ev| filter.set(BuildStatus::parse(&event_target_value(&ev)))>
                        <option value="">"All"</option>
                        {BuildStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {move || status_error.get().map(|err| view! { <ErrorText err/> })}
            {loaded(builds, "Loading build orders…", move |value| match value {
                    list if list.is_empty() => view! {
                        <div class="empty"><p>"No build orders."</p><p class="muted">"“New build order” checks at once whether the parts are in stock."</p></div>
                    }.into_any(),
                    list => view! {
                        {data_table("Build orders", &[text("Reference"), text("Assembly"), number("Completed"), text("Status"), text("Responsible"), text("Created"), hidden("Status changes")], list, |b| {
                                    let id = b.id;
                                    let reference = b.reference.clone();
                                    let can_start = b.status.can_become(BuildStatus::InProduction);
                                    let can_complete = b.status == BuildStatus::InProduction;
                                    let can_cancel = b.status.can_become(BuildStatus::Cancelled);
                                    let (to_complete, to_cancel) = (b.clone(), b.clone());
                                    let done = progress(&b);
                                    view! {
                                        <tr>
                                            <td class="mono">{b.reference.clone()}</td>
                                            <td><A href=routes::part(b.part.id)>{b.part.name.clone()}</A></td>
                                            <td class="num">{done}</td>
                                            <td><span class=format!("badge status-{}", b.status.as_str())>{b.status.label()}</span></td>
                                            <td>{b.responsible.map(|u| u.name).unwrap_or_else(|| "—".to_owned())}</td>
                                            <td class="nowrap">{local_time(&b.created_at)}</td>
                                            <td class="row-actions">
                                                {can_start.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Start {reference}")
                                                        disabled=move || start.pending().get()
                                                        on:click=move |_| { start.dispatch(SetBuildStatus { id, status: BuildStatus::InProduction }); }>
                                                        "Start"
                                                    </button>
                                                })}
                                                {can_complete.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Complete {reference}")
                                                        on:click=move |_| completing.set(Some(to_complete.clone()))>
                                                        "Complete…"
                                                    </button>
                                                })}
                                                {can_cancel.then(|| view! {
                                                    <button type="button" class="button small danger" aria-label=format!("Cancel {reference}")
                                                        on:click=move |_| cancelling.set(Some(to_cancel.clone()))>
                                                        "Cancel…"
                                                    </button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                })}
        </section>
        {move || creating.get().then(|| view! {
            <NewBuildDialog on_close=move || creating.set(false)
                on_created=move |result: CreatedBuildOrder| { creating.set(false); created.set(Some(result)); reload.bump(); }/>
        })}
        {move || completing.get().map(|order| view! {
            <CompleteBuildDialog order on_close=move || completing.set(None)
                on_done=move |done: BuildCompletion| { completing.set(None); completion.set(Some(done)); reload.bump(); }/>
        })}
        {move || cancelling.get().map(|order| view! {
            <ConfirmDialog title="Cancel build order".to_owned()
                message=format!("Cancel build order {}? Its reserved stock is released. This cannot be undone.", order.reference)
                confirm="Cancel order".to_owned()
                action={api::action::<commands::SetBuildStatusCommand>()}
                request={SetBuildStatus { id: order.id, status: BuildStatus::Cancelled }}
                on_close=move || cancelling.set(None)
                on_done=move |_| { cancelling.set(None); reload.bump(); }/>
        })}
    }
}

/// What a completion used and made.
#[component]
fn CompletionResult(
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
        <section class="card result" class:warn=any_short role="status" aria-labelledby="completion-title">
            <div class="card-head">
                <h2 id="completion-title">{title}</h2>
                <button type="button" class="button small" on:click=move |_| on_dismiss.run(())>"Dismiss"</button>
            </div>
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
                {data_table("Lines completed short", &[text("Part"), number("Needed"), number("Used")], short, |line| view! {
                    <tr>
                        <td><A href=routes::part(line.part.id)>{line.part.name}</A></td>
                        <td class="num">{line.required.to_string()}</td>
                        <td class="num warn">{line.available.to_string()}</td>
                    </tr>
                })}
            })}
        </section>
    }
}

/// The shortage check of the order just created.
#[component]
fn ShortageResult(
    result: CreatedBuildOrder,
    #[prop(into)] on_dismiss: Callback<()>,
) -> impl IntoView {
    let order = result.order;
    let short = result.short_lines;
    let title = format!("{} created", order.reference);
    let any_short = !short.is_empty();
    view! {
        <section class="card result" class:warn=any_short role="status" aria-labelledby="result-title">
            <div class="card-head">
                <h2 id="result-title">{title}</h2>
                <button type="button" class="button small" on:click=move |_| on_dismiss.run(())>"Dismiss"</button>
            </div>
            {if !any_short {
                view! { <p>{format!("Every part for {} × {} is in stock.", order.quantity, order.part.name)}</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{} short for {} × {}. The assembly's subscribers and the responsible user have been notified.", parts_short(short.len()), order.quantity, order.part.name)}</p>
                    {data_table("Short parts", &[text("Part"), number("Required"), number("Available")], short, |line| view! {
                                <tr>
                                    <td><A href=routes::part(line.part.id)>{line.part.name}</A></td>
                                    <td class="num">{line.required.to_string()}</td>
                                    <td class="num warn">{line.available.to_string()}</td>
                                </tr>
                            })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn NewBuildDialog(
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
    let error = RwSignal::new(None::<ApiError>);
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
            .ok_or_else(|| form::invalid("Choose the assembly to build."))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let order = || {
            Ok(NewBuildOrder {
                reference: reference.get().trim().to_owned(),
                part_id: chosen_assembly()?,
                quantity: form::quantity("Quantity", &quantity.get())?,
                responsible_id: responsible.get().parse().ok(),
            })
        };
        form::submit(create, error, order());
    };
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
                                {data_table("Stock check", &[text("Part"), number("Required"), number("Available")], short, |line| view! {
                                    <tr>
                                        <td>{line.part.name}</td>
                                        <td class="num">{line.required.to_string()}</td>
                                        <td class="num warn">{line.available.to_string()}</td>
                                    </tr>
                                })}
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

/// "1 part is" / "3 parts are".
fn parts_short(count: usize) -> String {
    if count == 1 {
        "1 part is".to_owned()
    } else {
        format!("{count} parts are")
    }
}

/// How one BOM line's stock is used in a completion: the oldest first, or
/// items chosen with quantities (used first; the rest still comes from the
/// oldest stock).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LineUse {
    choose: bool,
    /// By item: what the quantity field is named, and what was typed.
    typed: HashMap<StockItemId, (String, String)>,
}

/// The stock items chosen for the lines in "choose" mode, or why a typed
/// quantity does not read. Blank and zero quantities choose nothing.
fn chosen_stock(uses: &HashMap<BomLineId, LineUse>) -> Result<Vec<ChosenStock>, ApiError> {
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

#[component]
fn CompleteBuildDialog(
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
    let error = RwSignal::new(None::<ApiError>);
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
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = || {
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
        };
        form::submit(complete, error, request());
    };
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

/// One BOM line in "Complete…": what it needs, and how its stock is used.
#[component]
fn LineUseField(
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
    use partwatch_types::inventory::BuildOrderId;

    fn q(text: &str) -> Quantity {
        text.parse().expect("a quantity")
    }

    fn order(quantity: &str, completed: &str) -> BuildOrder {
        BuildOrder {
            id: BuildOrderId(3),
            reference: "BO-0003".to_owned(),
            part: PartRef {
                id: PartId(1),
                name: "Motor driver board".to_owned(),
            },
            quantity: q(quantity),
            completed: q(completed),
            status: BuildStatus::InProduction,
            responsible: None,
            created_by: None,
            created_at: String::new(),
        }
    }

    fn line(id: i64, per: &str, in_stock: &str) -> BomLine {
        BomLine {
            id: BomLineId(id),
            assembly_id: PartId(1),
            sub_part: PartRef {
                id: PartId(10 + id),
                name: format!("Part {id}"),
            },
            quantity: q(per),
            allow_variants: false,
            in_stock: q(in_stock),
            available: q(in_stock),
        }
    }

    #[test]
    fn an_order_shows_what_is_done_and_left() {
        let o = order("3", "1");
        assert_eq!(progress(&o), "1 / 3");
        assert_eq!(left_to_complete(&o), q("2"));
        assert_eq!(left_to_complete(&order("3", "3")), Quantity::ZERO);
    }

    #[test]
    fn a_line_is_short_when_its_stock_does_not_cover_the_quantity() {
        let lines = [line(1, "2", "6"), line(2, "4", "11"), line(3, "0.5", "1.5")];
        let short: Vec<_> = short_for(&lines, q("3")).iter().map(|l| l.id).collect();
        assert_eq!(short, [BomLineId(2)]);
        assert!(short_for(&lines, q("2")).is_empty());
        assert_eq!(needed(&lines[2], q("3")), Some(q("1.5")));
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
