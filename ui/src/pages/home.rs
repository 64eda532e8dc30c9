use crate::api;
use crate::components::error::ErrorText;
use crate::components::icons::DatabaseIcon;
use crate::components::loader::loaded;
use crate::components::table::{data_table, number, text};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{InventoryStatus, PartId, PartQuery, PartRow, PartSort};
use partwatch_types::notifications::{Folder, NotificationQuery};
use partwatch_types::{commands, ApiError, AppInfo};

#[component]
pub fn HomePage() -> impl IntoView {
    let status = LocalResource::new(api::ask::<commands::GetInventoryStatus>);
    let user = LocalResource::new(api::ask::<commands::CurrentUser>);
    let greeting = move || {
        user.get()
            .and_then(Result::ok)
            .map(|u| format!("Hello, {}", u.name))
            .unwrap_or_else(|| "Welcome to Partwatch".to_owned())
    };
    view! {
        <section class="home" aria-labelledby="home-title">
            <h1 id="home-title">{greeting}</h1>
            <Transition fallback=|| view! { <div class="card loading" aria-busy="true">"Opening your inventory…"</div> }>
                {move || status.get().map(|result| match result {
                    Ok(s) if s.is_empty && !s.started_empty => {
                        view! { <Welcome on_done=move || status.refetch()/> }.into_any()
                    }
                    Ok(s) => view! { <Overview status=s/> }.into_any(),
                    Err(err) => view! { <ErrorCard title="Your inventory could not be read" err/> }.into_any(),
                })}
            </Transition>
            <DatabaseSection/>
        </section>
    }
}

/// First start: the demo inventory, or an empty one. Never mixed into real data.
#[component]
fn Welcome(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let load = Action::new_local(|_: &()| api::ask::<commands::LoadDemo>());
    let empty = Action::new_local(|_: &()| api::ask::<commands::StartEmpty>());
    let busy = move || load.pending().get() || empty.pending().get();
    let error = move || {
        load.value()
            .get()
            .and_then(Result::err)
            .or_else(|| empty.value().get().and_then(Result::err))
    };
    Effect::new(move |_| {
        let loaded = load.value().get().is_some_and(|r| r.is_ok());
        let emptied = empty.value().get().is_some_and(|r| r.is_ok());
        if loaded || emptied {
            on_done();
        }
    });
    view! {
        <section class="card welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Your inventory is empty"</h2>
            <p class="lede">
                "Partwatch watches your parts and tells the right people, once and at once, when one runs short. "
                "Start with a demo electronics inventory to look around, or with an empty one for your own parts."
            </p>
            <div class="actions">
                <button type="button" class="button primary" disabled=busy on:click=move |_| { load.dispatch(()); }>
                    {move || if load.pending().get() { "Loading the demo…" } else { "Load demo inventory" }}
                </button>
                <button type="button" class="button" disabled=busy on:click=move |_| { empty.dispatch(()); }>
                    "Start empty"
                </button>
            </div>
            <p class="hint">"The demo goes only into an empty database; nothing is ever mixed into your own data."</p>
            {move || error().map(|err| view! { <ErrorText err/> })}
        </section>
    }
}

#[component]
fn Overview(status: InventoryStatus) -> impl IntoView {
    let me = LocalResource::new(api::ask::<commands::CurrentUser>);
    let low = LocalResource::new(move || {
        let me = me.get().and_then(Result::ok).map(|u| u.id);
        async move {
            let all = api::invoke::<commands::ListParts>(&PartQuery {
                low_only: true,
                active: Some(true),
                sort: PartSort::Name,
                page_size: 20,
                ..PartQuery::default()
            })
            .await?;
            let watched = match me {
                Some(user) => api::invoke::<commands::ListParts>(&PartQuery {
                    low_only: true,
                    active: Some(true),
                    watched_by: Some(user),
                    page_size: 20,
                    ..PartQuery::default()
                })
                .await?
                .items
                .into_iter()
                .map(|p| p.id)
                .collect(),
                None => Vec::new(),
            };
            Ok::<_, ApiError>((all, watched))
        }
    });
    view! {
        <div class="stats" role="group" aria-label="Inventory at a glance">
            <div class="stat"><span class="stat-value">{status.parts}</span><span class="stat-label">"Parts"</span></div>
            <div class="stat"><span class="stat-value">{status.categories}</span><span class="stat-label">"Categories"</span></div>
            <Transition fallback=|| view! { <div class="stat"><span class="stat-value">"…"</span><span class="stat-label">"Running low"</span></div> }>
                {move || low.get().map(|r| {
                    let count = r.as_ref().map(|(p, _)| p.total.to_string()).unwrap_or_else(|_| "?".into());
                    view! { <div class="stat warn"><span class="stat-value">{count}</span><span class="stat-label">"Running low"</span></div> }
                })}
            </Transition>
        </div>
        <div class="home-grid">
            <section class="card" aria-labelledby="low-title">
                <h2 id="low-title">"Running low"</h2>
                {loaded(low, "Checking stock…", move |value| match value {
                        (page, _) if page.items.is_empty() => view! {
                            <p class="muted">"Every part with a minimum stock level has enough."</p>
                        }.into_any(),
                        (page, watched) => {
                            // The parts you watch first.
                            let mut rows = page.items;
                            rows.sort_by_key(|r| !watched.contains(&r.id));
                            view! { <LowStockTable rows watched/> }.into_any()
                        }
                    })}
            </section>
            <div class="home-side">
                <SubscriptionsCard/>
                <RecentNotifications/>
            </div>
        </div>
    }
}

