//! A burst of email: 1,000 low-stock mails due at once, sent by the delivery
//! worker to a local SMTP sink that counts connections. Beside it, the same
//! 1,000 mails with a fresh connection per mail (four at a time, like the
//! worker's allowance), so the figures say what pooling and the cap buy.
//!
//! Then one person's daily digest of as many notifications, due at once:
//! gathered, rendered and sent as one mail.
//!
//! `cargo bench -p partwatch-core --bench mail_burst` (or `-- 200` for fewer mails).
//! The sink runs in this process on 127.0.0.1; nothing leaves the machine.

#![allow(clippy::print_stdout)]

mod support;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use partwatch_core::delivery::email::{self, EmailChannel};
use partwatch_core::delivery::{ChannelSet, DeliveryConfig, Worker};
use partwatch_core::inventory::{parts, users};
use partwatch_core::Database;
use partwatch_core::{preferences, subscriptions};
use partwatch_types::delivery::{EmailSecurity, PasswordChange, SaveEmailSettings};
use partwatch_types::inventory::{PartInput, StockAdjustment, UpdateUser};
use partwatch_types::notifications::{Digest, EmailDigest};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{add_stock, adjust, fresh, number_arg, q};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the sink saw.
#[derive(Default)]
struct Sink {
    connections: AtomicUsize,
    open: AtomicUsize,
    most_open: AtomicUsize,
    mails: AtomicUsize,
}

/// A minimal SMTP server: greets, accepts every command, counts mails.
async fn sink() -> (u16, Arc<Sink>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Sink::default());
    let counts = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let counts = Arc::clone(&counts);
            counts.connections.fetch_add(1, Ordering::Relaxed);
            let open = counts.open.fetch_add(1, Ordering::Relaxed) + 1;
            counts.most_open.fetch_max(open, Ordering::Relaxed);
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if in_data {
                        if line != "." {
                            continue;
                        }
                        in_data = false;
                        counts.mails.fetch_add(1, Ordering::Relaxed);
                        b"250 queued\r\n"
                    } else {
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        }
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
                counts.open.fetch_sub(1, Ordering::Relaxed);
            });
        }
    });
    (port, seen)
}

fn report(name: &str, mails: usize, took: Duration, sink: &Sink) {
    println!(
        "  {name:<44} {:>7.0} mails/s   {:>5} connections, at most {:>3} open at once   ({mails} mails in {:.2} s)",
        mails as f64 / took.as_secs_f64(),
        sink.connections.load(Ordering::Relaxed),
        sink.most_open.load(Ordering::Relaxed),
        took.as_secs_f64(),
    );
}

/// Mail through the sink on `port`.
async fn mail_through(db: &Database, port: u16) {
    email::save_settings(
        db,
        &SaveEmailSettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port,
            security: EmailSecurity::None,
            username: None,
            password: PasswordChange::Keep,
            from_address: "partwatch@lab.example".into(),
            instance_name: "Bench".into(),
        },
    )
    .await
    .expect("mail settings");
}

/// `count` users with addresses watching one part that goes low: `count`
/// email deliveries due at once.
async fn burst(db: &Database, count: i64, port: u16) {
    mail_through(db, port).await;
    sqlx::query(
        "INSERT INTO users (name, email) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         SELECT 'Reader ' || i, 'reader' || i || '@lab.example' FROM n",
    )
    .bind(count)
    .execute(db.pool())
    .await
    .expect("users");
    let part = parts::create(
        db,
        &PartInput {
            minimum_stock: q("10"),
            ..PartInput::named("Burst resistor")
        },
    )
    .await
    .expect("part");
    sqlx::query("INSERT INTO part_subscriptions (user_id, part_id) SELECT id, ? FROM users")
        .bind(part.id)
        .execute(db.pool())
        .await
        .expect("subscriptions");
    let item = add_stock(db, part.id, "20").await;
    adjust(db, item.id, StockAdjustment::Remove(q("15")), "burst").await;
}

