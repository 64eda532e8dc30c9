//! The subscribe toggle, as the seeds describe it: a bell, filled when
//! subscribed and greyed when not, named "Subscribe to notifications" /
//! "Unsubscribe from notifications", with `aria-pressed`; and, when the part or
//! category is covered from above, a line saying by what, linking to it.

use crate::api;
use crate::components::error::Failure;
use crate::components::icons::BellIcon;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::commands;
use partwatch_types::inventory::{CategoryId, PartId};
use partwatch_types::notifications::{
    CoveredVia, SetCategorySubscription, SetPartSubscription, SubscriptionStatus,
};
use partwatch_types::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watched {
    Part(PartId),
    Category(CategoryId),
}

impl Watched {
    /// The bell's state for the current user.
    pub async fn status(self) -> Result<SubscriptionStatus, ApiError> {
        match self {
            Watched::Part(id) => api::invoke::<commands::PartSubscription>(&id).await,
            Watched::Category(id) => api::invoke::<commands::CategorySubscription>(&id).await,
        }
    }

    /// Presses (or releases) the bell; answers the new state.
    pub async fn set(self, subscribed: bool) -> Result<SubscriptionStatus, ApiError> {
        match self {
            Watched::Part(id) => {
                api::invoke::<commands::SetPartSubscriptionCommand>(&SetPartSubscription {
                    part_id: id,
                    subscribed,
                })
                .await
            }
            Watched::Category(id) => {
                api::invoke::<commands::SetCategorySubscriptionCommand>(&SetCategorySubscription {
                    category_id: id,
                    subscribed,
                })
                .await
            }
        }
    }
}

#[component]
pub fn SubscribeBell(watched: Watched) -> impl IntoView {
    let status = RwSignal::new(None::<SubscriptionStatus>);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = LocalResource::new(move || watched.status());
    Effect::new(move |_| match loaded.get() {
        Some(Ok(s)) => status.set(Some(s)),
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let toggle = Action::new_local(move |subscribed: &bool| watched.set(*subscribed));
    api::on_success(toggle, error, move |s| {
        status.set(Some(s));
    });
    let direct = move || status.get().is_some_and(|s| s.direct);
    view! {
        <div class="bell-block">
            <button
                type="button"
                class="bell-toggle"
                class:on=direct
                aria-pressed=move || if direct() { "true" } else { "false" }
                aria-label=move || if direct() { "Unsubscribe from notifications" } else { "Subscribe to notifications" }
                title=move || if direct() { "You are subscribed: click to stop" } else { "Get notified when this runs short" }
                disabled=move || status.get().is_none() || toggle.pending().get()
                on:click=move |_| { toggle.dispatch(!direct()); }
            >
                <BellIcon/>
                <span aria-hidden="true">{move || if direct() { "Subscribed" } else { "Subscribe" }}</span>
            </button>
            {move || status.get().and_then(|s| s.via).map(|via| match via {
                CoveredVia::Template { part } => view! {
                    <p class="via">"Subscribed via template "<A href=routes::part(part.id)>{part.name}</A></p>
                }.into_any(),
                CoveredVia::Category { category } => view! {
                    <p class="via">"Subscribed via category "<A href=routes::category(category.id)>{category.name}</A></p>
                }.into_any(),
            })}
            <Failure error/>
        </div>
    }
}
