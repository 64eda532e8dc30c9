use crate::api;
use crate::components::centre::Bell;
use crate::components::error::Failure;
use crate::components::icons::LogoMark;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::events::CURRENT_USER_CHANGED;
use partwatch_types::inventory::User;
use partwatch_types::{commands, ApiError};

/// The areas of the app, in navigation order: (label, route, available yet).
const AREAS: [(&str, &str, bool); 6] = [
    ("Home", routes::HOME, true),
    ("Parts", routes::PARTS, true),
    ("Locations", routes::LOCATIONS, true),
    ("Build orders", routes::BUILDS, true),
    ("Notifications", routes::NOTIFICATIONS, true),
    ("Settings", routes::SETTINGS, true),
];

/// Who this desktop works as; bumped when the user switches, so every page
/// reloads its data for the new user.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<User>>,
    pub epoch: RwSignal<u32>,
}

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <div class="brand">
                <LogoMark/>
                <span class="brand-name">"Partwatch"</span>
            </div>
            <nav class="main-nav" aria-label="Main">
                <ul>
                    {AREAS
                        .into_iter()
                        .map(|(label, href, available)| {
                            if available {
                                view! { <li><A href=href exact=href == "/">{label}</A></li> }.into_any()
                            } else {
                                view! {
                                    <li>
                                        <a
                                            class="nav-unavailable"
                                            aria-disabled="true"
                                            title="Not in this version yet"
                                        >
                                            {label}
                                        </a>
                                    </li>
                                }
                                    .into_any()
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <div class="header-actions">
                <Bell/>
                <UserMenu/>
            </div>
        </header>
    }
}

/// The current user, and switching to another one.
#[component]
fn UserMenu() -> impl IntoView {
    let session = expect_context::<Session>();
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = LocalResource::new(api::ask::<commands::CurrentUser>);
    Effect::new(move |_| {
        if let Some(Ok(user)) = loaded.get() {
            session.user.set(Some(user));
        }
    });
    let users = LocalResource::new(move || {
        open.get();
        async move { api::ask::<commands::ListUsers>().await }
    });
    let navigate = use_navigate();
    // Who works here is the core's to say: a switch (from here, or anywhere
    // else) arrives as an event, and the pages are re-created for them.
    api::listen_forever(CURRENT_USER_CHANGED, move |user: User| {
        session.user.set(Some(user));
        session.epoch.update(|n| *n += 1);
    });
    let switch = api::action::<commands::SwitchUser>();
    api::on_success(switch, error, move |_| {
        open.set(false);
        navigate(routes::HOME, Default::default());
    });
    let name = move || session.user.get().map(|u| u.name).unwrap_or_default();
    // Switching is for a desktop's own file: on a team database each desktop
    // is its signed-in person, so the name is shown without a menu.
    let team = LocalResource::new(api::ask::<commands::GetTeamDatabase>);
    let on_team = move || matches!(team.get(), Some(Ok(status)) if status.is_postgres);
    view! {
        <Show when=on_team>
            <div class="user-menu">
                <span class="user-button signed-in" role="status"
                    aria-label=move || format!("Signed in as {}", name())>
                    <span class="avatar" aria-hidden="true">{move || name().chars().next().unwrap_or('?').to_uppercase().to_string()}</span>
                    <span class="user-name">{name}</span>
                </span>
            </div>
        </Show>
        <Show when=move || team.get().is_some() && !on_team()>
        <div class="user-menu">
            <button type="button" class="user-button"
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-label=move || format!("Switch user (now {})", name())
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="avatar" aria-hidden="true">{move || name().chars().next().unwrap_or('?').to_uppercase().to_string()}</span>
                <span class="user-name">{name}</span>
            </button>
            {move || open.get().then(|| view! {
                <div class="menu-scrim" on:click=move |_| open.set(false)></div>
                <div class="menu" role="menu" aria-label="Switch user">
                    {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|u| u.active).map(|u| {
                        let current = session.user.get().is_some_and(|me| me.id == u.id);
                        let id = u.id;
                        view! {
                            <button type="button" role="menuitemradio" aria-checked=if current { "true" } else { "false" }
                                class="menu-item" class:current=current
                                on:click=move |_| { if !current { switch.dispatch(id); } else { open.set(false); } }>
                                {u.name}
                                {u.email.map(|e| view! { <span class="muted small">{e}</span> })}
                            </button>
                        }
                    }).collect_view()}
                    <Failure error/>
                </div>
            })}
        </div>
        </Show>
    }
}
