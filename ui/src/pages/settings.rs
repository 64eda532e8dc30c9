//! Settings: notifications (global switches, retention, popups, and your own
//! channel preferences), email (the SMTP form with a write-only password and
//! "Send test email"), webhooks, users, and the delivery log with "Retry".

use crate::api;
use crate::components::centre::Centre;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::ErrorText;
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::delivery::{
    ChannelKind, Delivery, DeliveryQuery, DeliveryStatus, EmailSecurity, EmailSettings,
    PasswordChange, SaveEmailSettings, SendTestEmail, TestSent, UpdateWebhook, Webhook,
    WebhookInput, WebhookKind,
};
use partwatch_types::desktop::{
    DesktopSettings, DesktopStatus, PauseFor, PopupPause, UpdateDesktop,
};
use partwatch_types::inventory::{NewUser, RenameUser, SetUserEmail, User};
use partwatch_types::notifications::{GlobalSettings, NotificationKind, UserSettings};
use partwatch_types::{commands, ApiError, ErrorCode};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <div class="page-head"><h1>"Settings"</h1></div>
        <nav class="section-nav" aria-label="Settings sections">
            <a href="#notifications">"Notifications"</a>
            <a href="#desktop">"Desktop"</a>
            <a href="#email">"Email"</a>
            <a href="#webhooks">"Webhooks"</a>
            <a href="#users">"Users"</a>
            <a href="#deliveries">"Delivery log"</a>
        </nav>
        <NotificationSettings/>
        <MyPreferences/>
        <DesktopSection/>
        <EmailSection/>
        <WebhooksSection/>
        <UsersSection/>
        <DeliveryLog/>
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

/// A save button with "Saved" or the error beside it.
#[component]
fn SaveRow(
    label: &'static str,
    busy: Signal<bool>,
    saved: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <div class="save-row">
            <button type="submit" class="button primary" disabled=move || busy.get()>{label}</button>
            {move || saved.get().then(|| view! { <span class="ok" role="status">"Saved"</span> })}
            {move || error.get().map(|err| view! { <span class="field-error" role="alert">{err.message}</span> })}
        </div>
    }
}

#[component]
fn NotificationSettings() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let loaded = LocalResource::new(|| api::ask::<GlobalSettings>(commands::GLOBAL_SETTINGS));
    let enabled = RwSignal::new(true);
    let low = RwSignal::new(true);
    let builds = RwSignal::new(true);
    let popups = RwSignal::new(true);
    let days = RwSignal::new("30".to_owned());
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            enabled.set(s.notifications_enabled);
            low.set(s.low_stock_enabled);
            builds.set(s.build_orders_enabled);
            popups.set(s.os_popups_enabled);
            days.set(s.delete_after_days.to_string());
        }
    });
    let save = Action::new_local(|s: &GlobalSettings| {
        let s = *s;
        async move { api::call::<_, GlobalSettings>(commands::UPDATE_GLOBAL_SETTINGS, &s).await }
    });
    api::on_success(save, error, move |s| {
        saved.set(true);
        centre.enabled.set(s.notifications_enabled);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(delete_after_days) = days.get().trim().parse::<i64>() else {
            return error.set(Some(invalid("Delete after: enter a number of days.")));
        };
        save.dispatch(GlobalSettings {
            notifications_enabled: enabled.get(),
            low_stock_enabled: low.get(),
            build_orders_enabled: builds.get(),
            delete_after_days,
            os_popups_enabled: popups.get(),
        });
    };
    view! {
        <section class="card" id="notifications" aria-labelledby="global-title">
            <h2 id="global-title">"Notifications"</h2>
            <p class="muted">"For everyone using this database."</p>
            <form on:submit=submit class="settings-form">
                <CheckField label="Notifications are on" value=enabled/>
                <div class="indent">
                    <CheckField label="Low stock notifications" value=low/>
                    <CheckField label="Build order notifications" value=builds/>
                    <CheckField label="Desktop popups" value=popups/>
                </div>
                <TextField label="Delete notifications after (days)" value=days inputmode="numeric" hint="Between 7 and 3650 days."/>
                <SaveRow label="Save notification settings" busy=save.pending().into() saved error/>
            </form>
        </section>
    }
}

