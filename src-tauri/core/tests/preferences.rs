//! The preference matrix (docs/notifications.md, "What reaches you where"):
//! every cell, on and off, for every event, against a real database — what
//! lands in the inbox, in History, and which popups and mails are queued.

use partwatch_core::inventory::users;
use partwatch_core::preferences;
use partwatch_types::inventory::*;
use partwatch_types::notifications::{NotificationKind, PersonalChannel, Preference};
use partwatch_types::ErrorCode;

mod support;
use support::{code, line, order, snapshot, world, World};

/// What one event left for me, as a person would see it.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// In the inbox (unread, counted on the badge).
    inbox: bool,
    /// Only in History (read from the start).
    history_only: bool,
    popup: bool,
    /// An email queued to be sent (not a skipped row).
    email: bool,
}

/// Everything on for me, except (or only) `cell` — and critical news in
/// the app, which is always on.
fn matrix_with(cell: (NotificationKind, PersonalChannel), on: bool) -> Vec<Preference> {
    NotificationKind::EVENTS
        .into_iter()
        .flat_map(|event| PersonalChannel::ALL.map(move |channel| (event, channel)))
        .map(|(event, channel)| Preference {
            event,
            channel,
            enabled: always_on(event, channel) || if (event, channel) == cell { on } else { !on },
        })
        .collect()
}

fn always_on(event: NotificationKind, channel: PersonalChannel) -> bool {
    event.is_critical() && channel == PersonalChannel::InApp
}

/// Makes `event` happen to a fresh part I watch; returns the part (the
/// assembly, for a build shortage).
async fn happen(w: &World, event: NotificationKind, n: usize) -> PartId {
    match event {
        NotificationKind::OutOfStock => {
            let (part, item) = w.watched_part(&format!("Part {n}"), &[w.me]).await;
            w.remove(item, "20").await;
            part
        }
        NotificationKind::LowStock | NotificationKind::BackInStock => {
            let (part, item) = w.watched_part(&format!("Part {n}"), &[w.me]).await;
            w.go_low(item).await;
            if event == NotificationKind::BackInStock {
                w.refill(item).await;
            }
            part
        }
        NotificationKind::BuildShortage => {
            let board = w.assembly(&format!("Board {n}")).await;
            let chip = w.part(PartInput::named(format!("Chip {n}"))).await.id;
            w.add_line(line(board, chip, "2")).await;
            w.watch_part(w.me, board).await;
            w.build(order(board, "1")).await;
            board
        }
        NotificationKind::Test => unreachable!("not an event of the matrix"),
    }
}

async fn outcome(w: &World, event: NotificationKind, part: PartId) -> Outcome {
    let of = |condition: &str| {
        format!(
            "SELECT COUNT(*) FROM notifications
              WHERE user_id = {} AND kind = '{}' AND (part_id = {} OR build_order_id IN
                    (SELECT id FROM build_orders WHERE part_id = {})) AND {condition}",
            w.me,
            event.as_str(),
            part,
            part
        )
    };
    let queued = |channel: &str| {
        format!(
            "SELECT COUNT(*) FROM deliveries d JOIN delivery_events e ON e.id = d.event_id
              WHERE d.user_id = {} AND e.kind = '{}' AND d.channel = '{channel}'
                AND d.status = 'pending' AND (e.part_id = {} OR e.build_order_id IN
                    (SELECT id FROM build_orders WHERE part_id = {}))",
            w.me,
            event.as_str(),
            part,
            part
        )
    };
    Outcome {
        inbox: w.count(&of("read_at IS NULL")).await == 1,
        history_only: w.count(&of("read_at IS NOT NULL")).await == 1,
        popup: w.count(&queued("os_popup")).await == 1,
        email: w.count(&queued("email")).await == 1,
    }
}

