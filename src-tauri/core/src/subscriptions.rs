//! Who watches what. A part subscription covers the part and every variant
//! below it; a category subscription covers the category, its sub-categories
//! and every part in them. `resolve` answers "who is told about part P, and
//! why" with the nearest subscription as the reason.

use crate::inventory::must_exist;
use crate::sql::{self, Conn};
use crate::{CoreResult, Database};
use partwatch_types::inventory::{CategoryId, CategoryRef, PartId, PartRef, UserId};
use partwatch_types::notifications::{CoveredVia, SubscriptionStatus, Subscriptions};
use sqlx::types::Json;
use std::collections::hash_map::{Entry, HashMap};
use std::sync::LazyLock;

/// Where a subscriber's coverage comes from, nearest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Direct = 0,
    Template = 1,
    Category = 2,
}

/// One user to notify about a part, and why. (How they like to be told is
/// `preferences.rs`'s.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub user_id: UserId,
    pub reason: String,
    pub has_email: bool,
}

/// Who covers which of the parts bound as `$1` (a JSON array of ids), as
/// one JSON row of `[part, user, tier, source, has_email]`, in SQLite's and
/// PostgreSQL's words.
static COVERAGE: LazyLock<[String; 2]> = LazyLock::new(|| {
    let body = "{ORIGIN}
             chain(part, id, depth) AS (
                 SELECT part, part, CAST(0 AS BIGINT) FROM origin
                 UNION ALL
                 SELECT chain.part, p.variant_of, chain.depth + 1 FROM parts p JOIN chain ON p.id = chain.id
                  WHERE p.variant_of IS NOT NULL AND chain.depth < 1000
             ),
             covering(part, user_id, tier, distance, source_id) AS (
                 SELECT chain.part, s.user_id, CASE WHEN chain.depth = 0 THEN 0 ELSE 1 END, chain.depth, chain.id
                   FROM chain JOIN part_subscriptions s ON s.part_id = chain.id
                  WHERE $2 IS NULL OR s.user_id = $2
                 UNION ALL
                 SELECT o.part, s.user_id, 2, cp.depth, cp.ancestor_id
                   FROM origin o
                   JOIN parts p ON p.id = o.part
                   JOIN category_paths cp ON cp.descendant_id = p.category_id
                   JOIN category_subscriptions s ON s.category_id = cp.ancestor_id
                  WHERE $2 IS NULL OR s.user_id = $2
             ),
             rows AS (
                 SELECT c.part, c.user_id, c.tier, c.distance, c.source_id,
                        u.email IS NOT NULL AS has_email
                   FROM covering c
                   JOIN users u ON u.id = c.user_id AND u.active = TRUE
             )
{RESULT}
               FROM rows";
    [
        body.replace("{ORIGIN}", "WITH RECURSIVE origin(part) AS (SELECT DISTINCT value FROM json_each($1)),")
            .replace(
                "{RESULT}",
                "             SELECT json_group_array(json_array(part, user_id, tier, source_id, has_email)
                                     ORDER BY part, user_id, tier, distance)",
            ),
        body.replace(
            "{ORIGIN}",
            "WITH RECURSIVE origin(part) AS (
                 SELECT DISTINCT CAST(value AS BIGINT) FROM jsonb_array_elements_text($1) AS j(value)),",
        )
        .replace(
            "{RESULT}",
            "             SELECT COALESCE(jsonb_agg(jsonb_build_array(part, user_id, tier, source_id,
                                 CAST(has_email AS INTEGER))
                                 ORDER BY part, user_id, tier, distance), '[]')",
        ),
    ]
});

struct Coverage {
    part: PartId,
    user_id: UserId,
    tier: Tier,
    source_id: i64,
    source_name: String,
    has_email: bool,
}

