use super::Answer;
use crate::state::AppState;
use partwatch_core::subscriptions;
use partwatch_types::inventory::{CategoryId, PartId};
use partwatch_types::notifications::{
    SetCategorySubscription, SetPartSubscription, SubscriptionStatus, Subscriptions,
};
use tauri::State;

#[tauri::command]
pub async fn part_subscription(
    state: State<'_, AppState>,
    request: PartId,
) -> Answer<SubscriptionStatus> {
    Ok(subscriptions::part_status(&state.db, state.current_user(), request).await?)
}

#[tauri::command]
pub async fn category_subscription(
    state: State<'_, AppState>,
    request: CategoryId,
) -> Answer<SubscriptionStatus> {
    Ok(subscriptions::category_status(&state.db, state.current_user(), request).await?)
}

#[tauri::command]
pub async fn set_part_subscription(
    state: State<'_, AppState>,
    request: SetPartSubscription,
) -> Answer<SubscriptionStatus> {
    let me = state.current_user();
    Ok(subscriptions::set_part(&state.db, me, request.part_id, request.subscribed).await?)
}

#[tauri::command]
pub async fn set_category_subscription(
    state: State<'_, AppState>,
    request: SetCategorySubscription,
) -> Answer<SubscriptionStatus> {
    let me = state.current_user();
    Ok(subscriptions::set_category(&state.db, me, request.category_id, request.subscribed).await?)
}

#[tauri::command]
pub async fn my_subscriptions(state: State<'_, AppState>) -> Answer<Subscriptions> {
    Ok(subscriptions::of_user(&state.db, state.current_user()).await?)
}
