//! A bounded property test over every command's request type, through the
//! core exactly as the shell's router calls it (src-tauri/src/commands/mod.rs).
//!
//! Random and boundary values (ids that exist and ids that cannot, quantities
//! at and beyond their limits, empty, huge and hostile text, every enum
//! variant, empty and huge id lists) go through each command's core call.
//! The properties:
//!
//! * nothing panics (or hangs);
//! * a failure is a `CoreError` whose `code()` is in the closed `ErrorCode`
//!   set and whose message is a sentence a user can read (non-empty, at
//!   most 1000 characters, no control, invisible or direction-changing
//!   characters, ending like a sentence);
//! * a rejected call changes nothing (`support::snapshot` before == after,
//!   and this desktop still works as the same user);
//! * after every call the stock adds up (see [`broken_invariant`]): each
//!   part's `own_stock` is the sum of its items, `total_stock` that plus its
//!   variants' totals; no two items of a part share a location and batch;
//!   each location's path is its parent's path and its name; a build order
//!   is complete exactly when all of it has been made.
//!
//! An accepted call may change the world; the next round snapshots it anew.
//! The answer of an accepted call must serialize (the shell sends it as JSON)
//! and decode again (the UI reads it with the same types).
//!
//! Deterministic: a xorshift PRNG with a fixed seed in the suite, printed and
//! overridable with `PARTWATCH_FUZZ_SEED`; `PARTWATCH_FUZZ_ROUNDS` sets the number of random
//! rounds (after one round of every command in turn).
//!
//! Skipped, because they reach outside the process (see [`SKIPPED`]):
//! `send_test_email` (connects to a mail server), `send_test_webhook` (posts
//! over HTTP). Of the desktop commands only the OS's start-at-login entry
//! (`tauri_plugin_autostart`) and the tray refresh are left out: the core
//! calls of `desktop_status`, `update_desktop`, `pause_popups` and
//! `resume_popups` are all made.
//!
//! A defect found here is not fixed here: it is recorded in [`KNOWN`], which
//! skips only that exact case, so the test stays green and the list says what
//! is still wrong.

use partwatch_core::delivery::{self, email, webhook};
use partwatch_core::inventory::{
    bom, builds, categories, demo, locations, parts, production, stock, users,
};
use partwatch_core::{
    desktop, logins, notifications, preferences, settings, snoozes, subscriptions,
};
use partwatch_core::{CoreError, CoreResult, Database};
use partwatch_types::commands::{self, Command};
use partwatch_types::delivery::{
    ChannelKind, DeliveryId, DeliveryQuery, DeliveryStatus, EmailSecurity, PasswordChange,
    SaveEmailSettings, UpdateWebhook, WebhookId, WebhookInput, WebhookKind,
};
use partwatch_types::desktop::{DesktopSettings, PauseFor, UpdateDesktop};
use partwatch_types::inventory::*;
use partwatch_types::notifications::{
    Digest, EmailDigest, Folder, GlobalSettings, MarkNotifications, NotificationId,
    NotificationKind, NotificationQuery, PersonalChannel, Preference, QuietHours, Reminder,
    SetCategorySubscription, SetPartSubscription, SetQuietHours, SetSnooze, SnoozeLength,
    SnoozeTarget,
};
use partwatch_types::{ErrorCode, Quantity};
use std::time::{Duration, Instant};

mod support;
use support::{line, order, snapshot, world, PartInputExt, World};

/// Random rounds when `PARTWATCH_FUZZ_ROUNDS` is not set: with the seeding
/// and the first round of every command, about 14 s in the dev profile
/// (measured: 13.5–15.8 s for 1272 calls, the invariants checked after each).
const DEFAULT_ROUNDS: u64 = 1200;

/// The OS user name the shell passes to `users::current`.
const OS_USER_NAME: &str = "Me";

/// A call that takes longer than this is reported as a hang.
const HANG: Duration = Duration::from_secs(60);

/// Commands this test does not call, and why. (`update_desktop` is called
/// without its start-at-login half, which changes an OS setting through
/// `tauri_plugin_autostart`; `desktop_status` without reading that setting;
/// `pause_popups` and `resume_popups` without the tray refresh.)
const SKIPPED: &[(&str, &str)] = &[
    (
        commands::SendTestEmailCommand::NAME,
        "connects to the configured mail server (network)",
    ),
    (
        commands::SendTestWebhook::NAME,
        "posts to the webhook's URL (network)",
    ),
    (
        commands::GetDatabaseProblem::NAME,
        "the shell's record of opening the database; tests/e2e/team.rs",
    ),
    (
        commands::RetryDatabase::NAME,
        "reopens the shell's database; tests/e2e/team.rs",
    ),
    (
        commands::UseOwnDatabase::NAME,
        "reopens the shell's database; tests/e2e/team.rs",
    ),
    (
        commands::GetTeamDatabase::NAME,
        "the shell's record of the open database; tests/e2e/team.rs",
    ),
    (
        commands::CheckTeamDatabase::NAME,
        "connects to a PostgreSQL server (network); tests/migrations.rs",
    ),
    (
        commands::ChooseTeamDatabase::NAME,
        "a file in the data directory; team.rs's unit tests",
    ),
    (
        commands::MoveToTeamDatabase::NAME,
        "needs an empty PostgreSQL database (network); tests/moving.rs",
    ),
    (
        commands::GetTeamLink::NAME,
        "the shell's listener to a team database (no request); tests/team.rs",
    ),
    (
        commands::ImportFilesCommand::NAME,
        "whole CSV files, not one request's fields; tests/import.rs and tests/e2e/moving_in.rs",
    ),
    (
        commands::SaveSkippedRowsCommand::NAME,
        "writes into the user's Downloads folder; tests/import.rs",
    ),
    (
        commands::ExportPartsCommand::NAME,
        "no request; writes into the user's Downloads folder; tests/import.rs and tests/e2e/moving_in.rs",
    ),
    (
        commands::TakeStartLink::NAME,
        "the shell's record of its command line (no request); tests/e2e/desktop.rs",
    ),
];

// ---------------------------------------------------------------- the PRNG

/// xorshift64*: small, deterministic, good enough to pick test values.
struct Rng {
    state: u64,
    /// How wild the current request is, 0..=10: each value is a hostile or
    /// boundary one `wild` times in ten, else a plain valid one (so calls
    /// also get past validation into the deeper paths).
    wild: usize,
}

impl Rng {
    fn new(seed: u64) -> Self {
        // xorshift never leaves 0; mix the seed so small seeds differ at once.
        Rng {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            wild: 10,
        }
    }

    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// This value is a wild one (see `wild`).
    fn wild(&mut self) -> bool {
        self.below(10) < self.wild
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bool(&mut self) -> bool {
        self.next() & 1 == 1
    }

    /// True once in `n` times.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.one_in(3) {
            None
        } else {
            Some(value(self))
        }
    }
}

// ---------------------------------------------------------------- the ids that exist

/// The ids in the database now, so a good share of requests name real rows.
#[derive(Default)]
struct Existing {
    users: Vec<i64>,
    categories: Vec<i64>,
    parts: Vec<i64>,
    items: Vec<i64>,
    /// (item, its part), so merges can name items of one part.
    item_parts: Vec<(i64, i64)>,
    locations: Vec<i64>,
    bom_lines: Vec<i64>,
    builds: Vec<i64>,
    /// Pending or in production, with what is left to build (milli): what
    /// a completion can name.
    open_builds: Vec<(i64, i64)>,
    assemblies: Vec<i64>,
    notifications: Vec<i64>,
    webhooks: Vec<i64>,
    deliveries: Vec<i64>,
}

async fn existing(db: &Database) -> Existing {
    async fn column(db: &Database, sql: &str) -> Vec<i64> {
        partwatch_core::sql::query_scalar(sql)
            .fetch_all(db)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }
    async fn pairs(db: &Database, sql: &str) -> Vec<(i64, i64)> {
        partwatch_core::sql::query_as(sql)
            .fetch_all(db)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }
    async fn ids(db: &Database, table: &str) -> Vec<i64> {
        column(db, &format!("SELECT id FROM {table} ORDER BY id")).await
    }
    Existing {
        users: ids(db, "users").await,
        categories: ids(db, "categories").await,
        parts: ids(db, "parts").await,
        items: ids(db, "stock_items").await,
        item_parts: pairs(db, "SELECT id, part_id FROM stock_items ORDER BY id").await,
        locations: ids(db, "locations").await,
        bom_lines: ids(db, "bom_lines").await,
        builds: ids(db, "build_orders").await,
        open_builds: pairs(
            db,
            "SELECT id, quantity - completed FROM build_orders
              WHERE status IN ('pending', 'in_production') ORDER BY id",
        )
        .await,
        assemblies: column(db, "SELECT id FROM parts WHERE is_assembly ORDER BY id").await,
        notifications: ids(db, "notifications").await,
        webhooks: ids(db, "webhooks").await,
        deliveries: ids(db, "deliveries").await,
    }
}

