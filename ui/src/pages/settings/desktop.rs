//! Desktop: the tray, start at login, pausing popups, the log folder.

use super::{Edits, SaveRow};
use crate::api;
use crate::components::dialog::CheckField;
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::desktop::{DesktopSettings, DesktopStatus, PauseFor, UpdateDesktop};
use partwatch_types::{commands, ApiError};

/// The tray, closing the window, start at login, pausing popups, the log folder.
#[component]
pub(super) fn DesktopSection() -> impl IntoView {
    let status = RwSignal::new(None::<DesktopStatus>);
    let loaded = LocalResource::new(api::ask::<commands::GetDesktopStatus>);
    let close_to_tray = RwSignal::new(true);
    let at_login = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let edits = Edits::new(move || (close_to_tray.get(), at_login.get()), saved);
    edits.ask_before_leaving("desktop", "Desktop settings", move || loaded.refetch());
    let show = move |s: DesktopStatus| {
        close_to_tray.set(s.settings.close_to_tray);
        at_login.set(s.start_at_login);
        status.set(Some(s));
        edits.settle();
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            show(s);
        }
    });
    let save = api::action::<commands::UpdateDesktopCommand>();
    api::on_success(save, error, move |s| {
        saved.set(true);
        show(s);
    });
    let pause = Action::new_local(|p: &Option<PauseFor>| {
        let p = *p;
        async move {
            match p {
                Some(p) => api::invoke::<commands::PausePopups>(&p).await,
                None => api::ask::<commands::ResumePopups>().await,
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
