//! Each person of a team connects with their own PostgreSQL login, and the
//! server holds every login to the rules (row-level security): a person
//! reads and changes only their own notifications, subscriptions and
//! personal settings; the team's settings need an administrator. Another
//! person's desktop still notifies them, sends their email and resolves
//! their low-stock notification. Run inside tests/harness/with-services.sh,
//! on either test backend (these tests make their own PostgreSQL database).

use partwatch_core::delivery::{
    BoxFuture, Channel, ChannelSet, DeliveryError, Outgoing, Readiness, Worker,
};
use partwatch_core::inventory::users;
use partwatch_core::{
    logins, notifications, preferences, settings, snoozes, CoreError, CoreResult, Database,
};
use partwatch_types::delivery::{ChannelKind, WebhookInput, WebhookKind};
use partwatch_types::inventory::*;
use partwatch_types::notifications::{
    GlobalSettings, NotificationKind, PersonalChannel, Preference, Reminder, SetSnooze,
    SnoozeLength, SnoozeTarget,
};
use partwatch_types::ErrorCode;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

mod support;
use support::harness::fast;
use support::postgres::scratch_database;
use support::{code, sqlite_world, World};

/// A login of the harness's cluster (roles are the cluster's, so each name
/// is new), with its password; returns the team database's URL for it.
async fn new_login(owner: &PgPool, team_url: &str, first_name: &str) -> (String, String) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let login = format!(
        "{first_name}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(&format!(
        "CREATE ROLE {login} LOGIN PASSWORD 'secret of {first_name}'"
    ))
    .execute(owner)
    .await
    .expect("the harness's superuser creates a login");
    let (_, rest) = team_url.split_once('@').expect("the URL names its user");
    let url = format!("postgres://{login}:secret%20of%20{first_name}@{rest}");
    (login, url)
}

/// A desktop connected with a person's own login, as it starts.
async fn desktop_as(url: &str) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_postgres(url)
        .await
        .expect("a person's login opens the team database")
        .with_desktop_dir(dir.path());
    let me = users::at_start(&db, "whoever the OS says")
        .await
        .expect("the call succeeds")
        .expect("the login says who this is, without asking")
        .id;
    World { db, dir, me }
}

/// The same, as hand-written SQL on that login sees it.
async fn psql_as(url: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the login connects")
}

async fn count(pool: &PgPool, sql: &str, user: UserId) -> i64 {
    sqlx::query_scalar(sql)
        .bind(user.0)
        .fetch_one(pool)
        .await
        .expect("the query runs")
}

