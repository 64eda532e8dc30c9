//! Snoozes: a person quiets a part (with its variants) or a category (with
//! everything below it) for a day, a week, until a date, or — a part —
//! until it is back in stock. While a snooze is in force the trigger engine
//! leaves that person out of everything about it (others are still told).
//! When a timed snooze ends, [`end_due`] tells the person once of each part
//! it covered that is still low and that they have not heard of since it
//! began; one that ends because the part is back in stock ends in the
//! transaction that restocked it (`triggers::low_stock`). Ending one by hand
//! ([`end`]) sends nothing: the person is looking at it.

use crate::clock;
use crate::inventory::must_exist;
use crate::notifications::Announcement;
use crate::sql::{self, Conn};
use crate::triggers;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::{PartId, UserId};
use partwatch_types::notifications::{SetSnooze, Snooze, SnoozeLength, SnoozeTarget};
use std::sync::LazyLock;
use std::time::Duration;

/// A snooze until a date ends at this hour of that day, this desktop's time.
const MORNING: i8 = 8;

/// How far ahead a snooze may reach.
const AT_MOST_DAYS: f64 = 366.0;

/// The table's column and the id for a target.
fn column(target: SnoozeTarget) -> (&'static str, i64) {
    match target {
        SnoozeTarget::Part(part) => ("part_id", part.get()),
        SnoozeTarget::Category(category) => ("category_id", category.get()),
    }
}

async fn target_must_exist(conn: &mut Conn, target: SnoozeTarget) -> CoreResult<()> {
    match target {
        SnoozeTarget::Part(part) => must_exist(conn, "parts", "Part", part).await,
        SnoozeTarget::Category(category) => {
            must_exist(conn, "categories", "Category", category).await
        }
    }
}

/// `user`'s snooze of `target`, if it is in force now.
pub async fn get(db: &Database, user: UserId, target: SnoozeTarget) -> CoreResult<Option<Snooze>> {
    let mut conn = db.connection().await?;
    target_must_exist(&mut conn, target).await?;
    get_in(&mut conn, user, target, &clock::now()).await
}

async fn get_in(
    conn: &mut Conn,
    user: UserId,
    target: SnoozeTarget,
    now: &str,
) -> CoreResult<Option<Snooze>> {
    let (column, id) = column(target);
    let row: Option<(String, Option<String>)> = sql::query_as(format!(
        "SELECT since, until FROM snoozes
          WHERE user_id = $1 AND {column} = $2 AND (until IS NULL OR until > $3)"
    ))
    .bind(user)
    .bind(id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(since, until)| Snooze {
        target,
        since,
        until,
    }))
}

/// When a snooze of `length` set now ends (`None`: back in stock).
fn ends(target: SnoozeTarget, length: &SnoozeLength) -> CoreResult<Option<String>> {
    // The window's date field is "Until".
    let refused = |message: String| CoreError::InvalidInput(message).on_field("Until");
    match length {
        SnoozeLength::Day => Ok(Some(clock::from_now(86_400.0))),
        SnoozeLength::Week => Ok(Some(clock::from_now(7.0 * 86_400.0))),
        SnoozeLength::Until { date } => {
            let Some(until) = clock::on_local_date_at(date, MORNING) else {
                let what = match date.trim() {
                    "" => "No date was given".to_owned(),
                    short if short.chars().count() <= 20 => format!("“{short}” is not a date"),
                    _ => "That is not a date".to_owned(),
                };
                return Err(refused(format!("{what}: give one as 2026-12-24.")));
            };
            if until <= clock::now() {
                return Err(refused(
                    "That day's morning has passed: choose a later date.".into(),
                ));
            }
            if until > clock::from_now(AT_MOST_DAYS * 86_400.0) {
                return Err(refused(
                    "A snooze lasts at most a year: choose an earlier date.".into(),
                ));
            }
            Ok(Some(until))
        }
        SnoozeLength::BackInStock => match target {
            SnoozeTarget::Part(_) => Ok(None),
            SnoozeTarget::Category(_) => Err(CoreError::InvalidInput(
                "A category is snoozed for a time; “until back in stock” is for a part.".into(),
            )),
        },
    }
}

