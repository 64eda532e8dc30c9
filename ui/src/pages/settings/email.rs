//! Email: the mail server (SMTP) form with a write-only password, and
//! "Send test email", which tries what the form holds, saved or not.

use super::{AdministratorsOnly, Edits, SaveRow, TeamSettings};
use crate::api;
use crate::components::dialog::{CheckField, TextField};
use crate::components::error::ErrorText;
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::delivery::{
    EmailSecurity, EmailSettings, MailPasswordPlace, PasswordChange, SaveEmailSettings,
    SendTestEmail,
};
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn EmailSection() -> impl IntoView {
    let loaded = LocalResource::new(api::ask::<commands::GetEmailSettings>);
    let enabled = RwSignal::new(false);
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("587".to_owned());
    let security = RwSignal::new(EmailSecurity::Starttls);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_place = RwSignal::new(None::<MailPasswordPlace>);
    let clear_password = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let instance = RwSignal::new("Partwatch".to_owned());
    let saved = RwSignal::new(false);
    let error = form::error();
    let edits = Edits::new(
        move || {
            (
                (enabled.get(), host.get(), port.get(), security.get()),
                (username.get(), password.get(), clear_password.get()),
                (from.get(), instance.get()),
            )
        },
        saved,
    );
    edits.ask_before_leaving("email", "Email settings", move || loaded.refetch());
    let show = move |s: &EmailSettings| {
        enabled.set(s.enabled);
        host.set(s.host.clone());
        port.set(s.port.to_string());
        security.set(s.security);
        username.set(s.username.clone().unwrap_or_default());
        password.set(String::new());
        password_place.set(s.password_place.clone());
        clear_password.set(false);
        from.set(s.from_address.clone());
        instance.set(s.instance_name.clone());
        edits.settle();
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            show(&s);
        }
    });
    let save = api::action::<commands::SaveEmailSettingsCommand>();
    api::on_success(save, error, move |s| {
        saved.set(true);
        show(&s);
    });
    // What the form holds; a blank password keeps the saved one.
    let settings = move || {
        let Ok(port_number) = port.get().trim().parse::<u16>() else {
            return Err(form::invalid("Port: enter a number between 1 and 65535."));
        };
        let user = username.get();
        let new_password = password.get();
        Ok(SaveEmailSettings {
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
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        form::submit(save, error, settings());
    };
    // Send test email: with the form's settings, saved or not.
    let test_to = RwSignal::new(String::new());
    let test = api::action::<commands::SendTestEmailCommand>();
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    Effect::new(move |_| {
        if let Some(result) = test.value().get() {
            outcome.set(Some(result.map(|sent| sent.message)));
        }
    });
    let send_test = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let to = test_to.get();
        match settings() {
            Ok(settings) => {
                test.dispatch(SendTestEmail {
                    to: (!to.trim().is_empty()).then(|| to.trim().to_owned()),
                    settings: Some(settings),
                });
            }
            Err(err) => outcome.set(Some(Err(err))),
        }
    };
    let may_change = TeamSettings::get();
    view! {
        <section class="card" id="email" aria-labelledby="email-title">
            <h2 id="email-title">"Email"</h2>
            <p class="muted">"Partwatch sends email through your mail server (SMTP)."</p>
            <AdministratorsOnly/>
            <form on:submit=submit class="settings-form">
              <fieldset class="unboxed" disabled=move || !may_change.get()>
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
                <p class="muted small">{move || password_place.with(|place| password_place_text(place.as_ref()))}</p>
                {move || password_place.with(Option::is_some).then(|| view! { <CheckField label="Remove the saved password" value=clear_password/> })}
                <div class="field-row">
                    <TextField label="Sender address" value=from placeholder="Stores <stores@example.com>"/>
                    <TextField label="Instance name" value=instance hint="Starts every subject: [Instance] Low stock: …"/>
                </div>
                <SaveRow label="Save email settings" busy=save.pending().into() saved error/>
              </fieldset>
            </form>
            <p class="muted small">"The test uses the settings above as they are now, saved or not; a blank password uses the saved one."</p>
            <form class="test-row" on:submit=send_test>
                <TextField label="Send a test to" value=test_to placeholder="your address" input_type="email"/>
                <button type="submit" class="button" disabled=move || test.pending().get()>
                    {move || if test.pending().get() { "Sending…" } else { "Send test email" }}
                </button>
            </form>
            {move || outcome.get().map(|result| match result {
                Ok(message) => view! { <p class="ok" role="status">{message}</p> }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </section>
    }
}

/// Where the mail server's password is kept, in words.
fn password_place_text(place: Option<&MailPasswordPlace>) -> String {
    match place {
        None => "No password saved.".to_owned(),
        Some(MailPasswordPlace::Keyring) => "A password is saved, in this desktop's keyring.".to_owned(),
        Some(MailPasswordPlace::Database { reason }) => format!(
            "A password is saved, in the database: this desktop's keyring could not take it ({reason})."
        ),
        Some(MailPasswordPlace::NotOnThisDesktop { reason }) => format!(
            "A password is saved, but not in this desktop's keyring ({reason}): this desktop cannot sign in to the mail server until you type it here and save (it then sends the mail that needs it)."
        ),
    }
}
