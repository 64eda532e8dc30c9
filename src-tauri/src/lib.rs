//! The Partwatch desktop shell: opens the window, owns the app state and
//! translates between IPC and the domain core. It holds no domain logic:
//! every command takes state, calls one core function and maps the error.

mod cli;
mod commands;
mod delivery;
mod events;
mod state;

use state::AppState;
use tauri::{Manager, Runtime};

/// Environment variable that overrides where the database lives (tests use it).
pub const DATA_DIR_ENV: &str = "PARTWATCH_DATA_DIR";

/// Builds and runs the app on the default (wry) runtime.
pub fn run() {
    init_logging();
    let options = match cli::Options::parse(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("partwatch: {message}");
            std::process::exit(2);
        }
    };
    let app = build_app(tauri::Builder::default(), options).build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                delivery::stop(handle);
            }
        }),
        Err(err) => {
            tracing::error!("Partwatch could not start: {err}");
            std::process::exit(1);
        }
    }
}

/// Everything but the runtime: plugins, state, commands.
fn build_app<R: Runtime>(builder: tauri::Builder<R>, options: cli::Options) -> tauri::Builder<R> {
    builder
        .setup(move |app| {
            let data_dir = match (options.data_dir, std::env::var_os(DATA_DIR_ENV)) {
                (Some(dir), _) => dir,
                (None, Some(dir)) if !dir.is_empty() => std::path::PathBuf::from(dir),
                _ => app.path().app_data_dir()?,
            };
            let state = tauri::async_runtime::block_on(AppState::open(&data_dir, options.demo))?;
            tracing::info!("database at {}", state.db.path().display());
            let db = state.db.clone();
            let delivery_config = state.delivery_config.clone();
            app.manage(state);
            tauri::async_runtime::spawn(events::forward_announcements(app.handle().clone()));
            delivery::start(app.handle(), db.clone(), delivery_config, &data_dir);
            tauri::async_runtime::spawn(partwatch_core::notifications::purge_daily(db));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::system::app_info,
            commands::system::inventory_status,
            commands::system::load_demo,
            commands::system::start_empty,
            commands::users::current_user,
            commands::users::list_users,
            commands::users::create_user,
            commands::users::rename_user,
            commands::users::set_user_email,
            commands::users::set_user_active,
            commands::users::switch_user,
            commands::categories::category_tree,
            commands::categories::get_category,
            commands::categories::create_category,
            commands::categories::update_category,
            commands::categories::move_category,
            commands::categories::delete_category,
            commands::parts::list_parts,
            commands::parts::get_part,
            commands::parts::create_part,
            commands::parts::update_part,
            commands::parts::delete_part,
            commands::stock::stock_items,
            commands::stock::stock_history,
            commands::stock::add_stock_item,
            commands::stock::adjust_stock,
            commands::stock::delete_stock_item,
            commands::bom::bom_lines,
            commands::bom::add_bom_line,
            commands::bom::update_bom_line,
            commands::bom::remove_bom_line,
            commands::builds::list_builds,
            commands::builds::get_build,
            commands::builds::suggest_build_reference,
            commands::builds::create_build,
            commands::builds::set_build_status,
            commands::subscriptions::part_subscription,
            commands::subscriptions::category_subscription,
            commands::subscriptions::set_part_subscription,
            commands::subscriptions::set_category_subscription,
            commands::subscriptions::my_subscriptions,
            commands::notifications::list_notifications,
            commands::notifications::unread_count,
            commands::notifications::mark_notifications,
            commands::notifications::mark_all_read,
            commands::notifications::delete_notifications,
            commands::notifications::delete_history,
            commands::settings::global_settings,
            commands::settings::update_global_settings,
            commands::settings::my_settings,
            commands::settings::update_my_settings,
            commands::delivery::email_settings,
            commands::delivery::save_email_settings,
            commands::delivery::send_test_email,
            commands::delivery::list_webhooks,
            commands::delivery::create_webhook,
            commands::delivery::update_webhook,
            commands::delivery::delete_webhook,
            commands::delivery::send_test_webhook,
            commands::delivery::list_deliveries,
            commands::delivery::retry_delivery,
        ])
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARTWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}
