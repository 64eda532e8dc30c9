//! "New part" (which warns, before creating, of a part of the same name)
//! and "New category", and the form helpers they share with the category
//! and part pages.

use super::{PartFields, PartKindFields, PartTextFields};
use crate::api;
use crate::components::dialog::{field_id, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::commands;
use partwatch_types::inventory::{
    CategoryId, CategoryNode, NewCategory, Part, PartInput, PartQuery, PartRow,
};
use partwatch_types::ApiError;

/// Two names are the same part name: equal but for case and the spaces
/// around them.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A part already named `name`, if there is one: the search (which also
/// matches IPNs and descriptions) read page by page for an exact name.
async fn part_named(name: &str) -> Result<Option<PartRow>, ApiError> {
    const PAGE: i64 = 100;
    if name.trim().is_empty() {
        return Ok(None);
    }
    let mut page = 0;
    loop {
        let found = api::invoke::<commands::ListParts>(&PartQuery {
            search: name.trim().to_owned(),
            page,
            page_size: PAGE,
            ..PartQuery::default()
        })
        .await?;
        let read = (page + 1) * PAGE;
        if let Some(row) = found.items.into_iter().find(|r| same_name(&r.name, name)) {
            return Ok(Some(row));
        }
        if read >= found.total {
            return Ok(None);
        }
        page += 1;
    }
}

/// What pressing "Create part" led to.
#[derive(Debug, Clone)]
enum Created {
    Part(Part),
    /// Not created: a part of that name exists (shown; "Create anyway").
    SameName(PartRow),
}

/// `<option>`s for every category, indented by depth, with "no category" first.
fn category_options(nodes: &[CategoryNode], none_label: &'static str) -> impl IntoView {
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

/// A labelled `<select>` of every category, `none_label` ("no category")
/// first; `value` is the chosen id, empty for none.
#[component]
pub fn CategoryField(
    label: &'static str,
    value: RwSignal<String>,
    nodes: Signal<Vec<CategoryNode>>,
    none_label: &'static str,
) -> impl IntoView {
    let id = field_id(label);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                {move || category_options(&nodes.get(), none_label)}
            </select>
        </div>
    }
}

#[component]
pub fn NewPartDialog(
    nodes: Signal<Vec<CategoryNode>>,
    initial_category: Option<CategoryId>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let fields = PartFields::new(initial_category);
    let error = form::error();
    let navigate = use_navigate();
    // The part of the same name found, while the name still is that.
    let same = RwSignal::new(None::<PartRow>);
    let warning = move || {
        same.get()
            .filter(|row| same_name(&row.name, &fields.name()))
    };
    let create = Action::new_local(|(input, anyway): &(PartInput, bool)| {
        let (input, anyway) = (input.clone(), *anyway);
        async move {
            if !anyway {
                if let Some(row) = part_named(&input.name).await? {
                    return Ok(Created::SameName(row));
                }
            }
            api::invoke::<commands::CreatePart>(&input)
                .await
                .map(Created::Part)
        }
    });
    api::on_success(create, error, move |created| match created {
        Created::Part(part) => navigate(&routes::part(part.id), Default::default()),
        Created::SameName(row) => same.set(Some(row)),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let anyway = warning().is_some();
        form::submit(create, error, fields.read().map(|input| (input, anyway)));
    };
    view! {
        <Dialog title="New part".to_owned() on_close>
            <form on:submit=submit>
                <PartTextFields fields nodes/>
                <PartKindFields fields/>
                {move || warning().map(|row| view! {
                    <div class="callout warn" role="alert">
                        <p>
                            "There is already a part named "<A href=routes::part(row.id)>{row.name.clone()}</A>
                            {row.ipn.clone().map(|ipn| format!(" (IPN {ipn})"))}"."
                        </p>
                        <p class="muted small">"Press “Create anyway” to make another part of that name, or change the name."</p>
                    </div>
                })}
                <Failure error/>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || create.pending().get()>
                        {move || if warning().is_some() { "Create anyway" } else { "Create part" }}
                    </button>
                </div>
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
    let error = form::error();
    let create = api::action::<commands::CreateCategory>();
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
                <TextField label="Name" called="Category name" value=name autofocus=true/>
                <CategoryField label="Inside" value=parent nodes none_label="Top level"/>
                <TextField label="Description" value=description placeholder="optional"/>
                <Failure error/>
                <DialogActions submit="Create category" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn a_name_is_the_same_whatever_its_case_and_surrounding_spaces() {
        assert!(same_name("Resistor 10k", " resistor 10K "));
        assert!(!same_name("Resistor 10k", "Resistor 10k 0603"));
        assert!(!same_name("Resistor 10k", "Resistor  10k"));
    }
}
