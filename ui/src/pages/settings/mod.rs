//! Settings: notifications (global switches, retention, popups, and your own
//! channel preferences), email (the SMTP form with a write-only password and
//! "Send test email"), webhooks, users, and the delivery log with "Retry".

mod delivery_log;
mod desktop;
mod email;
mod notifications;
mod preferences;
mod users;
mod webhooks;

use self::delivery_log::DeliveryLog;
use self::desktop::DesktopSection;
use self::email::EmailSection;
use self::notifications::NotificationSettings;
use self::preferences::MyPreferences;
use self::users::UsersSection;
use self::webhooks::WebhooksSection;
use leptos::prelude::*;
use partwatch_types::ApiError;

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
