//! What reaches a person where: the preference matrix, events × channels.
//!
//! The team's defaults (`default_preferences`, an administrator's on a team
//! database) have a row per cell. A person's own row
//! (`notification_preferences`) exists only where they chose otherwise: a
//! cell saved equal to the default is removed, so it follows the default
//! when an administrator changes it. A person is told of an event (given a
//! notification) when at least one of its cells is on; with "in the app"
//! off the notification goes straight to History, read. Beside the matrix, a
//! person's unread reminder, quiet hours and email digest (`personal.rs`);
//! [`PreferenceBook`] answers the fan-out for all of them.

mod personal;

pub use personal::{update_digest, update_quiet_hours, update_reminder};

use crate::digest::DigestSchedule;
use crate::inventory::must_exist;
use crate::quiet_hours::QuietSpan;
use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::notifications::{
    Digest, EmailDigest, NotificationKind, PersonalChannel, Preference, Preferences, QuietHours,
};
use std::collections::{HashMap, HashSet};

/// Every cell the matrix has, in the order the window shows them.
fn cells() -> impl Iterator<Item = (NotificationKind, PersonalChannel)> {
    NotificationKind::EVENTS
        .into_iter()
        .flat_map(|event| PersonalChannel::ALL.map(move |channel| (event, channel)))
}

/// The preferences of everyone a trigger run may tell, read once.
#[derive(Debug, Default)]
pub(crate) struct PreferenceBook {
    defaults: HashMap<(NotificationKind, PersonalChannel), bool>,
    personal: HashMap<(UserId, NotificationKind, PersonalChannel), bool>,
    /// Who asked to be emailed about what they have not read, after how many hours.
    reminders: HashMap<UserId, i64>,
    /// Who keeps quiet hours, and whether critical news passes through them.
    quiet: HashMap<UserId, (QuietSpan, bool)>,
    /// Who takes their email as a digest.
    digests: HashMap<UserId, DigestSchedule>,
}

