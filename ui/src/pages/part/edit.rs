//! "Edit part": the part's details, minimum stock included.

use crate::api;
use crate::components::dialog::{Dialog, DialogActions};
use crate::components::error::Failure;
use crate::components::form;
use crate::pages::parts::{PartFields, PartKindFields, PartTextFields};
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{Part, PartInput, UpdatePart};

#[component]
pub(super) fn EditPartDialog(
    part: Part,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let tree = LocalResource::new(api::ask::<commands::CategoryTree>);
    let nodes = Signal::derive(move || tree.get().and_then(Result::ok).unwrap_or_default());
    let fields = PartFields::of(&part);
    let active = RwSignal::new(part.active);
    let error = form::error();
    let save = api::action::<commands::UpdatePartCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let id = part.id;
    let on_submit = form::on_submit(save, error, move || {
        fields.read().map(|input| UpdatePart {
            id,
            input: PartInput {
                active: active.get(),
                ..input
            },
        })
    });
    view! {
        <Dialog title="Edit part".to_owned() on_close>
            <form on:submit=on_submit>
                <PartTextFields fields nodes/>
                <PartKindFields fields active/>
                <Failure error/>
                <DialogActions submit="Save" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
