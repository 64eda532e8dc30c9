//! Build orders: the list with status, how many are done, and a status
//! filter; starting, completing ("Complete…": how many, where the
//! assemblies go, which stock each BOM line uses) and cancelling (confirmed)
//! an order; and "New build order" (an assembly picker, quantity, the next
//! free reference, "Check stock" before creating), which shows the shortage
//! check's result — the short lines — right after creation. Each order's
//! reference opens its page (`page`).

mod cancel;
mod complete;
mod new_order;
mod page;
mod stock_use;

pub use page::BuildPage;

use crate::api;
use crate::components::error::ErrorText;
use crate::components::filter::FilterSelect;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, hidden, number, text};
use crate::format::local_time;
use crate::routes;
use cancel::CancelBuildDialog;
use complete::{CompleteBuildDialog, CompletionResult};
use leptos::prelude::*;
use leptos_router::components::A;
use new_order::{NewBuildDialog, ShortageResult};
use partwatch_types::inventory::{
    BomLine, BuildCompletion, BuildOrder, BuildStatus, CreatedBuildOrder, SetBuildStatus, ShortLine,
};
use partwatch_types::{commands, ApiError, Quantity};

/// What is left to complete of an order.
pub fn left_to_complete(order: &BuildOrder) -> Quantity {
    order.quantity.saturating_sub(order.completed)
}

/// "1 / 3": completed of ordered.
pub fn progress(order: &BuildOrder) -> String {
    format!("{} / {}", order.completed, order.quantity)
}

/// What a line needs for `quantity` assemblies; `None` when that overflows.
pub fn needed(line: &BomLine, quantity: Quantity) -> Option<Quantity> {
    line.quantity.checked_mul(quantity)
}

/// The lines whose stock cannot cover `quantity` assemblies.
pub fn short_for(lines: &[BomLine], quantity: Quantity) -> Vec<&BomLine> {
    lines
        .iter()
        .filter(|l| needed(l, quantity).is_none_or(|need| l.in_stock < need))
        .collect()
}

/// What an order's creation or completion did, shown above the list until
/// dismissed: a card headed `title` (element id `id`), a warning when `warn`.
#[component]
fn ResultCard(
    id: &'static str,
    title: String,
    warn: bool,
    #[prop(into)] on_dismiss: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card result" class:warn=warn role="status" aria-labelledby=id>
            <div class="card-head">
                <h2 id=id>{title}</h2>
                <button type="button" class="button small" on:click=move |_| on_dismiss.run(())>"Dismiss"</button>
            </div>
            {children()}
        </section>
    }
}

