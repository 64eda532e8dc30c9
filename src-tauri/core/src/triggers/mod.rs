//! The trigger engine: decides, inside the transaction of the change that
//! caused it, who is told what. Stock is edge-triggered: each part keeps
//! `alert_low` and `alert_out`; ok → low notifies "low stock", ok or low →
//! out "out of stock" (critical), once per subscriber; low or out → ok re-arms
//! and sends "back in stock"; out → low sends nothing. Each person's
//! preferences say which of them reach them, and where.
//!
//! The shared vocabulary (what fired, the run's context, the message) lives
//! here; low stock is in `low_stock`, build orders in `build`, the end of a
//! snooze in `snooze`, and writing notifications and deliveries (leaving out
//! whoever snoozes the part) in `fanout`.

mod build;
mod fanout;
mod low_stock;
mod snooze;

pub(crate) use build::build_created;
pub(crate) use low_stock::{evaluate_low_stock, notify_flipped, settle_alert_state, Flipped};
pub(crate) use snooze::snooze_ended;

use crate::delivery::event::{self, Details, EventId};
use crate::delivery::webhook;
use crate::inventory::users;
use crate::preferences::PreferenceBook;
use crate::sql::Conn;
use crate::{settings, snoozes, CoreResult};
use partwatch_types::inventory::{BuildOrderId, PartId, UserId};
use partwatch_types::notifications::{GlobalSettings, NotificationId, NotificationKind};

/// What a transaction created, to announce once it has committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fired {
    pub notifications: Vec<(UserId, NotificationId)>,
    /// How many deliveries (popups, emails, webhook posts) it queued.
    pub deliveries: usize,
    /// Users whose existing notifications changed (resolved low-stock ones).
    pub resolved_for: Vec<UserId>,
    /// Users whose "until back in stock" snoozes ended.
    pub snoozes_ended_for: Vec<UserId>,
}

impl Fired {
    pub fn is_empty(&self) -> bool {
        self.notifications.is_empty()
            && self.deliveries == 0
            && self.resolved_for.is_empty()
            && self.snoozes_ended_for.is_empty()
    }
}

/// What every notification of one trigger run needs, read once.
struct Context {
    global: GlobalSettings,
    email_enabled: bool,
    /// Whose popups this change queues: on SQLite, the one person working on
    /// this desktop (`None`: everyone's, on a team database, where each
    /// desktop claims its own person's, `delivery::log::claim_due`).
    popups_only_for: Option<Option<UserId>>,
    webhooks: Vec<webhook::Enabled>,
    /// What reaches whom where.
    preferences: PreferenceBook,
    /// The moment of this run, and whether anyone snoozes anything then.
    now: String,
    snoozes: bool,
}

impl Context {
    async fn load(conn: &mut Conn) -> CoreResult<Self> {
        let now = crate::clock::now();
        Ok(Self {
            global: settings::global_in(conn).await?,
            email_enabled: settings::email_enabled_in(conn).await?,
            popups_only_for: if conn.is_postgres() {
                None
            } else {
                Some(users::current_id(conn).await?)
            },
            webhooks: webhook::enabled_in(conn).await?,
            preferences: PreferenceBook::load(conn).await?,
            snoozes: snoozes::any_in_force(conn, &now).await?,
            now,
        })
    }
}

struct Message {
    kind: NotificationKind,
    title: String,
    body: String,
    part: Option<PartId>,
    build: Option<BuildOrderId>,
    details: Details,
}

impl Message {
    async fn store_event(&self, conn: &mut Conn) -> CoreResult<EventId> {
        event::insert(
            conn,
            self.kind,
            &self.title,
            &self.body,
            self.part,
            self.build,
            &self.details,
        )
        .await
    }
}
