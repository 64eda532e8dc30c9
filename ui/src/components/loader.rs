//! Showing what a resource loads, the same way everywhere: "Loading…" the
//! first time only (a `Transition` keeps the previous content while it
//! reloads, so nothing flashes), a failure as an alert, and the value through
//! the caller's view.

use crate::components::error::ErrorText;
use leptos::prelude::*;
use partwatch_types::ApiError;

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
    view! {
        <Transition fallback=move || view! { <p class="muted" aria-busy="true">{loading}</p> }>
            {move || resource.get().map(|result| match result {
                Ok(value) => show(value).into_any(),
                Err(err) => view! { <ErrorText err/> }.into_any(),
            })}
        </Transition>
    }
}
