//! Delivery against real servers started by the test harness
//! (tests/harness/with-services.sh): Debian's aiosmtpd (plain and STARTTLS
//! with AUTH), a notification server on the private D-Bus session bus, and a
//! local HTTP server started here. Run with `bash tests/run.sh`.

use partwatch_core::delivery::email::{self, EmailChannel};
use partwatch_core::delivery::popup::PopupChannel;
use partwatch_core::delivery::webhook::{self, WebhookChannel};
use partwatch_core::delivery::{self, ChannelSet, DeliveryConfig, Worker};
use partwatch_core::inventory::users;
use partwatch_core::secrets::{OsKeyring, SecretStore, WithoutKeyring, NO_KEYRING};
use partwatch_types::delivery::*;
use partwatch_types::inventory::*;
use partwatch_types::notifications::{NotificationKind, NotificationTarget, PersonalChannel};
use partwatch_types::ErrorCode;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod support;
use support::harness::{fast, harness, popups_with, spooled_mails_to, wait_for_popups};
use support::{line, order, q, world, World};

const HOSTILE: &str = r#"<b>&"x"</b>"#;

impl World {
    /// Saves and enables mail through this server; with a password, signing
    /// in as "partwatch".
    async fn configure_email(&self, security: EmailSecurity, port: u16, password: Option<&str>) {
        email::save_settings(&self.db, &mail_server(security, port, password))
            .await
            .expect("email settings");
    }

    /// Gives me (the person working here) the address `address`.
    async fn give_me_address(&self, address: &str) {
        let me = users::get(&self.db, self.me).await.expect("me");
        users::update(
            &self.db,
            &UpdateUser {
                id: self.me,
                name: me.name,
                email: Some(address.into()),
            },
        )
        .await
        .expect("my address");
    }

    /// Marks my notification about `part` read.
    async fn read_mine_about(&self, part: PartId) {
        let id: partwatch_types::notifications::NotificationId =
            partwatch_core::sql::query_scalar("SELECT id FROM notifications WHERE part_id = $1")
                .bind(part)
                .fetch_one(&self.db)
                .await
                .expect("the notification");
        partwatch_core::notifications::mark(&self.db, self.me, &[id], true)
            .await
            .expect("read");
    }

    /// Mail through the harness's plain SMTP server, no login.
    async fn configure_plain_email(&self) {
        self.configure_email(EmailSecurity::None, port("PARTWATCH_SMTP_PLAIN_PORT"), None)
            .await;
    }

    async fn deliveries(&self, channel: ChannelKind) -> Vec<Delivery> {
        delivery::list(
            &self.db,
            &DeliveryQuery {
                channel: Some(channel),
                ..DeliveryQuery::default()
            },
        )
        .await
        .expect("delivery log")
    }

