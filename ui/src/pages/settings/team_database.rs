//! Team database: which database this desktop has open, a team's
//! PostgreSQL URL to check, to choose for the next start, and to move this
//! desktop's own database into (with a progress bar).

use crate::api;
use crate::components::dialog::TextField;
use crate::components::error::Failure;
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::events::MOVE_PROGRESS;
use partwatch_types::{
    commands, DatabaseSource, MoveProgress, MoveSummary, PasswordPlace, TeamDatabaseCheck,
    TeamDatabaseStatus,
};

#[component]
pub(super) fn TeamDatabaseSection() -> impl IntoView {
    let status = RwSignal::new(None::<TeamDatabaseStatus>);
    let loaded = LocalResource::new(api::ask::<commands::GetTeamDatabase>);
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            status.set(Some(s));
        }
    });
    let url = RwSignal::new(String::new());
    let error = form::error();
    let checked = RwSignal::new(None::<TeamDatabaseCheck>);
    let moved = RwSignal::new(None::<MoveSummary>);
    let progress = RwSignal::new(None::<MoveProgress>);
    api::listen_forever(MOVE_PROGRESS, move |p: MoveProgress| progress.set(Some(p)));
    // A new URL is not the one checked or moved to.
    Effect::new(move |_| {
        url.track();
        checked.set(None);
        moved.set(None);
    });

    let check = api::action::<commands::CheckTeamDatabase>();
    api::on_success(check, error, move |c| checked.set(Some(c)));
    let choose = api::action::<commands::ChooseTeamDatabase>();
    // Chosen: "Next start" names it now, and the typed URL (its password
    // with it) leaves the screen.
    api::on_success(choose, error, move |s| {
        status.set(Some(s));
        url.set(String::new());
    });
    let move_up = api::action::<commands::MoveToTeamDatabase>();
    api::on_success(move_up, error, move |summary| {
        progress.set(None);
        moved.set(Some(summary));
    });
    Effect::new(move |_| {
        if let Some(Err(_)) = move_up.value().get() {
            progress.set(None);
        }
    });
    let busy = move || check.pending().get() || move_up.pending().get() || choose.pending().get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        check.dispatch(url.get_untracked());
    };

    view! {
        <section class="card" id="team" aria-labelledby="team-title">
            <h2 id="team-title">"Team database"</h2>
            <p class="muted">
                "A team shares one PostgreSQL database, each person on their own desktop. "
                "Check a database's address, move this desktop's inventory there, and use it from the next start."
            </p>
            <dl class="facts">
                <dt>"Open now"</dt>
                <dd class="mono">{move || status.get().map(|s| s.open).unwrap_or_default()}</dd>
                <dt>"Chosen by"</dt>
                <dd>{move || status.get().map(|s| source_text(s.source)).unwrap_or_default()}</dd>
                <dt>"Next start"</dt>
                <dd class:mono=move || status.get().is_some_and(|s| s.saved.is_some())>
                    {move || status.get().map(|s| s.saved.unwrap_or_else(|| "This desktop's own database".to_owned())).unwrap_or_default()}
                </dd>
                {move || status.get().and_then(|s| s.password_place).map(|place| view! {
                    <dt>"Password"</dt>
                    <dd>{password_place_text(&place)}</dd>
                })}
            </dl>
            <form on:submit=on_submit class="settings-form">
                <TextField label="PostgreSQL URL" value=url mono=true
                    placeholder="postgres://user:password@host:5432/partwatch"
                    hint="Add ?sslmode=verify-full&sslrootcert=/path/to/ca.crt for TLS with a CA file."/>
                <div class="save-row">
                    <button type="submit" class="button" disabled=move || busy() || url.get().trim().is_empty()>
                        "Check connection"
                    </button>
                    {move || status.get().filter(|s| s.saved.is_some()).map(|_| view! {
                        <button type="button" class="button" disabled=busy
                            on:click=move |_| { choose.dispatch(None); }>
                            "Use this desktop's own database from the next start"
                        </button>
                    })}
                </div>
            </form>
            <Failure error/>
            {move || checked.get().map(|c| {
                let newer = c.schema_version.is_some_and(|v| v > c.known_schema_version);
                let empty = c.parts.unwrap_or(0) == 0;
                let can_move = !newer && empty && status.get().is_some_and(|s| !s.is_postgres);
                view! {
                    <div class="check-result" role="status" aria-label="Connection check">
                        <p>{check_text(&c)}</p>
                        <div class="save-row">
                            {can_move.then(|| view! {
                                <button type="button" class="button primary" disabled=busy
                                    on:click=move |_| { moved.set(None); move_up.dispatch(url.get_untracked()); }>
                                    "Move this desktop's database there"
                                </button>
                            })}
                            {(!newer).then(|| view! {
                                <button type="button" class="button" disabled=busy
                                    on:click=move |_| { choose.dispatch(Some(url.get_untracked())); }>
                                    "Use it from the next start"
                                </button>
                            })}
                        </div>
                    </div>
                }
            })}
            {move || progress.get().map(|p| view! {
                <div class="move-progress">
                    <progress aria-label="Moving to the team database"
                        max=p.total.max(1).to_string() value=p.copied.to_string()></progress>
                    <span>{format!("{} of {} rows{}", p.copied, p.total,
                        if p.table.is_empty() { String::new() } else { format!(" ({})", p.table) })}</span>
                </div>
            })}
            {move || moved.get().map(|m| view! {
                <p class="ok" role="status">
                    {format!("Moved {} rows in {} tables to {}. Choose “Use it from the next start”, then restart Partwatch.", m.rows, m.tables, m.target)}
                </p>
            })}
        </section>
    }
}

fn source_text(source: DatabaseSource) -> &'static str {
    match source {
        DatabaseSource::Own => "This desktop (its own SQLite file)",
        DatabaseSource::CommandLine => "The command line (--database)",
        DatabaseSource::Environment => "The environment (PARTWATCH_DATABASE_URL)",
        DatabaseSource::Settings => "These settings",
    }
}

fn check_text(c: &TeamDatabaseCheck) -> String {
    let server = format!(
        "Connected to PostgreSQL {} at {}.",
        c.server_version, c.target
    );
    match (c.schema_version, c.parts) {
        (Some(v), _) if v > c.known_schema_version => format!(
            "{server} Its Partwatch schema ({v}) is newer than this Partwatch knows ({}): update Partwatch first.",
            c.known_schema_version
        ),
        (Some(_), Some(parts)) if parts > 0 => format!(
            "{server} It holds a Partwatch inventory of {parts} part{}.",
            if parts == 1 { "" } else { "s" }
        ),
        (Some(_), _) => format!("{server} It holds an empty Partwatch inventory."),
        (None, _) => format!("{server} It is empty: Partwatch will set it up."),
    }
}

/// Where the saved team database's password is kept, in words.
fn password_place_text(place: &PasswordPlace) -> String {
    match place {
        PasswordPlace::Keyring => "Kept in this desktop's keyring".to_owned(),
        PasswordPlace::PrivateFile { reason } => format!(
            "Kept in the data directory's team-database.url, readable by you only: the keyring could not take it ({reason})"
        ),
    }
}
