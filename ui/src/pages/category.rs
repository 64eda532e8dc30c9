//! One category: breadcrumbs, the bell (and the category above that covers
//! it), its sub-categories and the parts in it and below; create a
//! sub-category or a part here, rename, move.

use crate::api;
use crate::components::bell::{SubscribeBell, Watched};
use crate::components::card::CardHead;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::{for_id_param, loaded, opened};
use crate::components::pager::{past_the_end, PageAt, Pager, PAGE_SIZE};
use crate::components::reload::Reload;
use crate::components::snooze::SnoozeControl;
use crate::components::table::{data_table, number, text};
use crate::pages::category_delete::DeleteCategoryDialog;
use crate::pages::parts::{CategoryField, NewCategoryDialog, NewPartDialog};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use partwatch_types::commands;
use partwatch_types::inventory::{
    Category, CategoryId, CategoryUpdate, MoveCategory, PartQuery, UpdateCategory,
};
use partwatch_types::notifications::SnoozeTarget;

#[component]
pub fn CategoryPage() -> impl IntoView {
    for_id_param("category", |id: CategoryId| view! { <CategoryView id/> })
}

#[component]
fn CategoryView(id: CategoryId) -> impl IntoView {
    let reload = Reload::new();
    let category = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::GetCategory>(&id).await }
    });
    let tree = LocalResource::new(move || {
        reload.track();
        api::ask::<commands::CategoryTree>()
    });
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    opened(
        category,
        "category",
        move |c| view! { <CategoryDetails category=c nodes reload/> },
    )
}

