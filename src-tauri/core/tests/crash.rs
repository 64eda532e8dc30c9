//! A process-level crash test: the real core, killed with SIGKILL at random
//! moments while it changes stock and delivers popups, round after round,
//! loses nothing and tells no lie.
//!
//! It re-executes its own test binary: `crash_driver` (a no-op unless
//! `PARTWATCH_CRASH_DRIVER` is set) is the process that gets killed; the real
//! test spawns it, kills it, and after the last round drains the deliveries
//! and checks the database against what the history says happened.
//!
//! `PARTWATCH_CRASH_ROUNDS=500 cargo test -p partwatch-core --test crash -- --nocapture`
//! for a long run.
//!
//! It runs on a SQLite file whatever the backend of the run: what it proves
//! is that a killed process leaves the file whole (`PRAGMA integrity_check`);
//! a PostgreSQL server keeps its own data whole when a client dies.

#![cfg(unix)]

use partwatch_core::delivery::{
    self, BoxFuture, Channel, ChannelSet, DeliveryConfig, DeliveryError, Outgoing, Worker,
};
use partwatch_core::inventory::{parts, stock, users};
use partwatch_core::{subscriptions, Database};
use partwatch_types::delivery::ChannelKind;
use partwatch_types::inventory::{
    AdjustStock, PartId, PartInput, StockAdjustment, StockItemId, UserId,
};
use partwatch_types::{ErrorCode, Quantity};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod support;
use support::{scalar, stock_in, PartInputExt};

/// Set (to anything) in the driver process only.
const DRIVER: &str = "PARTWATCH_CRASH_DRIVER";
/// The data directory the driver works in.
const DRIVER_DIR: &str = "PARTWATCH_CRASH_DIR";
/// How many kill rounds (default [`DEFAULT_ROUNDS`]).
const ROUNDS: &str = "PARTWATCH_CRASH_ROUNDS";
const DEFAULT_ROUNDS: u32 = 12;

/// The parts the driver works on: minimum 10, one item of 20 each.
const PARTS: i64 = 20;
const MINIMUM: i64 = 10_000; // thousandths: 10 pcs
const START: i64 = 20_000; // thousandths: 20 pcs

/// The popup channel's log of what it sent, one delivery id a line.
const SENT_LOG: &str = "sent.log";

/// The bound on every wait for a process.
const PATIENCE: Duration = Duration::from_secs(10);
/// The bound on the final drain of the deliveries.
const DRAIN: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------ helpers

/// xorshift64*: deterministic from its seed, no dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Self::from_seed(nanos ^ (u64::from(std::process::id()) << 32))
    }

    fn from_seed(seed: u64) -> Self {
        Self((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}

/// Quick retries, a short send timeout (so a lease is ~9 s).
fn config() -> DeliveryConfig {
    DeliveryConfig {
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        max_attempts: 8,
        send_timeout: Duration::from_secs(2),
        batch: 50,
        extra_root_certificates: vec![],
    }
}

/// A popup channel that "shows" a popup by appending its delivery id to
/// `sent.log`, synced before it returns: a line written is a send that
/// happened, whatever happens to the process afterwards.
struct AppendingPopups {
    log: PathBuf,
}

impl AppendingPopups {
    fn channels(dir: &Path) -> ChannelSet {
        ChannelSet::new().with(Self {
            log: dir.join(SENT_LOG),
        })
    }
}

impl Channel for AppendingPopups {
    fn kind(&self) -> ChannelKind {
        ChannelKind::OsPopup
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            let line = format!("{}\n", outgoing.id.get());
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.log)
                .and_then(|mut file| {
                    // One write of a few bytes: O_APPEND keeps concurrent
                    // lines whole.
                    file.write_all(line.as_bytes())?;
                    file.sync_data()
                });
            written.map_err(|err| DeliveryError::transient(format!("sent.log: {err}")))
        })
    }
}

// --------------------------------------------------------------- the driver

