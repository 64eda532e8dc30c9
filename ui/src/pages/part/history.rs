//! The part's stock history.

use crate::api;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text};
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
        {loaded(history, "Loading history…", move |value| match value {
                list if list.is_empty() => view! { <p class="muted">"Nothing has happened to this part's stock yet."</p> }.into_any(),
                list => view! {
                    {data_table("Stock history", &[text("When"), text("What"), text("Location"), number("Change"), number("After"), text("Who"), text("Reason")], list, |e| view! {
                                <tr>
                                    <td class="nowrap">{crate::format::local_time(&e.at)}</td>
                                    <td>{match e.kind {
                                        StockChangeKind::Create => "New item",
                                        StockChangeKind::Add => "Added",
                                        StockChangeKind::Remove => "Removed",
                                        StockChangeKind::Count => "Counted",
                                        StockChangeKind::Delete => "Deleted",
                                        StockChangeKind::Transfer => "Transferred",
                                        StockChangeKind::Merge => "Merged",
                                        StockChangeKind::Consume => "Used by build",
                                        StockChangeKind::Build => "Built",
                                    }}
                                    {e.build.map(|build| view! { " "<span class="mono">{build.reference}</span> })}
                                    </td>
                                    <td>{if e.location.is_empty() { "—".to_owned() } else { e.location }}</td>
                                    <td class="num mono">{e.delta}</td>
                                    <td class="num">{e.quantity_after.to_string()}</td>
                                    <td>{e.user.unwrap_or_default()}</td>
                                    <td>{e.reason}</td>
                                </tr>
                            })}
                }.into_any(),
            })}
    }
}
