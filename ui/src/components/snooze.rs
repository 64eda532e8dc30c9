//! Snoozing a part or a category for the current person: "Snooze…" beside
//! the bell opens a dialog (1 day, 1 week, until a date, or — a part — until
//! it is back in stock); while one is in force the page says "Snoozed until
//! …" with "Unsnooze". A snooze that ends by itself is announced
//! (`SNOOZES_ENDED`), and so is another desktop's change: the line asks again.

use crate::api;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::reload::{track_elsewhere, ChangedElsewhere};
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::notifications::{SetSnooze, Snooze, SnoozeLength, SnoozeTarget};
use partwatch_types::{commands, events, ApiError};

/// The lengths the dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Day,
    Week,
    Until,
    BackInStock,
}

impl Length {
    fn label(self) -> &'static str {
        match self {
            Length::Day => "For 1 day",
            Length::Week => "For 1 week",
            Length::Until => "Until a date",
            Length::BackInStock => "Until it is back in stock",
        }
    }
}

/// "Snoozed until 12 Dec 2026, 08:00" (or "… until it is back in stock").
fn snoozed_text(snooze: &Snooze) -> String {
    match &snooze.until {
        Some(until) => format!("Snoozed until {}", local_time(until)),
        None => "Snoozed until it is back in stock".to_owned(),
    }
}

#[component]
pub fn SnoozeControl(target: SnoozeTarget, name: String) -> impl IntoView {
    let current = RwSignal::new(None::<Snooze>);
    let elsewhere = ChangedElsewhere::from_context();
    let loaded = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        async move { api::invoke::<commands::GetSnooze>(&target).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(snooze)) => current.set(snooze),
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    api::listen_while_mounted(events::SNOOZES_ENDED, move |()| loaded.refetch());
    let unsnooze = api::action::<commands::EndSnooze>();
    api::on_success(unsnooze, error, move |()| current.set(None));
    let choosing = RwSignal::new(false);
    let title = format!("Snooze {name}");
    view! {
        <div class="snooze-block">
            {move || match current.get() {
                Some(snooze) => view! {
                    <p class="snoozed" role="status">{snoozed_text(&snooze)}</p>
                    <button type="button" class="button" disabled=move || unsnooze.pending().get()
                        on:click=move |_| { unsnooze.dispatch(target); }>"Unsnooze"</button>
                }.into_any(),
                None => view! {
                    <button type="button" class="button" aria-haspopup="dialog"
                        title="Hear nothing about this for a while (others still do)"
                        on:click=move |_| choosing.set(true)>"Snooze…"</button>
                }.into_any(),
            }}
            <Failure error/>
            {move || choosing.get().then(|| view! {
                <SnoozeDialog target title=title.clone()
                    on_close=move || choosing.set(false)
                    on_done=move |snooze| { current.set(Some(snooze)); choosing.set(false); }/>
            })}
        </div>
    }
}

#[component]
fn SnoozeDialog(
    target: SnoozeTarget,
    title: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<Snooze>,
) -> impl IntoView {
    let lengths: Vec<Length> = match target {
        SnoozeTarget::Part(_) => vec![
            Length::Day,
            Length::Week,
            Length::Until,
            Length::BackInStock,
        ],
        SnoozeTarget::Category(_) => vec![Length::Day, Length::Week, Length::Until],
    };
    let length = RwSignal::new(Length::Day);
    let date = RwSignal::new(String::new());
    let error = form::error();
    let save = api::action::<commands::SetSnoozeCommand>();
    api::on_success(save, error, move |snooze| on_done.run(snooze));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let length = match length.get() {
            Length::Day => SnoozeLength::Day,
            Length::Week => SnoozeLength::Week,
            Length::Until => SnoozeLength::Until { date: date.get() },
            Length::BackInStock => SnoozeLength::BackInStock,
        };
        save.dispatch(SetSnooze { target, length });
    };
    view! {
        <Dialog title on_close>
            <form on:submit=submit>
                <p class="muted">"You hear nothing about it until then; others still do. If it is still low when the snooze ends, you are told once."</p>
                <fieldset class="checks stacked">
                    <legend>"How long"</legend>
                    {lengths.into_iter().map(|choice| view! {
                        <label class="check">
                            <input type="radio" name="snooze-length"
                                prop:checked=move || length.get() == choice
                                on:change=move |_| length.set(choice)/>
                            {choice.label()}
                        </label>
                    }).collect::<Vec<_>>()}
                </fieldset>
                {move || (length.get() == Length::Until).then(|| view! {
                    <TextField label="Until" value=date input_type="date"
                        hint="The snooze ends at 08:00 that day (this desktop's time)."/>
                })}
                <Failure error/>
                <DialogActions submit="Snooze" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
