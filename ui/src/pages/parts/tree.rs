//! The category tree: expand / collapse, part counts, a bell per category.

use crate::api;
use crate::components::icons::BellIcon;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{CategoryId, CategoryNode};
use partwatch_types::notifications::SetCategorySubscription;
use std::collections::HashSet;

/// The category tree with expand / collapse and a bell per category.
#[component]
pub(super) fn CategoryTree(
    nodes: Signal<Vec<CategoryNode>>,
    selected: RwSignal<Option<CategoryId>>,
) -> impl IntoView {
    let collapsed = RwSignal::new(HashSet::<CategoryId>::new());
    let mine = LocalResource::new(api::ask::<commands::MySubscriptions>);
    let watched = RwSignal::new(HashSet::<CategoryId>::new());
    Effect::new(move |_| {
        if let Some(Ok(s)) = mine.get() {
            watched.set(s.categories.into_iter().map(|c| c.id).collect());
        }
    });
    let toggle_watch = Action::new_local(move |(id, on): &(CategoryId, bool)| {
        let (id, on) = (*id, *on);
        async move {
            api::invoke::<commands::SetCategorySubscriptionCommand>(&SetCategorySubscription {
                category_id: id,
                subscribed: on,
            })
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
