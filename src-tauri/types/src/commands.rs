//! The command contract between the UI and the shell, as types.
//!
//! Each command is a type implementing [`Command`]: its name, what it takes
//! (`Request`, sent as the one argument `request`; `()` for none) and what it
//! answers. The UI calls `invoke::<C>(&request)`; the shell routes each name
//! to a handler typed by the same `C`, so a renamed command, a changed request
//! or a changed answer breaks the build on both sides, not the app.

use crate::delivery::{
    Delivery, DeliveryId, DeliveryQuery, EmailSettings, SaveEmailSettings, SendTestEmail, TestSent,
    UpdateWebhook, Webhook, WebhookId, WebhookInput,
};
use crate::desktop::{DesktopStatus, PauseFor, PopupPause, UpdateDesktop};
use crate::import::{ExportedParts, ImportReport, ImportRequest, SkippedRows};
use crate::inventory::{
    AdjustStock, Bom, BomLine, BomLineId, BuildCompletion, BuildOrder, BuildOrderDetail,
    BuildOrderId, BuildStatus, Category, CategoryId, CategoryNode, CheckBuild, CompleteBuild,
    CreatedBuildOrder, DeleteCategory, DeleteStock, InventoryStatus, Location, LocationContents,
    LocationId, MergeStock, MoveCategory, NewBomLine, NewBuildOrder, NewCategory, NewLocation,
    NewStockItem, NewUser, Page, Part, PartId, PartInput, PartQuery, PartRow, SetBuildStatus,
    SetUserActive, ShortLine, SignIn, SignInChoices, StockHistoryEntry, StockHistoryRequest,
    StockItem, TransferStock, UpdateBomLine, UpdateCategory, UpdateLocation, UpdatePart,
    UpdateUser, UsedIn, User, UserId,
};
use crate::notifications::{
    Digest, GlobalSettings, LinkRequest, MarkNotifications, Notification, NotificationId,
    NotificationQuery, Preference, Preferences, Reminder, SetCategorySubscription,
    SetPartSubscription, SetQuietHours, SetSnooze, Snooze, SnoozeTarget, SubscriptionStatus,
    Subscriptions,
};
use crate::{
    AppInfo, DatabaseProblem, MoveSummary, Permissions, TeamDatabaseCheck, TeamDatabaseStatus,
    TeamLink,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One command the UI may invoke.
pub trait Command {
    /// The name the shell registers it under.
    const NAME: &'static str;
    /// What it takes, sent as the argument `request` (`()` for nothing).
    type Request: Serialize + DeserializeOwned;
    /// What it answers on success.
    type Answer: Serialize + DeserializeOwned;
}

macro_rules! commands {
    ($($(#[$doc:meta])* $ty:ident = $name:literal: $request:ty => $answer:ty;)+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub enum $ty {}

            impl Command for $ty {
                const NAME: &'static str = $name;
                type Request = $request;
                type Answer = $answer;
            }
        )+

        /// The name of every command, for the shell's check that each has a handler.
        pub const ALL: &[&str] = &[$($name),+];
    };
}

commands! {
    /// Version, database path and schema version.
    AppInfoCommand = "app_info": () => AppInfo;

    /// What the welcome screen needs to know.
    GetInventoryStatus = "inventory_status": () => InventoryStatus;
    /// Fills an empty database with the demo inventory.
    LoadDemo = "load_demo": () => InventoryStatus;
    /// Keeps the database empty and the welcome screen away.
    StartEmpty = "start_empty": () => InventoryStatus;

    /// The person this desktop works as.
    CurrentUser = "current_user": () => User;
    ListUsers = "list_users": () => Vec<User>;
    CreateUser = "create_user": NewUser => User;
    /// Name and email address together: both change, or neither.
    UpdateUserCommand = "update_user": UpdateUser => User;
    SetUserActiveCommand = "set_user_active": SetUserActive => User;
    /// This desktop works as another user from now on (and says so to the
    /// window and the tray).
    SwitchUser = "switch_user": UserId => User;
    /// What this desktop's login may change beyond its person's own things.
    GetPermissions = "permissions": () => Permissions;
    /// On a team database this desktop has not worked on: whom it may be.
    SignInChoicesCommand = "sign_in_choices": () => SignInChoices;
    /// This desktop works as this person from now on (remembered here).
    SignInCommand = "sign_in": SignIn => User;

    CategoryTree = "category_tree": () => Vec<CategoryNode>;
    GetCategory = "get_category": CategoryId => Category;
    CreateCategory = "create_category": NewCategory => Category;
    UpdateCategoryCommand = "update_category": UpdateCategory => Category;
    MoveCategoryCommand = "move_category": MoveCategory => Category;
    DeleteCategoryCommand = "delete_category": DeleteCategory => ();

    ListParts = "list_parts": PartQuery => Page<PartRow>;
    GetPart = "get_part": PartId => Part;
    CreatePart = "create_part": PartInput => Part;
    UpdatePartCommand = "update_part": UpdatePart => Part;
    DeletePart = "delete_part": PartId => ();

    StockItems = "stock_items": PartId => Vec<StockItem>;
    StockHistory = "stock_history": StockHistoryRequest => Vec<StockHistoryEntry>;
    AddStockItem = "add_stock_item": NewStockItem => StockItem;
    AdjustStockCommand = "adjust_stock": AdjustStock => StockItem;
    DeleteStockItem = "delete_stock_item": DeleteStock => ();
    /// Answers the item the stock is in now (at the destination).
    TransferStockCommand = "transfer_stock": TransferStock => StockItem;
    MergeStockCommand = "merge_stock": MergeStock => StockItem;

    /// Every location, in tree order (each after its parent), with its path.
    ListLocations = "list_locations": () => Vec<Location>;
    GetLocation = "get_location": LocationId => LocationContents;
    CreateLocation = "create_location": NewLocation => Location;
    UpdateLocationCommand = "update_location": UpdateLocation => Location;
    /// Refused while it holds stock or sub-locations.
    DeleteLocation = "delete_location": LocationId => ();

    /// The BOM with each line's stock and how many the stock can build.
    BomLines = "bom_lines": PartId => Bom;
    /// The assemblies whose BOM uses a part (directly or as a variant).
    WhereUsed = "where_used": PartId => Vec<UsedIn>;
    AddBomLine = "add_bom_line": NewBomLine => BomLine;
    UpdateBomLineCommand = "update_bom_line": UpdateBomLine => BomLine;
    RemoveBomLine = "remove_bom_line": BomLineId => ();

    /// Build orders, newest first, optionally of one status.
    ListBuilds = "list_builds": Option<BuildStatus> => Vec<BuildOrder>;
    /// An order with what each of its lines needs and has (its page).
    GetBuild = "get_build": BuildOrderId => BuildOrderDetail;
    SuggestBuildReference = "suggest_build_reference": () => String;
    /// Creates the order and checks its shortage (which may notify).
    CreateBuild = "create_build": NewBuildOrder => CreatedBuildOrder;
    /// Start or cancel (completing goes through `CompleteBuildCommand`).
    SetBuildStatusCommand = "set_build_status": SetBuildStatus => BuildOrder;
    /// Consumes the components and adds the assemblies made.
    CompleteBuildCommand = "complete_build": CompleteBuild => BuildCompletion;
    /// The shortage check without an order; notifies nobody.
    CheckBuildCommand = "check_build": CheckBuild => Vec<ShortLine>;

    /// The bell of a part, for the current user.
    PartSubscription = "part_subscription": PartId => SubscriptionStatus;
    CategorySubscription = "category_subscription": CategoryId => SubscriptionStatus;
    SetPartSubscriptionCommand = "set_part_subscription": SetPartSubscription => SubscriptionStatus;
    SetCategorySubscriptionCommand = "set_category_subscription": SetCategorySubscription => SubscriptionStatus;
    MySubscriptions = "my_subscriptions": () => Subscriptions;

    ListNotifications = "list_notifications": NotificationQuery => Vec<Notification>;
    UnreadCount = "unread_count": () => i64;
    /// Answers how many changed.
    MarkNotificationsCommand = "mark_notifications": MarkNotifications => i64;
    MarkAllRead = "mark_all_read": () => i64;
    /// Answers how many were deleted.
    DeleteNotifications = "delete_notifications": Vec<NotificationId> => i64;
    DeleteHistory = "delete_history": () => i64;

    GetGlobalSettings = "global_settings": () => GlobalSettings;
    UpdateGlobalSettings = "update_global_settings": GlobalSettings => GlobalSettings;
    /// The current user's own settings.
    MyPreferences = "my_preferences": () => Preferences;
    /// The cells listed change; the others stay.
    UpdateMyPreferences = "update_my_preferences": Vec<Preference> => Preferences;
    UpdateMyReminder = "update_my_reminder": Reminder => Preferences;
    UpdateMyQuietHours = "update_my_quiet_hours": SetQuietHours => Preferences;
    UpdateMyDigest = "update_my_digest": Digest => Preferences;
    /// Administrators only on a team database.
    UpdateTeamDefaultPreferences = "update_team_default_preferences": Vec<Preference> => Preferences;
    /// The current person's snooze of a part or category, if one is in force.
    GetSnooze = "snooze": SnoozeTarget => Option<Snooze>;
    SetSnoozeCommand = "set_snooze": SetSnooze => Snooze;
    /// Ends the current person's snooze now (nothing is sent for it).
    EndSnooze = "end_snooze": SnoozeTarget => ();

    GetEmailSettings = "email_settings": () => EmailSettings;
    SaveEmailSettingsCommand = "save_email_settings": SaveEmailSettings => EmailSettings;
    /// A `delivery` error says in plain words why it did not go out.
    SendTestEmailCommand = "send_test_email": SendTestEmail => TestSent;
    ListWebhooks = "list_webhooks": () => Vec<Webhook>;
    CreateWebhook = "create_webhook": WebhookInput => Webhook;
    UpdateWebhookCommand = "update_webhook": UpdateWebhook => Webhook;
    DeleteWebhook = "delete_webhook": WebhookId => ();
    SendTestWebhook = "send_test_webhook": WebhookId => TestSent;
    ListDeliveries = "list_deliveries": DeliveryQuery => Vec<Delivery>;
    /// Back to pending, due now.
    RetryDelivery = "retry_delivery": DeliveryId => Delivery;

    /// Why the database could not be opened at start (`None`: it is open).
    GetDatabaseProblem = "database_problem": () => Option<DatabaseProblem>;
    /// Tries the chosen database again after a problem at start.
    RetryDatabase = "retry_database": () => Option<DatabaseProblem>;
    /// Forgets a team database saved in Settings and opens this desktop's own.
    UseOwnDatabase = "use_own_database": () => Option<DatabaseProblem>;
    /// Which database is open, and which Settings chose for the next start.
    GetTeamDatabase = "team_database": () => TeamDatabaseStatus;
    /// Connects to a team database's URL and says what is there (changes nothing).
    CheckTeamDatabase = "check_team_database": String => TeamDatabaseCheck;
    /// Opens this team database (`None`: this desktop's own) at the next start.
    ChooseTeamDatabase = "choose_team_database": Option<String> => TeamDatabaseStatus;
    /// Copies this desktop's SQLite database into the empty team database at
    /// the URL, announcing `MOVE_PROGRESS` as it goes.
    MoveToTeamDatabase = "move_to_team_database": String => MoveSummary;
    /// Whether this desktop hears the other desktops of its team database
    /// (changes are pushed as `TEAM_LINK_CHANGED`).
    GetTeamLink = "team_link": () => TeamLink;

    /// Checks (`commit: false`, the preview) or imports CSV files in one
    /// transaction, announcing `IMPORT_PROGRESS` as it goes.
    ImportFilesCommand = "import_files": ImportRequest => ImportReport;
    /// Writes a list of skipped rows into the Downloads folder (under a
    /// name not yet taken there); answers the path written.
    SaveSkippedRowsCommand = "save_skipped_rows": SkippedRows => String;
    /// Writes the category tree and the parts table into the Downloads
    /// folder as `categories.csv` and `parts.csv` (names not yet taken).
    ExportPartsCommand = "export_parts": () => ExportedParts;

    GetDesktopStatus = "desktop_status": () => DesktopStatus;
    UpdateDesktopCommand = "update_desktop": UpdateDesktop => DesktopStatus;
    /// Pauses the current user's OS popups.
    PausePopups = "pause_popups": PauseFor => PopupPause;
    ResumePopups = "resume_popups": () => PopupPause;
    /// The `partwatch:` link this start of Partwatch was given, once: the
    /// window opens it when it is ready (later links arrive as events).
    TakeStartLink = "take_start_link": () => Option<LinkRequest>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL {
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(GetPart::NAME, "get_part");
    }
}
