//! Webhooks: the list with "Send test", "Edit" and "Delete" (confirmed),
//! and the dialog that adds or edits one.

use super::{AdministratorsOnly, TeamSettings};
use crate::api;
use crate::components::card::CardHead;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::{ErrorText, Failure};
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, text, ACTIONS};
use leptos::prelude::*;
use partwatch_types::delivery::{UpdateWebhook, Webhook, WebhookInput, WebhookKind};
use partwatch_types::notifications::NotificationKind;
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn WebhooksSection() -> impl IntoView {
    let reload = Reload::new();
    let hooks = LocalResource::new(move || {
        reload.track();
        api::ask::<commands::ListWebhooks>()
    });
    let editing = RwSignal::new(None::<Option<Webhook>>);
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    let test = api::action::<commands::SendTestWebhook>();
    let deleting = RwSignal::new(None::<Webhook>);
    Effect::new(move |_| {
        if let Some(result) = test.value().get() {
            outcome.set(Some(result.map(|t| t.message)));
        }
    });
    let may_change = TeamSettings::get();
    view! {
        <section class="card" id="webhooks" aria-labelledby="webhooks-title">
            <CardHead id="webhooks-title" title="Webhooks" add="Add webhook" can_add=may_change on_add=move || editing.set(Some(None))/>
            <AdministratorsOnly/>
            <p class="muted">"Post every event of the kinds you choose to Slack, Discord or any web address — once per event, not per person."</p>
            {move || outcome.get().map(|r| match r {
                Ok(message) => view! { <p class="ok" role="status">{message}</p> }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
            {loaded(hooks, "Loading…", move |value| match value {
                    list if list.is_empty() => view! { <p class="muted">"No webhooks yet."</p> }.into_any(),
                    list => view! {
                        {data_table("Webhooks", &[text("Name"), text("Kind"), text("Events"), text("State"), ACTIONS], list, |h| {
                                    let id = h.id;
                                    let edit = h.clone();
                                    let doomed = h.clone();
                                    let events = h.events.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <tr>
                                            <td><span class="strong">{h.name.clone()}</span><br/><span class="mono muted small">{h.url.clone()}</span></td>
                                            <td>{h.kind.label()}</td>
                                            <td>{events}</td>
                                            <td>{if h.enabled { "On" } else { "Off" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Send test to {}", h.name)
                                                    disabled=move || test.pending().get() on:click=move |_| { test.dispatch(id); }>"Send test"</button>
                                                <button type="button" class="button small" aria-label=format!("Edit {}", h.name)
                                                    disabled=move || !may_change.get() on:click=move |_| editing.set(Some(Some(edit.clone())))>"Edit"</button>
                                                <button type="button" class="button small danger" aria-label=format!("Delete {}", h.name)
                                                    disabled=move || !may_change.get() on:click=move |_| deleting.set(Some(doomed.clone()))>"Delete"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                })}
        </section>
        {move || editing.get().map(|hook| view! {
            <WebhookDialog hook on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); reload.bump(); }/>
        })}
        {move || deleting.get().map(|hook| view! {
            <ConfirmDialog title="Delete webhook".to_owned()
                message=format!("Delete the webhook {}? {} stops getting Partwatch's events. This cannot be undone.", hook.name, hook.url)
                confirm="Delete webhook".to_owned()
                action={api::action::<commands::DeleteWebhook>()} request=hook.id
                on_close=move || deleting.set(None)
                on_done=move |()| { deleting.set(None); reload.bump(); }/>
        })}
    }
}

#[component]
fn WebhookDialog(
    hook: Option<Webhook>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let id = hook.as_ref().map(|h| h.id);
    let name = RwSignal::new(hook.as_ref().map(|h| h.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(hook.as_ref().map_or(WebhookKind::Slack, |h| h.kind));
    let url = RwSignal::new(hook.as_ref().map(|h| h.url.clone()).unwrap_or_default());
    let has = |k: NotificationKind, default: bool| {
        hook.as_ref().map_or(default, |h| h.events.contains(&k))
    };
    let low = RwSignal::new(has(NotificationKind::LowStock, true));
    let out = RwSignal::new(has(NotificationKind::OutOfStock, true));
    let back = RwSignal::new(has(NotificationKind::BackInStock, false));
    let build = RwSignal::new(has(NotificationKind::BuildShortage, true));
    let enabled = RwSignal::new(hook.as_ref().is_none_or(|h| h.enabled));
    let error = form::error();
    let save = Action::new_local(move |input: &WebhookInput| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => {
                    api::invoke::<commands::UpdateWebhookCommand>(&UpdateWebhook {
                        id,
                        webhook: input,
                    })
                    .await
                }
                None => api::invoke::<commands::CreateWebhook>(&input).await,
            }
        }
    });
    api::on_success(save, error, move |_| on_saved.run(()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut events = Vec::new();
        for (on, k) in [
            (low.get(), NotificationKind::LowStock),
            (out.get(), NotificationKind::OutOfStock),
            (back.get(), NotificationKind::BackInStock),
            (build.get(), NotificationKind::BuildShortage),
        ] {
            if on {
                events.push(k);
            }
        }
        save.dispatch(WebhookInput {
            name: name.get(),
            kind: kind.get(),
            url: url.get(),
            events,
            enabled: enabled.get(),
        });
    };
    let title = if id.is_some() {
        "Edit webhook"
    } else {
        "Add webhook"
    };
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=submit>
                <TextField label="Name" value=name autofocus=true placeholder="#stores on Slack"/>
                <div class="field">
                    <label for="field-hook-kind">"Kind"</label>
                    <select id="field-hook-kind" on:change=move |ev| kind.set(WebhookKind::parse(&event_target_value(&ev)).unwrap_or(WebhookKind::Generic))
                        prop:value=move || kind.get().as_str()>
                        {WebhookKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="Web address" value=url mono=true input_type="url" placeholder="https://hooks.slack.com/services/…"/>
                <fieldset class="checks">
                    <legend>"Events"</legend>
                    <CheckField label="Low stock" value=low/>
                    <CheckField label="Out of stock" value=out/>
                    <CheckField label="Back in stock" value=back/>
                    <CheckField label="Build shortage" value=build/>
                </fieldset>
                <CheckField label="Enabled" value=enabled/>
                <Failure error/>
                <DialogActions submit="Save webhook" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
