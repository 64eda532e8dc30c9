//! A person's own choices beside the matrix: the unread reminder, quiet
//! hours and the email digest. Each is checked first, then saved in one
//! write, and answered with the person's preferences as they now stand.

use super::of_in;
use crate::digest::DigestSchedule;
use crate::inventory::must_exist;
use crate::quiet_hours::QuietSpan;
use crate::sql;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::notifications::{
    Digest, EmailDigest, Preferences, Reminder, SetQuietHours, REMIND_AFTER_HOURS,
};

/// Sets `user`'s unread reminder: an email about a notification still unread
/// that many hours after it came (`None`: never).
pub async fn update_reminder(
    db: &Database,
    user: UserId,
    reminder: &Reminder,
) -> CoreResult<Preferences> {
    if let Some(hours) = reminder.after_hours {
        if !REMIND_AFTER_HOURS.contains(&hours) {
            return Err(CoreError::InvalidInput(format!(
                "A reminder comes after {} to {} hours (a week).",
                REMIND_AFTER_HOURS.start(),
                REMIND_AFTER_HOURS.end()
            ))
            .on_field("Reminder hours"));
        }
    }
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    sql::query(
        "INSERT INTO user_settings (user_id, remind_after_hours) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET remind_after_hours = excluded.remind_after_hours",
    )
    .bind(user)
    .bind(reminder.after_hours)
    .execute(&mut *tx)
    .await?;
    let saved = of_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Sets (or clears) `user`'s quiet hours; an empty time zone is this desktop's.
pub async fn update_quiet_hours(
    db: &Database,
    user: UserId,
    request: &SetQuietHours,
) -> CoreResult<Preferences> {
    let quiet = match &request.quiet_hours {
        None => None,
        Some(q) => {
            let zone = if q.time_zone.trim().is_empty() {
                crate::quiet_hours::this_desktops_zone()
            } else {
                q.time_zone.trim().to_owned()
            };
            QuietSpan::new(&q.from, &q.to, &zone)
                .map_err(|why| CoreError::InvalidInput(why).on_field("Quiet hours"))?;
            Some((q.from.trim().to_owned(), q.to.trim().to_owned(), zone))
        }
    };
    let (from, to, zone) = match quiet {
        Some((from, to, zone)) => (Some(from), Some(to), Some(zone)),
        None => (None, None, None),
    };
    let critical_through = request
        .quiet_hours
        .as_ref()
        .is_none_or(|q| q.critical_through);
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    sql::query(
        "INSERT INTO user_settings (user_id, quiet_from, quiet_to, quiet_zone, quiet_critical_through)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET quiet_from = excluded.quiet_from,
             quiet_to = excluded.quiet_to, quiet_zone = excluded.quiet_zone,
             quiet_critical_through = excluded.quiet_critical_through",
    )
    .bind(user)
    .bind(from)
    .bind(to)
    .bind(zone)
    .bind(critical_through)
    .execute(&mut *tx)
    .await?;
    let saved = of_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Sets how often `user`'s email comes: at once, or as an hourly or daily
/// digest (a daily one at `at`, in the request's zone or else this desktop's).
/// Mails already waiting for a digest move to the new choice.
pub async fn update_digest(
    db: &Database,
    user: UserId,
    request: &Digest,
) -> CoreResult<Preferences> {
    let zone = if request.time_zone.trim().is_empty() {
        crate::quiet_hours::this_desktops_zone()
    } else {
        request.time_zone.trim().to_owned()
    };
    let schedule = DigestSchedule::new(request.every, &request.at, &zone)
        .map_err(|why| CoreError::InvalidInput(why).on_field("Digest time"))?;
    // The mails already waiting go by the new choice: at once (one last
    // digest), or at the new schedule's next moment.
    let now = crate::clock::now();
    let due = match &schedule {
        None => now.clone(),
        Some(schedule) => now
            .parse::<jiff::Timestamp>()
            .ok()
            .and_then(|moment| schedule.next_after(moment))
            .map_or_else(|| now.clone(), crate::clock::stamp),
    };
    let at = (request.every == EmailDigest::Daily).then(|| request.at.trim().to_owned());
    let zone = (request.every != EmailDigest::Immediately).then_some(zone);
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    sql::query(
        "INSERT INTO user_settings (user_id, digest, digest_at, digest_zone) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest,
             digest_at = excluded.digest_at, digest_zone = excluded.digest_zone",
    )
    .bind(user)
    .bind(request.every)
    .bind(at)
    .bind(zone)
    .execute(&mut *tx)
    .await?;
    sql::query(
        "UPDATE deliveries SET next_attempt_at = $2
          WHERE user_id = $1 AND status = 'pending' AND in_digest = TRUE
            AND held_by_quiet_hours = FALSE",
    )
    .bind(user)
    .bind(&due)
    .execute(&mut *tx)
    .await?;
    let saved = of_in(&mut tx, user).await?;
    tx.commit().await?;
    db.wake_delivery();
    Ok(saved)
}