    /// Waits (up to 5 s) until the first delivery on `channel` has been
    /// tried twice, and returns it.
    async fn tried_twice(&self, channel: ChannelKind) -> Delivery {
        for _ in 0..200 {
            let log = self.deliveries(channel).await;
            if log[0].attempts >= 2 {
                return log[0].clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the first {channel:?} delivery was not tried twice: {:#?}",
            self.deliveries(channel).await
        );
    }

    /// Waits until every delivery on `channel` is out of "pending".
    async fn settled(&self, channel: ChannelKind) -> Vec<Delivery> {
        for _ in 0..200 {
            let all = self.deliveries(channel).await;
            if !all.is_empty() && all.iter().all(|d| d.status != DeliveryStatus::Pending) {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "deliveries still pending: {:#?}",
            self.deliveries(channel).await
        );
    }
}

// ------------------------------------------------------------------ mail

struct Mail {
    meta: Value,
    headers: String,
    text: String,
    html: String,
}

/// Decodes a quoted-printable body (soft line breaks and =XX escapes).
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() + 1 {
            if let Some(hex) = joined.get(i + 1..i + 3) {
                if let Ok(byte) = u8::from_str_radix(hex, 16) {
                    out.push(byte);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a multipart/alternative message into its plain and HTML parts.
fn parse_mail(raw: &str, meta: Value) -> Mail {
    let (headers, body) = raw.split_once("\r\n\r\n").expect("headers and body");
    let boundary = headers
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a multipart message");
    let mut text = String::new();
    let mut html = String::new();
    for part in body.split(&format!("--{boundary}")) {
        let Some((part_headers, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let lower = part_headers.to_ascii_lowercase();
        let decoded = if lower.contains("quoted-printable") {
            quoted_printable(content)
        } else {
            content.to_owned()
        };
        if lower.contains("text/plain") {
            text = decoded;
        } else if lower.contains("text/html") {
            html = decoded;
        }
    }
    Mail {
        meta,
        headers: headers.to_owned(),
        text,
        html,
    }
}

/// The mails in `spool` addressed to `to`, waiting up to 10 s for `count` of them.
async fn mails_to(spool: &str, to: &str, count: usize) -> Vec<Mail> {
    for _ in 0..200 {
        let found: Vec<Mail> = spooled_mails_to(spool, to)
            .into_iter()
            .map(|(raw, meta)| parse_mail(&raw, meta))
            .collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} mail(s) to {to} arrived in {spool}");
}

/// The mail server settings that send through this server; with a password,
/// signing in as "partwatch".
fn mail_server(security: EmailSecurity, port: u16, password: Option<&str>) -> SaveEmailSettings {
    SaveEmailSettings {
        enabled: true,
        host: if security == EmailSecurity::None {
            "127.0.0.1".into()
        } else {
            "localhost".into()
        },
        port,
        security,
        username: password.map(|_| "partwatch".to_owned()),
        password: password.map_or(PasswordChange::Clear, |p| PasswordChange::Set(p.into())),
        from_address: "Partwatch <stores@lab.example>".into(),
        instance_name: "Lab".into(),
    }
}

fn email_worker(w: &World, config: DeliveryConfig) -> Worker {
    let channels = ChannelSet::new().with(EmailChannel::new(w.db.clone(), config.clone()));
    Worker::start(w.db.clone(), channels, config)
}

async fn low_stock_mail_arrives(
    security: EmailSecurity,
    port: u16,
    password: Option<&str>,
    listener: &str,
) {
    let w = world().await;
    let address = format!("ada-{listener}@lab.example");
    let ada = w.user_with_email("Ada", Some(&address)).await;
    let (part, item) = w.watched_part(HOSTILE, &[ada]).await;
    w.configure_email(security, port, password).await;
    let worker = email_worker(&w, fast());
    w.go_low(item).await;

    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), &address, 1).await;
    worker.stop().await;
    let mail = &mails[0];
    assert_eq!(mail.meta["listener"], listener);
    assert_eq!(mail.meta["tls"], security != EmailSecurity::None);
    assert_eq!(mail.meta["from"], "stores@lab.example");
    assert!(
        mail.headers.contains(&format!("To: Ada <{address}>")),
        "{}",
        mail.headers
    );
    assert!(
        mail.headers
            .contains(&format!("Subject: [Lab] Low stock: {HOSTILE}")),
        "{}",
        mail.headers
    );
    assert!(
        mail.headers.contains("multipart/alternative"),
        "{}",
        mail.headers
    );
    // The plain part has the figures and the link back into the app.
    for expected in [
        format!("Part:      {HOSTILE}"),
        "In stock:  5 pcs".to_owned(),
        "Minimum:   10 pcs".to_owned(),
        format!("partwatch://parts/{part}"),
        "You receive this because you watch this part.".to_owned(),
    ] {
        assert!(
            mail.text.contains(&expected),
            "{expected:?} missing from:\n{}",
            mail.text
        );
    }
    // The HTML part has the name escaped, never as markup.
    assert!(
        mail.html.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"),
        "{}",
        mail.html
    );
    assert!(!mail.html.contains(HOSTILE), "{}", mail.html);
    assert!(
        mail.html
            .contains(&format!("href=\"partwatch://parts/{part}\"")),
        "{}",
        mail.html
    );

    let log = w.settled(ChannelKind::Email).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, DeliveryStatus::Sent);
    assert_eq!(log[0].attempts, 1);
    assert_eq!(log[0].recipient, format!("Ada <{address}>"));
}

fn port(var: &str) -> u16 {
    harness(var).parse().expect("port")
}

#[tokio::test]
async fn low_stock_email_reaches_a_plain_smtp_server_with_both_parts_escaped() {
    low_stock_mail_arrives(
        EmailSecurity::None,
        port("PARTWATCH_SMTP_PLAIN_PORT"),
        None,
        "plain",
    )
    .await;
}

#[tokio::test]
async fn low_stock_email_goes_over_starttls_with_a_login() {
    low_stock_mail_arrives(
        EmailSecurity::Starttls,
        port("PARTWATCH_SMTP_STARTTLS_PORT"),
        Some("secret"),
        "starttls",
    )
    .await;
}

#[tokio::test]
async fn a_build_shortage_email_has_a_table_of_short_lines() {
    let w = world().await;
    let address = "builder@lab.example";
    let builder = w.user_with_email("Builder", Some(address)).await;
    let board = w.assembly("Board").await;
    let chip = w.part(PartInput::named(HOSTILE)).await.id;
    w.add_line(line(board, chip, "2")).await;
    w.configure_plain_email().await;
    let worker = email_worker(&w, fast());
    w.build(NewBuildOrder {
        responsible_id: Some(builder),
        ..order(board, "3")
    })
    .await;
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 1).await;
    worker.stop().await;
    let mail = &mails[0];
    assert!(
        mail.headers
            .contains("Subject: [Lab] Stock required for build order BO-0001"),
        "{}",
        mail.headers
    );
    assert!(mail.html.contains("<th style"), "a table: {}", mail.html);
    assert!(
        mail.html
            .contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</td><td style"),
        "{}",
        mail.html
    );
    assert!(
        mail.text.contains("Required") && mail.text.contains("Available"),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains("you are responsible for build BO-0001"),
        "{}",
        mail.text
    );
}

#[tokio::test]
async fn users_without_an_address_or_who_opted_out_are_skipped_and_the_log_says_why() {
    let w = world().await;
    let nobody = w.user_with_email("Nobody", None).await;
    let quiet = w.user_with_email("Quiet", Some("quiet@lab.example")).await;
    w.prefer(
        quiet,
        &[(NotificationKind::LowStock, PersonalChannel::Email, false)],
    )
    .await;
    let (_, item) = w.watched_part("Skipped part", &[nobody, quiet]).await;
    w.configure_plain_email().await;
    w.go_low(item).await;
    let mut log: Vec<(String, DeliveryStatus, Option<String>)> = w
        .deliveries(ChannelKind::Email)
        .await
        .into_iter()
        .map(|d| (d.recipient, d.status, d.last_error))
        .collect();
    log.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        log,
        [
            (
                "Nobody".into(),
                DeliveryStatus::Skipped,
                Some("Has no email address.".into())
            ),
            (
                "Quiet <quiet@lab.example>".into(),
                DeliveryStatus::Skipped,
                Some("Chose no email for low stock.".into())
            ),
        ]
    );
}

#[tokio::test]
async fn send_test_email_reports_success_or_the_smtp_error_in_plain_words() {
    let w = world().await;
    let me = users::get(&w.db, w.me).await.expect("me");
    users::update(
        &w.db,
        &UpdateUser {
            id: w.me,
            name: me.name,
            email: Some("me-test@lab.example".into()),
        },
    )
    .await
    .expect("my address");
    let config = fast();
    let ask = |to: Option<&str>| SendTestEmail {
        to: to.map(str::to_owned),
        settings: None,
    };

    // Before anything is configured: a clear error, nothing sent.
    let err = email::send_test(&w.db, &config, &ask(None))
        .await
        .expect_err("not configured");
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    w.configure_plain_email().await;
    let sent = email::send_test(&w.db, &config, &ask(None))
        .await
        .expect("test mail");
    assert!(
        sent.message.contains("me-test@lab.example"),
        "{}",
        sent.message
    );
    let mail = &mails_to(&harness("PARTWATCH_SMTP_SPOOL"), "me-test@lab.example", 1).await[0];
    assert!(
        mail.headers.contains("Subject: [Lab] Test notification"),
        "{}",
        mail.headers
    );

    let rejected = email::send_test(&w.db, &config, &ask(Some("nobody@rejected.test")))
        .await
        .expect_err("rejected recipient");
    assert_eq!(rejected.code(), ErrorCode::Delivery);
    assert!(
        rejected
            .to_string()
            .contains("rejected the recipient nobody@rejected.test"),
        "{rejected}"
    );

    let closed = free_port().await;
    w.configure_email(EmailSecurity::None, closed, None).await;
    let refused = email::send_test(&w.db, &config, &ask(None))
        .await
        .expect_err("nothing listening");
    assert!(
        refused.to_string().contains("refused the connection"),
        "{refused}"
    );

    // STARTTLS against a server whose certificate we do not trust.
    let starttls = port("PARTWATCH_SMTP_STARTTLS_PORT");
    w.configure_email(EmailSecurity::Starttls, starttls, None)
        .await;
    let untrusting = DeliveryConfig {
        extra_root_certificates: Vec::new(),
        ..fast()
    };
    let tls = email::send_test(&w.db, &untrusting, &ask(None))
        .await
        .expect_err("untrusted certificate");
    assert!(tls.to_string().contains("secure (TLS) connection"), "{tls}");

    w.configure_email(EmailSecurity::Starttls, starttls, Some("wrong"))
        .await;
    let auth = email::send_test(&w.db, &config, &ask(None))
        .await
        .expect_err("wrong password");
    assert!(
        auth.to_string()
            .contains("did not accept the username and password"),
        "{auth}"
    );

    w.configure_email(EmailSecurity::Starttls, starttls, Some("secret"))
        .await;
    email::send_test(&w.db, &config, &ask(Some("tls-test@lab.example")))
        .await
        .expect("over STARTTLS");
    mails_to(&harness("PARTWATCH_SMTP_SPOOL"), "tls-test@lab.example", 1).await;
}

/// A keyring that holds nothing: another desktop, where the mail server's
/// password was never typed.
#[derive(Debug, Default)]
struct EmptyKeyring;

impl SecretStore for EmptyKeyring {
    fn get(&self, _key: &str) -> Result<Option<String>, String> {
        Ok(None)
    }
    fn set(&self, _key: &str, _secret: &str) -> Result<(), String> {
        Err("this test's keyring takes nothing".into())
    }
    fn delete(&self, _key: &str) -> Result<(), String> {
        Ok(())
    }
}

/// A keyring holding one old copy: another desktop, where the password was
/// typed before it was changed elsewhere.
#[derive(Debug)]
struct OldCopy(String);

impl SecretStore for OldCopy {
    fn get(&self, _key: &str) -> Result<Option<String>, String> {
        Ok(Some(self.0.clone()))
    }
    fn set(&self, _key: &str, _secret: &str) -> Result<(), String> {
        Err("this test's keyring takes nothing".into())
    }
    fn delete(&self, _key: &str) -> Result<(), String> {
        Ok(())
    }
}

/// Whether this desktop's keyring keeps `password` under `key` (behind its stamp).
fn kept_here(key: &str, password: &str) -> bool {
    OsKeyring.get(key).ok().flatten().is_some_and(|text| {
        text.split_once(':')
            .is_some_and(|(_, kept)| kept == password)
    })
}

/// What the database row holds of the mail server's password: the password
/// itself, and whether one is kept in a keyring (its stamp).
async fn stored_password(db: &partwatch_core::Database) -> (Option<String>, bool) {
    partwatch_core::sql::query_as(
        "SELECT password, password_stamp IS NOT NULL FROM email_settings WHERE id = 1",
    )
    .fetch_one(db)
    .await
    .expect("the mail server row")
}

/// The mail server's password lives in this desktop's OS keyring (the
/// harness's GNOME Keyring), not in the database: mail signs in with it from
/// there; a desktop whose keyring lacks it says so; where no keyring
/// answers, the database keeps it and the settings say why, until a start
/// with a keyring moves it; removing it forgets it in the keyring too.
#[tokio::test]
async fn the_mail_servers_password_lives_in_the_keyring_and_signs_in_from_there() {
    let w = world().await;
    let config = fast();
    let starttls = port("PARTWATCH_SMTP_STARTTLS_PORT");
    let spool = harness("PARTWATCH_SMTP_SPOOL");
    let to = |address: &str| SendTestEmail {
        to: Some(address.to_owned()),
        settings: None,
    };
    let key = email::keyring_key(&w.db);

    w.configure_email(EmailSecurity::Starttls, starttls, Some("secret"))
        .await;
    let shown = email::settings(&w.db).await.expect("settings");
    assert_eq!(shown.password_place, Some(MailPasswordPlace::Keyring));
    assert_eq!(stored_password(&w.db).await, (None, true));
    assert!(kept_here(&key, "secret"), "{:?}", OsKeyring.get(&key));
    email::send_test(&w.db, &config, &to("keyring-1@lab.example"))
        .await
        .expect("signs in with the keyring's password");
    mails_to(&spool, "keyring-1@lab.example", 1).await;

    // Another desktop on the same database, its keyring without it.
    let elsewhere = w.db.clone().with_secrets(Arc::new(EmptyKeyring));
    let shown = email::settings(&elsewhere).await.expect("settings");
    assert!(
        matches!(
            shown.password_place,
            Some(MailPasswordPlace::NotOnThisDesktop { .. })
        ),
        "{shown:?}"
    );
    let err = email::send_test(&elsewhere, &config, &to("keyring-2@lab.example"))
        .await
        .expect_err("no password here");
    assert!(
        err.to_string()
            .contains("not in this desktop's keyring (it was typed on another desktop)"),
        "{err}"
    );

    // Another desktop holding a copy from before a change elsewhere (its
    // stamp is not the row's): it does not use it, and says why.
    let stale =
        w.db.clone()
            .with_secrets(Arc::new(OldCopy("0000000000000000:old-secret".into())));
    let shown = email::settings(&stale).await.expect("settings");
    assert!(
        matches!(
            &shown.password_place,
            Some(MailPasswordPlace::NotOnThisDesktop { reason }) if reason.contains("changed on another desktop")
        ),
        "{shown:?}"
    );
    assert!(
        email::send_test(&stale, &config, &to("keyring-2@lab.example"))
            .await
            .is_err()
    );

    // A desktop with no keyring service: the row keeps it, and says why.
    let without = w.db.clone().with_secrets(Arc::new(WithoutKeyring));
    let saved = email::save_settings(
        &without,
        &mail_server(EmailSecurity::Starttls, starttls, Some("secret")),
    )
    .await
    .expect("saved without a keyring");
    assert_eq!(
        saved.password_place,
        Some(MailPasswordPlace::Database {
            reason: NO_KEYRING.into()
        })
    );
    assert_eq!(stored_password(&w.db).await, (Some("secret".into()), false));
    email::send_test(&without, &config, &to("keyring-3@lab.example"))
        .await
        .expect("signs in with the row's password");
    mails_to(&spool, "keyring-3@lab.example", 1).await;

    // The next start with a keyring moves it there (once).
    assert!(email::keep_password_in_keyring(&w.db).await.expect("moved"));
    assert!(!email::keep_password_in_keyring(&w.db)
        .await
        .expect("nothing left"));
    assert_eq!(stored_password(&w.db).await, (None, true));
    assert!(kept_here(&key, "secret"), "{:?}", OsKeyring.get(&key));
    email::send_test(&w.db, &config, &to("keyring-4@lab.example"))
        .await
        .expect("signs in with the moved password");
    mails_to(&spool, "keyring-4@lab.example", 1).await;

    // Removed: gone from the row and from the keyring.
    w.configure_email(EmailSecurity::Starttls, starttls, None)
        .await;
    assert_eq!(stored_password(&w.db).await, (None, false));
    assert_eq!(OsKeyring.get(&key), Ok(None));
    assert_eq!(
        email::settings(&w.db)
            .await
            .expect("settings")
            .password_place,
        None
    );
}

/// A desktop whose keyring lacks the mail server's password: on a team
/// database it leaves the mail to a desktop that has it (which sends it
/// once); on a person's own database there is no other desktop, so the
/// attempt fails and the delivery log says what to do.
#[tokio::test]
async fn a_desktop_without_the_mail_password_leaves_the_mail_to_one_with_it() {
    let w = world().await;
    let me = users::get(&w.db, w.me).await.expect("me");
    let address = "keyring-reader@lab.example";
    users::update(
        &w.db,
        &UpdateUser {
            id: w.me,
            name: me.name,
            email: Some(address.into()),
        },
    )
    .await
    .expect("my address");
    let name = "Keyring resistor";
    let (_, item) = w.watched_part(name, &[w.me]).await;
    w.configure_email(
        EmailSecurity::Starttls,
        port("PARTWATCH_SMTP_STARTTLS_PORT"),
        Some("secret"),
    )
    .await;

    // The desktop without it runs a popup channel too: once its popup is
    // shown, its worker has passed over the email due with it.
    let elsewhere = w.db.clone().with_secrets(Arc::new(EmptyKeyring));
    let popup = PopupChannel::new(
        elsewhere.clone(),
        "Partwatch",
        "dialog-warning",
        Arc::new(|_| {}),
    );
    let channels = ChannelSet::new()
        .with(EmailChannel::new(elsewhere.clone(), fast()))
        .with(popup);
    let without = Worker::start(elsewhere.clone(), channels, fast());
    w.go_low(item).await;
    wait_for_popups(&format!("Low stock: {name}"), 1).await;
    // A second part's popup comes from a later pass of that worker: by
    // then it has passed over the first mail twice.
    let second = "Keyring capacitor";
    let (_, other) = w.watched_part(second, &[w.me]).await;
    w.go_low(other).await;
    wait_for_popups(&format!("Low stock: {second}"), 1).await;

    if !w.db.is_postgres() {
        let failed = w.tried_twice(ChannelKind::Email).await;
        without.stop().await;
        assert!(
            failed
                .last_error
                .as_deref()
                .unwrap_or("")
                .contains("not in this desktop's keyring"),
            "{failed:?}"
        );
        return;
    }
    let waiting = w.deliveries(ChannelKind::Email).await;
    assert_eq!(waiting.len(), 2);
    for mail in &waiting {
        assert_eq!(mail.status, DeliveryStatus::Pending);
        assert_eq!(mail.attempts, 0, "{mail:?}");
    }
    let leased = support::scalar(
        &w.db,
        "SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND leased_by IS NOT NULL",
    )
    .await;
    assert_eq!(
        leased, 0,
        "never claimed by the desktop without the password"
    );

    // The desktop whose keyring has it sends them, once each.
    let with = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 2).await;
    let log = w.settled(ChannelKind::Email).await;
    with.stop().await;
    without.stop().await;
    assert_eq!(mails.len(), 2);
    for mail in &log {
        assert_eq!(mail.status, DeliveryStatus::Sent);
        assert_eq!(mail.attempts, 1);
    }
}

/// "Send test email" tests what the form holds, not what was saved; a blank
/// password field (`Keep`) means the saved password; nothing is saved.
#[tokio::test]
async fn send_test_email_tries_what_the_form_holds_and_saves_none_of_it() {
    let w = world().await;
    let config = fast();
    // Saved: STARTTLS with the right login, but a port where nothing listens.
    let closed = free_port().await;
    w.configure_email(EmailSecurity::Starttls, closed, Some("secret"))
        .await;
    let saved = email::settings(&w.db).await.expect("settings");
    let starttls = port("PARTWATCH_SMTP_STARTTLS_PORT");
    let form = |settings: SaveEmailSettings| SendTestEmail {
        to: Some("form-test@lab.example".into()),
        settings: Some(settings),
    };
    let right_port = SaveEmailSettings {
        port: starttls,
        ..save_from(&saved)
    };

    let refused = email::send_test(
        &w.db,
        &config,
        &SendTestEmail {
            settings: None,
            ..form(right_port.clone())
        },
    )
    .await
    .expect_err("the saved settings: nothing listens");
    assert!(
        refused.to_string().contains("refused the connection"),
        "{refused}"
    );
    // The form's port, with the saved password (its field left blank).
    let sent = email::send_test(&w.db, &config, &form(right_port.clone()))
        .await
        .expect("the form's settings");
    assert!(
        sent.message.contains(&format!("localhost:{starttls}")),
        "{}",
        sent.message
    );
    mails_to(&harness("PARTWATCH_SMTP_SPOOL"), "form-test@lab.example", 1).await;

    // A password typed into the form is the one tried.
    let auth = email::send_test(
        &w.db,
        &config,
        &form(SaveEmailSettings {
            password: PasswordChange::Set("wrong".into()),
            ..right_port.clone()
        }),
    )
    .await
    .expect_err("the form's wrong password");
    assert!(
        auth.to_string()
            .contains("did not accept the username and password"),
        "{auth}"
    );

    // Checked as saving would check it, before anything is sent.
    let bad = email::send_test(
        &w.db,
        &config,
        &form(SaveEmailSettings {
            host: "smtp example.com".into(),
            ..right_port.clone()
        }),
    )
    .await
    .expect_err("not a host name");
    assert_eq!(bad.code(), ErrorCode::InvalidInput);
    assert!(
        bad.to_string().contains("is not a mail server name"),
        "{bad}"
    );

    // None of it was saved: the same settings, and still the right password.
    assert_eq!(email::settings(&w.db).await.expect("settings"), saved);
    email::send_test(&w.db, &config, &form(right_port))
        .await
        .expect("the saved password is unchanged");
}

#[tokio::test]
async fn the_password_is_write_only_and_bad_settings_change_nothing() {
    let w = world().await;
    w.configure_email(EmailSecurity::Starttls, 587, Some("secret"))
        .await;
    let shown = email::settings(&w.db).await.expect("settings");
    assert!(shown.password_place.is_some());
    let json = serde_json::to_string(&shown).expect("json");
    assert!(!json.contains("secret"), "{json}");

    let before = email::settings(&w.db).await.expect("settings");
    for bad in [
        SaveEmailSettings {
            from_address: "not an address".into(),
            ..save_from(&before)
        },
        SaveEmailSettings {
            host: String::new(),
            ..save_from(&before)
        },
        SaveEmailSettings {
            port: 0,
            ..save_from(&before)
        },
        SaveEmailSettings {
            host: "smtp example.com".into(),
            ..save_from(&before)
        },
        SaveEmailSettings {
            password: PasswordChange::Set(String::new()),
            ..save_from(&before)
        },
    ] {
        let err = email::save_settings(&w.db, &bad)
            .await
            .expect_err("rejected");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert_eq!(
            email::settings(&w.db).await.expect("settings"),
            before,
            "{err}"
        );
    }
    // Keep leaves the password; Clear removes it.
    let kept = email::save_settings(&w.db, &save_from(&before))
        .await
        .expect("saved");
    assert!(kept.password_place.is_some());
    let cleared = email::save_settings(
        &w.db,
        &SaveEmailSettings {
            password: PasswordChange::Clear,
            ..save_from(&before)
        },
    )
    .await
    .expect("saved");
    assert!(cleared.password_place.is_none());
}

fn save_from(s: &EmailSettings) -> SaveEmailSettings {
    SaveEmailSettings {
        enabled: s.enabled,
        host: s.host.clone(),
        port: s.port,
        security: s.security,
        username: s.username.clone(),
        password: PasswordChange::Keep,
        from_address: s.from_address.clone(),
        instance_name: s.instance_name.clone(),
    }
}

async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn while_the_mail_server_is_down_deliveries_wait_and_go_out_once_it_is_back() {
    let w = world().await;
    let address = "patient@lab.example";
    let reader = w.user_with_email("Patient", Some(address)).await;
    let (_, item) = w.watched_part("Waiting part", &[reader]).await;
    let smtp_port = free_port().await;
    w.configure_email(EmailSecurity::None, smtp_port, None)
        .await;
    let worker = email_worker(&w, fast());
    w.go_low(item).await;

    // Down: it keeps trying, the log says why, nothing is lost.
    let waited = w.tried_twice(ChannelKind::Email).await;
    assert_eq!(waited.status, DeliveryStatus::Pending);
    assert!(
        waited
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("refused the connection"),
        "{waited:?}"
    );

    // Back: a fresh aiosmtpd on that port.
    let spool = tempfile::tempdir().expect("spool");
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/harness/smtp_server.py");
    let mut server = tokio::process::Command::new("/usr/bin/python3")
        .arg(script)
        .arg(spool.path())
        .arg(smtp_port.to_string())
        .arg(free_port().await.to_string())
        .arg(harness("PARTWATCH_TEST_CA_CERT"))
        .arg(harness("PARTWATCH_TEST_TLS_KEY"))
        .kill_on_drop(true)
        .spawn()
        .expect("aiosmtpd starts");
    let mails = mails_to(&spool.path().display().to_string(), address, 1).await;
    assert_eq!(mails.len(), 1);
    let log = w.settled(ChannelKind::Email).await;
    worker.stop().await;
    let _ = server.kill().await;
    assert_eq!(log[0].status, DeliveryStatus::Sent);
    assert!(log[0].attempts >= 3, "{:?}", log[0]);
    // Exactly once, even after all those attempts.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        mails_to(&spool.path().display().to_string(), address, 1)
            .await
            .len(),
        1
    );
}

// ------------------------------------------------------------------ popups

#[tokio::test]
async fn an_os_popup_is_shown_replaced_for_the_same_part_and_opens_the_part_when_clicked() {
    let w = world().await;
    let name = "Popup capacitor";
    let (part, item) = w.watched_part(name, &[w.me]).await;
    let (clicked_tx, mut clicked) = tokio::sync::mpsc::unbounded_channel();
    let popup = PopupChannel::new(
        w.db.clone(),
        "Partwatch",
        "dialog-warning",
        Arc::new(move |target| {
            let _ = clicked_tx.send(target);
        }),
    );
    let worker = Worker::start(w.db.clone(), ChannelSet::new().with(popup), fast());
    w.go_low(item).await;
    let summary = format!("Low stock: {name}");
    let first = wait_for_popups(&summary, 1).await.remove(0);
    assert_eq!(first["app_name"], "Partwatch");
    assert_eq!(first["app_icon"], "dialog-warning");
    assert_eq!(
        first["body"],
        format!("{name} is down to 5 pcs, below its minimum of 10 pcs.")
    );
    assert_eq!(first["replaces_id"], 0);
    assert_eq!(first["hints"]["urgency"], 1, "normal urgency");
    assert!(
        first["actions"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "default")),
        "{first}"
    );

