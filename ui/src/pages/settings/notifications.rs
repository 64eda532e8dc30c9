//! Notification settings for everyone using this database: the global
//! switches, desktop popups and how long notifications are kept.

use super::{AdministratorsOnly, Edits, SaveRow, TeamSettings};
use crate::api;
use crate::components::centre::Centre;
use crate::components::dialog::{CheckField, TextField};
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::notifications::GlobalSettings;

#[component]
pub(super) fn NotificationSettings() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let loaded = LocalResource::new(api::ask::<commands::GetGlobalSettings>);
    let enabled = RwSignal::new(true);
    let low = RwSignal::new(true);
    let builds = RwSignal::new(true);
    let popups = RwSignal::new(true);
    let days = RwSignal::new("30".to_owned());
    let saved = RwSignal::new(false);
    let error = form::error();
    let edits = Edits::new(
        move || {
            (
                enabled.get(),
                low.get(),
                builds.get(),
                popups.get(),
                days.get(),
            )
        },
        saved,
    );
    edits.ask_before_leaving("notifications", "Notification settings", move || {
        loaded.refetch()
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            enabled.set(s.notifications_enabled);
            low.set(s.low_stock_enabled);
            builds.set(s.build_orders_enabled);
            popups.set(s.os_popups_enabled);
            days.set(s.delete_after_days.to_string());
            edits.settle();
        }
    });
    let save = api::action::<commands::UpdateGlobalSettings>();
    api::on_success(save, error, move |s| {
        saved.set(true);
        centre.enabled.set(s.notifications_enabled);
        edits.settle();
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(delete_after_days) = days.get().trim().parse::<i64>() else {
            return error.set(Some(form::invalid("Delete after: enter a number of days.")));
        };
        save.dispatch(GlobalSettings {
            notifications_enabled: enabled.get(),
            low_stock_enabled: low.get(),
            build_orders_enabled: builds.get(),
            delete_after_days,
            os_popups_enabled: popups.get(),
        });
    };
    let may_change = TeamSettings::get();
    view! {
        <section class="card" id="notifications" aria-labelledby="global-title">
            <h2 id="global-title">"Notifications"</h2>
            <p class="muted">"For everyone using this database."</p>
            <AdministratorsOnly/>
            <form on:submit=submit class="settings-form">
              <fieldset class="unboxed" disabled=move || !may_change.get()>
                <CheckField label="Notifications are on" value=enabled/>
                <div class="indent">
                    <CheckField label="Stock notifications (low, out of stock, back in stock)" value=low/>
                    <CheckField label="Build order notifications" value=builds/>
                    <CheckField label="Desktop popups" value=popups/>
                </div>
                <TextField label="Delete notifications after (days)" value=days inputmode="numeric" hint="Between 7 and 3650 days."/>
                <SaveRow label="Save notification settings" busy=save.pending().into() saved error/>
              </fieldset>
            </form>
        </section>
    }
}
