//! A modal dialog: `role="dialog"`, named by its title, closed with Escape
//! (wherever the focus is), the scrim or its Cancel button. Its content is a
//! form whose submit button the caller provides. Every time it opens, the
//! cursor is in its first field; Tab stays inside it; when it closes, the
//! focus is back on the control that opened it (`keyboard::hold_keyboard`).

use crate::components::form::FormError;
use crate::components::keyboard::hold_keyboard;
use crate::components::reload::ChangedElsewhere;
use leptos::prelude::*;

#[component]
pub fn Dialog(
    title: String,
    #[prop(into)] on_close: Callback<()>,
    /// For tables (an import's preview): as wide as the window allows.
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let id = format!("dialog-{}", slug(&title));
    let labelled_by = id.clone();
    // Another desktop's changes wait until the dialog closes (they would
    // reload the page beneath it, and the dialog with it).
    if let Some(elsewhere) = ChangedElsewhere::from_context() {
        elsewhere.hold();
        on_cleanup(move || elsewhere.release());
    }
    // A browser honours `autofocus` once per page load, so the dialog
    // focuses its field itself, each time it opens.
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Before the focus moves into the dialog: it remembers who had it.
    hold_keyboard(dialog, on_close);
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            focus_first_field(&dialog);
        }
    });
    view! {
        <div class="scrim" on:click=move |_| on_close.run(())></div>
        <div class="dialog" class:wide=wide role="dialog" aria-modal="true" aria-labelledby=labelled_by node_ref=dialog>
            <h2 id=id>{title}</h2>
            {children()}
        </div>
    }
}

/// Focuses the control marked `autofocus`, else the first field, else (a
/// question with only buttons) the first button: the one that keeps things
/// as they are, since every dialog puts Cancel / Keep first.
fn focus_first_field(dialog: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let first = [
        "[autofocus]",
        "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])",
        "button:not([disabled])",
    ]
    .into_iter()
    .find_map(|selector| dialog.query_selector(selector).ok().flatten());
    if let Some(field) = first.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        // Nothing to do if it cannot take the focus: the dialog still works.
        let _ = field.focus();
    }
}

/// `text` as part of an element id: lower case, `-` for all but letters and
/// digits.
fn slug(text: &str) -> String {
    text.to_lowercase()
        .replace(|c: char| !c.is_alphanumeric(), "-")
}

/// The element id of the field labelled `label` ("field-minimum-stock").
pub fn field_id(label: &str) -> String {
    format!("field-{}", slug(label))
}

/// A labelled text field with its inline error.
#[component]
pub fn TextField(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] mono: bool,
    #[prop(optional)] inputmode: &'static str,
    /// `text` unless given (`password`, `email`, `url`, `number`).
    #[prop(optional)]
    input_type: &'static str,
    #[prop(optional)] hint: &'static str,
    /// What the backend calls this field in its errors, where that is not
    /// the label ("Part name" for a part's "Name").
    #[prop(optional)]
    called: &'static str,
) -> impl IntoView {
    let id = field_id(label);
    let label_in_errors = if called.is_empty() { label } else { called };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let form = FormError::around();
    if let Some(form) = form {
        form.claim(label_in_errors);
    }
    let message = move || form.and_then(|form| form.message_for(label_in_errors));
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [
                message().is_some().then_some(error_id.as_str()),
                (!hint.is_empty()).then_some(hint_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=if input_type.is_empty() { "text" } else { input_type }
                class:mono=mono
                placeholder=placeholder
                autofocus=autofocus
                inputmode=if inputmode.is_empty() { None } else { Some(inputmode) }
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(form) = form {
                        form.edited(label_in_errors);
                    }
                }
            />
            {move || message().map(|message| view! { <span class="field-error" role="alert" id=error_id.clone()>{message}</span> })}
            {(!hint.is_empty()).then(|| view! { <span class="hint small" id=hint_id.clone()>{hint}</span> })}
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn CheckField(label: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            {label}
        </label>
    }
}

/// The dialog's buttons: Cancel and the submit button, disabled while busy.
#[component]
pub fn DialogActions(
    submit: &'static str,
    busy: Signal<bool>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="dialog-actions">
            <button type="button" class="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            <button type="submit" class="button primary" disabled=move || busy.get()>{submit}</button>
        </div>
    }
}
