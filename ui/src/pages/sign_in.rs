//! "Who are you?": the first start of a desktop on a team database that
//! others already use. The person chooses themselves, or adds themselves,
//! once; the desktop remembers it (the core's `users::sign_in`).

use crate::api;
use crate::components::dialog::TextField;
use crate::components::error::Failure;
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::commands::{CurrentUser, SignInChoicesCommand, SignInCommand};
use partwatch_types::inventory::{NewUser, SignIn, SignInChoices};
use partwatch_types::{ApiError, ErrorCode};

/// Shows `children` (the app) once someone works on this desktop; the
/// "Who are you?" page while nobody does (a team database's first start).
#[component]
pub fn SignInGate(children: ChildrenFn) -> impl IntoView {
    // Outer `None`: not asked yet; inner: whether someone is signed in.
    let signed_in = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        let answer = api::ask::<CurrentUser>().await;
        // Any other failure is the app's to show, as before.
        let nobody = matches!(&answer, Err(err) if err.code == ErrorCode::NotFound);
        signed_in.set(Some(!nobody));
    });
    move || match signed_in.get() {
        None => ().into_any(),
        Some(true) => children().into_any(),
        Some(false) => view! { <SignInPage/> }.into_any(),
    }
}

#[component]
fn SignInPage() -> impl IntoView {
    let choices = LocalResource::new(api::ask::<SignInChoicesCommand>);
    let error = form::error();
    let sign_in = Action::new_local(|who: &SignIn| {
        let who = who.clone();
        async move { api::invoke::<SignInCommand>(&who).await }
    });
    Effect::new(move |_| match sign_in.value().get() {
        // Someone works here now: the app starts afresh in the window, so
        // that everything reads as that person.
        Some(Ok(_)) if window().location().reload().is_err() => {
            error.set(Some(ApiError::new(
                ErrorCode::Internal,
                "Signed in; restart Partwatch to continue.",
            )));
        }
        Some(Ok(_)) => {}
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let busy = move || sign_in.pending().get();
    view! {
        <main class="page sign-in-page" id="main">
            <section class="card" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Who are you?"</h1>
                <Transition fallback=|| ()>
                    {move || choices.get().map(|answer| match answer {
                        Ok(choices) => view! { <Choices choices sign_in busy/> }.into_any(),
                        Err(err) => { error.set(Some(err)); ().into_any() }
                    })}
                </Transition>
                <Failure error/>
            </section>
        </main>
    }
}

#[component]
fn Choices(
    choices: SignInChoices,
    sign_in: Action<SignIn, Result<partwatch_types::inventory::User, ApiError>>,
    busy: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(choices.suggested_name.clone());
    let email = RwSignal::new(String::new());
    let add_me = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = email.get_untracked();
        sign_in.dispatch(SignIn::New(NewUser {
            name: name.get_untracked(),
            email: (!email.trim().is_empty()).then_some(email),
        }));
    };
    view! {
        <p>
            "This desktop works on the team database "
            <span class="mono">{choices.database.clone()}</span>
            " for the first time. Choose yourself, or add yourself if you are new: Partwatch \
             remembers it on this desktop, and your notifications and popups come here."
        </p>
        {(!choices.people.is_empty()).then(|| view! {
            <h2 id="people-title">"I am"</h2>
            <ul class="people" aria-labelledby="people-title">
                {choices.people.iter().map(|person| {
                    let id = person.id;
                    view! {
                        <li>
                            <button type="button" class="button" disabled=busy
                                on:click=move |_| { sign_in.dispatch(SignIn::Existing(id)); }>
                                {person.name.clone()}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        <form on:submit=add_me aria-labelledby="someone-new-title">
            <h2 id="someone-new-title">"Someone new"</h2>
            <TextField label="Your name" value=name/>
            <TextField label="Email address (optional)" value=email input_type="email"/>
            <div class="save-row">
                <button type="submit" class="button primary" disabled=busy>"Add me"</button>
            </div>
        </form>
    }
}