    // Back in stock and low again: the second alert replaces the first popup.
    w.refill(item).await;
    w.go_low(item).await;
    let both = wait_for_popups(&summary, 2).await;
    assert_eq!(both[1]["replaces_id"], first["id"], "{both:?}");

    // The user clicks it: the app is asked to open that part.
    let clicked_popup = tokio::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
        ])
        .arg("org.partwatch.TestControl.Invoke")
        .arg(format!("uint32:{}", first["id"]))
        .arg("string:default")
        .output()
        .await
        .expect("dbus-send");
    assert!(clicked_popup.status.success(), "{clicked_popup:?}");
    let target = tokio::time::timeout(Duration::from_secs(10), clicked.recv())
        .await
        .expect("the click arrives")
        .expect("a target");
    assert_eq!(target, NotificationTarget::Part(part));
    worker.stop().await;
    let log = w.settled(ChannelKind::OsPopup).await;
    assert!(
        log.iter().all(|d| d.status == DeliveryStatus::Sent),
        "{log:?}"
    );
}

#[tokio::test]
async fn popups_are_for_this_desktops_user_only_and_respect_the_setting() {
    // On SQLite one desktop serves everyone: popups only for whoever works
    // there now.
    let w = world().await;
    let other = w.user_with_email("Elsewhere", None).await;
    let (_, item) = w.watched_part("Quiet popup part", &[w.me, other]).await;
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::OsPopup, false)],
    )
    .await;
    w.go_low(item).await;
    let popups = w.deliveries(ChannelKind::OsPopup).await;
    if w.db.is_postgres() {
        // A team database: the other person's popup waits for their own
        // desktop (tests/team.rs shows it is claimed there only).
        assert_eq!(
            popups.iter().map(|d| d.user_id).collect::<Vec<_>>(),
            [Some(other)],
            "{popups:#?}"
        );
    } else {
        assert!(popups.is_empty(), "{popups:#?}");
    }
    // Both were told in the app: the missing popups are the settings, not a silent trigger.
    for user in [w.me, other] {
        assert_eq!(w.unread(user).await, 1);
    }
}