#[component]
fn CategoryDetails(
    category: Category,
    nodes: Signal<Vec<partwatch_types::inventory::CategoryNode>>,
    reload: Reload,
) -> impl IntoView {
    let id = category.id;
    let new_sub = RwSignal::new(false);
    let new_part = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let navigate = use_navigate();
    let children = move || {
        nodes
            .get()
            .into_iter()
            .filter(|n| n.parent_id == Some(id))
            .collect::<Vec<_>>()
    };
    // The page of parts shown is in the address (`?page=2`), so Back returns
    // to it. Leaving, the address is another page's for a moment before this
    // one goes: the page stays as it was.
    let location = use_location();
    let path = routes::category(id);
    let here = move || location.pathname.with(|shown| *shown == path);
    let page = Memo::new({
        let here = here.clone();
        move |shown: Option<&i64>| match shown {
            Some(shown) if !here() => *shown,
            _ => location.search.with(|query| routes::page_param(query)),
        }
    });
    let turn_page = {
        let navigate = navigate.clone();
        Callback::new(move |page: i64| {
            if !here() {
                return;
            }
            navigate(
                &routes::category_at(id, page),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        })
    };
    let parts = LocalResource::new(move || {
        reload.track();
        let page = page.get();
        async move {
            api::invoke::<commands::ListParts>(&PartQuery {
                category_id: Some(id),
                include_subcategories: true,
                page,
                page_size: PAGE_SIZE,
                ..PartQuery::default()
            })
            .await
        }
    });
    // A page past the end (parts moved away): show the last page instead.
    Effect::new(move |_| {
        let beyond = parts.with(|found| match found {
            Some(Ok(found)) => past_the_end(found),
            _ => None,
        });
        if let Some(last) = beyond {
            turn_page.run(last);
        }
    });
    let edit_category = category.clone();
    let delete_category = category.clone();
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href=routes::PARTS>"Parts"</A>
            {category.ancestors.clone().into_iter().map(|a| view! { <span aria-hidden="true">"›"</span><A href=routes::category(a.id)>{a.name}</A> }).collect_view()}
        </nav>
        <div class="page-head">
            <div>
                <h1>{category.name.clone()}</h1>
                {(!category.description.is_empty()).then(|| view! { <p class="lede">{category.description.clone()}</p> })}
            </div>
            <div class="head-actions">
                <SubscribeBell watched=Watched::Category(id)/>
                <SnoozeControl target=SnoozeTarget::Category(id) name=category.name.clone()/>
                <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit category"</button>
                <button type="button" class="button danger" on:click=move |_| deleting.set(true)>"Delete category…"</button>
            </div>
        </div>
        <section class="card" aria-labelledby="subs-title">
            <CardHead id="subs-title" title="Sub-categories" add="New sub-category" on_add=move || new_sub.set(true)/>
            {move || {
                let list = children();
                if list.is_empty() {
                    view! { <p class="muted">"None."</p> }.into_any()
                } else {
                    view! {
                        <ul class="chips" aria-label="Sub-categories">
                            {list.into_iter().map(|n| view! {
                                <li><A href=routes::category(n.id)>{n.name}</A><span class="count">{n.total_parts}</span></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
        <section class="card" aria-labelledby="cat-parts-title">
            <CardHead id="cat-parts-title" title="Parts in this category and below" add="New part" primary=true on_add=move || new_part.set(true)/>
            {loaded(parts, "Loading parts…", move |value| match value {
                    page if past_the_end(&page).is_some() => view! { <p class="muted" aria-busy="true">"Loading parts…"</p> }.into_any(),
                    page if page.items.is_empty() => view! { <p class="muted">"No parts here yet."</p> }.into_any(),
                    page => {
                        let at = PageAt::of(&page);
                        view! {
                        {data_table("Parts in this category", &[text("Name"), text("Category"), number("In stock"), number("Minimum")], page.items, |row| view! {
                                    <tr>
                                        <td><A href=routes::part(row.id)>{row.name}</A>{row.is_low.then(|| view! { " " <span class="badge low">"low"</span> })}</td>
                                        <td>{row.category.map(|c| c.name).unwrap_or_default()}</td>
                                        <td class="num">{row.in_stock.to_string()}" "{row.units.clone()}</td>
                                        <td class="num">{row.minimum_stock.to_string()}" "{row.units}</td>
                                    </tr>
                                })}
                        <Pager at on_page=turn_page/>
                        }.into_any()
                    }
                })}
        </section>
        {move || new_sub.get().then(|| {
            let navigate = navigate.clone();
            view! {
                <NewCategoryDialog nodes parent=Some(id) on_close=move || new_sub.set(false)
                    on_created=move |child: CategoryId| { new_sub.set(false); navigate(&routes::category(child), Default::default()); }/>
            }
        })}
        {move || new_part.get().then(|| view! {
            <NewPartDialog nodes initial_category=Some(id) on_close=move || new_part.set(false)/>
        })}
        {move || deleting.get().then(|| view! {
            <DeleteCategoryDialog category=delete_category.clone() nodes on_close=move || deleting.set(false)/>
        })}
        {move || editing.get().then(|| view! {
            <EditCategoryDialog category=edit_category.clone() nodes on_close=move || editing.set(false)
                on_saved=move || { editing.set(false); reload.bump(); }/>
        })}
    }
}

#[component]
fn EditCategoryDialog(
    category: Category,
    nodes: Signal<Vec<partwatch_types::inventory::CategoryNode>>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(category.name.clone());
    let description = RwSignal::new(category.description.clone());
    let parent = RwSignal::new(
        category
            .parent_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let original_parent = category.parent_id;
    let error = form::error();
    let id = category.id;
    let save = Action::new_local(
        move |(update, new_parent): &(CategoryUpdate, Option<CategoryId>)| {
            let (update, new_parent) = (update.clone(), *new_parent);
            async move {
                if new_parent != original_parent {
                    api::invoke::<commands::MoveCategoryCommand>(&MoveCategory {
                        id,
                        parent_id: new_parent,
                    })
                    .await?;
                }
                api::invoke::<commands::UpdateCategoryCommand>(&UpdateCategory { id, update }).await
            }
        },
    );
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch((
            CategoryUpdate {
                name: name.get(),
                description: description.get(),
            },
            parent.get().parse().ok(),
        ));
    };
    view! {
        <Dialog title="Edit category".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Name" called="Category name" value=name autofocus=true/>
                <CategoryField label="Inside" value=parent nodes none_label="Top level"/>
                <TextField label="Description" value=description/>
                <Failure error/>
                <DialogActions submit="Save" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
