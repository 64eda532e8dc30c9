use crate::api;
use crate::components::centre::Centre;
use crate::components::header::{Header, Session};
use crate::components::toast::{ToastRegion, Toasts};
use crate::pages::builds::BuildsPage;
use crate::pages::category::CategoryPage;
use crate::pages::home::HomePage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::part::PartPage;
use crate::pages::parts::PartsPage;
use crate::pages::settings::SettingsPage;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use partwatch_types::events::OPEN_TARGET;
use partwatch_types::notifications::NotificationTarget;

#[component]
pub fn App() -> impl IntoView {
    let session = Session {
        user: RwSignal::new(None),
        epoch: RwSignal::new(0),
    };
    provide_context(session);
    provide_context(Centre::start());
    provide_context(Toasts::new());
    view! {
        <Router>
            <OpenRequests/>
            <div class="app-frame">
                <Header/>
                <ToastRegion/>
                // Switching user re-creates the pages, so each reloads its data.
                {move || {
                    session.epoch.get();
                    view! {
                        <main class="page" id="main">
                            <Routes fallback=|| view! { <HomePage/> }>
                                <Route path=path!("/") view=HomePage/>
                                <Route path=path!("/parts") view=PartsPage/>
                                <Route path=path!("/parts/:id") view=PartPage/>
                                <Route path=path!("/categories/:id") view=CategoryPage/>
                                <Route path=path!("/builds") view=BuildsPage/>
                                <Route path=path!("/notifications") view=NotificationsPage/>
                                <Route path=path!("/settings") view=SettingsPage/>
                            </Routes>
                        </main>
                    }
                }}
            </div>
        </Router>
    }
}

/// A clicked OS popup asks the window (through the shell) to open what it is about.
#[component]
fn OpenRequests() -> impl IntoView {
    let navigate = use_navigate();
    api::listen_forever(OPEN_TARGET, move |target: NotificationTarget| {
        navigate(&routes::target(&target), Default::default());
    });
}
