//! The only door to the backend: a typed `invoke` that never panics.
//!
//! Every failure — the command's own `{ code, message }`, a payload that does
//! not match the shared types, a missing Tauri bridge — comes back as an
//! `ApiError`, so pages can show it instead of crashing.

use partwatch_types::inventory::{InventoryStatus, Page, PartQuery, PartRow, User};
use partwatch_types::{commands, ApiError, AppInfo, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Arguments of a command that takes none (serialized as `{}`).
#[derive(Serialize)]
struct NoArgs {}

/// Every command with an argument takes exactly one, named `request`.
#[derive(Serialize)]
struct Request<'a, T: ?Sized> {
    request: &'a T,
}

/// Calls a command that takes a `request`.
pub async fn call<T, R>(cmd: &str, request: &T) -> Result<R, ApiError>
where
    T: Serialize + ?Sized,
    R: DeserializeOwned,
{
    invoke(cmd, &Request { request }).await
}

/// Calls a command that takes nothing.
pub async fn ask<R: DeserializeOwned>(cmd: &str) -> Result<R, ApiError> {
    invoke(cmd, &NoArgs {}).await
}

/// Calls `cmd` with `args` and decodes its answer.
async fn invoke<A, R>(cmd: &str, args: &A) -> Result<R, ApiError>
where
    A: Serialize + ?Sized,
    R: DeserializeOwned,
{
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|err| {
        ApiError::new(
            ErrorCode::Protocol,
            format!("Could not encode the request {cmd}: {err}"),
        )
    })?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|err| {
            ApiError::new(
                ErrorCode::Protocol,
                format!("The answer to {cmd} was not understood: {err}"),
            )
        }),
        Err(value) => Err(decode_error(cmd, value)),
    }
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

pub async fn app_info() -> Result<AppInfo, ApiError> {
    ask(commands::APP_INFO).await
}

pub async fn inventory_status() -> Result<InventoryStatus, ApiError> {
    ask(commands::INVENTORY_STATUS).await
}

pub async fn load_demo() -> Result<InventoryStatus, ApiError> {
    ask(commands::LOAD_DEMO).await
}

pub async fn start_empty() -> Result<InventoryStatus, ApiError> {
    ask(commands::START_EMPTY).await
}

pub async fn current_user() -> Result<User, ApiError> {
    ask(commands::CURRENT_USER).await
}

pub async fn list_parts(query: &PartQuery) -> Result<Page<PartRow>, ApiError> {
    call(commands::LIST_PARTS, query).await
}