/// Snoozes `request.target` for `user` (replacing a snooze of it already in
/// force, which keeps its start).
pub async fn set(db: &Database, user: UserId, request: &SetSnooze) -> CoreResult<Snooze> {
    let until = ends(request.target, &request.length)?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", user).await?;
    target_must_exist(&mut tx, request.target).await?;
    let now = clock::now();
    let since = get_in(&mut tx, user, request.target, &now)
        .await?
        .map_or_else(|| now.clone(), |running| running.since);
    remove(&mut tx, user, request.target).await?;
    let (column, id) = column(request.target);
    sql::query(format!(
        "INSERT INTO snoozes (user_id, {column}, since, until) VALUES ($1, $2, $3, $4)"
    ))
    .bind(user)
    .bind(id)
    .bind(&since)
    .bind(&until)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Snooze {
        target: request.target,
        since,
        until,
    })
}

/// Ends `user`'s snooze of `target` now; nothing is sent for it.
pub async fn end(db: &Database, user: UserId, target: SnoozeTarget) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    target_must_exist(&mut tx, target).await?;
    remove(&mut tx, user, target).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes `user`'s snooze of `target`, if any, in the caller's transaction.
async fn remove(conn: &mut Conn, user: UserId, target: SnoozeTarget) -> CoreResult<()> {
    let (column, id) = column(target);
    sql::query(format!(
        "DELETE FROM snoozes WHERE user_id = $1 AND {column} = $2"
    ))
    .bind(user)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One snooze whose time has come.
#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    user_id: UserId,
    part_id: Option<PartId>,
    category_id: Option<i64>,
    since: String,
}

/// Ends the snoozes due at `now` (on a team database, only this desktop's
/// person's: each desktop ends its own), telling each person once of every
/// part it covered that is still low and that they have not heard of since
/// it began. All in one transaction; returns how many ended.
pub async fn end_due(db: &Database, now: &str) -> CoreResult<usize> {
    let mut tx = db.begin_write().await?;
    let only: Option<UserId> = if db.is_postgres() {
        match crate::inventory::users::current_id(&mut tx).await? {
            Some(me) => Some(me),
            None => return Ok(0),
        }
    } else {
        None
    };
    let due: Vec<Due> = sql::query_as(
        "SELECT id, user_id, part_id, category_id, since FROM snoozes
          WHERE until IS NOT NULL AND until <= $1 AND ($2 IS NULL OR user_id = $2)
          ORDER BY until, id",
    )
    .bind(now)
    .bind(only)
    .fetch_all(&mut *tx)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mut users = Vec::new();
    for snooze in &due {
        sql::query("DELETE FROM snoozes WHERE id = $1")
            .bind(snooze.id)
            .execute(&mut *tx)
            .await?;
        let covered: Vec<PartId> = match (snooze.part_id, snooze.category_id) {
            (Some(part), _) => {
                sql::query_scalar(
                    "WITH RECURSIVE tree(id, depth) AS (
                         SELECT CAST($1 AS BIGINT), 0
                         UNION ALL
                         SELECT p.id, tree.depth + 1 FROM parts p JOIN tree ON p.variant_of = tree.id
                          WHERE tree.depth < 1000
                     )
                     SELECT p.id FROM parts p JOIN tree ON tree.id = p.id
                      WHERE p.alert_low = TRUE AND p.active = TRUE ORDER BY p.id",
                )
                .bind(part)
                .fetch_all(&mut *tx)
                .await?
            }
            (None, Some(category)) => {
                sql::query_scalar(
                    "SELECT p.id FROM parts p
                       JOIN category_paths cp ON cp.descendant_id = p.category_id
                      WHERE cp.ancestor_id = $1 AND p.alert_low = TRUE AND p.active = TRUE
                      ORDER BY p.id",
                )
                .bind(category)
                .fetch_all(&mut *tx)
                .await?
            }
            (None, None) => Vec::new(),
        };
        let (conn, fired) = tx.split();
        let unheard = heard_nothing_since(conn, snooze.user_id, &covered, &snooze.since).await?;
        triggers::snooze_ended(conn, snooze.user_id, &unheard, fired).await?;
        users.push(snooze.user_id);
    }
    tx.announce_after_commit(Announcement::snoozes_ended(users));
    tx.commit().await?;
    Ok(due.len())
}

