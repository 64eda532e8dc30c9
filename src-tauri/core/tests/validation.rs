//! Input hardening: invisible and direction-changing characters, line breaks
//! in single-line fields, addresses lettre cannot send to, and mail server
//! settings that would sign in without encryption. Every rejection is
//! `InvalidInput` and leaves the database exactly as it was.

use partwatch_core::delivery::email;
use partwatch_core::delivery::DeliveryConfig;
use partwatch_core::inventory::{categories, parts, stock, users};
use partwatch_types::delivery::*;
use partwatch_types::inventory::*;
use partwatch_types::ErrorCode;
use std::time::Duration;

mod support;
use support::{code, q, snapshot, stock_in, world, World};

/// Names that look harmless on screen but are not what they seem.
const BAD_NAMES: &[&str] = &[
    "Eve\u{202E}exe.txt",       // right-to-left override (Cf)
    "Ze\u{200B}ro",             // zero-width space (Cf)
    "\u{200B}\u{200B}\u{200B}", // nothing visible at all
    "Line\u{2028}break",        // line separator (Zl)
    "Para\u{2029}graph",        // paragraph separator (Zp)
    "Soft\u{AD}hyphen",         // soft hyphen (Cf)
    "Bom\u{FEFF}name",          // zero-width no-break space (Cf)
    "Tab\tname",                // a tab is not an ordinary space
    "No\u{A0}break",            // no-break space
    "Em\u{2003}space",          // em space
    "Two\nlines",
];

async fn part_named(w: &World, name: &str) -> Part {
    w.part(PartInput {
        units: "pcs".into(),
        ..PartInput::named(name)
    })
    .await
}

