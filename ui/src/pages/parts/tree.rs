//! The category tree: expand / collapse, part counts, a bell per category.
//! At first it shows as many top levels as fit in [`FIRST_SIGHT_ROWS`] rows
//! (a small tree whole; 1,365 categories five deep: the top three levels),
//! and always the way down to the selected category; only shown rows are in
//! the page.
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

/// How many rows the tree may show before anyone expands anything.
const FIRST_SIGHT_ROWS: usize = 60;

/// The deepest level shown at first: the top levels that fit in
/// [`FIRST_SIGHT_ROWS`] together (the top one always).
fn first_levels(nodes: &[CategoryNode]) -> i64 {
    let mut per_depth = std::collections::BTreeMap::<i64, usize>::new();
    for node in nodes {
        *per_depth.entry(node.depth).or_default() += 1;
    }
    let (mut shown, mut deepest) = (0, 0);
    for (depth, count) in per_depth {
        if depth > 0 && shown + count > FIRST_SIGHT_ROWS {
            break;
        }
        shown += count;
        deepest = depth;
    }
    deepest
}

/// Whether `node` shows its sub-categories: open down to the first levels'
/// last, unless the person turned it the other way (`toggled`).
fn is_open(node: &CategoryNode, deepest: i64, toggled: &HashSet<CategoryId>) -> bool {
    (node.depth < deepest) != toggled.contains(&node.id)
}

/// The rows shown, in tree order (parents before children, as the core
/// sends them), each with whether it has sub-categories.
fn visible_rows(
    nodes: &[CategoryNode],
    deepest: i64,
    toggled: &HashSet<CategoryId>,
) -> Vec<(CategoryNode, bool)> {
    let has_children: HashSet<CategoryId> = nodes.iter().filter_map(|n| n.parent_id).collect();
    let mut open_and_shown = HashSet::new();
    let mut rows = Vec::new();
    for node in nodes {
        if node.parent_id.is_some_and(|p| !open_and_shown.contains(&p)) {
            continue;
        }
        if is_open(node, deepest, toggled) {
            open_and_shown.insert(node.id);
        }
        rows.push((node.clone(), has_children.contains(&node.id)));
    }
    rows
}

/// The categories to turn open so that `id` is shown: its closed ancestors.
fn closed_ancestors(
    id: CategoryId,
    nodes: &[CategoryNode],
    deepest: i64,
    toggled: &HashSet<CategoryId>,
) -> Vec<CategoryId> {
    let by_id: HashMap<CategoryId, &CategoryNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let mut closed = Vec::new();
    let mut next = by_id.get(&id).and_then(|n| n.parent_id);
    while let Some(ancestor) = next.and_then(|a| by_id.get(&a)) {
        if !is_open(ancestor, deepest, toggled) {
            closed.push(ancestor.id);
        }
        next = ancestor.parent_id;
    }
    closed
}