impl PreferenceBook {
    /// The team's defaults and every person's own cells (rows exist only
    /// where someone chose otherwise: at most nine a person).
    pub(crate) async fn load(conn: &mut Conn) -> CoreResult<Self> {
        let defaults: Vec<(NotificationKind, PersonalChannel, bool)> =
            sql::query_as("SELECT kind, channel, enabled FROM default_preferences")
                .fetch_all(&mut *conn)
                .await?;
        let personal: Vec<(UserId, NotificationKind, PersonalChannel, bool)> =
            sql::query_as("SELECT user_id, kind, channel, enabled FROM notification_preferences")
                .fetch_all(&mut *conn)
                .await?;
        let reminders: Vec<(UserId, i64)> = sql::query_as(
            "SELECT user_id, remind_after_hours FROM user_settings
              WHERE remind_after_hours IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let quiet: Vec<(UserId, String, String, String, bool)> = sql::query_as(
            "SELECT user_id, quiet_from, quiet_to, quiet_zone, quiet_critical_through FROM user_settings
              WHERE quiet_from IS NOT NULL AND quiet_to IS NOT NULL AND quiet_zone IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let quiet = quiet
            .into_iter()
            .filter_map(
                |(user, from, to, zone, through)| match QuietSpan::new(&from, &to, &zone) {
                    Ok(span) => Some((user, (span, through))),
                    // Saved on a desktop that knew the zone; this one does not:
                    // nothing is held here rather than everything.
                    Err(why) => {
                        tracing::warn!("quiet hours of person {user} are not kept here: {why}");
                        None
                    }
                },
            )
            .collect();
        let digests: Vec<(UserId, EmailDigest, Option<String>, Option<String>)> = sql::query_as(
            "SELECT user_id, digest, digest_at, digest_zone FROM user_settings
              WHERE digest <> 'immediately'",
        )
        .fetch_all(&mut *conn)
        .await?;
        let digests = digests
            .into_iter()
            .filter_map(|(user, every, at, zone)| {
                let zone = zone.unwrap_or_else(|| "UTC".to_owned());
                match DigestSchedule::new(every, at.as_deref().unwrap_or(""), &zone) {
                    Ok(schedule) => schedule.map(|s| (user, s)),
                    // As with quiet hours: a zone this desktop does not know
                    // sends mail at once rather than never.
                    Err(why) => {
                        tracing::warn!("the digest of person {user} is not kept here: {why}");
                        None
                    }
                }
            })
            .collect();
        Ok(Self {
            quiet,
            digests,
            reminders: reminders.into_iter().collect(),
            defaults: defaults
                .into_iter()
                .map(|(kind, channel, on)| ((kind, channel), on))
                .collect(),
            personal: personal
                .into_iter()
                .map(|(user, kind, channel, on)| ((user, kind, channel), on))
                .collect(),
        })
    }

    /// Whether `user` wants `event` through `channel`. A test notification
    /// was asked for: it reaches every channel; critical news always reaches
    /// the inbox.
    pub(crate) fn wants(
        &self,
        user: UserId,
        event: NotificationKind,
        channel: PersonalChannel,
    ) -> bool {
        if always_on(event, channel) {
            return true;
        }
        self.personal
            .get(&(user, event, channel))
            .or_else(|| self.defaults.get(&(event, channel)))
            .copied()
            .unwrap_or(false)
    }

    /// After how many hours `user` wants an email about a notification they
    /// have not read (`None`: never).
    pub(crate) fn remind_after(&self, user: UserId) -> Option<i64> {
        self.reminders.get(&user).copied()
    }

    /// If a delivery of `event` to `user` due at `at` falls in their quiet
    /// hours, when they end (never for critical news they let through).
    pub(crate) fn quiet_until(
        &self,
        user: UserId,
        event: NotificationKind,
        at: &str,
    ) -> Option<String> {
        let (span, critical_through) = self.quiet.get(&user)?;
        if event.is_critical() && *critical_through {
            return None;
        }
        let moment: jiff::Timestamp = at.parse().ok()?;
        span.end_if_quiet(moment).map(crate::clock::stamp)
    }

    /// If `user` takes their email of `event` as a digest, when the next one
    /// is due after `now` (never for critical news or a test: those go at once).
    pub(crate) fn digest_due(
        &self,
        user: UserId,
        event: NotificationKind,
        now: &str,
    ) -> Option<String> {
        if event.is_critical() || event == NotificationKind::Test {
            return None;
        }
        let schedule = self.digests.get(&user)?;
        let moment: jiff::Timestamp = now.parse().ok()?;
        schedule.next_after(moment).map(crate::clock::stamp)
    }

    /// Whether `user` is told of `event` at all.
    pub(crate) fn reaches(&self, user: UserId, event: NotificationKind) -> bool {
        PersonalChannel::ALL
            .into_iter()
            .any(|channel| self.wants(user, event, channel))
    }
}

/// A cell nobody turns off: a test reaches everywhere (it was asked for),
/// critical news always reaches the inbox.
fn always_on(event: NotificationKind, channel: PersonalChannel) -> bool {
    event == NotificationKind::Test || (event.is_critical() && channel == PersonalChannel::InApp)
}

/// Whether `user` wants `event` through `channel` now (a delivery checks
/// again before it is sent: the person may have changed their mind).
pub(crate) async fn wants_in(
    conn: &mut Conn,
    user: UserId,
    event: NotificationKind,
    channel: PersonalChannel,
) -> CoreResult<bool> {
    if always_on(event, channel) {
        return Ok(true);
    }
    let on: Option<bool> = sql::query_scalar(
        "SELECT COALESCE(
                (SELECT enabled FROM notification_preferences
                  WHERE user_id = $1 AND kind = $2 AND channel = $3),
                (SELECT enabled FROM default_preferences WHERE kind = $2 AND channel = $3))",
    )
    .bind(user)
    .bind(event)
    .bind(channel)
    .fetch_one(&mut *conn)
    .await?;
    Ok(on.unwrap_or(false))
}

/// `user`'s matrix and the team's defaults.
pub async fn of(db: &Database, user: UserId) -> CoreResult<Preferences> {
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "users", "User", user).await?;
    of_in(&mut conn, user).await
}

