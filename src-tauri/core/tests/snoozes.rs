//! Snoozes (docs/notifications.md, R15a): a person quiets a part or a
//! category; others are still told; a timed snooze's end tells its person
//! once of a part still low (ended here with a chosen "now": no sleeps); "until
//! back in stock" ends with the restock; a restart in between keeps it all.

use partwatch_core::snoozes;
use partwatch_types::inventory::*;
use partwatch_types::notifications::{
    NotificationKind, PersonalChannel, SetSnooze, SnoozeLength, SnoozeTarget,
};
use partwatch_types::ErrorCode;

mod support;
use support::{code, snapshot, world, World};

/// Low-stock (and "still low") notifications of `user` about `part`, as titles.
async fn told(w: &World, user: UserId, part: PartId) -> Vec<String> {
    partwatch_core::sql::query_scalar(
        "SELECT title FROM notifications WHERE user_id = $1 AND part_id = $2 ORDER BY id",
    )
    .bind(user)
    .bind(part)
    .fetch_all(&w.db)
    .await
    .expect("titles")
}

async fn snooze(w: &World, target: SnoozeTarget, length: SnoozeLength) {
    snoozes::set(&w.db, w.me, &SetSnooze { target, length })
        .await
        .expect("snoozed");
}

/// A moment well after every snooze of these tests has ended.
const LATER: &str = "2099-01-01T00:00:00.000Z";

#[tokio::test]
async fn a_snoozed_part_tells_me_nothing_while_others_still_hear() {
    let w = world().await;
    let other = w.user("Other").await;
    let (part, item) = w.watched_part("Hushed part", &[w.me, other]).await;
    snooze(&w, SnoozeTarget::Part(part), SnoozeLength::Day).await;
    w.go_low(item).await;
    assert!(told(&w, w.me, part).await.is_empty(), "I snooze it");
    assert_eq!(told(&w, other, part).await, ["Low stock: Hushed part"]);
    let mine = snoozes::get(&w.db, w.me, SnoozeTarget::Part(part))
        .await
        .expect("asked")
        .expect("in force");
    assert!(mine.until.is_some());
    assert_eq!(
        snoozes::get(&w.db, other, SnoozeTarget::Part(part))
            .await
            .expect("asked"),
        None,
        "a snooze is its person's"
    );
}

#[tokio::test]
async fn a_category_snooze_covers_the_parts_below_and_a_template_snooze_its_variants() {
    let w = world().await;
    let top = w.category("Passives", None).await;
    let sub = w.category("Resistors", Some(top.id)).await;
    let (in_sub, in_sub_item) = w.stocked("Resistor", "10", "20", Some(sub.id), None).await;
    let template = w.template("Cap", "0").await;
    let (variant, variant_item) = w.stocked("Cap 10n", "10", "20", None, Some(template)).await;
    let (elsewhere, elsewhere_item) = w.stocked("Screw", "10", "20", None, None).await;
    for part in [in_sub, variant, elsewhere] {
        w.watch_part(w.me, part).await;
    }
    snooze(&w, SnoozeTarget::Category(top.id), SnoozeLength::Week).await;
    snooze(&w, SnoozeTarget::Part(template), SnoozeLength::Week).await;
    for item in [in_sub_item, variant_item, elsewhere_item] {
        w.remove(item, "15").await;
    }
    assert!(
        told(&w, w.me, in_sub).await.is_empty(),
        "below the category"
    );
    assert!(
        told(&w, w.me, variant).await.is_empty(),
        "a variant of the template"
    );
    assert_eq!(told(&w, w.me, elsewhere).await, ["Low stock: Screw"]);
}

