//! The fixture every integration suite shares: a fresh database in a temp
//! dir with this desktop's user, and the helpers that set up the usual
//! inventory (users, categories, parts, stock, subscriptions).
//!
//! Every database is opened through [`open`]. Beside [`World`]'s helpers are
//! the requests the suites build again and again ([`line`], [`order`],
//! [`adjustment`], [`new_location`], …) and [`PartInputExt`]'s steps for a
//! [`PartInput`].
//!
//! Declared with `mod support;` in each suite. Suite-specific helpers stay in
//! their suite, as free functions or an `impl World { … }` block there.

// Each suite is its own crate and uses a different subset of these.
#![allow(dead_code)]

pub mod harness;
pub mod postgres;

use partwatch_core::inventory::{bom, builds, categories, locations, parts, stock, users};
use partwatch_core::{notifications, preferences, subscriptions, CoreError, CoreResult, Database};
use partwatch_types::inventory::*;
use partwatch_types::notifications::{NotificationKind, PersonalChannel, Preference};
use partwatch_types::{ErrorCode, Quantity};
use std::path::Path;

/// Opens (creating it if need be) the database in the data directory `dir`.
/// Every suite opens its databases through here and nowhere else, so this is
/// the one place that says which database the suites run against.
///
/// `PARTWATCH_TEST_BACKEND=postgres` runs the suites on the harness's
/// PostgreSQL instead: each directory stands for one database there.
pub async fn open(dir: &Path) -> CoreResult<Database> {
    match std::env::var("PARTWATCH_TEST_BACKEND").as_deref() {
        Ok("postgres") => Database::open_postgres(&postgres::database_for(dir).await).await,
        _ => Database::open_in(dir).await,
    }
}

/// The single number (one column of one row) a query such as
/// `SELECT COUNT(*) …` returns.
pub async fn scalar(db: &Database, sql: &str) -> i64 {
    partwatch_core::sql::query_scalar(sql)
        .fetch_one(db)
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
}

/// A quantity from its text ("10", "0.5").
pub fn q(text: &str) -> Quantity {
    text.parse().expect("quantity")
}

