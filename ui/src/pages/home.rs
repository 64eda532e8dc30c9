use crate::api;
use crate::components::icons::DatabaseIcon;
use leptos::prelude::*;
use partwatch_types::AppInfo;

#[component]
pub fn HomePage() -> impl IntoView {
    let info = LocalResource::new(api::app_info);
    view! {
        <section class="home" aria-labelledby="home-title">
            <h1 id="home-title">"Welcome to Partwatch"</h1>
            <p class="lede">
                "Partwatch watches your parts inventory and tells the right people, once and at once, when a part runs short."
            </p>
            <Suspense fallback=|| view! { <div class="card loading" aria-busy="true">"Opening the database…"</div> }>
                {move || info.get().map(|result| match result {
                    Ok(info) => view! { <DatabaseCard info/> }.into_any(),
                    Err(err) => view! {
                        <div class="card error" role="alert">
                            <h2>"The database could not be read"</h2>
                            <p>{err.message}</p>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
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
