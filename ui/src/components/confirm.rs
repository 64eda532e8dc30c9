//! "Are you sure?" in words: a dialog that says what a destructive action
//! will do, runs it only on the named button, and shows why it was refused
//! (the core's reason) without closing.

use crate::api;
use crate::components::dialog::Dialog;
use crate::components::error::Failure;
use leptos::prelude::*;
use partwatch_types::ApiError;

/// Asks before dispatching `action` (an `api::action::<C>()`) with
/// `request`. `confirm` names the action on its button ("Delete part");
/// `message` says what it will do; `children`, if any, are choices the
/// action reads (where a deleted category's parts go). On success `on_done`
/// runs (the caller closes the dialog there); a refusal stays in the dialog.
#[component]
pub fn ConfirmDialog<I, T>(
    title: String,
    message: String,
    confirm: String,
    action: Action<I, Result<T, ApiError>>,
    request: I,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<T>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    I: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let error = RwSignal::new(None::<ApiError>);
    let run = action;
    api::on_success(run, error, move |answer: T| on_done.run(answer));
    let request = StoredValue::new(request);
    let busy = run.pending();
    view! {
        <Dialog title on_close>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                run.dispatch(request.get_value());
            }>
                <p>{message}</p>
                {children.map(|choices| choices())}
                <Failure error/>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary danger" autofocus=true disabled=move || busy.get()>{confirm}</button>
                </div>
            </form>
        </Dialog>
    }
}
