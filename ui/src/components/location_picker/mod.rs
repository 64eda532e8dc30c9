//! Choosing a location: a labelled, searchable combobox over the location
//! tree. Typing narrows the list by path ("shelf b a3" finds "Store › Shelf B
//! › Drawer A3"); the arrows move through it, Enter chooses, Escape closes it.
//! It also offers "No location" and, for text that names no location yet,
//! "New location “…”", which creates it on the spot and chooses it: under the
//! existing location the text names before its last " › " (or " > "), else at
//! the top level.
//!
//! Text typed but not chosen is not a choice: `PickerText::chosen` refuses it
//! with a sentence the form shows, so stock never goes somewhere by accident.

mod choices;

use crate::api;
use crate::components::combobox::{Combo, Combobox, Selection};
use crate::components::error::{ErrorText, Failure};
use crate::components::form;
use choices::{choices, named, subtree, Choice};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{Location, LocationId, LocationRef, NewLocation};
use partwatch_types::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Gives every picker on screen its own element ids.
static NEXT_PICKER: AtomicUsize = AtomicUsize::new(0);

/// What a picker's field shows and whether that is a choice. A form asks
/// `chosen` before it sends.
#[derive(Debug, Clone, Copy)]
pub struct PickerText {
    text: RwSignal<String>,
    settled: RwSignal<bool>,
    /// Nothing counts as chosen until the user picks ("No location" included).
    required: bool,
}

impl PickerText {
    /// The picker's value, "no location" included, is a choice from the start.
    pub fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            settled: RwSignal::new(true),
            required: false,
        }
    }

    /// Nothing is chosen until the user picks (where a wrong default would
    /// move stock somewhere unmeant).
    pub fn must_choose() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            settled: RwSignal::new(false),
            required: true,
        }
    }

    /// The chosen location's id (`None`: no location), or why there is no
    /// choice yet, naming the field `label`.
    pub fn chosen(
        self,
        label: &str,
        value: Option<&LocationRef>,
    ) -> Result<Option<LocationId>, ApiError> {
        if self.settled.get_untracked() {
            return Ok(value.map(|l| l.id));
        }
        let text = self.text.get_untracked();
        let text = text.trim();
        Err(form::invalid(if text.is_empty() {
            format!("{label}: choose a location from the list.")
        } else {
            format!(
                "{label}: “{text}” is not a location yet. Choose one from the list, \
                 or “New location” to create it."
            )
        }))
    }
}

impl Default for PickerText {
    fn default() -> Self {
        Self::new()
    }
}

