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

// ---------------------------------------------------------------- events

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Listens to a backend event for the rest of the window's life. Payloads
/// that do not match the shared type are logged and dropped.
pub fn listen_forever<T: DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(T) + 'static,
) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload =
            js_sys::Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(payload) => handler(payload),
            Err(err) => web_log(&format!("event {event} not understood: {err}")),
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = tauri_listen(event, &closure).await {
            web_log(&format!("could not listen to {event}: {err:?}"));
        }
        // The listener lives as long as the window.
        closure.forget();
    });
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

// ---------------------------------------------------------------- typed calls

use partwatch_types::inventory::{
    AdjustStock, Category, CategoryId, CategoryNode, NewCategory, NewStockItem, Part, PartId,
    PartInput, StockHistoryEntry, StockHistoryRequest, StockItem, UpdatePart,
};
use partwatch_types::notifications::{
    SetCategorySubscription, SetPartSubscription, SubscriptionStatus,
};

pub async fn category_tree() -> Result<Vec<CategoryNode>, ApiError> {
    ask(commands::CATEGORY_TREE).await
}

pub async fn get_category(id: CategoryId) -> Result<Category, ApiError> {
    call(commands::GET_CATEGORY, &id).await
}

pub async fn create_category(input: &NewCategory) -> Result<Category, ApiError> {
    call(commands::CREATE_CATEGORY, input).await
}

pub async fn get_part(id: PartId) -> Result<Part, ApiError> {
    call(commands::GET_PART, &id).await
}

pub async fn create_part(input: &PartInput) -> Result<Part, ApiError> {
    call(commands::CREATE_PART, input).await
}

pub async fn update_part(request: &UpdatePart) -> Result<Part, ApiError> {
    call(commands::UPDATE_PART, request).await
}

pub async fn stock_items(part: PartId) -> Result<Vec<StockItem>, ApiError> {
    call(commands::STOCK_ITEMS, &part).await
}

pub async fn stock_history(part: PartId) -> Result<Vec<StockHistoryEntry>, ApiError> {
    call(
        commands::STOCK_HISTORY,
        &StockHistoryRequest {
            part_id: part,
            limit: 25,
        },
    )
    .await
}

pub async fn add_stock_item(input: &NewStockItem) -> Result<StockItem, ApiError> {
    call(commands::ADD_STOCK_ITEM, input).await
}

pub async fn adjust_stock(request: &AdjustStock) -> Result<StockItem, ApiError> {
    call(commands::ADJUST_STOCK, request).await
}

pub async fn part_subscription(part: PartId) -> Result<SubscriptionStatus, ApiError> {
    call(commands::PART_SUBSCRIPTION, &part).await
}

pub async fn set_part_subscription(
    part: PartId,
    subscribed: bool,
) -> Result<SubscriptionStatus, ApiError> {
    call(
        commands::SET_PART_SUBSCRIPTION,
        &SetPartSubscription {
            part_id: part,
            subscribed,
        },
    )
    .await
}

pub async fn category_subscription(category: CategoryId) -> Result<SubscriptionStatus, ApiError> {
    call(commands::CATEGORY_SUBSCRIPTION, &category).await
}

pub async fn set_category_subscription(
    category: CategoryId,
    subscribed: bool,
) -> Result<SubscriptionStatus, ApiError> {
    call(
        commands::SET_CATEGORY_SUBSCRIPTION,
        &SetCategorySubscription {
            category_id: category,
            subscribed,
        },
    )
    .await
}

pub async fn my_subscriptions() -> Result<partwatch_types::notifications::Subscriptions, ApiError> {
    ask(commands::MY_SUBSCRIPTIONS).await
}
