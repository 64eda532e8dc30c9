//! The parts browser: the category tree (expand / collapse, part counts, a
//! bell per category) beside the parts table (search, low-stock filter,
//! sorting, paging), with "New part" and "New category".

mod dialogs;
mod fields;
mod import;
mod table;
mod tree;

pub use self::dialogs::{CategoryField, NewCategoryDialog, NewPartDialog};
pub use self::fields::{PartFields, PartKindFields, PartTextFields};
use crate::components::keyboard::{focus_part_search, SearchWanted};
use crate::components::reload::{track_elsewhere, ChangedElsewhere};
use crate::components::toast::Toasts;
use crate::routes;

use self::import::ImportDialog;
use self::table::PartsTable;
use self::tree::CategoryTree;
use crate::api;
use crate::components::loader::loaded;
use crate::components::pager::{self, PAGE_SIZE};
use crate::routes::PartsView;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use partwatch_types::commands;
use partwatch_types::inventory::{PartQuery, UserId};
use std::time::Duration;

/// How long typing in the search box pauses before the list follows.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

/// What the parts table asks for to show `view`.
fn part_query(view: &PartsView, watched_by: Option<UserId>) -> PartQuery {
    PartQuery {
        category_id: view.category,
        include_subcategories: true,
        search: view.search.clone(),
        low_only: view.low_only,
        watched_by,
        sort: view.sort,
        descending: view.descending,
        page: view.page,
        page_size: PAGE_SIZE,
        ..PartQuery::default()
    }
}

