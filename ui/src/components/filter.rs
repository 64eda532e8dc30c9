//! A list's filter: a labelled `<select>` whose first option filters
//! nothing, then one option a value (a status, a kind).

use leptos::prelude::*;

/// The filter labelled `label` (element id `id`); `all` names "no filter"
/// (`None`). `choices` are each value's stored name and label; `parse`
/// reads a stored name back.
#[component]
pub fn FilterSelect<T, const N: usize>(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    choices: [(&'static str, &'static str); N],
    parse: fn(&str) -> Option<T>,
    value: RwSignal<Option<T>>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    view! {
        <div class="field inline">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(parse(&event_target_value(&ev)))>
                <option value="">{all}</option>
                {choices.into_iter().map(|(name, label)| view! { <option value=name>{label}</option> }).collect_view()}
            </select>
        </div>
    }
}
