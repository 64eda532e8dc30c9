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

use crate::api;
use crate::components::error::{ErrorText, Failure};
use crate::components::form;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{Location, LocationId, LocationRef, NewLocation, PATH_SEPARATOR};
use partwatch_types::ApiError;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many locations the list shows at most; typing narrows it.
const SHOWN: usize = 50;

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
    let list_id = format!("{id}-list");
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let text = state.text;
    text.set(value.get_untracked().map(|l| l.path).unwrap_or_default());
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0_usize);
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
            open.set(false);
            error.set(None);
        }
        Choice::Existing(location) => {
            text.set(location.path.clone());
            value.set(Some(location));
            state.settled.set(true);
            open.set(false);
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
        active.set(at);
        open.set(true);
    };
    // Leaving the field: text that names a location exactly chooses it;
    // blank text is "no location" (unless a choice is required).
    let settle = move || {
        open.set(false);
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
    let on_key = move |ev: KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if open.get_untracked() {
                    active.update(|a| *a = (*a + 1).min(count.saturating_sub(1)));
                } else {
                    show_all();
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                if open.get_untracked() {
                    active.update(|a| *a = a.saturating_sub(1));
                } else {
                    show_all();
                }
            }
            "Enter" => {
                if open.get_untracked() {
                    ev.prevent_default();
                    let picked = options.with_untracked(|c| c.get(active.get_untracked()).cloned());
                    if let Some(choice) = picked {
                        choose(choice);
                    }
                } else if !state.settled.get_untracked() {
                    // Not a choice yet: show what it could be instead of sending the form.
                    ev.prevent_default();
                    query.set(text.get_untracked());
                    active.set(0);
                    open.set(true);
                }
            }
            "Escape" if open.get_untracked() => {
                // Closes the list only, not the dialog around it.
                ev.prevent_default();
                ev.stop_propagation();
                open.set(false);
            }
            _ => {}
        }
    };
    // The active option stays in sight as the arrows move.
    let scroll_to = option_id.clone();
    Effect::new(move |_| {
        let at = active.get();
        if open.get() {
            scroll_into_view(&scroll_to(at));
        }
    });

    let described = format!("{id}-hint");
    let has_hint = !hint.is_empty();
    let active_id = option_id.clone();
    view! {
        <div class="field combo">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || {
                    (open.get() && !options.with(Vec::is_empty)).then(|| active_id(active.get()))
                }
                aria-describedby=has_hint.then(|| described.clone())
                aria-invalid=move || if !open.get() && unsettled_text(state) { "true" } else { "false" }
                placeholder=move || if state.settled.get() { none_label } else { "Type or choose a location" }
                autofocus=autofocus
                prop:value=move || text.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    text.set(typed.clone());
                    query.set(typed);
                    state.settled.set(false);
                    active.set(0);
                    open.set(true);
                }
                on:click=move |_| if !open.get_untracked() { show_all() }
                on:keydown=on_key
                on:blur=move |_| settle()
            />
            <ul id=list_id class="combo-list" role="listbox" aria-label=label hidden=move || !open.get()>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, choice)| {
                            let words = choice.label(none_label);
                            let new = matches!(choice, Choice::New { .. });
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class="combo-option"
                                    class:active=move || active.get() == i
                                    class:create=new
                                    aria-selected=move || if active.get() == i { "true" } else { "false" }
                                    // Keeps the focus in the field, so choosing is no blur.
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:mousemove=move |_| active.set(i)
                                    on:click=move |_| choose(choice.clone())
                                >
                                    {words}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || (open.get() && options.with(Vec::is_empty)).then(|| view! {
                <p class="hint small">"No locations yet: type a name to create one."</p>
            })}
            {move || (!open.get() && unsettled_text(state)).then(|| view! {
                <p class="hint small warn-text">"Not chosen yet: pick a location from the list, or “New location” to create it."</p>
            })}
            {has_hint.then(|| view! { <span class="hint small" id=described.clone()>{hint}</span> })}
            {move || create.pending().get().then(|| view! { <p class="hint small" aria-busy="true">"Creating the location…"</p> })}
            {move || load_error.get().map(|err| view! { <ErrorText err/> })}
            <Failure error/>
        </div>
    }
}

/// Typed text in the field that is not a choice.
fn unsettled_text(state: PickerText) -> bool {
    !state.settled.get() && !state.text.with(|t| t.trim().is_empty())
}

