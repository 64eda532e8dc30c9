//! Two desktops on one team database (the harness's PostgreSQL): each works
//! as its own person, hears the other's changes at once (`LISTEN/NOTIFY`),
//! shows only its own person's popups, and between them they send each
//! email once. A lost listening connection is said, tried again and caught
//! up. Run inside tests/harness/with-services.sh, on either test backend
//! (these tests make their own PostgreSQL database).

use partwatch_core::delivery::{
    self, BoxFuture, Channel, ChannelSet, DeliveryConfig, DeliveryError, Outgoing, Readiness,
    Worker,
};
use partwatch_core::inventory::{stock, users};
use partwatch_core::notifications::{self, Announcement};
use partwatch_core::{live, CoreResult, Database};
use partwatch_types::delivery::{ChannelKind, DeliveryQuery, DeliveryStatus};
use partwatch_types::inventory::*;
use partwatch_types::TeamLink;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::broadcast;

mod support;
use partwatch_types::ErrorCode;
use support::harness::fast;
use support::postgres::{scratch_database, ScratchDatabase};
use support::{code, history_of, PartInputExt, World};

/// How long any wait here may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(15);

/// One person's desktop: its own data directory and database handle.
async fn desktop(url: &str, person: &str) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_postgres(url)
        .await
        .expect("the team database opens")
        .with_desktop_dir(dir.path());
    let me = users::current(&db, person).await.expect("a person").id;
    World { db, dir, me }
}

/// Opens the team database again from `dir`, as a desktop's next start does.
async fn restart(url: &str, dir: &Path, os_user: &str) -> Database {
    let db = Database::open_postgres(url)
        .await
        .expect("the team database opens")
        .with_desktop_dir(dir);
    users::current(&db, os_user).await.expect("a person");
    db
}

/// Waits for the next change of notifications, skipping `ChangedElsewhere`.
async fn next_notifications(announcements: &mut broadcast::Receiver<Announcement>) -> Announcement {
    tokio::time::timeout(PATIENCE, async {
        loop {
            match announcements.recv().await {
                Ok(Announcement::ChangedElsewhere)
                | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Ok(announcement) => return announcement,
                Err(broadcast::error::RecvError::Closed) => panic!("announcements closed"),
            }
        }
    })
    .await
    .expect("a change of notifications is heard")
}

/// Waits for a change of notifications that concerns `user`.
async fn heard_for(announcements: &mut broadcast::Receiver<Announcement>, user: UserId) {
    while !next_notifications(announcements).await.concerns(user) {}
}

async fn live_now(listening: &live::Listening) {
    let mut link = listening.link_changes();
    tokio::time::timeout(PATIENCE, link.wait_for(|link| *link == TeamLink::Live))
        .await
        .expect("listening within the patience")
        .expect("the listener runs");
}

#[tokio::test]
async fn each_desktop_works_as_its_own_person_and_remembers_them() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    assert_ne!(
        ada.me, ben.me,
        "the second desktop is not the first's person"
    );
    assert_eq!(
        users::get(&ben.db, ben.me)
            .await
            .expect("the call succeeds")
            .name,
        "Ben"
    );

    // What each does is recorded as theirs.
    let part = ada.part(PartInput::named("Fuse 1A").minimum("2")).await.id;
    let item = ada.add_item(part, "10").await;
    ada.remove(item, "1").await;
    ben.remove(item, "2").await;
    let history = stock::history(&ada.db, &history_of(part))
        .await
        .expect("the call succeeds");
    let by: Vec<(String, Option<String>)> = history
        .iter()
        .map(|entry| (entry.delta.clone(), entry.user.clone()))
        .collect();
    assert!(
        by.iter().any(|(_, who)| who.as_deref() == Some("Ada"))
            && by.iter().any(|(_, who)| who.as_deref() == Some("Ben")),
        "each change names its own person: {by:?}"
    );

    // Switching user is for a desktop's own file: on a team database each
    // desktop stays the person who signed in there.
    let cy = ben.user("Cy").await;
    assert_eq!(
        code(users::switch_current(&ben.db, cy).await),
        ErrorCode::Conflict
    );
    assert_eq!(ben.db.current_user(), Some(ben.me));
    assert_eq!(ada.db.current_user(), Some(ada.me));

    // Next start: each desktop is still its person, whatever the OS user is called.
    let ada_again = restart(&team.url, ada.dir.path(), "someone-else").await;
    assert_eq!(ada_again.current_user(), Some(ada.me));
    let ben_again = restart(&team.url, ben.dir.path(), "someone-else").await;
    assert_eq!(ben_again.current_user(), Some(ben.me));
    for db in [ada.db, ben.db, ada_again, ben_again] {
        db.close().await;
    }
    team.drop().await;
}

