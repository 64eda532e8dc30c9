//! Moving stock: the "Transfer" dialog of a stock item (on a part's page and
//! on a location's), all of it or part of it, to another location. A
//! transfer changes no totals, so it notifies nobody.

use crate::api;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::location_picker::{LocationPicker, PickerText};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{StockItem, TransferStock};
use partwatch_types::{ApiError, Quantity};

/// How a stock item is named on its row's buttons and in dialogs: where it
/// is, and its batch if it has one ("Drawer A3, batch 2024-07").
pub fn place(item: &StockItem) -> String {
    let at = item
        .location
        .as_ref()
        .map_or_else(|| format!("item {}", item.id), |l| l.path.clone());
    if item.batch.is_empty() {
        at
    } else {
        format!("{at}, batch {}", item.batch)
    }
}

/// "12 pcs" (or "12" without units).
pub fn amount(quantity: Quantity, units: &str) -> String {
    if units.is_empty() {
        quantity.to_string()
    } else {
        format!("{quantity} {units}")
    }
}

/// How much to move: blank or "all" is the whole item (`None`).
fn to_move(label: &str, text: &str) -> Result<Option<Quantity>, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    form::quantity(label, text).map(Some)
}

const QUANTITY: &str = "Quantity to move";
const DESTINATION: &str = "To location";

/// Transfers all or part of `item` to a location the user picks (or
/// creates); `on_saved` runs once it has moved.
#[component]
pub fn TransferDialog(
    item: StockItem,
    units: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let to = RwSignal::new(None);
    let to_text = PickerText::must_choose();
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = form::error();
    let save = api::action::<commands::TransferStockCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let item_id = item.id;
    let from = item.location.as_ref().map(|l| l.id);
    let on_submit = form::on_submit(save, error, move || {
        let destination = to_text.chosen(DESTINATION, to.get_untracked().as_ref())?;
        if destination == from {
            return Err(form::invalid(format!(
                "{DESTINATION}: the stock is there already; choose another location."
            )));
        }
        Ok(TransferStock {
            item_id,
            to_location_id: destination,
            quantity: to_move(QUANTITY, &quantity.get_untracked())?,
            reason: reason.get_untracked(),
        })
    });
    view! {
        <Dialog title="Transfer stock".to_owned() on_close>
            <form on:submit=on_submit>
                <p class="muted">{format!("Now {} at {}.", amount(item.quantity, &units), place(&item))}</p>
                <LocationPicker label=DESTINATION value=to text=to_text autofocus=true/>
                <TextField label=QUANTITY value=quantity inputmode="decimal" placeholder="all"
                    hint="Blank or “all” moves the whole item."/>
                <TextField label="Reason" value=reason placeholder="optional, shown in the history"/>
                <p class="hint small">"A transfer changes no totals and notifies nobody."</p>
                <Failure error/>
                <DialogActions submit="Transfer" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::{LocationId, LocationRef, PartId, StockItemId};

    #[test]
    fn blank_or_all_moves_the_whole_item() {
        assert_eq!(to_move(QUANTITY, "  "), Ok(None));
        assert_eq!(to_move(QUANTITY, "All"), Ok(None));
        assert_eq!(
            to_move(QUANTITY, " 2.5 ").map(|q| q.map(|q| q.to_string())),
            Ok(Some("2.5".to_owned()))
        );
        let err = to_move(QUANTITY, "half").expect_err("not a number");
        assert!(
            err.message.starts_with("Quantity to move: "),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_item_is_named_by_its_place_and_batch() {
        let mut item = StockItem {
            id: StockItemId(7),
            part_id: PartId(1),
            quantity: Quantity::whole(12),
            location: None,
            batch: String::new(),
            created_at: String::new(),
        };
        assert_eq!(place(&item), "item 7");
        item.location = Some(LocationRef {
            id: LocationId(3),
            path: "Store › Drawer A3".to_owned(),
        });
        assert_eq!(place(&item), "Store › Drawer A3");
        item.batch = "B-24".to_owned();
        assert_eq!(place(&item), "Store › Drawer A3, batch B-24");
        assert_eq!(amount(item.quantity, "pcs"), "12 pcs");
        assert_eq!(amount(item.quantity, ""), "12");
    }
}
