//! "Edit part": the part's details, minimum stock included.

use crate::api;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::pages::parts::category_options;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{Part, PartInput, UpdatePart};
use partwatch_types::{ApiError, Quantity};

#[component]
pub(super) fn EditPartDialog(
    part: Part,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let tree = LocalResource::new(api::ask::<commands::CategoryTree>);
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    let name = RwSignal::new(part.name.clone());
    let ipn = RwSignal::new(part.ipn.clone().unwrap_or_default());
    let units = RwSignal::new(part.units.clone());
    let minimum = RwSignal::new(if part.figures.minimum_stock == Quantity::ZERO {
        String::new()
    } else {
        part.figures.minimum_stock.to_string()
    });
    let description = RwSignal::new(part.description.clone());
    let category = RwSignal::new(
        part.category
            .as_ref()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    );
    let template = RwSignal::new(part.is_template);
    let assembly = RwSignal::new(part.is_assembly);
    let active = RwSignal::new(part.active);
    let error = RwSignal::new(None::<ApiError>);
    let save = api::action::<commands::UpdatePartCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let id = part.id;
    let variant_of = part.variant_of.as_ref().map(|t| t.id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ipn = ipn.get();
        let request =
            form::optional_quantity("Minimum stock", &minimum.get()).map(|minimum_stock| {
                UpdatePart {
                    id,
                    input: PartInput {
                        name: name.get(),
                        ipn: (!ipn.trim().is_empty()).then_some(ipn),
                        description: description.get(),
                        category_id: category.get().parse().ok(),
                        units: units.get(),
                        is_template: template.get(),
                        variant_of,
                        is_assembly: assembly.get(),
                        active: active.get(),
                        minimum_stock,
                    },
                }
            });
        form::submit(save, error, request);
    };
    view! {
        <Dialog title="Edit part".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Name" value=name autofocus=true/>
                <div class="field-row">
                    <TextField label="IPN" value=ipn mono=true/>
                    <TextField label="Units" value=units/>
                </div>
                <div class="field">
                    <label for="field-category">"Category"</label>
                    <select id="field-category" on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get()>
                        {move || category_options(&nodes.get(), "No category")}
                    </select>
                </div>
                <TextField label="Minimum stock" value=minimum inputmode="decimal" placeholder="0 = no minimum"/>
                <TextField label="Description" value=description/>
                <div class="field-row">
                    <CheckField label="Template (has variants)" value=template/>
                    <CheckField label="Assembly (has a BOM)" value=assembly/>
                    <CheckField label="Active" value=active/>
                </div>
                <Failure error/>
                <DialogActions submit="Save" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
