//! The parts table: sortable headers, one row per part, and paging.

use crate::components::pager::{past_the_end, PageAt, Pager};
use crate::routes::{self, PartsView};
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{Page, PartRow, PartSort};
use partwatch_types::Quantity;

#[component]
pub(super) fn PartsTable(
    found: Page<PartRow>,
    view: Signal<PartsView>,
    show: Callback<PartsView>,
) -> impl IntoView {
    if past_the_end(&found).is_some() {
        // The page is about to give way to the last one.
        return view! { <p class="muted" aria-busy="true">"Loading parts…"</p> }.into_any();
    }
    if found.items.is_empty() {
        return view! {
            <div class="empty">
                <p>"No parts match."</p>
                <p class="muted">"Change the search or the filters, or create a part with “New part”."</p>
            </div>
        }
        .into_any();
    }
    let at = PageAt::of(&found);
    let header = move |label: &'static str, key: PartSort, numeric: bool| {
        let state = move || {
            let (sort, descending) = view.with(|v| (v.sort, v.descending));
            if sort != key {
                "none"
            } else if descending {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th scope="col" class:num=numeric aria-sort=state>
                <button type="button" class="sort" aria-label=format!("Sort by {}", label.to_lowercase())
                    on:click=move |_| show.run(view.with_untracked(|v| v.sorted_by(key)))>
                    {label}
                    <span aria-hidden="true" class="arrow">{move || match state() { "ascending" => "↑", "descending" => "↓", _ => "" }}</span>
                </button>
            </th>
        }
    };
    view! {
        <table class="table parts" aria-label="Parts">
            <thead>
                <tr>
                    {header("Name", PartSort::Name, false)}
                    {header("IPN", PartSort::Ipn, false)}
                    {header("Category", PartSort::Category, false)}
                    {header("In stock", PartSort::InStock, true)}
                    {header("Minimum", PartSort::Minimum, true)}
                </tr>
            </thead>
            <tbody>
                {found.items.into_iter().map(|row| view! { <PartRowView row/> }).collect_view()}
            </tbody>
        </table>
        <Pager at on_page=move |page| show.run(view.with_untracked(|v| v.at_page(page)))/>
    }
    .into_any()
}

#[component]
fn PartRowView(row: PartRow) -> impl IntoView {
    let units = if row.units.is_empty() {
        String::new()
    } else {
        format!(" {}", row.units)
    };
    view! {
        <tr class:inactive=!row.active>
            <td>
                <A href=routes::part(row.id)>{row.name}</A>
                {row.is_low.then(|| view! { " " <span class="badge low">"low"</span> })}
                {row.is_template.then(|| view! { " " <span class="badge">"template"</span> })}
                {row.is_assembly.then(|| view! { " " <span class="badge">"assembly"</span> })}
                {(!row.active).then(|| view! { " " <span class="badge">"inactive"</span> })}
            </td>
            <td class="mono">{row.ipn.unwrap_or_default()}</td>
            <td>{row.category.map(|c| c.name).unwrap_or_default()}</td>
            <td class="num" class:warn=row.is_low>{row.in_stock.to_string()}{units.clone()}</td>
            <td class="num">{if row.minimum_stock == Quantity::ZERO { "—".to_owned() } else { format!("{}{units}", row.minimum_stock) }}</td>
        </tr>
    }
}
