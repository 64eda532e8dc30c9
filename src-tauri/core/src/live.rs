//! Team databases: what one desktop commits, every other desktop hears at
//! once, through PostgreSQL's `LISTEN/NOTIFY`.
//!
//! Every write transaction says on the channel [`CHANNEL`] what it changed
//! before it commits (`tell_others`):
//! the server delivers it to every listening session at the commit, and
//! drops it with a rollback, the same "announce after commit" rule the
//! in-memory announcements keep. The payload carries ids only (whose
//! notifications changed, whether deliveries are due), never content, and
//! the desktop it came from, which ignores its own. Whatever it is, the
//! other desktops also hear `ChangedElsewhere`, so open screens show the
//! stock, parts and settings as they now are.
//!
//! Each desktop listens on a connection of its own ([`listen`]). Whatever
//! it hears becomes an ordinary announcement of this `Database`, so the
//! window, the tray and the delivery worker follow other desktops' changes
//! exactly as they follow this one's. When the connection is lost, it
//! tries again, waiting 1, 2, 4 … up to 30 seconds, and says so
//! ([`TeamLink::Lost`]); each time it listens again it catches up by
//! announcing a change of this desktop's person's notifications (the window
//! reads the count and lists afresh) and waking the worker (deliveries are
//! rows: whatever is due is claimed, and nothing already sent is sent again).

use crate::notifications::Announcement;
use crate::sql::{self, Conn};
use crate::{CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::TeamLink;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The channel every desktop of a team listens on.
pub const CHANNEL: &str = "partwatch_changes";

/// PostgreSQL refuses payloads from 8,000 bytes; above this many, the
/// users are left out and every desktop reads its person's count afresh.
const MAX_PAYLOAD_BYTES: usize = 7_000;

/// How long a listener may hear nothing before it checks the server is there.
const QUIET_FOR: Duration = Duration::from_secs(30);

/// How long the server has to answer that check.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The longest wait between two attempts to listen again.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What one commit tells the other desktops.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Payload {
    /// The `Database::origin` of the desktop that committed.
    origin: u64,
    /// Whose notifications changed; `None`: too many to list, anyone's.
    users: Option<Vec<UserId>>,
    /// Deliveries were queued: workers should look.
    deliveries: bool,
}

