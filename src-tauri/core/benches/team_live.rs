//! Team mode on PostgreSQL, many desktops at once:
//!
//! - **listeners**: N desktops (50 by default) listen to one team database;
//!   one desktop takes a part all N persons watch below its minimum. Timed
//!   from the start of that stock change (its own transaction included) to
//!   each desktop having heard it and read its person's unread count — what
//!   the shell does before it moves the badge.
//!   With `--logins`, each desktop connects with its person's own login
//!   (`partwatch login`), so the server's row-level security applies to
//!   every read it makes.
//! - **deliveries**: 5 desktops run the delivery worker while 1,000 events
//!   each queue one email; every email must be sent exactly once.
//!
//! `bash tests/harness/with-services.sh cargo bench -p partwatch-core --bench team_live [-- N] [--logins]`
//! (or with `PARTWATCH_BENCH_POSTGRES_URL`, a superuser's URL).

#![allow(clippy::print_stdout)]

#[path = "support/mod.rs"]
mod support;

use partwatch_core::delivery::{
    self, BoxFuture, Channel, ChannelSet, DeliveryConfig, DeliveryError, Outgoing, Worker,
};
use partwatch_core::inventory::{categories, parts, users};
use partwatch_core::{live, notifications, subscriptions, Database};
use partwatch_types::delivery::{ChannelKind, EmailSecurity, PasswordChange, SaveEmailSettings};
use partwatch_types::inventory::*;
use partwatch_types::TeamLink;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use support::{add_stock, adjust, clean_up, fresh_on, median, ms, number_arg, q, Backend};
use tokio::sync::mpsc;

const ROUNDS: usize = 100;
const EVENTS: usize = 1_000;
const DESKTOPS_SENDING: usize = 5;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let listeners: usize = number_arg(50);
    let own_logins = std::env::args().any(|a| a == "--logins");
    println!("team_live: PostgreSQL over loopback TCP, fsync as the server has it");
    listening(listeners, own_logins).await;
    sending().await;
    clean_up(Backend::Postgres).await;
}

/// Another desktop on the benchmark's database, working as `person`.
async fn desktop(url: &str, person: &str) -> Database {
    let db = Database::open_postgres(url).await.expect("team database");
    users::current(&db, person).await.expect("person");
    db
}

async fn live_now(listening: &live::Listening) {
    let mut link = listening.link_changes();
    tokio::time::timeout(
        Duration::from_secs(30),
        link.wait_for(|l| *l == TeamLink::Live),
    )
    .await
    .expect("listening")
    .expect("listener runs");
}

async fn watched_category(db: &Database, people: &[UserId]) -> CategoryId {
    let category = categories::create(
        db,
        &NewCategory {
            name: "Watched".into(),
            description: String::new(),
            parent_id: None,
        },
    )
    .await
    .expect("category")
    .id;
    for &person in people {
        subscriptions::set_category(db, person, category, true)
            .await
            .expect("subscribed");
    }
    category
}

async fn part_in(db: &Database, category: CategoryId, name: &str) -> StockItemId {
    let mut input = PartInput::named(name);
    input.category_id = Some(category);
    input.minimum_stock = q("10");
    let part = parts::create(db, &input).await.expect("part").id;
    add_stock(db, part, "20").await.id
}