#[component]
pub fn PartsPage() -> impl IntoView {
    // What the browser shows lives in the address (`routes::PartsView`), so
    // Back returns to it as it was left.
    // Leaving, the address is another page's for a moment before this one
    // goes: the view stays as it was (no list asked for, no page changed).
    let location = use_location();
    let here = move || location.pathname.with(|path| path == routes::PARTS);
    let view = Memo::new(move |shown: Option<&PartsView>| match shown {
        Some(shown) if !here() => shown.clone(),
        _ => location.search.with(|query| PartsView::from_query(query)),
    });
    let navigate = use_navigate();
    // Each change replaces the address: one history entry for the browser.
    let show = Callback::new(move |next: PartsView| {
        if !here() {
            return;
        }
        let scroll = next.page != view.get_untracked().page;
        navigate(
            &routes::parts_filtered(&next),
            NavigateOptions {
                replace: true,
                scroll,
                ..NavigateOptions::default()
            },
        );
    });
    let change = move |edit: &dyn Fn(&mut PartsView)| show.run(view.get_untracked().changed(edit));
    // The search box: what is typed goes to the address once typing pauses
    // (WebKit refuses over 100 history changes in 10 seconds, and a list per
    // keystroke helps nobody); until then the box shows what was typed.
    let typed = RwSignal::new(view.with_untracked(|v| v.search.clone()));
    let typing = StoredValue::new(0_u32);
    Effect::new(move |_| {
        let search = view.with(|v| v.search.clone());
        if typing.try_get_value() == Some(0) {
            typed.set(search);
        }
    });
    let on_search = move |text: String| {
        typed.set(text.clone());
        typing.update_value(|n| *n += 1);
        set_timeout(
            move || {
                // The page may be gone by now (a part link was followed
                // while typing): a disposed counter answers `None`, and the
                // search is dropped with the page instead of panicking.
                let left = typing.try_update_value(|n| {
                    *n = n.saturating_sub(1);
                    *n
                });
                if left == Some(0) {
                    change(&|v: &mut PartsView| v.search.clone_from(&text));
                }
            },
            SEARCH_PAUSE,
        );
    };
    let new_part = RwSignal::new(false);
    let new_category = RwSignal::new(false);
    let importing = RwSignal::new(false);

    let elsewhere = ChangedElsewhere::from_context();
    let tree = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        api::ask::<commands::CategoryTree>()
    });
    let parts = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        let view = view.get();
        async move {
            let watched_by = if view.watched_only {
                Some(api::ask::<commands::CurrentUser>().await?.id)
            } else {
                None
            };
            api::invoke::<commands::ListParts>(&part_query(&view, watched_by)).await
        }
    });
    // A page past the end (the list shrank): show the last page instead.
    Effect::new(move |_| {
        let beyond = parts.with(|found| match found {
            Some(Ok(found)) => pager::past_the_end(found),
            _ => None,
        });
        if let Some(last) = beyond {
            show.run(view.get_untracked().at_page(last));
        }
    });
    let category = Signal::derive(move || view.with(|v| v.category));
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    let selected_name = move || {
        category
            .get()
            .and_then(|id| nodes.get().into_iter().find(|n| n.id == id))
            .map(|n| n.name)
    };

    // `/` pressed on another screen: the search box takes the focus.
    if let Some(SearchWanted(wanted)) = use_context::<SearchWanted>() {
        Effect::new(move |_| {
            if wanted.get_untracked() {
                wanted.set(false);
                // Once the screen is in the window (the router puts it there
                // after this first run).
                request_animation_frame(|| {
                    focus_part_search();
                });
            }
        });
    }
    view! {
        <div class="browser">
            <aside class="tree-pane">
                <div class="pane-head">
                    <h2 id="tree-title">"Categories"</h2>
                </div>
                <CategoryTree nodes selected=category
                    on_select=move |id| change(&|v: &mut PartsView| v.category = id)/>
            </aside>
            <section class="list-pane" aria-labelledby="parts-title">
                <div class="page-head">
                    <div class="head-title">
                        <h1 id="parts-title">
                            {move || selected_name().unwrap_or_else(|| "All parts".to_owned())}
                        </h1>
                        // Somewhere to go, not something to do: a link
                        // beside the name, not one more button.
                        {move || category.get().map(|id| view! {
                            <A href=routes::category(id) attr:class="head-link">"Category page"</A>
                        })}
                    </div>
                    <div class="head-actions">
                        <button type="button" class="button" on:click=move |_| importing.set(true)>"Import CSV"</button>
                        <ExportButton/>
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
                        prop:value=move || typed.get()
                        on:input=move |ev| on_search(event_target_value(&ev))
                    />
                    <label class="check">
                        <input type="checkbox" prop:checked=move || view.with(|v| v.low_only)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                change(&|v: &mut PartsView| v.low_only = on);
                            }/>
                        "Low stock only"
                    </label>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || view.with(|v| v.watched_only)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                change(&|v: &mut PartsView| v.watched_only = on);
                            }/>
                        "Subscribed only"
                    </label>
                </div>
                {loaded(parts, "Loading parts…", move |found| view! { <PartsTable found view=view.into() show/> }.into_any())}
            </section>
        </div>
        {move || new_part.get().then(|| view! {
            <NewPartDialog nodes initial_category=category.get_untracked() on_close=move || new_part.set(false)/>
        })}
        {move || importing.get().then(|| view! {
            <ImportDialog on_close=move || importing.set(false)
                on_imported=move || {
                    tree.refetch();
                    parts.refetch();
                }/>
        })}
        {move || new_category.get().then(|| view! {
            <NewCategoryDialog nodes parent=category.get_untracked()
                on_close=move || new_category.set(false)
                on_created=move |id| {
                    new_category.set(false);
                    tree.refetch();
                    change(&|v: &mut PartsView| v.category = Some(id));
                }/>
        })}
    }
}

/// "Export CSV": the whole category tree and parts table into the Downloads
/// folder, as files an import reads back; where they went, in a toast.
#[component]
fn ExportButton() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let export = api::action::<commands::ExportPartsCommand>();
    Effect::new(move |_| match export.value().get() {
        Some(Ok(exported)) => toasts.say(exported.summary()),
        Some(Err(err)) => toasts.error(&err),
        None => {}
    });
    view! {
        <button type="button" class="button" disabled=move || export.pending().get()
            title="Every part and category, as CSV files in your Downloads folder"
            on:click=move |_| { export.dispatch(()); }>
            "Export CSV"
        </button>
    }
}
