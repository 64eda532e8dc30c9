//! Input hardening: invisible and direction-changing characters, line breaks
//! in single-line fields, addresses lettre cannot send to, and mail server
//! settings that would sign in without encryption. Every rejection is
//! `InvalidInput` and leaves the database exactly as it was.

use partwatch_core::delivery::email;
use partwatch_core::delivery::DeliveryConfig;
use partwatch_core::inventory::{bom, builds, categories, parts, stock, users};
use partwatch_core::CoreError;
use partwatch_types::delivery::*;
use partwatch_types::inventory::*;
use partwatch_types::ErrorCode;
use std::time::Duration;

mod support;
use support::{code, new_category, q, snapshot, stock_in, world, PartInputExt, World};

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
    w.part(PartInput::named(name).units("pcs")).await
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

        for parent in [None, Some(category.id)] {
            let created = categories::create(&w.db, &new_category(bad, parent)).await;
            assert_eq!(
                code(created),
                ErrorCode::InvalidInput,
                "{bad:?} under {parent:?}"
            );
        }

        let named_bad = PartInput::named(bad).units("pcs");
        let new_part = parts::create(&w.db, &named_bad).await;
        assert_eq!(code(new_part), ErrorCode::InvalidInput, "{bad:?}");
        let with_ipn = PartInput::named("R2")
            .ipn(&format!("IPN-{bad}"))
            .units("pcs");
        let with_ipn = parts::create(&w.db, &with_ipn).await;
        assert_eq!(code(with_ipn), ErrorCode::InvalidInput, "IPN {bad:?}");
        let renamed_part = parts::update(
            &w.db,
            &UpdatePart {
                id: part.id,
                input: named_bad,
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

/// Each of `units` is refused for a new part and for an existing one, and
/// the refusals change nothing.
async fn units_are_refused(units: &[&str]) {
    let w = world().await;
    let part = part_named(&w, "R1").await;
    let before = snapshot(&w.db).await;
    for &bad in units {
        let created = parts::create(&w.db, &PartInput::named("R2").units(bad)).await;
        assert_eq!(code(created), ErrorCode::InvalidInput, "{bad:?}");
        let updated = parts::update(
            &w.db,
            &UpdatePart {
                id: part.id,
                input: PartInput::named("R1").units(bad),
            },
        )
        .await;
        assert_eq!(code(updated), ErrorCode::InvalidInput, "{bad:?}");
    }
    assert_eq!(snapshot(&w.db).await, before);
}

#[tokio::test]
async fn units_with_invisible_characters_are_refused() {
    units_are_refused(&["pcs\u{200B}", "\u{202E}pcs", "p\u{2028}cs", "p\u{2029}cs"]).await;
}

/// Units, like every single-line field, take no line break or tab.
#[tokio::test]
async fn units_with_a_line_break_are_refused() {
    units_are_refused(&["pcs\nkg", "pcs\tkg"]).await;
}

#[tokio::test]
async fn free_text_keeps_line_breaks_but_not_invisible_characters() {
    let w = world().await;
    let part = part_named(&w, "R1").await;
    let item = w.add_item(part.id, "5").await;
    let before = snapshot(&w.db).await;
    for bad in ["a\u{202E}b", "a\u{200B}b", "a\u{2028}b", "a\u{2029}b"] {
        let category = NewCategory {
            description: bad.into(),
            ..new_category("Capacitors", None)
        };
        let category = categories::create(&w.db, &category).await;
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

    let kept = NewCategory {
        description: "First line\n\tindented second line".into(),
        ..new_category("Capacitors", None)
    };
    let kept = categories::create(&w.db, &kept)
        .await
        .expect("newlines and tabs are fine in a description");
    assert_eq!(kept.description, "First line\n\tindented second line");
}

/// `result` is an `InvalidInput` refusal of `what` as no valid email address.
fn refused_as_no_address<T: std::fmt::Debug>(what: &str, result: Result<T, CoreError>) {
    let err = result.expect_err(&format!("{what} must be rejected"));
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{what}: {err}");
    assert!(
        err.to_string().contains("is not a valid email address"),
        "{what}: {err}"
    );
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
        let created = users::create(
            &w.db,
            &NewUser {
                name: "Eve".into(),
                email: Some(bad.into()),
            },
        )
        .await;
        refused_as_no_address(&format!("{bad:?}"), created);
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

/// [`local_settings`] signing in as "partwatch".
fn login(password: PasswordChange, security: EmailSecurity) -> SaveEmailSettings {
    SaveEmailSettings {
        username: Some("partwatch".into()),
        password,
        ..local_settings(security)
    }
}

/// A world with [`local_settings`] saved, and its snapshot.
async fn world_with_local_settings() -> (World, Vec<(String, i64, String)>) {
    let w = world().await;
    email::save_settings(&w.db, &local_settings(EmailSecurity::None))
        .await
        .expect("settings");
    let before = snapshot(&w.db).await;
    (w, before)
}

/// Sends no mail: nothing listens on port 2525, and every test mail here is
/// refused before anything is sent.
fn no_server() -> DeliveryConfig {
    DeliveryConfig {
        send_timeout: Duration::from_secs(2),
        ..DeliveryConfig::default()
    }
}

/// "Send test email" to `to`, with the form's `settings` (None: the saved ones).
fn test_mail(to: &str, settings: Option<SaveEmailSettings>) -> SendTestEmail {
    SendTestEmail {
        to: Some(to.into()),
        settings,
    }
}

#[tokio::test]
async fn sender_and_test_addresses_lettre_cannot_send_to_are_refused() {
    let (w, before) = world_with_local_settings().await;
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
    for bad in ["a<b>@x.example", "a,b@x.example", "a;b@x.example"] {
        let sent = email::send_test(&w.db, &no_server(), &test_mail(bad, None)).await;
        refused_as_no_address(&format!("test address {bad:?}"), sent);
    }
    assert_eq!(snapshot(&w.db).await, before);
}

/// "Send test email" tries the form's settings: they are checked as saving
/// them would be (refused before anything is sent), and nothing is saved.
#[tokio::test]
async fn a_test_email_checks_the_form_as_saving_would_and_saves_nothing() {
    let (w, before) = world_with_local_settings().await;
    for (form, says) in [
        (
            SaveEmailSettings {
                host: "smtp example.com".into(),
                ..local_settings(EmailSecurity::None)
            },
            "is not a mail server name",
        ),
        (
            login(PasswordChange::Keep, EmailSecurity::None),
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
            &no_server(),
            &test_mail("me@lab.example", Some(form)),
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
    let secret = || PasswordChange::Set("secret".into());
    email::save_settings(&w.db, &login(secret(), EmailSecurity::Starttls))
        .await
        .expect("STARTTLS with a login is fine");
    let before = snapshot(&w.db).await;
    for bad in [
        // A new password over plain text.
        login(secret(), EmailSecurity::None),
        // The stored password, now over plain text.
        login(PasswordChange::Keep, EmailSecurity::None),
        // A username alone still signs in (with an empty password).
        login(PasswordChange::Clear, EmailSecurity::None),
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
    assert!(saved.password_place.is_none());
}

/// The window shows a refusal on the field at fault: each names the field by
/// the word the message uses, the one the form's field is known by.
#[tokio::test]
async fn a_refusal_names_the_field_the_window_shows_it_on() {
    use partwatch_types::ApiError;
    let w = world().await;
    let category = w.category("Resistors", None).await;
    w.part(PartInput::named("R1").units("pcs").ipn("RES-1"))
        .await;
    w.user("Grace").await;
    let before = snapshot(&w.db).await;

    let about = |err: CoreError| -> (ErrorCode, Option<String>) {
        let err = ApiError::from(err);
        (err.code, err.field)
    };
    let field = |name: &str| Some(name.to_owned());

    let empty = parts::create(&w.db, &PartInput::named("  ").units("pcs"))
        .await
        .expect_err("an empty name");
    assert_eq!(about(empty), (ErrorCode::InvalidInput, field("Part name")));
    let taken = parts::create(&w.db, &PartInput::named("R2").units("pcs").ipn("res-1"))
        .await
        .expect_err("an IPN in use");
    assert_eq!(taken.to_string(), "The IPN res-1 is already used by R1.");
    assert_eq!(about(taken), (ErrorCode::Conflict, field("IPN")));
    let units = parts::create(&w.db, &PartInput::named("R3").units("p\u{200B}cs"))
        .await
        .expect_err("invisible units");
    assert_eq!(about(units), (ErrorCode::InvalidInput, field("Units")));

    let sibling = categories::create(
        &w.db,
        &NewCategory {
            name: "resistors".into(),
            description: String::new(),
            parent_id: None,
        },
    )
    .await
    .expect_err("a sibling's name");
    assert_eq!(
        about(sibling),
        (ErrorCode::Conflict, field("Category name"))
    );
    let described = categories::update(
        &w.db,
        &UpdateCategory {
            id: category.id,
            update: CategoryUpdate {
                name: "Resistors".into(),
                description: "Eve\u{202E}exe".into(),
            },
        },
    )
    .await
    .expect_err("an invisible character in the description");
    assert_eq!(
        about(described),
        (ErrorCode::InvalidInput, field("Description"))
    );

    let user = users::create(
        &w.db,
        &NewUser {
            name: "grace".into(),
            email: None,
        },
    )
    .await
    .expect_err("a user's name taken");
    assert_eq!(about(user), (ErrorCode::Conflict, field("Name")));

    let address = users::create(
        &w.db,
        &NewUser {
            name: "Hopper".into(),
            email: Some("grace@".into()),
        },
    )
    .await
    .expect_err("no address");
    assert_eq!(
        about(address),
        (ErrorCode::InvalidInput, field("Email address"))
    );

    // Not about one field: no field.
    let missing = parts::create(
        &w.db,
        &PartInput {
            category_id: Some(CategoryId(9_999)),
            ..PartInput::named("R4").units("pcs")
        },
    )
    .await
    .expect_err("no such category");
    assert_eq!(ApiError::from(missing).field, None);

    assert_eq!(snapshot(&w.db).await, before, "nothing refused was written");
    // Chosen in pickers: an assembly's BOM and build orders.
    let board = w.assembly("Board").await;
    let r1 = w.count("SELECT id FROM parts WHERE name = 'R1'").await;
    let line = |quantity: &str| NewBomLine {
        assembly_id: board,
        sub_part_id: PartId(r1),
        quantity: q(quantity),
        allow_variants: false,
    };
    bom::add_line(&w.db, &line("2")).await.expect("a BOM line");
    let before_refusals = snapshot(&w.db).await;
    let again = bom::add_line(&w.db, &line("3"))
        .await
        .expect_err("the same part twice");
    assert_eq!(about(again), (ErrorCode::Conflict, field("Part")));
    let itself = bom::add_line(
        &w.db,
        &NewBomLine {
            sub_part_id: board,
            ..line("1")
        },
    )
    .await
    .expect_err("a part inside itself");
    assert_eq!(about(itself), (ErrorCode::InvalidInput, field("Part")));
    let not_assembly = builds::create(
        &w.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: PartId(r1),
            quantity: q("1"),
            responsible_id: None,
        },
    )
    .await
    .expect_err("R1 is no assembly");
    assert_eq!(
        about(not_assembly),
        (ErrorCode::InvalidInput, field("Assembly"))
    );
    let none = builds::create(
        &w.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: board,
            quantity: q("0"),
            responsible_id: None,
        },
    )
    .await
    .expect_err("nothing to build");
    assert_eq!(about(none), (ErrorCode::InvalidInput, field("Quantity")));
    assert_eq!(
        snapshot(&w.db).await,
        before_refusals,
        "refusals change nothing"
    );
}
