//! The only door to the backend: a typed `invoke` that never panics.
//!
//! Every failure — the command's own `{ code, message }`, a payload that does
//! not match the shared types, a missing Tauri bridge — comes back as an
//! `ApiError`, so pages can show it instead of crashing.

use partwatch_types::commands::Command;
use partwatch_types::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

// `ui/ipc.js`: `invoke` and `listen` on Tauri's private bridge, the way
// @tauri-apps/api does it. The app exposes no `window.__TAURI__` global.
#[wasm_bindgen(module = "/ipc.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = listen)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Every command takes exactly one argument, named `request`.
#[derive(Serialize)]
struct Envelope<'a, T> {
    request: &'a T,
}

/// Calls command `C` with its request and decodes its answer.
pub async fn invoke<C: Command>(request: &C::Request) -> Result<C::Answer, ApiError> {
    let name = C::NAME;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Envelope { request }.serialize(&serializer).map_err(|err| {
        ApiError::new(
            ErrorCode::Protocol,
            format!("Could not encode the request {name}: {err}"),
        )
    })?;
    match tauri_invoke(name, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|err| {
            ApiError::new(
                ErrorCode::Protocol,
                format!("The answer to {name} was not understood: {err}"),
            )
        }),
        Err(value) => Err(decode_error(name, value)),
    }
}

/// An action that sends command `C` with the request it is dispatched with.
pub fn action<C>() -> leptos::prelude::Action<C::Request, Result<C::Answer, ApiError>>
where
    C: Command + 'static,
    C::Request: Clone + 'static,
    C::Answer: 'static,
{
    leptos::prelude::Action::new_local(|request: &C::Request| {
        let request = request.clone();
        async move { invoke::<C>(&request).await }
    })
}

/// Calls command `C`, which takes nothing.
pub async fn ask<C: Command<Request = ()>>() -> Result<C::Answer, ApiError> {
    invoke::<C>(&()).await
}

/// Turns whatever a rejected `invoke` carried into an `ApiError`.
fn decode_error(cmd: &str, value: JsValue) -> ApiError {
    if let Ok(err) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return err;
    }
    let text = value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "no details".to_owned());
    ApiError::new(
        ErrorCode::Internal,
        format!("The request {cmd} failed: {text}"),
    )
}

// ---------------------------------------------------------------- events

/// Listens to a backend event for the rest of the window's life. Payloads
/// that do not match the shared type are logged and dropped.
pub fn listen_forever<T: DeserializeOwned + 'static>(
    event: &'static str,
    handler: impl FnMut(T) + 'static,
) {
    let closure = decoding(event, handler);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = tauri_listen(event, &closure).await {
            web_log(&format!("could not listen to {event}: {err:?}"));
        }
        // The listener lives as long as the window.
        closure.forget();
    });
}

/// Tauri's callback for `event`: the payload decoded into `T` and given to
/// `handler` (a payload not understood is logged, never a panic).
fn decoding<T: DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(T) + 'static,
) -> Closure<dyn FnMut(JsValue)> {
    Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload =
            js_sys::Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(payload) => handler(payload),
            Err(err) => web_log(&format!("event {event} not understood: {err}")),
        }
    })
}

/// Listens to a backend event while the component that calls it lives (a
/// dialog's progress bar): the listener goes when the component does.
pub fn listen_while_mounted<T: DeserializeOwned + 'static>(
    event: &'static str,
    handler: impl FnMut(T) + 'static,
) {
    use std::cell::RefCell;
    use std::rc::Rc;
    /// `None` while the listener is being set up; then the function that
    /// stops it, or (the component went first) nothing left to do.
    enum Listening {
        Starting,
        Stoppable(js_sys::Function),
        Gone,
    }
    let closure = decoding(event, handler);
    let state = Rc::new(RefCell::new(Listening::Starting));
    let started = Rc::clone(&state);
    wasm_bindgen_futures::spawn_local(async move {
        let stop = match tauri_listen(event, &closure).await {
            Ok(stop) => stop.dyn_into::<js_sys::Function>().ok(),
            Err(err) => {
                web_log(&format!("could not listen to {event}: {err:?}"));
                None
            }
        };
        let gone = matches!(*started.borrow(), Listening::Gone);
        match stop {
            Some(stop) if gone => stop_listening(event, &stop),
            Some(stop) => *started.borrow_mut() = Listening::Stoppable(stop),
            None => {}
        }
        // Tauri may still call it until the stop has gone through.
        closure.forget();
    });
    let state = send_wrapper::SendWrapper::new(state);
    leptos::prelude::on_cleanup(move || {
        let earlier = std::mem::replace(&mut *state.borrow_mut(), Listening::Gone);
        if let Listening::Stoppable(stop) = earlier {
            stop_listening(event, &stop);
        }
    });
}

fn stop_listening(event: &str, stop: &js_sys::Function) {
    if let Err(err) = stop.call0(&JsValue::NULL) {
        web_log(&format!("could not stop listening to {event}: {err:?}"));
    }
}

/// Follows what an action's calls return: each failure shows in `error`;
/// each success clears it and runs `on_ok` with the value. (The one place
/// the UI reads an IPC result of an action; nothing unwraps it.)
pub fn on_success<I: 'static, T: Clone + 'static>(
    action: leptos::prelude::Action<I, Result<T, ApiError>>,
    error: leptos::prelude::RwSignal<Option<ApiError>>,
    on_ok: impl Fn(T) + 'static,
) {
    use leptos::prelude::{Effect, Get, Set};
    Effect::new(move |_| match action.value().get() {
        Some(Ok(value)) => {
            error.set(None);
            on_ok(value);
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
}

fn web_log(text: &str) {
    web_sys_console_warn(text);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn web_sys_console_warn(text: &str);
}
