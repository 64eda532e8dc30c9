//! The category tree: expand / collapse, part counts, a bell per category.
//! The bells press the same `Watched::set` as the category page's bell, and a
//! category covered by a subscription above it says so, as the page's "via"
//! line does (worked out here from the tree, without a call per row).

use crate::api;
use crate::components::bell::Watched;
use crate::components::icons::{BellIcon, ChevronIcon};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{CategoryId, CategoryNode};
use std::collections::{HashMap, HashSet};

/// The nearest category above `id` that is in `watched`, by name.
fn covered_via(
    id: CategoryId,
    parents: &HashMap<CategoryId, (Option<CategoryId>, String)>,
    watched: &HashSet<CategoryId>,
) -> Option<String> {
    let mut next = parents.get(&id).and_then(|(parent, _)| *parent);
    while let Some(ancestor) = next {
        let (parent, name) = parents.get(&ancestor)?;
        if watched.contains(&ancestor) {
            return Some(name.clone());
        }
        next = *parent;
    }
    None
}

/// The category tree with expand / collapse and a bell per category.
#[component]
pub(super) fn CategoryTree(
    nodes: Signal<Vec<CategoryNode>>,
    selected: Signal<Option<CategoryId>>,
    #[prop(into)] on_select: Callback<Option<CategoryId>>,
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
        async move { Watched::Category(id).set(on).await.map(|s| (id, s.direct)) }
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
    let parents = Memo::new(move |_| {
        nodes
            .get()
            .into_iter()
            .map(|n| (n.id, (n.parent_id, n.name)))
            .collect::<HashMap<_, _>>()
    });
    let via = move |id: CategoryId| {
        let watched = watched.get();
        if watched.contains(&id) {
            return None;
        }
        parents.with(|parents| covered_via(id, parents, &watched))
    };
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
                    <button type="button" class="tree-name" on:click=move |_| on_select.run(None)>"All parts"</button>
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
                                            <ChevronIcon open=Signal::derive(move || !collapsed.get().contains(&id))/>
                                        </button>
                                    }.into_any()
                                } else {
                                    view! { <span class="twisty-space"></span> }.into_any()
                                }}
                                <button type="button" class="tree-name" on:click=move |_| on_select.run(Some(id))>{name.clone()}</button>
                                <span class="count" title="Parts in this category and below">{node.total_parts}</span>
                                <button type="button" class="tree-bell" class:on=move || watched.get().contains(&id)
                                    class:covered=move || via(id).is_some()
                                    aria-pressed=move || if watched.get().contains(&id) { "true" } else { "false" }
                                    aria-label=bell_label
                                    title=move || via(id).map(|from| format!("Subscribed via category {from}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_covered_by_its_nearest_watched_ancestor() {
        let tree: HashMap<CategoryId, (Option<CategoryId>, String)> = [
            (CategoryId(1), (None, "Electronics".to_owned())),
            (CategoryId(2), (Some(CategoryId(1)), "Passives".to_owned())),
            (CategoryId(3), (Some(CategoryId(2)), "Resistors".to_owned())),
            (CategoryId(4), (None, "Mechanical".to_owned())),
        ]
        .into_iter()
        .collect();
        let watched: HashSet<CategoryId> = [CategoryId(1), CategoryId(2)].into_iter().collect();
        assert_eq!(
            covered_via(CategoryId(3), &tree, &watched).as_deref(),
            Some("Passives")
        );
        assert_eq!(
            covered_via(CategoryId(2), &tree, &watched).as_deref(),
            Some("Electronics")
        );
        assert_eq!(covered_via(CategoryId(1), &tree, &watched), None);
        assert_eq!(covered_via(CategoryId(4), &tree, &watched), None);
    }
}
