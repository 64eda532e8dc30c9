//! Settings: notifications (global switches, retention, popups, and your own
//! channel preferences), email (the SMTP form with a write-only password and
//! "Send test email"), webhooks, users, the delivery log with "Retry", and
//! the team database (check, choose for the next start, move up).
//!
//! A form with unsaved edits is not left without asking: following a link to
//! another section or out of Settings asks in a dialog (discard, or keep
//! editing), and closing or reloading the window asks through the browser's
//! `beforeunload`. (leptos_router has no guard: a navigation made in code,
//! such as switching user, does not ask.)

mod delivery_log;
mod desktop;
mod digest;
mod email;
mod notifications;
mod preferences;
mod team_database;
mod users;
mod webhooks;

use self::delivery_log::DeliveryLog;
use self::desktop::DesktopSection;
use self::email::EmailSection;
use self::notifications::NotificationSettings;
use self::preferences::PreferenceSections;
use self::team_database::TeamDatabaseSection;
use self::users::UsersSection;
use self::webhooks::WebhooksSection;
use crate::api;
use crate::components::dialog::Dialog;
use crate::components::form::FormError;
use crate::routes;
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use partwatch_types::{commands, ApiError, Permissions};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let forms = Forms(StoredValue::new(Vec::new()));
    provide_context(forms);
    // Until the answer is in, the forms are open: the server refuses what
    // this login may not change anyway, in words.
    let permissions = LocalResource::new(api::ask::<commands::GetPermissions>);
    provide_context(TeamSettings(Signal::derive(move || {
        !matches!(
            permissions.get(),
            Some(Ok(Permissions {
                team_settings: false
            }))
        )
    })));
    // The forms whose edits a followed link would leave, while asking.
    let asking = RwSignal::new(None::<Vec<Form>>);
    let (link, let_through) = guard_links(forms, asking);
    // Closing or reloading the window: the browser's own question.
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if !forms.unsaved_outside(None).is_empty() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || unload.remove());
    let keep_editing = move || {
        asking.set(None);
        link.set_value(None);
    };
    let discard = move |_: MouseEvent| {
        for form in asking.get_untracked().unwrap_or_default() {
            form.discard.run(());
        }
        asking.set(None);
        // Follow the link after all, with whatever else clicking it does.
        if let Some(link) = link.try_update_value(Option::take).flatten() {
            let_through.set_value(true);
            link.click();
            let_through.set_value(false);
        }
    };
    view! {
        <div class="page-head"><h1>"Settings"</h1></div>
        <nav class="section-nav" aria-label="Settings sections">
            <a href="#notifications">"Notifications"</a>
            <a href="#desktop">"Desktop"</a>
            <a href="#email">"Email"</a>
            <a href="#webhooks">"Webhooks"</a>
            <a href="#users">"Users"</a>
            <a href="#deliveries">"Delivery log"</a>
            <a href="#team">"Team database"</a>
        </nav>
        {move || asking.get().map(|left| view! {
            <Dialog title="Leave without saving?".to_owned() on_close=keep_editing>
                <p>{unsaved_text(&left)}</p>
                <div class="dialog-actions">
                    <button type="button" class="button" autofocus=true on:click=move |_| keep_editing()>"Keep editing"</button>
                    <button type="button" class="button primary danger" on:click=discard>"Discard changes"</button>
                </div>
            </Dialog>
        })}
        <NotificationSettings/>
        <PreferenceSections/>
        <DesktopSection/>
        <EmailSection/>
        <WebhooksSection/>
        <UsersSection/>
        <DeliveryLog/>
        <TeamDatabaseSection/>
    }
}

/// Whether this desktop's login may change the team's settings (the global
/// switches, the mail server, webhooks, adding people): on a team
/// database, a person who is not an administrator sees them read-only.
#[derive(Clone, Copy)]
struct TeamSettings(Signal<bool>);

impl TeamSettings {
    fn get() -> Signal<bool> {
        expect_context::<TeamSettings>().0
    }
}

/// Says, where this login may not change the team's settings, who may.
#[component]
fn AdministratorsOnly() -> impl IntoView {
    let may_change = TeamSettings::get();
    move || {
        (!may_change.get()).then(|| {
            view! {
                <p class="read-only-note" role="note">
                    "Only an administrator of the team changes these; you see them as they are."
                </p>
            }
        })
    }
}

/// A save button with "Saved" or the error beside it.
#[component]
fn SaveRow(
    label: &'static str,
    busy: Signal<bool>,
    saved: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let form = FormError::around();
    view! {
        <div class="save-row">
            <button type="submit" class="button primary" disabled=move || busy.get()>{label}</button>
            {move || saved.get().then(|| view! { <span class="ok" role="status">"Saved"</span> })}
            {move || {
                // An error shown under its field is not said twice.
                let on_a_field = form.is_some_and(|form| form.shows_on_a_field(error));
                error.get().filter(|_| !on_a_field).map(|err| view! { <span class="field-error" role="alert">{err.message}</span> })
            }}
        </div>
    }
}