/// The process that gets killed. Does nothing in a normal test run.
#[test]
fn crash_driver() {
    if std::env::var_os(DRIVER).is_none() {
        return;
    }
    let dir = PathBuf::from(std::env::var_os(DRIVER_DIR).expect("PARTWATCH_CRASH_DIR is set"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("driver runtime");
    runtime.block_on(drive(&dir));
}

/// Opens the database, sets up the parts (resuming a setup an earlier kill
/// cut short), starts the delivery worker and changes stock until killed.
async fn drive(dir: &Path) {
    let db = Database::open_in(dir)
        .await
        .expect("driver: database opens");
    let me = users::current(&db, "Me")
        .await
        .expect("driver: current user")
        .id;
    let items = set_up(&db, me).await;
    let _worker = Worker::start(db.clone(), AppendingPopups::channels(dir), config());
    let mut rng = Rng::seeded();
    loop {
        let item = items[rng.below(items.len() as u64) as usize];
        let amount = Quantity::whole(rng.between(1, 15) as i64);
        let adjustment = match rng.below(3) {
            0 => StockAdjustment::Remove(amount),
            1 => StockAdjustment::Add(amount),
            _ => StockAdjustment::Count(amount),
        };
        let request = AdjustStock {
            item_id: item,
            adjustment,
            reason: "crash test".into(),
        };
        match stock::adjust(&db, &request).await {
            Ok(_) => {}
            Err(refused) if refused.code() == ErrorCode::InvalidInput => {}
            Err(err) => panic!("driver: {request:?} failed: {err}"),
        }
        let pause = rng.below(6);
        if pause > 0 {
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
    }
}

/// On the first run, [`PARTS`] parts with minimum 10 and one item of 20,
/// watched by `me`. The first round may be killed halfway through it, so each
/// step is skipped when an earlier run already committed it; no stock is
/// changed before the whole setup has committed. Returns the stock items.
async fn set_up(db: &Database, me: UserId) -> Vec<StockItemId> {
    let watched = scalar(
        db,
        &format!("SELECT COUNT(*) FROM part_subscriptions WHERE user_id = {me}"),
    )
    .await;
    if watched < PARTS {
        for n in 0..PARTS {
            let name = format!("Crash part {n:02}");
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM parts WHERE name = ?")
                .bind(&name)
                .fetch_optional(db.pool())
                .await
                .expect("driver: part by name");
            let part = match existing {
                Some(id) => PartId(id),
                None => {
                    let input = PartInput::named(name).minimum("10").units("pcs");
                    parts::create(db, &input).await.expect("driver: part").id
                }
            };
            let items = scalar(
                db,
                &format!("SELECT COUNT(*) FROM stock_items WHERE part_id = {part}"),
            )
            .await;
            if items == 0 {
                stock::add_item(db, &stock_in(part, "20"))
                    .await
                    .expect("driver: stock item");
            }
            subscriptions::set_part(db, me, part, true)
                .await
                .expect("driver: watch part");
        }
    }
    let items: Vec<i64> = sqlx::query_scalar("SELECT id FROM stock_items ORDER BY id")
        .fetch_all(db.pool())
        .await
        .expect("driver: items");
    assert_eq!(items.len() as i64, PARTS, "driver: one item per part");
    items.into_iter().map(StockItemId).collect()
}

// ----------------------------------------------------------------- the test

#[tokio::test]
async fn kill_nine_during_stock_changes_and_deliveries_loses_nothing() {
    let rounds: u32 = match std::env::var(ROUNDS) {
        Ok(text) => text.parse().expect("PARTWATCH_CRASH_ROUNDS is a number"),
        Err(_) => DEFAULT_ROUNDS,
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let driver_log = tmp.path().join("driver.log");
    let exe = std::env::current_exe().expect("the test binary's path");
    let seed = Rng::seeded().next();
    let mut rng = Rng::from_seed(seed);
    eprintln!(
        "crash: {rounds} rounds, seed {seed:#x}, data in {}",
        dir.display()
    );

    for round in 1..=rounds {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&driver_log)
            .expect("driver log");
        let mut child = tokio::process::Command::new(&exe)
            .args(["crash_driver", "--exact", "--nocapture", "--test-threads=1"])
            .env(DRIVER, "1")
            .env(DRIVER_DIR, &dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("driver log"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("the driver starts");
        tokio::time::sleep(Duration::from_millis(rng.between(100, 600))).await;
        if let Some(status) = child.try_wait().expect("driver status") {
            panic!(
                "round {round}: the driver exited by itself ({status}) before the kill:\n{}",
                std::fs::read_to_string(&driver_log).unwrap_or_default()
            );
        }
        // SIGKILL on unix.
        child.start_kill().expect("SIGKILL the driver");
        let status = tokio::time::timeout(PATIENCE, child.wait())
            .await
            .unwrap_or_else(|_| {
                panic!("round {round}: the driver outlived SIGKILL by {PATIENCE:?}")
            })
            .expect("wait for the driver");
        assert_eq!(status.signal(), Some(9), "round {round}: {status}");
    }

    // The next start: deliver whatever the killed runs left pending.
    let db = Database::open_in(&dir).await.expect("database reopens");
    let me = users::current(&db, "Me").await.expect("current user").id;
    let worker = Worker::start(db.clone(), AppendingPopups::channels(&dir), config());
    let deadline = Instant::now() + DRAIN;
    loop {
        let pending = scalar(
            &db,
            "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'",
        )
        .await;
        if pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{pending} deliveries still pending after {DRAIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::timeout(PATIENCE, worker.stop())
        .await
        .expect("the worker stops");

    // 1. The file is sound.
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(db.pool())
        .await
        .expect("integrity_check");
    assert_eq!(integrity, ["ok"], "PRAGMA integrity_check");
    let dangling = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(db.pool())
        .await
        .expect("foreign_key_check")
        .len();
    assert_eq!(dangling, 0, "PRAGMA foreign_key_check");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM parts").await,
        PARTS,
        "the setup completed"
    );

    // 2. Stock figures agree with the items, and each item with its history.
    let totals: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.own_stock, p.total_stock, COALESCE(SUM(s.quantity), 0)
           FROM parts p LEFT JOIN stock_items s ON s.part_id = p.id
          GROUP BY p.id ORDER BY p.id",
    )
    .fetch_all(db.pool())
    .await
    .expect("part totals");
    for &(part, own, total, sum) in &totals {
        assert_eq!(own, sum, "part {part}: own_stock vs its items");
        assert_eq!(total, sum, "part {part}: total_stock vs its items");
    }
    let items: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, s.quantity,
                (SELECT h.quantity_after FROM stock_history h
                  WHERE h.stock_item_id = s.id ORDER BY h.id DESC LIMIT 1)
           FROM stock_items s ORDER BY s.id",
    )
    .fetch_all(db.pool())
    .await
    .expect("items and their last history");
    assert_eq!(items.len() as i64, PARTS, "one item per part");
    for &(item, quantity, last) in &items {
        assert_eq!(
            Some(quantity),
            last,
            "item {item}: quantity vs its last history row"
        );
    }

    // 3. The alert state matches the figures.
    let states: Vec<(i64, bool, i64, i64, bool, bool)> = sqlx::query_as(
        "SELECT id, active, minimum_stock, total_stock, alert_low, alert_out FROM parts ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .expect("alert states");
    for &(part, active, minimum, total, alert_low, alert_out) in &states {
        let low = active && minimum > 0 && total < minimum;
        assert_eq!(
            alert_low, low,
            "part {part}: alert_low with total {total}, minimum {minimum}"
        );
        assert_eq!(
            alert_out,
            low && total <= 0,
            "part {part}: alert_out with total {total}, minimum {minimum}"
        );
        assert_eq!(minimum, MINIMUM, "part {part}: minimum");
    }

    // 4. One low-stock notification per committed ok -> low transition, one
    //    out-of-stock notification per fall to nothing (from ok or low).
    let history: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT part_id, kind, quantity_after FROM stock_history ORDER BY id")
            .fetch_all(db.pool())
            .await
            .expect("history");
    let mut by_part: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
    for (part, kind, after) in history {
        by_part.entry(part).or_default().push((kind, after));
    }
    assert_eq!(by_part.len() as i64, PARTS, "every part has a history");
    let notified: HashMap<(i64, String), i64> = sqlx::query_as(
        "SELECT part_id, kind, COUNT(*) FROM notifications
          WHERE user_id = ? GROUP BY part_id, kind",
    )
    .bind(me.get())
    .fetch_all(db.pool())
    .await
    .expect("notifications per part")
    .into_iter()
    .map(|(part, kind, n)| ((part, kind), n))
    .collect();
    let mut changes = 0;
    let mut transitions = 0;
    for (part, rows) in &by_part {
        let (first_kind, first_after) = &rows[0];
        assert_eq!(
            first_kind, "create",
            "part {part}: history starts with 'create'"
        );
        assert_eq!(*first_after, START, "part {part}: starts at 20");
        let mut low = *first_after < MINIMUM;
        let mut out = *first_after <= 0;
        let (mut lows, mut outs) = (0, 0);
        for (kind, after) in &rows[1..] {
            assert!(
                ["add", "remove", "count"].contains(&kind.as_str()),
                "part {part}: unexpected history kind {kind}"
            );
            let (now_low, now_out) = (*after < MINIMUM, *after <= 0);
            if now_out && !out {
                outs += 1;
            } else if now_low && !low {
                lows += 1;
            }
            (low, out) = (now_low, now_out);
        }
        changes += rows.len() - 1;
        transitions += lows + outs;
        let told = |kind: &str| {
            notified
                .get(&(*part, kind.to_owned()))
                .copied()
                .unwrap_or(0)
        };
        assert_eq!(
            told("low_stock"),
            lows,
            "part {part}: low-stock notifications vs ok -> low transitions in its history"
        );
        assert_eq!(
            told("out_of_stock"),
            outs,
            "part {part}: out-of-stock notifications vs falls to nothing in its history"
        );
    }
    let notifications = scalar(&db, "SELECT COUNT(*) FROM notifications").await;
    assert_eq!(
        notifications, transitions,
        "no notification but the low- and out-of-stock ones (back in stock is opt-in)"
    );
    assert!(changes > 0, "no stock change was ever committed");

    // 5. Every popup went out, at least once; more than once only in the
    //    window between a send and the write of "sent".
    let popups: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM deliveries WHERE channel = 'os_popup' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .expect("popup deliveries");
    let deliveries = scalar(&db, "SELECT COUNT(*) FROM deliveries").await;
    assert_eq!(
        deliveries,
        popups.len() as i64,
        "popups are the only deliveries"
    );
    let unmatched = scalar(
        &db,
        "SELECT COUNT(*) FROM notifications n
          WHERE (SELECT COUNT(*) FROM deliveries d
                  WHERE d.notification_id = n.id AND d.channel = 'os_popup') != 1",
    )
    .await;
    assert_eq!(unmatched, 0, "notifications without exactly one popup");
    let sent_log = match std::fs::read_to_string(dir.join(SENT_LOG)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => panic!("sent.log: {err}"),
    };
    let mut sends: HashMap<i64, usize> = HashMap::new();
    for line in sent_log.lines() {
        let id: i64 = line
            .parse()
            .unwrap_or_else(|_| panic!("sent.log: not a delivery id: {line:?}"));
        *sends.entry(id).or_default() += 1;
    }
    for (id, status) in &popups {
        assert_eq!(status, "sent", "delivery {id}");
        assert!(
            sends.contains_key(id),
            "delivery {id} is 'sent' but was never sent"
        );
    }
    for id in sends.keys() {
        assert!(
            popups.iter().any(|(popup, _)| popup == id),
            "sent.log has {id}, which is no popup delivery"
        );
    }
    let duplicates = sends.values().filter(|&&n| n > 1).count();
    let extra_sends: usize = sends.values().map(|&n| n - 1).sum();
    // Each kill can cut off at most the sends in flight.
    let bound = delivery::DEFAULT_MAX_IN_FLIGHT * rounds as usize;
    assert!(
        extra_sends <= bound,
        "{extra_sends} repeated sends, more than {bound} ({rounds} kills x sends in flight)"
    );

    eprintln!(
        "crash: rounds {rounds}, stock changes committed {changes}, ok->low transitions checked {transitions}, \
         notifications {notifications}, deliveries {deliveries}, sends {}, duplicates {duplicates} \
         ({extra_sends} extra sends)",
        sent_log.lines().count()
    );
    db.close().await;
}