/// One person with a daily digest watching `count` parts that each go low:
/// `count` mails waiting for the digest, then made due now.
async fn digest(db: &Database, count: i64, port: u16) {
    mail_through(db, port).await;
    let me = users::current(db, "Digest reader").await.expect("me").id;
    users::update(
        db,
        &UpdateUser {
            id: me,
            name: "Digest reader".into(),
            email: Some("digest@lab.example".into()),
        },
    )
    .await
    .expect("address");
    preferences::update_digest(
        db,
        me,
        &Digest {
            every: EmailDigest::Daily,
            at: "08:00".into(),
            time_zone: "UTC".into(),
        },
    )
    .await
    .expect("digest");
    for n in 0..count {
        let part = parts::create(
            db,
            &PartInput {
                minimum_stock: q("10"),
                ..PartInput::named(format!("Digest part {n}"))
            },
        )
        .await
        .expect("part");
        subscriptions::set_part(db, me, part.id, true)
            .await
            .expect("subscribed");
        let item = add_stock(db, part.id, "20").await;
        adjust(db, item.id, StockAdjustment::Remove(q("15")), "digest").await;
    }
    sqlx::query("UPDATE deliveries SET next_attempt_at = ?1 WHERE in_digest = 1")
        .bind(partwatch_core::clock::now())
        .execute(db.pool())
        .await
        .expect("due now");
}

async fn sent(db: &Database) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND status = 'sent'",
    )
    .fetch_one(db.pool())
    .await
    .expect("count")
}

/// Runs the delivery worker until `count` mails are recorded sent; how long
/// that took from its start.
async fn drain(db: &Database, count: i64) -> Duration {
    let config = DeliveryConfig::default();
    let start = Instant::now();
    let worker = Worker::start(
        db.clone(),
        ChannelSet::new().with(EmailChannel::new(db.clone(), config.clone())),
        config,
    );
    let deadline = start + Duration::from_secs(600);
    while sent(db).await < count {
        assert!(
            Instant::now() < deadline,
            "the mails did not go out in 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = start.elapsed();
    worker.stop().await;
    took
}

#[tokio::main]
async fn main() {
    let count: i64 = number_arg(1_000);
    println!("Partwatch mail burst: {count} low-stock mails due at once, to a local SMTP sink");

    // The worker: pooled transport, at most the channel's allowance in flight.
    let (_dir, db) = fresh().await;
    let (port, seen) = sink().await;
    burst(&db, count, port).await;
    let took = drain(&db, count).await;
    report(
        "delivery worker (pooled, capped)",
        count as usize,
        took,
        &seen,
    );

    // The baseline: a fresh connection per mail, four at a time.
    let (port, seen) = sink().await;
    let from: Mailbox = "Bench <partwatch@lab.example>".parse().expect("from");
    let start = Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    let next = Arc::new(AtomicUsize::new(0));
    for _ in 0..4 {
        let (from, next) = (from.clone(), Arc::clone(&next));
        sends.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count as usize {
                    break;
                }
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
                        .port(port)
                        .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(1))
                        .build();
                let mail = Message::builder()
                    .from(from.clone())
                    .to(format!("reader{n}@lab.example").parse().expect("to"))
                    .subject("Low stock: Burst resistor")
                    .body("5 pcs left; the minimum is 10 pcs.".to_owned())
                    .expect("mail");
                transport.send(mail).await.expect("sent");
            }
        });
    }
    while sends.join_next().await.is_some() {}
    let took = start.elapsed();
    report(
        "baseline: a fresh connection per mail",
        count as usize,
        took,
        &seen,
    );

    // One person's digest of `count` notifications.
    let (_dir, db) = fresh().await;
    let (port, seen) = sink().await;
    digest(&db, count, port).await;
    let took = drain(&db, count).await;
    assert_eq!(seen.mails.load(Ordering::Relaxed), 1, "one mail");
    println!(
        "  {:<44} {:>7.1} ms       {} notifications in 1 mail, {} connection(s)",
        "one person's digest (gather, render, send)",
        took.as_secs_f64() * 1000.0,
        count,
        seen.connections.load(Ordering::Relaxed),
    );
}
