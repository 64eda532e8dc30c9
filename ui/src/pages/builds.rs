//! Build orders: the list with status and a status filter, status changes,
//! and "New build order" (assembly, quantity, responsible), which shows the
//! shortage check's result — the short lines — right after creation.

use crate::api;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::{ErrorText, Failure};
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, hidden, number, text};
use crate::format::local_time;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{
    BuildStatus, CreatedBuildOrder, NewBuildOrder, Page, PartQuery, PartRow, SetBuildStatus,
};
use partwatch_types::{commands, ApiError};

#[component]
pub fn BuildsPage() -> impl IntoView {
    let filter = RwSignal::new(None::<BuildStatus>);
    let reload = Reload::new();
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedBuildOrder>);
    let builds = LocalResource::new(move || {
        reload.track();
        let status = filter.get();
        async move { api::invoke::<commands::ListBuilds>(&status).await }
    });
    let set_status = api::action::<commands::SetBuildStatusCommand>();
    let status_error = RwSignal::new(None::<ApiError>);
    api::on_success(set_status, status_error, move |_| {
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
                        {data_table("Build orders", &[text("Reference"), text("Assembly"), number("Quantity"), text("Status"), text("Responsible"), text("Created"), hidden("Status changes")], list, |b| {
                                    let moves: Vec<(BuildStatus, &'static str)> = [
                                        (BuildStatus::InProduction, "Start"),
                                        (BuildStatus::Complete, "Complete"),
                                        (BuildStatus::Cancelled, "Cancel"),
                                    ].into_iter().filter(|(s, _)| b.status.can_become(*s)).collect();
                                    let id = b.id;
                                    let reference = b.reference.clone();
                                    view! {
                                        <tr>
                                            <td class="mono">{b.reference.clone()}</td>
                                            <td><A href=routes::part(b.part.id)>{b.part.name.clone()}</A></td>
                                            <td class="num">{b.quantity.to_string()}</td>
                                            <td><span class=format!("badge status-{}", b.status.as_str())>{b.status.label()}</span></td>
                                            <td>{b.responsible.map(|u| u.name).unwrap_or_else(|| "—".to_owned())}</td>
                                            <td class="nowrap">{local_time(&b.created_at)}</td>
                                            <td class="row-actions">
                                                {moves.into_iter().map(|(next, verb)| view! {
                                                    <button type="button" class="button small" aria-label=format!("{verb} {reference}")
                                                        disabled=move || set_status.pending().get()
                                                        on:click=move |_| { set_status.dispatch(SetBuildStatus { id, status: next }); }>
                                                        {verb}
                                                    </button>
                                                }).collect_view()}
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
                    <p>{format!("{} short for {} × {}. The assembly's subscribers and the responsible user have been notified.", if short.len() == 1 { "1 part is".to_owned() } else { format!("{} parts are", short.len()) }, order.quantity, order.part.name)}</p>
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
    let assemblies = LocalResource::new(|| async {
        api::invoke::<commands::ListParts>(&PartQuery {
            assemblies_only: true,
            active: Some(true),
            page_size: 500,
            ..PartQuery::default()
        })
        .await
    });
    let users = LocalResource::new(|| async { api::ask::<commands::ListUsers>().await });
    let me = LocalResource::new(api::ask::<commands::CurrentUser>);
    let assembly = RwSignal::new(String::new());
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
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let order = || {
            Ok(NewBuildOrder {
                reference: reference.get().trim().to_owned(),
                part_id: form::chosen(&assembly.get(), "Choose the assembly to build.")?,
                quantity: form::quantity("Quantity", &quantity.get())?,
                responsible_id: responsible.get().parse().ok(),
            })
        };
        form::submit(create, error, order());
    };
    let assembly_options = move || -> Vec<PartRow> {
        assemblies
            .get()
            .and_then(Result::ok)
            .map(|p: Page<PartRow>| p.items)
            .unwrap_or_default()
    };
    view! {
        <Dialog title="New build order".to_owned() on_close>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="field-assembly">"Assembly"</label>
                    <select id="field-assembly" on:change=move |ev| assembly.set(event_target_value(&ev)) prop:value=move || assembly.get()>
                        <option value="">"Choose an assembly…"</option>
                        {move || assembly_options().into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <TextField label="Quantity" value=quantity inputmode="decimal"/>
                    <TextField label="Reference" value=reference mono=true placeholder="next free, e.g. BO-0007"/>
                </div>
                <div class="field">
                    <label for="field-responsible">"Responsible"</label>
                    <select id="field-responsible" on:change=move |ev| responsible.set(event_target_value(&ev)) prop:value=move || responsible.get()>
                        <option value="">"Nobody"</option>
                        {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|u| u.active)
                            .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                    </select>
                </div>
                <Failure error/>
                <DialogActions submit="Create build order" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