#[tokio::test]
async fn a_desktop_new_to_the_team_asks_who_is_there_once() {
    let team = scratch_database().await;
    // The first desktop on an unused team database is its first person.
    let ada_dir = tempfile::tempdir().expect("temp dir");
    let ada = Database::open_postgres(&team.url)
        .await
        .expect("opens")
        .with_desktop_dir(ada_dir.path());
    let first = users::at_start(&ada, "Ada").await.expect("start");
    assert_eq!(first.map(|u| u.name).as_deref(), Some("Ada"));

    // The next desktop is nobody until its person says who they are.
    let ben_dir = tempfile::tempdir().expect("temp dir");
    let open_ben = || async {
        Database::open_postgres(&team.url)
            .await
            .expect("opens")
            .with_desktop_dir(ben_dir.path())
    };
    let ben = open_ben().await;
    assert_eq!(users::at_start(&ben, "ben").await.expect("start"), None);
    assert_eq!(
        support::code(users::signed_in(&ben, "ben").await),
        partwatch_types::ErrorCode::NotFound
    );
    let choices = users::sign_in_choices(&ben, "ben").await.expect("choices");
    assert_eq!(
        choices
            .people
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["Ada"]
    );
    assert_eq!(choices.suggested_name, "ben");

    // A name already taken is refused, and nobody is added or signed in.
    let taken = users::sign_in(
        &ben,
        &SignIn::New(NewUser {
            name: "ada".into(),
            email: None,
        }),
    )
    .await;
    assert_eq!(support::code(taken), partwatch_types::ErrorCode::Conflict);
    assert_eq!(support::scalar(&ben, "SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(ben.current_user(), None);

    let signed = users::sign_in(
        &ben,
        &SignIn::New(NewUser {
            name: "Ben".into(),
            email: Some("ben@lab.example".into()),
        }),
    )
    .await
    .expect("Ben adds himself");
    assert_eq!(ben.current_user(), Some(signed.id));
    ben.close().await;

    // Remembered on Ben's desktop: the next start does not ask.
    let ben = open_ben().await;
    let again = users::at_start(&ben, "ben").await.expect("start");
    assert_eq!(again.map(|u| u.id), Some(signed.id));
    ben.close().await;

    // A deactivated person cannot be chosen.
    users::set_active(
        &ada,
        &SetUserActive {
            id: signed.id,
            active: false,
        },
    )
    .await
    .expect("deactivated");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let third = Database::open_postgres(&team.url)
        .await
        .expect("opens")
        .with_desktop_dir(elsewhere.path());
    assert_eq!(
        support::code(users::sign_in(&third, &SignIn::Existing(signed.id)).await),
        partwatch_types::ErrorCode::Conflict
    );
    assert_eq!(third.current_user(), None);
    third.close().await;
    ada.close().await;
    team.drop().await;
}

#[tokio::test]
async fn a_change_on_one_desktop_reaches_the_other_at_once_and_never_comes_back() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    let (_, item) = ada.watched_part("Relay 5V", &[ben.me]).await;
    let ben_listening = live::listen(&ben.db).expect("a team database is listened to");
    let ada_listening = live::listen(&ada.db).expect("a team database is listened to");
    live_now(&ben_listening).await;
    live_now(&ada_listening).await;
    let mut ben_hears = ben.db.announcements();
    let mut ada_hears = ada.db.announcements();

    // Ada's desktop takes the part below its minimum: Ben's hears of it.
    ada.go_low(item).await;
    heard_for(&mut ben_hears, ben.me).await;
    assert_eq!(
        notifications::unread_count(&ben.db, ben.me)
            .await
            .expect("the call succeeds"),
        1
    );

    // Ada's own desktop hears its change once (in memory), not again from
    // the server: the next thing it hears is Ben's change for Ada.
    let first = next_notifications(&mut ada_hears).await;
    assert!(
        first.concerns(ben.me),
        "Ada's desktop announced its own commit"
    );
    let (_, other) = ben.watched_part("Diode", &[ada.me]).await;
    ben.go_low(other).await;
    let next = next_notifications(&mut ada_hears).await;
    assert!(
        next.concerns(ada.me) && !next.concerns(ben.me),
        "the next announcement on Ada's desktop is Ben's change for Ada, not an echo: {next:?}"
    );

    // Any change, not only of notifications, makes the other desktops
    // show what they show again (a part made; nobody is told of it).
    let mut ben_sees = ben.db.announcements();
    ada.part(PartInput::named("Spare fuse")).await;
    let heard = tokio::time::timeout(PATIENCE, ben_sees.recv())
        .await
        .expect("the new part is heard of")
        .expect("announcements run");
    assert_eq!(heard, Announcement::ChangedElsewhere);

    // Reading on one desktop moves the badge wherever that person looks.
    notifications::mark_all_read(&ben.db, ben.me)
        .await
        .expect("the call succeeds");
    assert_eq!(
        notifications::unread_count(&ben.db, ben.me)
            .await
            .expect("the call succeeds"),
        0
    );

    drop((ben_listening, ada_listening));
    ada.db.close().await;
    ben.db.close().await;
    team.drop().await;
}

/// A sent delivery: its recipient and its event's title.
type Sent = (Option<UserId>, String);

/// A channel that records whose deliveries it sent.
#[derive(Clone)]
struct Recording {
    kind: ChannelKind,
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl Recording {
    fn new(kind: ChannelKind) -> Self {
        Self {
            kind,
            sent: Arc::default(),
        }
    }

    fn sent(&self) -> Vec<Sent> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Channel for Recording {
    fn kind(&self) -> ChannelKind {
        self.kind
    }

    fn check<'a>(&'a self, _outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        Box::pin(async { Ok(Readiness::Ready) })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((
                outgoing.recipient.as_ref().map(|r| r.user_id),
                outgoing.event.title.clone(),
            ));
        Box::pin(async { Ok(()) })
    }
}

async fn settled(team: &ScratchDatabase, channel: &str, count: i64) {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let sent: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM deliveries WHERE channel = $1 AND status = 'sent'",
            )
            .bind(channel)
            .fetch_one(&team.pool)
            .await
            .expect("the call succeeds");
            if sent >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{count} {channel} deliveries sent"));
}

#[tokio::test]
async fn popups_go_to_their_persons_desktop_and_each_mail_is_sent_once() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    for (w, address) in [(&ada, "ada@lab.example"), (&ben, "ben@lab.example")] {
        users::update(
            &w.db,
            &UpdateUser {
                id: w.me,
                name: users::get(&w.db, w.me)
                    .await
                    .expect("the call succeeds")
                    .name,
                email: Some(address.into()),
            },
        )
        .await
        .expect("an address");
    }
    ada.mail_on().await;
    let (ada_popups, ben_popups) = (
        Recording::new(ChannelKind::OsPopup),
        Recording::new(ChannelKind::OsPopup),
    );
    let (ada_mail, ben_mail) = (
        Recording::new(ChannelKind::Email),
        Recording::new(ChannelKind::Email),
    );
    let workers = [
        Worker::start(
            ada.db.clone(),
            ChannelSet::new()
                .with(ada_popups.clone())
                .with(ada_mail.clone()),
            fast(),
        ),
        Worker::start(
            ben.db.clone(),
            ChannelSet::new()
                .with(ben_popups.clone())
                .with(ben_mail.clone()),
            fast(),
        ),
    ];
    let listening = [
        live::listen(&ada.db).expect("the call succeeds"),
        live::listen(&ben.db).expect("the call succeeds"),
    ];
    for l in &listening {
        live_now(l).await;
    }

    // Ten parts both watch go low on Ada's desktop.
    for n in 0..10 {
        let (_, item) = ada
            .watched_part(&format!("Cap {n}"), &[ada.me, ben.me])
            .await;
        ada.go_low(item).await;
    }
    settled(&team, "os_popup", 20).await;
    settled(&team, "email", 20).await;

    assert!(
        ada_popups.sent().iter().all(|(to, _)| *to == Some(ada.me))
            && ada_popups.sent().len() == 10,
        "Ada's desktop shows Ada's ten popups only: {:?}",
        ada_popups.sent()
    );
    assert!(
        ben_popups.sent().iter().all(|(to, _)| *to == Some(ben.me))
            && ben_popups.sent().len() == 10,
        "Ben's desktop shows Ben's ten popups only (queued on Ada's): {:?}",
        ben_popups.sent()
    );
    let mut mails = ada_mail.sent();
    mails.extend(ben_mail.sent());
    let total = mails.len();
    mails.sort();
    mails.dedup();
    assert_eq!(
        (total, mails.len()),
        (20, 20),
        "twenty mails between the two desktops, none twice"
    );
    let log = delivery::list(&ada.db, &DeliveryQuery::default())
        .await
        .expect("the call succeeds");
    assert!(log
        .iter()
        .filter(|d| d.channel != ChannelKind::Webhook)
        .all(|d| d.status == DeliveryStatus::Sent && d.attempts == 1));

    for worker in workers {
        worker.stop().await;
    }
    drop(listening);
    ada.db.close().await;
    ben.db.close().await;
    team.drop().await;
}

