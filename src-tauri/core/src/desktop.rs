//! What this desktop does when it is not in front: closing the window keeps
//! the app watching (or quits), and a user can pause their OS popups for an
//! hour or until tomorrow while notifications keep landing in the inbox.

use crate::inventory::must_exist;
use crate::{CoreResult, Database};
use partwatch_types::desktop::{DesktopSettings, PauseFor, PopupPause};
use partwatch_types::inventory::UserId;
use sqlx::SqliteConnection;

const CLOSE_TO_TRAY_KEY: &str = "close_to_tray";

pub async fn settings(db: &Database) -> CoreResult<DesktopSettings> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM instance_settings WHERE key = ?")
            .bind(CLOSE_TO_TRAY_KEY)
            .fetch_optional(db.pool())
            .await?;
    Ok(DesktopSettings {
        close_to_tray: value.as_deref() != Some("0"),
    })
}

pub async fn update_settings(
    db: &Database,
    settings: &DesktopSettings,
) -> CoreResult<DesktopSettings> {
    sqlx::query("INSERT OR REPLACE INTO instance_settings (key, value) VALUES (?, ?)")
        .bind(CLOSE_TO_TRAY_KEY)
        .bind(if settings.close_to_tray { "1" } else { "0" })
        .execute(db.pool())
        .await?;
    self::settings(db).await
}

/// Pauses `user`'s OS popups for an hour or until tomorrow morning (local
/// time `tomorrow_at`, given by the caller who knows the time zone, as an
/// ISO-8601 UTC timestamp).
pub async fn pause_popups(db: &Database, user: UserId, pause: &PauseFor) -> CoreResult<PopupPause> {
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    let until: String = match pause {
        PauseFor::OneHour => {
            sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 hour')")
                .fetch_one(&mut *tx)
                .await?
        }
        PauseFor::UntilTomorrow => {
            // 08:00 local time tomorrow.
            sqlx::query_scalar(
                "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', date('now', 'localtime', '+1 day') || ' 08:00:00', 'utc')",
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    sqlx::query(
        "INSERT INTO user_settings (user_id, popups_paused_until) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET popups_paused_until = excluded.popups_paused_until",
    )
    .bind(user)
    .bind(&until)
    .execute(&mut *tx)
    .await?;
    let pause = pause_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(pause)
}

pub async fn resume_popups(db: &Database, user: UserId) -> CoreResult<PopupPause> {
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    sqlx::query("UPDATE user_settings SET popups_paused_until = NULL WHERE user_id = ?")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let pause = pause_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(pause)
}

pub async fn popup_pause(db: &Database, user: UserId) -> CoreResult<PopupPause> {
    let mut conn = db.pool().acquire().await?;
    pause_in(&mut conn, user).await
}

/// The pause in force for `user` (none once its time has passed).
pub(crate) async fn pause_in(conn: &mut SqliteConnection, user: UserId) -> CoreResult<PopupPause> {
    let until: Option<String> = sqlx::query_scalar(
        "SELECT popups_paused_until FROM user_settings
          WHERE user_id = ? AND popups_paused_until > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    Ok(PopupPause {
        paused_until: until,
    })
}
