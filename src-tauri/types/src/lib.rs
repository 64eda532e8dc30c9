//! Types that cross the IPC boundary between the desktop shell and the UI.
//!
//! This crate depends on `serde` only, so it builds for `wasm32-unknown-unknown`
//! (the UI) and for the native target (the shell and the core). Nothing here
//! knows about tauri, leptos or SQLite: it is the contract between them.

pub mod delivery;
pub mod desktop;
mod error;
pub mod events;
pub mod inventory;
pub mod notifications;
mod quantity;
mod system;

pub use error::{ApiError, ErrorCode};
pub use quantity::{Quantity, QuantityError};
pub use system::AppInfo;

/// The names of the `#[tauri::command]`s the UI may invoke.
///
/// The shell registers exactly these, and the UI's typed `invoke` wrapper only
/// calls through these constants, so a rename breaks the build, not the app.
/// Every command takes at most one argument, named `request`; its type is
/// noted beside each name as `request -> answer`.
pub mod commands {
    /// `() -> AppInfo`
    pub const APP_INFO: &str = "app_info";

    /// `() -> InventoryStatus`
    pub const INVENTORY_STATUS: &str = "inventory_status";
    /// `() -> InventoryStatus`
    pub const LOAD_DEMO: &str = "load_demo";
    /// `() -> InventoryStatus`
    pub const START_EMPTY: &str = "start_empty";

    /// `() -> User`
    pub const CURRENT_USER: &str = "current_user";
    /// `() -> Vec<User>`
    pub const LIST_USERS: &str = "list_users";
    /// `NewUser -> User`
    pub const CREATE_USER: &str = "create_user";
    /// `RenameUser -> User`
    pub const RENAME_USER: &str = "rename_user";
    /// `SetUserEmail -> User`
    pub const SET_USER_EMAIL: &str = "set_user_email";
    /// `SetUserActive -> User`
    pub const SET_USER_ACTIVE: &str = "set_user_active";
    /// `UserId -> User`
    pub const SWITCH_USER: &str = "switch_user";

    /// `() -> Vec<CategoryNode>`
    pub const CATEGORY_TREE: &str = "category_tree";
    /// `CategoryId -> Category`
    pub const GET_CATEGORY: &str = "get_category";
    /// `NewCategory -> Category`
    pub const CREATE_CATEGORY: &str = "create_category";
    /// `UpdateCategory -> Category`
    pub const UPDATE_CATEGORY: &str = "update_category";
    /// `MoveCategory -> Category`
    pub const MOVE_CATEGORY: &str = "move_category";
    /// `DeleteCategory -> ()`
    pub const DELETE_CATEGORY: &str = "delete_category";

    /// `PartQuery -> Page<PartRow>`
    pub const LIST_PARTS: &str = "list_parts";
    /// `PartId -> Part`
    pub const GET_PART: &str = "get_part";
    /// `PartInput -> Part`
    pub const CREATE_PART: &str = "create_part";
    /// `UpdatePart -> Part`
    pub const UPDATE_PART: &str = "update_part";
    /// `PartId -> ()`
    pub const DELETE_PART: &str = "delete_part";

    /// `PartId -> Vec<StockItem>`
    pub const STOCK_ITEMS: &str = "stock_items";
    /// `StockHistoryRequest -> Vec<StockHistoryEntry>`
    pub const STOCK_HISTORY: &str = "stock_history";
    /// `NewStockItem -> StockItem`
    pub const ADD_STOCK_ITEM: &str = "add_stock_item";
    /// `AdjustStock -> StockItem`
    pub const ADJUST_STOCK: &str = "adjust_stock";
    /// `DeleteStock -> ()`
    pub const DELETE_STOCK_ITEM: &str = "delete_stock_item";

    /// `PartId -> Vec<BomLine>`
    pub const BOM_LINES: &str = "bom_lines";
    /// `NewBomLine -> BomLine`
    pub const ADD_BOM_LINE: &str = "add_bom_line";
    /// `UpdateBomLine -> BomLine`
    pub const UPDATE_BOM_LINE: &str = "update_bom_line";
    /// `BomLineId -> ()`
    pub const REMOVE_BOM_LINE: &str = "remove_bom_line";