/// An email channel whose sends hang until the test opens the gate: a send
/// in flight, under its desktop's lease.
#[derive(Clone)]
struct Gated {
    sent: Recording,
    started: Arc<Mutex<u32>>,
    gate: Arc<tokio::sync::Semaphore>,
}

impl Gated {
    fn new() -> Self {
        Self {
            sent: Recording::new(ChannelKind::Email),
            started: Arc::default(),
            gate: Arc::new(tokio::sync::Semaphore::new(0)),
        }
    }

    fn started(&self) -> u32 {
        *self.started.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Channel for Gated {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        *self.started.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        Box::pin(async move {
            let _open = self.gate.acquire().await;
            self.sent.deliver(outgoing).await
        })
    }
}

/// A desktop that starts releases only the leases its own last run left
/// (a crash's sends are due again at once), never another running
/// desktop's send in flight: that mail goes out once, from the desktop
/// sending it.
#[tokio::test]
async fn a_starting_desktop_leaves_another_desktops_sends_in_flight_alone() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    users::update(
        &ada.db,
        &UpdateUser {
            id: ada.me,
            name: "Ada".into(),
            email: Some("ada@lab.example".into()),
        },
    )
    .await
    .expect("an address");
    ada.mail_on().await;
    // Sends may take 30 s, so a lease lasts 65 s: longer than this test.
    let patient = DeliveryConfig {
        send_timeout: Duration::from_secs(30),
        ..fast()
    };