// ------------------------------------------------------------------ webhooks

#[derive(Clone, Debug)]
enum Reply {
    Status(u16),
    /// Accept the request and never answer.
    Hang,
    /// Read the request, then close the connection without a word.
    Close,
    /// Answer this 3xx status with a `Location` header.
    Redirect(u16, String),
    /// Answer this status with a body of this many bytes, written in pieces
    /// for as long as the client keeps reading (see `Received::body_sent`).
    Huge(u16, usize),
}

#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Value,
    answered: Option<u16>,
    /// For `Reply::Huge`: how many body bytes went out before the client
    /// hung up, once the server is done writing.
    body_sent: Option<usize>,
}

/// A small HTTP/1.1 server: per path, a script of replies (then 200s).
#[derive(Clone, Default)]
struct HookServer {
    scripts: Arc<Mutex<HashMap<String, Vec<Reply>>>>,
    received: Arc<Mutex<Vec<Received>>>,
    default_reply: Arc<Mutex<Option<Reply>>>,
}

impl HookServer {
    async fn start() -> (Self, String) {
        // A small fixed send buffer (accepted sockets inherit it), so what a
        // `Reply::Huge` gets out is close to what the client actually read,
        // not the megabytes the kernel would buffer on loopback.
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_send_buffer_size(16 * 1024).expect("send buffer");
        socket
            .bind("127.0.0.1:0".parse().expect("address"))
            .expect("bind");
        let listener = socket.listen(128).expect("listen");
        let base = format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        );
        let server = Self::default();
        let serving = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let server = serving.clone();
                tokio::spawn(async move { server.serve(socket).await });
            }
        });
        (server, base)
    }

    fn script(&self, path: &str, replies: &[Reply]) {
        self.scripts
            .lock()
            .expect("lock")
            .insert(path.to_owned(), replies.to_vec());
    }

    fn set_default(&self, reply: Option<Reply>) {
        *self.default_reply.lock().expect("lock") = reply;
    }

    fn received(&self, path: &str) -> Vec<Received> {
        self.received
            .lock()
            .expect("lock")
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Every request whose path (with its query) starts with `prefix`.
    fn received_under(&self, prefix: &str) -> Vec<Received> {
        self.received
            .lock()
            .expect("lock")
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Waits until the huge answer to `path` is written or refused, and
    /// returns how many of its body bytes went out.
    async fn huge_body_sent(&self, path: &str) -> usize {
        for _ in 0..400 {
            if let Some(sent) = self.received(path).iter().find_map(|r| r.body_sent) {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the huge answer to {path} was still being written after 10 s");
    }

    async fn serve(&self, mut socket: tokio::net::TcpStream) {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let (head, body) = loop {
            let Ok(n) = socket.read(&mut chunk).await else {
                return;
            };
            if n == 0 {
                return;
            }
            buffer.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buffer).into_owned();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if rest.len() >= length {
                    break (head.to_owned(), rest[..length].to_owned());
                }
            }
        };
        let mut lines = head.lines();
        let request_line = lines.next().unwrap_or_default().to_owned();
        let mut request_parts = request_line.split(' ');
        let method = request_parts.next().unwrap_or("GET").to_owned();
        let path = request_parts.next().unwrap_or("/").to_owned();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let reply = {
            let mut scripts = self.scripts.lock().expect("lock");
            match scripts.get_mut(&path).filter(|s| !s.is_empty()) {
                Some(script) => script.remove(0),
                None => self
                    .default_reply
                    .lock()
                    .expect("lock")
                    .clone()
                    .unwrap_or(Reply::Status(200)),
            }
        };
        let index = {
            let mut received = self.received.lock().expect("lock");
            received.push(Received {
                method,
                path,
                headers,
                body: serde_json::from_str(&body).unwrap_or(Value::Null),
                answered: None,
                body_sent: None,
            });
            received.len() - 1
        };
        match reply {
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            Reply::Close => {}
            Reply::Status(code) => {
                let response = format!(
                    "HTTP/1.1 {code} Scripted\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
                if socket.write_all(response.as_bytes()).await.is_ok() {
                    self.received.lock().expect("lock")[index].answered = Some(code);
                }
            }
            Reply::Redirect(code, location) => {
                let response = format!(
                    "HTTP/1.1 {code} Scripted\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                if socket.write_all(response.as_bytes()).await.is_ok() {
                    self.received.lock().expect("lock")[index].answered = Some(code);
                }
            }
            Reply::Huge(code, length) => {
                let head = format!(
                    "HTTP/1.1 {code} Scripted\r\ncontent-type: text/plain\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
                );
                let mut sent = 0;
                if socket.write_all(head.as_bytes()).await.is_ok() {
                    self.received.lock().expect("lock")[index].answered = Some(code);
                    let piece = [b'x'; 16 * 1024];
                    while sent < length {
                        let n = piece.len().min(length - sent);
                        // A client that stopped reading and hung up ends this.
                        match tokio::time::timeout(
                            Duration::from_secs(5),
                            socket.write_all(&piece[..n]),
                        )
                        .await
                        {
                            Ok(Ok(())) => sent += n,
                            _ => break,
                        }
                    }
                }
                self.received.lock().expect("lock")[index].body_sent = Some(sent);
            }
        }
    }
}

async fn hook(w: &World, name: &str, kind: WebhookKind, url: String) -> Webhook {
    webhook::create(
        &w.db,
        &WebhookInput {
            name: name.into(),
            kind,
            url,
            events: vec![NotificationKind::LowStock, NotificationKind::BuildShortage],
            enabled: true,
        },
    )
    .await
    .expect("webhook")
}

fn webhook_worker(w: &World, config: DeliveryConfig) -> Worker {
    let channels = ChannelSet::new().with(WebhookChannel::new(w.db.clone(), &config));
    Worker::start(w.db.clone(), channels, config)
}

fn successes(received: &[Received]) -> Vec<Received> {
    received
        .iter()
        .filter(|r| r.answered == Some(200))
        .cloned()
        .collect()
}

#[tokio::test]
async fn slack_discord_and_generic_posts_arrive_once_per_event_after_retries() {
    let w = world().await;
    let (server, base) = HookServer::start().await;
    hook(
        &w,
        "Stores channel",
        WebhookKind::Slack,
        format!("{base}/slack"),
    )
    .await;
    hook(
        &w,
        "Discord",
        WebhookKind::Discord,
        format!("{base}/discord"),
    )
    .await;
    hook(
        &w,
        "Inventory bot",
        WebhookKind::Generic,
        format!("{base}/generic"),
    )
    .await;
    // Slack fails twice with 500; Discord hangs once (longer than the send timeout).
    server.script("/slack", &[Reply::Status(500), Reply::Status(500)]);
    server.script("/discord", &[Reply::Hang]);
    let other = w.user_with_email("Another watcher", None).await;
    let (part, item) = w.watched_part(HOSTILE, &[w.me, other]).await;
    let worker = webhook_worker(
        &w,
        DeliveryConfig {
            send_timeout: Duration::from_millis(700),
            ..fast()
        },
    );
    w.go_low(item).await;
    let log = w.settled(ChannelKind::Webhook).await;
    worker.stop().await;

    // One post per event and webhook, not per user, and each succeeded once.
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(
        log.iter().all(|d| d.status == DeliveryStatus::Sent),
        "{log:?}"
    );
    let attempts: HashMap<String, i64> = log
        .iter()
        .map(|d| (d.recipient.clone(), d.attempts))
        .collect();
    assert_eq!(attempts["slack: Stores channel"], 3);
    assert_eq!(attempts["discord: Discord"], 2);
    assert_eq!(attempts["generic: Inventory bot"], 1);
    assert_eq!(server.received("/slack").len(), 3);
    for path in ["/slack", "/discord", "/generic"] {
        assert_eq!(successes(&server.received(path)).len(), 1, "{path}");
    }

    let slack = successes(&server.received("/slack"))[0].body.clone();
    assert_eq!(slack["blocks"][0]["type"], "header");
    assert_eq!(
        slack["blocks"][0]["text"]["text"],
        format!("Low stock: {HOSTILE}")
    );
    let fields = slack["blocks"][2]["fields"].to_string();
    assert!(
        fields.contains(r#"*Part*\n&lt;b&gt;&amp;\"x\"&lt;/b&gt;"#),
        "{fields}"
    );
    assert!(fields.contains(r#"*In stock*\n5 pcs"#), "{fields}");

    let discord = successes(&server.received("/discord"))[0].body.clone();
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(discord["content"], r#"**Low stock: \<b\>&"x"\</b\>**"#);
    assert_eq!(discord["embeds"][0]["fields"][0]["name"], "Part");
    assert_eq!(discord["embeds"][0]["fields"][1]["value"], "5 pcs");

    let generic = successes(&server.received("/generic")).remove(0);
    assert_eq!(generic.headers["content-type"], "application/json");
    assert_eq!(generic.headers["x-partwatch-event"], "low_stock");
    assert_eq!(generic.body["schema"], "partwatch.event/v1");
    assert_eq!(generic.body["kind"], "low_stock");
    assert_eq!(generic.body["part"]["id"], part.get());
    assert_eq!(generic.body["part"]["name"], HOSTILE);
    assert_eq!(generic.body["part"]["in_stock"], "5");
    assert_eq!(generic.body["part"]["minimum"], "10");
    assert_eq!(generic.body["link"], format!("partwatch://parts/{part}"));
}

#[tokio::test]
async fn a_webhook_that_answers_404_fails_at_once_and_retry_sends_it_again() {
    let w = world().await;
    let (server, base) = HookServer::start().await;
    let gone = hook(&w, "Gone", WebhookKind::Generic, format!("{base}/gone")).await;
    server.script("/gone", &[Reply::Status(404)]);
    let (_, item) = w.watched_part("Lost part", &[]).await;
    let worker = webhook_worker(&w, fast());
    w.go_low(item).await;
    let log = w.settled(ChannelKind::Webhook).await;
    assert_eq!(log[0].status, DeliveryStatus::Failed);
    assert_eq!(log[0].attempts, 1);
    assert!(
        log[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("answered 404"),
        "{:?}",
        log[0]
    );

    let again = delivery::retry(&w.db, log[0].id).await.expect("retry");
    assert_eq!(again.status, DeliveryStatus::Pending);
    let log = w.settled(ChannelKind::Webhook).await;
    worker.stop().await;
    assert_eq!(log[0].status, DeliveryStatus::Sent);
    assert_eq!(successes(&server.received("/gone")).len(), 1);
    let err = delivery::retry(&w.db, log[0].id)
        .await
        .expect_err("sent is sent");
    assert_eq!(err.code(), ErrorCode::Conflict);
    let missing = delivery::retry(&w.db, DeliveryId(9_999))
        .await
        .expect_err("no such delivery");
    assert_eq!(missing.code(), ErrorCode::NotFound);

    // Disabled, or not taking the kind: nothing is queued.
    webhook::update(
        &w.db,
        &UpdateWebhook {
            id: gone.id,
            webhook: WebhookInput {
                name: "Gone".into(),
                kind: WebhookKind::Generic,
                url: format!("{base}/gone"),
                events: vec![NotificationKind::LowStock],
                enabled: false,
            },
        },
    )
    .await
    .expect("disabled");
    w.refill(item).await;
    w.go_low(item).await;
    assert_eq!(w.deliveries(ChannelKind::Webhook).await.len(), 1);
}

#[tokio::test]
async fn bad_webhooks_are_refused_and_change_nothing() {
    let w = world().await;
    let ok = WebhookInput {
        name: "Chat".into(),
        kind: WebhookKind::Slack,
        url: "https://hooks.slack.com/services/T/B/X".into(),
        events: vec![NotificationKind::LowStock],
        enabled: true,
    };
    webhook::create(&w.db, &ok).await.expect("first");
    for (bad, code) in [
        (
            WebhookInput {
                url: "ftp://example.com/x".into(),
                ..ok.clone()
            },
            ErrorCode::InvalidInput,
        ),
        (
            WebhookInput {
                url: "not a url".into(),
                ..ok.clone()
            },
            ErrorCode::InvalidInput,
        ),
        (
            WebhookInput {
                events: vec![],
                name: "Other".into(),
                ..ok.clone()
            },
            ErrorCode::InvalidInput,
        ),
        (
            WebhookInput {
                name: "  ".into(),
                ..ok.clone()
            },
            ErrorCode::InvalidInput,
        ),
        (
            WebhookInput {
                name: "chat".into(),
                ..ok.clone()
            },
            ErrorCode::Conflict,
        ),
    ] {
        let err = webhook::create(&w.db, &bad).await.expect_err("refused");
        assert_eq!(err.code(), code, "{err}");
    }
    assert_eq!(webhook::list(&w.db).await.expect("list").len(), 1);
}

#[tokio::test]
async fn send_test_posts_to_the_webhook_and_reports_failures_in_words() {
    let w = world().await;
    let (server, base) = HookServer::start().await;
    let hook = hook(
        &w,
        "Test target",
        WebhookKind::Discord,
        format!("{base}/test"),
    )
    .await;
    let sent = webhook::send_test(&w.db, &fast(), hook.id)
        .await
        .expect("test post");
    assert!(sent.message.contains("Test target"), "{}", sent.message);
    let posted = successes(&server.received("/test")).remove(0);
    assert_eq!(posted.headers["x-partwatch-event"], "test");
    assert!(posted.body["embeds"][0]["title"]
        .as_str()
        .is_some_and(|t| t.contains("Test")));

    server.script("/test", &[Reply::Status(500)]);
    let err = webhook::send_test(&w.db, &fast(), hook.id)
        .await
        .expect_err("500");
    assert_eq!(err.code(), ErrorCode::Delivery);
    assert!(
        err.to_string().contains("Test target answered 500"),
        "{err}"
    );
}

/// The path and query of a webhook address stand for its secret (Slack's
/// carries the token): none of these may show in an error or a log line.
const SECRETS: [&str; 4] = ["services", "T0SECRET", "XoXoToken", "QuerySecret"];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret:?}: {text}");
    }
}

/// Every `tracing` event of this test process, as "field=value" text. It is
/// the process's global subscriber (set once): a thread-local one misses
/// events when other tests run at the same time.
#[derive(Clone, Default)]
struct LogCapture(Arc<Mutex<Vec<String>>>);

static LOG_CAPTURE: std::sync::OnceLock<LogCapture> = std::sync::OnceLock::new();

impl LogCapture {
    fn global() -> LogCapture {
        LOG_CAPTURE
            .get_or_init(|| {
                let capture = LogCapture::default();
                tracing::subscriber::set_global_default(capture.clone())
                    .expect("no other global subscriber in this test process");
                capture
            })
            .clone()
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("lock").clone()
    }
}

impl tracing::Subscriber for LogCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Text(String);
        impl tracing::field::Visit for Text {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={value:?} ", field.name()));
            }
        }
        let mut text = Text(String::new());
        event.record(&mut text);
        self.0.lock().expect("lock").push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_transport_error_names_the_host_but_never_the_secret_path_in_the_log_or_the_test() {
    // The test runtime is single-threaded: the worker logs on this thread.
    let capture = LogCapture::global();
    let w = world().await;
    let (server, base) = HookServer::start().await;
    let url = format!("{base}/services/T0SECRET/B0SECRET/XoXoToken?token=QuerySecret");
    let leaky = hook(&w, "Leaky", WebhookKind::Slack, url).await;
    // The server reads each post and hangs up without answering.
    server.set_default(Some(Reply::Close));
    let (_, item) = w.watched_part("Secret part", &[]).await;
    let worker = webhook_worker(&w, fast());
    w.go_low(item).await;
    let failed = w.tried_twice(ChannelKind::Webhook).await;
    worker.stop().await;
    assert_eq!(failed.status, DeliveryStatus::Pending, "worth retrying");
    let error = failed.last_error.expect("the reason");
    assert!(error.contains("127.0.0.1"), "names the host: {error}");
    assert_no_secret("deliveries.last_error", &error);

    let logged: Vec<String> = capture
        .lines()
        .into_iter()
        .filter(|l| l.contains("delivery") && l.contains("failed") && l.contains("127.0.0.1"))
        .collect();
    assert!(!logged.is_empty(), "the worker logs the failure");
    for line in &logged {
        assert_no_secret("the worker's log line", line);
    }

    let err = webhook::send_test(&w.db, &fast(), leaky.id)
        .await
        .expect_err("no answer");
    assert_eq!(err.code(), ErrorCode::Delivery);
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert_no_secret("send_test's error", &err.to_string());
}

#[tokio::test]
async fn a_redirect_is_never_followed_and_fails_at_once_naming_only_the_new_host() {
    let w = world().await;
    let (server, base) = HookServer::start().await;
    let port = base.rsplit(':').next().expect("port");
    // Same server, another host name, and a path and query that are secret.
    let moved = format!("http://localhost:{port}/services/T0SECRET/moved?token=QuerySecret");
    hook(&w, "Moved", WebhookKind::Generic, format!("{base}/old")).await;
    hook(
        &w,
        "Temporary",
        WebhookKind::Generic,
        format!("{base}/temp"),
    )
    .await;
    server.script("/old", &[Reply::Redirect(301, moved.clone())]);
    server.script("/temp", &[Reply::Redirect(307, moved.clone())]);
    let (_, item) = w.watched_part("Redirected part", &[]).await;
    let worker = webhook_worker(&w, fast());
    w.go_low(item).await;
    let log = w.settled(ChannelKind::Webhook).await;
    worker.stop().await;

    let followed = server.received_under("/services");
    assert!(
        followed.is_empty(),
        "the client followed the redirect: {:?}",
        followed
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    );
    let by_hook: HashMap<String, Delivery> =
        log.into_iter().map(|d| (d.recipient.clone(), d)).collect();
    for (recipient, status) in [
        ("generic: Moved", "301 Moved Permanently"),
        ("generic: Temporary", "307 Temporary Redirect"),
    ] {
        let d = &by_hook[recipient];
        assert_eq!(d.status, DeliveryStatus::Failed, "{d:?}");
        assert_eq!(d.attempts, 1, "permanent, not retried: {d:?}");
        let error = d.last_error.as_deref().unwrap_or("");
        assert!(
            error.contains(&format!("answered {status}")),
            "{recipient}: {error}"
        );
        assert!(
            error.contains("moved to localhost;"),
            "{recipient}: {error}"
        );
        assert_no_secret(recipient, error);
    }
}

#[tokio::test]
async fn a_huge_error_answer_is_read_only_a_few_kib_and_cut_to_200_characters() {
    const FIVE_MB: usize = 5 * 1024 * 1024;
    let w = world().await;
    let (server, base) = HookServer::start().await;
    let hook = hook(&w, "Chatty", WebhookKind::Generic, format!("{base}/huge")).await;
    server.script("/huge", &[Reply::Huge(500, FIVE_MB)]);
    let err = webhook::send_test(&w.db, &fast(), hook.id)
        .await
        .expect_err("500");
    let message = err.to_string();
    assert!(message.contains("Chatty answered 500"), "{message}");
    let answer = message.rsplit(": ").next().unwrap_or("");
    assert!(answer.starts_with("xxx"), "{message}");
    assert!(answer.chars().count() <= 200, "{message}");
    // What went out is what the client read plus what the sockets buffer.
    let sent = server.huge_body_sent("/huge").await;
    assert!(
        sent < 1024 * 1024,
        "the client read {sent} of the {FIVE_MB} bytes of an error answer"
    );
}

// ------------------------------------------------------------------ webhook bodies

const SLACK_SECTION: usize = 3_000;
const SLACK_FIELD: usize = 2_000;

fn shortage(title: &str, lines: usize) -> delivery::event::Event {
    use delivery::event::{BuildFigures, Details, Event};
    Event {
        id: 7,
        kind: NotificationKind::BuildShortage,
        title: title.into(),
        body: "Build order BO-0007 needs more stock than there is.".into(),
        part_id: Some(PartId(1)),
        build_order_id: Some(BuildOrderId(7)),
        details: Details::BuildShortage {
            build: BuildFigures {
                id: BuildOrderId(7),
                reference: "BO-0007".into(),
                assembly: PartRef {
                    id: PartId(1),
                    name: "Main board".into(),
                },
                quantity: q("25"),
                lines: (0..lines)
                    .map(|n| ShortLine {
                        part: PartRef {
                            id: PartId(100 + n as i64),
                            name: format!("Capacitor 100nF 0603 X7R #{n:02}"),
                        },
                        required: q("125"),
                        available: q("15"),
                    })
                    .collect(),
            },
        },
        created_at: "2026-12-01T11:33:04.000Z".into(),
    }
}

/// A low-stock event where every piece of user text is far too long.
fn oversized_stock() -> delivery::event::Event {
    use delivery::event::{Details, Event, PartFigures};
    Event {
        id: 8,
        kind: NotificationKind::LowStock,
        title: format!("Low stock: {}", "T".repeat(400)),
        body: "B".repeat(7_000),
        part_id: Some(PartId(2)),
        build_order_id: None,
        details: Details::Stock {
            part: PartFigures {
                id: PartId(2),
                name: "N".repeat(3_000),
                ipn: Some("I".repeat(3_000)),
                in_stock: q("5"),
                minimum: q("10"),
                units: "U".repeat(3_000),
            },
        },
        created_at: "2026-12-01T11:33:04.000Z".into(),
    }
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

/// Every section's text and every field in a Slack body, with their lengths checked.
fn check_slack(body: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    for block in body["blocks"].as_array().expect("blocks") {
        if block["type"] == "section" {
            if !block["text"].is_null() {
                let text = &block["text"]["text"];
                assert!(chars(text) <= SLACK_SECTION, "{} chars", chars(text));
                texts.push(text.as_str().unwrap_or("").to_owned());
            }
            for field in block["fields"].as_array().into_iter().flatten() {
                assert!(chars(&field["text"]) <= SLACK_FIELD, "{field}");
            }
        }
        if block["type"] == "header" {
            assert!(chars(&block["text"]["text"]) <= 150, "{block}");
        }
    }
    texts
}

#[test]
fn slack_sections_stay_under_3000_characters_and_say_how_many_lines_are_left_out() {
    let event = shortage("Stock required for build order BO-0007", 80);
    let body = webhook::body(WebhookKind::Slack, &event, DeliveryId(1), "Lab");
    let texts = check_slack(&body);
    let list = texts
        .iter()
        .find(|t| t.contains("• Capacitor"))
        .expect("the short lines");
    let listed = list.lines().filter(|l| l.starts_with("• ")).count();
    assert!(listed > 0 && listed < 80, "{listed} lines listed");
    let more = format!("…and {} more", 80 - listed);
    assert!(list.ends_with(&more), "{more:?} missing from:\n{list}");

    // A few lines fit whole, with no "more".
    let few = shortage("Stock required for build order BO-0007", 3);
    let texts = check_slack(&webhook::body(
        WebhookKind::Slack,
        &few,
        DeliveryId(1),
        "Lab",
    ));
    let list = texts
        .iter()
        .find(|t| t.contains("• Capacitor"))
        .expect("lines");
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(!list.contains("more"), "{list}");

    check_slack(&webhook::body(
        WebhookKind::Slack,
        &oversized_stock(),
        DeliveryId(1),
        &"L".repeat(5_000),
    ));
}

/// Checks a Discord body against Discord's limits and returns its embed.
fn check_discord(body: &Value) -> Value {
    assert!(chars(&body["content"]) <= 2_000);
    let embeds = body["embeds"].as_array().expect("embeds");
    let embed = embeds[0].clone();
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    assert!(fields.len() <= 25, "{} fields", fields.len());
    for field in &fields {
        assert!(chars(&field["name"]) <= 256, "{field}");
        assert!(chars(&field["value"]) <= 1_024, "{field}");
    }
    assert!(
        chars(&embed["title"]) <= 256,
        "title: {}",
        chars(&embed["title"])
    );
    assert!(
        chars(&embed["description"]) <= 4_096,
        "description: {}",
        chars(&embed["description"])
    );
    assert!(chars(&embed["footer"]["text"]) <= 2_048);
    let total = chars(&embed["title"])
        + chars(&embed["description"])
        + chars(&embed["footer"]["text"])
        + chars(&embed["author"]["name"])
        + fields
            .iter()
            .map(|f| chars(&f["name"]) + chars(&f["value"]))
            .sum::<usize>();
    assert!(total <= 6_000, "{total} characters in the embed");
    embed
}

#[test]
fn discord_embeds_stay_within_discords_limits_and_escape_the_title() {
    let event = shortage(&format!("Stock required for {HOSTILE} **now**"), 80);
    let body = webhook::body(WebhookKind::Discord, &event, DeliveryId(1), "Lab");
    let embed = check_discord(&body);
    assert_eq!(
        embed["title"],
        r#"Stock required for \<b\>&"x"\</b\> \*\*now\*\*"#
    );
    let description = embed["description"].as_str().unwrap_or("");
    let listed = description.lines().filter(|l| l.starts_with("• ")).count();
    assert!(listed > 0 && listed < 80, "{listed} lines listed");
    let more = format!("…and {} more", 80 - listed);
    assert!(
        description.ends_with(&more),
        "{more:?} missing from:\n{description}"
    );

    let embed = check_discord(&webhook::body(
        WebhookKind::Discord,
        &oversized_stock(),
        DeliveryId(1),
        &"L".repeat(5_000),
    ));
    assert!(
        embed["title"].as_str().unwrap_or("").ends_with('…'),
        "{}",
        embed["title"]
    );
}

#[tokio::test]
async fn deliveries_pending_at_a_crash_are_sent_exactly_once_after_the_restart() {
    let w = world().await;
    let (server, base) = HookServer::start().await;
    hook(&w, "Crash A", WebhookKind::Generic, format!("{base}/a")).await;
    hook(&w, "Crash B", WebhookKind::Slack, format!("{base}/b")).await;
    let mut items = Vec::new();
    for n in 0..5 {
        items.push(w.watched_part(&format!("Crash part {n}"), &[]).await.1);
    }
    // First run: the endpoints hang, the app dies mid-send.
    server.set_default(Some(Reply::Hang));
    let long = DeliveryConfig {
        send_timeout: Duration::from_secs(30),
        ..fast()
    };
    let worker = webhook_worker(&w, long.clone());
    for &item in &items {
        w.go_low(item).await;
    }
    for _ in 0..200 {
        if server.received("/a").len() + server.received("/b").len() >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        server.received("/a").len() + server.received("/b").len(),
        10,
        "all ten were in flight"
    );
    worker.abort().await;
    assert!(w
        .deliveries(ChannelKind::Webhook)
        .await
        .iter()
        .all(|d| d.status == DeliveryStatus::Pending));

    // Restart (the endpoints are healthy again): every delivery goes out once.
    server.set_default(None);
    let worker = webhook_worker(&w, long);
    let log = w.settled(ChannelKind::Webhook).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.stop().await;
    assert_eq!(log.len(), 10);
    assert!(
        log.iter().all(|d| d.status == DeliveryStatus::Sent),
        "{log:?}"
    );
    let mut delivered: Vec<String> = [
        successes(&server.received("/a")),
        successes(&server.received("/b")),
    ]
    .concat()
    .iter()
    .map(|r| r.headers["x-partwatch-delivery"].clone())
    .collect();
    delivered.sort();
    let before = delivered.len();
    delivered.dedup();
    assert_eq!(before, 10, "ten successful posts");
    assert_eq!(delivered.len(), 10, "no delivery posted twice");

    // And a further restart sends nothing again.
    let worker = webhook_worker(&w, fast());
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.stop().await;
    assert_eq!(
        successes(&server.received("/a")).len() + successes(&server.received("/b")).len(),
        10
    );
}

#[tokio::test]
async fn paused_popups_are_skipped_while_the_notification_still_lands_in_the_inbox() {
    use partwatch_core::desktop;
    use partwatch_types::desktop::PauseFor;
    let w = world().await;
    let name = "Paused popup part";
    let (_, item) = w.watched_part(name, &[w.me]).await;
    let pause = desktop::pause_popups(&w.db, w.me, &PauseFor::OneHour)
        .await
        .expect("paused");
    assert!(pause.paused_until.is_some());
    let popup = PopupChannel::new(
        w.db.clone(),
        "Partwatch",
        "dialog-warning",
        Arc::new(|_| {}),
    );
    let worker = Worker::start(w.db.clone(), ChannelSet::new().with(popup), fast());
    w.go_low(item).await;
    let log = w.settled(ChannelKind::OsPopup).await;
    assert_eq!(log[0].status, DeliveryStatus::Skipped);
    assert!(
        log[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("paused"),
        "{:?}",
        log[0]
    );
    assert_eq!(w.unread(w.me).await, 1);
    assert!(
        popups_with(&format!("Low stock: {name}")).is_empty(),
        "no popup while paused"
    );

    // Resumed: the next alert pops up again.
    let resumed = desktop::resume_popups(&w.db, w.me).await.expect("resumed");
    assert_eq!(resumed.paused_until, None);
    w.refill(item).await;
    w.go_low(item).await;
    wait_for_popups(&format!("Low stock: {name}"), 1).await;
    worker.stop().await;
    let until_tomorrow = desktop::pause_popups(&w.db, w.me, &PauseFor::UntilTomorrow)
        .await
        .expect("paused");
    assert!(
        until_tomorrow.paused_until.as_deref().unwrap_or("")
            > pause.paused_until.as_deref().unwrap_or("")
    );
}

/// "Email me if I haven't read it within 4 hours", with low-stock email off:
/// each drop queues a reminder held for 4 hours. When its hour comes (moved
/// here to now: no sleeps), the one still unread is mailed and the one read
/// meanwhile is skipped with the reason; with low-stock email on, nothing
/// extra is queued (the mail went at once).
#[tokio::test]
async fn an_unread_reminder_mails_only_what_is_still_unread_when_it_is_due() {
    use partwatch_core::preferences;
    use partwatch_types::notifications::Reminder;
    let w = world().await;
    let address = "reminded@lab.example";
    w.give_me_address(address).await;
    w.configure_plain_email().await;
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::Email, false)],
    )
    .await;
    let saved = preferences::update_reminder(
        &w.db,
        w.me,
        &Reminder {
            after_hours: Some(4),
        },
    )
    .await
    .expect("reminder saved");
    assert_eq!(saved.remind_after_hours, Some(4));
    let (_, kept) = w.watched_part("Left unread", &[w.me]).await;
    let (read_part, read) = w.watched_part("Read at once", &[w.me]).await;
    w.go_low(kept).await;
    w.go_low(read).await;
    let held: Vec<Delivery> = w
        .deliveries(ChannelKind::Email)
        .await
        .into_iter()
        .filter(|d| d.status == DeliveryStatus::Pending)
        .collect();
    assert_eq!(held.len(), 2, "{held:#?}");
    let later = partwatch_core::clock::from_now(3.0 * 3600.0);
    for d in &held {
        let due = d.next_attempt_at.clone().expect("a due time");
        assert!(due > later, "held about four hours: {due}");
    }
    // The desktop restarts in between: the reminders are still waiting.
    w.db.close().await;
    let db = support::open(w.dir.path()).await.expect("reopened");
    // As the app does at start: who works here (remembered by the desktop).
    users::current(&db, "Me")
        .await
        .expect("the person working here");
    let w = World { db, ..w };
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM deliveries WHERE only_if_unread = TRUE AND status = 'pending'"
        )
        .await,
        2
    );
    // I read one of them; four hours pass.
    w.read_mine_about(read_part).await;
    partwatch_core::sql::query(
        "UPDATE deliveries SET next_attempt_at = $1 WHERE only_if_unread = TRUE",
    )
    .bind(partwatch_core::clock::days_ago(0))
    .execute(&w.db)
    .await
    .expect("the hour has come");
    let worker = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 1).await;
    let log = w.settled(ChannelKind::Email).await;
    worker.stop().await;
    assert!(
        mails[0].headers.contains("Low stock: Left unread"),
        "{}",
        mails[0].headers
    );
    assert_eq!(
        spooled_mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address).len(),
        1,
        "only the unread one"
    );
    let outcome = |status: DeliveryStatus| -> Vec<String> {
        log.iter()
            .filter(|d| {
                d.status == status
                    && d.last_error.as_deref() != Some("Chose no email for low stock.")
            })
            .map(|d| format!("{} {}", d.title, d.last_error.clone().unwrap_or_default()))
            .collect()
    };
    assert_eq!(outcome(DeliveryStatus::Sent), ["Low stock: Left unread "]);
    assert_eq!(
        outcome(DeliveryStatus::Skipped),
        ["Low stock: Read at once Read before the reminder was due."]
    );

    // With low-stock email on, a drop is mailed at once and nothing is held.
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::Email, true)],
    )
    .await;
    let (_, mailed) = w.watched_part("Mailed at once", &[w.me]).await;
    w.go_low(mailed).await;
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM deliveries WHERE only_if_unread = TRUE AND status = 'pending'"
        )
        .await,
        0
    );
}

