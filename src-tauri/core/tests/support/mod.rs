//! The fixture every integration suite shares: a fresh database in a temp
//! dir with this desktop's user, and the helpers that set up the usual
//! inventory (users, categories, parts, stock, subscriptions).
//!
//! Declared with `mod support;` in each suite. Suite-specific helpers stay in
//! their suite, as free functions or an `impl World { … }` block there.

// Each suite is its own crate and uses a different subset of these.
#![allow(dead_code)]

pub mod harness;

use partwatch_core::inventory::{categories, parts, stock, users};
use partwatch_core::{subscriptions, CoreError, Database};
use partwatch_types::inventory::*;
use partwatch_types::{ErrorCode, Quantity};

/// A quantity from its text ("10", "0.5").
pub fn q(text: &str) -> Quantity {
    text.parse().expect("quantity")
}

/// The error code of a call that must be rejected.
pub fn code<T: std::fmt::Debug>(result: Result<T, CoreError>) -> ErrorCode {
    result.expect_err("must be rejected").code()
}

/// A fingerprint of every table, to prove a rejected call changed nothing.
pub async fn snapshot(db: &Database) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for table in [
        "users",
        "categories",
        "category_paths",
        "parts",
        "locations",
        "stock_items",
        "stock_history",
        "bom_lines",
        "build_orders",
        "instance_settings",
        "part_subscriptions",
        "category_subscriptions",
        "notifications",
        "unread_counts",
        "global_settings",
        "user_settings",
        "email_settings",
        "webhooks",
        "delivery_events",
        "deliveries",
    ] {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(db.pool())
                .await
                .expect("columns");
        assert!(!columns.is_empty(), "no table {table}");
        let row = columns
            .iter()
            .map(|c| format!("quote({c})"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let (count, digest): (i64, String) = sqlx::query_as(&format!(
            "SELECT COUNT(*), COALESCE(group_concat({row}, ';'), '') FROM (SELECT * FROM {table} ORDER BY 1, 2)"
        ))
        .fetch_one(db.pool())
        .await
        .expect("snapshot query");
        out.push((table.to_owned(), count, digest));
    }
    out
}

/// A new stock item with a quantity and nothing else.
pub fn stock_in(part_id: PartId, quantity: &str) -> NewStockItem {
    NewStockItem {
        part_id,
        quantity: q(quantity),
        location_id: None,
        batch: String::new(),
        reason: String::new(),
    }
}

/// A database of its own, in a temp dir that lives as long as the world.
pub struct World {
    pub db: Database,
    pub dir: tempfile::TempDir,
    /// The desktop's current user ("Me"). [`World::empty`] has none and
    /// leaves this `UserId(0)`, which no row has.
    pub me: UserId,
}

/// A fresh database whose current user, "Me", exists (as after a first start).
pub async fn world() -> World {
    let empty = World::empty().await;
    let me = users::current(&empty.db, "Me")
        .await
        .expect("current user")
        .id;
    World { me, ..empty }
}

impl World {
    /// A fresh database with no user at all, for tests of the first start
    /// (or that make their own current user).
    pub async fn empty() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::open_in(dir.path()).await.expect("database");
        World {
            db,
            dir,
            me: UserId(0),
        }
    }

    /// A user with the address `<name in lower case>@lab.example`.
    pub async fn user(&self, name: &str) -> UserId {
        let email = format!("{}@lab.example", name.to_lowercase());
        self.user_with_email(name, Some(&email)).await
    }

    pub async fn user_with_email(&self, name: &str, email: Option<&str>) -> UserId {
        users::create(
            &self.db,
            &NewUser {
                name: name.into(),
                email: email.map(str::to_owned),
            },
        )
        .await
        .expect("user")
        .id
    }

    pub async fn category(&self, name: &str, parent: Option<CategoryId>) -> Category {
        categories::create(
            &self.db,
            &NewCategory {
                name: name.into(),
                description: String::new(),
                parent_id: parent,
            },
        )
        .await
        .expect("category")
    }

    pub async fn part(&self, input: PartInput) -> Part {
        parts::create(&self.db, &input).await.expect("part")
    }

    /// A stock item of `part` holding `quantity` and nothing else.
    pub async fn add_item(&self, part: PartId, quantity: &str) -> StockItemId {
        stock::add_item(&self.db, &stock_in(part, quantity))
            .await
            .expect("stock item")
            .id
    }

    pub async fn remove(&self, item: StockItemId, quantity: &str) {
        stock::adjust(
            &self.db,
            &AdjustStock {
                item_id: item,
                adjustment: StockAdjustment::Remove(q(quantity)),
                reason: "used".into(),
            },
        )
        .await
        .expect("removed");
    }

    pub async fn add(&self, item: StockItemId, quantity: &str) {
        stock::adjust(
            &self.db,
            &AdjustStock {
                item_id: item,
                adjustment: StockAdjustment::Add(q(quantity)),
                reason: "delivery".into(),
            },
        )
        .await
        .expect("added");
    }

    pub async fn watch_part(&self, user: UserId, part: PartId) {
        subscriptions::set_part(&self.db, user, part, true)
            .await
            .expect("subscribed");
    }

    pub async fn watch_category(&self, user: UserId, category: CategoryId) {
        subscriptions::set_category(&self.db, user, category, true)
            .await
            .expect("subscribed");
    }

    /// A part with minimum 10 pcs and one item of 20, watched by `watchers`;
    /// returns (part, item).
    pub async fn watched_part(&self, name: &str, watchers: &[UserId]) -> (PartId, StockItemId) {
        let part = self
            .part(PartInput {
                minimum_stock: q("10"),
                units: "pcs".into(),
                ..PartInput::named(name)
            })
            .await
            .id;
        let item = self.add_item(part, "20").await;
        for &user in watchers {
            self.watch_part(user, part).await;
        }
        (part, item)
    }

    /// Takes a [`World::watched_part`] item from 20 down to 5: below its minimum.
    pub async fn go_low(&self, item: StockItemId) {
        self.remove(item, "15").await;
    }

    /// Puts back what [`World::go_low`] took.
    pub async fn refill(&self, item: StockItemId) {
        self.add(item, "15").await;
    }

    /// The single number a query such as `SELECT COUNT(*) …` returns.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.db.pool())
            .await
            .expect("count")
    }
}