    // Ben's desktop is sending Ada's mail, slowly.
    let ben_mail = Gated::new();
    let ben_worker = Worker::start(
        ben.db.clone(),
        ChannelSet::new().with(ben_mail.clone()),
        patient.clone(),
    );
    // Ben's desktop hears Ada's change, which wakes its worker.
    let ben_listening = live::listen(&ben.db).expect("the call succeeds");
    live_now(&ben_listening).await;
    let (_, item) = ada.watched_part("Lease fuse", &[ada.me]).await;
    ada.go_low(item).await;
    tokio::time::timeout(PATIENCE, async {
        while ben_mail.started() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("Ben's desktop starts sending");

    // Ada's desktop starts. Her popup going out shows her worker has
    // started (releasing its own leases) and passed over the due rows.
    let (ada_popups, ada_mail) = (
        Recording::new(ChannelKind::OsPopup),
        Recording::new(ChannelKind::Email),
    );
    let ada_worker = Worker::start(
        ada.db.clone(),
        ChannelSet::new()
            .with(ada_popups.clone())
            .with(ada_mail.clone()),
        patient.clone(),
    );
    settled(&team, "os_popup", 1).await;
    let (status, leased_by): (String, Option<String>) =
        sqlx::query_as("SELECT status, leased_by FROM deliveries WHERE channel = 'email'")
            .fetch_one(&team.pool)
            .await
            .expect("the mail's row");
    assert_eq!(status, "pending", "still in flight on Ben's desktop");
    assert!(leased_by.is_some(), "leased, by Ben's desktop");
    assert!(ada_mail.sent().is_empty(), "Ada's desktop left it alone");

    // Ben's send ends: one mail, from his desktop.
    ben_mail.gate.add_permits(1);
    settled(&team, "email", 1).await;
    ada_worker.stop().await;
    ben_worker.stop().await;
    assert_eq!(ben_mail.sent.sent().len(), 1);
    assert!(ada_mail.sent().is_empty(), "{:?}", ada_mail.sent());

    // Ben's desktop dies mid-send; its next start (same data directory)
    // sends it again at once rather than after the lease.
    let (_, item) = ada.watched_part("Crash fuse", &[ada.me]).await;
    let hanging = Gated::new();
    let dying = Worker::start(
        ben.db.clone(),
        ChannelSet::new().with(hanging.clone()),
        patient.clone(),
    );
    ada.go_low(item).await;
    tokio::time::timeout(PATIENCE, async {
        while hanging.started() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the doomed send starts");
    dying.abort().await;
    drop(ben_listening);
    let restarted = restart(&team.url, ben.dir.path(), "Ben").await;
    let again = Recording::new(ChannelKind::Email);
    let worker = Worker::start(
        restarted.clone(),
        ChannelSet::new().with(again.clone()),
        patient,
    );
    settled(&team, "email", 2).await;
    worker.stop().await;
    assert_eq!(again.sent().len(), 1, "sent by Ben's next start");

    restarted.close().await;
    ada.db.close().await;
    ben.db.close().await;
    team.drop().await;
}

#[tokio::test]
async fn a_lost_connection_is_said_tried_again_and_caught_up() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    let (_, item) = ada.watched_part("Crystal", &[ben.me]).await;
    let listening = live::listen(&ben.db).expect("the call succeeds");
    live_now(&listening).await;
    let mut link = listening.link_changes();
    let mut ben_hears = ben.db.announcements();

    // The server drops Ben's listening connection (as a network cut would).
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&team.pool)
        .await
        .expect("the call succeeds");
    let cut: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
          WHERE datname = $1 AND query LIKE 'LISTEN%'",
    )
    .bind(&database)
    .fetch_one(&team.pool)
    .await
    .expect("the call succeeds");
    assert_eq!(cut, 1, "one listening connection");
    let lost = tokio::time::timeout(
        PATIENCE,
        link.wait_for(|l| matches!(l, TeamLink::Lost { .. })),
    )
    .await
    .expect("the loss is said")
    .expect("the call succeeds")
    .clone();
    let TeamLink::Lost {
        reason, attempts, ..
    } = lost
    else {
        unreachable!()
    };
    assert!(!reason.is_empty() && attempts >= 1);

    // Meanwhile Ada's desktop takes the part low: Ben's hears of it once
    // listening again, from the catch-up if not from the server.
    ada.go_low(item).await;
    tokio::time::timeout(PATIENCE, link.wait_for(|l| *l == TeamLink::Live))
        .await
        .expect("listening again after the backoff")
        .expect("the call succeeds");
    heard_for(&mut ben_hears, ben.me).await;
    assert_eq!(
        notifications::unread_count(&ben.db, ben.me)
            .await
            .expect("the call succeeds"),
        1
    );

    drop(listening);
    ada.db.close().await;
    ben.db.close().await;
    team.drop().await;
}

#[tokio::test]
async fn a_transaction_that_writes_nothing_tells_no_one() {
    let team = scratch_database().await;
    let ada = desktop(&team.url, "Ada").await;
    let ben = desktop(&team.url, "Ben").await;
    let (_, item) = ada.watched_part("Fuse 2A", &[ben.me]).await;
    let listening = live::listen(&ben.db).expect("a team database is listened to");
    live_now(&listening).await;
    let mut ben_hears = ben.db.announcements();

    // Ada's desktop starts again: it reads who works there under the
    // writers' lock and writes nothing. Then it takes the part low.
    users::current(&ada.db, "Ada").await.expect("Ada");
    ada.go_low(item).await;
    let first = tokio::time::timeout(PATIENCE, ben_hears.recv())
        .await
        .expect("the change is heard")
        .expect("announcements run");
    assert!(
        matches!(first, Announcement::Notifications { .. }),
        "the first thing Ben's desktop hears is the stock change, not the start: {first:?}"
    );
    drop(listening);
    ada.db.close().await;
    ben.db.close().await;
    team.drop().await;
}

#[tokio::test]
async fn a_sqlite_file_has_no_one_to_listen_to() {
    let dir = tempfile::tempdir().expect("the call succeeds");
    let db = Database::open_in(dir.path())
        .await
        .expect("the call succeeds");
    assert!(live::listen(&db).is_none());
}
