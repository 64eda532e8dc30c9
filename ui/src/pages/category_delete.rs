//! "Delete category…": asks first and, for a category that holds parts or
//! sub-categories, where they go — up to its parent, or into another
//! category (never one inside it). Afterwards the parent's page shows.

use crate::api;
use crate::components::confirm::ConfirmDialog;
use crate::components::form;
use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use partwatch_types::commands;
use partwatch_types::inventory::{
    Category, CategoryContentsGo, CategoryId, CategoryNode, DeleteCategory,
};
use std::collections::HashSet;

/// `root` and every category below it.
pub fn subtree(nodes: &[CategoryNode], root: CategoryId) -> HashSet<CategoryId> {
    let mut inside = HashSet::from([root]);
    loop {
        let before = inside.len();
        for node in nodes {
            if node.parent_id.is_some_and(|p| inside.contains(&p)) {
                inside.insert(node.id);
            }
        }
        if inside.len() == before {
            return inside;
        }
    }
}

/// "3 parts and 1 sub-category", "1 part", "2 sub-categories"; `None` when empty.
pub fn contents_in_words(parts: i64, subcategories: usize) -> Option<String> {
    let parts = match parts {
        0 => None,
        1 => Some("1 part".to_owned()),
        n => Some(format!("{n} parts")),
    };
    let subs = match subcategories {
        0 => None,
        1 => Some("1 sub-category".to_owned()),
        n => Some(format!("{n} sub-categories")),
    };
    match (parts, subs) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(parts), Some(subs)) => Some(format!("{parts} and {subs}")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Parent,
    Other,
}

#[component]
pub fn DeleteCategoryDialog(
    category: Category,
    nodes: Signal<Vec<CategoryNode>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let id = category.id;
    let all = nodes.get_untracked();
    let own_parts = all.iter().find(|n| n.id == id).map_or(0, |n| n.own_parts);
    let children = all.iter().filter(|n| n.parent_id == Some(id)).count();
    let held = contents_in_words(own_parts, children);
    let parent = category.ancestors.last().cloned();
    let inside = subtree(&all, id);
    let targets: Vec<CategoryNode> = all
        .into_iter()
        .filter(|n| !inside.contains(&n.id))
        .collect();

    let destination = RwSignal::new(Destination::Parent);
    let target = RwSignal::new(String::new());
    let empty = held.is_none();
    let delete = Action::new_local(move |_: &()| {
        let contents = if empty {
            Ok(CategoryContentsGo::Nowhere)
        } else {
            match destination.get_untracked() {
                Destination::Parent => Ok(CategoryContentsGo::ToParent),
                Destination::Other => form::chosen::<CategoryId>(
                    &target.get_untracked(),
                    "Choose the category they go into.",
                )
                .map(CategoryContentsGo::To),
            }
        };
        async move {
            api::invoke::<commands::DeleteCategoryCommand>(&DeleteCategory {
                id,
                contents: contents?,
            })
            .await
        }
    });
    let navigate = use_navigate();
    let after = match &parent {
        Some(p) => routes::category(p.id),
        None => routes::PARTS.to_owned(),
    };
    let message = match &held {
        None => format!(
            "Delete the category {}? It holds no parts or sub-categories. This cannot be undone.",
            category.name
        ),
        Some(held) => format!(
            "Delete the category {}? It holds {held}: the category goes, what it holds stays. Where should it go?",
            category.name
        ),
    };
    let up = match &parent {
        Some(p) => format!("Up to {}", p.name),
        None => "To the top level (parts without a category)".to_owned(),
    };
    view! {
        <ConfirmDialog title="Delete category".to_owned() message confirm="Delete category".to_owned()
            action=delete request=()
            on_close
            on_done=move |()| navigate(&after, Default::default())>
            {(!empty).then(|| view! {
                <fieldset class="checks stacked">
                    <legend>"Its parts and sub-categories go"</legend>
                    <label class="check">
                        <input type="radio" name="category-contents" prop:checked=move || destination.get() == Destination::Parent
                            on:change=move |_| destination.set(Destination::Parent)/>
                        {up.clone()}
                    </label>
                    <label class="check">
                        <input type="radio" name="category-contents" prop:checked=move || destination.get() == Destination::Other
                            on:change=move |_| destination.set(Destination::Other)/>
                        "Into another category"
                    </label>
                    <div class="field">
                        <label for="field-contents-target">"Category they go into"</label>
                        <select id="field-contents-target" disabled=move || destination.get() != Destination::Other
                            on:change=move |ev| target.set(event_target_value(&ev)) prop:value=move || target.get()>
                            <option value="">"Choose a category…"</option>
                            {targets.iter().map(|n| {
                                let indent = "\u{2003}".repeat(usize::try_from(n.depth).unwrap_or(0));
                                view! { <option value=n.id.to_string()>{format!("{indent}{}", n.name)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </fieldset>
            })}
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>) -> CategoryNode {
        CategoryNode {
            id: CategoryId(id),
            parent_id: parent.map(CategoryId),
            name: format!("C{id}"),
            depth: 0,
            own_parts: 0,
            total_parts: 0,
        }
    }

    #[test]
    fn a_category_and_everything_below_it_are_not_destinations() {
        // Listed out of tree order on purpose: a grandchild before its parent.
        let nodes = [
            node(1, None),
            node(4, Some(3)),
            node(2, Some(1)),
            node(3, Some(2)),
            node(5, None),
        ];
        let inside = subtree(&nodes, CategoryId(2));
        assert_eq!(
            inside,
            HashSet::from([CategoryId(2), CategoryId(3), CategoryId(4)])
        );
    }

    #[test]
    fn what_a_category_holds_reads_as_words() {
        assert_eq!(contents_in_words(0, 0), None);
        assert_eq!(contents_in_words(1, 0).as_deref(), Some("1 part"));
        assert_eq!(contents_in_words(0, 2).as_deref(), Some("2 sub-categories"));
        assert_eq!(
            contents_in_words(3, 1).as_deref(),
            Some("3 parts and 1 sub-category")
        );
    }
}
