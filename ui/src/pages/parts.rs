//! The parts browser: the category tree (expand / collapse, part counts, a
//! bell per category) beside the parts table (search, low-stock filter,
//! sorting, paging), with "New part" and "New category".

use crate::api;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::ErrorText;
use crate::components::icons::BellIcon;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::inventory::{
    CategoryId, CategoryNode, NewCategory, Page, PartInput, PartQuery, PartRow, PartSort,
};
use partwatch_types::{ApiError, Quantity};
use std::collections::HashSet;

const PAGE_SIZE: i64 = 50;

#[component]
pub fn PartsPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let low_only = RwSignal::new(false);
    let watched_only = RwSignal::new(false);
    let me = LocalResource::new(api::current_user);
    let sort = RwSignal::new(PartSort::Name);
    let descending = RwSignal::new(false);
    let page = RwSignal::new(0_i64);
    let category = RwSignal::new(None::<CategoryId>);
    let new_part = RwSignal::new(false);
    let new_category = RwSignal::new(false);

    let tree = LocalResource::new(api::category_tree);
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
        async move { api::list_parts(&q).await }
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
                            <A href=format!("/categories/{id}") attr:class="button">"Category page"</A>
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
                <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading parts…"</p> }>
                    {move || parts.get().map(|result| match result {
                        Ok(found) => view! { <PartsTable found sort descending page/> }.into_any(),
                        Err(err) => view! { <ErrorText err/> }.into_any(),
                    })}
                </Suspense>
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

