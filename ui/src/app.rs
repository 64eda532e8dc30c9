use crate::api;
use crate::components::centre::Centre;
use crate::components::header::{Header, Session};
use crate::components::keyboard::SearchKey;
use crate::components::reload::ChangedElsewhere;
use crate::components::team_link::TeamLinkNotice;
use crate::components::toast::{ToastRegion, Toasts};
use crate::pages::builds::{BuildPage, BuildsPage};
use crate::pages::category::CategoryPage;
use crate::pages::database_problem::DatabaseGate;
use crate::pages::home::HomePage;
use crate::pages::locations::{LocationPage, LocationsPage};
use crate::pages::notifications::NotificationsPage;
use crate::pages::part::PartPage;
use crate::pages::parts::PartsPage;
use crate::pages::settings::SettingsPage;
use crate::pages::sign_in::SignInGate;
use crate::routes;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use partwatch_types::commands;
use partwatch_types::events::{OPEN_TARGET, UNREADABLE_LINK};
use partwatch_types::notifications::{LinkRequest, NotificationTarget};

#[component]
pub fn App() -> impl IntoView {
    let session = Session {
        user: RwSignal::new(None),
        epoch: RwSignal::new(0),
    };
    provide_context(session);
    provide_context(Centre::start());
    provide_context(ChangedElsewhere::start());
    provide_context(Toasts::new());
    view! {
        <DatabaseGate>
          <SignInGate>
            <Router>
                <OpenRequests/>
                <HistoryKeys/>
                <SearchKey/>
                <div class="app-frame">
                    <Header/>
                    <TeamLinkNotice/>
                    <ToastRegion/>
                    // Switching user re-creates the pages, so each reloads its data.
                    {move || {
                        session.epoch.get();
                        // The parts browser takes a wider page (a class, not
                        // a CSS `:has()`, which WebKit re-checks on every
                        // change inside the page).
                        let location = use_location();
                        let wide = move || location.pathname.with(|path| path == routes::PARTS);
                        view! {
                            <main class="page" class:wide=wide id="main">
                                <Routes fallback=|| view! { <HomePage/> }>
                                    <Route path=path!("/") view=HomePage/>
                                    <Route path=path!("/parts") view=PartsPage/>
                                    <Route path=path!("/parts/:id") view=PartPage/>
                                    <Route path=path!("/categories/:id") view=CategoryPage/>
                                    <Route path=path!("/locations") view=LocationsPage/>
                                    <Route path=path!("/locations/:id") view=LocationPage/>
                                    <Route path=path!("/builds") view=BuildsPage/>
                                    <Route path=path!("/builds/:id") view=BuildPage/>
                                    <Route path=path!("/notifications") view=NotificationsPage/>
                                    <Route path=path!("/settings") view=SettingsPage/>
                                </Routes>
                            </main>
                        }
                    }}
                </div>
            </Router>
          </SignInGate>
        </DatabaseGate>
    }
}

/// A clicked OS popup asks the window (through the shell) to open what it
/// is about; so does a `partwatch:` link given to a second start. A link
/// this start was given (a cold start from a link) is taken once the window
/// is ready; a link that names nothing Partwatch has is said in a toast.
#[component]
fn OpenRequests() -> impl IntoView {
    let navigate = use_navigate();
    let toasts = expect_context::<Toasts>();
    let open = move |target: NotificationTarget| {
        navigate(&routes::target(&target), Default::default());
    };
    api::listen_forever(OPEN_TARGET, open.clone());
    api::listen_forever(UNREADABLE_LINK, move |link: String| {
        toasts.say(unreadable_link(&link));
    });
    leptos::task::spawn_local(async move {
        match api::invoke::<commands::TakeStartLink>(&()).await {
            Ok(Some(LinkRequest::Open { target })) => open(target),
            Ok(Some(LinkRequest::Unreadable { link })) => toasts.say(unreadable_link(&link)),
            Ok(None) => {}
            Err(err) => toasts.error(&err),
        }
    });
}

/// What the window says of a link it cannot open.
fn unreadable_link(link: &str) -> String {
    format!(
        "Partwatch cannot open the link “{link}”: it is not a link to a part \
         (partwatch://parts/ID) or a build order (partwatch://builds/ID)."
    )
}

/// A step through the window's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Back,
    Forward,
}

impl Step {
    /// Alt+Left and Alt+Right (alone: with Ctrl, Shift or Meta they are
    /// something else), as in browsers, text fields included.
    fn of_key(key: &str, alt: bool, other_modifiers: bool) -> Option<Self> {
        if !alt || other_modifiers {
            return None;
        }
        match key {
            "ArrowLeft" => Some(Step::Back),
            "ArrowRight" => Some(Step::Forward),
            _ => None,
        }
    }

    /// The mouse's back (3) and forward (4) buttons.
    fn of_button(button: i16) -> Option<Self> {
        match button {
            3 => Some(Step::Back),
            4 => Some(Step::Forward),
            _ => None,
        }
    }

    fn take(self) {
        // Without a history (never in the window) there is nowhere to go.
        if let Ok(history) = window().history() {
            let _ = match self {
                Step::Back => history.back(),
                Step::Forward => history.forward(),
            };
        }
    }
}

/// Back and forward as in a browser: Alt+Left / Alt+Right and the mouse's
/// back / forward buttons walk the window's history (the router follows).
#[component]
fn HistoryKeys() -> impl IntoView {
    let keys = window_event_listener(ev::keydown, |ev| {
        if ev.default_prevented() {
            return;
        }
        let others = ev.ctrl_key() || ev.shift_key() || ev.meta_key();
        if let Some(step) = Step::of_key(&ev.key(), ev.alt_key(), others) {
            ev.prevent_default();
            step.take();
        }
    });
    // `mouseup` rather than `auxclick`, which older WebKitGTK lacks; one of
    // the two only, or a press would step twice.
    let buttons = window_event_listener(ev::mouseup, |ev| {
        if let Some(step) = Step::of_button(ev.button()) {
            ev.prevent_default();
            step.take();
        }
    });
    on_cleanup(move || {
        keys.remove();
        buttons.remove();
    });
}

#[cfg(test)]
mod tests {
    use super::Step;

    #[test]
    fn alt_and_the_arrows_step_through_history() {
        assert_eq!(Step::of_key("ArrowLeft", true, false), Some(Step::Back));
        assert_eq!(Step::of_key("ArrowRight", true, false), Some(Step::Forward));
        assert_eq!(Step::of_key("ArrowLeft", false, false), None);
        assert_eq!(Step::of_key("ArrowLeft", true, true), None);
        assert_eq!(Step::of_key("ArrowUp", true, false), None);
    }

    #[test]
    fn the_mouse_side_buttons_step_through_history() {
        assert_eq!(Step::of_button(3), Some(Step::Back));
        assert_eq!(Step::of_button(4), Some(Step::Forward));
        for other in [0, 1, 2, 5] {
            assert_eq!(Step::of_button(other), None);
        }
    }
}