fn scroll_into_view(element_id: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(element) = document().get_element_by_id(element_id) else {
        return;
    };
    let options = js_sys::Object::new();
    // Nothing to do if the browser lacks it: the list still works.
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Ok(scroll) = js_sys::Reflect::get(&element, &"scrollIntoView".into()) {
        if let Some(scroll) = scroll.dyn_ref::<js_sys::Function>() {
            let _ = scroll.call1(&JsValue::from(element), &options);
        }
    }
}

// ---------------------------------------------------------------- the list

/// One option of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Choice {
    /// No location.
    Nowhere,
    Existing(LocationRef),
    /// Creates `name` under `parent` (or at the top level), then chooses it.
    New {
        parent: Option<LocationRef>,
        name: String,
        /// The text typed before the last separator, when no location has
        /// that path (so the new one goes to the top level).
        unknown_parent: Option<String>,
    },
}

impl Choice {
    /// What the option says (its accessible name).
    fn label(&self, none_label: &str) -> String {
        match self {
            Choice::Nowhere => none_label.to_owned(),
            Choice::Existing(location) => location.path.clone(),
            Choice::New {
                parent: Some(parent),
                name,
                ..
            } => format!("New location “{name}” in {}", parent.path),
            Choice::New {
                name,
                unknown_parent: Some(missing),
                ..
            } => format!("New location “{name}” at the top level (there is no “{missing}”)"),
            Choice::New { name, .. } => format!("New location “{name}”"),
        }
    }
}

/// Text with its spaces collapsed and " > " read as the path separator.
fn tidy(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" > ", PATH_SEPARATOR)
}

/// For comparing paths: tidy and lower-case.
fn key(text: &str) -> String {
    tidy(text).to_lowercase()
}

/// Whether every word of `query` is in `path` (case-insensitive).
fn matches(path: &str, query: &str) -> bool {
    let path = path.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .filter(|word| !matches!(*word, "›" | ">"))
        .all(|word| path.contains(word))
}

/// The location whose full path is `text` (case and spacing aside).
fn at_path<'a>(all: &'a [Location], text: &str) -> Option<&'a Location> {
    let wanted = key(text);
    all.iter().find(|l| key(&l.path) == wanted)
}