/// The seeds' "subscription list": what the bell was pressed on.
#[component]
fn SubscriptionsCard() -> impl IntoView {
    let mine = LocalResource::new(api::ask::<commands::MySubscriptions>);
    view! {
        <section class="card" aria-labelledby="subscriptions-title">
            <h2 id="subscriptions-title">"Your subscriptions"</h2>
            {loaded(mine, "Loading…", move |value| match value {
                    s if s.parts.is_empty() && s.categories.is_empty() => view! {
                        <p class="muted">"You watch nothing yet. Press the bell on a part or a category to be told when it runs short."</p>
                    }.into_any(),
                    s => view! {
                        {(!s.categories.is_empty()).then(|| view! {
                            <h3 class="sub-heading">"Categories"</h3>
                            <ul class="plain-list" aria-label="Subscribed categories">
                                {s.categories.clone().into_iter().map(|c| view! { <li><A href=routes::category(c.id)>{c.name}</A></li> }).collect_view()}
                            </ul>
                        })}
                        {(!s.parts.is_empty()).then(|| view! {
                            <h3 class="sub-heading">"Parts"</h3>
                            <ul class="plain-list" aria-label="Subscribed parts">
                                {s.parts.clone().into_iter().map(|p| view! { <li><A href=routes::part(p.id)>{p.name}</A></li> }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                })}
        </section>
    }
}

#[component]
fn RecentNotifications() -> impl IntoView {
    let recent = LocalResource::new(|| async {
        api::invoke::<commands::ListNotifications>(&NotificationQuery {
            folder: Folder::Inbox,
            limit: 5,
            ..NotificationQuery::default()
        })
        .await
    });
    view! {
        <section class="card" aria-labelledby="recent-title">
            <h2 id="recent-title">"Unread notifications"</h2>
            {loaded(recent, "Loading…", move |value| match value {
                    list if list.is_empty() => view! { <p class="muted">"Nothing new. You will see alerts here the moment a part you watch runs short."</p> }.into_any(),
                    list => view! {
                        <ul class="notice-list" aria-label="Unread notifications">
                            {list.into_iter().map(|n| {
                                let href = routes::target(&n.target);
                                view! {
                                    <li>
                                        <A href=href>{n.title}</A>
                                        <span class="muted small">{n.reason}" · "{crate::format::local_time(&n.created_at)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
        </section>
    }
}

#[component]
fn LowStockTable(rows: Vec<PartRow>, watched: Vec<PartId>) -> impl IntoView {
    view! {
        {data_table("Parts running low", &[text("Part"), text("IPN"), text("Category"), number("In stock"), number("Minimum")], rows, |row| view! {
                    <tr>
                        <td>
                            <A href=routes::part(row.id)>{row.name}</A>" "<span class="badge low">"low"</span>
                            {watched.contains(&row.id).then(|| view! { " " <span class="badge watched">"watched"</span> })}
                        </td>
                        <td class="mono">{row.ipn.unwrap_or_default()}</td>
                        <td>{row.category.map(|c| c.name).unwrap_or_default()}</td>
                        <td class="num">{row.in_stock.to_string()}" "{row.units.clone()}</td>
                        <td class="num">{row.minimum_stock.to_string()}" "{row.units}</td>
                    </tr>
                })}
    }
}

#[component]
fn DatabaseSection() -> impl IntoView {
    let info = LocalResource::new(api::ask::<commands::AppInfoCommand>);
    view! {
        <Transition fallback=|| ()>
            {move || info.get().map(|result| match result {
                Ok(info) => view! { <DatabaseCard info/> }.into_any(),
                Err(err) => view! { <ErrorCard title="The database could not be read" err/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ErrorCard(title: &'static str, err: ApiError) -> impl IntoView {
    view! {
        <div class="card error" role="alert">
            <h2>{title}</h2>
            <p>{err.message}</p>
        </div>
    }
}

#[component]
fn DatabaseCard(info: AppInfo) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="db-title">
            <h2 id="db-title"><DatabaseIcon/>"This database"</h2>
            <dl class="facts">
                <dt>"Location"</dt>
                <dd class="mono">{info.database_path}</dd>
                <dt>"Schema version"</dt>
                <dd class="mono">{info.schema_version}</dd>
                <dt>"Migrations applied"</dt>
                <dd>{info.migrations_applied}</dd>
                <dt>"Partwatch version"</dt>
                <dd>{info.app_version}</dd>
            </dl>
        </section>
    }
}
