//! Your own channel preferences: email, desktop popups, back in stock.

use super::{Edits, SaveRow};
use crate::api;
use crate::components::dialog::CheckField;
use leptos::prelude::*;
use partwatch_types::notifications::UserSettings;
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn MyPreferences() -> impl IntoView {
    let loaded = LocalResource::new(api::ask::<commands::MySettings>);
    let email = RwSignal::new(true);
    let popups = RwSignal::new(true);
    let back = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let edits = Edits::new(move || (email.get(), popups.get(), back.get()), saved);
    // Beside the notification settings, under the same section link.
    edits.ask_before_leaving("notifications", "Your preferences", move || {
        loaded.refetch()
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            email.set(s.email_enabled);
            popups.set(s.os_popups_enabled);
            back.set(s.back_in_stock);
            edits.settle();
        }
    });
    let save = api::action::<commands::UpdateMySettings>();
    api::on_success(save, error, move |_| {
        saved.set(true);
        edits.settle();
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