// ---------------------------------------------------------------- value generators

/// An id: mostly one that exists, else 0, -1, the extremes or a random one.
fn id(rng: &mut Rng, existing: &[i64]) -> i64 {
    if !rng.wild() && !existing.is_empty() {
        return rng.pick(existing);
    }
    match rng.below(10) {
        0..=5 if !existing.is_empty() => rng.pick(existing),
        0..=5 => 1,
        6 => rng.pick(&[0, -1, i64::MAX, i64::MIN]),
        7 => existing.iter().max().copied().unwrap_or(0).wrapping_add(1),
        8 => rng.below(1000) as i64,
        _ => rng.next() as i64,
    }
}

/// A list of ids: empty, a few (some real), or 10 000.
fn id_list(rng: &mut Rng, existing: &[i64]) -> Vec<i64> {
    if !rng.wild() {
        return (0..1 + rng.below(3)).map(|_| id(rng, existing)).collect();
    }
    match rng.below(6) {
        0 => Vec::new(),
        1 => (0..10_000)
            .map(|_| {
                if rng.bool() {
                    id(rng, existing)
                } else {
                    rng.next() as i64
                }
            })
            .collect(),
        2 => existing.to_vec(),
        _ => (0..1 + rng.below(5)).map(|_| id(rng, existing)).collect(),
    }
}

/// A quantity: sensible, at a boundary, beyond it, or parsed from text.
fn quantity(rng: &mut Rng) -> Quantity {
    if !rng.wild() {
        return Quantity::from_milli(rng.below(50_000) as i64);
    }
    match rng.below(10) {
        0 => Quantity::from_milli(rng.pick(&[
            0,
            1,
            -1,
            i64::MAX,
            i64::MIN,
            1_000_000_000_000_000,
            999_999_999_999_999,
        ])),
        1 => Quantity::from_milli(rng.next() as i64),
        2 => {
            let text = rng.pick(&[
                "0",
                "1",
                "0.001",
                "0.5",
                "999999999999.999",
                "1000000000000",
                "12.0001",
                "-1",
                "1e3",
                " 7 ",
                "",
                "x",
            ]);
            text.parse()
                .unwrap_or_else(|_| Quantity::from_milli(rng.below(100_000) as i64))
        }
        _ => Quantity::from_milli(rng.below(50_000) as i64),
    }
}

/// A quantity a few units large (so stock can cover it), or a wild one.
fn small_quantity(rng: &mut Rng) -> Quantity {
    if rng.wild() {
        return quantity(rng);
    }
    match rng.below(3) {
        0 => Quantity::whole(1 + rng.below(3) as i64),
        _ => Quantity::from_milli(1 + rng.below(5_000) as i64),
    }
}

/// Text: plain and valid, or empty, huge, or full of characters that must
/// not get in (controls, bidi overrides, invisible ones, separators, NUL),
/// or that must get in intact (combining marks, emoji, CJK, RTL letters,
/// SQL and HTML metacharacters).
fn text(rng: &mut Rng) -> String {
    if !rng.wild() {
        return match rng.below(12) {
            0 => "電阻器 抵抗".into(),
            1 => "🦀 Ferris 🔩".into(),
            2 => "مقاومة עברית".into(),
            3 => "'; DROP TABLE parts; --".into(),
            4 => "<b>&\"x\"</b>".into(),
            5 => "e\u{301}\u{301} %_".into(),
            _ => format!("Thing {}", rng.below(100_000)),
        };
    }
    match rng.below(30) {
        0 => String::new(),
        1 => " ".into(),
        2 => "x".into(),
        3 => "a".repeat(100 * 1024),
        4 if rng.one_in(3) => "b".repeat(1024 * 1024),
        5 => "bell\u{7}\u{1b}[31mred".into(),
        6 => "\u{202E}evil.exe".into(),
        7 => "zero\u{200B}width".into(),
        8 => "line\u{2028}separator".into(),
        9 => "nul\0byte".into(),
        10 => "e\u{301}\u{301}\u{301}\u{20DD}".into(),
        11 => "🦀 Ferris 🔩".into(),
        12 => "電阻器 抵抗".into(),
        13 => "مقاومة עברית".into(),
        14 => "'; DROP TABLE parts; --".into(),
        15 => "<b>&\"x\"</b>".into(),
        16 => "tab\there".into(),
        17 => "two\nlines".into(),
        18 => "%_\\ LIKE".into(),
        19 => "\u{FEFF}bom\u{00A0}nbsp".into(),
        20 => (0..1 + rng.below(12))
            .filter_map(|_| char::from_u32(rng.below(0x11_0000) as u32))
            .collect(),
        21 => format!("  padded {}  ", rng.below(100)),
        22 => "Resistors".into(),
        23 => "Board".into(),
        _ => format!("Thing {}", rng.below(100_000)),
    }
}

/// An optional email address: blank, valid, or not one at all.
fn email_address(rng: &mut Rng) -> Option<String> {
    if !rng.wild() {
        return rng.option(|rng| format!("user{}@lab.example", rng.below(1000)));
    }
    rng.option(|rng| match rng.below(8) {
        0 => format!("user{}@lab.example", rng.below(1000)),
        1 => "ada@lab.example".into(),
        2 => rng
            .pick(&[
                "not an email",
                "@",
                "a@b",
                "a@@b.c",
                "a@b.c\r\nBcc: x@y.z",
                "<a@b.c>",
                "\"q\"@b.c",
            ])
            .into(),
        3 => format!("{}@lab.example", "l".repeat(300)),
        _ => text(rng),
    })
}

fn category_id(rng: &mut Rng, e: &Existing) -> CategoryId {
    CategoryId(id(rng, &e.categories))
}

fn part_id(rng: &mut Rng, e: &Existing) -> PartId {
    PartId(id(rng, &e.parts))
}

fn user_id(rng: &mut Rng, e: &Existing) -> UserId {
    UserId(id(rng, &e.users))
}

fn item_id(rng: &mut Rng, e: &Existing) -> StockItemId {
    StockItemId(id(rng, &e.items))
}

fn location_id(rng: &mut Rng, e: &Existing) -> LocationId {
    LocationId(id(rng, &e.locations))
}

/// A location name: text, or one that clashes with the seeded tree, holds
/// the path separator, or is too long for a name.
fn location_name(rng: &mut Rng) -> String {
    if rng.wild() && rng.one_in(3) {
        return match rng.below(5) {
            0 => rng
                .pick(&["Drawer A3", "drawer a3", "Shelf B", "Store", "Bin 1"])
                .into(),
            1 => "Shelf › B".into(),
            2 => "›".into(),
            3 => "n".repeat(101),
            _ => format!(" Bin {} ", rng.below(10)),
        };
    }
    text(rng)
}

/// Items to merge into `into`: mostly the other items of its part, else
/// any list of ids.
fn merge_from(rng: &mut Rng, e: &Existing, into: StockItemId) -> Vec<StockItemId> {
    let part = e
        .item_parts
        .iter()
        .find(|(item, _)| *item == into.get())
        .map(|(_, part)| *part);
    let siblings: Vec<i64> = e
        .item_parts
        .iter()
        .filter(|(item, of)| Some(*of) == part && *item != into.get())
        .map(|(item, _)| *item)
        .collect();
    let ids = if !rng.wild() && !siblings.is_empty() {
        siblings
            .into_iter()
            .filter(|_| rng.below(3) != 0)
            .collect::<Vec<_>>()
    } else {
        id_list(rng, &e.items)
    };
    ids.into_iter().map(StockItemId).collect()
}

