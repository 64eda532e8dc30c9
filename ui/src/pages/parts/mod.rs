//! The parts browser: the category tree (expand / collapse, part counts, a
//! bell per category) beside the parts table (search, low-stock filter,
//! sorting, paging), with "New part" and "New category".

mod dialogs;
mod fields;
mod table;
mod tree;

pub use self::dialogs::{category_options, NewCategoryDialog, NewPartDialog};
pub use self::fields::{PartFields, PartTextFields};
use crate::routes;

use self::table::PartsTable;
use self::tree::CategoryTree;
use crate::api;
use crate::components::loader::loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::commands;
use partwatch_types::inventory::{CategoryId, PartQuery, PartSort};

const PAGE_SIZE: i64 = 50;

#[component]
pub fn PartsPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let low_only = RwSignal::new(false);
    let watched_only = RwSignal::new(false);
    let me = LocalResource::new(api::ask::<commands::CurrentUser>);
    let sort = RwSignal::new(PartSort::Name);
    let descending = RwSignal::new(false);
    let page = RwSignal::new(0_i64);
    let category = RwSignal::new(None::<CategoryId>);
    let new_part = RwSignal::new(false);
    let new_category = RwSignal::new(false);

    let tree = LocalResource::new(api::ask::<commands::CategoryTree>);
    let query = move || PartQuery {
        category_id: category.get(),
        include_subcategories: true,
        search: search.get(),
        low_only: low_only.get(),
        watched_by: if watched_only.get() {
            me.get().and_then(Result::ok).map(|u| u.id)
        } else {
            None
        },
        sort: sort.get(),
        descending: descending.get(),
        page: page.get(),
        page_size: PAGE_SIZE,
        ..PartQuery::default()
    };
    let parts = LocalResource::new(move || {
        let q = query();
        async move { api::invoke::<commands::ListParts>(&q).await }
    });
    // A new filter starts at the first page.
    Effect::new(move |_| {
        let _ = (
            search.get(),
            low_only.get(),
            sort.get(),
            descending.get(),
            category.get(),
        );
        page.set(0);
    });
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    let selected_name = move || {
        category
            .get()
            .and_then(|id| nodes.get().into_iter().find(|n| n.id == id))
            .map(|n| n.name)
    };

    view! {
        <div class="browser">
            <aside class="tree-pane">
                <div class="pane-head">
                    <h2 id="tree-title">"Categories"</h2>
                </div>
                <CategoryTree nodes selected=category/>
            </aside>
            <section class="list-pane" aria-labelledby="parts-title">
                <div class="page-head">
                    <h1 id="parts-title">
                        {move || selected_name().unwrap_or_else(|| "All parts".to_owned())}
                    </h1>
                    <div class="head-actions">
                        {move || category.get().map(|id| view! {
                            <A href=routes::category(id) attr:class="button">"Category page"</A>
                        })}
                        <button type="button" class="button" on:click=move |_| new_category.set(true)>"New category"</button>
                        <button type="button" class="button primary" on:click=move |_| new_part.set(true)>"New part"</button>
                    </div>
                </div>
                <div class="toolbar" role="group" aria-label="Filter parts">
                    <input
                        type="search"
                        class="search"
                        aria-label="Search parts"
                        placeholder="Search name, IPN or description"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev))
                    />
                    <label class="check">
                        <input type="checkbox" prop:checked=move || low_only.get()
                            on:change=move |ev| low_only.set(event_target_checked(&ev))/>
                        "Low stock only"
                    </label>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || watched_only.get()
                            on:change=move |ev| watched_only.set(event_target_checked(&ev))/>
                        "Subscribed only"
                    </label>
                </div>
                {loaded(parts, "Loading parts…", move |found| view! { <PartsTable found sort descending page/> }.into_any())}
            </section>
        </div>
        {move || new_part.get().then(|| view! {
            <NewPartDialog nodes initial_category=category.get_untracked() on_close=move || new_part.set(false)/>
        })}
        {move || new_category.get().then(|| view! {
            <NewCategoryDialog nodes parent=category.get_untracked()
                on_close=move || new_category.set(false)
                on_created=move |id| { new_category.set(false); tree.refetch(); category.set(Some(id)); }/>
        })}
    }
}