/// Quiet hours from an hour ago to an hour ahead, on the UTC clock.
fn quiet_around_now(critical_through: bool) -> partwatch_types::notifications::SetQuietHours {
    use partwatch_types::notifications::{QuietHours, SetQuietHours};
    let hh_mm = |seconds: f64| partwatch_core::clock::from_now(seconds)[11..16].to_owned();
    SetQuietHours {
        quiet_hours: Some(QuietHours {
            from: hh_mm(-3600.0),
            to: hh_mm(3600.0),
            time_zone: "UTC".into(),
            critical_through,
        }),
    }
}

/// Quiet hours around now (in UTC here): a drop reaches the inbox at once,
/// while its popup and mail wait until the hours end — the log says so.
/// When they end (moved here to now: no sleeps) the mail of the one still
/// unread goes; the one read meanwhile is skipped with the reason.
#[tokio::test]
async fn quiet_hours_hold_popups_and_mail_until_they_end_unless_read() {
    use partwatch_core::preferences;
    use partwatch_types::notifications::SetQuietHours;
    let w = world().await;
    let address = "quiet@lab.example";
    w.give_me_address(address).await;
    w.configure_plain_email().await;
    let saved = preferences::update_quiet_hours(&w.db, w.me, &quiet_around_now(true))
        .await
        .expect("quiet hours saved");
    assert_eq!(
        saved.quiet_hours.map(|q| q.time_zone).as_deref(),
        Some("UTC")
    );
    let (_, unread_item) = w.watched_part("Waits unread", &[w.me]).await;
    let (read_part, read_item) = w.watched_part("Read in the night", &[w.me]).await;
    w.go_low(unread_item).await;
    w.go_low(read_item).await;
    assert_eq!(w.unread(w.me).await, 2, "the inbox has them at once");
    let held: Vec<Delivery> = delivery::list(&w.db, &DeliveryQuery::default())
        .await
        .expect("the log")
        .into_iter()
        .filter(|d| d.user_id == Some(w.me))
        .collect();
    assert_eq!(held.len(), 4, "a popup and a mail each: {held:#?}");
    let soon = partwatch_core::clock::from_now(30.0 * 60.0);
    for d in &held {
        assert!(d.held_by_quiet_hours, "{d:?}");
        assert_eq!(d.status, DeliveryStatus::Pending);
        let until = d.next_attempt_at.clone().expect("held until");
        assert!(until > soon, "held about an hour: {until}");
    }
    // The desktop restarts in the night: the held ones are still held.
    w.db.close().await;
    let db = support::open(w.dir.path()).await.expect("reopened");
    // As the app does at start: who works here (remembered by the desktop).
    users::current(&db, "Me")
        .await
        .expect("the person working here");
    let w = World { db, ..w };
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE held_by_quiet_hours = TRUE AND status = 'pending'")
            .await,
        4
    );
    w.read_mine_about(read_part).await;
    partwatch_core::sql::query(
        "UPDATE deliveries SET next_attempt_at = $1 WHERE held_by_quiet_hours = TRUE",
    )
    .bind(partwatch_core::clock::now())
    .execute(&w.db)
    .await
    .expect("the quiet hours are over");
    let worker = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 1).await;
    let log = w.settled(ChannelKind::Email).await;
    worker.stop().await;
    assert!(
        mails[0].headers.contains("Low stock: Waits unread"),
        "{}",
        mails[0].headers
    );
    let outcome: Vec<(String, DeliveryStatus, Option<String>)> = log
        .iter()
        .map(|d| (d.title.clone(), d.status, d.last_error.clone()))
        .collect();
    assert!(
        outcome.contains(&(
            "Low stock: Read in the night".into(),
            DeliveryStatus::Skipped,
            Some("Read before quiet hours ended.".into())
        )),
        "{outcome:#?}"
    );
    assert_eq!(
        spooled_mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address).len(),
        1
    );

    // Without quiet hours, the next drop's mail is due at once.
    preferences::update_quiet_hours(&w.db, w.me, &SetQuietHours { quiet_hours: None })
        .await
        .expect("no quiet hours");
    let (_, loud) = w.watched_part("Heard at once", &[w.me]).await;
    w.go_low(loud).await;
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND held_by_quiet_hours = TRUE")
            .await,
        0
    );
}