/// A labelled location combobox. `value` is the chosen location (`None`: no
/// location); `none_label` names that choice ("No location" unless given);
/// `outside_of` leaves a location and everything in it out of the list (a
/// location cannot go inside itself).
#[component]
pub fn LocationPicker(
    label: &'static str,
    value: RwSignal<Option<LocationRef>>,
    #[prop(optional)] text: Option<PickerText>,
    #[prop(optional)] none_label: &'static str,
    #[prop(optional)] outside_of: Option<LocationId>,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let state = text.unwrap_or_default();
    let none_label = if none_label.is_empty() {
        "No location"
    } else {
        none_label
    };
    let id = format!(
        "location-picker-{}",
        NEXT_PICKER.fetch_add(1, Ordering::Relaxed)
    );
    let text = state.text;
    text.set(value.get_untracked().map(|l| l.path).unwrap_or_default());
    let query = RwSignal::new(String::new());
    let combo = Combo::new(Selection::Automatic);
    let error = RwSignal::new(None::<ApiError>);

    let loaded = LocalResource::new(api::ask::<commands::ListLocations>);
    let locations = RwSignal::new(Vec::<Location>::new());
    let load_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(list)) => locations.set(list),
        Some(Err(err)) => load_error.set(Some(err)),
        None => {}
    });
    // The caller may set the value (a reset): the field follows.
    Effect::watch(
        move || value.get(),
        move |now, _, _| {
            text.set(now.as_ref().map(|l| l.path.clone()).unwrap_or_default());
            state.settled.set(true);
        },
        false,
    );

    let excluded = Memo::new(move |_| {
        outside_of
            .map(|root| locations.with(|all| subtree(all, root)))
            .unwrap_or_default()
    });
    let options = Memo::new(move |_| {
        locations.with(|all| excluded.with(|ex| choices(all, &query.get(), ex)))
    });

    let create = api::action::<commands::CreateLocation>();
    let choose = move |choice: Choice| match choice {
        Choice::Nowhere => {
            value.set(None);
            text.set(String::new());
            state.settled.set(true);
            combo.close();
            error.set(None);
        }
        Choice::Existing(location) => {
            text.set(location.path.clone());
            value.set(Some(location));
            state.settled.set(true);
            combo.close();
            error.set(None);
        }
        Choice::New { parent, name, .. } => {
            create.dispatch(NewLocation {
                parent_id: parent.map(|p| p.id),
                name,
                description: String::new(),
            });
        }
    };
    api::on_success(create, error, move |made: Location| {
        let chosen = LocationRef {
            id: made.id,
            path: made.path.clone(),
        };
        locations.update(|all| all.push(made));
        choose(Choice::Existing(chosen));
    });

    // Opens the whole list, at the current choice.
    let show_all = move || {
        query.set(String::new());
        let current = value.get_untracked().map(|l| l.id);
        let at = options
            .get_untracked()
            .iter()
            .position(|c| match c {
                Choice::Existing(l) => Some(l.id) == current,
                Choice::Nowhere => current.is_none(),
                Choice::New { .. } => false,
            })
            .unwrap_or(0);
        combo.open_at(Some(at));
    };
    // Leaving the field: text that names a location exactly chooses it;
    // blank text is "no location" (unless a choice is required).
    let settle = move || {
        if state.settled.get_untracked() {
            return;
        }
        let typed = text.get_untracked();
        if typed.trim().is_empty() {
            if !state.required {
                choose(Choice::Nowhere);
            }
        } else if let Some(found) = locations.with_untracked(|all| named(all, &typed)) {
            choose(Choice::Existing(found));
        }
    };
    // Enter that picks nothing never sends the form: with the list open
    // there is nothing to pick; text not chosen yet shows what it could be.
    let on_enter = move || {
        if combo.open.get_untracked() {
            return true;
        }
        if state.settled.get_untracked() {
            return false;
        }
        query.set(text.get_untracked());
        combo.open_at(Some(0));
        true
    };

    let described = format!("{id}-hint");
    let has_hint = !hint.is_empty();
    view! {
        <Combobox
            id
            label
            text
            combo
            options=Signal::from(options)
            option_view=move |choice: &Choice| choice.label(none_label)
            option_class=|choice: &Choice| if matches!(choice, Choice::New { .. }) { "create" } else { "" }
            on_pick=choose
            on_input=move |typed: String| {
                query.set(typed);
                state.settled.set(false);
            }
            on_blur=settle
            on_open=show_all
            on_enter=on_enter
            placeholder=Signal::derive(move || if state.settled.get() { none_label } else { "Type or choose a location" })
            autofocus
            described_by=has_hint.then(|| described.clone())
            invalid=Signal::derive(move || !combo.open.get() && unsettled_text(state))
        >
            {move || (combo.open.get() && options.with(Vec::is_empty)).then(|| view! {
                <p class="hint small">"No locations yet: type a name to create one."</p>
            })}
            {move || (!combo.open.get() && unsettled_text(state)).then(|| view! {
                <p class="hint small warn-text">"Not chosen yet: pick a location from the list, or “New location” to create it."</p>
            })}
            {has_hint.then(|| view! { <span class="hint small" id=described.clone()>{hint}</span> })}
            {move || create.pending().get().then(|| view! { <p class="hint small" aria-busy="true">"Creating the location…"</p> })}
            {move || load_error.get().map(|err| view! { <ErrorText err/> })}
            <Failure error/>
        </Combobox>
    }
}

/// Typed text in the field that is not a choice.
fn unsettled_text(state: PickerText) -> bool {
    !state.settled.get() && !state.text.with(|t| t.trim().is_empty())
}
