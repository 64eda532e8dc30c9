//! The notification centre's shared state and the header bell.
//!
//! `Centre` lives in context: the unread count (kept live from the backend's
//! `partwatch://notifications-changed` event, never polled), a version that
//! bumps with every change so open lists reload, and whether notifications
//! are switched on at all (off hides the bell).

use crate::api;
use crate::components::error::{ErrorText, Failure};
use crate::components::icons::BellIcon;
use crate::components::icons::CheckIcon;
use crate::components::keyboard::hold_keyboard;
use crate::components::toast::Toasts;
use crate::format::age;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::events::{NotificationsChanged, NOTIFICATIONS_CHANGED};
use partwatch_types::notifications::{
    Folder, MarkNotifications, Notification, NotificationId, NotificationQuery,
};
use partwatch_types::{commands, ApiError};

#[derive(Clone, Copy)]
pub struct Centre {
    pub unread: RwSignal<i64>,
    pub version: RwSignal<u32>,
    pub enabled: RwSignal<bool>,
}

impl Centre {
    /// Creates the state, reads the first figures and starts listening.
    pub fn start() -> Self {
        let centre = Centre {
            unread: RwSignal::new(0),
            version: RwSignal::new(0),
            enabled: RwSignal::new(true),
        };
        leptos::task::spawn_local(async move {
            if let Ok(count) = api::ask::<commands::UnreadCount>().await {
                centre.unread.set(count);
            }
            if let Ok(settings) = api::ask::<commands::GetGlobalSettings>().await {
                centre.enabled.set(settings.notifications_enabled);
            }
        });
        api::listen_forever(
            NOTIFICATIONS_CHANGED,
            move |changed: NotificationsChanged| {
                centre.unread.set(changed.unread_count);
                centre.version.update(|v| *v += 1);
            },
        );
        centre
    }

    /// The newest `limit` notifications of the inbox, loaded again with
    /// every change.
    pub fn latest_inbox(self, limit: i64) -> LocalResource<Result<Vec<Notification>, ApiError>> {
        LocalResource::new(move || {
            self.version.get();
            async move {
                api::invoke::<commands::ListNotifications>(&NotificationQuery {
                    folder: Folder::Inbox,
                    limit,
                    ..NotificationQuery::default()
                })
                .await
            }
        })
    }
}

pub async fn mark(ids: Vec<NotificationId>, read: bool) -> Result<i64, ApiError> {
    api::invoke::<commands::MarkNotificationsCommand>(&MarkNotifications { ids, read }).await
}

/// Marks a notification read because it was opened (its link followed).
/// The page it was opened from is gone by the time the answer comes, so a
/// failure is a toast.
pub fn mark_opened(id: NotificationId, toasts: Toasts) {
    leptos::task::spawn_local(async move {
        if let Err(err) = mark(vec![id], true).await {
            toasts.error(&err);
        }
    });
}

/// The bell: a button named "Notifications" with the unread count as a
/// badge (none at zero), opening the flyout. Hidden when notifications are off.
#[component]
pub fn Bell() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let open = RwSignal::new(false);
    view! {
        {move || centre.enabled.get().then(|| view! {
            <div class="bell-wrap">
                <button type="button" class="icon-button bell" class:has-unread=move || { centre.unread.get() > 0 }
                    aria-label="Notifications"
                    aria-haspopup="dialog"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    title=move || unread_text(centre.unread.get())
                    on:click=move |_| open.update(|o| *o = !*o)>
                    <BellIcon/>
                    {move || (centre.unread.get() > 0).then(|| view! {
                        <span class="unread-badge" aria-hidden="true">{move || if centre.unread.get() > 99 { "99+".to_owned() } else { centre.unread.get().to_string() }}</span>
                    })}
                </button>
                {move || open.get().then(|| view! { <Flyout on_close=move || open.set(false)/> })}
            </div>
        })}
    }
}

fn unread_text(count: i64) -> String {
    match count {
        0 => "No unread notifications".to_owned(),
        1 => "1 unread notification".to_owned(),
        n => format!("{n} unread notifications"),
    }
}

#[component]
fn Flyout(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let centre = expect_context::<Centre>();
    let latest = centre.latest_inbox(8);
    let error = RwSignal::new(None::<ApiError>);
    let mark_read = Action::new_local(|id: &NotificationId| mark(vec![*id], true));
    let mark_all = Action::new_local(|_: &()| api::ask::<commands::MarkAllRead>());
    // The flyout may be closed by then (opening a notification closes it): a toast.
    let toasts = expect_context::<crate::components::toast::Toasts>();
    Effect::new(move |_| {
        if let Some(Err(err)) = mark_read.value().get() {
            toasts.error(&err);
        }
        if let Some(Err(err)) = mark_all.value().get() {
            error.set(Some(err));
        }
    });
    let navigate = use_navigate();
    let open_one = move |n: &Notification| {
        mark_read.dispatch(n.id);
        navigate(&routes::target(&n.target), Default::default());
        on_close.run(());
    };
    // Escape closes it wherever the focus is (on the bell that opened it,
    // say), Tab goes round its controls, and the focus returns to the bell.
    let flyout = NodeRef::<leptos::html::Div>::new();
    hold_keyboard(flyout, on_close);
    view! {
        <div class="menu-scrim" on:click=move |_| on_close.run(())></div>
        <div class="flyout" role="dialog" aria-label="Unread notifications" node_ref=flyout>
            <div class="flyout-head">
                <h2>"Notifications"</h2>
                <button type="button" class="button small" disabled=move || centre.unread.get() == 0
                    on:click=move |_| { mark_all.dispatch(()); }>"Mark all as read"</button>
            </div>
            <Failure error/>
            <Transition fallback=|| view! { <p class="muted flyout-empty" aria-busy="true">"Loading…"</p> }>
                {move || latest.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <div class="flyout-empty">
                            <p>"You're all caught up."</p>
                            <p class="muted">"New alerts about parts you watch appear here at once."</p>
                        </div>
                    }.into_any(),
                    Ok(list) => {
                        let open_one = open_one.clone();
                        view! {
                            <ul class="flyout-list" aria-label="Latest unread">
                                {list.into_iter().map(|n| {
                                    let open_one = open_one.clone();
                                    let clicked = n.clone();
                                    let id = n.id;
                                    view! {
                                        <li class=format!("notice kind-{}", n.kind.as_str())>
                                            <button type="button" class="notice-open" on:click=move |_| open_one(&clicked)>
                                                <span class="notice-title">{n.title.clone()}</span>
                                                <span class="notice-meta">{n.reason.clone()}" · "{age(&n.created_at)}</span>
                                            </button>
                                            <button type="button" class="icon-button small" aria-label=format!("Mark as read: {}", n.title)
                                                title="Mark as read"
                                                on:click=move |_| { mark_read.dispatch(id); }><CheckIcon/></button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(err) => view! { <ErrorText err/> }.into_any(),
                })}
            </Transition>
            <div class="flyout-foot">
                <A href=routes::NOTIFICATIONS on:click=move |_| on_close.run(())>"View all notifications"</A>
            </div>
        </div>
    }
}