/// The category tree with expand / collapse and a bell per category.
#[component]
fn CategoryTree(
    nodes: Signal<Vec<CategoryNode>>,
    selected: RwSignal<Option<CategoryId>>,
) -> impl IntoView {
    let collapsed = RwSignal::new(HashSet::<CategoryId>::new());
    let mine = LocalResource::new(api::my_subscriptions);
    let watched = RwSignal::new(HashSet::<CategoryId>::new());
    Effect::new(move |_| {
        if let Some(Ok(s)) = mine.get() {
            watched.set(s.categories.into_iter().map(|c| c.id).collect());
        }
    });
    let toggle_watch = Action::new_local(move |(id, on): &(CategoryId, bool)| {
        let (id, on) = (*id, *on);
        async move {
            api::set_category_subscription(id, on)
                .await
                .map(|s| (id, s.direct))
        }
    });
    let toasts = expect_context::<crate::components::toast::Toasts>();
    Effect::new(move |_| match toggle_watch.value().get() {
        Some(Ok((id, direct))) => watched.update(|w| {
            if direct {
                w.insert(id);
            } else {
                w.remove(&id);
            }
        }),
        Some(Err(err)) => toasts.error(&err),
        None => {}
    });
    let visible = move || {
        let all = nodes.get();
        let hidden = collapsed.get();
        let has_children: HashSet<CategoryId> = all.iter().filter_map(|n| n.parent_id).collect();
        let mut shown = Vec::new();
        let mut hidden_below: HashSet<CategoryId> = HashSet::new();
        for node in all {
            if node
                .parent_id
                .is_some_and(|p| hidden.contains(&p) || hidden_below.contains(&p))
            {
                hidden_below.insert(node.id);
                continue;
            }
            let parent = has_children.contains(&node.id);
            shown.push((node, parent));
        }
        shown
    };
    view! {
        <nav class="tree" aria-labelledby="tree-title">
            <ul>
                <li class="tree-row" class:selected=move || selected.get().is_none()>
                    <span class="twisty-space"></span>
                    <button type="button" class="tree-name" on:click=move |_| selected.set(None)>"All parts"</button>
                </li>
                <For each=visible key=|(n, p)| (n.id, *p, n.total_parts) let:row>
                    {
                        let (node, parent) = row;
                        let id = node.id;
                        let name = node.name.clone();
                        let expand_label = {
                            let name = name.clone();
                            move || if collapsed.get().contains(&id) { format!("Expand {name}") } else { format!("Collapse {name}") }
                        };
                        let bell_label = {
                            let name = name.clone();
                            move || if watched.get().contains(&id) { format!("Unsubscribe from {name}") } else { format!("Subscribe to {name}") }
                        };
                        view! {
                            <li class="tree-row" class:selected=move || selected.get() == Some(id)
                                style=format!("padding-left: {}px", 4 + node.depth * 16)>
                                {if parent {
                                    view! {
                                        <button type="button" class="twisty"
                                            aria-expanded=move || if collapsed.get().contains(&id) { "false" } else { "true" }
                                            aria-label=expand_label
                                            on:click=move |_| collapsed.update(|c| { if !c.remove(&id) { c.insert(id); } })>
                                            {move || if collapsed.get().contains(&id) { "▸" } else { "▾" }}
                                        </button>
                                    }.into_any()
                                } else {
                                    view! { <span class="twisty-space"></span> }.into_any()
                                }}
                                <button type="button" class="tree-name" on:click=move |_| selected.set(Some(id))>{name.clone()}</button>
                                <span class="count" title="Parts in this category and below">{node.total_parts}</span>
                                <button type="button" class="tree-bell" class:on=move || watched.get().contains(&id)
                                    aria-pressed=move || if watched.get().contains(&id) { "true" } else { "false" }
                                    aria-label=bell_label
                                    on:click=move |_| { toggle_watch.dispatch((id, !watched.get_untracked().contains(&id))); }>
                                    <BellIcon/>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </nav>
    }
}

#[component]
fn PartsTable(
    found: Page<PartRow>,
    sort: RwSignal<PartSort>,
    descending: RwSignal<bool>,
    page: RwSignal<i64>,
) -> impl IntoView {
    if found.items.is_empty() {
        return view! {
            <div class="empty">
                <p>"No parts match."</p>
                <p class="muted">"Change the search or the filters, or create a part with “New part”."</p>
            </div>
        }
        .into_any();
    }
    let first = found.page * found.page_size + 1;
    let last = first + found.items.len() as i64 - 1;
    let total = found.total;
    let header = move |label: &'static str, key: PartSort, numeric: bool| {
        let state = move || {
            if sort.get() != key {
                "none"
            } else if descending.get() {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th scope="col" class:num=numeric aria-sort=state>
                <button type="button" class="sort" aria-label=format!("Sort by {}", label.to_lowercase())
                    on:click=move |_| {
                        if sort.get_untracked() == key { descending.update(|d| *d = !*d); } else { sort.set(key); descending.set(false); }
                    }>
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
        <div class="pager">
            <span class="muted">{format!("{first}–{last} of {total}")}</span>
            <button type="button" class="button" disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = (*p - 1).max(0))>"Previous page"</button>
            <button type="button" class="button" disabled=move || { last >= total }
                on:click=move |_| page.update(|p| *p += 1)>"Next page"</button>
        </div>
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
                <A href=format!("/parts/{}", row.id)>{row.name}</A>
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

/// `<option>`s for every category, indented by depth, with "no category" first.
pub fn category_options(nodes: &[CategoryNode], none_label: &'static str) -> impl IntoView {
    let mut options = vec![view! { <option value="">{none_label}</option> }.into_any()];
    for n in nodes {
        let indent = "\u{2003}".repeat(n.depth as usize);
        options.push(
            view! { <option value=n.id.to_string()>{format!("{indent}{}", n.name)}</option> }
                .into_any(),
        );
    }
    options
}

pub fn parse_quantity(label: &str, text: &str) -> Result<Quantity, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Quantity::ZERO);
    }
    text.parse::<Quantity>().map_err(|e| {
        ApiError::new(
            partwatch_types::ErrorCode::InvalidInput,
            format!("{label}: {e}"),
        )
    })
}

#[component]
pub fn NewPartDialog(
    nodes: Signal<Vec<CategoryNode>>,
    initial_category: Option<CategoryId>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let ipn = RwSignal::new(String::new());
    let units = RwSignal::new("pcs".to_owned());
    let minimum = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let category = RwSignal::new(initial_category.map(|c| c.to_string()).unwrap_or_default());
    let template = RwSignal::new(false);
    let assembly = RwSignal::new(false);
    let variant_of = RwSignal::new(String::new());
    let templates = LocalResource::new(|| async {
        api::list_parts(&PartQuery {
            templates_only: true,
            page_size: 500,
            ..PartQuery::default()
        })
        .await
    });
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let create = Action::new_local(|input: &PartInput| {
        let input = input.clone();
        async move { api::create_part(&input).await }
    });
    api::on_success(create, error, move |part| {
        navigate(&format!("/parts/{}", part.id), Default::default())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let minimum_stock = match parse_quantity("Minimum stock", &minimum.get()) {
            Ok(q) => q,
            Err(err) => return error.set(Some(err)),
        };
        let ipn = ipn.get();
        create.dispatch(PartInput {
            name: name.get(),
            ipn: (!ipn.trim().is_empty()).then_some(ipn),
            description: description.get(),
            category_id: category.get().parse().ok(),
            units: units.get(),
            is_template: template.get(),
            variant_of: variant_of.get().parse().ok(),
            is_assembly: assembly.get(),
            minimum_stock,
            ..PartInput::named("")
        });
    };
    view! {
        <Dialog title="New part".to_owned() on_close>
            <form on:submit=submit>
                <TextField label="Name" value=name autofocus=true/>
                <div class="field-row">
                    <TextField label="IPN" value=ipn mono=true placeholder="optional"/>
                    <TextField label="Units" value=units/>
                </div>
                <div class="field">
                    <label for="field-category">"Category"</label>
                    <select id="field-category" on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get()>
                        {move || category_options(&nodes.get(), "No category")}
                    </select>
                </div>
                <TextField label="Minimum stock" value=minimum inputmode="decimal" placeholder="0 = no minimum"/>
                <TextField label="Description" value=description placeholder="optional"/>
                <div class="field">
                    <label for="field-variant-of">"Variant of"</label>
                    <select id="field-variant-of" on:change=move |ev| variant_of.set(event_target_value(&ev)) prop:value=move || variant_of.get()>
                        <option value="">"Not a variant"</option>
                        {move || templates.get().and_then(Result::ok).map(|p| p.items).unwrap_or_default().into_iter()
                            .map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <CheckField label="Template (has variants)" value=template/>
                    <CheckField label="Assembly (has a BOM)" value=assembly/>
                </div>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Create part" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[component]
pub fn NewCategoryDialog(
    nodes: Signal<Vec<CategoryNode>>,
    parent: Option<CategoryId>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<CategoryId>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let parent = RwSignal::new(parent.map(|p| p.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(|input: &NewCategory| {
        let input = input.clone();
        async move { api::create_category(&input).await }
    });
    api::on_success(create, error, move |category| on_created.run(category.id));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewCategory {
            name: name.get(),
            description: description.get(),
            parent_id: parent.get().parse().ok(),
        });
    };
    view! {
        <Dialog title="New category".to_owned() on_close>
            <form on:submit=submit>
                <TextField label="Name" value=name autofocus=true/>
                <div class="field">
                    <label for="field-parent">"Inside"</label>
                    <select id="field-parent" on:change=move |ev| parent.set(event_target_value(&ev)) prop:value=move || parent.get()>
                        {move || category_options(&nodes.get(), "Top level")}
                    </select>
                </div>
                <TextField label="Description" value=description placeholder="optional"/>
                {move || error.get().map(|err| view! { <ErrorText err/> })}
                <DialogActions submit="Create category" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
