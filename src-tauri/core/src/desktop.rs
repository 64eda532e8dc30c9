//! What this desktop does when it is not in front: closing the window keeps
//! the app watching (or quits), and a user can pause their OS popups for an
//! hour or until tomorrow while notifications keep landing in the inbox.

use crate::inventory::must_exist;
use crate::sql::{self, Conn};
use crate::{CoreResult, Database};
use partwatch_types::desktop::{DesktopSettings, PauseFor, PopupPause};
use partwatch_types::inventory::UserId;

const CLOSE_TO_TRAY_KEY: &str = "close_to_tray";

pub async fn settings(db: &Database) -> CoreResult<DesktopSettings> {
    let value: Option<String> =
        sql::query_scalar("SELECT value FROM instance_settings WHERE key = $1")
            .bind(CLOSE_TO_TRAY_KEY)
            .fetch_optional(db)
            .await?;
    Ok(DesktopSettings {
        close_to_tray: value.as_deref() != Some("0"),
    })
}

pub async fn update_settings(
    db: &Database,
    settings: &DesktopSettings,
) -> CoreResult<DesktopSettings> {
    sql::query("INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(CLOSE_TO_TRAY_KEY)
        .bind(if settings.close_to_tray { "1" } else { "0" })
        .execute(db)
        .await?;
    self::settings(db).await
}

/// Pauses `user`'s OS popups for an hour or until tomorrow morning (local
/// time `tomorrow_at`, given by the caller who knows the time zone, as an
/// ISO-8601 UTC timestamp).
pub async fn pause_popups(db: &Database, user: UserId, pause: &PauseFor) -> CoreResult<PopupPause> {
    let until: String = match pause {
        PauseFor::OneHour => crate::clock::from_now(3600.0),
        PauseFor::UntilTomorrow => crate::clock::tomorrow_at_local(8),
    };
    let pause = sql::query(
        "INSERT INTO user_settings (user_id, popups_paused_until) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET popups_paused_until = excluded.popups_paused_until",
    )
    .bind(user)
    .bind(until);
    change_pause(db, user, pause).await
}

pub async fn resume_popups(db: &Database, user: UserId) -> CoreResult<PopupPause> {
    let resume =
        sql::query("UPDATE user_settings SET popups_paused_until = NULL WHERE user_id = $1")
            .bind(user);
    change_pause(db, user, resume).await
}

/// Runs `statement`, which pauses or resumes `user`'s popups, in a write
/// transaction (the user must exist); answers the pause now in force.
async fn change_pause(
    db: &Database,
    user: UserId,
    statement: sql::Query<'_>,
) -> CoreResult<PopupPause> {
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    statement.execute(&mut *tx).await?;
    let pause = pause_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(pause)
}

pub async fn popup_pause(db: &Database, user: UserId) -> CoreResult<PopupPause> {
    let mut conn = db.connection().await?;
    pause_in(&mut conn, user).await
}

/// The pause in force for `user` (none once its time has passed).
pub(crate) async fn pause_in(conn: &mut Conn, user: UserId) -> CoreResult<PopupPause> {
    let until: Option<String> = sql::query_scalar(
        "SELECT popups_paused_until FROM user_settings
          WHERE user_id = $1 AND popups_paused_until > $2",
    )
    .bind(user)
    .bind(crate::clock::now())
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    Ok(PopupPause {
        paused_until: until,
    })
}
