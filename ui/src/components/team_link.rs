//! The line under the header that says when this desktop has stopped
//! hearing the other desktops of its team database, and that it keeps
//! trying. Pushed by the shell (`TEAM_LINK_CHANGED`), never polled; nothing
//! is shown on a desktop's own database or while all is well.

use crate::api;
use crate::format::local_time;
use leptos::prelude::*;
use partwatch_types::commands::GetTeamLink;
use partwatch_types::events::TEAM_LINK_CHANGED;
use partwatch_types::TeamLink;

#[component]
pub fn TeamLinkNotice() -> impl IntoView {
    let link = RwSignal::new(TeamLink::Own);
    // Listen first, so a change between the question and the answer is not lost.
    api::listen_forever(TEAM_LINK_CHANGED, move |now: TeamLink| link.set(now));
    leptos::task::spawn_local(async move {
        if let Ok(now) = api::ask::<GetTeamLink>().await {
            // An event that came first is newer than this answer.
            if link.get_untracked() == TeamLink::Own {
                link.set(now);
            }
        }
    });
    move || match link.get() {
        TeamLink::Lost {
            since,
            reason,
            attempts,
        } => Some(view! {
            <div class="team-link-lost" role="status">
                <strong>"Not hearing the team database since " {local_time(&since)} ". "</strong>
                "Other desktops' changes show here once it is back; Partwatch keeps trying ("
                {attempts} {if attempts == 1 { " attempt" } else { " attempts" }} " so far). "
                <span class="team-link-reason">{reason}</span>
            </div>
        }),
        TeamLink::Own | TeamLink::Connecting | TeamLink::Live => None,
    }
}