/// The URL of the person `name`'s own login on the database at `url`
/// (created on the server if need be, and given to them).
async fn own_login(writer: &Database, url: &str, name: &str, n: usize) -> String {
    let login = format!("bench_desk_{n}");
    let password = format!("desk-{n}-secret");
    partwatch_core::sql::query(format!(
        "DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    ))
    .execute(writer)
    .await
    .expect("a login on the server");
    partwatch_core::sql::query(format!("ALTER ROLE {login} PASSWORD '{password}'"))
        .execute(writer)
        .await
        .expect("its password");
    users::create(
        writer,
        &NewUser {
            name: name.to_owned(),
            email: None,
        },
    )
    .await
    .expect("the person");
    partwatch_core::logins::grant_login(writer, name, &login, false)
        .await
        .expect("the login given to the person");
    let mut own = url::Url::parse(url).expect("a URL");
    own.set_username(&login).expect("a user");
    own.set_password(Some(&password)).expect("a password");
    own.to_string()
}

async fn listening(count: usize, own_logins: bool) {
    let (_dir, writer) = fresh_on(Backend::Postgres).await;
    let url = support::postgres_url();
    let mut desktops = Vec::new();
    for n in 0..count {
        let name = format!("Desk {n}");
        let desk_url = if own_logins {
            own_login(&writer, &url, &name, n).await
        } else {
            url.clone()
        };
        desktops.push(desktop(&desk_url, &name).await);
    }
    let people: Vec<UserId> = desktops
        .iter()
        .map(|db| db.current_user().expect("person"))
        .collect();
    let category = watched_category(&writer, &people).await;
    let mut items = Vec::new();
    for round in 0..ROUNDS {
        items.push(part_in(&writer, category, &format!("Part {round}")).await);
    }

    // Each desktop: hear, then read the count (what moves the badge).
    let (heard, mut heard_rx) = mpsc::unbounded_channel::<(usize, Instant)>();
    let mut listenings = Vec::new();
    for (desk, db) in desktops.iter().enumerate() {
        let listening = live::listen(db).expect("team database");
        live_now(&listening).await;
        listenings.push(listening);
        let (db, heard) = (db.clone(), heard.clone());
        let me = db.current_user().expect("person");
        let mut announcements = db.announcements();
        tokio::spawn(async move {
            while let Ok(announcement) = announcements.recv().await {
                // The notifications' announcement moves the badge; the
                // `ChangedElsewhere` that follows it reloads open lists.
                if matches!(
                    announcement,
                    notifications::Announcement::Notifications { .. }
                ) && announcement.concerns(me)
                {
                    notifications::unread_count(&db, me).await.expect("count");
                    let _ = heard.send((desk, Instant::now()));
                }
            }
        });
    }

    let (mut first, mut last, mut change) = (Vec::new(), Vec::new(), Vec::new());
    for item in items {
        let start = Instant::now();
        adjust(&writer, item, StockAdjustment::Remove(q("15")), "").await;
        change.push(start.elapsed());
        let mut times = Vec::with_capacity(count);
        let mut desks = HashSet::new();
        for _ in 0..count {
            let (desk, at) = tokio::time::timeout(Duration::from_secs(30), heard_rx.recv())
                .await
                .expect("every desktop hears the change")
                .expect("listeners run");
            assert!(at > start, "desk {desk} heard something before the change");
            desks.insert(desk);
            times.push(at - start);
        }
        assert_eq!(desks.len(), count, "each desktop hears the change once");
        times.sort();
        first.push(times[0]);
        last.push(times[count - 1]);
    }
    let p99 = |samples: &[Duration]| {
        let mut s = samples.to_vec();
        s.sort();
        s[(s.len() * 99 / 100).min(s.len() - 1)]
    };
    println!(
        "listeners: {count} desktops ({}), {ROUNDS} low-stock changes each told to all {count} persons",
        if own_logins {
            "each on its person's own login, under row-level security"
        } else {
            "on the owner's login"
        }
    );
    println!(
        "  the stock change itself (its transaction, the {count} notifications, NOTIFY):  median {:.1} ms",
        ms(median(&change))
    );
    println!(
        "  change start -> first desktop's badge count read:  median {:.1} ms, p99 {:.1} ms",
        ms(median(&first)),
        ms(p99(&first))
    );
    println!(
        "  change start -> {count}th desktop's badge count read:  median {:.1} ms, p99 {:.1} ms",
        ms(median(&last)),
        ms(p99(&last))
    );
    drop(listenings);
    for db in desktops {
        db.close().await;
    }
    writer.close().await;
}

/// An email channel that only records which deliveries it was given.
#[derive(Clone, Default)]
struct Counting(Arc<Mutex<Vec<i64>>>);

impl Channel for Counting {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(outgoing.id.get());
        Box::pin(async { Ok(()) })
    }
}

async fn sending() {
    let (_dir, writer) = fresh_on(Backend::Postgres).await;
    let url = support::postgres_url();
    let me = writer.current_user().expect("person");
    users::update(
        &writer,
        &UpdateUser {
            id: me,
            name: "Bench".into(),
            email: Some("bench@lab.example".into()),
        },
    )
    .await
    .expect("address");
    delivery::email::save_settings(
        &writer,
        &SaveEmailSettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port: 2525,
            security: EmailSecurity::None,
            username: None,
            password: PasswordChange::Clear,
            from_address: "Partwatch <stores@lab.example>".into(),
            instance_name: "Bench".into(),
        },
    )
    .await
    .expect("mail settings");
    let category = watched_category(&writer, &[me]).await;
    let mut items = Vec::new();
    for n in 0..EVENTS {
        items.push(part_in(&writer, category, &format!("Mailed {n}")).await);
    }
    let sent = Counting::default();
    let mut workers = Vec::new();
    let mut listenings = Vec::new();
    for n in 0..DESKTOPS_SENDING {
        let db = desktop(&url, &format!("Sender {n}")).await;
        let listening = live::listen(&db).expect("team database");
        live_now(&listening).await;
        listenings.push(listening);
        workers.push(Worker::start(
            db,
            ChannelSet::new().with(sent.clone()),
            DeliveryConfig::default(),
        ));
    }
    let start = Instant::now();
    for item in items {
        adjust(&writer, item, StockAdjustment::Remove(q("15")), "").await;
    }
    let queued = start.elapsed();
    loop {
        let pending: i64 = partwatch_core::sql::query_scalar(
            "SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND status = 'pending'",
        )
        .fetch_one(&writer)
        .await
        .expect("pending emails");
        if pending == 0 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(300), "sent in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let done = start.elapsed();
    for worker in workers {
        worker.stop().await;
    }
    let sent = sent
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let distinct: HashSet<i64> = sent.iter().copied().collect();
    println!(
        "deliveries: {DESKTOPS_SENDING} desktops' workers, {EVENTS} events one email each: \
         {} sends, {} distinct, {} twice; queued in {:.1} s, all sent {:.1} s after the first change",
        sent.len(),
        distinct.len(),
        sent.len() - distinct.len(),
        queued.as_secs_f64(),
        done.as_secs_f64()
    );
    assert_eq!(sent.len(), EVENTS, "every email sent");
    assert_eq!(distinct.len(), EVENTS, "no email sent twice");
    drop(listenings);
    writer.close().await;
}
