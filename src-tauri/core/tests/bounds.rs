//! Bounds on the numbers users type: page numbers, build references, BOM and
//! build quantities (and their product, which SQL multiplies), and the
//! retention purge. Every rejection is `InvalidInput` with a sentence and
//! leaves the database exactly as it was; nothing panics.

use partwatch_core::inventory::{bom, builds, parts};
use partwatch_core::{clock, notifications, CoreError};
use partwatch_types::inventory::*;
use partwatch_types::notifications::{Folder, NotificationQuery};
use partwatch_types::{ErrorCode, Quantity};

mod support;
use support::{q, snapshot, world, World};

/// `result` is an `InvalidInput` refusal in words and the database is as
/// `before`; returns the message.
async fn refused<T: std::fmt::Debug>(
    w: &World,
    before: &[(String, i64, String)],
    result: Result<T, CoreError>,
) -> String {
    let err = result.expect_err("must be refused");
    let message = err.to_string();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{message}");
    assert!(
        message.ends_with('.')
            && message.len() < 200
            && !message.to_lowercase().contains("database"),
        "not a plain sentence: {message}"
    );
    assert_eq!(snapshot(&w.db).await, before, "a refusal changes nothing");
    message
}

/// An active assembly "Board" whose BOM has `per_board` of "Chip" (with 10
/// chips in stock); returns (board, chip, line).
async fn board_with_chips(w: &World, per_board: &str) -> (PartId, PartId, BomLineId) {
    let board = w.assembly("Board").await;
    let (chip, _) = w.stocked("Chip", "0", "10", None, None).await;
    let line = w.add_line(support::line(board, chip, per_board)).await.id;
    (board, chip, line)
}

/// A BOM line of `quantity` of `sub` in each `assembly`.
fn sub_line(assembly: PartId, sub: PartId, quantity: Quantity) -> NewBomLine {
    NewBomLine {
        quantity,
        ..support::line(assembly, sub, "1")
    }
}

/// A BOM line's new quantity (no variants).
fn resized(line: BomLineId, quantity: Quantity) -> UpdateBomLine {
    UpdateBomLine {
        id: line,
        quantity,
        allow_variants: false,
    }
}

/// A build order of `quantity` with this reference ("": the suggested one).
fn order(part: PartId, reference: &str, quantity: Quantity) -> NewBuildOrder {
    NewBuildOrder {
        reference: reference.into(),
        quantity,
        ..support::order(part, "1")
    }
}

/// The reference the next build order would get.
async fn suggested(w: &World) -> String {
    builds::suggest_reference(&w.db).await.expect("suggestion")
}

async fn build(w: &World, part: PartId, reference: &str, quantity: &str) -> BuildOrder {
    w.build(order(part, reference, q(quantity))).await.order
}

// ------------------------------------------------------------------ defect 1: page numbers

#[tokio::test]
async fn a_huge_page_number_or_page_size_is_refused_not_a_panic() {
    let w = world().await;
    w.part(PartInput::named("Resistor")).await;
    for (page, page_size) in [
        (i64::MAX, 500),
        (i64::MAX / 2, 3),
        (i64::MAX, 1_000),
        (0, i64::MAX),
        (i64::MAX, i64::MAX),
        (i64::MIN, 50),
    ] {
        let before = snapshot(&w.db).await;
        let result = parts::list(
            &w.db,
            &PartQuery {
                page,
                page_size,
                ..PartQuery::default()
            },
        )
        .await;
        refused(&w, &before, result).await;
    }
    // A far page that can exist is simply empty.
    let far = parts::list(
        &w.db,
        &PartQuery {
            page: 1_000_000,
            page_size: parts::MAX_PAGE_SIZE,
            ..PartQuery::default()
        },
    )
    .await
    .expect("a far page");
    assert!(far.items.is_empty());
    assert_eq!(far.total, 1);
}

// ------------------------------------------------------------------ defect 2: build references

