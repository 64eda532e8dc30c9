//! One build order's page (`/builds/ID`, where build-shortage notifications,
//! their popups and emails lead): its status with Start / Complete… /
//! Cancel…, who is responsible, how far it is, and each BOM line with what
//! the rest of the order needs, what is available to it and what is short.
//! Shown again after each change made here and, on a team, when another
//! desktop changes something (`Reload`, pushed by an event).

use super::cancel::CancelBuildDialog;
use super::complete::{CompleteBuildDialog, CompletionResult};
use super::progress;
use crate::api;
use crate::components::error::ErrorText;
use crate::components::loader::{for_id_param, opened};
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text};
use crate::format::local_time;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{
    BuildCompletion, BuildLine, BuildOrderDetail, BuildOrderId, BuildStatus, SetBuildStatus,
};
use partwatch_types::{commands, ApiError, Quantity};

#[component]
pub fn BuildPage() -> impl IntoView {
    for_id_param("build order", |id: BuildOrderId| view! { <BuildView id/> })
}

#[component]
fn BuildView(id: BuildOrderId) -> impl IntoView {
    let reload = Reload::new();
    let completion = RwSignal::new(None::<BuildCompletion>);
    let detail = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::GetBuild>(&id).await }
    });
    view! {
        {move || completion.get().map(|done| view! { <CompletionResult done on_dismiss=move || completion.set(None)/> })}
        {opened(detail, "build order", move |detail| view! { <BuildDetails detail reload completion/> })}
    }
}

/// What the lines come to, in words: "Every line is covered.", "2 of 5
/// lines are short.", or why nothing is needed any more.
pub fn lines_summary(status: BuildStatus, lines: &[BuildLine]) -> String {
    let short = lines.iter().filter(|l| l.short > Quantity::ZERO).count();
    match status {
        BuildStatus::Complete => "This order is complete: it needs nothing more.".to_owned(),
        BuildStatus::Cancelled => {
            "This order is cancelled: it needs nothing and reserves nothing.".to_owned()
        }
        _ if lines.is_empty() => {
            "The assembly has no bill of materials: nothing is needed.".to_owned()
        }
        _ if short == 0 => "Every line is covered by the stock available.".to_owned(),
        _ => format!(
            "{short} of {} line{} short of stock.",
            lines.len(),
            if lines.len() == 1 { " is" } else { "s are" }
        ),
    }
}