/// Out of stock in the middle of quiet hours: critical, so its popup and
/// mail go at once for a person who lets it through (the mail reaches the
/// SMTP server now), while a low-stock drop beside it waits; for one who
/// does not, it waits like the rest.
#[tokio::test]
async fn critical_news_passes_quiet_hours_only_for_those_who_let_it_through() {
    use partwatch_core::preferences;
    let w = world().await;
    let address = "night-shift@lab.example";
    w.give_me_address(address).await;
    w.configure_plain_email().await;
    let saved = preferences::update_quiet_hours(&w.db, w.me, &quiet_around_now(true))
        .await
        .expect("quiet hours saved");
    assert_eq!(saved.quiet_hours.map(|q| q.critical_through), Some(true));
    let (_, low_item) = w.watched_part("Only low", &[w.me]).await;
    let (_, empty_item) = w.watched_part("Emptied", &[w.me]).await;
    w.go_low(low_item).await;
    w.remove(empty_item, "20").await;
    let held = |title: &'static str| {
        let w = &w;
        async move {
            let log = delivery::list(&w.db, &DeliveryQuery::default())
                .await
                .expect("the log");
            let mine: Vec<&Delivery> = log.iter().filter(|d| d.title == title).collect();
            assert_eq!(mine.len(), 2, "a popup and a mail of {title}: {log:#?}");
            mine.iter().all(|d| d.held_by_quiet_hours)
        }
    };
    assert!(held("Low stock: Only low").await, "low stock waits");
    assert!(
        !held("Out of stock: Emptied").await,
        "out of stock goes at once"
    );
    let worker = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 1).await;
    worker.stop().await;
    assert!(
        mails[0].headers.contains("Out of stock: Emptied"),
        "{}",
        mails[0].headers
    );
    assert_eq!(
        spooled_mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address).len(),
        1,
        "the low-stock mail still waits"
    );

    // Turned off: the next part to run out waits for the morning too.
    preferences::update_quiet_hours(&w.db, w.me, &quiet_around_now(false))
        .await
        .expect("quiet hours saved");
    let (_, second) = w.watched_part("Emptied at night", &[w.me]).await;
    w.remove(second, "20").await;
    assert!(held("Out of stock: Emptied at night").await);
}