#[tokio::test]
async fn a_build_reference_with_too_many_digits_is_refused() {
    let w = world().await;
    let (board, _, _) = board_with_chips(&w, "1").await;
    for reference in [
        "BO-99999999999999999999",
        "bo-9999999999999999",
        "BO-0000000000000001",
        "BO-99999999999999999999-rev2",
    ] {
        let before = snapshot(&w.db).await;
        let message = refused(
            &w,
            &before,
            builds::create(&w.db, &order(board, reference, q("1"))).await,
        )
        .await;
        assert!(message.contains("digits"), "{message}");
    }
    // The longest number allowed is taken, and the next suggestion neither
    // panics nor repeats it: it starts again at the first free number.
    let longest = "9".repeat(builds::MAX_REFERENCE_DIGITS);
    build(&w, board, &format!("BO-{longest}"), "1").await;
    assert_eq!(suggested(&w).await, "BO-0001");
    assert_eq!(build(&w, board, "", "1").await.reference, "BO-0001");
    assert_eq!(build(&w, board, "", "1").await.reference, "BO-0002");
    // Other references keep working as before.
    build(&w, board, "Prototype 99999999999999999999", "1").await;
    build(&w, board, "BO-0041", "1").await;
    assert_eq!(build(&w, board, "", "1").await.reference, "BO-0003");
}

#[tokio::test]
async fn a_stored_reference_whose_number_does_not_fit_is_skipped() {
    let w = world().await;
    let (board, _, _) = board_with_chips(&w, "1").await;
    // As saved before references were bounded.
    for reference in [
        "BO-99999999999999999999",
        "BO-9223372036854775807",
        "BO-00000000000000000000000000000000000000000007",
    ] {
        partwatch_core::sql::query(
            "INSERT INTO build_orders (reference, part_id, quantity) VALUES ($1, $2, 1000)",
        )
        .bind(reference)
        .bind(board)
        .execute(&w.db)
        .await
        .expect("old order");
    }
    assert_eq!(suggested(&w).await, "BO-0001");
    assert_eq!(build(&w, board, "", "1").await.reference, "BO-0001");
    build(&w, board, "BO-0010", "1").await;
    assert_eq!(suggested(&w).await, "BO-0011");
    assert_eq!(build(&w, board, "", "1").await.reference, "BO-0011");
    parts::get(&w.db, board).await.expect("the board reads");
}

// ------------------------------------------------------------------ defect 3: quantities

#[tokio::test]
async fn bom_and_build_quantities_above_a_billion_are_refused() {
    let w = world().await;
    let (board, chip, line) = board_with_chips(&w, "1").await;
    let cap = w.part(PartInput::named("Capacitor")).await.id;
    let too_many = [
        q("1000000000.001"),
        q("999999999999"),
        Quantity::from_milli(i64::MAX),
    ];
    for quantity in too_many {
        let before = snapshot(&w.db).await;
        let added = bom::add_line(&w.db, &sub_line(board, cap, quantity)).await;
        refused(&w, &before, added).await;
        let updated = bom::update_line(&w.db, &resized(line, quantity)).await;
        refused(&w, &before, updated).await;
        let built = builds::create(&w.db, &order(board, "", quantity)).await;
        refused(&w, &before, built).await;
    }
    // A billion itself is allowed (a billion boards of one chip each).
    assert_eq!(builds::MAX_BUILD_QUANTITY, q("1000000000"));
    assert_eq!(bom::MAX_BOM_QUANTITY, q("1000000000"));
    build(&w, board, "", "1000000000").await;
    assert_eq!(w.figures(chip).await.reserved, q("1000000000"));
}

