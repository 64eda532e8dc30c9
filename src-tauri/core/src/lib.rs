//! Partwatch's domain core: the inventory, who watches what, when to notify
//! and how to deliver. It owns the SQLite database.
//!
//! Invariant: this crate never depends on tauri or leptos. The desktop shell
//! calls into it; tests and benchmarks use it without a window.

pub mod clock;
mod db;
pub mod delivery;
pub mod desktop;
mod digest;
mod error;
pub mod import;
pub mod inventory;
pub mod live;
pub mod logins;
pub mod moving;
pub mod notifications;
pub mod preferences;
mod private;
mod quiet_hours;
pub mod schema;
pub mod secrets;
pub mod settings;
pub mod snoozes;
pub mod sql;
pub mod subscriptions;
pub mod team;
pub mod triggers;
mod validate;
mod write;

pub use db::{Database, DATABASE_FILE_NAME};
pub use error::{CoreError, CoreResult};
pub use private::create_private_dir;
pub use write::WriteTx;
