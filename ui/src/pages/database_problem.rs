//! The page in place of the app when its database could not be opened at
//! start (a team's server down, a refused password): what went wrong, "Try
//! again", and "Open this desktop's own database".

use crate::api;
use leptos::prelude::*;
use partwatch_types::{commands, DatabaseProblem, DatabaseSource};

/// Shows `children` (the app) once a database is open; the problem page
/// while none is.
#[component]
pub fn DatabaseGate(children: ChildrenFn) -> impl IntoView {
    // Outer `None`: not asked yet.
    let problem = RwSignal::new(None::<Option<DatabaseProblem>>);
    leptos::task::spawn_local(async move {
        let answer = api::ask::<commands::GetDatabaseProblem>()
            .await
            .unwrap_or_else(|err| {
                Some(DatabaseProblem {
                    database: "the database".into(),
                    source: DatabaseSource::Own,
                    message: err.message,
                })
            });
        problem.set(Some(answer));
    });
    move || match problem.get() {
        None => ().into_any(),
        Some(None) => children().into_any(),
        Some(Some(shown)) => view! { <ProblemPage shown problem/> }.into_any(),
    }
}

/// Reloads the window now that a database is open (or, if the window cannot
/// reload, shows the app in place).
fn start_afresh(problem: RwSignal<Option<Option<DatabaseProblem>>>) {
    if window().location().reload().is_err() {
        problem.set(Some(None));
    }
}

#[component]
fn ProblemPage(
    shown: DatabaseProblem,
    problem: RwSignal<Option<Option<DatabaseProblem>>>,
) -> impl IntoView {
    let tries = RwSignal::new(0_u32);
    let message = RwSignal::new(shown.message.clone());
    let retry = Action::new_local(|own: &bool| {
        let own = *own;
        async move {
            if own {
                api::ask::<commands::UseOwnDatabase>().await
            } else {
                api::ask::<commands::RetryDatabase>().await
            }
        }
    });
    Effect::new(move |_| match retry.value().get() {
        // Open now: the app starts afresh in the window, so that everything
        // it set up while no database was open (the bell's count, the
        // settings it reads once) is read from the open one.
        Some(Ok(None)) => start_afresh(problem),
        Some(Ok(Some(still))) => {
            tries.update(|n| *n += 1);
            message.set(still.message);
        }
        Some(Err(err)) => {
            tries.update(|n| *n += 1);
            message.set(err.message);
        }
        None => {}
    });
    let where_chosen = match shown.source {
        DatabaseSource::CommandLine => {
            "It was named with --database when Partwatch was started."
        }
        DatabaseSource::Environment => {
            "It is named by PARTWATCH_DATABASE_URL in Partwatch's environment."
        }
        DatabaseSource::Settings => {
            "It was chosen in Settings › Team database. Opening this desktop's own database forgets that choice."
        }
        DatabaseSource::Own => "It is this desktop's own database file.",
    };
    let busy = move || retry.pending().get();
    view! {
        <main class="page problem-page" id="main">
            <section class="card" aria-labelledby="problem-title">
                <h1 id="problem-title">"Partwatch could not open its database"</h1>
                <p>"The database "<span class="mono">{shown.database.clone()}</span>" could not be opened:"</p>
                <p class="field-error" role="alert">{move || message.get()}</p>
                <p class="muted">{where_chosen}</p>
                {move || (tries.get() > 0).then(|| view! {
                    <p class="muted" role="status">
                        {move || format!("Tried again: still not open ({} tr{}).", tries.get(), if tries.get() == 1 { "y" } else { "ies" })}
                    </p>
                })}
                <div class="save-row">
                    <button type="button" class="button primary" disabled=busy
                        on:click=move |_| { retry.dispatch(false); }>
                        "Try again"
                    </button>
                    <button type="button" class="button" disabled=busy
                        on:click=move |_| { retry.dispatch(true); }>
                        "Open this desktop's own database"
                    </button>
                </div>
            </section>
        </main>
    }
}