/// Stock a user picks for a completion: none, or a few items (some of the
/// build's parts, some not) with quantities.
fn chosen(rng: &mut Rng, e: &Existing) -> Vec<ChosenStock> {
    let n = if rng.wild() {
        rng.pick(&[0, 1, 3, 50])
    } else {
        rng.below(3)
    };
    (0..n)
        .map(|_| ChosenStock {
            item_id: item_id(rng, e),
            quantity: if rng.wild() {
                quantity(rng)
            } else {
                Quantity::from_milli(1 + rng.below(5_000) as i64)
            },
        })
        .collect()
}

fn limit(rng: &mut Rng) -> i64 {
    if !rng.wild() {
        let random = 1 + rng.below(200) as i64;
        return rng.pick(&[0, 1, 50, 100, random]);
    }
    let random = [rng.next() as i64, rng.below(200) as i64];
    rng.pick(&[
        0,
        1,
        -1,
        50,
        100,
        1000,
        10_000,
        i64::MAX,
        i64::MIN,
        random[0],
        random[1],
    ])
}

fn kinds(rng: &mut Rng) -> Vec<NotificationKind> {
    match rng.below(4) {
        0 => Vec::new(),
        1 => NotificationKind::ALL.to_vec(),
        2 => vec![NotificationKind::LowStock; 3],
        _ => NotificationKind::ALL
            .into_iter()
            .filter(|_| rng.bool())
            .collect(),
    }
}

fn url(rng: &mut Rng) -> String {
    if !rng.wild() {
        return format!("https://hooks.lab.example/services/{}", rng.below(10_000));
    }
    match rng.below(12) {
        0 => String::new(),
        1 => "ftp://x".into(),
        2 => "http://".into(),
        3 => format!("https://example.com/{}", "p".repeat(10 * 1024)),
        4 => "javascript:alert(1)".into(),
        5 => "https://exa mple.com/hook".into(),
        6 => "http://127.0.0.1:1/hook".into(),
        7 => "https://user:pass@example.com/<script>".into(),
        8 => "http://[::1]:0/".into(),
        9 => text(rng),
        _ => format!("https://hooks.example.com/services/{}", rng.below(10_000)),
    }
}

fn webhook_input(rng: &mut Rng) -> WebhookInput {
    WebhookInput {
        name: text(rng),
        kind: rng.pick(&WebhookKind::ALL),
        url: url(rng),
        events: kinds(rng),
        enabled: rng.bool(),
    }
}

fn part_input(rng: &mut Rng, e: &Existing) -> PartInput {
    PartInput {
        name: text(rng),
        ipn: rng.option(text),
        description: text(rng),
        category_id: rng.option(|rng| category_id(rng, e)),
        units: if rng.bool() { "pcs".into() } else { text(rng) },
        is_template: rng.bool(),
        variant_of: rng.option(|rng| part_id(rng, e)),
        is_assembly: rng.bool(),
        active: rng.bool(),
        minimum_stock: quantity(rng),
    }
}

fn build_reference(rng: &mut Rng) -> String {
    if !rng.wild() {
        return match rng.below(2) {
            0 => String::new(),
            _ => format!("BO-{:04}", rng.below(10_000)),
        };
    }
    match rng.below(8) {
        0 => String::new(),
        1 => format!("BO-{}", "9".repeat(25)),
        2 => format!("BO-{}", "1".repeat(25)),
        3 => "BO-9223372036854775807".into(),
        4 => "BO-0001".into(),
        5 => rng.pick(&["BO--1", "bo-7", "BO-", "BO-1.5", "BO-٣"]).into(),
        6 => format!("BO-{:04}", rng.below(10_000)),
        _ => text(rng),
    }
}

// ---------------------------------------------------------------- the requests

/// Declares [`Req`], one variant per covered command holding exactly that
/// command's `Request` type, so a changed contract breaks this test's build.
macro_rules! requests {
    ($($variant:ident = $command:ty,)+) => {
        #[derive(Debug, Clone)]
        enum Req {
            $($variant(<$command as Command>::Request),)+
        }

        impl Req {
            fn name(&self) -> &'static str {
                match self {
                    $(Req::$variant(_) => <$command as Command>::NAME,)+
                }
            }

            /// Whether the request survives IPC: the router decodes it with
            /// the same types, so one that does not decode (a quantity of a
            /// trillion or more) never reaches the core that way.
            fn deliverable(&self) -> bool {
                match self {
                    $(Req::$variant(request) => {
                        let json = serde_json::to_string(request).expect("every request serializes");
                        serde_json::from_str::<<$command as Command>::Request>(&json).is_ok()
                    })+
                }
            }
        }

        /// Every command this test calls, in the order of [`generate`].
        const COVERED: &[&str] = &[$(<$command as Command>::NAME),+];
    };
}

requests! {
    AppInfo = commands::AppInfoCommand,
    InventoryStatus = commands::GetInventoryStatus,
    LoadDemo = commands::LoadDemo,
    StartEmpty = commands::StartEmpty,
    CurrentUser = commands::CurrentUser,
    ListUsers = commands::ListUsers,
    CreateUser = commands::CreateUser,
    UpdateUser = commands::UpdateUserCommand,
    SetUserActive = commands::SetUserActiveCommand,
    SwitchUser = commands::SwitchUser,
    CategoryTree = commands::CategoryTree,
    GetCategory = commands::GetCategory,
    CreateCategory = commands::CreateCategory,
    UpdateCategory = commands::UpdateCategoryCommand,
    MoveCategory = commands::MoveCategoryCommand,
    DeleteCategory = commands::DeleteCategoryCommand,
    ListParts = commands::ListParts,
    GetPart = commands::GetPart,
    CreatePart = commands::CreatePart,
    UpdatePart = commands::UpdatePartCommand,
    DeletePart = commands::DeletePart,
    StockItems = commands::StockItems,
    StockHistory = commands::StockHistory,
    AddStockItem = commands::AddStockItem,
    AdjustStock = commands::AdjustStockCommand,
    DeleteStockItem = commands::DeleteStockItem,
    BomLines = commands::BomLines,
    AddBomLine = commands::AddBomLine,
    UpdateBomLine = commands::UpdateBomLineCommand,
    RemoveBomLine = commands::RemoveBomLine,
    ListBuilds = commands::ListBuilds,
    GetBuild = commands::GetBuild,
    SuggestBuildReference = commands::SuggestBuildReference,
    CreateBuild = commands::CreateBuild,
    SetBuildStatus = commands::SetBuildStatusCommand,
    PartSubscription = commands::PartSubscription,
    CategorySubscription = commands::CategorySubscription,
    SetPartSubscription = commands::SetPartSubscriptionCommand,
    SetCategorySubscription = commands::SetCategorySubscriptionCommand,
    MySubscriptions = commands::MySubscriptions,
    ListNotifications = commands::ListNotifications,
    UnreadCount = commands::UnreadCount,
    MarkNotifications = commands::MarkNotificationsCommand,
    MarkAllRead = commands::MarkAllRead,
    DeleteNotifications = commands::DeleteNotifications,
    DeleteHistory = commands::DeleteHistory,
    GetGlobalSettings = commands::GetGlobalSettings,
    UpdateGlobalSettings = commands::UpdateGlobalSettings,
    MyPreferences = commands::MyPreferences,
    UpdateMyPreferences = commands::UpdateMyPreferences,
    GetEmailSettings = commands::GetEmailSettings,
    SaveEmailSettings = commands::SaveEmailSettingsCommand,
    ListWebhooks = commands::ListWebhooks,
    CreateWebhook = commands::CreateWebhook,
    UpdateWebhook = commands::UpdateWebhookCommand,
    DeleteWebhook = commands::DeleteWebhook,
    ListDeliveries = commands::ListDeliveries,
    RetryDelivery = commands::RetryDelivery,
    DesktopStatus = commands::GetDesktopStatus,
    UpdateDesktop = commands::UpdateDesktopCommand,
    PausePopups = commands::PausePopups,
    ResumePopups = commands::ResumePopups,
    ListLocations = commands::ListLocations,
    GetLocation = commands::GetLocation,
    CreateLocation = commands::CreateLocation,
    UpdateLocation = commands::UpdateLocationCommand,
    DeleteLocation = commands::DeleteLocation,
    TransferStock = commands::TransferStockCommand,
    MergeStock = commands::MergeStockCommand,
    WhereUsed = commands::WhereUsed,
    CompleteBuild = commands::CompleteBuildCommand,
    CheckBuild = commands::CheckBuildCommand,
    SignInChoices = commands::SignInChoicesCommand,
    SignIn = commands::SignInCommand,
    Permissions = commands::GetPermissions,
    UpdateTeamDefaultPreferences = commands::UpdateTeamDefaultPreferences,
    GetSnooze = commands::GetSnooze,
    SetSnooze = commands::SetSnoozeCommand,
    EndSnooze = commands::EndSnooze,
    UpdateMyReminder = commands::UpdateMyReminder,
    UpdateMyQuietHours = commands::UpdateMyQuietHours,
    UpdateMyDigest = commands::UpdateMyDigest,
}

