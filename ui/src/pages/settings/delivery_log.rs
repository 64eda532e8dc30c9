//! The delivery log: what was sent outside the app, filtered by status and
//! channel, with "Retry".

use crate::api;
use crate::components::centre::Centre;
use crate::components::error::Failure;
use crate::components::filter::FilterSelect;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::delivery::{ChannelKind, DeliveryId, DeliveryQuery, DeliveryStatus};
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn DeliveryLog() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let refresh = Reload::new();
    let status = RwSignal::new(None::<DeliveryStatus>);
    let channel = RwSignal::new(None::<ChannelKind>);
    let log = LocalResource::new(move || {
        refresh.track();
        centre.version.get();
        let query = DeliveryQuery {
            status: status.get(),
            channel: channel.get(),
            limit: 100,
            ..DeliveryQuery::default()
        };
        async move { api::invoke::<commands::ListDeliveries>(&query).await }
    });
    let retry = Action::new_local(|id: &DeliveryId| {
        let id = *id;
        async move { api::invoke::<commands::RetryDelivery>(&id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    api::on_success(retry, error, move |_| {
        refresh.bump();
    });
    view! {
        <section class="card" id="deliveries" aria-labelledby="log-title">
            <div class="card-head">
                <h2 id="log-title">"Delivery log"</h2>
                <div class="head-actions">
                    <FilterSelect id="field-log-status" label="Status" all="Any" value=status parse=DeliveryStatus::parse
                        choices=DeliveryStatus::ALL.map(|s| (s.as_str(), status_label(s)))/>
                    <FilterSelect id="field-log-channel" label="Channel" all="Any" value=channel parse=ChannelKind::parse
                        choices=ChannelKind::ALL.map(|c| (c.as_str(), c.label()))/>
                    <button type="button" class="button small" on:click=move |_| refresh.bump()>"Refresh"</button>
                </div>
            </div>
            <Failure error/>
            {loaded(log, "Loading…", move |value| match value {
                    list if list.is_empty() => view! { <p class="muted">"Nothing has been sent outside the app yet."</p> }.into_any(),
                    list => view! {
                        {data_table("Deliveries", &[text("When"), text("Channel"), text("Notification"), text("To"), text("Status"), number("Attempts"), text("Last error"), ACTIONS], list, |d| {
                                    let id = d.id;
                                    let can_retry = matches!(d.status, DeliveryStatus::Failed | DeliveryStatus::Skipped);
                                    view! {
                                        <tr>
                                            <td class="nowrap">{local_time(&d.created_at)}</td>
                                            <td>{d.channel.label()}</td>
                                            <td>{d.title.clone()}</td>
                                            <td>{d.recipient.clone()}</td>
                                            <td>
                                                <span class=format!("badge delivery-{}", d.status.as_str())>{status_label(d.status)}</span>
                                                {d.next_attempt_at.as_deref().map(|due| {
                                                    let when = local_time(due);
                                                    let note = if d.in_digest {
                                                        format!("in digest due at {when}")
                                                    } else if d.held_by_quiet_hours {
                                                        format!("held until {when} (quiet hours)")
                                                    } else {
                                                        format!("due {when}")
                                                    };
                                                    view! { <span class="small muted due">{note}</span> }
                                                })}
                                            </td>
                                            <td class="num">{d.attempts}</td>
                                            <td class="error-text">{d.last_error.clone().unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                {can_retry.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Retry delivery {id}")
                                                        on:click=move |_| { retry.dispatch(id); }>"Retry"</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                })}
        </section>
    }
}

fn status_label(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "Pending",
        DeliveryStatus::Sent => "Sent",
        DeliveryStatus::Failed => "Failed",
        DeliveryStatus::Skipped => "Skipped",
    }
}
