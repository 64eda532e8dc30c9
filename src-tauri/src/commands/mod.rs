//! The IPC door: every command of `partwatch_types::commands` routed to one
//! handler, typed by the same `Command`.
//!
//! A handler is a plain `async fn(Context, C::Request) -> Answer<C::Answer>`
//! that takes what it needs from the app state and calls one core function;
//! the router decodes the request, answers `{ code, message }` on failure
//! and logs every failure with the command's name. The name a command is
//! registered under is `C::NAME` itself, so the UI and the shell cannot
//! disagree about it; `router_serves_every_command` checks none is missing.

mod database;
mod desktop;
mod moving_in;

use crate::state::AppState;
use partwatch_types::commands::Command;
use partwatch_types::{ApiError, ErrorCode};
use std::collections::HashMap;
use std::future::Future;
use tauri::ipc::{Invoke, InvokeBody, InvokeError};
use tauri::{AppHandle, Manager, Runtime, State};

/// What every command answers: the value, or `{ code, message }`.
pub type Answer<T> = Result<T, ApiError>;

/// What a handler can reach: the app (for the tray, the OS) and its state.
pub struct Context<R: Runtime> {
    pub app: AppHandle<R>,
}

impl<R: Runtime> Context<R> {
    /// The app state, once a database is open (see `startup`).
    pub fn state(&self) -> Answer<State<'_, AppState>> {
        self.app.try_state::<AppState>().ok_or_else(|| {
            let why = self
                .app
                .try_state::<crate::startup::Startup>()
                .and_then(|startup| startup.problem())
                .map_or_else(String::new, |problem| format!(": {}", problem.message));
            ApiError::new(ErrorCode::Database, format!("No database is open{why}"))
        })
    }
}

type Handler<R> = Box<dyn Fn(Invoke<R>) + Send + Sync>;

/// Command names and their handlers.
pub struct Router<R: Runtime> {
    routes: HashMap<&'static str, Handler<R>>,
}

impl<R: Runtime> Router<R> {
    fn new() -> Self {
        Self {
            routes: HashMap::new(),
        }
    }

    /// Serves `C` with `handler`.
    fn serve<C, F, Fut>(mut self, handler: F) -> Self
    where
        C: Command + 'static,
        C::Request: Send,
        C::Answer: Send,
        F: Fn(Context<R>, C::Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Answer<C::Answer>> + Send + 'static,
    {
        let route: Handler<R> = Box::new(move |invoke: Invoke<R>| {
            let request = match decode::<C::Request>(C::NAME, invoke.message.payload()) {
                Ok(request) => request,
                Err(err) => {
                    tracing::warn!(command = C::NAME, "{}", err.message);
                    invoke.resolver.reject(err);
                    return;
                }
            };
            let context = Context {
                app: invoke.message.webview().app_handle().clone(),
            };
            let answer = handler(context, request);
            invoke.resolver.respond_async(async move {
                answer.await.map_err(|err| {
                    tracing::warn!(command = C::NAME, code = ?err.code, "{}", err.message);
                    InvokeError::from(err)
                })
            });
        });
        let earlier = self.routes.insert(C::NAME, route);
        debug_assert!(earlier.is_none(), "{} is routed twice", C::NAME);
        self
    }

    /// Hands an invocation to its handler; `false` for an unknown command.
    pub fn dispatch(&self, invoke: Invoke<R>) -> bool {
        match self.routes.get(invoke.message.command()) {
            Some(handler) => {
                handler(invoke);
                true
            }
            None => false,
        }
    }

    #[cfg(test)]
    fn names(&self) -> std::collections::BTreeSet<&'static str> {
        self.routes.keys().copied().collect()
    }
}

/// Reads the one argument, `request` (absent counts as `null`, which is
/// what a `()` request is).
fn decode<T: serde::de::DeserializeOwned>(name: &str, body: &InvokeBody) -> Answer<T> {
    let value = match body {
        InvokeBody::Json(value) => value.get("request").cloned().unwrap_or_default(),
        InvokeBody::Raw(_) => serde_json::Value::Null,
    };
    serde_json::from_value(value).map_err(|err| {
        ApiError::new(
            ErrorCode::Protocol,
            format!("The request {name} was not understood: {err}"),
        )
    })
}