    /// `Option<BuildStatus> -> Vec<BuildOrder>`
    pub const LIST_BUILDS: &str = "list_builds";
    /// `BuildOrderId -> BuildOrder`
    pub const GET_BUILD: &str = "get_build";
    /// `() -> String`
    pub const SUGGEST_BUILD_REFERENCE: &str = "suggest_build_reference";
    /// `NewBuildOrder -> CreatedBuildOrder`
    pub const CREATE_BUILD: &str = "create_build";
    /// `SetBuildStatus -> BuildOrder`
    pub const SET_BUILD_STATUS: &str = "set_build_status";

    /// `PartId -> SubscriptionStatus` (for the current user)
    pub const PART_SUBSCRIPTION: &str = "part_subscription";
    /// `CategoryId -> SubscriptionStatus`
    pub const CATEGORY_SUBSCRIPTION: &str = "category_subscription";
    /// `SetPartSubscription -> SubscriptionStatus`
    pub const SET_PART_SUBSCRIPTION: &str = "set_part_subscription";
    /// `SetCategorySubscription -> SubscriptionStatus`
    pub const SET_CATEGORY_SUBSCRIPTION: &str = "set_category_subscription";
    /// `() -> Subscriptions`
    pub const MY_SUBSCRIPTIONS: &str = "my_subscriptions";

    /// `NotificationQuery -> Vec<Notification>`
    pub const LIST_NOTIFICATIONS: &str = "list_notifications";
    /// `() -> i64`
    pub const UNREAD_COUNT: &str = "unread_count";
    /// `MarkNotifications -> i64` (how many changed)
    pub const MARK_NOTIFICATIONS: &str = "mark_notifications";
    /// `() -> i64`
    pub const MARK_ALL_READ: &str = "mark_all_read";
    /// `Vec<NotificationId> -> i64` (how many were deleted)
    pub const DELETE_NOTIFICATIONS: &str = "delete_notifications";
    /// `() -> i64`
    pub const DELETE_HISTORY: &str = "delete_history";

    /// `() -> GlobalSettings`
    pub const GLOBAL_SETTINGS: &str = "global_settings";
    /// `GlobalSettings -> GlobalSettings`
    pub const UPDATE_GLOBAL_SETTINGS: &str = "update_global_settings";
    /// `() -> UserSettings` (the current user's)
    pub const MY_SETTINGS: &str = "my_settings";
    /// `UserSettings -> UserSettings`
    pub const UPDATE_MY_SETTINGS: &str = "update_my_settings";

    /// `() -> EmailSettings`
    pub const EMAIL_SETTINGS: &str = "email_settings";
    /// `SaveEmailSettings -> EmailSettings`
    pub const SAVE_EMAIL_SETTINGS: &str = "save_email_settings";
    /// `SendTestEmail -> TestSent` (or a `delivery` error in plain words)
    pub const SEND_TEST_EMAIL: &str = "send_test_email";
    /// `() -> Vec<Webhook>`
    pub const LIST_WEBHOOKS: &str = "list_webhooks";
    /// `WebhookInput -> Webhook`
    pub const CREATE_WEBHOOK: &str = "create_webhook";
    /// `UpdateWebhook -> Webhook`
    pub const UPDATE_WEBHOOK: &str = "update_webhook";
    /// `WebhookId -> ()`
    pub const DELETE_WEBHOOK: &str = "delete_webhook";
    /// `WebhookId -> TestSent` (or a `delivery` error in plain words)
    pub const SEND_TEST_WEBHOOK: &str = "send_test_webhook";
    /// `DeliveryQuery -> Vec<Delivery>`
    pub const LIST_DELIVERIES: &str = "list_deliveries";
    /// `DeliveryId -> Delivery` (back to pending, due now)
    pub const RETRY_DELIVERY: &str = "retry_delivery";

    /// `() -> DesktopStatus`
    pub const DESKTOP_STATUS: &str = "desktop_status";
    /// `UpdateDesktop -> DesktopStatus`
    pub const UPDATE_DESKTOP: &str = "update_desktop";
    /// `PauseFor -> PopupPause` (the current user's popups)
    pub const PAUSE_POPUPS: &str = "pause_popups";
    /// `() -> PopupPause`
    pub const RESUME_POPUPS: &str = "resume_popups";
}