impl Payload {
    fn to_json(&self) -> String {
        // Numbers and a flag: nothing here can fail to serialise.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Says on [`CHANNEL`], inside the transaction `tx` is, what it changed
/// (see the module's documentation), if it wrote anything.
pub(crate) async fn tell_others(
    tx: &mut Conn,
    db: &Database,
    announcements: &[Announcement],
    deliveries: bool,
) -> CoreResult<()> {
    let mut users: Vec<UserId> = announcements
        .iter()
        .filter_map(|announcement| match announcement {
            Announcement::Notifications { users, .. } => Some(users.iter().copied()),
            // Who works on this desktop is this desktop's business only.
            // A snooze's end is its person's desktop's (and a back-in-stock
            // one ends with the restock, whose other announcements tell).
            Announcement::CurrentUser(_)
            | Announcement::ChangedElsewhere
            | Announcement::SnoozesEnded { .. } => None,
        })
        .flatten()
        .collect();
    users.sort_unstable();
    users.dedup();
    let mut payload = Payload {
        origin: db.origin(),
        users: Some(users),
        deliveries,
    };
    let mut text = payload.to_json();
    if text.len() > MAX_PAYLOAD_BYTES {
        payload.users = None;
        text = payload.to_json();
    }
    // A transaction that wrote nothing (it only read under the writers'
    // lock) has no transaction id yet, and tells no one.
    sql::query("SELECT pg_notify($1, $2) WHERE txid_current_if_assigned() IS NOT NULL")
        .bind(CHANNEL)
        .bind(text)
        .execute(tx)
        .await?;
    Ok(())
}

/// This desktop listening to its team: stops listening when dropped.
#[derive(Debug)]
pub struct Listening {
    link: watch::Receiver<TeamLink>,
    task: JoinHandle<()>,
}

impl Listening {
    /// Whether it hears the others now.
    pub fn link(&self) -> TeamLink {
        self.link.borrow().clone()
    }

    /// Every change of [`Listening::link`], as it happens.
    pub fn link_changes(&self) -> watch::Receiver<TeamLink> {
        self.link.clone()
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts listening to the other desktops of a team database, on a
/// connection of its own, on the current tokio runtime. `None` for a SQLite
/// file, which no one else writes.
pub fn listen(db: &Database) -> Option<Listening> {
    let crate::db::Backend::Postgres(pool) = db.backend() else {
        return None;
    };
    // Its own pool of one, so listening never takes a connection the
    // desktop's reads and writes are waiting for.
    // Named, so that `pg_stat_activity` tells a server's administrator
    // which sessions are listeners (and whose, if someone had signed in on
    // the desktop when it started).
    let name = match db.current_user() {
        Some(user) => format!("partwatch listening (user {user})"),
        None => "partwatch listening".to_owned(),
    };
    let options = (*pool.connect_options()).clone().application_name(&name);
    let listening_pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(options);
    let (link, receiver) = watch::channel(TeamLink::Connecting);
    let task = tokio::spawn(run(db.clone(), listening_pool, link));
    Some(Listening {
        link: receiver,
        task,
    })
}

async fn run(db: Database, pool: PgPool, link: watch::Sender<TeamLink>) {
    let mut attempts: u32 = 0;
    let mut lost_since: Option<String> = None;
    loop {
        let reason = match connect(&pool).await {
            Ok(mut listener) => {
                attempts = 0;
                lost_since = None;
                // Caught up first: whoever waits for `Live` and listens to
                // the announcements after it hears only what comes next.
                catch_up(&db);
                link.send_replace(TeamLink::Live);
                hear(&db, &mut listener).await
            }
            Err(err) => sentence(&crate::db::connect_failure(&pool.connect_options(), err)),
        };
        attempts += 1;
        let since = lost_since.get_or_insert_with(crate::clock::now).clone();
        tracing::warn!("not hearing the team database (attempt {attempts}): {reason}");
        link.send_replace(TeamLink::Lost {
            since,
            reason,
            attempts,
        });
        tokio::time::sleep(backoff(attempts)).await;
    }
}

async fn connect(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Hears notifications until the connection fails; answers why it did.
/// A connection that dies without a word (a laptop asleep, a NAT or VPN
/// forgetting it) would keep a quiet listener waiting for ever: after
/// [`QUIET_FOR`] without news it asks the server something, and a server
/// that does not answer within [`ANSWER_WITHIN`] counts as lost.
async fn hear(db: &Database, listener: &mut PgListener) -> String {
    loop {
        let heard = match tokio::time::timeout(QUIET_FOR, listener.try_recv()).await {
            Ok(heard) => heard,
            Err(_quiet) => {
                let asked = sqlx::query("SELECT 1").execute(&mut *listener);
                match tokio::time::timeout(ANSWER_WITHIN, asked).await {
                    Ok(Ok(_)) => continue,
                    Ok(Err(err)) => Err(err),
                    Err(_) => {
                        return format!(
                            "The server did not answer for {} seconds.",
                            ANSWER_WITHIN.as_secs()
                        )
                    }
                }
            }
        };
        match heard {
            Ok(Some(notification)) => on_payload(db, notification.payload()),
            Ok(None) => return "The connection to the server was lost.".to_owned(),
            Err(sqlx::Error::Database(err)) => {
                return sentence(&format!(
                    "The server ended the connection: {}.",
                    err.message()
                ))
            }
            Err(err) => return sentence(&format!("The connection failed: {err}.")),
        }
    }
}

fn on_payload(db: &Database, text: &str) {
    let payload: Payload = match serde_json::from_str(text) {
        Ok(payload) => payload,
        Err(err) => {
            tracing::warn!("ignored a team announcement that is not Partwatch's ({err}): {text}");
            return;
        }
    };
    if payload.origin == db.origin() {
        return;
    }
    if payload.deliveries {
        db.wake_delivery();
    }
    let users = match payload.users {
        Some(users) => users,
        None => db.current_user().into_iter().collect(),
    };
    if !users.is_empty() {
        db.announce(Announcement::notifications(users, Vec::new()));
    }
    db.announce(Announcement::ChangedElsewhere);
}

/// After (re)connecting: what other desktops did meanwhile was not heard.
fn catch_up(db: &Database) {
    db.wake_delivery();
    if let Some(me) = db.current_user() {
        db.announce(Announcement::notifications(vec![me], Vec::new()));
    }
    db.announce(Announcement::ChangedElsewhere);
}

/// `text` with a capital first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// 1, 2, 4, … seconds, at most [`MAX_BACKOFF`].
fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(1u64 << attempts.saturating_sub(1).min(5)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_half_a_minute() {
        let waits: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn a_payload_without_users_means_anyone() {
        let payload: Payload =
            serde_json::from_str(r#"{"origin":7,"users":null,"deliveries":true}"#)
                .expect("a payload");
        assert_eq!(payload.users, None);
        assert!(payload.deliveries);
    }
}
