//! An assembly's bill of materials on its part page: the lines, "Add BOM
//! line" and removing one. Quantities are per assembly built.

use crate::api;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{BomLineId, NewBomLine, PartId, PartQuery};
use partwatch_types::{commands, ApiError};

#[component]
pub fn BomSection(assembly: PartId, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let reload = Reload::new();
    let adding = RwSignal::new(false);
    let lines = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::BomLines>(&assembly).await }
    });
    let remove = Action::new_local(|id: &BomLineId| {
        let id = *id;
        async move { api::invoke::<commands::RemoveBomLine>(&id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    api::on_success(remove, error, move |()| {
        reload.bump();
        on_change.run(());
    });
    view! {
        <section class="card" aria-labelledby="bom-title">
            <div class="card-head">
                <h2 id="bom-title">"Bill of materials"</h2>
                <button type="button" class="button" on:click=move |_| adding.set(true)>"Add BOM line"</button>
            </div>
            <Failure error/>
            {loaded(lines, "Loading the BOM…", move |value| match value {
                    list if list.is_empty() => view! { <p class="muted">"No parts yet: add what one of these is built from."</p> }.into_any(),
                    list => view! {
                        {data_table("Bill of materials", &[text("Part"), number("Per assembly"), text("Variants"), ACTIONS], list, |line| {
                                    let id = line.id;
                                    let remove_label = format!("Remove {} from the BOM", line.sub_part.name);
                                    view! {
                                        <tr>
                                            <td><A href=routes::part(line.sub_part.id)>{line.sub_part.name.clone()}</A></td>
                                            <td class="num">{line.quantity.to_string()}</td>
                                            <td>{if line.allow_variants { "allowed" } else { "—" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=remove_label
                                                    on:click=move |_| { remove.dispatch(id); }>"Remove"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                })}
        </section>
        {move || adding.get().then(|| view! {
            <AddBomLineDialog assembly on_close=move || adding.set(false)
                on_saved=move || { adding.set(false); reload.bump(); on_change.run(()); }/>
        })}
    }
}

#[component]
fn AddBomLineDialog(
    assembly: PartId,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let parts = LocalResource::new(|| async {
        api::invoke::<commands::ListParts>(&PartQuery {
            active: Some(true),
            page_size: 500,
            ..PartQuery::default()
        })
        .await
    });
    let part = RwSignal::new(String::new());
    let quantity = RwSignal::new("1".to_owned());
    let variants = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let save = api::action::<commands::AddBomLine>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let line = || {
            Ok(NewBomLine {
                assembly_id: assembly,
                sub_part_id: form::chosen(&part.get(), "Choose the part the assembly needs.")?,
                quantity: form::quantity("Quantity", &quantity.get())?,
                allow_variants: variants.get(),
            })
        };
        form::submit(save, error, line());
    };
    view! {
        <Dialog title="Add BOM line".to_owned() on_close>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="field-bom-part">"Part"</label>
                    <select id="field-bom-part" on:change=move |ev| part.set(event_target_value(&ev)) prop:value=move || part.get()>
                        <option value="">"Choose a part…"</option>
                        {move || parts.get().and_then(Result::ok).map(|p| p.items).unwrap_or_default().into_iter()
                            .filter(|p| p.id != assembly)
                            .map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="Quantity per assembly" value=quantity inputmode="decimal"/>
                <CheckField label="Variants of this part may be used" value=variants/>
                <Failure error/>
                <DialogActions submit="Add line" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
