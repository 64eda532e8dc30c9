//! How a failed call reads on screen: its message, announced to screen readers.

use leptos::prelude::*;
use partwatch_types::ApiError;

/// The message of a failed call, as an alert.
#[component]
pub fn ErrorText(err: ApiError) -> impl IntoView {
    view! { <p class="field-error" role="alert">{err.message}</p> }
}

/// The last failure of a form or an action, while there is one.
#[component]
pub fn Failure(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || error.get().map(|err| view! { <ErrorText err/> })
}