/// A part or a category to snooze (mostly one that exists).
fn snooze_target(rng: &mut Rng, e: &Existing) -> SnoozeTarget {
    if rng.bool() {
        SnoozeTarget::Part(PartId(id(rng, &e.parts)))
    } else {
        SnoozeTarget::Category(CategoryId(id(rng, &e.categories)))
    }
}

/// How long to snooze: each length, now and then a date that is none, past
/// or too far, or far too long.
fn snooze_length(rng: &mut Rng) -> SnoozeLength {
    let kinds = if rng.wild() { 6 } else { 4 };
    match rng.below(kinds) {
        0 => SnoozeLength::Day,
        1 => SnoozeLength::Week,
        2 => SnoozeLength::BackInStock,
        3 => SnoozeLength::Until {
            date: "2027-01-15".into(),
        },
        4 => SnoozeLength::Until {
            date: rng
                .pick(&["", "2020-01-01", "2099-12-31", "31.12.2026", "2026-02-30"])
                .into(),
        },
        _ => SnoozeLength::Until {
            date: "x".repeat(rng.below(5000)),
        },
    }
}

/// Cells of the preference matrix: some of them, in any order, now and then
/// a test notification's or one listed twice.
fn preference_cells(rng: &mut Rng) -> Vec<Preference> {
    let count = rng.below(12);
    (0..count)
        .map(|_| Preference {
            event: if rng.wild() {
                rng.pick(&NotificationKind::ALL)
            } else {
                rng.pick(&NotificationKind::EVENTS)
            },
            channel: rng.pick(&PersonalChannel::ALL),
            enabled: rng.bool(),
        })
        .collect()
}