#[component]
fn BuildDetails(
    detail: BuildOrderDetail,
    reload: Reload,
    completion: RwSignal<Option<BuildCompletion>>,
) -> impl IntoView {
    let order = detail.order;
    let id = order.id;
    let reference = order.reference.clone();
    let status = order.status;
    let completing = RwSignal::new(false);
    let cancelling = RwSignal::new(false);
    let start = api::action::<commands::SetBuildStatusCommand>();
    let error = RwSignal::new(None::<ApiError>);
    api::on_success(start, error, move |_| reload.bump());
    let summary = lines_summary(status, &detail.lines);
    let any_short = status.is_open() && detail.lines.iter().any(|l| l.short > Quantity::ZERO);
    let (to_complete, to_cancel) = (order.clone(), order.clone());
    let done = progress(&order);
    let assembly = order.part.clone();
    let responsible = order
        .responsible
        .as_ref()
        .map_or_else(|| "Nobody".to_owned(), |u| u.name.clone());
    let created_by = order
        .created_by
        .as_ref()
        .map_or_else(|| "—".to_owned(), |u| u.name.clone());
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href=routes::BUILDS>"Build orders"</A>
            <span aria-hidden="true">"›"</span>
            <span>{reference.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <div class="title-line">
                    <h1>{format!("Build order {reference}")}</h1>
                    <span class=format!("badge status-{}", status.as_str())>{status.label()}</span>
                </div>
                <p class="lede">{format!("Builds {} × ", order.quantity)}<A href=routes::part(assembly.id)>{assembly.name}</A></p>
            </div>
            <div class="head-actions">
                {status.can_become(BuildStatus::InProduction).then(|| view! {
                    <button type="button" class="button primary" disabled=move || start.pending().get()
                        on:click=move |_| { start.dispatch(SetBuildStatus { id, status: BuildStatus::InProduction }); }>
                        "Start"
                    </button>
                })}
                {(status == BuildStatus::InProduction).then(|| view! {
                    <button type="button" class="button primary" on:click=move |_| completing.set(true)>"Complete…"</button>
                })}
                {status.can_become(BuildStatus::Cancelled).then(|| view! {
                    <button type="button" class="button danger" on:click=move |_| cancelling.set(true)>"Cancel…"</button>
                })}
            </div>
        </div>
        {move || error.get().map(|err| view! { <ErrorText err/> })}
        <dl class="figures facts" aria-label="Build order">
            <div class="figure"><dt>"Completed"</dt><dd>{done}</dd></div>
            <div class="figure"><dt>"Responsible"</dt><dd>{responsible}</dd></div>
            <div class="figure"><dt>"Created by"</dt><dd>{created_by}</dd></div>
            <div class="figure"><dt>"Created"</dt><dd>{local_time(&order.created_at)}</dd></div>
        </dl>
        <section class="card" aria-labelledby="build-lines-title">
            <h2 id="build-lines-title">"Parts needed"</h2>
            <p class:warn-text=any_short role="status">{summary}</p>
            {(!detail.lines.is_empty()).then(|| lines_table(status, detail.lines))}
        </section>
        {move || completing.get().then(|| view! {
            <CompleteBuildDialog order=to_complete.clone() on_close=move || completing.set(false)
                on_done=move |done: BuildCompletion| { completing.set(false); completion.set(Some(done)); reload.bump(); }/>
        })}
        {move || cancelling.get().then(|| view! {
            <CancelBuildDialog order=to_cancel.clone() on_close=move || cancelling.set(false)
                on_done=move || { cancelling.set(false); reload.bump(); }/>
        })}
    }
}

/// The order's BOM lines: part, per assembly, required, available, short.
fn lines_table(status: BuildStatus, lines: Vec<BuildLine>) -> AnyView {
    let columns = [
        text("Part"),
        number("Per assembly"),
        number("Required"),
        number("Available"),
        text("Stock"),
    ];
    data_table("Parts needed", &columns, lines, move |line| {
        let short = line.short > Quantity::ZERO;
        let state = if !status.is_open() {
            "—".to_owned()
        } else if short {
            format!("Short by {}", line.short)
        } else {
            "Covered".to_owned()
        };
        view! {
            <tr>
                <td>
                    <A href=routes::part(line.part.id)>{line.part.name}</A>
                    {line.allow_variants.then(|| view! { <span class="muted">" (or a variant)"</span> })}
                </td>
                <td class="num">{line.per_unit.to_string()}</td>
                <td class="num">{line.required.to_string()}</td>
                <td class="num" class:warn=short>{line.available.to_string()}</td>
                <td class:warn-text=short>{state}</td>
            </tr>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::{PartId, PartRef};

    fn line(short: &str) -> BuildLine {
        BuildLine {
            part: PartRef {
                id: PartId(1),
                name: "Resistor".into(),
            },
            per_unit: Quantity::whole(1),
            allow_variants: false,
            required: Quantity::whole(4),
            available: Quantity::whole(4),
            short: short.parse().expect("a quantity"),
        }
    }

    #[test]
    fn the_summary_counts_the_short_lines_of_an_open_order_only() {
        let lines = [line("0"), line("2"), line("0.5")];
        assert_eq!(
            lines_summary(BuildStatus::Pending, &lines),
            "2 of 3 lines are short of stock."
        );
        assert_eq!(
            lines_summary(BuildStatus::InProduction, &lines[..1]),
            "Every line is covered by the stock available."
        );
        assert_eq!(
            lines_summary(BuildStatus::Pending, &lines[1..2]),
            "1 of 1 line is short of stock."
        );
        assert!(lines_summary(BuildStatus::Complete, &lines).contains("complete"));
        assert!(lines_summary(BuildStatus::Pending, &[]).contains("no bill of materials"));
    }
}