#[tokio::test]
async fn a_line_times_build_product_beyond_a_billion_is_refused_before_it_reaches_sql() {
    let w = world().await;
    // Each number alone is allowed; their product (10^14) is not, and in
    // thousandths squared (10^20) it does not fit SQLite's integers.
    let (board, chip, line) = board_with_chips(&w, "10000000").await;
    let before = snapshot(&w.db).await;
    let message = refused(
        &w,
        &before,
        builds::create(&w.db, &order(board, "", q("10000000"))).await,
    )
    .await;
    assert!(message.contains("Chip"), "{message}");
    // The chip still reads and the board can still be built.
    parts::get(&w.db, chip).await.expect("chip reads");
    build(&w, board, "", "1").await;
    // Exactly a billion chips for one order is allowed.
    let hundred = build(&w, board, "", "100").await;
    assert_eq!(w.figures(chip).await.reserved, q("1010000000"));
    build(&w, board, "", "2").await;

    // A BOM line may not grow past what an open order of its assembly allows...
    let before = snapshot(&w.db).await;
    let updated = bom::update_line(&w.db, &resized(line, q("10000000.001"))).await;
    let message = refused(&w, &before, updated).await;
    assert!(message.contains(&hundred.reference), "{message}");
    let cap = w.part(PartInput::named("Capacitor")).await.id;
    let before = snapshot(&w.db).await;
    let added = bom::add_line(&w.db, &sub_line(board, cap, q("20000000"))).await;
    refused(&w, &before, added).await;

    // ...but closed orders no longer count.
    w.set_status(hundred.id, BuildStatus::Cancelled).await;
    bom::update_line(&w.db, &resized(line, q("100000000")))
        .await
        .expect("now allowed");
    assert_eq!(w.figures(chip).await.reserved, q("300000000"));
    let created = builds::create(&w.db, &order(board, "", q("3")))
        .await
        .expect("another order");
    assert_eq!(created.short_lines.len(), 1);
    assert_eq!(created.short_lines[0].required, q("300000000"));
}

// ------------------------------------------------------------------ defect 4: retention

async fn titles(w: &World, user: UserId, folder: Folder) -> Vec<String> {
    notifications::list(
        &w.db,
        user,
        &NotificationQuery {
            folder,
            ..NotificationQuery::default()
        },
    )
    .await
    .expect("folder")
    .into_iter()
    .map(|n| n.title)
    .collect()
}

#[tokio::test]
async fn the_purge_deletes_read_and_unread_notifications_past_retention_for_every_user() {
    let w = world().await;
    let other = w.user("Other").await;
    // (age in days, read): the default retention is 30 days.
    let rows = [
        (400, true),
        (31, true),
        (31, false),
        (30, false),
        (29, true),
        (29, false),
        (0, false),
    ];
    for user in [w.me, other] {
        for (age, read) in rows {
            partwatch_core::sql::query(
                "INSERT INTO notifications (user_id, kind, title, body, reason, created_at, read_at)
                 VALUES ($1, 'test', $2, '', '', $3, $4)",
            )
            .bind(user)
            .bind(format!("{age} days {}", if read { "read" } else { "unread" }))
            .bind(clock::from_now(-(age as f64) * 86_400.0 - 60.0))
            .bind(read.then(clock::now))
            .execute(&w.db)
            .await
            .expect("notification");
        }
        assert_eq!(w.unread(user).await, 4);
    }
    assert_eq!(notifications::purge_expired(&w.db).await.expect("purge"), 8);
    for user in [w.me, other] {
        assert_eq!(
            titles(&w, user, Folder::Inbox).await,
            ["0 days unread", "29 days unread"]
        );
        assert_eq!(titles(&w, user, Folder::History).await, ["29 days read"]);
        assert_eq!(w.unread(user).await, 2);
    }
    assert_eq!(notifications::purge_expired(&w.db).await.expect("again"), 0);
}

/// A minimum of a trillion or more could never come from the window (it
/// does not cross IPC) and would make the part unreadable there: refused.
#[tokio::test]
async fn a_minimum_stock_of_a_trillion_is_refused() {
    let w = world().await;
    let part = w.part(PartInput::named("Washer")).await;
    let before = snapshot(&w.db).await;
    for milli in [1_000_000_000_000_000, i64::MAX] {
        let huge = Quantity::from_milli(milli);
        let created = parts::create(
            &w.db,
            &PartInput {
                minimum_stock: huge,
                ..PartInput::named("Too many")
            },
        )
        .await;
        assert_eq!(
            refused(&w, &before, created).await,
            "That minimum stock is too large."
        );
        let updated = parts::update(
            &w.db,
            &UpdatePart {
                id: part.id,
                input: PartInput {
                    minimum_stock: huge,
                    ..PartInput::named("Washer")
                },
            },
        )
        .await;
        refused(&w, &before, updated).await;
    }
    let largest = Quantity::from_milli(999_999_999_999_999);
    assert!(largest.is_typable() && !Quantity::from_milli(1_000_000_000_000_000).is_typable());
}