/// A request for the `which`th command of [`COVERED`].
fn generate(rng: &mut Rng, e: &Existing, which: usize) -> Req {
    match which {
        0 => Req::AppInfo(()),
        1 => Req::InventoryStatus(()),
        2 => Req::LoadDemo(()),
        3 => Req::StartEmpty(()),
        4 => Req::CurrentUser(()),
        5 => Req::ListUsers(()),
        6 => Req::CreateUser(NewUser {
            name: text(rng),
            email: email_address(rng),
        }),
        7 => Req::UpdateUser(UpdateUser {
            id: user_id(rng, e),
            name: text(rng),
            email: email_address(rng),
        }),
        8 => Req::SetUserActive(SetUserActive {
            id: user_id(rng, e),
            active: rng.bool(),
        }),
        9 => Req::SwitchUser(user_id(rng, e)),
        10 => Req::CategoryTree(()),
        11 => Req::GetCategory(category_id(rng, e)),
        12 => Req::CreateCategory(NewCategory {
            name: text(rng),
            description: text(rng),
            parent_id: rng.option(|rng| category_id(rng, e)),
        }),
        13 => Req::UpdateCategory(UpdateCategory {
            id: category_id(rng, e),
            update: CategoryUpdate {
                name: text(rng),
                description: text(rng),
            },
        }),
        14 => Req::MoveCategory(MoveCategory {
            id: category_id(rng, e),
            parent_id: rng.option(|rng| category_id(rng, e)),
        }),
        15 => Req::DeleteCategory(DeleteCategory {
            id: category_id(rng, e),
            contents: match rng.below(3) {
                0 => CategoryContentsGo::Nowhere,
                1 => CategoryContentsGo::ToParent,
                _ => CategoryContentsGo::To(category_id(rng, e)),
            },
        }),
        16 => Req::ListParts(PartQuery {
            category_id: rng.option(|rng| category_id(rng, e)),
            include_subcategories: rng.bool(),
            search: if rng.bool() { String::new() } else { text(rng) },
            low_only: rng.bool(),
            active: rng.option(Rng::bool),
            templates_only: rng.bool(),
            assemblies_only: rng.bool(),
            watched_by: rng.option(|rng| user_id(rng, e)),
            sort: rng.pick(&[
                PartSort::Name,
                PartSort::Ipn,
                PartSort::InStock,
                PartSort::Minimum,
                PartSort::Category,
            ]),
            descending: rng.bool(),
            page: limit(rng),
            page_size: limit(rng),
        }),
        17 => Req::GetPart(part_id(rng, e)),
        18 => Req::CreatePart(part_input(rng, e)),
        19 => Req::UpdatePart(UpdatePart {
            id: part_id(rng, e),
            input: part_input(rng, e),
        }),
        20 => Req::DeletePart(part_id(rng, e)),
        21 => Req::StockItems(part_id(rng, e)),
        22 => Req::StockHistory(StockHistoryRequest {
            part_id: part_id(rng, e),
            limit: limit(rng),
        }),
        23 => Req::AddStockItem(NewStockItem {
            part_id: part_id(rng, e),
            quantity: quantity(rng),
            location_id: rng.option(|rng| location_id(rng, e)),
            batch: if rng.bool() {
                rng.pick(&["", "L1", "L2"]).into()
            } else {
                text(rng)
            },
            reason: text(rng),
        }),
        24 => Req::AdjustStock(AdjustStock {
            item_id: StockItemId(id(rng, &e.items)),
            adjustment: match rng.below(3) {
                0 => StockAdjustment::Add(quantity(rng)),
                1 => StockAdjustment::Remove(quantity(rng)),
                _ => StockAdjustment::Count(quantity(rng)),
            },
            reason: text(rng),
        }),
        25 => Req::DeleteStockItem(DeleteStock {
            item_id: StockItemId(id(rng, &e.items)),
            reason: text(rng),
        }),
        26 => Req::BomLines(part_id(rng, e)),
        27 => Req::AddBomLine(NewBomLine {
            assembly_id: part_id(rng, e),
            sub_part_id: part_id(rng, e),
            quantity: quantity(rng),
            allow_variants: rng.bool(),
        }),
        28 => Req::UpdateBomLine(UpdateBomLine {
            id: BomLineId(id(rng, &e.bom_lines)),
            quantity: quantity(rng),
            allow_variants: rng.bool(),
        }),
        29 => Req::RemoveBomLine(BomLineId(id(rng, &e.bom_lines))),
        30 => Req::ListBuilds(rng.option(|rng| rng.pick(&BuildStatus::ALL))),
        31 => Req::GetBuild(BuildOrderId(id(rng, &e.builds))),
        32 => Req::SuggestBuildReference(()),
        33 => Req::CreateBuild(NewBuildOrder {
            reference: build_reference(rng),
            part_id: part_id(rng, e),
            quantity: quantity(rng),
            responsible_id: rng.option(|rng| user_id(rng, e)),
        }),
        34 => Req::SetBuildStatus(SetBuildStatus {
            id: BuildOrderId(id(rng, &e.builds)),
            status: rng.pick(&BuildStatus::ALL),
        }),
        35 => Req::PartSubscription(part_id(rng, e)),
        36 => Req::CategorySubscription(category_id(rng, e)),
        37 => Req::SetPartSubscription(SetPartSubscription {
            part_id: part_id(rng, e),
            subscribed: rng.bool(),
        }),
        38 => Req::SetCategorySubscription(SetCategorySubscription {
            category_id: category_id(rng, e),
            subscribed: rng.bool(),
        }),
        39 => Req::MySubscriptions(()),
        40 => Req::ListNotifications(NotificationQuery {
            folder: rng.pick(&[Folder::Inbox, Folder::History]),
            kind: rng.option(|rng| rng.pick(&NotificationKind::ALL)),
            before_id: rng.option(|rng| NotificationId(id(rng, &e.notifications))),
            limit: limit(rng),
        }),
        41 => Req::UnreadCount(()),
        42 => Req::MarkNotifications(MarkNotifications {
            ids: notification_ids(rng, e),
            read: rng.bool(),
        }),
        43 => Req::MarkAllRead(()),
        44 => Req::DeleteNotifications(notification_ids(rng, e)),
        45 => Req::DeleteHistory(()),
        46 => Req::GetGlobalSettings(()),
        47 => Req::UpdateGlobalSettings(GlobalSettings {
            notifications_enabled: rng.bool(),
            low_stock_enabled: rng.bool(),
            build_orders_enabled: rng.bool(),
            delete_after_days: {
                let random = rng.next() as i64;
                let valid = 7 + rng.below(3644) as i64;
                if rng.wild() {
                    rng.pick(&[6, 7, 30, 3650, 3651, 0, -1, i64::MAX, i64::MIN, random])
                } else {
                    valid
                }
            },
            os_popups_enabled: rng.bool(),
        }),
        48 => Req::MyPreferences(()),
        49 => Req::UpdateMyPreferences(preference_cells(rng)),
        50 => Req::GetEmailSettings(()),
        51 => Req::SaveEmailSettings(SaveEmailSettings {
            enabled: rng.bool(),
            host: match if rng.wild() { rng.below(6) } else { 0 } {
                0 => "smtp.lab.example".into(),
                1 => "smtp lab.example".into(),
                2 => "smtp.lab.example/path".into(),
                3 => rng
                    .pick(&["", " ", "[::1]", "127.0.0.1", "smtp://x", "a:25"])
                    .into(),
                _ => text(rng),
            },
            port: {
                let random = rng.next() as u16;
                if rng.wild() {
                    rng.pick(&[0, 1, 25, 465, 587, 65535, random])
                } else {
                    rng.pick(&[25, 465, 587])
                }
            },
            security: rng.pick(&EmailSecurity::ALL),
            username: rng.option(text),
            password: match rng.below(3) {
                0 => PasswordChange::Keep,
                1 => PasswordChange::Clear,
                _ => PasswordChange::Set(text(rng)),
            },
            from_address: email_address(rng).unwrap_or_default(),
            instance_name: text(rng),
        }),
        52 => Req::ListWebhooks(()),
        53 => Req::CreateWebhook(webhook_input(rng)),
        54 => Req::UpdateWebhook(UpdateWebhook {
            id: WebhookId(id(rng, &e.webhooks)),
            webhook: webhook_input(rng),
        }),
        55 => Req::DeleteWebhook(WebhookId(id(rng, &e.webhooks))),
        56 => Req::ListDeliveries(DeliveryQuery {
            status: rng.option(|rng| rng.pick(&DeliveryStatus::ALL)),
            channel: rng.option(|rng| rng.pick(&ChannelKind::ALL)),
            before_id: rng.option(|rng| DeliveryId(id(rng, &e.deliveries))),
            limit: limit(rng),
        }),
        57 => Req::RetryDelivery(DeliveryId(id(rng, &e.deliveries))),
        58 => Req::DesktopStatus(()),
        59 => Req::UpdateDesktop(UpdateDesktop {
            settings: DesktopSettings {
                close_to_tray: rng.bool(),
            },
            start_at_login: rng.bool(),
        }),
        60 => Req::PausePopups(rng.pick(&[PauseFor::OneHour, PauseFor::UntilTomorrow])),
        61 => Req::ResumePopups(()),
        62 => Req::ListLocations(()),
        63 => Req::GetLocation(location_id(rng, e)),
        64 => Req::CreateLocation(NewLocation {
            parent_id: rng.option(|rng| location_id(rng, e)),
            name: location_name(rng),
            description: text(rng),
        }),
        65 => Req::UpdateLocation(UpdateLocation {
            id: location_id(rng, e),
            parent_id: rng.option(|rng| location_id(rng, e)),
            name: location_name(rng),
            description: text(rng),
        }),
        66 => Req::DeleteLocation(location_id(rng, e)),
        67 => Req::TransferStock(TransferStock {
            item_id: item_id(rng, e),
            to_location_id: rng.option(|rng| location_id(rng, e)),
            quantity: rng.option(small_quantity),
            reason: text(rng),
        }),
        68 => {
            let into = item_id(rng, e);
            Req::MergeStock(MergeStock {
                into,
                from: merge_from(rng, e, into),
                reason: text(rng),
            })
        }
        69 => Req::WhereUsed(part_id(rng, e)),
        70 => {
            // Mostly an open order, for all that is left or a part of it.
            let (id, quantity) = if rng.wild() || e.open_builds.is_empty() {
                (BuildOrderId(id(rng, &e.builds)), small_quantity(rng))
            } else {
                let (id, left) = rng.pick(&e.open_builds);
                let some = small_quantity(rng).milli().min(left);
                (
                    BuildOrderId(id),
                    Quantity::from_milli(if rng.one_in(3) { left } else { some }),
                )
            };
            Req::CompleteBuild(CompleteBuild {
                id,
                quantity,
                location_id: rng.option(|rng| location_id(rng, e)),
                chosen: chosen(rng, e),
                accept_shortage: rng.bool(),
            })
        }
        71 => Req::CheckBuild(CheckBuild {
            part_id: if rng.wild() || e.assemblies.is_empty() {
                part_id(rng, e)
            } else {
                PartId(rng.pick(&e.assemblies))
            },
            quantity: small_quantity(rng),
        }),
        72 => Req::SignInChoices(()),
        73 => Req::SignIn(if rng.bool() {
            SignIn::Existing(user_id(rng, e))
        } else {
            SignIn::New(NewUser {
                name: text(rng),
                email: email_address(rng),
            })
        }),
        74 => Req::Permissions(()),
        75 => Req::UpdateTeamDefaultPreferences(preference_cells(rng)),
        76 => Req::GetSnooze(snooze_target(rng, e)),
        77 => Req::SetSnooze(SetSnooze {
            target: snooze_target(rng, e),
            length: snooze_length(rng),
        }),
        78 => Req::EndSnooze(snooze_target(rng, e)),
        80 => Req::UpdateMyQuietHours(SetQuietHours {
            quiet_hours: (rng.below(4) > 0).then(|| {
                let times = ["22:00", "07:00", "00:00", "23:59", "7:05"];
                let long = "x".repeat(3000);
                let wild: [&str; 6] = ["", "24:00", "22", &long, "12:60", "-1:00"];
                let time = |rng: &mut Rng| -> String {
                    if rng.wild() {
                        rng.pick(&wild).into()
                    } else {
                        rng.pick(&times).into()
                    }
                };
                QuietHours {
                    from: time(rng),
                    to: time(rng),
                    time_zone: if rng.wild() {
                        rng.pick(&["Mars/Olympus", "", "UTC"]).into()
                    } else {
                        rng.pick(&["Europe/Berlin", "America/New_York", ""]).into()
                    },
                    critical_through: rng.below(2) == 0,
                }
            }),
        }),
        79 => Req::UpdateMyReminder(Reminder {
            after_hours: match rng.below(4) {
                0 => None,
                1 if rng.wild() => Some(rng.pick(&[0, -1, 169, i64::MAX, i64::MIN])),
                _ => Some(1 + rng.below(168) as i64),
            },
        }),
        81 => Req::UpdateMyDigest(Digest {
            every: rng.pick(&EmailDigest::ALL),
            at: if rng.wild() {
                rng.pick(&["", "25:00", "8", "x".repeat(300).as_str(), "08:5"])
                    .to_owned()
            } else {
                rng.pick(&["08:00", "17:30", "00:00"]).into()
            },
            time_zone: if rng.wild() {
                rng.pick(&["Mars/Olympus", "", "UTC"]).into()
            } else {
                rng.pick(&["Europe/Berlin", ""]).into()
            },
        }),
        _ => unreachable!("no command {which}"),
    }
}

fn notification_ids(rng: &mut Rng, e: &Existing) -> Vec<NotificationId> {
    id_list(rng, &e.notifications)
        .into_iter()
        .map(NotificationId)
        .collect()
}

// ---------------------------------------------------------------- the calls

/// The shell's `state.me()`.
fn me(db: &Database) -> CoreResult<UserId> {
    db.current_user()
        .ok_or_else(|| CoreError::NotFound("No user works on this desktop yet.".into()))
}

/// The answer, which the shell serializes and the UI decodes; only whether
/// it came matters here.
fn answered<T: serde::Serialize + serde::de::DeserializeOwned>(
    result: CoreResult<T>,
) -> CoreResult<()> {
    let answer = result?;
    let json = serde_json::to_string(&answer).expect("every answer serializes");
    if let Err(err) = serde_json::from_str::<T>(&json) {
        panic!(
            "the answer does not decode ({err}); {BEYOND} {{{}}}; answer: {}",
            oversized(&json).join(" "),
            short(&json)
        );
    }
    Ok(())
}

