//! The one way to change the database: a write transaction that carries what
//! its change fired (notifications, deliveries, other announcements) and
//! announces it only once the transaction has committed. Dropped without a
//! commit, it rolls back and announces nothing, so the UI never hears of a
//! change that did not happen.

use crate::notifications::Announcement;
use crate::sql::Conn;
use crate::triggers::Fired;
use crate::{CoreResult, Database};
use std::ops::{Deref, DerefMut};

/// A write transaction holding the writer lock (see `Database::begin_write`)
/// and what it fired.
pub struct WriteTx {
    tx: Conn,
    fired: Fired,
    announcements: Vec<Announcement>,
    db: Database,
}

impl WriteTx {
    pub(crate) fn new(tx: Conn, db: Database) -> Self {
        Self {
            tx,
            fired: Fired::default(),
            announcements: Vec::new(),
            db,
        }
    }

    /// The connection and the record of what fired, for the trigger engine,
    /// which needs both at once.
    pub(crate) fn split(&mut self) -> (&mut Conn, &mut Fired) {
        (&mut self.tx, &mut self.fired)
    }

    /// Something else to announce after the commit (a read notification, a
    /// switched user).
    pub(crate) fn announce_after_commit(&mut self, announcement: Announcement) {
        self.announcements.push(announcement);
    }

    /// Commits, then wakes the delivery worker if deliveries were queued and
    /// announces what changed. On a team database the other desktops are
    /// told in the transaction itself (`live::tell_others`): the server
    /// delivers that at the commit, and drops it with a rollback.
    pub async fn commit(self) -> CoreResult<Fired> {
        let Self {
            mut tx,
            fired,
            mut announcements,
            db,
        } = self;
        if !fired.notifications.is_empty() || !fired.resolved_for.is_empty() {
            let (mut users, created): (Vec<_>, Vec<_>) =
                fired.notifications.iter().copied().unzip();
            users.extend(fired.resolved_for.iter().copied());
            announcements.insert(0, Announcement::notifications(users, created));
        }
        if !fired.snoozes_ended_for.is_empty() {
            announcements.push(Announcement::snoozes_ended(fired.snoozes_ended_for.clone()));
        }
        if tx.is_postgres() {
            crate::live::tell_others(&mut tx, &db, &announcements, fired.deliveries > 0).await?;
        }
        tx.commit().await?;
        if fired.deliveries > 0 {
            db.wake_delivery();
        }
        for announcement in announcements {
            db.announce(announcement);
        }
        Ok(fired)
    }
}

impl Deref for WriteTx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}