#[tokio::test]
async fn every_cell_of_the_matrix_decides_its_channel_and_only_its_channel() {
    let w = world().await;
    users::update(
        &w.db,
        &UpdateUser {
            id: w.me,
            name: "Me".into(),
            email: Some("me@lab.example".into()),
        },
    )
    .await
    .expect("my address");
    w.mail_on().await;
    let mut n = 0;
    for event in NotificationKind::EVENTS {
        for channel in PersonalChannel::ALL {
            for on in [true, false] {
                n += 1;
                if always_on(event, channel) && !on {
                    let mut cells = matrix_with((event, channel), on);
                    cells.retain(|c| c.event == event);
                    cells[0].enabled = false;
                    let refused = preferences::update_mine(&w.db, w.me, &cells).await;
                    assert_eq!(code(refused), ErrorCode::InvalidInput, "{}", event.label());
                    continue;
                }
                preferences::update_mine(&w.db, w.me, &matrix_with((event, channel), on))
                    .await
                    .expect("preferences saved");
                let part = happen(&w, event, n).await;
                let got = outcome(&w, event, part).await;
                // The one cell differs from all the others (critical news
                // stays in the app).
                let this =
                    |c: PersonalChannel| always_on(event, c) || if c == channel { on } else { !on };
                let told = PersonalChannel::ALL.into_iter().any(this);
                let expected = Outcome {
                    inbox: this(PersonalChannel::InApp),
                    history_only: told && !this(PersonalChannel::InApp),
                    popup: this(PersonalChannel::OsPopup),
                    email: this(PersonalChannel::Email),
                };
                assert_eq!(
                    got,
                    expected,
                    "{} by {} {}",
                    event.label(),
                    channel.label(),
                    if on { "alone on" } else { "alone off" }
                );
            }
        }
    }
}

#[tokio::test]
async fn nothing_on_for_an_event_means_no_notification_and_no_mail_but_others_still_hear() {
    let w = world().await;
    let other = w.user("Other").await;
    w.mail_on().await;
    let off: Vec<(NotificationKind, PersonalChannel, bool)> = PersonalChannel::ALL
        .into_iter()
        .map(|channel| (NotificationKind::LowStock, channel, false))
        .collect();
    w.prefer(w.me, &off).await;
    let (part, item) = w.watched_part("Quiet part", &[w.me, other]).await;
    w.go_low(item).await;
    let about = |user: UserId| {
        format!("SELECT COUNT(*) FROM notifications WHERE user_id = {user} AND part_id = {part}")
    };
    assert_eq!(w.count(&about(w.me)).await, 0, "I chose to hear nothing");
    assert_eq!(w.count(&about(other)).await, 1, "Other still hears");
    assert_eq!(
        w.count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE user_id = {} AND channel = 'email'",
            w.me
        ))
        .await,
        0,
        "not even a skipped mail in the log for me"
    );
}

#[tokio::test]
async fn a_cell_left_at_the_team_default_follows_it_and_a_chosen_one_stays() {
    let w = world().await;
    let cell = |event, channel, enabled| Preference {
        event,
        channel,
        enabled,
    };
    use NotificationKind::{BackInStock, BuildShortage, LowStock};
    use PersonalChannel::{Email, InApp, OsPopup};
    // Back in stock is off by default; low stock on everywhere.
    let start = preferences::of(&w.db, w.me).await.expect("preferences");
    assert_eq!(start.mine, start.team_defaults);
    assert!(!start.mine(BackInStock, InApp) && start.mine(LowStock, Email));
    // I turn back-in-stock mail on and leave low-stock mail at the default
    // (saving it as it was).
    preferences::update_mine(
        &w.db,
        w.me,
        &[cell(BackInStock, Email, true), cell(LowStock, Email, true)],
    )
    .await
    .expect("saved");
    // The team turns both off by default: mine follows for low stock only.
    let after = preferences::update_team_defaults(
        &w.db,
        w.me,
        &[
            cell(BackInStock, Email, false),
            cell(LowStock, Email, false),
        ],
    )
    .await
    .expect("defaults saved");
    assert!(after.mine(BackInStock, Email), "my own choice stays");
    assert!(!after.mine(LowStock, Email), "a default I left follows it");
    assert!(!after.team_default(LowStock, Email));
    assert!(after.mine(BuildShortage, OsPopup) && after.mine(LowStock, InApp));
}

#[tokio::test]
async fn a_bad_list_of_cells_is_refused_in_words_and_changes_nothing() {
    let w = world().await;
    let before = snapshot(&w.db).await;
    let test = [Preference {
        event: NotificationKind::Test,
        channel: PersonalChannel::Email,
        enabled: false,
    }];
    let twice = [
        Preference {
            event: NotificationKind::LowStock,
            channel: PersonalChannel::InApp,
            enabled: false,
        },
        Preference {
            event: NotificationKind::LowStock,
            channel: PersonalChannel::InApp,
            enabled: true,
        },
    ];
    for cells in [&test[..], &twice[..]] {
        assert_eq!(
            code(preferences::update_mine(&w.db, w.me, cells).await),
            ErrorCode::InvalidInput
        );
        assert_eq!(
            code(preferences::update_team_defaults(&w.db, w.me, cells).await),
            ErrorCode::InvalidInput
        );
    }
    assert_eq!(
        code(preferences::update_mine(&w.db, UserId(9_999), &twice[..1]).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&w.db).await, before, "nothing changed");
}