pub(super) async fn of_in(conn: &mut Conn, user: UserId) -> CoreResult<Preferences> {
    let rows: Vec<(NotificationKind, PersonalChannel, bool, Option<bool>)> = sql::query_as(
        "SELECT d.kind, d.channel, d.enabled, p.enabled
           FROM default_preferences d
           LEFT JOIN notification_preferences p
             ON p.user_id = $1 AND p.kind = d.kind AND p.channel = d.channel",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let found: HashMap<(NotificationKind, PersonalChannel), (bool, Option<bool>)> = rows
        .into_iter()
        .map(|(kind, channel, default, own)| ((kind, channel), (default, own)))
        .collect();
    let mut mine = Vec::new();
    let mut team_defaults = Vec::new();
    for (event, channel) in cells() {
        let Some(&(default, own)) = found.get(&(event, channel)) else {
            return Err(CoreError::Corrupt(format!(
                "The team's default for {} by {} is missing.",
                event.label().to_lowercase(),
                channel.label().to_lowercase()
            )));
        };
        team_defaults.push(Preference {
            event,
            channel,
            enabled: default,
        });
        mine.push(Preference {
            event,
            channel,
            enabled: own.unwrap_or(default),
        });
    }
    let remind_after_hours: Option<i64> =
        sql::query_scalar("SELECT remind_after_hours FROM user_settings WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let quiet: Option<StoredQuietHours> = sql::query_as(
        "SELECT quiet_from, quiet_to, quiet_zone, quiet_critical_through FROM user_settings
          WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    let quiet_hours = match quiet {
        Some((Some(from), Some(to), Some(time_zone), critical_through)) => Some(QuietHours {
            from,
            to,
            time_zone,
            critical_through,
        }),
        _ => None,
    };
    let digest: Option<(EmailDigest, Option<String>, Option<String>)> = sql::query_as(
        "SELECT digest, digest_at, digest_zone FROM user_settings WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    let digest = match digest {
        Some((every, at, zone)) => Digest {
            every,
            at: at.unwrap_or_default(),
            time_zone: zone.unwrap_or_default(),
        },
        None => Digest::default(),
    };
    Ok(Preferences {
        mine,
        team_defaults,
        remind_after_hours,
        quiet_hours,
        digest,
    })
}

/// A person's quiet hours as `user_settings` keeps them: from, to, zone
/// (all three or none) and whether critical news passes.
type StoredQuietHours = (Option<String>, Option<String>, Option<String>, bool);

/// Refuses a cell that is not in the matrix, or one listed twice.
fn check(cells: &[Preference]) -> CoreResult<()> {
    let mut seen = HashSet::new();
    for cell in cells {
        if !NotificationKind::EVENTS.contains(&cell.event) {
            return Err(CoreError::InvalidInput(format!(
                "{} notifications are sent when asked for; there is nothing to choose for them.",
                cell.event.label()
            )));
        }
        if always_on(cell.event, cell.channel) && !cell.enabled {
            return Err(CoreError::InvalidInput(format!(
                "{} is critical: it always reaches the inbox.",
                cell.event.label()
            )));
        }
        if !seen.insert((cell.event, cell.channel)) {
            return Err(CoreError::InvalidInput(format!(
                "{} by {} is listed twice.",
                cell.event.label(),
                cell.channel.label().to_lowercase()
            )));
        }
    }
    Ok(())
}

/// Sets `user`'s cells listed in `cells` (the others stay): a cell equal
/// to the team's default follows the default from now on.
pub async fn update_mine(
    db: &Database,
    user: UserId,
    cells: &[Preference],
) -> CoreResult<Preferences> {
    check(cells)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    for cell in cells {
        sql::query(
            "DELETE FROM notification_preferences WHERE user_id = $1 AND kind = $2 AND channel = $3",
        )
        .bind(user)
        .bind(cell.event)
        .bind(cell.channel)
        .execute(&mut *tx)
        .await?;
        sql::query(
            "INSERT INTO notification_preferences (user_id, kind, channel, enabled)
             SELECT $1, kind, channel, $4 FROM default_preferences
              WHERE kind = $2 AND channel = $3 AND enabled <> $4",
        )
        .bind(user)
        .bind(cell.event)
        .bind(cell.channel)
        .bind(cell.enabled)
        .execute(&mut *tx)
        .await?;
    }
    let saved = of_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Sets the team's defaults listed in `cells` (an administrator's on a team
/// database: the server refuses anyone else); people's own choices stay.
/// Answers with `user`'s matrix as it now stands.
pub async fn update_team_defaults(
    db: &Database,
    user: UserId,
    cells: &[Preference],
) -> CoreResult<Preferences> {
    check(cells)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    for cell in cells {
        sql::query("UPDATE default_preferences SET enabled = $3 WHERE kind = $1 AND channel = $2")
            .bind(cell.event)
            .bind(cell.channel)
            .bind(cell.enabled)
            .execute(&mut *tx)
            .await?;
    }
    let saved = of_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(event: NotificationKind, channel: PersonalChannel) -> Preference {
        Preference {
            event,
            channel,
            enabled: true,
        }
    }

    #[test]
    fn the_matrix_is_every_event_by_every_channel() {
        let all: Vec<_> = cells().collect();
        assert_eq!(all.len(), 12);
        assert_eq!(all[0], (NotificationKind::LowStock, PersonalChannel::InApp));
        assert!(!all.iter().any(|(e, _)| *e == NotificationKind::Test));
    }

    #[test]
    fn a_test_cell_or_a_cell_twice_is_refused_in_words() {
        let test = check(&[cell(NotificationKind::Test, PersonalChannel::Email)])
            .expect_err("a test cell");
        assert!(test.to_string().contains("when asked for"), "{test}");
        let twice = check(&[
            cell(NotificationKind::LowStock, PersonalChannel::Email),
            cell(NotificationKind::LowStock, PersonalChannel::Email),
        ])
        .expect_err("a cell twice");
        assert_eq!(twice.to_string(), "Low stock by email is listed twice.");
        check(&[]).expect("no cells: nothing to change");
        let critical = check(&[Preference {
            enabled: false,
            ..cell(NotificationKind::OutOfStock, PersonalChannel::InApp)
        }])
        .expect_err("critical news out of the inbox");
        assert_eq!(
            critical.to_string(),
            "Out of stock is critical: it always reaches the inbox."
        );
        check(&[cell(NotificationKind::OutOfStock, PersonalChannel::InApp)])
            .expect("on, as it always is");
    }

    #[test]
    fn a_persons_cell_wins_over_the_default_and_a_test_reaches_everywhere() {
        let me = UserId(1);
        let mut book = PreferenceBook::default();
        book.defaults
            .insert((NotificationKind::LowStock, PersonalChannel::Email), true);
        assert!(book.wants(me, NotificationKind::LowStock, PersonalChannel::Email));
        assert!(!book.wants(me, NotificationKind::LowStock, PersonalChannel::InApp));
        book.personal.insert(
            (me, NotificationKind::LowStock, PersonalChannel::Email),
            false,
        );
        assert!(!book.reaches(me, NotificationKind::LowStock));
        assert!(book.reaches(UserId(2), NotificationKind::LowStock));
        assert!(book.wants(me, NotificationKind::Test, PersonalChannel::OsPopup));
        book.personal.insert(
            (me, NotificationKind::OutOfStock, PersonalChannel::InApp),
            false,
        );
        assert!(
            book.wants(me, NotificationKind::OutOfStock, PersonalChannel::InApp),
            "critical news reaches the inbox whatever a row says"
        );
    }
}