#[tokio::test]
async fn a_snooze_that_ends_with_the_part_still_low_tells_me_once_and_a_restart_keeps_it() {
    let w = world().await;
    let (part, item) = w.watched_part("Slept part", &[w.me]).await;
    let (fine, _) = w.watched_part("Fine part", &[w.me]).await;
    snooze(&w, SnoozeTarget::Part(part), SnoozeLength::Day).await;
    snooze(&w, SnoozeTarget::Part(fine), SnoozeLength::Day).await;
    w.go_low(item).await;
    assert!(told(&w, w.me, part).await.is_empty());

    // The desktop is closed and opened again: the snoozes are still there.
    w.db.close().await;
    let db = support::open(w.dir.path()).await.expect("reopened");
    // As the app does at start: who works here (remembered by the desktop).
    let me = partwatch_core::inventory::users::current(&db, "Me")
        .await
        .expect("the person working here")
        .id;
    assert_eq!(me, w.me);
    let w = World { db, ..w };
    assert!(
        snoozes::get(&w.db, w.me, SnoozeTarget::Part(part))
            .await
            .expect("asked")
            .is_some(),
        "kept across the restart"
    );

    // Not due yet: nothing ends.
    assert_eq!(
        snoozes::end_due(&w.db, &partwatch_core::clock::now())
            .await
            .expect("ended"),
        0
    );
    // A day later: both end; only the part still low is told, once.
    assert_eq!(snoozes::end_due(&w.db, LATER).await.expect("ended"), 2);
    assert_eq!(told(&w, w.me, part).await, ["Still low: Slept part"]);
    assert!(told(&w, w.me, fine).await.is_empty(), "not low: nothing");
    assert_eq!(snoozes::end_due(&w.db, LATER).await.expect("ended"), 0);
    assert_eq!(told(&w, w.me, part).await.len(), 1, "once");
    assert_eq!(w.unread(w.me).await, 1);
    let reason: String =
        partwatch_core::sql::query_scalar("SELECT reason FROM notifications WHERE part_id = $1")
            .bind(part)
            .fetch_one(&w.db)
            .await
            .expect("reason");
    assert_eq!(reason, "you watch this part; your snooze ended");
}

#[tokio::test]
async fn ended_by_hand_sends_nothing_and_a_part_heard_of_since_is_not_told_again() {
    let w = world().await;
    let (part, item) = w.watched_part("Quiet part", &[w.me]).await;
    snooze(&w, SnoozeTarget::Part(part), SnoozeLength::Day).await;
    w.go_low(item).await;
    snoozes::end(&w.db, w.me, SnoozeTarget::Part(part))
        .await
        .expect("ended by hand");
    assert!(
        told(&w, w.me, part).await.is_empty(),
        "I ended it myself, looking at the part: no reminder"
    );

    // A snooze whose time came while no desktop ran: it no longer quiets
    // anything, so a drop is told as usual; ended afterwards, it does not
    // tell of the same part again.
    let (other, other_item) = w.watched_part("Loud part", &[w.me]).await;
    snooze(&w, SnoozeTarget::Part(other), SnoozeLength::Day).await;
    partwatch_core::sql::query("UPDATE snoozes SET until = '2000-01-01T00:00:00.000Z'")
        .execute(&w.db)
        .await
        .expect("its time has come");
    w.go_low(other_item).await;
    assert_eq!(told(&w, w.me, other).await, ["Low stock: Loud part"]);
    assert_eq!(
        snoozes::end_due(&w.db, &partwatch_core::clock::now())
            .await
            .expect("ended"),
        1
    );
    assert_eq!(told(&w, w.me, other).await, ["Low stock: Loud part"]);
}

#[tokio::test]
async fn until_back_in_stock_ends_with_the_restock_and_the_next_drop_tells_me() {
    let w = world().await;
    let (part, item) = w.watched_part("Awaited part", &[w.me]).await;
    w.prefer(
        w.me,
        &[(NotificationKind::BackInStock, PersonalChannel::InApp, true)],
    )
    .await;
    w.go_low(item).await;
    snooze(&w, SnoozeTarget::Part(part), SnoozeLength::BackInStock).await;
    w.refill(item).await;
    assert_eq!(
        snoozes::get(&w.db, w.me, SnoozeTarget::Part(part))
            .await
            .expect("asked"),
        None,
        "back in stock: the snooze is over"
    );
    w.go_low(item).await;
    assert_eq!(
        told(&w, w.me, part).await,
        [
            "Low stock: Awaited part",
            "Back in stock: Awaited part",
            "Low stock: Awaited part"
        ]
    );
}