/// The location `text` names: its full path, or the name of exactly one.
fn named(all: &[Location], text: &str) -> Option<LocationRef> {
    let found = at_path(all, text).or_else(|| {
        let wanted = key(text);
        let mut same_name = all.iter().filter(|l| key(&l.name) == wanted);
        match (same_name.next(), same_name.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })?;
    Some(LocationRef {
        id: found.id,
        path: found.path.clone(),
    })
}

/// The location typed text would create, if it names none yet.
fn new_location(all: &[Location], typed: &str) -> Option<Choice> {
    let typed = tidy(typed);
    if typed.is_empty() || typed.ends_with(['›', '>']) || at_path(all, &typed).is_some() {
        return None;
    }
    let Some((prefix, name)) = typed.rsplit_once(PATH_SEPARATOR) else {
        return Some(Choice::New {
            parent: None,
            name: typed,
            unknown_parent: None,
        });
    };
    let name = name.trim().to_owned();
    Some(match at_path(all, prefix) {
        Some(parent) => Choice::New {
            parent: Some(LocationRef {
                id: parent.id,
                path: parent.path.clone(),
            }),
            name,
            unknown_parent: None,
        },
        None => Choice::New {
            parent: None,
            name,
            unknown_parent: Some(prefix.trim().to_owned()),
        },
    })
}

/// The options for `query`: with nothing typed, "no location" and every
/// location; else the locations whose path has every word typed, then the
/// new location the text would make. `excluded` are left out.
fn choices(all: &[Location], query: &str, excluded: &HashSet<LocationId>) -> Vec<Choice> {
    let offered = all.iter().filter(|l| !excluded.contains(&l.id));
    let as_choice = |l: &Location| {
        Choice::Existing(LocationRef {
            id: l.id,
            path: l.path.clone(),
        })
    };
    if query.trim().is_empty() {
        return std::iter::once(Choice::Nowhere)
            .chain(offered.take(SHOWN).map(as_choice))
            .collect();
    }
    offered
        .filter(|l| matches(&l.path, query))
        .take(SHOWN)
        .map(as_choice)
        .chain(new_location(all, query))
        .collect()
}

/// `root` and every location below it (the list is in tree order: each
/// location after its parent).
fn subtree(all: &[Location], root: LocationId) -> HashSet<LocationId> {
    let mut inside = HashSet::from([root]);
    for location in all {
        if location.parent_id.is_some_and(|p| inside.contains(&p)) {
            inside.insert(location.id);
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(id: i64, parent: Option<i64>, path: &str) -> Location {
        let name = path
            .rsplit(PATH_SEPARATOR)
            .next()
            .unwrap_or(path)
            .to_owned();
        Location {
            id: LocationId(id),
            parent_id: parent.map(LocationId),
            name,
            description: String::new(),
            path: path.to_owned(),
            depth: path.matches(PATH_SEPARATOR).count() as i64,
            items: 0,
            children: 0,
        }
    }

    fn store() -> Vec<Location> {
        vec![
            location(1, None, "Store"),
            location(2, Some(1), "Store › Shelf B"),
            location(3, Some(2), "Store › Shelf B › Drawer A3"),
            location(4, Some(1), "Store › Shelf C"),
            location(5, None, "Lab"),
        ]
    }

    fn labels(choices: &[Choice]) -> Vec<String> {
        choices.iter().map(|c| c.label("No location")).collect()
    }

    #[test]
    fn nothing_typed_offers_no_location_and_every_location_in_tree_order() {
        let all = store();
        assert_eq!(
            labels(&choices(&all, " ", &HashSet::new())),
            [
                "No location",
                "Store",
                "Store › Shelf B",
                "Store › Shelf B › Drawer A3",
                "Store › Shelf C",
                "Lab"
            ]
        );
    }

    #[test]
    fn typing_narrows_by_every_word_of_the_path_and_offers_a_new_location() {
        let all = store();
        assert_eq!(
            labels(&choices(&all, "shelf b a3", &HashSet::new())),
            ["Store › Shelf B › Drawer A3", "New location “shelf b a3”"]
        );
        // An exact path is there already: nothing to create.
        assert_eq!(
            labels(&choices(&all, "store > shelf c", &HashSet::new())),
            ["Store › Shelf C"]
        );
        assert_eq!(
            labels(&choices(&all, "Bin 9", &HashSet::new())),
            ["New location “Bin 9”"]
        );
    }

    #[test]
    fn a_new_location_goes_under_the_path_typed_before_the_last_separator() {
        let all = store();
        assert_eq!(
            new_location(&all, "Store › Shelf B > Drawer  A4"),
            Some(Choice::New {
                parent: Some(LocationRef {
                    id: LocationId(2),
                    path: "Store › Shelf B".to_owned()
                }),
                name: "Drawer A4".to_owned(),
                unknown_parent: None,
            })
        );
        let top = new_location(&all, "Attic > Box 1").expect("a new location");
        assert_eq!(
            top,
            Choice::New {
                parent: None,
                name: "Box 1".to_owned(),
                unknown_parent: Some("Attic".to_owned()),
            }
        );
        assert_eq!(
            top.label("No location"),
            "New location “Box 1” at the top level (there is no “Attic”)"
        );
        assert_eq!(
            new_location(&all, "store › shelf b › x").map(|c| c.label("")),
            Some("New location “x” in Store › Shelf B".to_owned())
        );
        assert_eq!(new_location(&all, "Store ›"), None);
        assert_eq!(new_location(&all, "   "), None);
        assert_eq!(new_location(&all, "STORE › SHELF B"), None);
    }

    #[test]
    fn leaving_the_field_chooses_an_exact_path_or_a_unique_name_only() {
        let mut all = store();
        assert_eq!(
            named(&all, "store > shelf b > drawer a3").map(|l| l.id),
            Some(LocationId(3))
        );
        assert_eq!(named(&all, "drawer a3").map(|l| l.id), Some(LocationId(3)));
        assert_eq!(named(&all, "drawer"), None);
        all.push(location(6, Some(5), "Lab › Drawer A3"));
        assert_eq!(named(&all, "Drawer A3"), None, "two have that name");
    }

    #[test]
    fn a_location_cannot_be_offered_as_a_place_inside_itself() {
        let all = store();
        let inside = subtree(&all, LocationId(2));
        assert_eq!(inside, HashSet::from([LocationId(2), LocationId(3)]));
        assert_eq!(
            labels(&choices(&all, "", &inside)),
            ["No location", "Store", "Store › Shelf C", "Lab"]
        );
    }
}
