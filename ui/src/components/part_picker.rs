//! Choosing one part among thousands: a combobox (ARIA 1.2) that searches
//! the parts by name, IPN or description as you type (after a short pause),
//! a page of matches at a time, each shown with its IPN. Arrow keys move
//! through the matches, Enter picks one, Escape closes the list; the mouse
//! works too. Its accessible name is its label.

use crate::api;
use crate::components::error::ErrorText;
use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{Page, PartId, PartQuery, PartRef, PartRow};
use std::time::Duration;

/// Matches asked for at a time; more than that says "keep typing".
pub const MATCHES: i64 = 20;

/// How long typing pauses before the matches follow.
const TYPING_PAUSE: Duration = Duration::from_millis(150);

/// Which parts a picker offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Offer {
    /// Every part.
    #[default]
    Any,
    /// Assemblies (parts with a BOM) only.
    Assemblies,
    /// Templates (parts with variants) only.
    Templates,
}

/// What the picker asks for when `search` has been typed.
pub fn query(search: &str, offer: Offer, active_only: bool) -> PartQuery {
    PartQuery {
        search: search.trim().to_owned(),
        active: active_only.then_some(true),
        assemblies_only: offer == Offer::Assemblies,
        templates_only: offer == Offer::Templates,
        page_size: MATCHES,
        ..PartQuery::default()
    }
}

/// The option an arrow key moves to among `len` options (wrapping round).
fn step(active: Option<usize>, len: usize, down: bool) -> Option<usize> {
    if len == 0 {
        return None;
    }
    Some(match (active, down) {
        (None, true) => 0,
        (None, false) => len - 1,
        (Some(i), true) => (i + 1) % len,
        (Some(i), false) => (i + len - 1) % len,
    })
}

/// The one match whose name is exactly `text` (ignoring case and spaces
/// around it), if there is exactly one.
fn exact<'a>(rows: &'a [PartRow], text: &str) -> Option<&'a PartRow> {
    let text = text.trim().to_lowercase();
    let mut same = rows.iter().filter(|r| r.name.to_lowercase() == text);
    match (same.next(), same.next()) {
        (Some(row), None) => Some(row),
        _ => None,
    }
}

/// What the list says under its matches, if anything.
fn summary(shown: usize, total: i64, search: &str) -> Option<String> {
    let shown = i64::try_from(shown).unwrap_or(i64::MAX);
    if shown == 0 {
        Some(if search.trim().is_empty() {
            "No parts to choose from.".to_owned()
        } else {
            format!("No parts match “{}”.", search.trim())
        })
    } else if total > shown {
        Some(format!(
            "The first {shown} of {total} matches: type more to narrow them."
        ))
    } else {
        None
    }
}

