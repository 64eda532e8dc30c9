//! Choosing one part among thousands: a combobox (ARIA 1.2) that searches
//! the parts by name, IPN or description as you type (after a short pause),
//! a page of matches at a time, each shown with its IPN. Arrow keys move
//! through the matches, Enter picks one, Escape closes the list; the mouse
//! works too. Its accessible name is its label.

use crate::api;
use crate::components::combobox::{Combo, Combobox, Selection};
use crate::components::dialog::field_id;
use crate::components::error::ErrorText;
use leptos::prelude::*;
use partwatch_types::inventory::{Page, PartId, PartQuery, PartRef, PartRow};
use partwatch_types::{commands, ApiError};
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
    let text = RwSignal::new(value.get_untracked().map(|p| p.name).unwrap_or_default());
    let search = RwSignal::new(text.get_untracked());
    let combo = Combo::new(Selection::Manual);
    let open = combo.open;
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
    let rows = move || -> Option<Result<(Vec<PartRow>, i64), ApiError>> {
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
    let shown = Signal::derive(move || match rows() {
        Some(Ok((rows, _))) => rows,
        _ => Vec::new(),
    });

    let pick = move |row: PartRow| {
        text.set(row.name.clone());
        search.set(row.name.clone());
        value.set(Some(PartRef {
            id: row.id,
            name: row.name,
        }));
        combo.close();
    };
    let on_input = move |typed: String| {
        if value.with_untracked(|v| v.as_ref().is_some_and(|p| p.name != typed)) {
            value.set(None);
        }
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
    // Typed a whole name without picking it: that part it is.
    let on_blur = move || {
        if value.with_untracked(Option::is_none) {
            let found = shown.with_untracked(|rows| exact(rows, &text.get_untracked()).cloned());
            if let Some(row) = found {
                pick(row);
            }
        }
    };
    // Under the list: that it is searching, or failed, or what it leaves out.
    let note = move || {
        open.get().then(|| match rows() {
            None => view! { <p class="picker-note muted small" aria-busy="true">"Searching…"</p> }
                .into_any(),
            Some(Err(err)) => view! { <ErrorText err/> }.into_any(),
            Some(Ok((rows, total))) => summary(rows.len(), total, &search.get())
                .map(|note| view! { <p class="picker-note muted small">{note}</p> })
                .into_any(),
        })
    };

    view! {
        <Combobox
            id=field_id(label)
            label
            text
            combo
            options=shown
            option_view=|row: &PartRow| view! {
                <span class="picker-name">{row.name.clone()}</span>
                {row.ipn.clone().map(|ipn| view! { <span class="picker-ipn mono">{ipn}</span> })}
            }
            option_class=|_: &PartRow| "picker-option"
            on_pick=pick
            on_input
            on_blur
            placeholder
            no_spellcheck=true
            list_hidden=Signal::derive(move || !matches!(rows(), Some(Ok(_))))
            under_field=move || (!hint.is_empty()).then(|| view! { <span class="hint small">{hint}</span> })
        >
            {note}
        </Combobox>
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
