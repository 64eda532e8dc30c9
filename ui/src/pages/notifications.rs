//! The notifications page: Inbox (unread) and History (read), filter by kind,
//! per item mark read / unread and delete (in History), select several for
//! bulk actions, and "Delete all" in History after a confirmation.

use crate::api;
use crate::components::centre::{mark, mark_opened, Centre};
use crate::components::dialog::Dialog;
use crate::components::error::Failure;
use crate::components::filter::FilterSelect;
use crate::components::loader::loaded;
use crate::components::toast::Toasts;
use crate::format::{age, local_time};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::notifications::{
    Folder, Notification, NotificationId, NotificationKind, NotificationQuery,
};
use partwatch_types::{commands, ApiError};
use std::collections::HashSet;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let centre = expect_context::<Centre>();
    let folder = RwSignal::new(Folder::Inbox);
    let kind = RwSignal::new(None::<NotificationKind>);
    let selected = RwSignal::new(HashSet::<NotificationId>::new());
    let confirm_delete_all = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let list = LocalResource::new(move || {
        centre.version.get();
        let query = NotificationQuery {
            folder: folder.get(),
            kind: kind.get(),
            limit: 200,
            ..NotificationQuery::default()
        };
        async move { api::invoke::<commands::ListNotifications>(&query).await }
    });
    Effect::new(move |_| {
        let _ = (folder.get(), kind.get());
        selected.set(HashSet::new());
    });
    let act = Action::new_local(|(ids, what): &(Vec<NotificationId>, Bulk)| {
        let (ids, what) = (ids.clone(), *what);
        async move {
            match what {
                Bulk::Read => mark(ids, true).await,
                Bulk::ReadAll => api::ask::<commands::MarkAllRead>().await,
                Bulk::Unread => mark(ids, false).await,
                Bulk::Delete => api::invoke::<commands::DeleteNotifications>(&ids).await,
                Bulk::DeleteHistory => api::ask::<commands::DeleteHistory>().await,
            }
        }
    });
    api::on_success(act, error, move |_| {
        selected.set(HashSet::new());
    });
    let chosen = move || selected.get().into_iter().collect::<Vec<_>>();
    let tab = move |label: &'static str, which: Folder| {
        view! {
            <button type="button" role="tab" class="tab"
                aria-selected=move || if folder.get() == which { "true" } else { "false" }
                on:click=move |_| folder.set(which)>
                {label}
                {move || (which == Folder::Inbox && centre.unread.get() > 0).then(|| view! { <span class="count">{centre.unread.get()}</span> })}
            </button>
        }
    };
    view! {
        <div class="page-head">
            <h1>"Notifications"</h1>
            <FilterSelect id="field-kind" label="Kind" all="All kinds" value=kind parse=NotificationKind::parse
                choices=NotificationKind::ALL.map(|k| (k.as_str(), k.label()))/>
        </div>
        <div class="tabs" role="tablist" aria-label="Folders">
            {tab("Inbox", Folder::Inbox)}
            {tab("History", Folder::History)}
        </div>
        <section class="card notices" role="tabpanel" aria-label=move || if folder.get() == Folder::Inbox { "Inbox" } else { "History" }>
            <div class="bulk-bar" role="group" aria-label="Selected notifications">
                <span class="muted">{move || selection_text(selected.get().len())}</span>
                {move || (folder.get() == Folder::Inbox).then(|| view! {
                    <button type="button" class="button small" disabled=move || selected.get().is_empty()
                        on:click=move |_| { act.dispatch((chosen(), Bulk::Read)); }>"Mark selected as read"</button>
                    <button type="button" class="button small" disabled=move || centre.unread.get() == 0
                        on:click=move |_| { act.dispatch((Vec::new(), Bulk::ReadAll)); }>"Mark all as read"</button>
                })}
                {move || (folder.get() == Folder::History).then(|| view! {
                    <button type="button" class="button small" disabled=move || selected.get().is_empty()
                        on:click=move |_| { act.dispatch((chosen(), Bulk::Unread)); }>"Mark selected as unread"</button>
                    <button type="button" class="button small" disabled=move || selected.get().is_empty()
                        on:click=move |_| { act.dispatch((chosen(), Bulk::Delete)); }>"Delete selected"</button>
                    <button type="button" class="button small danger" on:click=move |_| confirm_delete_all.set(true)>"Delete all"</button>
                })}
            </div>
            <Failure error/>
            {loaded(list, "Loading…", move |value| match value {
                    items if items.is_empty() => view! {
                        <div class="empty">
                            {if folder.get_untracked() == Folder::Inbox {
                                view! { <p>"Your inbox is empty."</p><p class="muted">"When a part you watch runs short, it lands here."</p> }.into_any()
                            } else {
                                view! { <p>"No read notifications."</p><p class="muted">"What you mark as read moves here."</p> }.into_any()
                            }}
                        </div>
                    }.into_any(),
                    items => view! {
                        <ul class="notice-rows" aria-label="Notifications">
                            {items.into_iter().map(|n| view! { <NoticeRow n selected act/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
        </section>
        {move || confirm_delete_all.get().then(|| view! {
            <Dialog title="Delete all history?".to_owned() on_close=move || confirm_delete_all.set(false)>
                <p>"Every read notification is deleted for good. Unread ones stay in your inbox."</p>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| confirm_delete_all.set(false)>"Keep them"</button>
                    <button type="button" class="button primary danger"
                        on:click=move |_| { act.dispatch((Vec::new(), Bulk::DeleteHistory)); confirm_delete_all.set(false); }>"Delete all history"</button>
                </div>
            </Dialog>
        })}
    }
}

fn selection_text(count: usize) -> String {
    match count {
        0 => "Select notifications to act on several at once".to_owned(),
        n => format!("{n} selected"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bulk {
    Read,
    ReadAll,
    Unread,
    Delete,
    DeleteHistory,
}

#[component]
fn NoticeRow(
    n: Notification,
    selected: RwSignal<HashSet<NotificationId>>,
    act: Action<(Vec<NotificationId>, Bulk), Result<i64, ApiError>>,
) -> impl IntoView {
    let id = n.id;
    let read = n.read_at.is_some();
    let title = n.title.clone();
    let toasts = expect_context::<Toasts>();
    // Opening it reads it, as in the bell's flyout.
    let open = move |_: leptos::ev::MouseEvent| {
        if !read {
            mark_opened(id, toasts);
        }
    };
    view! {
        <li class=format!("notice-row kind-{}", n.kind.as_str()) class:unread=!read>
            <label class="select-box">
                <input type="checkbox" aria-label=format!("Select {title}")
                    prop:checked=move || selected.get().contains(&id)
                    on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } }); }/>
            </label>
            <div class="notice-body">
                <div class="notice-line">
                    <A href=routes::target(&n.target) attr:class="notice-title" on:click=open>{n.title.clone()}</A>
                    <span class="badge">{n.kind.label()}</span>
                </div>
                <p class="notice-text">{n.body.clone()}</p>
                <p class="notice-meta"><span>{n.reason.clone()}</span>" · "<time datetime=n.created_at.clone() title=local_time(&n.created_at)>{age(&n.created_at)}</time></p>
            </div>
            <div class="row-actions">
                {if read {
                    view! {
                        <button type="button" class="button small" aria-label=format!("Mark as unread: {title}")
                            on:click=move |_| { act.dispatch((vec![id], Bulk::Unread)); }>"Mark as unread"</button>
                        <button type="button" class="button small" aria-label=format!("Delete: {title}")
                            on:click=move |_| { act.dispatch((vec![id], Bulk::Delete)); }>"Delete"</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button small" aria-label=format!("Mark as read: {title}")
                            on:click=move |_| { act.dispatch((vec![id], Bulk::Read)); }>"Mark as read"</button>
                    }.into_any()
                }}
            </div>
        </li>
    }
}
