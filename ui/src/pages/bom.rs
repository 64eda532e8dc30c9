//! An assembly's bill of materials on its part page: the lines with each
//! part's stock, what the stock can build ("Can build 4", or which part is
//! short), "Add BOM line" (a part picker), editing a line's quantity and
//! whether variants may stand in, and removing a line (confirmed).
//! Quantities are per assembly built.

use crate::api;
use crate::components::card::CardHead;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{CheckField, Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::part_picker::PartPicker;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{Bom, BomLine, NewBomLine, PartId, PartRef, UpdateBomLine};
use partwatch_types::{commands, ApiError, Quantity};
use std::collections::HashMap;

/// A line's available stock does not cover one assembly.
pub fn is_short(line: &BomLine) -> bool {
    line.available < line.quantity
}

/// What the stock allows, in words: "Can build 4", or which part stops it.
pub fn can_build_text(bom: &Bom) -> Option<String> {
    let can = bom.can_build?;
    if can > Quantity::ZERO {
        return Some(format!("Can build {can}"));
    }
    Some(match bom.lines.iter().find(|l| is_short(l)) {
        Some(line) => format!("Cannot build any: {} is short", line.sub_part.name),
        None => "Cannot build any".to_owned(),
    })
}

#[component]
pub fn BomSection(assembly: PartId, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let reload = Reload::new();
    let adding = RwSignal::new(false);
    let removing = RwSignal::new(None::<BomLine>);
    let editing = RwSignal::new(None::<BomLine>);
    let lines = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::BomLines>(&assembly).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    // The lines name their parts; the IPNs come from the parts themselves.
    let ipns = RwSignal::new(HashMap::<PartId, Option<String>>::new());
    Effect::new(move |_| {
        let wanted: Vec<PartId> = lines
            .get()
            .and_then(Result::ok)
            .map(|bom| bom.lines.iter().map(|l| l.sub_part.id).collect())
            .unwrap_or_default();
        for id in wanted {
            if ipns.with_untracked(|known| known.contains_key(&id)) {
                continue;
            }
            ipns.update_untracked(|known| {
                known.insert(id, None);
            });
            leptos::task::spawn_local(async move {
                match api::invoke::<commands::GetPart>(&id).await {
                    Ok(part) => {
                        let _ = ipns.try_update(|known| known.insert(id, part.ipn));
                    }
                    Err(err) => {
                        let _ = error.try_set(Some(err));
                    }
                }
            });
        }
    });
    view! {
        <section class="card" aria-labelledby="bom-title">
            <CardHead id="bom-title" title="Bill of materials" add="Add BOM line" on_add=move || adding.set(true)/>
            <Failure error/>
            {loaded(lines, "Loading the BOM…", move |bom| {
                let verdict = can_build_text(&bom);
                let blocked = bom.can_build == Some(Quantity::ZERO);
                match bom.lines {
                    list if list.is_empty() => view! { <p class="muted">"No parts yet: add what one of these is built from."</p> }.into_any(),
                    list => view! {
                        {verdict.map(|verdict| view! { <p class="can-build" class:warn=blocked>{verdict}</p> })}
                        {data_table("Bill of materials", &[text("Part"), number("Per assembly"), number("In stock"), number("Available"), text("Variants"), ACTIONS], list, |line| {
                                    let short = is_short(&line);
                                    let id = line.sub_part.id;
                                    let remove_label = format!("Remove {} from the BOM", line.sub_part.name);
                                    let edit_label = format!("Edit the BOM line of {}", line.sub_part.name);
                                    let ask = line.clone();
                                    let edit = line.clone();
                                    view! {
                                        <tr class:short=short>
                                            <td>
                                                <A href=routes::part(line.sub_part.id)>{line.sub_part.name.clone()}</A>
                                                {move || ipns.with(|known| known.get(&id).cloned().flatten()).map(|ipn| view! { " "<span class="mono muted small">{ipn}</span> })}
                                                {short.then(|| view! { " "<span class="badge low">"short"</span> })}
                                            </td>
                                            <td class="num">{line.quantity.to_string()}</td>
                                            <td class="num">{line.in_stock.to_string()}</td>
                                            <td class="num" class:warn=short>{line.available.to_string()}</td>
                                            <td>{if line.allow_variants { "allowed" } else { "—" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=edit_label
                                                    on:click=move |_| editing.set(Some(edit.clone()))>"Edit"</button>
                                                <button type="button" class="button small" aria-label=remove_label
                                                    on:click=move |_| removing.set(Some(ask.clone()))>"Remove"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                }
            })}
        </section>
        {move || adding.get().then(|| view! {
            <AddBomLineDialog assembly on_close=move || adding.set(false)
                on_saved=move || { adding.set(false); reload.bump(); on_change.run(()); }/>
        })}
        {move || editing.get().map(|line| view! {
            <EditBomLineDialog line on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); reload.bump(); on_change.run(()); }/>
        })}
        {move || removing.get().map(|line| {
            let message = format!(
                "Remove {} ({} per assembly) from this bill of materials? Builds completed from now on will not use it, and open orders stop reserving it.",
                line.sub_part.name, line.quantity
            );
            view! {
                <ConfirmDialog title="Remove BOM line".to_owned() message confirm="Remove line".to_owned()
                    action={api::action::<commands::RemoveBomLine>()} request=line.id
                    on_close=move || removing.set(None)
                    on_done=move |()| { removing.set(None); reload.bump(); on_change.run(()); }/>
            }
        })}
    }
}

#[component]
fn AddBomLineDialog(
    assembly: PartId,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let part = RwSignal::new(None::<PartRef>);
    let quantity = RwSignal::new("1".to_owned());
    let variants = RwSignal::new(false);
    let error = form::error();
    let save = api::action::<commands::AddBomLine>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = form::on_submit(save, error, move || {
        Ok(NewBomLine {
            assembly_id: assembly,
            sub_part_id: part.get().map(|p| p.id).ok_or_else(|| {
                form::invalid("Choose the part the assembly needs.").on_field("Part")
            })?,
            quantity: form::quantity("Quantity per assembly", &quantity.get())?,
            allow_variants: variants.get(),
        })
    });
    view! {
        <Dialog title="Add BOM line".to_owned() on_close>
            <form on:submit=on_submit>
                <PartPicker label="Part" value=part active_only=true exclude=Some(assembly)
                    placeholder="Search by name, IPN or description"/>
                <TextField label="Quantity per assembly" value=quantity inputmode="decimal"/>
                <CheckField label="Variants of this part may be used" value=variants/>
                <Failure error/>
                <DialogActions submit="Add line" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

/// A line's quantity per assembly and whether variants may stand in; the
/// part stays (remove the line and add another to change it).
#[component]
fn EditBomLineDialog(
    line: BomLine,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let id = line.id;
    let quantity = RwSignal::new(line.quantity.to_string());
    let variants = RwSignal::new(line.allow_variants);
    let error = form::error();
    let save = api::action::<commands::UpdateBomLineCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let on_submit = form::on_submit(save, error, move || {
        Ok(UpdateBomLine {
            id,
            quantity: form::quantity("Quantity per assembly", &quantity.get())?,
            allow_variants: variants.get(),
        })
    });
    view! {
        <Dialog title=format!("Edit BOM line: {}", line.sub_part.name) on_close>
            <form on:submit=on_submit>
                <TextField label="Quantity per assembly" value=quantity inputmode="decimal"/>
                <CheckField label="Variants of this part may be used" value=variants/>
                <Failure error/>
                <DialogActions submit="Save line" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