/// A table of short BOM lines labelled `label`: each part (a link to its
/// page when `linked`), then what it needed and what there was, headed
/// `required` and `available`.
fn short_table(
    label: &'static str,
    [required, available]: [&'static str; 2],
    lines: Vec<ShortLine>,
    linked: bool,
) -> AnyView {
    let columns = [text("Part"), number(required), number(available)];
    data_table(label, &columns, lines, move |line| {
        let part = if linked {
            view! { <A href=routes::part(line.part.id)>{line.part.name}</A> }.into_any()
        } else {
            line.part.name.into_any()
        };
        view! {
            <tr>
                <td>{part}</td>
                <td class="num">{line.required.to_string()}</td>
                <td class="num warn">{line.available.to_string()}</td>
            </tr>
        }
    })
}

#[component]
pub fn BuildsPage() -> impl IntoView {
    let filter = RwSignal::new(None::<BuildStatus>);
    let reload = Reload::new();
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedBuildOrder>);
    let completing = RwSignal::new(None::<BuildOrder>);
    let completion = RwSignal::new(None::<BuildCompletion>);
    let cancelling = RwSignal::new(None::<BuildOrder>);
    let builds = LocalResource::new(move || {
        reload.track();
        let status = filter.get();
        async move { api::invoke::<commands::ListBuilds>(&status).await }
    });
    let start = api::action::<commands::SetBuildStatusCommand>();
    let status_error = RwSignal::new(None::<ApiError>);
    api::on_success(start, status_error, move |_| {
        reload.bump();
    });
    view! {
        <div class="page-head">
            <h1>"Build orders"</h1>
            <div class="head-actions">
                <button type="button" class="button primary" on:click=move |_| creating.set(true)>"New build order"</button>
            </div>
        </div>
        {move || created.get().map(|result| view! { <ShortageResult result on_dismiss=move || created.set(None)/> })}
        {move || completion.get().map(|done| view! { <CompletionResult done on_dismiss=move || completion.set(None)/> })}
        <section class="card" aria-labelledby="builds-title">
            <div class="card-head">
                <h2 id="builds-title">"Orders"</h2>
                <FilterSelect id="field-status" label="Status" all="All" value=filter parse=BuildStatus::parse
                    choices=BuildStatus::ALL.map(|s| (s.as_str(), s.label()))/>
            </div>
            {move || status_error.get().map(|err| view! { <ErrorText err/> })}
            {loaded(builds, "Loading build orders…", move |value| match value {
                    list if list.is_empty() => view! {
                        <div class="empty"><p>"No build orders."</p><p class="muted">"“New build order” checks at once whether the parts are in stock."</p></div>
                    }.into_any(),
                    list => view! {
                        {data_table("Build orders", &[text("Reference"), text("Assembly"), number("Completed"), text("Status"), text("Responsible"), text("Created"), hidden("Status changes")], list, |b| {
                                    let id = b.id;
                                    let reference = b.reference.clone();
                                    let can_start = b.status.can_become(BuildStatus::InProduction);
                                    let can_complete = b.status == BuildStatus::InProduction;
                                    let can_cancel = b.status.can_become(BuildStatus::Cancelled);
                                    let (to_complete, to_cancel) = (b.clone(), b.clone());
                                    let done = progress(&b);
                                    view! {
                                        <tr>
                                            <td class="mono"><A href=routes::build(id)>{b.reference.clone()}</A></td>
                                            <td><A href=routes::part(b.part.id)>{b.part.name.clone()}</A></td>
                                            <td class="num">{done}</td>
                                            <td><span class=format!("badge status-{}", b.status.as_str())>{b.status.label()}</span></td>
                                            <td>{b.responsible.map(|u| u.name).unwrap_or_else(|| "—".to_owned())}</td>
                                            <td class="nowrap">{local_time(&b.created_at)}</td>
                                            <td class="row-actions">
                                                {can_start.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Start {reference}")
                                                        disabled=move || start.pending().get()
                                                        on:click=move |_| { start.dispatch(SetBuildStatus { id, status: BuildStatus::InProduction }); }>
                                                        "Start"
                                                    </button>
                                                })}
                                                {can_complete.then(|| view! {
                                                    <button type="button" class="button small" aria-label=format!("Complete {reference}")
                                                        on:click=move |_| completing.set(Some(to_complete.clone()))>
                                                        "Complete…"
                                                    </button>
                                                })}
                                                {can_cancel.then(|| view! {
                                                    <button type="button" class="button small danger" aria-label=format!("Cancel {reference}")
                                                        on:click=move |_| cancelling.set(Some(to_cancel.clone()))>
                                                        "Cancel…"
                                                    </button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any(),
                })}
        </section>
        {move || creating.get().then(|| view! {
            <NewBuildDialog on_close=move || creating.set(false)
                on_created=move |result: CreatedBuildOrder| { creating.set(false); created.set(Some(result)); reload.bump(); }/>
        })}
        {move || completing.get().map(|order| view! {
            <CompleteBuildDialog order on_close=move || completing.set(None)
                on_done=move |done: BuildCompletion| { completing.set(None); completion.set(Some(done)); reload.bump(); }/>
        })}
        {move || cancelling.get().map(|order| view! {
            <CancelBuildDialog order on_close=move || cancelling.set(None)
                on_done=move || { cancelling.set(None); reload.bump(); }/>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::{BomLineId, BuildOrderId, PartId, PartRef};

    fn q(text: &str) -> Quantity {
        text.parse().expect("a quantity")
    }

    fn order(quantity: &str, completed: &str) -> BuildOrder {
        BuildOrder {
            id: BuildOrderId(3),
            reference: "BO-0003".to_owned(),
            part: PartRef {
                id: PartId(1),
                name: "Motor driver board".to_owned(),
            },
            quantity: q(quantity),
            completed: q(completed),
            status: BuildStatus::InProduction,
            responsible: None,
            created_by: None,
            created_at: String::new(),
        }
    }

    fn line(id: i64, per: &str, in_stock: &str) -> BomLine {
        BomLine {
            id: BomLineId(id),
            assembly_id: PartId(1),
            sub_part: PartRef {
                id: PartId(10 + id),
                name: format!("Part {id}"),
            },
            quantity: q(per),
            allow_variants: false,
            in_stock: q(in_stock),
            available: q(in_stock),
        }
    }

    #[test]
    fn an_order_shows_what_is_done_and_left() {
        let o = order("3", "1");
        assert_eq!(progress(&o), "1 / 3");
        assert_eq!(left_to_complete(&o), q("2"));
        assert_eq!(left_to_complete(&order("3", "3")), Quantity::ZERO);
    }

    #[test]
    fn a_line_is_short_when_its_stock_does_not_cover_the_quantity() {
        let lines = [line(1, "2", "6"), line(2, "4", "11"), line(3, "0.5", "1.5")];
        let short: Vec<_> = short_for(&lines, q("3")).iter().map(|l| l.id).collect();
        assert_eq!(short, [BomLineId(2)]);
        assert!(short_for(&lines, q("2")).is_empty());
        assert_eq!(needed(&lines[2], q("3")), Some(q("1.5")));
    }
}