/// The error code of a call that must be rejected.
#[track_caller]
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
        "default_preferences",
        "notification_preferences",
        "snoozes",
        "email_settings",
        "webhooks",
        "delivery_events",
        "deliveries",
    ] {
        let columns: Vec<String> =
            partwatch_core::sql::query_scalar(partwatch_core::sql::Sql::dialects(
                "SELECT name FROM pragma_table_info($1)",
                "SELECT column_name::text FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            ))
            .bind(table)
            .fetch_all(db)
            .await
            .expect("columns");
        assert!(!columns.is_empty(), "no table {table}");
        let quote = if db.is_postgres() {
            "quote_nullable"
        } else {
            "quote"
        };
        let row = columns
            .iter()
            .map(|c| format!("{quote}({c})"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let sqlite = format!(
            "SELECT COUNT(*), COALESCE(group_concat({row}, ';'), '') FROM (SELECT * FROM {table} ORDER BY 1, 2)"
        );
        let postgres = format!(
            "SELECT COUNT(*), COALESCE(string_agg({row}, ';'), '') FROM (SELECT * FROM {table} ORDER BY 1, 2) t"
        );
        let (count, digest): (i64, String) =
            partwatch_core::sql::query_as(partwatch_core::sql::Sql::dialects(&sqlite, &postgres))
                .fetch_one(db)
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

/// The steps of a [`PartInput`] built up from [`PartInput::named`]:
/// `PartInput::named("Resistor 10k").variant_of(template).minimum("10")`.
pub trait PartInputExt: Sized {
    fn template(self) -> Self;
    fn assembly(self) -> Self;
    fn variant_of(self, template: PartId) -> Self;
    fn in_category(self, category: CategoryId) -> Self;
    fn minimum(self, quantity: &str) -> Self;
    fn units(self, units: &str) -> Self;
    fn ipn(self, ipn: &str) -> Self;
}

impl PartInputExt for PartInput {
    fn template(self) -> Self {
        PartInput {
            is_template: true,
            ..self
        }
    }

    fn assembly(self) -> Self {
        PartInput {
            is_assembly: true,
            ..self
        }
    }

    fn variant_of(self, template: PartId) -> Self {
        PartInput {
            variant_of: Some(template),
            ..self
        }
    }

    fn in_category(self, category: CategoryId) -> Self {
        PartInput {
            category_id: Some(category),
            ..self
        }
    }

    fn minimum(self, quantity: &str) -> Self {
        PartInput {
            minimum_stock: q(quantity),
            ..self
        }
    }

    fn units(self, units: &str) -> Self {
        PartInput {
            units: units.into(),
            ..self
        }
    }

    fn ipn(self, ipn: &str) -> Self {
        PartInput {
            ipn: Some(ipn.into()),
            ..self
        }
    }
}

/// A BOM line: `quantity` of `sub` in each `assembly`, no variants allowed.
pub fn line(assembly: PartId, sub: PartId, quantity: &str) -> NewBomLine {
    NewBomLine {
        assembly_id: assembly,
        sub_part_id: sub,
        quantity: q(quantity),
        allow_variants: false,
    }
}

/// A build order for `quantity` of `part`, with the suggested reference and
/// nobody responsible.
pub fn order(part: PartId, quantity: &str) -> NewBuildOrder {
    NewBuildOrder {
        reference: String::new(),
        part_id: part,
        quantity: q(quantity),
        responsible_id: None,
    }
}

/// A change of one stock item, with its reason.
pub fn adjustment(item: StockItemId, change: StockAdjustment, reason: &str) -> AdjustStock {
    AdjustStock {
        item_id: item,
        adjustment: change,
        reason: reason.into(),
    }
}

/// The last 100 stock changes of `part`, newest first.
pub fn history_of(part: PartId) -> StockHistoryRequest {
    StockHistoryRequest {
        part_id: part,
        limit: 100,
    }
}

/// A new user with this address, or none.
pub fn new_user(name: &str, email: Option<&str>) -> NewUser {
    NewUser {
        name: name.into(),
        email: email.map(str::to_owned),
    }
}

/// A new category with no description.
pub fn new_category(name: &str, parent: Option<CategoryId>) -> NewCategory {
    NewCategory {
        name: name.into(),
        description: String::new(),
        parent_id: parent,
    }
}

/// A new location with no description.
pub fn new_location(name: &str, parent: Option<LocationId>) -> NewLocation {
    NewLocation {
        parent_id: parent,
        name: name.into(),
        description: String::new(),
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

/// [`world`] on a SQLite file whatever the backend of the run (for moving
/// a SQLite database up to PostgreSQL).
pub async fn sqlite_world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_in(dir.path()).await.expect("database");
    let me = users::current(&db, "Me").await.expect("current user").id;
    World { db, dir, me }
}

impl World {
    /// A fresh database with no user at all, for tests of the first start
    /// (or that make their own current user).
    pub async fn empty() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(dir.path()).await.expect("database");
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
        users::create(&self.db, &new_user(name, email))
            .await
            .expect("user")
            .id
    }

    pub async fn category(&self, name: &str, parent: Option<CategoryId>) -> Category {
        categories::create(&self.db, &new_category(name, parent))
            .await
            .expect("category")
    }

    pub async fn part(&self, input: PartInput) -> Part {
        parts::create(&self.db, &input).await.expect("part")
    }

    /// Replaces everything a user typed for `part` with `input`.
    pub async fn update_part(&self, part: PartId, input: PartInput) -> Part {
        parts::update(&self.db, &UpdatePart { id: part, input })
            .await
            .expect("part updated")
    }

    /// An assembly (a part with a BOM) and nothing else.
    pub async fn assembly(&self, name: &str) -> PartId {
        self.part(PartInput::named(name).assembly()).await.id
    }

    /// A template (a part with variants) with a minimum ("0": none).
    pub async fn template(&self, name: &str, minimum: &str) -> PartId {
        self.part(PartInput::named(name).template().minimum(minimum))
            .await
            .id
    }

    /// A part with a minimum, in a category and/or a variant of a template,
    /// and one stock item holding `stock_qty`; returns (part, item).
    pub async fn stocked(
        &self,
        name: &str,
        minimum: &str,
        stock_qty: &str,
        category: Option<CategoryId>,
        variant_of: Option<PartId>,
    ) -> (PartId, StockItemId) {
        let input = PartInput {
            category_id: category,
            variant_of,
            ..PartInput::named(name).minimum(minimum)
        };
        let part = self.part(input).await.id;
        (part, self.add_item(part, stock_qty).await)
    }

    /// A part's stock figures (in stock, reserved, available, low).
    pub async fn figures(&self, part: PartId) -> StockFigures {
        parts::get(&self.db, part).await.expect("part").figures
    }

    /// A location with no description.
    pub async fn location(&self, name: &str, parent: Option<LocationId>) -> LocationId {
        locations::create(&self.db, &new_location(name, parent))
            .await
            .expect("location")
            .id
    }

    /// A stock item of `part` holding `quantity` and nothing else.
    pub async fn add_item(&self, part: PartId, quantity: &str) -> StockItemId {
        self.put(part, quantity, None, "").await.id
    }

    /// Adds `quantity` of `part` at a place in a batch: a new item, or more
    /// in the one already there.
    pub async fn put(
        &self,
        part: PartId,
        quantity: &str,
        at: Option<LocationId>,
        batch: &str,
    ) -> StockItem {
        stock::add_item(
            &self.db,
            &NewStockItem {
                location_id: at,
                batch: batch.into(),
                ..stock_in(part, quantity)
            },
        )
        .await
        .expect("stock added")
    }

    pub async fn adjust(
        &self,
        item: StockItemId,
        change: StockAdjustment,
        reason: &str,
    ) -> StockItem {
        stock::adjust(&self.db, &adjustment(item, change, reason))
            .await
            .expect("adjusted")
    }

    pub async fn remove(&self, item: StockItemId, quantity: &str) {
        self.adjust(item, StockAdjustment::Remove(q(quantity)), "used")
            .await;
    }

    pub async fn add(&self, item: StockItemId, quantity: &str) {
        self.adjust(item, StockAdjustment::Add(q(quantity)), "delivery")
            .await;
    }

    /// Adds a BOM line (see [`line`]).
    pub async fn add_line(&self, line: NewBomLine) -> BomLine {
        bom::add_line(&self.db, &line).await.expect("BOM line")
    }

    /// Creates a build order (see [`order`]).
    pub async fn build(&self, order: NewBuildOrder) -> CreatedBuildOrder {
        builds::create(&self.db, &order).await.expect("build order")
    }

    pub async fn set_status(&self, order: BuildOrderId, status: BuildStatus) -> BuildOrder {
        builds::set_status(&self.db, &SetBuildStatus { id: order, status })
            .await
            .expect("status set")
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
            .part(PartInput::named(name).minimum("10").units("pcs"))
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

    /// Switches email on, with a mail server on 127.0.0.1:2525 that nothing
    /// here needs to reach (the suites give the worker their own channel).
    pub async fn mail_on(&self) {
        partwatch_core::delivery::email::save_settings(
            &self.db,
            &partwatch_types::delivery::SaveEmailSettings {
                enabled: true,
                host: "127.0.0.1".into(),
                port: 2525,
                security: partwatch_types::delivery::EmailSecurity::None,
                username: None,
                password: partwatch_types::delivery::PasswordChange::Clear,
                from_address: "Partwatch <stores@lab.example>".into(),
                instance_name: "Lab".into(),
            },
        )
        .await
        .expect("email settings");
    }

    /// Sets cells of `user`'s preference matrix.
    pub async fn prefer(&self, user: UserId, cells: &[(NotificationKind, PersonalChannel, bool)]) {
        let cells: Vec<Preference> = cells
            .iter()
            .map(|&(event, channel, enabled)| Preference {
                event,
                channel,
                enabled,
            })
            .collect();
        preferences::update_mine(&self.db, user, &cells)
            .await
            .expect("preferences");
    }

    /// How many of `user`'s notifications are unread (the bell's number).
    pub async fn unread(&self, user: UserId) -> i64 {
        notifications::unread_count(&self.db, user)
            .await
            .expect("unread count")
    }

    /// The single number a query such as `SELECT COUNT(*) …` returns.
    pub async fn count(&self, sql: &str) -> i64 {
        scalar(&self.db, sql).await
    }
}