/// Those of `parts` `user` has had no low- or out-of-stock notification of
/// since `since` (one statement for any number of parts).
async fn heard_nothing_since(
    conn: &mut Conn,
    user: UserId,
    parts: &[PartId],
    since: &str,
) -> CoreResult<Vec<PartId>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    static HEARD: LazyLock<[String; 2]> = LazyLock::new(|| {
        sql::with_json_ids(
            "SELECT DISTINCT part_id FROM notifications
              WHERE user_id = $1 AND kind IN ('low_stock', 'out_of_stock') AND created_at >= $2
                AND part_id IN ({ids})",
            3,
        )
    });
    let heard: Vec<PartId> = sql::query_scalar(sql::Sql::dialects(&HEARD[0], &HEARD[1]))
        .bind(user)
        .bind(since)
        .bind(sqlx::types::Json(parts))
        .fetch_all(&mut *conn)
        .await?;
    Ok(parts
        .iter()
        .copied()
        .filter(|part| !heard.contains(part))
        .collect())
}

/// The moment the next snooze ends (this desktop's person's on a team
/// database; none while nobody works here). Only ends still ahead count: one
/// already past that this desktop may not end (another person's) must not
/// wake it again at once.
async fn next_due(db: &Database) -> CoreResult<Option<String>> {
    let mut conn = db.connection().await?;
    let only = if db.is_postgres() {
        match crate::inventory::users::current_id(&mut conn).await? {
            Some(me) => Some(me),
            None => return Ok(None),
        }
    } else {
        None
    };
    Ok(sql::query_scalar(
        "SELECT MIN(until) FROM snoozes
          WHERE until IS NOT NULL AND until > $2 AND ($1 IS NULL OR user_id = $1)",
    )
    .bind(only)
    .bind(clock::now())
    .fetch_one(&mut conn)
    .await?)
}

/// Ends snoozes as they fall due, for as long as the app runs: at start (a
/// snooze that ended while the app was closed), then at each next end —
/// looking again at least every `recheck` (a snooze set since, on this
/// desktop or another).
pub async fn end_when_due(db: Database, recheck: Duration) {
    loop {
        match end_due(&db, &clock::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} snooze(s) ended"),
            Err(err) => tracing::warn!("could not end the snoozes due: {err}"),
        }
        let wait = match next_due(&db).await {
            Ok(Some(next)) => clock::until(&next).unwrap_or(recheck).min(recheck),
            Ok(None) => recheck,
            Err(err) => {
                tracing::warn!("could not read when the next snooze ends: {err}");
                recheck
            }
        };
        tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
    }
}

/// Whether some snooze may be in force now: the trigger engine looks for
/// snoozed people only then.
pub(crate) async fn any_in_force(conn: &mut Conn, now: &str) -> CoreResult<bool> {
    Ok(
        sql::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM snoozes WHERE until IS NULL OR until > $1)",
        )
        .bind(now)
        .fetch_one(&mut *conn)
        .await?,
    )
}

/// The people snoozing `part` now: the part, a template above it, or its
/// category or one above.
pub(crate) async fn snoozing(conn: &mut Conn, part: PartId, now: &str) -> CoreResult<Vec<UserId>> {
    Ok(sql::query_scalar(
        "WITH RECURSIVE chain(id, depth) AS (
             SELECT CAST($1 AS BIGINT), 0
             UNION ALL
             SELECT p.variant_of, chain.depth + 1 FROM parts p JOIN chain ON p.id = chain.id
              WHERE p.variant_of IS NOT NULL AND chain.depth < 1000
         )
         SELECT DISTINCT s.user_id FROM snoozes s
          WHERE (s.until IS NULL OR s.until > $2)
            AND (s.part_id IN (SELECT id FROM chain)
                 OR s.category_id IN (SELECT cp.ancestor_id FROM parts p
                                        JOIN category_paths cp ON cp.descendant_id = p.category_id
                                       WHERE p.id = $1))",
    )
    .bind(part)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?)
}

/// Ends the "until back in stock" snoozes of `parts` (just back in stock),
/// everyone's; returns whose ended.
pub(crate) async fn end_back_in_stock(
    conn: &mut Conn,
    parts: &[PartId],
) -> CoreResult<Vec<UserId>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sql::query_scalar(sql::Sql::dialects(
        "DELETE FROM snoozes
          WHERE until IS NULL AND part_id IN (SELECT value FROM json_each($1))
         RETURNING user_id",
        // Other people's rows, which this desktop's login may not delete:
        // the server's function ends them.
        "SELECT partwatch_end_snoozes_back_in_stock($1)",
    ))
    .bind(sqlx::types::Json(parts))
    .fetch_all(&mut *conn)
    .await?)
}
