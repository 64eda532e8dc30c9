use crate::api;
use crate::components::centre::{mark_opened, Centre};
use crate::components::dialog::TextField;
use crate::components::error::Failure;
use crate::components::form;
use crate::components::header::Session;
use crate::components::icons::DatabaseIcon;
use crate::components::loader::loaded;
use crate::components::reload::{track_elsewhere, ChangedElsewhere};
use crate::components::table::{data_table, number, text};
use crate::components::toast::Toasts;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use partwatch_types::inventory::{
    InventoryStatus, PartId, PartQuery, PartRow, PartSort, UpdateUser,
};
use partwatch_types::{commands, ApiError, AppInfo};

#[component]
pub fn HomePage() -> impl IntoView {
    let elsewhere = ChangedElsewhere::from_context();
    let status = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        api::ask::<commands::GetInventoryStatus>()
    });
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
                        view! { <Welcome on_done=move || { user.refetch(); status.refetch(); }/> }.into_any()
                    }
                    Ok(s) => view! { <Overview status=s/> }.into_any(),
                    Err(err) => view! { <ErrorCard title="Your inventory could not be read" err/> }.into_any(),
                })}
            </Transition>
            <DatabaseSection/>
        </section>
    }
}

/// How the first start begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Demo,
    Empty,
}

/// First start: who you are (name, and the email address alerts go to),
/// then the demo inventory or an empty one. Never mixed into real data.
#[component]
fn Welcome(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    // The first start named you after your login; start from that.
    let me = LocalResource::new(api::ask::<commands::CurrentUser>);
    Effect::new(move |_| {
        if let Some(Ok(user)) = me.get() {
            if name.get_untracked().is_empty() {
                name.set(user.name);
            }
            if email.get_untracked().is_empty() {
                email.set(user.email.unwrap_or_default());
            }
        }
    });
    // Who you are is saved first: if the core refuses it, nothing starts.
    let start = Action::new_local(move |(how, name, email): &(Start, String, String)| {
        let (how, name, email) = (*how, name.clone(), email.clone());
        async move {
            let me = api::ask::<commands::CurrentUser>().await?;
            let email = (!email.trim().is_empty()).then(|| email.trim().to_owned());
            let user = api::invoke::<commands::UpdateUserCommand>(&UpdateUser {
                id: me.id,
                name,
                email,
            })
            .await?;
            session.user.set(Some(user));
            match how {
                Start::Demo => api::ask::<commands::LoadDemo>().await,
                Start::Empty => api::ask::<commands::StartEmpty>().await,
            }
        }
    });
    let error = form::error();
    api::on_success(start, error, move |_| on_done());
    let busy = move || start.pending().get();
    let loading_demo = move || {
        busy()
            && start
                .input()
                .with(|input| matches!(input, Some((Start::Demo, ..))))
    };
    let begin = move |how: Start| {
        start.dispatch((how, name.get(), email.get()));
    };
    view! {
        <section class="card welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Your inventory is empty"</h2>
            <p class="lede">
                "Partwatch watches your parts and tells the right people, once and at once, when one runs short. "
                "Start with a demo electronics inventory to look around, or with an empty one for your own parts."
            </p>
            <fieldset class="who">
                <legend>"Who are you?"</legend>
                <p class="muted small">"Partwatch notes who changed stock, and whom to tell when a part runs short."</p>
                <div class="field-row">
                    <TextField label="Your name" called="Name" value=name autofocus=true/>
                    <TextField label="Your email address" called="Email address" value=email input_type="email" placeholder="optional"
                        hint="Optional, but needed for email alerts: without it you are told only in the app and by desktop popups."/>
                </div>
            </fieldset>
            <div class="actions">
                <button type="button" class="button primary" disabled=busy on:click=move |_| begin(Start::Demo)>
                    {move || if loading_demo() { "Loading the demo…" } else { "Load demo inventory" }}
                </button>
                <button type="button" class="button" disabled=busy on:click=move |_| begin(Start::Empty)>
                    "Start empty"
                </button>
            </div>
            <p class="hint">"The demo goes only into an empty database; nothing is ever mixed into your own data."</p>
            <Failure error/>
        </section>
    }
}