#[tokio::test]
async fn a_bad_snooze_is_refused_in_words_and_changes_nothing() {
    let w = world().await;
    let category = w.category("Tools", None).await;
    let (part, _) = w.watched_part("Some part", &[w.me]).await;
    let before = snapshot(&w.db).await;
    let refused = |target, length| {
        let db = w.db.clone();
        let me = w.me;
        async move { snoozes::set(&db, me, &SetSnooze { target, length }).await }
    };
    let back = refused(
        SnoozeTarget::Category(category.id),
        SnoozeLength::BackInStock,
    )
    .await;
    assert_eq!(code(back), ErrorCode::InvalidInput);
    for date in ["2020-01-01", "24.12.2026", "", "2026-02-30"] {
        let err = refused(
            SnoozeTarget::Part(part),
            SnoozeLength::Until { date: date.into() },
        )
        .await
        .expect_err("refused");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{date}: {err}");
        assert!(
            matches!(&err, partwatch_core::CoreError::OnField { field, .. } if field == "Until"),
            "{date}: {err:?}"
        );
    }
    let far = refused(
        SnoozeTarget::Part(part),
        SnoozeLength::Until {
            date: "2099-12-24".into(),
        },
    )
    .await;
    assert!(
        matches!(&far, Err(e) if e.to_string().contains("at most a year")),
        "{far:?}"
    );
    assert_eq!(
        code(refused(SnoozeTarget::Part(PartId(999_999)), SnoozeLength::Day).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&w.db).await, before, "nothing changed");
}

/// A part that ran out while snoozed: others hear "Out of stock" at once, I
/// hear nothing (a snooze is asked for); when my snooze ends I am told once
/// that it is still out, as critical news, and "heard since" counts
/// out-of-stock notices as well as low-stock ones.
#[tokio::test]
async fn a_part_that_ran_out_while_snoozed_is_told_as_still_out_of_stock_once() {
    let w = world().await;
    let other = w.user("Other").await;
    let (part, item) = w.watched_part("Emptied part", &[w.me, other]).await;
    snooze(&w, SnoozeTarget::Part(part), SnoozeLength::Day).await;
    w.remove(item, "20").await;
    assert!(told(&w, w.me, part).await.is_empty());
    assert_eq!(told(&w, other, part).await, ["Out of stock: Emptied part"]);
    assert_eq!(snoozes::end_due(&w.db, LATER).await.expect("ended"), 1);
    assert_eq!(
        told(&w, w.me, part).await,
        ["Still out of stock: Emptied part"]
    );
    let kind: String = partwatch_core::sql::query_scalar(
        "SELECT kind FROM notifications WHERE user_id = $1 AND part_id = $2",
    )
    .bind(w.me)
    .bind(part)
    .fetch_one(&w.db)
    .await
    .expect("kind");
    assert_eq!(kind, NotificationKind::OutOfStock.as_str());

    // Heard of since: a second part's snooze lapsed while no desktop ran,
    // it ran out and I was told; ending the snooze afterwards tells nothing more.
    let (second, second_item) = w.watched_part("Told part", &[w.me]).await;
    snooze(&w, SnoozeTarget::Part(second), SnoozeLength::Day).await;
    partwatch_core::sql::query("UPDATE snoozes SET until = '2000-01-01T00:00:00.000Z'")
        .execute(&w.db)
        .await
        .expect("lapsed");
    w.remove(second_item, "20").await;
    assert_eq!(told(&w, w.me, second).await, ["Out of stock: Told part"]);
    assert_eq!(snoozes::end_due(&w.db, LATER).await.expect("ended"), 1);
    assert_eq!(told(&w, w.me, second).await.len(), 1, "not told again");
}