#[tokio::test]
async fn names_with_invisible_or_direction_changing_characters_are_refused() {
    let w = world().await;
    let grace = w.user("Grace").await;
    let category = w.category("Resistors", None).await;
    let part = part_named(&w, "R1").await;
    let before = snapshot(&w.db).await;

    for &bad in BAD_NAMES {
        let err = users::create(
            &w.db,
            &NewUser {
                name: bad.into(),
                email: None,
            },
        )
        .await
        .expect_err(&format!("user name {bad:?} must be rejected"));
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?}: {err}");
        assert!(err.to_string().contains("Name"), "{bad:?}: {err}");

        let renamed = users::update(
            &w.db,
            &UpdateUser {
                id: grace,
                name: bad.into(),
                email: Some("grace@lab.example".into()),
            },
        )
        .await;
        assert_eq!(code(renamed), ErrorCode::InvalidInput, "{bad:?}");

        let new_category = categories::create(
            &w.db,
            &NewCategory {
                name: bad.into(),
                description: String::new(),
                parent_id: None,
            },
        )
        .await;
        assert_eq!(code(new_category), ErrorCode::InvalidInput, "{bad:?}");
        let sub = categories::create(
            &w.db,
            &NewCategory {
                name: bad.into(),
                description: String::new(),
                parent_id: Some(category.id),
            },
        )
        .await;
        assert_eq!(code(sub), ErrorCode::InvalidInput, "{bad:?}");

        let new_part = parts::create(
            &w.db,
            &PartInput {
                units: "pcs".into(),
                ..PartInput::named(bad)
            },
        )
        .await;
        assert_eq!(code(new_part), ErrorCode::InvalidInput, "{bad:?}");
        let with_ipn = parts::create(
            &w.db,
            &PartInput {
                ipn: Some(format!("IPN-{bad}")),
                units: "pcs".into(),
                ..PartInput::named("R2")
            },
        )
        .await;
        assert_eq!(code(with_ipn), ErrorCode::InvalidInput, "IPN {bad:?}");
        let renamed_part = parts::update(
            &w.db,
            &UpdatePart {
                id: part.id,
                input: PartInput {
                    units: "pcs".into(),
                    ..PartInput::named(bad)
                },
            },
        )
        .await;
        assert_eq!(code(renamed_part), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);

    // Ordinary names, with ordinary spaces and punctuation, still work.
    for good in [
        "Smith, John",
        "O'Brien (Stores)",
        "Team; Night",
        "Zoë Ångström",
    ] {
        users::create(
            &w.db,
            &NewUser {
                name: good.into(),
                email: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

#[tokio::test]
async fn units_with_invisible_characters_are_refused() {
    let w = world().await;
    let part = part_named(&w, "R1").await;
    let before = snapshot(&w.db).await;
    for bad in ["pcs\u{200B}", "\u{202E}pcs", "p\u{2028}cs", "p\u{2029}cs"] {
        let created = parts::create(
            &w.db,
            &PartInput {
                units: bad.into(),
                ..PartInput::named("R2")
            },
        )
        .await;
        assert_eq!(code(created), ErrorCode::InvalidInput, "{bad:?}");
        let updated = parts::update(
            &w.db,
            &UpdatePart {
                id: part.id,
                input: PartInput {
                    units: bad.into(),
                    ..PartInput::named("R1")
                },
            },
        )
        .await;
        assert_eq!(code(updated), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);
}

/// Units, like every single-line field, take no line break or tab.
#[tokio::test]
async fn units_with_a_line_break_are_refused() {
    let w = world().await;
    let before = snapshot(&w.db).await;
    for bad in ["pcs\nkg", "pcs\tkg"] {
        let created = parts::create(
            &w.db,
            &PartInput {
                units: bad.into(),
                ..PartInput::named("R2")
            },
        )
        .await;
        assert_eq!(code(created), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);
}

#[tokio::test]
async fn free_text_keeps_line_breaks_but_not_invisible_characters() {
    let w = world().await;
    let part = part_named(&w, "R1").await;
    let item = w.add_item(part.id, "5").await;
    let before = snapshot(&w.db).await;
    for bad in ["a\u{202E}b", "a\u{200B}b", "a\u{2028}b", "a\u{2029}b"] {
        let category = categories::create(
            &w.db,
            &NewCategory {
                name: "Capacitors".into(),
                description: bad.into(),
                parent_id: None,
            },
        )
        .await;
        assert_eq!(code(category), ErrorCode::InvalidInput, "{bad:?}");
        let adjusted = stock::adjust(
            &w.db,
            &AdjustStock {
                item_id: item,
                adjustment: StockAdjustment::Remove(q("1")),
                reason: bad.into(),
            },
        )
        .await;
        assert_eq!(code(adjusted), ErrorCode::InvalidInput, "{bad:?}");
        let added = stock::add_item(
            &w.db,
            &NewStockItem {
                reason: bad.into(),
                ..stock_in(part.id, "1")
            },
        )
        .await;
        assert_eq!(code(added), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);

    let kept = categories::create(
        &w.db,
        &NewCategory {
            name: "Capacitors".into(),
            description: "First line\n\tindented second line".into(),
            parent_id: None,
        },
    )
    .await
    .expect("newlines and tabs are fine in a description");
    assert_eq!(kept.description, "First line\n\tindented second line");
}

#[tokio::test]
async fn addresses_lettre_cannot_send_to_are_refused_when_saved() {
    let w = world().await;
    let grace = w.user("Grace").await;
    let before = snapshot(&w.db).await;
    for bad in [
        "a<b>@x.example",
        "a,b@x.example",
        "a;b@x.example",
        "a(b)@x.example",
        "a..b@x.example",
    ] {
        let err = users::create(
            &w.db,
            &NewUser {
                name: "Eve".into(),
                email: Some(bad.into()),
            },
        )
        .await
        .expect_err(&format!("{bad:?} must be rejected"));
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?}: {err}");
        assert!(
            err.to_string().contains("is not a valid email address"),
            "{bad:?}: {err}"
        );
        let updated = users::update(
            &w.db,
            &UpdateUser {
                id: grace,
                name: "Grace".into(),
                email: Some(bad.into()),
            },
        )
        .await;
        assert_eq!(code(updated), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);
}

fn local_settings(security: EmailSecurity) -> SaveEmailSettings {
    SaveEmailSettings {
        enabled: true,
        host: "127.0.0.1".into(),
        port: 2525,
        security,
        username: None,
        password: PasswordChange::Clear,
        from_address: "Partwatch <stores@lab.example>".into(),
        instance_name: "Lab".into(),
    }
}

#[tokio::test]
async fn sender_and_test_addresses_lettre_cannot_send_to_are_refused() {
    let w = world().await;
    email::save_settings(&w.db, &local_settings(EmailSecurity::None))
        .await
        .expect("settings");
    let before = snapshot(&w.db).await;
    for bad in [
        "stores@lab",
        "Stores <stores@lab>",
        "Stores\u{202E} <stores@lab.example>",
        "Stores <a<b>@x.example>",
        "a,b@x.example",
    ] {
        let err = email::save_settings(
            &w.db,
            &SaveEmailSettings {
                from_address: bad.into(),
                ..local_settings(EmailSecurity::None)
            },
        )
        .await
        .expect_err(&format!("sender {bad:?} must be rejected"));
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?}: {err}");
    }
    assert_eq!(snapshot(&w.db).await, before);

    // The test mail's "to" is refused before anything is sent (no server
    // needed: nothing listens on port 2525 and we never get that far).
    let config = DeliveryConfig {
        send_timeout: Duration::from_secs(2),
        ..DeliveryConfig::default()
    };
    for bad in ["a<b>@x.example", "a,b@x.example", "a;b@x.example"] {
        let err = email::send_test(
            &w.db,
            &config,
            &SendTestEmail {
                to: Some(bad.into()),
                settings: None,
            },
        )
        .await
        .expect_err(&format!("test address {bad:?} must be rejected"));
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?}: {err}");
        assert!(
            err.to_string().contains("is not a valid email address"),
            "{bad:?}: {err}"
        );
    }
    assert_eq!(snapshot(&w.db).await, before);
}

/// "Send test email" tries the form's settings: they are checked as saving
/// them would be (refused before anything is sent), and nothing is saved.
#[tokio::test]
async fn a_test_email_checks_the_form_as_saving_would_and_saves_nothing() {
    let w = world().await;
    email::save_settings(&w.db, &local_settings(EmailSecurity::None))
        .await
        .expect("settings");
    let before = snapshot(&w.db).await;
    let config = DeliveryConfig {
        send_timeout: Duration::from_secs(2),
        ..DeliveryConfig::default()
    };
    for (form, says) in [
        (
            SaveEmailSettings {
                host: "smtp example.com".into(),
                ..local_settings(EmailSecurity::None)
            },
            "is not a mail server name",
        ),
        (
            SaveEmailSettings {
                username: Some("partwatch".into()),
                password: PasswordChange::Keep,
                ..local_settings(EmailSecurity::None)
            },
            "unencrypted",
        ),
        (
            SaveEmailSettings {
                password: PasswordChange::Set(String::new()),
                ..local_settings(EmailSecurity::Starttls)
            },
            "cannot be empty",
        ),
        (
            SaveEmailSettings {
                from_address: "stores@lab".into(),
                ..local_settings(EmailSecurity::None)
            },
            "is not a valid sender address",
        ),
    ] {
        let err = email::send_test(
            &w.db,
            &config,
            &SendTestEmail {
                to: Some("me@lab.example".into()),
                settings: Some(form),
            },
        )
        .await
        .expect_err(says);
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    assert_eq!(snapshot(&w.db).await, before);
}

#[tokio::test]
async fn signing_in_without_encryption_is_refused() {
    let w = world().await;
    email::save_settings(
        &w.db,
        &SaveEmailSettings {
            username: Some("partwatch".into()),
            password: PasswordChange::Set("secret".into()),
            ..local_settings(EmailSecurity::Starttls)
        },
    )
    .await
    .expect("STARTTLS with a login is fine");
    let before = snapshot(&w.db).await;
    for bad in [
        // A new password over plain text.
        SaveEmailSettings {
            username: Some("partwatch".into()),
            password: PasswordChange::Set("secret".into()),
            ..local_settings(EmailSecurity::None)
        },
        // The stored password, now over plain text.
        SaveEmailSettings {
            username: Some("partwatch".into()),
            password: PasswordChange::Keep,
            ..local_settings(EmailSecurity::None)
        },
        // A username alone still signs in (with an empty password).
        SaveEmailSettings {
            username: Some("partwatch".into()),
            password: PasswordChange::Clear,
            ..local_settings(EmailSecurity::None)
        },
    ] {
        let err = email::save_settings(&w.db, &bad)
            .await
            .expect_err("plain-text login must be refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(
            err.to_string().contains("unencrypted") && err.to_string().contains("STARTTLS or TLS"),
            "{err}"
        );
    }
    assert_eq!(snapshot(&w.db).await, before);

    // Without a login, no encryption is allowed (a local relay).
    let saved = email::save_settings(&w.db, &local_settings(EmailSecurity::None))
        .await
        .expect("no login, no encryption");
    assert_eq!(saved.username, None);
    assert!(!saved.password_set);
}