#[component]
fn Overview(status: InventoryStatus) -> impl IntoView {
    let elsewhere = ChangedElsewhere::from_context();
    let low = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        let running_low = PartQuery {
            low_only: true,
            active: Some(true),
            sort: PartSort::Name,
            page_size: 20,
            ..PartQuery::default()
        };
        async move {
            // Both lists asked at once (the person's own needs who they
            // are first): one round trip's wait, not three in a row.
            let all = api::invoke::<commands::ListParts>(&running_low);
            let watched = async {
                let me = api::ask::<commands::CurrentUser>().await?;
                let mine = PartQuery {
                    watched_by: Some(me.id),
                    ..running_low.clone()
                };
                let page = api::invoke::<commands::ListParts>(&mine).await?;
                Ok::<_, ApiError>(page.items.into_iter().map(|p| p.id).collect::<Vec<_>>())
            };
            let (all, watched) = futures::future::join(all, watched).await;
            Ok::<_, ApiError>((all?, watched?))
        }
    });
    let centre = expect_context::<Centre>();
    let open_builds = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        async move {
            let all = api::invoke::<commands::ListBuilds>(&None).await?;
            Ok::<_, ApiError>(all.iter().filter(|b| b.status.is_open()).count())
        }
    });
    let low_count = move || low.get().map(|r| r.map(|(page, _)| page.total));
    let low_figure = move || match low_count() {
        None => "…".to_owned(),
        Some(Ok(total)) => total.to_string(),
        Some(Err(_)) => "?".to_owned(),
    };
    let builds_figure = move || match open_builds.get() {
        None => "…".to_owned(),
        Some(Ok(count)) => count.to_string(),
        Some(Err(_)) => "?".to_owned(),
    };
    view! {
        <div class="stats" role="group" aria-label="Inventory at a glance">
            <A href=routes::PARTS attr:class="stat"><span class="stat-value">{status.parts}</span>" "<span class="stat-label">"Parts"</span></A>
            <div class="stat"><span class="stat-value">{status.categories}</span>" "<span class="stat-label">"Categories"</span></div>
            <A href=low_parts() attr:class="stat warn"><span class="stat-value">{low_figure}</span>" "<span class="stat-label">"Running low"</span></A>
            <A href=routes::BUILDS attr:class="stat"><span class="stat-value">{builds_figure}</span>" "<span class="stat-label">"Open build orders"</span></A>
            <A href=routes::NOTIFICATIONS attr:class="stat"><span class="stat-value">{move || centre.unread.get()}</span>" "<span class="stat-label">"Unread"</span></A>
        </div>
        <div class="home-grid">
            <section class="card" aria-labelledby="low-title">
                <div class="card-head">
                    <h2 id="low-title">{move || match low_count() {
                        Some(Ok(total)) => format!("Running low ({total})"),
                        _ => "Running low".to_owned(),
                    }}</h2>
                    {move || matches!(low_count(), Some(Ok(total)) if total > 0).then(|| view! {
                        <A href=low_parts()>"See all parts running low"</A>
                    })}
                </div>
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

/// The parts browser showing only the parts running low.
fn low_parts() -> String {
    routes::parts_filtered(&routes::PartsView {
        low_only: true,
        ..routes::PartsView::default()
    })
}

/// The seeds' "subscription list": what the bell was pressed on.
#[component]
fn SubscriptionsCard() -> impl IntoView {
    let elsewhere = ChangedElsewhere::from_context();
    let mine = LocalResource::new(move || {
        track_elsewhere(elsewhere);
        api::ask::<commands::MySubscriptions>()
    });
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
    let toasts = expect_context::<Toasts>();
    let centre = expect_context::<Centre>();
    let recent = centre.latest_inbox(5);
    view! {
        <section class="card" aria-labelledby="recent-title">
            <h2 id="recent-title">"Unread notifications"</h2>
            {loaded(recent, "Loading…", move |value| match value {
                    list if list.is_empty() => view! { <p class="muted">"Nothing new. You will see alerts here the moment a part you watch runs short."</p> }.into_any(),
                    list => view! {
                        <ul class="notice-list" aria-label="Unread notifications">
                            {list.into_iter().map(|n| {
                                let href = routes::target(&n.target);
                                let id = n.id;
                                // Unread, all of them: opening one reads it.
                                view! {
                                    <li>
                                        <A href=href on:click=move |_: leptos::ev::MouseEvent| mark_opened(id, toasts)>{n.title}</A>
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
