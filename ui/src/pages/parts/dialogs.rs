//! "New part" and "New category", and the form helpers they share with the
//! category and part pages.

use super::{PartFields, PartTextFields};
use crate::api;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use partwatch_types::commands;
use partwatch_types::inventory::{CategoryId, CategoryNode, NewCategory, PartInput, PartQuery};
use partwatch_types::ApiError;

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

#[component]
pub fn NewPartDialog(
    nodes: Signal<Vec<CategoryNode>>,
    initial_category: Option<CategoryId>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let fields = PartFields::new(initial_category);
    let variant_of = RwSignal::new(String::new());
    let templates = LocalResource::new(|| async {
        api::invoke::<commands::ListParts>(&PartQuery {
            templates_only: true,
            page_size: 500,
            ..PartQuery::default()
        })
        .await
    });
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let create = api::action::<commands::CreatePart>();
    api::on_success(create, error, move |part| {
        navigate(&routes::part(part.id), Default::default())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = fields.read().map(|input| PartInput {
            variant_of: variant_of.get().parse().ok(),
            ..input
        });
        form::submit(create, error, input);
    };
    view! {
        <Dialog title="New part".to_owned() on_close>
            <form on:submit=submit>
                <PartTextFields fields nodes/>
                <div class="field">
                    <label for="field-variant-of">"Variant of"</label>
                    <select id="field-variant-of" on:change=move |ev| variant_of.set(event_target_value(&ev)) prop:value=move || variant_of.get()>
                        <option value="">"Not a variant"</option>
                        {move || templates.get().and_then(Result::ok).map(|p| p.items).unwrap_or_default().into_iter()
                            .map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <CheckField label="Template (has variants)" value=fields.template/>
                    <CheckField label="Assembly (has a BOM)" value=fields.assembly/>
                </div>
                <Failure error/>
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
                <TextField label="Name" value=name autofocus=true/>
                <div class="field">
                    <label for="field-parent">"Inside"</label>
                    <select id="field-parent" on:change=move |ev| parent.set(event_target_value(&ev)) prop:value=move || parent.get()>
                        {move || category_options(&nodes.get(), "Top level")}
                    </select>
                </div>
                <TextField label="Description" value=description placeholder="optional"/>
                <Failure error/>
                <DialogActions submit="Create category" busy=create.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