/// Marks, in a decoding failure, the quantities the wire type refuses.
const BEYOND: &str = "quantities of a trillion or more:";

/// The quantities in an answer that `Quantity`'s parser refuses (a trillion
/// or more), as `field=value`.
fn oversized(json: &str) -> Vec<String> {
    fn walk(key: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => {
                let unsigned = text.trim_start_matches(['+', '-']);
                let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
                let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
                if !whole.is_empty()
                    && digits(whole)
                    && digits(fraction)
                    && whole.trim_start_matches('0').len() > 12
                {
                    out.push(format!("{key}={text}"));
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(key, item, out);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, value) in fields {
                    walk(key, value, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str(json) {
        walk("answer", &value, &mut out);
    }
    out
}

/// Calls the core exactly as the router does for `request`'s command.
async fn call(db: Database, request: Req) -> CoreResult<()> {
    let db = &db;
    match request {
        Req::AppInfo(()) => answered(db.info().await),
        Req::InventoryStatus(()) => answered(demo::status(db).await),
        Req::LoadDemo(()) => answered(demo::load(db).await),
        Req::StartEmpty(()) => answered(demo::start_empty(db).await),
        Req::CurrentUser(()) => answered(users::signed_in(db, OS_USER_NAME).await),
        Req::ListUsers(()) => answered(users::list(db).await),
        Req::CreateUser(new) => answered(users::create(db, &new).await),
        Req::UpdateUser(change) => answered(users::update(db, &change).await),
        Req::SetUserActive(change) => answered(users::set_active(db, &change).await),
        Req::SwitchUser(id) => answered(users::switch_current(db, id).await),
        Req::CategoryTree(()) => answered(categories::tree(db).await),
        Req::GetCategory(id) => answered(categories::get(db, id).await),
        Req::CreateCategory(new) => answered(categories::create(db, &new).await),
        Req::UpdateCategory(change) => answered(categories::update(db, &change).await),
        Req::MoveCategory(change) => answered(categories::move_to(db, &change).await),
        Req::DeleteCategory(change) => answered(categories::delete(db, &change).await),
        Req::ListParts(query) => answered(parts::list(db, &query).await),
        Req::GetPart(id) => answered(parts::get(db, id).await),
        Req::CreatePart(input) => answered(parts::create(db, &input).await),
        Req::UpdatePart(change) => answered(parts::update(db, &change).await),
        Req::DeletePart(id) => answered(parts::delete(db, id).await),
        Req::StockItems(part) => answered(stock::items(db, part).await),
        Req::StockHistory(query) => answered(stock::history(db, &query).await),
        Req::AddStockItem(new) => answered(stock::add_item(db, &new).await),
        Req::AdjustStock(change) => answered(stock::adjust(db, &change).await),
        Req::DeleteStockItem(change) => answered(stock::delete_item(db, &change).await),
        Req::BomLines(part) => answered(bom::lines(db, part).await),
        Req::AddBomLine(new) => answered(bom::add_line(db, &new).await),
        Req::UpdateBomLine(change) => answered(bom::update_line(db, &change).await),
        Req::RemoveBomLine(id) => answered(bom::remove_line(db, id).await),
        Req::ListBuilds(status) => answered(builds::list(db, status).await),
        Req::GetBuild(id) => answered(builds::detail(db, id).await),
        Req::SuggestBuildReference(()) => answered(builds::suggest_reference(db).await),
        Req::CreateBuild(new) => answered(builds::create(db, &new).await),
        Req::SetBuildStatus(change) => answered(builds::set_status(db, &change).await),
        Req::PartSubscription(part) => {
            answered(subscriptions::part_status(db, me(db)?, part).await)
        }
        Req::CategorySubscription(category) => {
            answered(subscriptions::category_status(db, me(db)?, category).await)
        }
        Req::SetPartSubscription(change) => {
            answered(subscriptions::set_part(db, me(db)?, change.part_id, change.subscribed).await)
        }
        Req::SetCategorySubscription(change) => answered(
            subscriptions::set_category(db, me(db)?, change.category_id, change.subscribed).await,
        ),
        Req::MySubscriptions(()) => answered(subscriptions::of_user(db, me(db)?).await),
        Req::ListNotifications(query) => answered(notifications::list(db, me(db)?, &query).await),
        Req::UnreadCount(()) => answered(notifications::unread_count(db, me(db)?).await),
        Req::MarkNotifications(change) => {
            answered(notifications::mark(db, me(db)?, &change.ids, change.read).await)
        }
        Req::MarkAllRead(()) => answered(notifications::mark_all_read(db, me(db)?).await),
        Req::DeleteNotifications(ids) => answered(notifications::delete(db, me(db)?, &ids).await),
        Req::DeleteHistory(()) => answered(notifications::delete_history(db, me(db)?).await),
        Req::GetGlobalSettings(()) => answered(settings::global(db).await),
        Req::UpdateGlobalSettings(new) => answered(settings::update_global(db, &new).await),
        Req::MyPreferences(()) => answered(preferences::of(db, me(db)?).await),
        Req::UpdateMyPreferences(cells) => {
            answered(preferences::update_mine(db, me(db)?, &cells).await)
        }
        Req::GetEmailSettings(()) => answered(email::settings(db).await),
        Req::SaveEmailSettings(new) => answered(email::save_settings(db, &new).await),
        Req::ListWebhooks(()) => answered(webhook::list(db).await),
        Req::CreateWebhook(new) => answered(webhook::create(db, &new).await),
        Req::UpdateWebhook(change) => answered(webhook::update(db, &change).await),
        Req::DeleteWebhook(id) => answered(webhook::delete(db, id).await),
        Req::ListDeliveries(query) => answered(delivery::list(db, &query).await),
        Req::RetryDelivery(id) => answered(delivery::retry(db, id).await),
        // desktop::status: the OS's start-at-login flag is left out.
        Req::DesktopStatus(()) => {
            answered(desktop::settings(db).await)?;
            answered(desktop::popup_pause(db, me(db)?).await)
        }
        // desktop::update: the settings, then (OS, left out) start at login,
        // then the status's core calls.
        Req::UpdateDesktop(request) => {
            answered(desktop::update_settings(db, &request.settings).await)?;
            answered(desktop::settings(db).await)?;
            answered(desktop::popup_pause(db, me(db)?).await)
        }
        // desktop::pause / resume: then the tray refresh (shell, left out).
        Req::PausePopups(pause) => answered(desktop::pause_popups(db, me(db)?, &pause).await),
        Req::ResumePopups(()) => answered(desktop::resume_popups(db, me(db)?).await),
        Req::ListLocations(()) => answered(locations::list(db).await),
        Req::GetLocation(id) => answered(locations::get(db, id).await),
        Req::CreateLocation(new) => answered(locations::create(db, &new).await),
        Req::UpdateLocation(change) => answered(locations::update(db, &change).await),
        Req::DeleteLocation(id) => answered(locations::delete(db, id).await),
        Req::TransferStock(change) => answered(stock::transfer(db, &change).await),
        Req::MergeStock(change) => answered(stock::merge(db, &change).await),
        Req::WhereUsed(part) => answered(bom::where_used(db, part).await),
        Req::CompleteBuild(request) => answered(production::complete(db, &request).await),
        Req::CheckBuild(request) => answered(builds::check(db, &request).await),
        Req::SignInChoices(()) => answered(users::sign_in_choices(db, OS_USER_NAME).await),
        Req::SignIn(who) => answered(users::sign_in(db, &who).await),
        Req::Permissions(()) => answered(logins::permissions(db).await),
        Req::GetSnooze(target) => answered(snoozes::get(db, me(db)?, target).await),
        Req::SetSnooze(request) => answered(snoozes::set(db, me(db)?, &request).await),
        Req::EndSnooze(target) => answered(snoozes::end(db, me(db)?, target).await),
        Req::UpdateMyQuietHours(quiet) => {
            answered(preferences::update_quiet_hours(db, me(db)?, &quiet).await)
        }
        Req::UpdateMyDigest(digest) => {
            answered(preferences::update_digest(db, me(db)?, &digest).await)
        }
        Req::UpdateMyReminder(reminder) => {
            answered(preferences::update_reminder(db, me(db)?, &reminder).await)
        }
        Req::UpdateTeamDefaultPreferences(cells) => {
            answered(preferences::update_team_defaults(db, me(db)?, &cells).await)
        }
    }
}

// ---------------------------------------------------------------- invariants

/// What no call may leave behind, if anything: stock figures that are not
/// the sums of the items, two items of a part at one location in one batch,
/// a location whose path does not follow the tree, a build order completed
/// beyond its quantity, complete without all of it made, or open with
/// nothing left to make. A few set-wise queries, cheap enough for every round.
async fn broken_invariant(db: &Database) -> Option<String> {
    let checks: [(&str, &str); 5] = [
        (
            "a part's own_stock is not the sum of its items",
            "SELECT 'part ' || p.id || ': own_stock ' || p.own_stock || ', items ' ||
                    COALESCE((SELECT SUM(s.quantity) FROM stock_items s WHERE s.part_id = p.id), 0)
               FROM parts p
              WHERE p.own_stock != COALESCE((SELECT SUM(s.quantity) FROM stock_items s
                                              WHERE s.part_id = p.id), 0)",
        ),
        (
            "a part's total_stock is not its own plus its variants' totals",
            "SELECT 'part ' || p.id || ': total_stock ' || p.total_stock || ', own ' || p.own_stock
               FROM parts p
              WHERE p.total_stock != p.own_stock + COALESCE((SELECT SUM(v.total_stock) FROM parts v
                                                             WHERE v.variant_of = p.id), 0)",
        ),
        (
            "two items of a part share a location and batch",
            "SELECT 'part ' || part_id || ', location ' || COALESCE(CAST(location_id AS TEXT), 'none') ||
                    ', batch \"' || COALESCE(batch, '') || '\": ' || COUNT(*) || ' items'
               FROM stock_items GROUP BY part_id, location_id, batch
             HAVING COUNT(*) > 1",
        ),
        (
            "a location's path does not follow the tree",
            "SELECT 'location ' || l.id || ': \"' || l.path || '\"'
               FROM locations l LEFT JOIN locations p ON p.id = l.parent_id
              WHERE l.path != CASE WHEN l.parent_id IS NULL THEN l.name
                                   ELSE p.path || ' › ' || l.name END",
        ),
        (
            "a build order's completed count disagrees with its quantity or status",
            "SELECT 'build order ' || id || ' (' || status || '): ' || completed || ' of ' || quantity
               FROM build_orders
              WHERE completed > quantity OR completed < 0
                 OR (status = 'complete' AND completed != quantity)
                 OR (status IN ('pending', 'in_production') AND completed >= quantity)",
        ),
    ];
    for (what, sql) in checks {
        let found: Option<String> = partwatch_core::sql::query_scalar(sql)
            .fetch_optional(db)
            .await
            .expect("invariant query");
        if let Some(example) = found {
            return Some(format!("{what} ({example})"));
        }
    }
    None
}

// ---------------------------------------------------------------- known defects

/// What went wrong with one call.
enum Violation {
    Panic(String),
    Hang,
    /// The code is outside `ErrorCode::ALL` (the set is closed; this guards
    /// against a code added without being listed there).
    UnknownCode(ErrorCode),
    /// The message is not a sentence a user can read: empty, huge, holding
    /// control, invisible or direction-changing characters, or unfinished.
    NotASentence {
        code: ErrorCode,
        message: String,
        why: &'static str,
    },
    /// Rejected with this code and message, yet the database changed.
    ChangedOnError {
        code: ErrorCode,
        message: String,
    },
    /// Rejected, yet this desktop now works as another user.
    SwitchedOnError {
        code: ErrorCode,
        message: String,
    },
    /// After the call (accepted or not) the stock no longer adds up.
    Broken(String),
}

impl Violation {
    fn describe(&self) -> String {
        match self {
            Violation::Panic(message) => format!("panicked: {message}"),
            Violation::Hang => format!("no answer within {HANG:?}"),
            Violation::UnknownCode(code) => format!("code {code:?} is not in ErrorCode::ALL"),
            Violation::NotASentence { code, message, why } => {
                format!("{code:?} message {why}: {}", short(message))
            }
            Violation::ChangedOnError { code, message } => {
                format!(
                    "rejected ({code:?}: {}) but the database changed",
                    short(message)
                )
            }
            Violation::SwitchedOnError { code, message } => format!(
                "rejected ({code:?}: {}) but the current user changed",
                short(message)
            ),
            Violation::Broken(what) => format!("afterwards {what}"),
        }
    }
}

/// Why `message` is not a sentence a user can read, if it is not.
fn not_a_sentence(message: &str) -> Option<&'static str> {
    let message = message.trim();
    if message.is_empty() {
        Some("is empty")
    } else if message.chars().count() > 1000 {
        Some("is longer than 1000 characters")
    } else if message.chars().any(|c| c.is_control()) {
        Some("holds control characters")
    } else if message.chars().any(|c| {
        matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    }) {
        Some("holds invisible, separator or direction-changing characters")
    } else if !message.ends_with(['.', '?', '!', ')']) {
        Some("is not a finished sentence")
    } else {
        None
    }
}

/// A defect this test found and the core still has; matched exactly, so any
/// other case still fails.
struct Known {
    what: &'static str,
    matches: fn(&Req, &Violation) -> bool,
}

/// The `field=value` quantities an answer could not be decoded for (see
/// [`answered`]), if that is the violation.
fn refused_quantities(violation: &Violation) -> Option<Vec<&str>> {
    let Violation::Panic(message) = violation else {
        return None;
    };
    let (_, rest) = message.split_once(BEYOND)?;
    let list = rest.trim_start().strip_prefix('{')?.split_once('}')?.0;
    let values: Vec<&str> = list.split_whitespace().collect();
    (!values.is_empty()).then_some(values)
}

/// A `field=value` whose value is exactly a trillion (signed or not).
fn exactly_a_trillion(field_value: &str) -> bool {
    field_value
        .split_once('=')
        .is_some_and(|(_, value)| value.trim_start_matches(['+', '-']) == "1000000000000")
}

/// Every known defect (empty when the core has none).
const KNOWN: &[Known] = &[
    Known {
        what: "stock may reach exactly a trillion units (MAX_STOCK_MILLI is inclusive) but \
               Quantity's parser refuses a trillion (MAX_WHOLE is exclusive): answers showing \
               that stock (items, history, parts, BOM lines) do not decode in the UI",
        matches: |_, violation| {
            refused_quantities(violation)
                .is_some_and(|values| values.iter().all(|v| exactly_a_trillion(v)))
        },
    },
    Known {
        what: "bom_lines' can_build (available / per-unit, in whole assemblies) may be a \
               trillion or more, which Quantity's parser refuses: the BOM does not decode",
        matches: |request, violation| {
            matches!(request, Req::BomLines(_))
                && refused_quantities(violation).is_some_and(|values| {
                    values
                        .iter()
                        .all(|v| v.starts_with("can_build=") || exactly_a_trillion(v))
                })
        },
    },
];

// ---------------------------------------------------------------- the world

/// Users, a small category tree, a template with variants, an assembly with
/// a BOM, stock, a build order, subscriptions, notifications, a webhook and
/// deliveries: so a good share of requests name real rows.
async fn seeded() -> World {
    let w = world().await;
    let ada = w.user("Ada").await;
    let bob = w.user_with_email("Bob", None).await;

    let electronics = w.category("Electronics", None).await.id;
    let resistors = w.category("Resistors", Some(electronics)).await.id;
    let capacitors = w.category("Capacitors", Some(electronics)).await.id;
    let mechanical = w.category("Mechanical", None).await.id;
    w.category("Screws", Some(mechanical)).await;

    let resistor = |name: String| PartInput::named(name).in_category(resistors);
    let template = resistor("Resistor".into()).template().units("pcs");
    let template = w.part(template).await.id;
    let mut variants = Vec::new();
    for value in ["1k", "10k", "100k"] {
        let variant = resistor(format!("Resistor {value}"))
            .variant_of(template)
            .minimum("10")
            .ipn(&format!("R-{value}"));
        variants.push(w.part(variant).await.id);
    }
    let capacitor = PartInput::named("Capacitor 100nF")
        .in_category(capacitors)
        .minimum("5");
    let capacitor = w.part(capacitor).await.id;
    let board = PartInput::named("Board")
        .assembly()
        .in_category(electronics);
    let board = w.part(board).await.id;

    let mut items = Vec::new();
    for &part in variants.iter().chain([&capacitor]) {
        items.push(w.add_item(part, "20").await);
    }
    // A small store: Store › Shelf B › Drawer A3, and Bin 1 on its own,
    // holding more of the same parts in other places and batches (so
    // transfers and merges meet items of one part in several places).
    let mut place = None;
    for name in ["Store", "Shelf B", "Drawer A3"] {
        place = Some(w.location(name, place).await);
    }
    let drawer = place;
    let bin = Some(w.location("Bin 1", None).await);
    for (i, &part) in variants.iter().chain([&capacitor]).enumerate() {
        for (location, batch) in [(drawer, ""), (bin, "L1"), (bin, "L2")] {
            w.put(part, &format!("{}", 5 + i), location, batch).await;
        }
    }
    w.add_line(NewBomLine {
        allow_variants: true,
        ..line(board, template, "4")
    })
    .await;
    w.add_line(line(board, capacitor, "2.5")).await;

    w.watch_part(w.me, variants[1]).await;
    w.watch_part(ada, template).await;
    w.watch_category(w.me, electronics).await;
    w.watch_category(bob, capacitors).await;
    webhook::create(
        &w.db,
        &WebhookInput {
            name: "Stores".into(),
            kind: WebhookKind::Generic,
            url: "https://hooks.lab.example/stores".into(),
            events: NotificationKind::ALL.to_vec(),
            enabled: true,
        },
    )
    .await
    .expect("webhook");

    // Low stock and back: notifications (read and unread) and deliveries.
    w.go_low(items[1]).await;
    w.refill(items[1]).await;
    w.go_low(items[3]).await;
    notifications::mark_all_read(&w.db, w.me)
        .await
        .expect("marked");
    w.go_low(items[1]).await;

    w.build(NewBuildOrder {
        responsible_id: Some(ada),
        ..order(board, "100")
    })
    .await;
    // More open orders, some started, for completions to name.
    for (quantity, start) in [("3", true), ("2", false), ("1.5", true), ("1", false)] {
        let order = w.build(order(board, quantity)).await.order;
        if start {
            w.set_status(order.id, BuildStatus::InProduction).await;
        }
    }

    // Deliveries in every state (no worker runs here), so `retry_delivery`
    // meets failed and skipped ones, not only pending.
    partwatch_core::sql::query(
        "UPDATE deliveries SET status = CASE id % 4 WHEN 0 THEN 'failed' WHEN 1 THEN 'skipped'
                                                  WHEN 2 THEN 'sent' ELSE 'pending' END,
                last_error = CASE id % 4 WHEN 2 THEN NULL WHEN 3 THEN NULL ELSE 'refused' END,
                attempts = CASE id % 4 WHEN 0 THEN 5 ELSE 0 END",
    )
    .execute(&w.db)
    .await
    .expect("delivery states");
    w
}

// ---------------------------------------------------------------- the test

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={text} is not a number")))
}

/// `value`'s Debug (escapes shown), cut short: requests and the messages
/// that echo them may hold a megabyte.
fn short(value: &impl std::fmt::Debug) -> String {
    let text = format!("{value:?}");
    if text.len() <= 600 {
        return text;
    }
    let cut = (0..=600)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}… ({} bytes)", &text[..cut], text.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_survives_random_and_boundary_requests() {
    // A fixed seed in the suite, so a red run is always reproducible; explore
    // with others through the variable (this one found the stock overflow).
    let seed = env_number("PARTWATCH_FUZZ_SEED").unwrap_or(1_796_203_044_162_298_593);
    let rounds = env_number("PARTWATCH_FUZZ_ROUNDS").unwrap_or(DEFAULT_ROUNDS);
    eprintln!("fuzz: PARTWATCH_FUZZ_SEED={seed} PARTWATCH_FUZZ_ROUNDS={rounds}");

    // The contract: every command is covered or skipped with a reason.
    let mut accounted: Vec<&str> = COVERED
        .iter()
        .copied()
        .chain(SKIPPED.iter().map(|(name, _)| *name))
        .collect();
    accounted.sort_unstable();
    let mut all = commands::ALL.to_vec();
    all.sort_unstable();
    assert_eq!(accounted, all, "every command is covered or skipped");

    let started = Instant::now();
    let w = seeded().await;
    assert_eq!(broken_invariant(&w.db).await, None, "the seeded world");
    let mut rng = Rng::new(seed);
    let mut ok = vec![0u32; COVERED.len()];
    let mut rejected = vec![0u32; COVERED.len()];
    let mut known_hits = vec![0u32; KNOWN.len()];
    let mut failures = Vec::new();
    let mut codes = Vec::new();
    let mut database_errors = Vec::new();

    // One round of every command in turn, then random ones.
    let total = COVERED.len() as u64 + rounds;
    for round in 0..total {
        let which = match usize::try_from(round) {
            Ok(i) if i < COVERED.len() => i,
            _ => rng.below(COVERED.len()),
        };
        let e = existing(&w.db).await;
        rng.wild = rng.pick(&[0, 1, 2, 5, 10]);
        let request = generate(&mut rng, &e, which);
        assert_eq!(request.name(), COVERED[which], "generate's order");
        let before = snapshot(&w.db).await;
        let me_before = w.db.current_user();

        let task = tokio::spawn(call(w.db.clone(), request.clone()));
        let violation = match tokio::time::timeout(HANG, task).await {
            Err(_) => Some(Violation::Hang),
            Ok(Err(join)) if join.is_panic() => {
                let payload = join.into_panic();
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                Some(Violation::Panic(message))
            }
            Ok(Err(join)) => panic!("the call was cancelled: {join}"),
            Ok(Ok(Ok(()))) => {
                ok[which] += 1;
                None
            }
            Ok(Ok(Err(err))) => {
                rejected[which] += 1;
                let message = err.to_string();
                let code = err.code();
                codes.push(code);
                if !ErrorCode::ALL.contains(&code) {
                    Some(Violation::UnknownCode(code))
                } else if snapshot(&w.db).await != before {
                    Some(Violation::ChangedOnError { code, message })
                } else if w.db.current_user() != me_before {
                    Some(Violation::SwitchedOnError { code, message })
                } else if let Some(why) = not_a_sentence(&message) {
                    Some(Violation::NotASentence { code, message, why })
                } else {
                    if code == ErrorCode::Database && database_errors.len() < 20 {
                        database_errors.push(format!("{}: {}", request.name(), short(&message)));
                    }
                    None
                }
            }
        };
        let violation = match violation {
            // An answer echoing a quantity the request could not have carried
            // through IPC is no defect: the UI could not have asked.
            Some(v) if refused_quantities(&v).is_some() && !request.deliverable() => {
                broken_invariant(&w.db).await.map(Violation::Broken)
            }
            None => broken_invariant(&w.db).await.map(Violation::Broken),
            some => some,
        };
        let Some(violation) = violation else {
            continue;
        };
        if let Some(k) = KNOWN.iter().position(|k| (k.matches)(&request, &violation)) {
            if known_hits[k] == 0 {
                eprintln!("fuzz: {} (first at round {round})", KNOWN[k].what);
            }
            known_hits[k] += 1;
            continue;
        }
        let failure = format!(
            "seed {seed}, round {round}, {}: {}\n  request: {}",
            request.name(),
            violation.describe(),
            short(&request)
        );
        eprintln!("fuzz: FAILED {failure}");
        failures.push(failure);
        if matches!(violation, Violation::Hang) || failures.len() >= 20 {
            break;
        }
    }

    let elapsed = started.elapsed();
    eprintln!(
        "fuzz: {total} calls in {:.1} s (seed {seed})",
        elapsed.as_secs_f64()
    );
    for (i, name) in COVERED.iter().enumerate() {
        eprintln!(
            "fuzz:   {name:<28} ok {:>5}  rejected {:>5}",
            ok[i], rejected[i]
        );
    }
    for code in ErrorCode::ALL {
        let n = codes.iter().filter(|&&c| c == code).count();
        eprintln!("fuzz: rejected with {code:?}: {n}");
    }
    for message in &database_errors {
        eprintln!("fuzz: database error: {message}");
    }
    for (k, known) in KNOWN.iter().enumerate() {
        eprintln!(
            "fuzz: known defect hit {} times: {}",
            known_hits[k], known.what
        );
    }
    assert!(
        failures.is_empty(),
        "{} violation(s), reproduce with PARTWATCH_FUZZ_SEED={seed}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