/// A daily-digest person (08:00 UTC): twenty parts going low within a minute
/// wait as twenty mails "in digest", due at the next 08:00, and none is
/// sent; a part hitting zero meanwhile is critical and mailed at once. The
/// desktop restarts; when the digest comes (moved to now: no sleeps) one
/// mail lists all twenty, grouped under "Low stock (20)", with their figures
/// and links, and every row is recorded sent.
#[tokio::test]
async fn twenty_parts_low_make_one_daily_digest_and_an_empty_part_its_own_mail_at_once() {
    use partwatch_core::preferences;
    use partwatch_types::notifications::{Digest, EmailDigest};
    let w = world().await;
    let address = "digest@lab.example";
    w.give_me_address(address).await;
    w.configure_plain_email().await;
    let saved = preferences::update_digest(
        &w.db,
        w.me,
        &Digest {
            every: EmailDigest::Daily,
            at: "08:00".into(),
            time_zone: "UTC".into(),
        },
    )
    .await
    .expect("digest saved");
    assert_eq!(saved.digest.every, EmailDigest::Daily);
    assert_eq!(saved.digest.at, "08:00");
    for n in 1..=20 {
        let (_, item) = w
            .watched_part(&format!("Digest part {n:02}"), &[w.me])
            .await;
        w.go_low(item).await;
    }
    let (_, empty) = w.watched_part("Emptied", &[w.me]).await;
    w.remove(empty, "20").await;
    let log: Vec<Delivery> = delivery::list(&w.db, &DeliveryQuery::default())
        .await
        .expect("the log")
        .into_iter()
        .filter(|d| d.channel == ChannelKind::Email)
        .collect();
    let waiting: Vec<&Delivery> = log.iter().filter(|d| d.in_digest).collect();
    assert_eq!(waiting.len(), 20, "{log:#?}");
    let due = waiting[0].next_attempt_at.clone().expect("due");
    assert!(due.ends_with("T08:00:00.000Z"), "the next 08:00: {due}");
    assert!(
        waiting
            .iter()
            .all(|d| d.next_attempt_at.as_deref() == Some(due.as_str())
                && d.status == DeliveryStatus::Pending),
        "all due together"
    );
    let critical = log
        .iter()
        .find(|d| d.title == "Out of stock: Emptied")
        .expect("the critical mail");
    assert!(
        !critical.in_digest,
        "critical news is not kept for the digest"
    );

    let worker = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 1).await;
    worker.stop().await;
    assert!(
        mails[0].headers.contains("Out of stock: Emptied"),
        "{}",
        mails[0].headers
    );
    assert_eq!(
        spooled_mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address).len(),
        1,
        "the digest waits for 08:00"
    );

    // The desktop is closed and opened again: the digest is still waiting.
    w.db.close().await;
    let db = support::open(w.dir.path()).await.expect("reopened");
    // As the app does at start: who works here (remembered by the desktop).
    users::current(&db, "Me")
        .await
        .expect("the person working here");
    let w = World { db, ..w };
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE in_digest = TRUE AND status = 'pending'")
            .await,
        20
    );
    partwatch_core::sql::query("UPDATE deliveries SET next_attempt_at = $1 WHERE in_digest = TRUE")
        .bind(partwatch_core::clock::now())
        .execute(&w.db)
        .await
        .expect("08:00 has come");
    let worker = email_worker(&w, fast());
    let mails = mails_to(&harness("PARTWATCH_SMTP_SPOOL"), address, 2).await;
    let log = w.settled(ChannelKind::Email).await;
    worker.stop().await;
    assert_eq!(mails.len(), 2, "one digest, not twenty mails");
    let digest = mails
        .iter()
        .find(|m| m.headers.contains("Digest"))
        .expect("the digest");
    assert!(
        digest.headers.contains("[Lab] Digest: 20 low stock"),
        "{}",
        digest.headers
    );
    assert!(
        digest.text.contains("== Low stock (20) =="),
        "{}",
        digest.text
    );
    for n in 1..=20 {
        let title = format!("Low stock: Digest part {n:02}");
        assert!(digest.text.contains(&title), "{title} in {}", digest.text);
        assert!(digest.html.contains(&title), "{title} in the HTML");
    }
    assert!(digest.text.contains("In stock:  5 pcs"), "{}", digest.text);
    assert!(
        digest.text.contains("partwatch://parts/"),
        "links: {}",
        digest.text
    );
    assert_eq!(
        log.iter()
            .filter(|d| d.in_digest && d.status == DeliveryStatus::Sent)
            .count(),
        20,
        "every row of the digest recorded sent"
    );
}