/// A part picker labelled `label`; `value` is the part picked (`None`
/// until one is). Only `active_only` parts, of the kind `offer` says, and
/// never `exclude` (the assembly itself, in its own BOM).
#[component]
pub fn PartPicker(
    label: &'static str,
    value: RwSignal<Option<PartRef>>,
    #[prop(optional)] offer: Offer,
    #[prop(optional)] active_only: bool,
    #[prop(optional_no_strip)] exclude: Option<PartId>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let id = format!(
        "field-{}",
        label
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    let list_id = format!("{id}-list");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let text = RwSignal::new(value.get_untracked().map(|p| p.name).unwrap_or_default());
    let search = RwSignal::new(text.get_untracked());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let typing = StoredValue::new(0_u32);

    // A part picked elsewhere (a form reset, an edit) shows in the field.
    Effect::new(move |_| {
        if let Some(part) = value.get() {
            if text.get_untracked() != part.name {
                text.set(part.name);
            }
        }
    });

    let matches = LocalResource::new(move || {
        let search = search.get();
        let wanted = open.get();
        async move {
            if !wanted {
                return None;
            }
            Some(api::invoke::<commands::ListParts>(&query(&search, offer, active_only)).await)
        }
    });
    // The matches shown: the last answer (kept while the next one loads).
    let rows = move || -> Option<Result<(Vec<PartRow>, i64), partwatch_types::ApiError>> {
        matches.get().flatten().map(|answer| {
            answer.map(|page: Page<PartRow>| {
                let total = page.total;
                let rows = page
                    .items
                    .into_iter()
                    .filter(|r| Some(r.id) != exclude)
                    .collect();
                (rows, total)
            })
        })
    };
    let shown = move || match rows() {
        Some(Ok((rows, _))) => rows,
        _ => Vec::new(),
    };

    let pick = move |row: &PartRow| {
        value.set(Some(PartRef {
            id: row.id,
            name: row.name.clone(),
        }));
        text.set(row.name.clone());
        search.set(row.name.clone());
        open.set(false);
        active.set(None);
    };

    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if value.with_untracked(|v| v.as_ref().is_some_and(|p| p.name != typed)) {
            value.set(None);
        }
        text.set(typed.clone());
        open.set(true);
        active.set(None);
        typing.update_value(|n| *n += 1);
        set_timeout(
            move || {
                typing.update_value(|n| *n = n.saturating_sub(1));
                if typing.try_get_value() == Some(0) {
                    search.set(typed);
                }
            },
            TYPING_PAUSE,
        );
    };
    let on_key = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            if !open.get_untracked() {
                open.set(true);
            }
            let len = shown().len();
            active.set(step(active.get_untracked(), len, ev.key() == "ArrowDown"));
        }
        "Enter" if open.get_untracked() => {
            let rows = shown();
            let chosen = match active.get_untracked() {
                Some(i) => rows.get(i).cloned(),
                None if rows.len() == 1 => rows.first().cloned(),
                None => None,
            };
            if let Some(row) = chosen {
                // Picking is not submitting the form.
                ev.prevent_default();
                pick(&row);
            }
        }
        "Escape" if open.get_untracked() => {
            // Closes the list, not the dialog around it.
            ev.prevent_default();
            ev.stop_propagation();
            open.set(false);
            active.set(None);
        }
        _ => {}
    };
    let on_blur = move |_: FocusEvent| {
        // Typed a whole name without picking it: that part it is.
        if value.with_untracked(Option::is_none) {
            let rows = shown();
            if let Some(row) = exact(&rows, &text.get_untracked()) {
                let row = row.clone();
                pick(&row);
            }
        }
        open.set(false);
        active.set(None);
    };

    let active_id = {
        let option_id = option_id.clone();
        move || open.get().then(|| active.get().map(&option_id)).flatten()
    };
    let list = {
        let list_id = list_id.clone();
        move || {
            open.get().then(|| {
                let option_id = option_id.clone();
                match rows() {
                    None => view! { <p class="picker-note muted small" aria-busy="true">"Searching…"</p> }.into_any(),
                    Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
                    Some(Ok((rows, total))) => {
                        let note = summary(rows.len(), total, &search.get());
                        let options = rows
                            .into_iter()
                            .enumerate()
                            .map(|(i, row)| {
                                let picked = row.clone();
                                let selected = move || active.get() == Some(i);
                                view! {
                                    <li role="option" id=option_id(i) class="combo-option picker-option"
                                        class:active=selected
                                        aria-selected=move || if selected() { "true" } else { "false" }
                                        on:mousedown=|ev: MouseEvent| ev.prevent_default()
                                        on:mousemove=move |_| active.set(Some(i))
                                        on:click=move |_| pick(&picked)>
                                        <span class="picker-name">{row.name.clone()}</span>
                                        {row.ipn.clone().map(|ipn| view! { <span class="picker-ipn mono">{ipn}</span> })}
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <ul role="listbox" id=list_id.clone() class="combo-list" aria-label=label>{options}</ul>
                            {note.map(|note| view! { <p class="picker-note muted small">{note}</p> })}
                        }
                        .into_any()
                    }
                }
            })
        }
    };

    view! {
        <div class="field combo">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls=list_id
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=active_id
                placeholder=placeholder
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_key
                on:click=move |_| open.set(true)
                on:blur=on_blur
            />
            {(!hint.is_empty()).then(|| view! { <span class="hint small">{hint}</span> })}
            {list}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::Quantity;

    fn row(id: i64, name: &str) -> PartRow {
        PartRow {
            id: PartId(id),
            name: name.to_owned(),
            ipn: None,
            category: None,
            is_template: false,
            is_assembly: false,
            active: true,
            in_stock: Quantity::ZERO,
            minimum_stock: Quantity::ZERO,
            is_low: false,
            units: String::new(),
        }
    }

    #[test]
    fn asks_for_one_page_of_the_kind_offered() {
        let q = query("  10k ", Offer::Assemblies, true);
        assert_eq!(q.search, "10k");
        assert_eq!(q.page_size, MATCHES);
        assert_eq!(q.page, 0);
        assert!(q.assemblies_only && !q.templates_only);
        assert_eq!(q.active, Some(true));
        let q = query("", Offer::Templates, false);
        assert!(q.templates_only && !q.assemblies_only);
        assert_eq!(q.active, None);
        assert!(!query("", Offer::Any, false).assemblies_only);
    }

    #[test]
    fn arrow_keys_wrap_round_the_matches() {
        assert_eq!(step(None, 0, true), None);
        assert_eq!(step(None, 3, true), Some(0));
        assert_eq!(step(None, 3, false), Some(2));
        assert_eq!(step(Some(2), 3, true), Some(0));
        assert_eq!(step(Some(0), 3, false), Some(2));
        assert_eq!(step(Some(1), 3, true), Some(2));
    }

    #[test]
    fn a_whole_name_typed_picks_that_part_only_when_unambiguous() {
        let rows = [
            row(1, "RP2040"),
            row(2, "RP2040 module"),
            row(3, "Twin"),
            row(4, "twin"),
        ];
        assert_eq!(exact(&rows, " rp2040 ").map(|r| r.id), Some(PartId(1)));
        assert_eq!(exact(&rows, "RP20"), None);
        assert_eq!(exact(&rows, "Twin"), None, "two parts are named so");
    }

    #[test]
    fn the_list_says_when_there_is_more_or_nothing() {
        assert_eq!(summary(3, 3, "r"), None);
        assert_eq!(
            summary(20, 134, "r").as_deref(),
            Some("The first 20 of 134 matches: type more to narrow them.")
        );
        assert_eq!(
            summary(0, 0, " zz ").as_deref(),
            Some("No parts match “zz”.")
        );
        assert_eq!(
            summary(0, 0, "").as_deref(),
            Some("No parts to choose from.")
        );
    }
}