#[component]
fn MyPreferences() -> impl IntoView {
    let loaded = LocalResource::new(|| api::ask::<UserSettings>(commands::MY_SETTINGS));
    let email = RwSignal::new(true);
    let popups = RwSignal::new(true);
    let back = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            email.set(s.email_enabled);
            popups.set(s.os_popups_enabled);
            back.set(s.back_in_stock);
        }
    });
    let save = Action::new_local(|s: &UserSettings| {
        let s = *s;
        async move { api::call::<_, UserSettings>(commands::UPDATE_MY_SETTINGS, &s).await }
    });
    api::on_success(save, error, move |_| {
        saved.set(true);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.dispatch(UserSettings {
            email_enabled: email.get(),
            os_popups_enabled: popups.get(),
            back_in_stock: back.get(),
        });
    };
    view! {
        <section class="card" aria-labelledby="mine-title">
            <h2 id="mine-title">"Your preferences"</h2>
            <form on:submit=submit class="settings-form">
                <CheckField label="Email me" value=email/>
                <CheckField label="Show me desktop popups" value=popups/>
                <CheckField label="Tell me when a part is back in stock" value=back/>
                <SaveRow label="Save my preferences" busy=save.pending().into() saved error/>
            </form>
        </section>
    }
}

#[component]
fn EmailSection() -> impl IntoView {
    let loaded = LocalResource::new(|| api::ask::<EmailSettings>(commands::EMAIL_SETTINGS));
    let enabled = RwSignal::new(false);
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("587".to_owned());
    let security = RwSignal::new(EmailSecurity::Starttls);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_set = RwSignal::new(false);
    let clear_password = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let instance = RwSignal::new("Partwatch".to_owned());
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let show = move |s: &EmailSettings| {
        enabled.set(s.enabled);
        host.set(s.host.clone());
        port.set(s.port.to_string());
        security.set(s.security);
        username.set(s.username.clone().unwrap_or_default());
        password.set(String::new());
        password_set.set(s.password_set);
        clear_password.set(false);
        from.set(s.from_address.clone());
        instance.set(s.instance_name.clone());
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            show(&s);
        }
    });
    let save = Action::new_local(|s: &SaveEmailSettings| {
        let s = s.clone();
        async move { api::call::<_, EmailSettings>(commands::SAVE_EMAIL_SETTINGS, &s).await }
    });
    api::on_success(save, error, move |s| {
        saved.set(true);
        show(&s);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(port_number) = port.get().trim().parse::<u16>() else {
            return error.set(Some(invalid("Port: enter a number between 1 and 65535.")));
        };
        let user = username.get();
        let new_password = password.get();
        save.dispatch(SaveEmailSettings {
            enabled: enabled.get(),
            host: host.get(),
            port: port_number,
            security: security.get(),
            username: (!user.trim().is_empty()).then_some(user),
            password: if clear_password.get() {
                PasswordChange::Clear
            } else if new_password.is_empty() {
                PasswordChange::Keep
            } else {
                PasswordChange::Set(new_password)
            },
            from_address: from.get(),
            instance_name: instance.get(),
        });
    };
    // Send test email
    let test_to = RwSignal::new(String::new());
    let test = Action::new_local(|to: &String| {
        let request = SendTestEmail {
            to: (!to.trim().is_empty()).then(|| to.trim().to_owned()),
        };
        async move { api::call::<_, TestSent>(commands::SEND_TEST_EMAIL, &request).await }
    });
    view! {
        <section class="card" id="email" aria-labelledby="email-title">
            <h2 id="email-title">"Email"</h2>
            <p class="muted">"Partwatch sends email through your mail server (SMTP)."</p>
            <form on:submit=submit class="settings-form">
                <CheckField label="Send email notifications" value=enabled/>
                <div class="field-row">
                    <TextField label="Mail server" value=host placeholder="smtp.example.com"/>
                    <TextField label="Port" value=port inputmode="numeric"/>
                </div>
                <div class="field">
                    <label for="field-security">"Security"</label>
                    <select id="field-security" on:change=move |ev| {
                        let chosen = EmailSecurity::parse(&event_target_value(&ev)).unwrap_or_default();
                        security.set(chosen);
                        port.set(chosen.default_port().to_string());
                    } prop:value=move || security.get().as_str()>
                        {EmailSecurity::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <TextField label="Username" value=username placeholder="optional"/>
                    <TextField label="Password" value=password input_type="password"
                        hint="Never shown again once saved; leave empty to keep it."/>
                </div>
                <p class="muted small">{move || if password_set.get() { "A password is saved." } else { "No password saved." }}</p>
                {move || password_set.get().then(|| view! { <CheckField label="Remove the saved password" value=clear_password/> })}
                <div class="field-row">
                    <TextField label="Sender address" value=from placeholder="Stores <stores@example.com>"/>
                    <TextField label="Instance name" value=instance hint="Starts every subject: [Instance] Low stock: …"/>
                </div>
                <SaveRow label="Save email settings" busy=save.pending().into() saved error/>
            </form>
            <form class="test-row" on:submit=move |ev| { ev.prevent_default(); test.dispatch(test_to.get()); }>
                <TextField label="Send a test to" value=test_to placeholder="your address" input_type="email"/>
                <button type="submit" class="button" disabled=move || test.pending().get()>
                    {move || if test.pending().get() { "Sending…" } else { "Send test email" }}
                </button>
            </form>
            {move || test.value().get().map(|result| match result {
                Ok(sent) => view! { <p class="ok" role="status">{sent.message}</p> }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn WebhooksSection() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let hooks = LocalResource::new(move || {
        reload.get();
        api::ask::<Vec<Webhook>>(commands::LIST_WEBHOOKS)
    });
    let editing = RwSignal::new(None::<Option<Webhook>>);
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    let test = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::call::<_, TestSent>(commands::SEND_TEST_WEBHOOK, &id).await }
    });
    let delete = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::call::<_, ()>(commands::DELETE_WEBHOOK, &id).await }
    });
    Effect::new(move |_| {
        if let Some(result) = test.value().get() {
            outcome.set(Some(result.map(|t| t.message)));
        }
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(err)) => outcome.set(Some(Err(err))),
        None => {}
    });
    view! {
        <section class="card" id="webhooks" aria-labelledby="webhooks-title">
            <div class="card-head">
                <h2 id="webhooks-title">"Webhooks"</h2>
                <button type="button" class="button" on:click=move |_| editing.set(Some(None))>"Add webhook"</button>
            </div>
            <p class="muted">"Post every event of the kinds you choose to Slack, Discord or any web address — once per event, not per person."</p>
            {move || outcome.get().map(|r| match r {
                Ok(message) => view! { <p class="ok" role="status">{message}</p> }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || hooks.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No webhooks yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="table" aria-label="Webhooks">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Events"</th><th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|h| {
                                    let id = h.id;
                                    let edit = h.clone();
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
                                                    on:click=move |_| editing.set(Some(Some(edit.clone())))>"Edit"</button>
                                                <button type="button" class="button small danger" aria-label=format!("Delete {}", h.name)
                                                    on:click=move |_| { delete.dispatch(id); }>"Delete"</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! { <ErrorText err/> }.into_any(),
                })}
            </Suspense>
        </section>
        {move || editing.get().map(|hook| view! {
            <WebhookDialog hook on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); reload.update(|n| *n += 1); }/>
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
    let back = RwSignal::new(has(NotificationKind::BackInStock, false));
    let build = RwSignal::new(has(NotificationKind::BuildShortage, true));
    let enabled = RwSignal::new(hook.as_ref().is_none_or(|h| h.enabled));
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |input: &WebhookInput| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => {
                    api::call::<_, Webhook>(
                        commands::UPDATE_WEBHOOK,
                        &UpdateWebhook { id, webhook: input },
                    )
                    .await
                }
                None => api::call::<_, Webhook>(commands::CREATE_WEBHOOK, &input).await,
            }
        }
    });
    api::on_success(save, error, move |_| on_saved.run(()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut events = Vec::new();
        for (on, k) in [
            (low.get(), NotificationKind::LowStock),
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
                    <CheckField label="Back in stock" value=back/>
                    <CheckField label="Build shortage" value=build/>
                </fieldset>
                <CheckField label="Enabled" value=enabled/>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Save webhook" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
fn UsersSection() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let users = LocalResource::new(move || {
        reload.get();
        api::ask::<Vec<User>>(commands::LIST_USERS)
    });
    let editing = RwSignal::new(None::<Option<User>>);
    view! {
        <section class="card" id="users" aria-labelledby="users-title">
            <div class="card-head">
                <h2 id="users-title">"Users"</h2>
                <button type="button" class="button" on:click=move |_| editing.set(Some(None))>"New user"</button>
            </div>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || users.get().map(|result| match result {
                    Ok(list) => view! {
                        <table class="table" aria-label="Users">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| {
                                    let edit = u.clone();
                                    view! {
                                        <tr>
                                            <td>{u.name.clone()}</td>
                                            <td>{u.email.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                            <td>{if u.active { "Active" } else { "Inactive" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Edit {}", u.name)
                                                    on:click=move |_| editing.set(Some(Some(edit.clone())))>"Edit"</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! { <ErrorText err/> }.into_any(),
                })}
            </Suspense>
        </section>
        {move || editing.get().map(|user| view! {
            <UserDialog user on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); reload.update(|n| *n += 1); }/>
        })}
    }
}

#[component]
fn UserDialog(
    user: Option<User>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let original = user.clone();
    let name = RwSignal::new(user.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let email = RwSignal::new(
        user.as_ref()
            .and_then(|u| u.email.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |(name, email): &(String, String)| {
        let (name, email) = (name.clone(), email.clone());
        let original = original.clone();
        async move {
            let email = (!email.trim().is_empty()).then(|| email.trim().to_owned());
            match original {
                None => api::call::<_, User>(commands::CREATE_USER, &NewUser { name, email })
                    .await
                    .map(|_| ()),
                Some(u) => {
                    if u.name != name {
                        api::call::<_, User>(commands::RENAME_USER, &RenameUser { id: u.id, name })
                            .await?;
                    }
                    if u.email != email {
                        api::call::<_, User>(
                            commands::SET_USER_EMAIL,
                            &SetUserEmail { id: u.id, email },
                        )
                        .await?;
                    }
                    Ok(())
                }
            }
        }
    });
    api::on_success(save, error, move |()| on_saved.run(()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch((name.get(), email.get()));
    };
    let title = if user.is_some() {
        "Edit user"
    } else {
        "New user"
    };
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=submit>
                <TextField label="Name" value=name autofocus=true/>
                <TextField label="Email address" value=email input_type="email" placeholder="optional, for email notifications"/>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Save user" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
fn DeliveryLog() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let refresh = RwSignal::new(0_u32);
    let status = RwSignal::new(None::<DeliveryStatus>);
    let channel = RwSignal::new(None::<ChannelKind>);
    let log = LocalResource::new(move || {
        refresh.get();
        centre.version.get();
        let query = DeliveryQuery {
            status: status.get(),
            channel: channel.get(),
            limit: 100,
            ..DeliveryQuery::default()
        };
        async move { api::call::<_, Vec<Delivery>>(commands::LIST_DELIVERIES, &query).await }
    });
    let retry = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::call::<_, Delivery>(commands::RETRY_DELIVERY, &id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    api::on_success(retry, error, move |_| {
        refresh.update(|n| *n += 1);
    });
    view! {
        <section class="card" id="deliveries" aria-labelledby="log-title">
            <div class="card-head">
                <h2 id="log-title">"Delivery log"</h2>
                <div class="head-actions">
                    <div class="field inline">
                        <label for="field-log-status">"Status"</label>
                        <select id="field-log-status" on:change=move |ev| status.set(DeliveryStatus::parse(&event_target_value(&ev)))>
                            <option value="">"Any"</option>
                            {DeliveryStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{status_label(s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field inline">
                        <label for="field-log-channel">"Channel"</label>
                        <select id="field-log-channel" on:change=move |ev| channel.set(ChannelKind::parse(&event_target_value(&ev)))>
                            <option value="">"Any"</option>
                            {ChannelKind::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="button" class="button small" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
                </div>
            </div>
            {move || error.get().map(|err| view! { <ErrorText err/> })}
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || log.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing has been sent outside the app yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="table" aria-label="Deliveries">
                            <thead><tr><th scope="col">"When"</th><th scope="col">"Channel"</th><th scope="col">"Notification"</th><th scope="col">"To"</th><th scope="col">"Status"</th><th scope="col" class="num">"Attempts"</th><th scope="col">"Last error"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let id = d.id;
                                    let can_retry = matches!(d.status, DeliveryStatus::Failed | DeliveryStatus::Skipped);
                                    view! {
                                        <tr>
                                            <td class="nowrap">{local_time(&d.created_at)}</td>
                                            <td>{d.channel.label()}</td>
                                            <td>{d.title.clone()}</td>
                                            <td>{d.recipient.clone()}</td>
                                            <td><span class=format!("badge delivery-{}", d.status.as_str())>{status_label(d.status)}</span></td>
                                            <td class="num">{d.attempts}</td>
                                            <td class="error-text">{d.last_error.clone().unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                {can_retry.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Retry delivery {id}")
                                                        on:click=move |_| { retry.dispatch(id); }>"Retry"</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! { <ErrorText err/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn status_label(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "Pending",
        DeliveryStatus::Sent => "Sent",
        DeliveryStatus::Failed => "Failed",
        DeliveryStatus::Skipped => "Skipped",
    }
}

/// The tray, closing the window, start at login, pausing popups, the log folder.
#[component]
fn DesktopSection() -> impl IntoView {
    let status = RwSignal::new(None::<DesktopStatus>);
    let loaded = LocalResource::new(|| api::ask::<DesktopStatus>(commands::DESKTOP_STATUS));
    let close_to_tray = RwSignal::new(true);
    let at_login = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let show = move |s: DesktopStatus| {
        close_to_tray.set(s.settings.close_to_tray);
        at_login.set(s.start_at_login);
        status.set(Some(s));
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            show(s);
        }
    });
    let save = Action::new_local(|u: &UpdateDesktop| {
        let u = *u;
        async move { api::call::<_, DesktopStatus>(commands::UPDATE_DESKTOP, &u).await }
    });
    api::on_success(save, error, move |s| {
        saved.set(true);
        show(s);
    });
    let pause = Action::new_local(|p: &Option<PauseFor>| {
        let p = *p;
        async move {
            match p {
                Some(p) => api::call::<_, PopupPause>(commands::PAUSE_POPUPS, &p).await,
                None => api::ask::<PopupPause>(commands::RESUME_POPUPS).await,
            }
        }
    });
    api::on_success(pause, error, move |p| {
        status.update(|s| {
            if let Some(s) = s {
                s.pause = p;
            }
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.dispatch(UpdateDesktop {
            settings: DesktopSettings {
                close_to_tray: close_to_tray.get(),
            },
            start_at_login: at_login.get(),
        });
    };
    let paused_until = move || status.get().and_then(|s| s.pause.paused_until);
    view! {
        <section class="card" id="desktop" aria-labelledby="desktop-title">
            <h2 id="desktop-title">"Desktop"</h2>
            <form on:submit=submit class="settings-form">
                <CheckField label="Closing the window keeps Partwatch running in the tray" value=close_to_tray/>
                <CheckField label="Start Partwatch when I log in" value=at_login/>
                <SaveRow label="Save desktop settings" busy=save.pending().into() saved error/>
            </form>
            <div class="pause-row" role="group" aria-label="Pause desktop popups">
                {move || match paused_until() {
                    Some(until) => view! {
                        <p>{format!("Desktop popups are paused until {}. Notifications still arrive in your inbox.", local_time(&until))}</p>
                        <button type="button" class="button" on:click=move |_| { pause.dispatch(None); }>"Resume popups"</button>
                    }.into_any(),
                    None => view! {
                        <p class="muted">"Need some quiet? Popups pause; the inbox keeps filling."</p>
                        <button type="button" class="button" on:click=move |_| { pause.dispatch(Some(PauseFor::OneHour)); }>"Pause popups for 1 hour"</button>
                        <button type="button" class="button" on:click=move |_| { pause.dispatch(Some(PauseFor::UntilTomorrow)); }>"Pause until tomorrow"</button>
                    }.into_any(),
                }}
            </div>
            <dl class="facts">
                <dt>"Log files"</dt>
                <dd class="mono">{move || status.get().map(|s| s.log_directory).unwrap_or_default()}</dd>
            </dl>
        </section>
    }
}
