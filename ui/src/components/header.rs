use crate::components::icons::{BellIcon, LogoMark};
use leptos::prelude::*;
use leptos_router::components::A;

/// The areas of the app, in navigation order: (label, route, available yet).
const AREAS: [(&str, &str, bool); 5] = [
    ("Home", "/", true),
    ("Parts", "/parts", true),
    ("Build orders", "/builds", true),
    ("Notifications", "/notifications", false),
    ("Settings", "/settings", false),
];

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
                <button
                    type="button"
                    class="icon-button bell"
                    aria-label="Notifications"
                    aria-disabled="true"
                    title="The notification centre is not in this version yet"
                >
                    <BellIcon/>
                </button>
            </div>
        </header>
    }
}
