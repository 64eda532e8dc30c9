//! "Used in": the assemblies whose bill of materials uses a part — by name,
//! or as a variant of the template a line names — with how many each
//! assembly takes. Not shown for a part no assembly uses.

use crate::api;
use crate::components::error::ErrorText;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::commands;
use partwatch_types::inventory::PartId;

#[component]
pub(super) fn UsedIn(part: PartId, units: String, reload: Reload) -> impl IntoView {
    let used = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::WhereUsed>(&part).await }
    });
    let units = StoredValue::new(units);
    view! {
        <Transition fallback=|| ()>
            {move || used.get().map(|result| match result {
                Ok(list) if list.is_empty() => ().into_any(),
                Ok(list) => view! {
                    <section class="card" aria-labelledby="used-in-title">
                        <h2 id="used-in-title">"Used in"</h2>
                        {data_table("Used in", &[text("Assembly"), number("Per assembly")], list, |u| {
                            let per = units.with_value(|units| {
                                if units.is_empty() { u.quantity.to_string() } else { format!("{} {units}", u.quantity) }
                            });
                            view! {
                                <tr>
                                    <td>
                                        <A href=routes::part(u.assembly.id)>{u.assembly.name}</A>
                                        {u.through.map(|t| view! {
                                            <span class="muted">" as a variant of "</span><A href=routes::part(t.id)>{t.name}</A>
                                        })}
                                    </td>
                                    <td class="num">{per}</td>
                                </tr>
                            }
                        })}
                    </section>
                }.into_any(),
                Err(err) => view! {
                    <section class="card" aria-labelledby="used-in-title">
                        <h2 id="used-in-title">"Used in"</h2>
                        <ErrorText err/>
                    </section>
                }.into_any(),
            })}
        </Transition>
    }
}
