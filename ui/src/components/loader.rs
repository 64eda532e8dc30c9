//! Showing what a resource loads, the same way everywhere: "Loading…" the
//! first time only (a `Transition` keeps the previous content while it
//! reloads, so nothing flashes), a failure as an alert, and the value through
//! the caller's view. Also the page of one thing the address names by id.

use crate::components::error::ErrorText;
use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use partwatch_types::ApiError;
use std::str::FromStr;

/// Renders `resource` with `show` once it has loaded; `loading` is what the
/// first load says meanwhile.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    loading: &'static str,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    shown(
        resource,
        loading.to_owned(),
        |err| view! { <ErrorText err/> }.into_any(),
        show,
    )
}

/// The page of one `thing` ("part") whose id is the address's `:id`:
/// `show(id)`, or "No such part" when that is no id.
pub fn for_id_param<Id, V>(
    thing: &'static str,
    show: impl Fn(Id) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    Id: FromStr + 'static,
    V: IntoView + 'static,
{
    let params = use_params_map();
    let id = move || routes::id_param::<Id>(params.read().get("id").as_deref());
    view! {
        {move || match id() {
            Some(id) => show(id).into_any(),
            None => view! { <div class="card error" role="alert"><h2>{format!("No such {thing}")}</h2></div> }.into_any(),
        }}
    }
}

/// Renders the one `thing` ("part") `resource` opens with `show`: "Loading
/// the part…" the first time, a failure as "This part could not be opened"
/// with the reason.
pub fn opened<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    thing: &'static str,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    shown(
        resource,
        format!("Loading the {thing}…"),
        move |err| {
            view! {
            <div class="card error" role="alert"><h2>{format!("This {thing} could not be opened")}</h2><p>{err.message}</p></div>
        }
        .into_any()
        },
        show,
    )
}

/// `resource` through `show` once loaded, `loading` said meanwhile (the
/// first time only), a failure through `failed`.
fn shown<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    loading: String,
    failed: impl Fn(ApiError) -> AnyView + Send + Sync + 'static,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="muted" aria-busy="true">{loading.clone()}</p> }>
            {move || resource.get().map(|result| match result {
                Ok(value) => show(value).into_any(),
                Err(err) => failed(err),
            })}
        </Transition>
    }
}