/// Every (active) user covering each of `parts`, optionally only
/// `only_user`, sorted by part, then user, then nearest coverage first. One
/// statement for any number of parts.
async fn coverage(
    conn: &mut Conn,
    parts: &[PartId],
    only_user: Option<UserId>,
) -> CoreResult<Vec<Coverage>> {
    // One JSON row rather than a row per coverage: with thousands of
    // subscribers, rows crossing sqlx's worker thread cost more than the query.
    #[allow(clippy::type_complexity)]
    let Json(rows): Json<Vec<(PartId, UserId, i64, i64, i64)>> =
        sql::query_scalar(sql::Sql::dialects(&COVERAGE[0], &COVERAGE[1]))
            .bind(Json(parts))
            .bind(only_user)
            .fetch_one(&mut *conn)
            .await?;
    // Few distinct sources (the part, its templates, its categories): name them once.
    let mut names: HashMap<(bool, i64), String> = HashMap::new();
    for &(_, _, tier, source_id, ..) in &rows {
        let is_category = tier == 2;
        if let Entry::Vacant(slot) = names.entry((is_category, source_id)) {
            let sql = if is_category {
                "SELECT name FROM categories WHERE id = $1"
            } else {
                "SELECT name FROM parts WHERE id = $1"
            };
            let name: String = sql::query_scalar(sql)
                .bind(source_id)
                .fetch_one(&mut *conn)
                .await?;
            slot.insert(name);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(part, user_id, tier, source_id, has_email)| Coverage {
            part,
            user_id,
            tier: match tier {
                0 => Tier::Direct,
                1 => Tier::Template,
                _ => Tier::Category,
            },
            source_id,
            source_name: names
                .get(&(tier == 2, source_id))
                .cloned()
                .unwrap_or_default(),
            has_email: has_email != 0,
        })
        .collect())
}