/// A settings form, for asking before its unsaved edits are left.
#[derive(Clone, Copy)]
struct Form {
    /// The section it sits in: the `id` the section links point at.
    section: &'static str,
    /// "Email settings".
    title: &'static str,
    dirty: Memo<bool>,
    /// Puts back what is saved.
    discard: Callback<()>,
}

/// The page's forms.
#[derive(Clone, Copy)]
struct Forms(StoredValue<Vec<Form>>);

impl Forms {
    /// The forms with unsaved edits outside `section` (anywhere for `None`).
    fn unsaved_outside(self, section: Option<&str>) -> Vec<Form> {
        self.0.with_value(|forms| {
            forms
                .iter()
                .filter(|form| Some(form.section) != section && form.dirty.get_untracked())
                .copied()
                .collect()
        })
    }
}

/// "Your changes to Email settings and Desktop settings are not saved."
fn unsaved_text(forms: &[Form]) -> String {
    let titles = forms.iter().map(|form| form.title).collect::<Vec<_>>();
    let list = match titles.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!(
        "Your changes to {list} are not saved. Discard them, or keep editing to save them first."
    )
}

/// Follows a form's fields against what was last loaded or saved: `dirty`
/// while they differ, so the page asks before they are left, and "Saved"
/// goes with the first edit after saving.
struct Edits<T: Send + Sync + 'static> {
    current: Memo<T>,
    baseline: RwSignal<Option<T>>,
    dirty: Memo<bool>,
}

impl<T: Send + Sync + 'static> Clone for Edits<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Edits<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Edits<T> {
    /// `fields` reads the form; `saved` is its "Saved".
    fn new(fields: impl Fn() -> T + Send + Sync + 'static, saved: RwSignal<bool>) -> Self {
        let current = Memo::new(move |_| fields());
        let baseline = RwSignal::new(None::<T>);
        let dirty = Memo::new(move |_| {
            baseline.with(|saved| saved.as_ref().is_some_and(|saved| *saved != current.get()))
        });
        Effect::new(move |_| {
            if dirty.get() {
                saved.set(false);
            }
        });
        Self {
            current,
            baseline,
            dirty,
        }
    }

    /// Whether the fields hold edits not saved yet.
    fn is_dirty(self) -> bool {
        self.dirty.get_untracked()
    }

    /// What the fields hold now is what is saved (just loaded, or saved).
    fn settle(self) {
        self.baseline.set(Some(self.current.get_untracked()));
    }

    /// Makes the page ask before the edits are left; `discard` puts back
    /// what is saved.
    fn ask_before_leaving(
        self,
        section: &'static str,
        title: &'static str,
        discard: impl Fn() + Send + Sync + 'static,
    ) {
        if let Some(forms) = use_context::<Forms>() {
            forms.0.update_value(|all| {
                all.push(Form {
                    section,
                    title,
                    dirty: self.dirty,
                    discard: Callback::new(move |()| discard()),
                })
            });
        }
    }
}

/// While the page is open, a followed link that would leave unsaved edits
/// (a section link: those of other sections; any other link: all of them) is
/// held back and `asking` says which. Answers the held link, and the switch
/// that lets its next click through.
fn guard_links(
    forms: Forms,
    asking: RwSignal<Option<Vec<Form>>>,
) -> (
    StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
    StoredValue<bool>,
) {
    let held = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let let_through = StoredValue::new(false);
    let on_click = move |ev: MouseEvent| {
        if let_through
            .try_update_value(std::mem::take)
            .unwrap_or(false)
        {
            return;
        }
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let Some(href) = link.get_attribute("href") else {
            return;
        };
        let section = match href.strip_prefix('#') {
            Some(section) => Some(section),
            // This page itself (its address is all the links have in common).
            None if href == routes::SETTINGS => return,
            None => None,
        };
        let left = forms.unsaved_outside(section);
        if left.is_empty() {
            return;
        }
        // Before the router (which listens on the window) and the link's
        // own handlers see it.
        ev.prevent_default();
        ev.stop_propagation();
        held.set_value(link.dyn_into::<web_sys::HtmlElement>().ok());
        asking.set(Some(left));
    };
    let listener: JsValue = Closure::<dyn Fn(MouseEvent)>::new(on_click).into_js_value();
    let capture = true;
    let _ = document().add_event_listener_with_callback_and_bool(
        "click",
        listener.unchecked_ref(),
        capture,
    );
    let listener = StoredValue::new_local(listener);
    on_cleanup(move || {
        listener.try_with_value(|listener| {
            let _ = document().remove_event_listener_with_callback_and_bool(
                "click",
                listener.unchecked_ref(),
                capture,
            );
        });
    });
    (held, let_through)
}
