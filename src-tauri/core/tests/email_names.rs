//! Email to people whose names hold commas, quotes, parentheses or
//! semicolons, against the harness's aiosmtpd (tests/harness/with-services.sh).
//! Run with:
//!   bash tests/harness/with-services.sh cargo test -p partwatch-core --test email_names

use partwatch_core::delivery::email::{self, EmailChannel};
use partwatch_core::delivery::{self, ChannelSet, Worker};
use partwatch_core::Database;
use partwatch_types::delivery::*;
use std::time::Duration;

mod support;
use support::harness::{fast, harness, spooled_mails_to};
use support::world;

/// The raw mail in the spool whose envelope goes to `to`, waiting up to 10 s.
async fn raw_mail_to(spool: &str, to: &str) -> Option<String> {
    for _ in 0..200 {
        if let Some((raw, _)) = spooled_mails_to(spool, to).into_iter().next() {
            return Some(raw);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// The value of the `To:` header, unfolded.
fn to_header(raw: &str) -> String {
    let headers = raw.split("\r\n\r\n").next().expect("headers");
    let mut value: Option<String> = None;
    for line in headers.split("\r\n") {
        match &mut value {
            Some(v) if line.starts_with([' ', '\t']) => v.push_str(line),
            Some(_) => break,
            None => {
                if let Some(rest) = line.strip_prefix("To:") {
                    value = Some(rest.trim().to_owned());
                }
            }
        }
    }
    value.unwrap_or_else(|| panic!("no To header in:\n{headers}"))
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let six = ALPHABET
            .iter()
            .position(|a| *a == byte)
            .expect("base64 digit");
        acc = (acc << 6) | u32::try_from(six).expect("six bits");
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).expect("a byte"));
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=` and `=?utf-8?q?…?=`);
/// whitespace between two adjacent encoded words is dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let (_charset, encoding, tail) = (
            parts.next().expect("charset"),
            parts.next().expect("encoding"),
            parts.next().expect("text"),
        );
        let end = tail.find("?=").expect("end of encoded word");
        let text = &tail[..end];
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            base64(text)
        } else {
            let mut bytes = Vec::new();
            let mut i = 0;
            let raw = text.as_bytes();
            while i < raw.len() {
                match raw[i] {
                    b'_' => bytes.push(b' '),
                    b'=' => {
                        bytes.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
                        i += 2;
                    }
                    b => bytes.push(b),
                }
                i += 1;
            }
            bytes
        };
        out.push_str(&String::from_utf8(bytes).expect("utf-8"));
        rest = &tail[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

/// Splits a decoded `To:` value into the display name (unquoted) and the address.
fn name_and_address(to: &str) -> (String, String) {
    let open = to
        .rfind('<')
        .unwrap_or_else(|| panic!("no <address> in {to:?}"));
    let address = to[open + 1..].trim_end().trim_end_matches('>').to_owned();
    let name = to[..open].trim();
    let name = match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => name.to_owned(),
    };
    (name, address)
}

async fn email_log(db: &Database) -> Vec<Delivery> {
    delivery::list(
        db,
        &DeliveryQuery {
            channel: Some(ChannelKind::Email),
            ..DeliveryQuery::default()
        },
    )
    .await
    .expect("delivery log")
}

#[tokio::test]
async fn low_stock_mail_reaches_people_with_commas_quotes_and_semicolons_in_their_names() {
    let w = world().await;
    let people = [
        ("Smith, John", "john.smith-names@lab.example"),
        ("O'Brien (Stores)", "obrien-names@lab.example"),
        ("Team; Night", "night-team-names@lab.example"),
    ];
    let mut ids = Vec::new();
    for (name, address) in people {
        ids.push(w.user_with_email(name, Some(address)).await);
    }
    let (_part, item) = w.watched_part("R-names", &ids).await;
    email::save_settings(
        &w.db,
        &SaveEmailSettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port: harness("PARTWATCH_SMTP_PLAIN_PORT").parse().expect("port"),
            security: EmailSecurity::None,
            username: None,
            password: PasswordChange::Clear,
            from_address: "Partwatch <stores@lab.example>".into(),
            instance_name: "Lab".into(),
        },
    )
    .await
    .expect("email settings");
    let config = fast();
    let channels = ChannelSet::new().with(EmailChannel::new(w.db.clone(), config.clone()));
    let worker = Worker::start(w.db.clone(), channels, config);
    w.go_low(item).await;

    let spool = harness("PARTWATCH_SMTP_SPOOL");
    let mut arrived = Vec::new();
    for (name, address) in people {
        let Some(raw) = raw_mail_to(&spool, address).await else {
            panic!(
                "no mail to {name} <{address}> arrived; the delivery log:\n{:#?}",
                email_log(&w.db).await
            );
        };
        let to = to_header(&raw);
        assert_eq!(
            name_and_address(&decode_words(&to)),
            (name.to_owned(), address.to_owned()),
            "To: {to}"
        );
        arrived.push(address);
    }
    worker.stop().await;
    assert_eq!(arrived.len(), 3);

    let log = email_log(&w.db).await;
    assert_eq!(log.len(), 3, "{log:#?}");
    assert!(
        log.iter().all(|d| d.status == DeliveryStatus::Sent),
        "{log:#?}"
    );
}
