use super::Answer;
use crate::state::AppState;
use partwatch_core::delivery::{self, email, webhook};
use partwatch_types::delivery::{
    Delivery, DeliveryId, DeliveryQuery, EmailSettings, SaveEmailSettings, SendTestEmail, TestSent,
    UpdateWebhook, Webhook, WebhookId, WebhookInput,
};
use tauri::State;

#[tauri::command]
pub async fn email_settings(state: State<'_, AppState>) -> Answer<EmailSettings> {
    Ok(email::settings(&state.db).await?)
}

#[tauri::command]
pub async fn save_email_settings(
    state: State<'_, AppState>,
    request: SaveEmailSettings,
) -> Answer<EmailSettings> {
    Ok(email::save_settings(&state.db, &request).await?)
}

#[tauri::command]
pub async fn send_test_email(
    state: State<'_, AppState>,
    request: SendTestEmail,
) -> Answer<TestSent> {
    Ok(email::send_test(&state.db, &state.delivery_config, &request).await?)
}

#[tauri::command]
pub async fn list_webhooks(state: State<'_, AppState>) -> Answer<Vec<Webhook>> {
    Ok(webhook::list(&state.db).await?)
}

#[tauri::command]
pub async fn create_webhook(state: State<'_, AppState>, request: WebhookInput) -> Answer<Webhook> {
    Ok(webhook::create(&state.db, &request).await?)
}

#[tauri::command]
pub async fn update_webhook(state: State<'_, AppState>, request: UpdateWebhook) -> Answer<Webhook> {
    Ok(webhook::update(&state.db, request.id, &request.webhook).await?)
}

#[tauri::command]
pub async fn delete_webhook(state: State<'_, AppState>, request: WebhookId) -> Answer<()> {
    Ok(webhook::delete(&state.db, request).await?)
}

#[tauri::command]
pub async fn send_test_webhook(state: State<'_, AppState>, request: WebhookId) -> Answer<TestSent> {
    Ok(webhook::send_test(&state.db, &state.delivery_config, request).await?)
}

#[tauri::command]
pub async fn list_deliveries(
    state: State<'_, AppState>,
    request: DeliveryQuery,
) -> Answer<Vec<Delivery>> {
    Ok(delivery::list(&state.db, &request).await?)
}

#[tauri::command]
pub async fn retry_delivery(state: State<'_, AppState>, request: DeliveryId) -> Answer<Delivery> {
    Ok(delivery::retry(&state.db, request).await?)
}
