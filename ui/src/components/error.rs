//! How a failed call reads on screen: its message, announced to screen readers.

use crate::components::form::FormError;
use leptos::prelude::*;
use partwatch_types::ApiError;

/// The message of a failed call, as an alert.
#[component]
pub fn ErrorText(err: ApiError) -> impl IntoView {
    view! { <p class="field-error" role="alert">{err.message}</p> }
}

/// The last failure of a form or an action, while there is one — unless it
/// is about one of the form's fields, which shows it (`form::FormError`).
#[component]
pub fn Failure(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let form = FormError::around();
    move || {
        if form.is_some_and(|form| form.shows_on_a_field(error)) {
            return None;
        }
        error.get().map(|err| view! { <ErrorText err/> })
    }
}
