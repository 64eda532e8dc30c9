//! The part's stock history.

use super::Reload;
use crate::api;
use crate::components::error::ErrorText;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{PartId, StockChangeKind, StockHistoryRequest};

#[component]
pub(super) fn StockHistory(part: PartId, reload: Reload) -> impl IntoView {
    let history = LocalResource::new(move || {
        reload.track();
        let request = StockHistoryRequest {
            part_id: part,
            limit: 25,
        };
        async move { api::invoke::<commands::StockHistory>(&request).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading history…"</p> }>
            {move || history.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing has happened to this part's stock yet."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="table" aria-label="Stock history">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col" class="num">"Change"</th><th scope="col" class="num">"After"</th><th scope="col">"Who"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr>
                                    <td class="nowrap">{crate::format::local_time(&e.at)}</td>
                                    <td>{match e.kind {
                                        StockChangeKind::Create => "New item",
                                        StockChangeKind::Add => "Added",
                                        StockChangeKind::Remove => "Removed",
                                        StockChangeKind::Count => "Counted",
                                        StockChangeKind::Delete => "Deleted",
                                    }}</td>
                                    <td class="num mono">{e.delta}</td>
                                    <td class="num">{e.quantity_after.to_string()}</td>
                                    <td>{e.user.unwrap_or_default()}</td>
                                    <td>{e.reason}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </Transition>
    }
}