fn sqlstate(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> Option<String> {
    match result {
        Err(sqlx::Error::Database(err)) => err.code().map(|c| c.into_owned()),
        other => panic!("expected the server to refuse, got {other:?}"),
    }
}

/// An email channel that records whom it mailed and why.
#[derive(Clone, Default)]
struct Mailbox {
    sent: Arc<Mutex<Vec<(UserId, String)>>>,
}

impl Channel for Mailbox {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn check<'a>(&'a self, _outgoing: &'a Outgoing) -> BoxFuture<'a, CoreResult<Readiness>> {
        Box::pin(async { Ok(Readiness::Ready) })
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        if let Some(to) = &outgoing.recipient {
            self.sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((to.user_id, to.reason.clone()));
        }
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_person_reads_only_their_own_notifications_even_by_hand() {
    let team = scratch_database().await;
    // The owner's desktop sets the team up: two people, a mail server.
    let owner = desktop_as_owner(&team.url).await;
    let ada = owner.user_with_email("Ada", Some("ada@lab.example")).await;
    let ben = owner.user_with_email("Ben", Some("ben@lab.example")).await;
    owner.mail_on().await;
    let (ada_login, ada_url) = new_login(&team.pool, &team.url, "ada").await;
    let (ben_login, ben_url) = new_login(&team.pool, &team.url, "ben").await;

    // Giving logins: only existing logins of no one else, to people who exist.
    assert_eq!(
        code(logins::grant_login(&owner.db, "Ada", "nobody_has_this", false).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(logins::grant_login(&owner.db, "Zed", &ada_login, false).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(logins::grant_login(&owner.db, "Ada", "partwatch_admin", false).await),
        ErrorCode::InvalidInput,
        "a superuser login is not held to any rule"
    );
    let granted = logins::grant_login(&owner.db, " ada ", &ada_login, true)
        .await
        .expect("Ada gets her login");
    assert_eq!((granted.person, granted.administrator), (ada, true));
    logins::grant_login(&owner.db, "Ben", &ben_login, false)
        .await
        .expect("Ben gets his login");
    assert_eq!(
        code(logins::grant_login(&owner.db, "Ada", &ben_login, true).await),
        ErrorCode::Conflict,
        "a login is one person's"
    );

    // Each desktop is its login's person, without asking.
    let ada_desk = desktop_as(&ada_url).await;
    let ben_desk = desktop_as(&ben_url).await;
    assert_eq!((ada_desk.me, ben_desk.me), (ada, ben));
    assert_eq!(
        code(users::sign_in(&ben_desk.db, &SignIn::Existing(ada)).await),
        ErrorCode::Forbidden,
        "Ben's login cannot work as Ada"
    );
    assert_eq!(
        code(users::switch_current(&ben_desk.db, ada).await),
        ErrorCode::Conflict,
        "no switching users on a team database"
    );

    // Ben watches a part; Ada cannot press the bell for him.
    let (part, item) = ada_desk.watched_part("Relay 5V", &[]).await;
    ben_desk.watch_part(ben, part).await;
    assert_eq!(
        code(partwatch_core::subscriptions::set_part(&ada_desk.db, ben, part, true).await),
        ErrorCode::Forbidden
    );

    // Ada's desktop takes the part low: Ben is told (and mailed, by Ada's
    // desktop, the only one sending), Ada is not.
    let mailbox = Mailbox::default();
    let worker = Worker::start(
        ada_desk.db.clone(),
        ChannelSet::new().with(mailbox.clone()),
        fast(),
    );
    ada_desk.go_low(item).await;
    assert_eq!(
        notifications::unread_count(&ben_desk.db, ben)
            .await
            .expect("the call succeeds"),
        1
    );
    let mailed = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let sent = mailbox
                .sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if !sent.is_empty() {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("Ada's desktop mails Ben");
    assert_eq!(mailed.len(), 1);
    assert_eq!(mailed[0].0, ben);
    assert!(
        mailed[0].1 == "you watch this part",
        "the mail says why Ben is told: {:?}",
        mailed[0].1
    );
    worker.stop().await;

    // By hand, on Ada's login: Ben's notification is not there to read,
    // mark or delete, nor is his unread count.
    let ada_sql = psql_as(&ada_url).await;
    let ben_sql = psql_as(&ben_url).await;
    let of_ben = "SELECT COUNT(*) FROM notifications WHERE user_id = $1";
    assert_eq!(count(&ben_sql, of_ben, ben).await, 1, "Ben reads his own");
    assert_eq!(
        count(&ada_sql, of_ben, ben).await,
        0,
        "Ada cannot read Ben's"
    );
    assert_eq!(
        count(
            &ada_sql,
            "SELECT COUNT(*) FROM notifications WHERE user_id <> $1",
            ada
        )
        .await,
        0,
        "nor anyone else's"
    );
    assert_eq!(
        count(
            &ada_sql,
            "SELECT COUNT(*) FROM unread_counts WHERE user_id = $1",
            ben
        )
        .await,
        0
    );
    for change in [
        "UPDATE notifications SET read_at = '2026-01-01T00:00:00.000Z' WHERE user_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
    ] {
        let done = sqlx::query(change)
            .bind(ben.0)
            .execute(&ada_sql)
            .await
            .expect("the statement runs");
        assert_eq!(done.rows_affected(), 0, "{change}");
    }
    assert_eq!(
        count(
            &ben_sql,
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            ben
        )
        .await,
        1,
        "Ben's notification is untouched"
    );
    // Nor can Ada subscribe Ben, or change his settings, or make Ben an
    // administrator; Ben cannot make himself one.
    assert_eq!(
        sqlstate(
            sqlx::query("INSERT INTO part_subscriptions (user_id, part_id) VALUES ($1, $2)")
                .bind(ben.0)
                .bind(part.0)
                .execute(&ada_sql)
                .await
        )
        .as_deref(),
        Some("42501")
    );
    assert_eq!(
        sqlstate(
            sqlx::query(
                "INSERT INTO notification_preferences (user_id, kind, channel, enabled)
                 VALUES ($1, 'low_stock', 'email', FALSE)"
            )
            .bind(ben.0)
            .execute(&ada_sql)
            .await
        )
        .as_deref(),
        Some("42501"),
        "Ada cannot choose for Ben"
    );
    let changed = sqlx::query(
        "UPDATE user_settings SET popups_paused_until = '2099-01-01T00:00:00.000Z' WHERE user_id = $1",
    )
        .bind(ben.0)
        .execute(&ada_sql)
        .await;
    assert!(
        matches!(&changed, Ok(done) if done.rows_affected() == 0) || changed.is_err(),
        "Ada cannot change Ben's settings: {changed:?}"
    );
    assert_eq!(
        sqlstate(
            sqlx::query("UPDATE users SET administrator = TRUE WHERE id = $1")
                .bind(ben.0)
                .execute(&ben_sql)
                .await
        )
        .as_deref(),
        Some("42501")
    );

    // Nor can Ada trick the server's own functions into deleting everyone's
    // notifications with a temporary table of her own settings.
    sqlx::query("CREATE TEMP TABLE global_settings AS SELECT 1 AS id, 0 AS delete_after_days")
        .execute(&ada_sql)
        .await
        .expect("anyone may make a temporary table");
    sqlx::query("SELECT * FROM partwatch_delete_notifications_before('9999')")
        .execute(&ada_sql)
        .await
        .expect("the retention function runs");
    assert_eq!(
        count(&ben_sql, of_ben, ben).await,
        1,
        "Ben's notification is kept"
    );

    // A webhook is an administrator's to remove.
    let hook = partwatch_core::delivery::webhook::create(
        &ada_desk.db,
        &WebhookInput {
            name: "Stores channel".into(),
            kind: WebhookKind::Slack,
            url: "https://hooks.slack.com/services/T0/B0/x".into(),
            events: vec![NotificationKind::LowStock],
            enabled: false,
        },
    )
    .await
    .expect("an administrator adds a webhook");
    assert_eq!(
        code(partwatch_core::delivery::webhook::delete(&ben_desk.db, hook.id).await),
        ErrorCode::Forbidden
    );

    // The team's settings: Ben may not change them, Ada (an administrator) may
    // (and their windows know it, to show them read-only to Ben).
    let may = |w: &World| {
        let db = w.db.clone();
        async move {
            logins::permissions(&db)
                .await
                .expect("the call succeeds")
                .team_settings
        }
    };
    assert!(!may(&ben_desk).await, "Ben is not an administrator");
    assert!(may(&ada_desk).await, "Ada is");
    let quieter = GlobalSettings {
        delete_after_days: 60,
        ..settings::global(&ben_desk.db)
            .await
            .expect("Ben reads them")
    };
    let refused = settings::update_global(&ben_desk.db, &quieter).await;
    assert!(
        matches!(&refused, Err(CoreError::Forbidden(message)) if message.contains("administrator")),
        "{refused:?}"
    );
    assert_eq!(
        settings::global(&ben_desk.db)
            .await
            .expect("the call succeeds")
            .delete_after_days,
        30,
        "nothing changed"
    );
    settings::update_global(&ada_desk.db, &quieter)
        .await
        .expect("an administrator changes them");
    // The team's default preferences likewise; a person's own are theirs.
    let no_mail = [Preference {
        event: NotificationKind::BuildShortage,
        channel: PersonalChannel::Email,
        enabled: false,
    }];
    assert_eq!(
        code(preferences::update_team_defaults(&ben_desk.db, ben, &no_mail).await),
        ErrorCode::Forbidden
    );
    let bens = preferences::update_mine(&ben_desk.db, ben, &no_mail)
        .await
        .expect("Ben chooses for himself");
    assert!(!bens.mine(NotificationKind::BuildShortage, PersonalChannel::Email));
    assert!(bens.team_default(NotificationKind::BuildShortage, PersonalChannel::Email));
    let defaults = preferences::update_team_defaults(&ada_desk.db, ada, &no_mail)
        .await
        .expect("an administrator changes the team's defaults");
    assert!(!defaults.team_default(NotificationKind::BuildShortage, PersonalChannel::Email));

    // Ben snoozes the part until it is back in stock; Ada cannot end his
    // snooze by hand.
    let relay = SnoozeTarget::Part(part);
    snoozes::set(
        &ben_desk.db,
        ben,
        &SetSnooze {
            target: relay,
            length: SnoozeLength::BackInStock,
        },
    )
    .await
    .expect("Ben snoozes it");
    let deleted = sqlx::query("DELETE FROM snoozes WHERE user_id = $1")
        .bind(ben.0)
        .execute(&ada_sql)
        .await
        .expect("the statement runs");
    assert_eq!(deleted.rows_affected(), 0, "Ada cannot end Ben's snooze");

    // Ada restocks: Ben's low-stock notification is resolved (and read),
    // though her login cannot see it, and his snooze is over.
    ada_desk.refill(item).await;
    assert_eq!(
        snoozes::get(&ben_desk.db, ben, relay)
            .await
            .expect("the call succeeds"),
        None
    );
    assert_eq!(
        notifications::unread_count(&ben_desk.db, ben)
            .await
            .expect("the call succeeds"),
        0
    );

    // Ben's unread reminder, queued by Ada's desktop: her login cannot read
    // his notification, the server's function tells whether it is unread.
    preferences::update_mine(
        &ben_desk.db,
        ben,
        &[Preference {
            event: NotificationKind::LowStock,
            channel: PersonalChannel::Email,
            enabled: false,
        }],
    )
    .await
    .expect("Ben wants no low-stock mail");
    preferences::update_reminder(
        &ben_desk.db,
        ben,
        &Reminder {
            after_hours: Some(2),
        },
    )
    .await
    .expect("but a reminder after two hours");
    ada_desk.go_low(item).await;
    let still_unread = "SELECT partwatch_reminder_unread(id) FROM deliveries
                         WHERE user_id = $1 AND only_if_unread AND status = 'pending'";
    let ask = |pool: &PgPool| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<bool>>(still_unread)
                .bind(ben.0)
                .fetch_all(&pool)
                .await
                .expect("the function answers")
        }
    };
    assert_eq!(ask(&ada_sql).await, [Some(true)]);
    notifications::mark_all_read(&ben_desk.db, ben)
        .await
        .expect("Ben reads it");
    assert_eq!(ask(&ada_sql).await, [Some(false)]);

    // Ben cannot reactivate himself once an administrator has deactivated
    // him, and his login then opens nothing of his.
    users::set_active(
        &ada_desk.db,
        &SetUserActive {
            id: ben,
            active: false,
        },
    )
    .await
    .expect("an administrator deactivates Ben");
    assert_eq!(
        sqlstate(
            sqlx::query("UPDATE users SET active = TRUE WHERE id = $1")
                .bind(ben.0)
                .execute(&ben_sql)
                .await
        )
        .as_deref(),
        Some("42501")
    );
    assert_eq!(
        count(&ben_sql, of_ben, ben).await,
        0,
        "nothing to read any more"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let again = Database::open_postgres(&ben_url)
        .await
        .expect("the database opens")
        .with_desktop_dir(dir.path());
    assert_eq!(
        code(users::at_start(&again, "Ben").await),
        ErrorCode::Forbidden,
        "a deactivated person's desktop is told so"
    );
    again.close().await;

    ada_sql.close().await;
    ben_sql.close().await;
    for w in [owner, ada_desk, ben_desk] {
        w.db.close().await;
    }
    team.drop().await;
}

#[tokio::test]
async fn a_person_login_never_migrates_and_a_sqlite_file_has_no_logins() {
    let team = scratch_database().await;
    let owner = desktop_as_owner(&team.url).await;
    owner.user("Cy").await;
    let (login, url) = new_login(&team.pool, &team.url, "cy").await;
    logins::grant_login(&owner.db, "Cy", &login, false)
        .await
        .expect("Cy gets a login");
    // An up-to-date database opens on Cy's login; one the owner has not
    // brought up to date yet is refused in words, and nothing is run on it.
    desktop_as(&url).await.db.close().await;
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&team.pool)
    .await
    .expect("pretend the newest migration is not there yet");
    let refused = Database::open_postgres(&url).await;
    assert!(
        matches!(&refused, Err(CoreError::Forbidden(message)) if message.contains("owns the database")),
        "{:?}",
        refused.err()
    );

    assert!(
        logins::permissions(&owner.db)
            .await
            .expect("the call succeeds")
            .team_settings,
        "the owner's login changes everything"
    );

    let file = sqlite_world().await;
    assert_eq!(
        code(logins::grant_login(&file.db, "Me", "me", false).await),
        ErrorCode::InvalidInput
    );
    assert!(
        logins::permissions(&file.db)
            .await
            .expect("the call succeeds")
            .team_settings,
        "one person alone on their own file"
    );
    file.db.close().await;
    owner.db.close().await;
    team.drop().await;
}

/// The desktop of the login that owns the team database (the harness's
/// superuser here), with its first person.
async fn desktop_as_owner(url: &str) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open_postgres(url)
        .await
        .expect("the owner opens the team database")
        .with_desktop_dir(dir.path());
    let me = users::current(&db, "Owner").await.expect("a person").id;
    World { db, dir, me }
}
