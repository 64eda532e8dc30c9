//! Global notification settings (one row). A person's own choices are
//! `preferences.rs`'s.

use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::notifications::{GlobalSettings, RETENTION_DAYS};

pub async fn global(db: &Database) -> CoreResult<GlobalSettings> {
    let mut conn = db.connection().await?;
    global_in(&mut conn).await
}

pub(crate) async fn global_in(conn: &mut Conn) -> CoreResult<GlobalSettings> {
    let (
        notifications_enabled,
        low_stock_enabled,
        build_orders_enabled,
        delete_after_days,
        os_popups_enabled,
    ): (bool, bool, bool, i64, bool) = sql::query_as(
        "SELECT notifications_enabled, low_stock_enabled, build_orders_enabled,
                    delete_after_days, os_popups_enabled
               FROM global_settings WHERE id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(GlobalSettings {
        notifications_enabled,
        low_stock_enabled,
        build_orders_enabled,
        delete_after_days,
        os_popups_enabled,
    })
}

/// Whether email is configured and switched on (the delivery settings own this).
pub(crate) async fn email_enabled_in(conn: &mut Conn) -> CoreResult<bool> {
    Ok(
        sql::query_scalar("SELECT email_enabled FROM global_settings WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub async fn update_global(db: &Database, settings: &GlobalSettings) -> CoreResult<GlobalSettings> {
    if !RETENTION_DAYS.contains(&settings.delete_after_days) {
        return Err(CoreError::InvalidInput(format!(
            "Notifications are kept between {} and {} days.",
            RETENTION_DAYS.start(),
            RETENTION_DAYS.end()
        )));
    }
    let mut tx = db.begin_write().await?;
    sql::query(
        "UPDATE global_settings SET notifications_enabled = $1, low_stock_enabled = $2,
                build_orders_enabled = $3, delete_after_days = $4, os_popups_enabled = $5
          WHERE id = 1",
    )
    .bind(settings.notifications_enabled)
    .bind(settings.low_stock_enabled)
    .bind(settings.build_orders_enabled)
    .bind(settings.delete_after_days)
    .bind(settings.os_popups_enabled)
    .execute(&mut *tx)
    .await?;
    let saved = global_in(&mut tx).await?;
    tx.commit().await?;
    Ok(saved)
}