/// Serves each command with a call of one core function on the app state
/// (`$state`), the request bound by the given pattern.
macro_rules! serve {
    ($router:expr, |$state:ident| { $($command:ty => |$request:pat_param| $call:expr,)+ }) => {{
        let router = $router;
        $(
            let router = router.serve::<$command, _, _>(|context, $request| async move {
                let $state = context.state()?;
                Ok::<_, ApiError>($call.await?)
            });
        )+
        router
    }};
}

/// Every command and its handler.
pub fn router<R: Runtime>() -> Router<R> {
    use partwatch_core::delivery::{self, email, webhook};
    use partwatch_core::inventory::{
        bom, builds, categories, demo, locations, parts, production, stock, users,
    };
    use partwatch_core::{logins, notifications, preferences, settings, snoozes, subscriptions};
    use partwatch_types::commands::*;

    let router = serve!(Router::new(), |state| {
        AppInfoCommand => |()| state.db.info(),
        GetInventoryStatus => |()| demo::status(&state.db),
        LoadDemo => |()| demo::load(&state.db),
        StartEmpty => |()| demo::start_empty(&state.db),

        CurrentUser => |()| users::signed_in(&state.db, &state.os_user_name),
        GetPermissions => |()| logins::permissions(&state.db),
        SignInChoicesCommand => |()| users::sign_in_choices(&state.db, &state.os_user_name),
        SignInCommand => |who| users::sign_in(&state.db, &who),
        ListUsers => |()| users::list(&state.db),
        CreateUser => |new| users::create(&state.db, &new),
        UpdateUserCommand => |change| users::update(&state.db, &change),
        SetUserActiveCommand => |change| users::set_active(&state.db, &change),
        SwitchUser => |id| users::switch_current(&state.db, id),

        CategoryTree => |()| categories::tree(&state.db),
        GetCategory => |id| categories::get(&state.db, id),
        CreateCategory => |new| categories::create(&state.db, &new),
        UpdateCategoryCommand => |change| categories::update(&state.db, &change),
        MoveCategoryCommand => |change| categories::move_to(&state.db, &change),
        DeleteCategoryCommand => |change| categories::delete(&state.db, &change),

        ListParts => |query| parts::list(&state.db, &query),
        GetPart => |id| parts::get(&state.db, id),
        CreatePart => |input| parts::create(&state.db, &input),
        UpdatePartCommand => |change| parts::update(&state.db, &change),
        DeletePart => |id| parts::delete(&state.db, id),

        StockItems => |part| stock::items(&state.db, part),
        StockHistory => |query| stock::history(&state.db, &query),
        AddStockItem => |new| stock::add_item(&state.db, &new),
        AdjustStockCommand => |change| stock::adjust(&state.db, &change),
        DeleteStockItem => |change| stock::delete_item(&state.db, &change),
        TransferStockCommand => |change| stock::transfer(&state.db, &change),
        MergeStockCommand => |change| stock::merge(&state.db, &change),

        ListLocations => |()| locations::list(&state.db),
        GetLocation => |id| locations::get(&state.db, id),
        CreateLocation => |new| locations::create(&state.db, &new),
        UpdateLocationCommand => |change| locations::update(&state.db, &change),
        DeleteLocation => |id| locations::delete(&state.db, id),

        BomLines => |part| bom::lines(&state.db, part),
        WhereUsed => |part| bom::where_used(&state.db, part),
        AddBomLine => |new| bom::add_line(&state.db, &new),
        UpdateBomLineCommand => |change| bom::update_line(&state.db, &change),
        RemoveBomLine => |id| bom::remove_line(&state.db, id),

        ListBuilds => |status| builds::list(&state.db, status),
        GetBuild => |id| builds::detail(&state.db, id),
        SuggestBuildReference => |()| builds::suggest_reference(&state.db),
        CreateBuild => |new| builds::create(&state.db, &new),
        SetBuildStatusCommand => |change| builds::set_status(&state.db, &change),
        CompleteBuildCommand => |request| production::complete(&state.db, &request),
        CheckBuildCommand => |request| builds::check(&state.db, &request),

        PartSubscription => |part| subscriptions::part_status(&state.db, state.me()?, part),
        CategorySubscription => |category| subscriptions::category_status(&state.db, state.me()?, category),
        SetPartSubscriptionCommand => |change| subscriptions::set_part(&state.db, state.me()?, change.part_id, change.subscribed),
        SetCategorySubscriptionCommand => |change| subscriptions::set_category(&state.db, state.me()?, change.category_id, change.subscribed),
        MySubscriptions => |()| subscriptions::of_user(&state.db, state.me()?),

        ListNotifications => |query| notifications::list(&state.db, state.me()?, &query),
        UnreadCount => |()| notifications::unread_count(&state.db, state.me()?),
        MarkNotificationsCommand => |change| notifications::mark(&state.db, state.me()?, &change.ids, change.read),
        MarkAllRead => |()| notifications::mark_all_read(&state.db, state.me()?),
        DeleteNotifications => |ids| notifications::delete(&state.db, state.me()?, &ids),
        DeleteHistory => |()| notifications::delete_history(&state.db, state.me()?),

        GetGlobalSettings => |()| settings::global(&state.db),
        UpdateGlobalSettings => |new| settings::update_global(&state.db, &new),
        MyPreferences => |()| preferences::of(&state.db, state.me()?),
        UpdateMyPreferences => |cells| preferences::update_mine(&state.db, state.me()?, &cells),
        UpdateMyReminder => |reminder| preferences::update_reminder(&state.db, state.me()?, &reminder),
        UpdateMyQuietHours => |quiet| preferences::update_quiet_hours(&state.db, state.me()?, &quiet),
        UpdateMyDigest => |digest| preferences::update_digest(&state.db, state.me()?, &digest),
        UpdateTeamDefaultPreferences => |cells| preferences::update_team_defaults(&state.db, state.me()?, &cells),
        GetSnooze => |target| snoozes::get(&state.db, state.me()?, target),
        SetSnoozeCommand => |request| snoozes::set(&state.db, state.me()?, &request),
        EndSnooze => |target| snoozes::end(&state.db, state.me()?, target),

        GetEmailSettings => |()| email::settings(&state.db),
        SaveEmailSettingsCommand => |new| email::save_settings(&state.db, &new),
        SendTestEmailCommand => |test| email::send_test(&state.db, &state.delivery_config, &test),
        ListWebhooks => |()| webhook::list(&state.db),
        CreateWebhook => |new| webhook::create(&state.db, &new),
        UpdateWebhookCommand => |change| webhook::update(&state.db, &change),
        DeleteWebhook => |id| webhook::delete(&state.db, id),
        SendTestWebhook => |id| webhook::send_test(&state.db, &state.delivery_config, id),
        ListDeliveries => |query| delivery::list(&state.db, &query),
        RetryDelivery => |id| delivery::retry(&state.db, id),
    });
    router
        .serve::<GetDatabaseProblem, _, _>(database::problem)
        .serve::<RetryDatabase, _, _>(database::retry)
        .serve::<UseOwnDatabase, _, _>(database::use_own)
        .serve::<GetTeamDatabase, _, _>(database::status)
        .serve::<CheckTeamDatabase, _, _>(database::check)
        .serve::<ChooseTeamDatabase, _, _>(database::choose)
        .serve::<MoveToTeamDatabase, _, _>(database::move_up)
        .serve::<GetTeamLink, _, _>(database::team_link)
        .serve::<ImportFilesCommand, _, _>(moving_in::import_files)
        .serve::<SaveSkippedRowsCommand, _, _>(moving_in::save_skipped_rows)
        .serve::<ExportPartsCommand, _, _>(moving_in::export_parts)
        .serve::<GetDesktopStatus, _, _>(desktop::status)
        .serve::<UpdateDesktopCommand, _, _>(desktop::update)
        .serve::<PausePopups, _, _>(desktop::pause)
        .serve::<ResumePopups, _, _>(desktop::resume)
        .serve::<TakeStartLink, _, _>(desktop::take_start_link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_serves_every_command() {
        let served = router::<tauri::Wry>().names();
        let declared: std::collections::BTreeSet<&str> =
            partwatch_types::commands::ALL.iter().copied().collect();
        assert_eq!(served, declared);
    }

    #[test]
    fn a_missing_request_is_null_and_a_wrong_one_is_a_protocol_error() {
        let empty = InvokeBody::Json(serde_json::json!({}));
        assert_eq!(decode::<()>("x", &empty), Ok(()));
        assert_eq!(decode::<Option<i64>>("x", &empty), Ok(None));
        let wrong = InvokeBody::Json(serde_json::json!({ "request": "seven" }));
        let err = decode::<i64>("get_part", &wrong).expect_err("not a number");
        assert_eq!(err.code, ErrorCode::Protocol);
        assert!(err.message.contains("get_part"), "{}", err.message);
    }
}
