//! What reaches you where: your own preference matrix (events × channels),
//! and the team's defaults that a cell you leave alone follows.

use super::{AdministratorsOnly, Edits, SaveRow, TeamSettings};
use crate::api;
use crate::components::dialog::{CheckField, TextField};
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::notifications::{
    NotificationKind, PersonalChannel, Preference, Preferences, QuietHours, Reminder, SetQuietHours,
};
use partwatch_types::ApiError;

/// The two matrices of the Notifications section: yours, then the team's
/// defaults. One answer fills both, and saving either refreshes both (a
/// cell of yours at the default moves with it).
#[component]
pub(super) fn PreferenceSections() -> impl IntoView {
    let loaded = LocalResource::new(api::ask::<commands::MyPreferences>);
    let answer = RwSignal::new(None::<Preferences>);
    Effect::new(move |_| {
        if let Some(Ok(p)) = loaded.get() {
            answer.set(Some(p));
        }
    });
    let failed = move || loaded.get().and_then(Result::err);
    view! {
        {move || failed().map(|err| view! { <p class="field-error" role="alert">{err.message}</p> })}
        <MatrixForm which=Which::Mine answer refetch=Callback::new(move |()| loaded.refetch())/>
        <ReminderForm answer refetch=Callback::new(move |()| loaded.refetch())/>
        <QuietHoursForm answer refetch=Callback::new(move |()| loaded.refetch())/>
        <super::digest::DigestForm answer refetch=Callback::new(move |()| loaded.refetch())/>
        <MatrixForm which=Which::TeamDefaults answer refetch=Callback::new(move |()| loaded.refetch())/>
    }
}

/// Whose cells a form edits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Mine,
    TeamDefaults,
}

impl Which {
    fn title(self) -> &'static str {
        match self {
            Which::Mine => "What reaches you where",
            Which::TeamDefaults => "The team's defaults",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Which::Mine => "mine",
            Which::TeamDefaults => "team-defaults",
        }
    }

    fn cells(self, answer: &Preferences) -> Vec<Preference> {
        match self {
            Which::Mine => answer.mine.clone(),
            Which::TeamDefaults => answer.team_defaults.clone(),
        }
    }

    /// A checkbox's accessible name: "Low stock by email".
    fn name(self, event: NotificationKind, channel: PersonalChannel) -> String {
        let how = match channel {
            PersonalChannel::InApp => "in the app",
            PersonalChannel::OsPopup => "as a desktop popup",
            PersonalChannel::Email => "by email",
        };
        match self {
            Which::Mine => format!("{} {how}", event.label()),
            Which::TeamDefaults => format!("Team default: {} {how}", event.label().to_lowercase()),
        }
    }
}