/// The category tree with expand / collapse and a bell per category.
#[component]
pub(super) fn CategoryTree(
    nodes: Signal<Vec<CategoryNode>>,
    selected: Signal<Option<CategoryId>>,
    #[prop(into)] on_select: Callback<Option<CategoryId>>,
) -> impl IntoView {
    // Categories turned the other way than they start (see `is_open`).
    let toggled = RwSignal::new(HashSet::<CategoryId>::new());
    let deepest = Memo::new(move |_| nodes.with(|all| first_levels(all)));
    let open = move |node: &CategoryNode| toggled.with(|t| is_open(node, deepest.get(), t));
    // The selected category is always in sight.
    Effect::new(move |_| {
        let Some(id) = selected.get() else { return };
        let closed = nodes
            .with(|all| toggled.with_untracked(|t| closed_ancestors(id, all, deepest.get(), t)));
        if !closed.is_empty() {
            toggled.update(|t| {
                for ancestor in closed {
                    if !t.remove(&ancestor) {
                        t.insert(ancestor);
                    }
                }
            });
        }
    });
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
    let visible = move || nodes.with(|all| toggled.with(|t| visible_rows(all, deepest.get(), t)));
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
                        let shown_open = {
                            let node = node.clone();
                            move || open(&node)
                        };
                        let name = node.name.clone();
                        let expand_label = {
                            let name = name.clone();
                            let shown_open = shown_open.clone();
                            move || if shown_open() { format!("Collapse {name}") } else { format!("Expand {name}") }
                        };
                        let bell_label = {
                            let name = name.clone();
                            move || if watched.get().contains(&id) { format!("Unsubscribe from {name}") } else { format!("Subscribe to {name}") }
                        };
                        view! {
                            <li class="tree-row" class:selected=move || selected.get() == Some(id)
                                style=format!("padding-left: {}px", 4 + node.depth * 16)>
                                {if parent {
                                    let expanded = shown_open.clone();
                                    let chevron = shown_open.clone();
                                    view! {
                                        <button type="button" class="twisty"
                                            aria-expanded=move || if expanded() { "true" } else { "false" }
                                            aria-label=expand_label
                                            on:click=move |_| toggled.update(|t| { if !t.remove(&id) { t.insert(id); } })>
                                            <ChevronIcon open=Signal::derive(chevron)/>
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

    /// A full tree: `roots` roots, each category with `fanout` children,
    /// `levels` levels deep, in the core's order (depth first).
    fn full_tree(roots: usize, fanout: usize, levels: i64) -> Vec<CategoryNode> {
        fn below(
            parent: Option<CategoryId>,
            depth: i64,
            count: usize,
            fanout: usize,
            levels: i64,
            out: &mut Vec<CategoryNode>,
        ) {
            for _ in 0..count {
                let id = CategoryId(out.len() as i64 + 1);
                out.push(CategoryNode {
                    id,
                    parent_id: parent,
                    name: format!("C{}", id.0),
                    depth,
                    own_parts: 0,
                    total_parts: 0,
                });
                if depth + 1 < levels {
                    below(Some(id), depth + 1, fanout, fanout, levels, out);
                }
            }
        }
        let mut out = Vec::new();
        below(None, 0, roots, fanout, levels, &mut out);
        out
    }

    #[test]
    fn a_small_tree_shows_whole_and_a_large_one_its_top_levels() {
        let small = full_tree(3, 3, 3); // 3 + 9 + 27 = 39 categories
        assert_eq!(small.len(), 39);
        let none = HashSet::new();
        assert_eq!(visible_rows(&small, first_levels(&small), &none).len(), 39);

        let large = full_tree(1, 4, 6); // 1,365 categories, as the benchmark's
        assert_eq!(large.len(), 1365);
        let deepest = first_levels(&large);
        assert_eq!(deepest, 2, "1 + 4 + 16 rows fit, 64 more would not");
        let rows = visible_rows(&large, deepest, &none);
        assert_eq!(rows.len(), 21);
        assert!(rows
            .iter()
            .all(|(n, has_children)| n.depth <= 2 && *has_children));

        // Expanding one more shows its four children; collapsing the root hides all but it.
        let third_level = rows
            .iter()
            .find(|(n, _)| n.depth == 2)
            .expect("a third level")
            .0
            .id;
        let expanded: HashSet<_> = [third_level].into_iter().collect();
        assert_eq!(visible_rows(&large, deepest, &expanded).len(), 25);
        let root_closed: HashSet<_> = [CategoryId(1)].into_iter().collect();
        assert_eq!(visible_rows(&large, deepest, &root_closed).len(), 1);
    }

    #[test]
    fn the_way_to_a_deep_selected_category_is_opened() {
        let large = full_tree(1, 4, 6);
        let deepest = first_levels(&large);
        let leaf = large.iter().find(|n| n.depth == 5).expect("a leaf").id;
        let mut toggled = HashSet::new();
        let closed = closed_ancestors(leaf, &large, deepest, &toggled);
        assert_eq!(closed.len(), 3, "levels 2, 3 and 4 start closed");
        toggled.extend(closed);
        let rows = visible_rows(&large, deepest, &toggled);
        assert!(rows.iter().any(|(n, _)| n.id == leaf));
        assert!(closed_ancestors(leaf, &large, deepest, &toggled).is_empty());
    }

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