/// Hourly digests gather what came since the last one; a mail the person
/// no longer wants by then is left out with its reason; switching back to
/// "Immediately" mails the next one at once. Bad choices are refused on the
/// field, changing nothing.
#[tokio::test]
async fn an_hourly_digest_gathers_by_person_and_bad_choices_change_nothing() {
    use partwatch_core::preferences;
    use partwatch_types::notifications::{Digest, EmailDigest};
    let w = world().await;
    w.give_me_address("hourly@lab.example").await;
    let other = w
        .user_with_email("Grace", Some("grace-hourly@lab.example"))
        .await;
    w.configure_plain_email().await;
    let digest = |every, at: &str| Digest {
        every,
        at: at.into(),
        time_zone: "UTC".into(),
    };
    for (every, at, field_error) in [
        (
            EmailDigest::Daily,
            "",
            "Choose the time of day the daily digest comes, as 08:00.",
        ),
        (
            EmailDigest::Daily,
            "8 o'clock",
            "“8 o'clock” is not a time of day: give one as 08:00.",
        ),
    ] {
        let refused = preferences::update_digest(&w.db, w.me, &digest(every, at))
            .await
            .expect_err("refused");
        assert_eq!(refused.code(), ErrorCode::InvalidInput);
        assert_eq!(refused.to_string(), field_error);
    }
    let unchanged = preferences::of(&w.db, w.me).await.expect("preferences");
    assert_eq!(unchanged.digest.every, EmailDigest::Immediately);

    preferences::update_digest(&w.db, w.me, &digest(EmailDigest::Hourly, ""))
        .await
        .expect("hourly");
    let (_, a) = w.watched_part("Hourly A", &[w.me, other]).await;
    let (_, b) = w.watched_part("Hourly B", &[w.me]).await;
    let (_, c) = w.watched_part("Hourly C", &[w.me]).await;
    for item in [a, b, c] {
        w.go_low(item).await;
    }
    assert_eq!(
        w.count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE in_digest = TRUE AND user_id = {}",
            w.me
        ))
        .await,
        3,
        "mine wait for the hour"
    );
    assert_eq!(
        w.count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE in_digest = TRUE AND user_id = {other}"
        ))
        .await,
        0,
        "Grace takes hers at once"
    );
    // Before the hour comes I stop wanting low-stock mail: the digest skips
    // them with the reason, and sends nothing.
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::Email, false)],
    )
    .await;
    partwatch_core::sql::query("UPDATE deliveries SET next_attempt_at = $1 WHERE in_digest = TRUE")
        .bind(partwatch_core::clock::now())
        .execute(&w.db)
        .await
        .expect("the hour has come");
    let worker = email_worker(&w, fast());
    let grace = mails_to(
        &harness("PARTWATCH_SMTP_SPOOL"),
        "grace-hourly@lab.example",
        1,
    )
    .await;
    let log = w.settled(ChannelKind::Email).await;
    worker.stop().await;
    assert_eq!(grace.len(), 1);
    let mine: Vec<&Delivery> = log.iter().filter(|d| d.user_id == Some(w.me)).collect();
    assert_eq!(mine.len(), 3);
    assert!(
        mine.iter().all(|d| d.status == DeliveryStatus::Skipped
            && d.last_error.as_deref() == Some("Me chose no email for low stock.")),
        "{mine:#?}"
    );
    assert!(spooled_mails_to(&harness("PARTWATCH_SMTP_SPOOL"), "hourly@lab.example").is_empty());

    // Low-stock mail wanted again: one waits for the hour. Switching back
    // to mail at once makes what waits due now (one last digest), and the
    // next one goes at once, not in a digest.
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::Email, true)],
    )
    .await;
    let (_, d) = w.watched_part("Hourly D", &[w.me]).await;
    w.go_low(d).await;
    let waiting_until = |w: &World| {
        let db = w.db.clone();
        async move {
            let log = delivery::list(&db, &DeliveryQuery::default())
                .await
                .expect("log");
            log.into_iter()
                .find(|d| d.title == "Low stock: Hourly D" && d.channel == ChannelKind::Email)
                .and_then(|d| d.next_attempt_at)
                .expect("waiting")
        }
    };
    let before = waiting_until(&w).await;
    assert!(
        before > partwatch_core::clock::now(),
        "waits for the hour: {before}"
    );
    preferences::update_digest(&w.db, w.me, &digest(EmailDigest::Immediately, ""))
        .await
        .expect("at once");
    let after = waiting_until(&w).await;
    assert!(after <= partwatch_core::clock::now(), "due now: {after}");
    let (_, e) = w.watched_part("Hourly E", &[w.me]).await;
    w.go_low(e).await;
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM deliveries d JOIN delivery_events e ON e.id = d.event_id
              WHERE d.in_digest = TRUE AND e.title = 'Low stock: Hourly E'"
        )
        .await,
        0
    );
}