#[component]
fn MatrixForm(
    which: Which,
    answer: RwSignal<Option<Preferences>>,
    refetch: Callback<()>,
) -> impl IntoView {
    let cells = RwSignal::new(Vec::<Preference>::new());
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let edits = Edits::new(move || cells.get(), saved);
    edits.ask_before_leaving("notifications", which.title(), move || refetch.run(()));
    Effect::new(move |_| {
        if let Some(p) = answer.get() {
            // A save of the other form answers too: keep unsaved edits here.
            if cells.with_untracked(Vec::is_empty) || !edits.is_dirty() {
                cells.set(which.cells(&p));
                edits.settle();
            }
        }
    });
    let save_mine = api::action::<commands::UpdateMyPreferences>();
    let save_team = api::action::<commands::UpdateTeamDefaultPreferences>();
    let on_saved = move |p: Preferences| {
        saved.set(true);
        cells.set(which.cells(&p));
        edits.settle();
        answer.set(Some(p));
    };
    api::on_success(save_mine, error, on_saved);
    api::on_success(save_team, error, on_saved);
    let busy = Signal::derive(move || save_mine.pending().get() || save_team.pending().get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match which {
            Which::Mine => save_mine.dispatch(cells.get()),
            Which::TeamDefaults => save_team.dispatch(cells.get()),
        };
    };
    let at_defaults = move || {
        answer.with(|a| {
            a.as_ref()
                .is_none_or(|a| cells.with(|c| *c == a.team_defaults))
        })
    };
    let use_defaults = move |_| {
        if let Some(a) = answer.get_untracked() {
            cells.set(a.team_defaults);
        }
    };
    let may_change = TeamSettings::get();
    let locked = move || which == Which::TeamDefaults && !may_change.get();
    let title_id = format!("{}-title", which.id());
    let labelled_by = title_id.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=title_id>{which.title()}</h2>
            {match which {
                Which::Mine => view! {
                    <p class="muted intro">"Each event, each way of telling you. With “in the app” off, it goes straight to History; with every way off, you are not told. Out of stock is critical: it always reaches the inbox. A choice you leave as the team's default follows it."</p>
                }.into_any(),
                Which::TeamDefaults => view! {
                    <p class="muted intro">"What reaches a person who has not chosen otherwise."</p>
                    <AdministratorsOnly/>
                }.into_any(),
            }}
            <form on:submit=submit class="settings-form">
              <fieldset class="unboxed" disabled=locked>
                <table class="matrix">
                    <caption class="visually-hidden">{which.title()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Event"</th>
                            {PersonalChannel::ALL.into_iter().map(|c| view! { <th scope="col">{c.label()}</th> }).collect::<Vec<_>>()}
                        </tr>
                    </thead>
                    <tbody>
                        {NotificationKind::EVENTS.into_iter().map(|event| view! {
                            <tr>
                                <th scope="row">{event.label()}</th>
                                {PersonalChannel::ALL.into_iter().map(|channel| view! {
                                    <td><MatrixCell which event channel cells answer/></td>
                                }).collect::<Vec<_>>()}
                            </tr>
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
                {(which == Which::Mine).then(|| view! {
                    <div class="matrix-actions">
                        <button type="button" class="button" disabled=at_defaults on:click=use_defaults>
                            "Use the team's defaults"
                        </button>
                        <span class="muted">
                            <span class="own-choice" aria-hidden="true">"●"</span>
                            " differs from the team's default"
                        </span>
                    </div>
                })}
                <SaveRow
                    label=match which { Which::Mine => "Save my preferences", Which::TeamDefaults => "Save the team's defaults" }
                    busy saved error
                />
              </fieldset>
            </form>
        </section>
    }
}

#[component]
fn MatrixCell(
    which: Which,
    event: NotificationKind,
    channel: PersonalChannel,
    cells: RwSignal<Vec<Preference>>,
    answer: RwSignal<Option<Preferences>>,
) -> impl IntoView {
    let differs = move || {
        which == Which::Mine
            && answer.with(|a| {
                a.as_ref().is_some_and(|a| {
                    let default = a.team_default(event, channel);
                    cells.with(|c| {
                        c.iter().any(|p| {
                            p.event == event && p.channel == channel && p.enabled != default
                        })
                    })
                })
            })
    };
    let checked = move || {
        cells.with(|c| {
            c.iter()
                .any(|p| p.event == event && p.channel == channel && p.enabled)
        })
    };
    let set = move |ev| {
        let on = event_target_checked(&ev);
        cells.update(|c| {
            for p in c.iter_mut() {
                if p.event == event && p.channel == channel {
                    p.enabled = on;
                }
            }
        });
    };
    // Critical news always reaches the inbox: shown on, and not to be changed.
    let fixed = event.is_critical() && channel == PersonalChannel::InApp;
    let title = fixed.then_some("Critical: always in the app");
    let name = if fixed {
        format!("{} (always on)", which.name(event, channel))
    } else {
        which.name(event, channel)
    };
    view! {
        <input type="checkbox" aria-label=name prop:checked=checked on:change=set
            disabled=fixed title=title/>
        <span class="own-choice" aria-hidden="true" title="Differs from the team's default">
            {move || if differs() { "●" } else { "" }}
        </span>
    }
}

/// "Email me about what I have not read": hours, or empty for never.
#[component]
fn ReminderForm(answer: RwSignal<Option<Preferences>>, refetch: Callback<()>) -> impl IntoView {
    let hours = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let error = form::error();
    let edits = Edits::new(move || hours.get(), saved);
    edits.ask_before_leaving("notifications", "Your reminder", move || refetch.run(()));
    let shown = move |p: &Preferences| {
        p.remind_after_hours
            .map(|h| h.to_string())
            .unwrap_or_default()
    };
    let save = api::action::<commands::UpdateMyReminder>();
    follow_answer(answer, save, error, saved, edits, move |p| {
        hours.set(shown(p))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let typed = hours.get();
        let after_hours = match typed.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    return error.set(Some(
                        form::invalid("Enter a whole number of hours, or leave it empty.")
                            .on_field("Reminder hours"),
                    ))
                }
            },
        };
        save.dispatch(Reminder { after_hours });
    };
    view! {
        <section class="card" aria-labelledby="reminder-title">
            <h2 id="reminder-title">"Reminders by email"</h2>
            <p class="muted intro">"A notification you have not read by then comes to you by email once, even where email is off above. Left empty: no reminders."</p>
            <form on:submit=submit class="settings-form">
                <TextField label="Remind me after (hours)" value=hours inputmode="numeric" called="Reminder hours"
                    hint="Between 1 and 168 hours (a week)."/>
                <SaveRow label="Save my reminder" busy=save.pending().into() saved error/>
            </form>
        </section>
    }
}

/// Quiet hours: popups and mails wait from one time to another (this
/// desktop's time zone, kept with them), then go if still unread.
#[component]
fn QuietHoursForm(answer: RwSignal<Option<Preferences>>, refetch: Callback<()>) -> impl IntoView {
    let on = RwSignal::new(false);
    let from = RwSignal::new("22:00".to_owned());
    let to = RwSignal::new("07:00".to_owned());
    let zone = RwSignal::new(String::new());
    let critical_through = RwSignal::new(true);
    let saved = RwSignal::new(false);
    let error = form::error();
    let edits = Edits::new(
        move || (on.get(), from.get(), to.get(), critical_through.get()),
        saved,
    );
    edits.ask_before_leaving("notifications", "Your quiet hours", move || refetch.run(()));
    let show = move |p: &Preferences| match &p.quiet_hours {
        Some(q) => {
            on.set(true);
            from.set(q.from.clone());
            to.set(q.to.clone());
            zone.set(q.time_zone.clone());
            critical_through.set(q.critical_through);
        }
        None => on.set(false),
    };
    let save = api::action::<commands::UpdateMyQuietHours>();
    follow_answer(answer, save, error, saved, edits, show);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.dispatch(SetQuietHours {
            quiet_hours: on.get().then(|| QuietHours {
                from: from.get(),
                to: to.get(),
                time_zone: String::new(),
                critical_through: critical_through.get(),
            }),
        });
    };
    view! {
        <section class="card" aria-labelledby="quiet-title">
            <h2 id="quiet-title">"Quiet hours"</h2>
            <p class="muted intro">"Desktop popups and emails wait until the quiet hours end, and go then only if you have not read them in the app. The inbox gets everything at once. Out of stock is critical: you may let it through at once."</p>
            <form on:submit=submit class="settings-form">
                <CheckField label="Keep quiet hours" value=on/>
                <fieldset class="unboxed field-row" disabled=move || !on.get()>
                    <TextField label="Quiet from" value=from input_type="time"/>
                    <TextField label="Quiet until" value=to input_type="time"
                        hint="The next day, when earlier than the start."/>
                </fieldset>
                <fieldset class="unboxed" disabled=move || !on.get()>
                    <CheckField label="Let out of stock through at once" value=critical_through/>
                </fieldset>
                {move || {
                    let zone = zone.get();
                    (on.get() && !zone.is_empty()).then(|| view! { <p class="hint small">{format!("Kept in the time zone {zone}.")}</p> })
                }}
                <SaveRow label="Save my quiet hours" busy=save.pending().into() saved error/>
            </form>
        </section>
    }
}

/// Ties one of the person's own forms beside the matrix to the one shared
/// answer: shows each answer that comes (unless the form has unsaved edits),
/// and after a save shows the saved answer and hands it to the other forms.
pub(super) fn follow_answer<I: 'static, T: Clone + Send + Sync + PartialEq + 'static>(
    answer: RwSignal<Option<Preferences>>,
    save: Action<I, Result<Preferences, ApiError>>,
    error: RwSignal<Option<ApiError>>,
    saved: RwSignal<bool>,
    edits: Edits<T>,
    show: impl Fn(&Preferences) + Copy + 'static,
) {
    Effect::new(move |_| {
        if let Some(p) = answer.get() {
            if !edits.is_dirty() {
                show(&p);
                edits.settle();
            }
        }
    });
    api::on_success(save, error, move |p: Preferences| {
        saved.set(true);
        show(&p);
        edits.settle();
        answer.set(Some(p));
    });
}
