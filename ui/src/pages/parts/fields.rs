//! The fields of a part a person types in — name, IPN, units, category,
//! minimum stock, description, the template it is a variant of (a part
//! picker offering templates), template and assembly — shared by "New part"
//! and "Edit part", so both read and check them the same way.

use super::CategoryField;
use crate::components::dialog::{CheckField, TextField};
use crate::components::form;
use crate::components::part_picker::{Offer, PartPicker};
use leptos::prelude::*;
use partwatch_types::inventory::{CategoryId, CategoryNode, Part, PartId, PartInput, PartRef};
use partwatch_types::{ApiError, Quantity};

/// The form's state for one part.
#[derive(Debug, Clone, Copy)]
pub struct PartFields {
    name: RwSignal<String>,
    ipn: RwSignal<String>,
    units: RwSignal<String>,
    minimum: RwSignal<String>,
    description: RwSignal<String>,
    category: RwSignal<String>,
    variant_of: RwSignal<Option<PartRef>>,
    /// The part edited (`None` for a new one): never its own template.
    id: Option<PartId>,
    template: RwSignal<bool>,
    assembly: RwSignal<bool>,
}

impl PartFields {
    /// Empty fields for a new part (counted in pieces), in `category` if given.
    pub fn new(category: Option<CategoryId>) -> Self {
        Self::with(
            &PartInput {
                units: "pcs".to_owned(),
                category_id: category,
                ..PartInput::named("")
            },
            None,
            None,
        )
    }

    /// The fields of an existing part.
    pub fn of(part: &Part) -> Self {
        Self::with(
            &PartInput {
                name: part.name.clone(),
                ipn: part.ipn.clone(),
                description: part.description.clone(),
                category_id: part.category.as_ref().map(|c| c.id),
                units: part.units.clone(),
                is_template: part.is_template,
                variant_of: part.variant_of.as_ref().map(|t| t.id),
                is_assembly: part.is_assembly,
                active: part.active,
                minimum_stock: part.figures.minimum_stock,
            },
            part.variant_of.clone(),
            Some(part.id),
        )
    }

    fn with(input: &PartInput, variant_of: Option<PartRef>, id: Option<PartId>) -> Self {
        Self {
            name: RwSignal::new(input.name.clone()),
            ipn: RwSignal::new(input.ipn.clone().unwrap_or_default()),
            units: RwSignal::new(input.units.clone()),
            minimum: RwSignal::new(if input.minimum_stock == Quantity::ZERO {
                String::new()
            } else {
                input.minimum_stock.to_string()
            }),
            description: RwSignal::new(input.description.clone()),
            category: RwSignal::new(input.category_id.map(|c| c.to_string()).unwrap_or_default()),
            variant_of: RwSignal::new(variant_of),
            id,
            template: RwSignal::new(input.is_template),
            assembly: RwSignal::new(input.is_assembly),
        }
    }

    /// The name as typed (tracked).
    pub fn name(self) -> String {
        self.name.get()
    }

    /// What the fields say (active: the caller sets that), or why they
    /// cannot be read.
    pub fn read(self) -> Result<PartInput, ApiError> {
        let ipn = self.ipn.get();
        Ok(PartInput {
            name: self.name.get(),
            ipn: (!ipn.trim().is_empty()).then_some(ipn),
            description: self.description.get(),
            category_id: self.category.get().parse().ok(),
            variant_of: self.variant_of.get().map(|t| t.id),
            units: self.units.get(),
            is_template: self.template.get(),
            is_assembly: self.assembly.get(),
            minimum_stock: form::optional_quantity("Minimum stock", &self.minimum.get())?,
            ..PartInput::named("")
        })
    }
}

/// The text fields and the category of a part, labelled.
#[component]
pub fn PartTextFields(fields: PartFields, nodes: Signal<Vec<CategoryNode>>) -> impl IntoView {
    view! {
        <TextField label="Name" called="Part name" value=fields.name autofocus=true/>
        <div class="field-row">
            <TextField label="IPN" value=fields.ipn mono=true placeholder="optional"/>
            <TextField label="Units" value=fields.units/>
        </div>
        <CategoryField label="Category" value=fields.category nodes none_label="No category"/>
        <TextField label="Minimum stock" value=fields.minimum inputmode="decimal" placeholder="0 = no minimum"/>
        <TextField label="Description" value=fields.description placeholder="optional"/>
        <PartPicker label="Variant of" value=fields.variant_of offer=Offer::Templates exclude=fields.id
            placeholder="Not a variant: search templates to make it one"/>
    }
}

/// Whether the part is a template and an assembly (and, given `active`,
/// whether it is active), in a row.
#[component]
pub fn PartKindFields(
    fields: PartFields,
    #[prop(optional)] active: Option<RwSignal<bool>>,
) -> impl IntoView {
    view! {
        <div class="field-row">
            <CheckField label="Template (has variants)" value=fields.template/>
            <CheckField label="Assembly (has a BOM)" value=fields.assembly/>
            {active.map(|value| view! { <CheckField label="Active" value/> })}
        </div>
    }
}
