//! Cancelling a build order, once the user confirms it.

use crate::api;
use crate::components::confirm::ConfirmDialog;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::inventory::{BuildOrder, BuildStatus, SetBuildStatus};

/// "Cancel build order": asks before cancelling `order`, whose reserved
/// stock is released; `on_done` runs once it is cancelled.
#[component]
pub(super) fn CancelBuildDialog(
    order: BuildOrder,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    view! {
        <ConfirmDialog title="Cancel build order".to_owned()
            message=format!("Cancel build order {}? Its reserved stock is released. This cannot be undone.", order.reference)
            confirm="Cancel order".to_owned()
            action={api::action::<commands::SetBuildStatusCommand>()}
            request={SetBuildStatus { id: order.id, status: BuildStatus::Cancelled }}
            on_close
            on_done=move |_| on_done.run(())/>
    }
}