/// Whether an active user has an email address; `None` for an inactive or unknown one.
pub(crate) async fn has_email(conn: &mut Conn, user: UserId) -> CoreResult<Option<bool>> {
    Ok(
        sql::query_scalar("SELECT email IS NOT NULL FROM users WHERE id = $1 AND active = TRUE")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The active users to notify about `part`, each once, with the nearest reason.
pub async fn resolve(conn: &mut Conn, part: PartId) -> CoreResult<Vec<Subscriber>> {
    Ok(resolve_many(conn, &[part])
        .await?
        .remove(&part)
        .unwrap_or_default())
}

/// [`resolve`] for many parts at once, in one statement; parts nobody is
/// told about are absent from the map.
pub async fn resolve_many(
    conn: &mut Conn,
    parts: &[PartId],
) -> CoreResult<HashMap<PartId, Vec<Subscriber>>> {
    let mut out: HashMap<PartId, Vec<Subscriber>> = HashMap::new();
    if parts.is_empty() {
        return Ok(out);
    }
    let mut last = None;
    for c in coverage(conn, parts, None).await? {
        if last == Some((c.part, c.user_id)) {
            continue;
        }
        last = Some((c.part, c.user_id));
        let reason = match c.tier {
            Tier::Direct => "you watch this part".to_owned(),
            Tier::Template => format!("you watch template {}", c.source_name),
            Tier::Category => format!("you watch category {}", c.source_name),
        };
        out.entry(c.part).or_default().push(Subscriber {
            user_id: c.user_id,
            reason,
            has_email: c.has_email,
        });
    }
    Ok(out)
}

/// What a bell is on: a part or a category.
#[derive(Debug, Clone, Copy)]
enum Bell {
    Part(PartId),
    Category(CategoryId),
}

impl Bell {
    /// `NotFound` unless the part or category exists.
    async fn must_exist(self, conn: &mut Conn) -> CoreResult<()> {
        match self {
            Bell::Part(part) => must_exist(conn, "parts", "Part", part).await,
            Bell::Category(category) => must_exist(conn, "categories", "Category", category).await,
        }
    }

    /// The table of these subscriptions, its column naming what is
    /// watched, and the id in it.
    fn row(self) -> (&'static str, &'static str, i64) {
        match self {
            Bell::Part(part) => ("part_subscriptions", "part_id", part.get()),
            Bell::Category(category) => ("category_subscriptions", "category_id", category.get()),
        }
    }

    async fn status_in(self, conn: &mut Conn, user: UserId) -> CoreResult<SubscriptionStatus> {
        match self {
            Bell::Part(part) => part_status_in(conn, user, part).await,
            Bell::Category(category) => category_status_in(conn, user, category).await,
        }
    }

    /// The bell's state for `user` (both must exist).
    async fn status(self, db: &Database, user: UserId) -> CoreResult<SubscriptionStatus> {
        let mut conn = db.connection().await?;
        must_exist(&mut conn, "users", "User", user).await?;
        self.must_exist(&mut conn).await?;
        self.status_in(&mut conn, user).await
    }

    /// Presses (or releases) the bell for `user`; answers its new state.
    async fn set(
        self,
        db: &Database,
        user: UserId,
        subscribed: bool,
    ) -> CoreResult<SubscriptionStatus> {
        let mut tx = db.begin_write().await?;
        must_exist(&mut tx, "users", "User", user).await?;
        self.must_exist(&mut tx).await?;
        let (table, column, id) = self.row();
        let sql = if subscribed {
            format!(
                "INSERT INTO {table} (user_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            )
        } else {
            format!("DELETE FROM {table} WHERE user_id = $1 AND {column} = $2")
        };
        sql::query(sql)
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let status = self.status_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(status)
    }
}

pub async fn part_status(
    db: &Database,
    user: UserId,
    part: PartId,
) -> CoreResult<SubscriptionStatus> {
    Bell::Part(part).status(db, user).await
}

async fn part_status_in(
    conn: &mut Conn,
    user: UserId,
    part: PartId,
) -> CoreResult<SubscriptionStatus> {
    let direct: bool = sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM part_subscriptions WHERE user_id = $1 AND part_id = $2)",
    )
    .bind(user)
    .bind(part)
    .fetch_one(&mut *conn)
    .await?;
    let via = coverage(conn, &[part], Some(user))
        .await?
        .into_iter()
        .find(|c| c.tier != Tier::Direct)
        .map(|c| match c.tier {
            Tier::Category => CoveredVia::Category {
                category: CategoryRef {
                    id: CategoryId(c.source_id),
                    name: c.source_name,
                },
            },
            _ => CoveredVia::Template {
                part: PartRef {
                    id: PartId(c.source_id),
                    name: c.source_name,
                },
            },
        });
    Ok(SubscriptionStatus { direct, via })
}

pub async fn category_status(
    db: &Database,
    user: UserId,
    category: CategoryId,
) -> CoreResult<SubscriptionStatus> {
    Bell::Category(category).status(db, user).await
}

async fn category_status_in(
    conn: &mut Conn,
    user: UserId,
    category: CategoryId,
) -> CoreResult<SubscriptionStatus> {
    let rows: Vec<(i64, CategoryId, String)> = sql::query_as(
        "SELECT cp.depth, c.id, c.name
           FROM category_paths cp
           JOIN category_subscriptions s ON s.category_id = cp.ancestor_id AND s.user_id = $1
           JOIN categories c ON c.id = cp.ancestor_id
          WHERE cp.descendant_id = $2
          ORDER BY cp.depth",
    )
    .bind(user)
    .bind(category)
    .fetch_all(&mut *conn)
    .await?;
    let direct = rows.first().is_some_and(|(depth, _, _)| *depth == 0);
    let via = rows
        .into_iter()
        .find(|(depth, _, _)| *depth > 0)
        .map(|(_, id, name)| CoveredVia::Category {
            category: CategoryRef { id, name },
        });
    Ok(SubscriptionStatus { direct, via })
}

/// Presses (or releases) the bell on a part. Subscribing while the part is
/// already low notifies nothing: only the next ok → low transition does.
pub async fn set_part(
    db: &Database,
    user: UserId,
    part: PartId,
    subscribed: bool,
) -> CoreResult<SubscriptionStatus> {
    Bell::Part(part).set(db, user, subscribed).await
}

pub async fn set_category(
    db: &Database,
    user: UserId,
    category: CategoryId,
    subscribed: bool,
) -> CoreResult<SubscriptionStatus> {
    Bell::Category(category).set(db, user, subscribed).await
}

/// The parts and categories a user pressed the bell on, by name.
pub async fn of_user(db: &Database, user: UserId) -> CoreResult<Subscriptions> {
    let mut conn = db.connection().await?;
    must_exist(&mut conn, "users", "User", user).await?;
    let parts = sql::query_as::<(PartId, String)>(
        "SELECT p.id, p.name FROM part_subscriptions s JOIN parts p ON p.id = s.part_id
          WHERE s.user_id = $1 ORDER BY p.name COLLATE NOCASE",
    )
    .bind(user)
    .fetch_all(&mut conn)
    .await?
    .into_iter()
    .map(|(id, name)| PartRef { id, name })
    .collect();
    let categories = sql::query_as::<(CategoryId, String)>(
        "SELECT c.id, c.name FROM category_subscriptions s JOIN categories c ON c.id = s.category_id
          WHERE s.user_id = $1 ORDER BY c.name COLLATE NOCASE",
    )
    .bind(user)
    .fetch_all(&mut conn)
    .await?
    .into_iter()
    .map(|(id, name)| CategoryRef { id, name })
    .collect();
    Ok(Subscriptions { parts, categories })
}
