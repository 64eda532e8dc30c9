//! The store under the alerts: completing build orders (consuming the BOM's
//! stock, adding the assemblies), the location tree, transfers and merges,
//! what can be built, and low-stock notifications resolved on recovery.
//! Each completion case states the exact stock, history and notifications.

mod support;

use partwatch_core::inventory::{bom, builds, locations, production, stock};
use partwatch_core::CoreResult;
use partwatch_types::inventory::*;
use partwatch_types::{ErrorCode, Quantity};
use support::{
    code, history_of, line, new_location, order, q, snapshot, world, PartInputExt, World,
};

/// A motor driver board made of 2 RP2040 and 4 resistors. The RP2040 (minimum
/// 15) has two items: 8 (older) at Drawer A and 10 at Drawer B; the
/// resistors 100 at Drawer A. Ann watches the RP2040 and the board.
struct Shop {
    w: World,
    board: PartId,
    mcu: PartId,
    resistor: PartId,
    old_mcu: StockItemId,
    new_mcu: StockItemId,
    resistors: StockItemId,
    drawer_a: LocationId,
    drawer_b: LocationId,
    shelf: LocationId,
    ann: UserId,
}

async fn shop() -> Shop {
    let w = world().await;
    let store = w.location("Store", None).await;
    let drawer_a = w.location("Drawer A", Some(store)).await;
    let drawer_b = w.location("Drawer B", Some(store)).await;
    let shelf = w.location("Shelf", Some(store)).await;
    let board = w
        .part(
            PartInput::named("Motor driver board")
                .assembly()
                .units("pcs"),
        )
        .await
        .id;
    let mcu = w
        .part(PartInput::named("RP2040").minimum("15").units("pcs"))
        .await
        .id;
    let resistor = w.part(PartInput::named("Resistor 10k")).await.id;
    let old_mcu = w.put(mcu, "8", Some(drawer_a), "").await.id;
    let new_mcu = w.put(mcu, "10", Some(drawer_b), "").await.id;
    let resistors = w.put(resistor, "100", Some(drawer_a), "").await.id;
    for (sub, per_unit) in [(mcu, "2"), (resistor, "4")] {
        w.add_line(line(board, sub, per_unit)).await;
    }
    let ann = w.user("Ann").await;
    w.watch_part(ann, mcu).await;
    w.watch_part(ann, board).await;
    Shop {
        w,
        board,
        mcu,
        resistor,
        old_mcu,
        new_mcu,
        resistors,
        drawer_a,
        drawer_b,
        shelf,
        ann,
    }
}

/// The total stock of `part` as stored (its own and its variants').
async fn total_stock(w: &World, part: PartId) -> Quantity {
    Quantity::from_milli(
        w.count(&format!("SELECT total_stock FROM parts WHERE id = {part}"))
            .await,
    )
}

impl Shop {
    async fn order(&self, quantity: &str) -> BuildOrder {
        self.w.build(order(self.board, quantity)).await.order
    }

    fn completion(&self, order: &BuildOrder, quantity: &str) -> CompleteBuild {
        CompleteBuild {
            id: order.id,
            quantity: q(quantity),
            location_id: Some(self.shelf),
            chosen: Vec::new(),
            accept_shortage: false,
        }
    }

    /// Each item's quantity, by item id.
    async fn items(&self, part: PartId) -> Vec<(StockItemId, String)> {
        stock::items(&self.w.db, part)
            .await
            .expect("items")
            .into_iter()
            .map(|i| (i.id, i.quantity.to_string()))
            .collect()
    }

    async fn total(&self, part: PartId) -> String {
        total_stock(&self.w, part).await.to_string()
    }

    /// Ann's notifications of a kind.
    async fn told(&self, kind: &str) -> i64 {
        self.w
            .count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = '{kind}'",
                self.ann
            ))
            .await
    }

    /// Moves `quantity` (None: all) of an item to another place.
    async fn transfer(
        &self,
        item: StockItemId,
        to: Option<LocationId>,
        quantity: Option<&str>,
        reason: &str,
    ) -> CoreResult<StockItem> {
        let request = TransferStock {
            item_id: item,
            to_location_id: to,
            quantity: quantity.map(q),
            reason: reason.into(),
        };
        stock::transfer(&self.w.db, &request).await
    }

    /// Merges the items `from` into `into`.
    async fn merge(
        &self,
        into: StockItemId,
        from: Vec<StockItemId>,
        reason: &str,
    ) -> CoreResult<StockItem> {
        let request = MergeStock {
            into,
            from,
            reason: reason.into(),
        };
        stock::merge(&self.w.db, &request).await
    }

    /// A part's history, oldest first.
    async fn history(&self, part: PartId) -> Vec<Entry> {
        let mut entries = stock::history(&self.w.db, &history_of(part))
            .await
            .expect("history");
        entries.reverse();
        entries
            .into_iter()
            .map(|e| (e.kind, e.delta, e.location, e.build.map(|b| b.reference)))
            .collect()
    }

    /// The entries of one kind in a part's history, oldest first.
    async fn history_of(&self, part: PartId, kind: StockChangeKind) -> Vec<Entry> {
        let mut entries = self.history(part).await;
        entries.retain(|entry| entry.0 == kind);
        entries
    }
}

/// (kind, delta, location, build reference): a line of a part's stock history.
type Entry = (StockChangeKind, String, String, Option<String>);

/// What one completion case expects.
struct Case {
    name: &'static str,
    build: &'static str,
    /// Completions in order: (quantity, accept shortage).
    steps: &'static [(&'static str, bool)],
    after: After,
}

/// The stock, the order and the notifications after a completion case.
struct After {
    /// RP2040's items (Drawer A, Drawer B) and the resistors after.
    mcu_items: [&'static str; 2],
    resistors: &'static str,
    boards: &'static str,
    status: BuildStatus,
    completed: &'static str,
    /// Ann's low-stock notifications about the RP2040.
    low_alerts: i64,
    /// Ann's out-of-stock notifications about it (all used: 18 → 0).
    out_alerts: i64,
}

/// All 3 boards of an order for 3 made, at once or in steps: 6 RP2040
/// (oldest first) and 12 resistors used; the RP2040 cross their minimum once.
const THREE_BOARDS_MADE: After = After {
    mcu_items: ["2", "10"],
    resistors: "88",
    boards: "3",
    status: BuildStatus::Complete,
    completed: "3",
    low_alerts: 1,
    out_alerts: 0,
};

const CASES: &[Case] = &[
    Case {
        name: "complete: 3 boards use 6 RP2040 (oldest first) and 12 resistors; 18 → 12 crosses 15",
        build: "3",
        steps: &[("3", false)],
        after: THREE_BOARDS_MADE,
    },
    Case {
        name: "partly complete: 2 of 3 then the last one; the second crossing never comes",
        build: "3",
        steps: &[("2", false), ("1", false)],
        after: THREE_BOARDS_MADE,
    },
    Case {
        name: "partly complete: 1 of 3 stays in production and does not cross the minimum",
        build: "3",
        steps: &[("1", false)],
        after: After {
            mcu_items: ["6", "10"],
            resistors: "96",
            boards: "1",
            status: BuildStatus::InProduction,
            completed: "1",
            low_alerts: 0,
            out_alerts: 0,
        },
    },
    Case {
        name: "over-consume: 10 boards need 20 RP2040, there are 18; accepted, all 18 are used: out of stock, not low",
        build: "10",
        steps: &[("10", true)],
        after: After {
            mcu_items: ["0", "0"],
            resistors: "60",
            boards: "10",
            status: BuildStatus::Complete,
            completed: "10",
            low_alerts: 0,
            out_alerts: 1,
        },
    },
];

#[tokio::test]
async fn completing_a_build_uses_its_components_and_adds_the_assemblies() {
    for case in CASES {
        let s = shop().await;
        let order = s.order(case.build).await;
        let mut last = None;
        for &(quantity, accept) in case.steps {
            let done = production::complete(
                &s.w.db,
                &CompleteBuild {
                    accept_shortage: accept,
                    ..s.completion(&order, quantity)
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            last = Some(done);
        }
        let done = last.expect("a step");
        assert_eq!(
            s.items(s.mcu).await,
            vec![
                (s.old_mcu, case.after.mcu_items[0].to_owned()),
                (s.new_mcu, case.after.mcu_items[1].to_owned())
            ],
            "{}",
            case.name
        );
        assert_eq!(
            s.items(s.resistor).await,
            vec![(s.resistors, case.after.resistors.to_owned())],
            "{}",
            case.name
        );
        let boards = stock::items(&s.w.db, s.board).await.expect("boards");
        assert_eq!(boards.len(), 1, "{}: one item of boards", case.name);
        assert_eq!(boards[0].quantity, q(case.after.boards), "{}", case.name);
        assert_eq!(boards[0].batch, order.reference, "{}: batch", case.name);
        assert_eq!(
            boards[0].location.as_ref().map(|l| l.path.as_str()),
            Some("Store › Shelf"),
            "{}",
            case.name
        );
        assert_eq!(done.made.id, boards[0].id, "{}", case.name);
        assert_eq!(done.order.status, case.after.status, "{}", case.name);
        assert_eq!(
            done.order.completed,
            q(case.after.completed),
            "{}",
            case.name
        );
        assert_eq!(
            s.told("low_stock").await,
            case.after.low_alerts,
            "{}",
            case.name
        );
        assert_eq!(
            s.told("out_of_stock").await,
            case.after.out_alerts,
            "{}",
            case.name
        );
        // Every consumption is in the RP2040's history with the order and the place.
        let consumed = s.history_of(s.mcu, StockChangeKind::Consume).await;
        assert!(!consumed.is_empty(), "{}", case.name);
        for (_, delta, place, build) in &consumed {
            assert!(delta.starts_with('-'), "{}: {delta}", case.name);
            assert!(
                place.starts_with("Store › Drawer "),
                "{}: {place}",
                case.name
            );
            assert_eq!(
                build.as_deref(),
                Some(order.reference.as_str()),
                "{}",
                case.name
            );
        }
        let made = s.history_of(s.board, StockChangeKind::Build).await;
        assert_eq!(made.len(), case.steps.len(), "{}", case.name);
        assert_eq!(s.total(s.board).await, case.after.boards, "{}", case.name);
    }
}

#[tokio::test]
async fn a_short_completion_is_refused_and_changes_nothing() {
    let s = shop().await;
    let order = s.order("10").await;
    let before = snapshot(&s.w.db).await;
    let err = production::complete(&s.w.db, &s.completion(&order, "10"))
        .await
        .expect_err("20 RP2040 needed, 18 in stock");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let message = err.to_string();
    assert!(
        message.contains("RP2040 needs 20, 18 in stock"),
        "{message}"
    );
    assert!(
        !message.contains("Resistor"),
        "only the short line: {message}"
    );
    assert_eq!(snapshot(&s.w.db).await, before);

    // Nor can more be completed than is left, or a finished order again.
    let err = production::complete(&s.w.db, &s.completion(&order, "11"))
        .await
        .expect_err("only 10 ordered");
    assert!(err.to_string().contains("Only 10 of"), "{err}");
    assert_eq!(snapshot(&s.w.db).await, before);
}

#[tokio::test]
async fn a_completion_uses_the_chosen_items_first() {
    let s = shop().await;
    let order = s.order("3").await;
    let done = production::complete(
        &s.w.db,
        &CompleteBuild {
            chosen: vec![ChosenStock {
                item_id: s.new_mcu,
                quantity: q("4"),
            }],
            ..s.completion(&order, "3")
        },
    )
    .await
    .expect("completed");
    // 4 from the chosen (newer) item, the other 2 from the oldest.
    assert_eq!(
        s.items(s.mcu).await,
        vec![(s.old_mcu, "6".to_owned()), (s.new_mcu, "6".to_owned())]
    );
    assert_eq!(done.consumed.len(), 3, "{:?}", done.consumed);

    // Choosing more than the line needs, or a part the build does not use, is refused.
    let other = s.order("1").await;
    let before = snapshot(&s.w.db).await;
    let too_much = production::complete(
        &s.w.db,
        &CompleteBuild {
            chosen: vec![ChosenStock {
                item_id: s.new_mcu,
                quantity: q("5"),
            }],
            ..s.completion(&other, "1")
        },
    )
    .await;
    assert_eq!(code(too_much), ErrorCode::InvalidInput);
    let stranger = s.w.part(PartInput::named("Stranger")).await.id;
    let stranger_item = s.w.put(stranger, "5", None, "").await.id;
    let before_stranger = snapshot(&s.w.db).await;
    assert_ne!(before, before_stranger);
    let unrelated = production::complete(
        &s.w.db,
        &CompleteBuild {
            chosen: vec![ChosenStock {
                item_id: stranger_item,
                quantity: q("1"),
            }],
            ..s.completion(&other, "1")
        },
    )
    .await;
    assert_eq!(code(unrelated), ErrorCode::InvalidInput);
    assert_eq!(snapshot(&s.w.db).await, before_stranger);
}

#[tokio::test]
async fn a_line_allowing_variants_uses_the_variants_stock_oldest_first() {
    let w = world().await;
    let board = w.assembly("Board").await;
    let template = w.template("Capacitor 10uF", "0").await;
    let mut variants = Vec::new();
    for name in ["0805", "1206"] {
        let input = PartInput::named(format!("Capacitor 10uF {name}")).variant_of(template);
        let id = w.part(input).await.id;
        variants.push(w.add_item(id, "5").await);
    }
    w.add_line(NewBomLine {
        allow_variants: true,
        ..line(board, template, "7")
    })
    .await;
    let order = w.build(order(board, "1")).await.order;
    let done = production::complete(
        &w.db,
        &CompleteBuild {
            id: order.id,
            quantity: q("1"),
            location_id: None,
            chosen: Vec::new(),
            accept_shortage: false,
        },
    )
    .await
    .expect("completed");
    let used: Vec<(StockItemId, Quantity)> = done
        .consumed
        .iter()
        .map(|c| (c.item_id, c.quantity))
        .collect();
    assert_eq!(used, vec![(variants[0], q("5")), (variants[1], q("2"))]);
    assert_eq!(total_stock(&w, template).await, q("3"));
}

#[tokio::test]
async fn starting_and_cancelling_still_work_but_complete_goes_through_completion() {
    let s = shop().await;
    let order = s.order("1").await;
    let started = s.w.set_status(order.id, BuildStatus::InProduction).await;
    assert_eq!(started.status, BuildStatus::InProduction);
    let refused = builds::set_status(
        &s.w.db,
        &SetBuildStatus {
            id: order.id,
            status: BuildStatus::Complete,
        },
    )
    .await
    .expect_err("a status change would use no stock");
    assert!(refused.to_string().contains("Complete…"), "{refused}");
    s.w.set_status(order.id, BuildStatus::Cancelled).await;
    let err = production::complete(&s.w.db, &s.completion(&order, "1"))
        .await
        .expect_err("cancelled orders complete nothing");
    assert!(err.to_string().contains("cancelled"), "{err}");
}

#[tokio::test]
async fn a_partly_completed_order_reserves_only_what_is_left() {
    let s = shop().await;
    let order = s.order("3").await;
    assert_eq!(s.w.figures(s.mcu).await.reserved, q("6"));
    production::complete(&s.w.db, &s.completion(&order, "2"))
        .await
        .expect("2 of 3");
    let figures = s.w.figures(s.mcu).await;
    assert_eq!(figures.in_stock, q("14"));
    assert_eq!(figures.reserved, q("2"));
}

#[tokio::test]
async fn a_transfer_moves_stock_and_tells_nobody() {
    let s = shop().await;
    // 10 of Drawer B's RP2040 … half of it to a new drawer.
    let drawer_c = s.w.location("Drawer C", None).await;
    let before_told = s.w.count("SELECT COUNT(*) FROM notifications").await;
    let moved = s
        .transfer(s.new_mcu, Some(drawer_c), Some("5"), "split")
        .await
        .expect("transferred");
    assert_ne!(moved.id, s.new_mcu, "a partial transfer makes a new item");
    assert_eq!(moved.quantity, q("5"));
    assert_eq!(moved.location.as_ref().map(|l| l.id), Some(drawer_c));
    assert_eq!(s.total(s.mcu).await, "18");
    assert_eq!(
        s.items(s.mcu).await,
        vec![
            (moved.id, "5".to_owned()),
            (s.old_mcu, "8".to_owned()),
            (s.new_mcu, "5".to_owned())
        ]
    );
    let transfers = s.history_of(s.mcu, StockChangeKind::Transfer).await;
    let transfers: Vec<_> = transfers
        .iter()
        .map(|(_, delta, place, _)| (delta.as_str(), place.as_str()))
        .collect();
    assert_eq!(
        transfers,
        vec![("-5", "Store › Drawer B"), ("+5", "Drawer C")]
    );

    // The whole of the rest follows into the item already there: one item.
    let joined = s
        .transfer(s.new_mcu, Some(drawer_c), None, "")
        .await
        .expect("transferred");
    assert_eq!(joined.id, moved.id);
    assert_eq!(joined.quantity, q("10"));
    assert_eq!(
        s.items(s.mcu).await,
        vec![(moved.id, "10".to_owned()), (s.old_mcu, "8".to_owned())]
    );
    assert_eq!(s.total(s.mcu).await, "18");
    assert_eq!(
        s.w.count("SELECT COUNT(*) FROM notifications").await,
        before_told,
        "a transfer notifies nobody"
    );

    // Refused, changing nothing: more than the item holds, nothing, the same place.
    let before = snapshot(&s.w.db).await;
    for (quantity, to) in [
        (Some("9"), Some(s.drawer_b)),
        (Some("0"), Some(s.drawer_b)),
        (None, Some(s.drawer_a)),
    ] {
        let refused = s.transfer(s.old_mcu, to, quantity, "").await;
        assert_eq!(code(refused), ErrorCode::InvalidInput, "{quantity:?}");
    }
    let nowhere = s.transfer(s.old_mcu, Some(LocationId(999)), None, "").await;
    assert_eq!(code(nowhere), ErrorCode::NotFound);
    assert_eq!(snapshot(&s.w.db).await, before);
}

#[tokio::test]
async fn a_merge_combines_items_and_tells_nobody() {
    let s = shop().await;
    let batch_b = s.w.put(s.mcu, "3", Some(s.drawer_a), "B-2").await.id;
    let before_told = s.w.count("SELECT COUNT(*) FROM notifications").await;
    let merged = s
        .merge(s.old_mcu, vec![s.new_mcu, batch_b], "tidy")
        .await
        .expect("merged");
    assert_eq!(merged.quantity, q("21"));
    assert_eq!(s.items(s.mcu).await, vec![(s.old_mcu, "21".to_owned())]);
    assert_eq!(s.total(s.mcu).await, "21");
    assert_eq!(
        s.w.count("SELECT COUNT(*) FROM notifications").await,
        before_told
    );
    let merges = s.history_of(s.mcu, StockChangeKind::Merge).await.len();
    assert_eq!(merges, 3, "one line per item");

    // Items of another part, or an item into itself: refused, nothing changes.
    let before = snapshot(&s.w.db).await;
    for from in [vec![s.resistors], vec![s.old_mcu], vec![]] {
        let refused = s.merge(s.old_mcu, from, "").await;
        assert_eq!(code(refused), ErrorCode::InvalidInput);
    }
    assert_eq!(snapshot(&s.w.db).await, before);
}

#[tokio::test]
async fn adding_stock_where_the_part_already_is_adds_to_that_item() {
    let s = shop().await;
    let again = s.w.put(s.mcu, "2", Some(s.drawer_a), "").await;
    assert_eq!(again.id, s.old_mcu);
    assert_eq!(again.quantity, q("10"));
    let other_batch = s.w.put(s.mcu, "2", Some(s.drawer_a), "L-7").await;
    assert_ne!(other_batch.id, s.old_mcu, "another batch is another item");
    let last = s.history(s.mcu).await;
    assert_eq!(
        last[last.len() - 2],
        (
            StockChangeKind::Add,
            "+2".to_owned(),
            "Store › Drawer A".to_owned(),
            None
        )
    );
}

#[tokio::test]
async fn locations_form_a_tree_whose_paths_follow_renames_and_moves() {
    let s = shop().await;
    let store = LocationId(
        s.w.count("SELECT id FROM locations WHERE name = 'Store'")
            .await,
    );
    // An edit of a location as the form sends it, with no description.
    let edit = |id, parent_id, name: &str| UpdateLocation {
        id,
        parent_id,
        name: name.into(),
        description: String::new(),
    };
    let renamed = locations::update(
        &s.w.db,
        &UpdateLocation {
            description: "Ground floor".into(),
            ..edit(store, None, "Main store")
        },
    )
    .await
    .expect("renamed");
    assert_eq!(renamed.path, "Main store");
    let items = stock::items(&s.w.db, s.mcu).await.expect("items");
    assert_eq!(
        items[0].location.as_ref().map(|l| l.path.as_str()),
        Some("Main store › Drawer A")
    );
    let paths: Vec<String> = locations::list(&s.w.db)
        .await
        .expect("list")
        .into_iter()
        .map(|l| format!("{}{}", "  ".repeat(l.depth as usize), l.path))
        .collect();
    assert_eq!(
        paths,
        vec![
            "Main store",
            "  Main store › Drawer A",
            "  Main store › Drawer B",
            "  Main store › Shelf"
        ]
    );
    // Move Drawer B into the shelf: its path and its items' paths follow.
    s.w.location("Bin 1", Some(s.drawer_b)).await;
    locations::update(&s.w.db, &edit(s.drawer_b, Some(s.shelf), "Drawer B"))
        .await
        .expect("moved");
    let contents = locations::get(&s.w.db, s.drawer_b).await.expect("contents");
    assert_eq!(contents.location.path, "Main store › Shelf › Drawer B");
    assert_eq!(
        contents
            .ancestors
            .iter()
            .map(|a| a.path.as_str())
            .collect::<Vec<_>>(),
        vec!["Main store", "Main store › Shelf"]
    );
    assert_eq!(
        contents.children[0].path,
        "Main store › Shelf › Drawer B › Bin 1"
    );
    assert_eq!(contents.items.len(), 1);
    assert_eq!(contents.items[0].part.name, "RP2040");

    // Refused, changing nothing: a cycle, a twin name, a separator in a name,
    // deleting a location with stock or with sub-locations.
    let before = snapshot(&s.w.db).await;
    let cycle = locations::update(&s.w.db, &edit(store, Some(s.drawer_b), "Main store")).await;
    assert_eq!(code(cycle), ErrorCode::InvalidInput);
    let twin = locations::create(&s.w.db, &new_location("drawer a", Some(store))).await;
    assert_eq!(code(twin), ErrorCode::Conflict);
    let separator = locations::create(&s.w.db, &new_location("A › B", None)).await;
    assert_eq!(code(separator), ErrorCode::InvalidInput);
    let holding = locations::delete(&s.w.db, s.drawer_a)
        .await
        .expect_err("holds stock");
    assert!(
        holding.to_string().contains("still holds 2 stock items"),
        "{holding}"
    );
    let parent = locations::delete(&s.w.db, store)
        .await
        .expect_err("has sub-locations");
    assert!(parent.to_string().contains("inside it"), "{parent}");
    assert_eq!(snapshot(&s.w.db).await, before);

    // An empty one goes.
    let empty = s.w.location("Spare", None).await;
    locations::delete(&s.w.db, empty).await.expect("deleted");
    assert_eq!(
        code(locations::get(&s.w.db, empty).await),
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn the_bom_says_what_can_be_built_and_a_part_where_it_is_used() {
    let s = shop().await;
    let bom = bom::lines(&s.w.db, s.board).await.expect("BOM");
    // 18 RP2040 / 2 = 9; 100 resistors / 4 = 25.
    assert_eq!(bom.can_build, Some(q("9")));
    let mcu_line = bom
        .lines
        .iter()
        .find(|l| l.sub_part.id == s.mcu)
        .expect("line");
    assert_eq!((mcu_line.in_stock, mcu_line.available), (q("18"), q("18")));
    // An open order for 4 reserves 8 RP2040: 10 available, 5 more can be built.
    s.order("4").await;
    let bom = bom::lines(&s.w.db, s.board).await.expect("BOM");
    assert_eq!(bom.can_build, Some(q("5")));
    let used = bom::where_used(&s.w.db, s.mcu).await.expect("where used");
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].assembly.id, s.board);
    assert_eq!(used[0].quantity, q("2"));
    assert_eq!(used[0].through, None);
    let empty = s.w.assembly("Empty assembly").await;
    assert_eq!(
        bom::lines(&s.w.db, empty).await.expect("BOM").can_build,
        None
    );
}

#[tokio::test]
async fn checking_a_build_reports_shortages_and_notifies_nobody() {
    let s = shop().await;
    let before = snapshot(&s.w.db).await;
    let check = |part_id, quantity| {
        let db = s.w.db.clone();
        async move {
            let request = CheckBuild {
                part_id,
                quantity: q(quantity),
            };
            builds::check(&db, &request).await
        }
    };
    let short = check(s.board, "10").await.expect("checked");
    assert_eq!(short.len(), 1);
    assert_eq!(short[0].part.id, s.mcu);
    assert_eq!((short[0].required, short[0].available), (q("20"), q("18")));
    assert!(check(s.board, "9").await.expect("checked").is_empty());
    assert_eq!(snapshot(&s.w.db).await, before, "a check writes nothing");
    let not_assembly = check(s.mcu, "1").await;
    assert_eq!(code(not_assembly), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn a_low_stock_notification_is_resolved_when_the_part_recovers() {
    let s = shop().await;
    let take_five = || s.w.adjust(s.new_mcu, StockAdjustment::Remove(q("5")), "");
    take_five().await; // down to 13
    assert_eq!(s.w.unread(s.ann).await, 1);
    s.w.adjust(s.new_mcu, StockAdjustment::Add(q("5")), "")
        .await; // back to 18
    let (resolved, read): (Option<String>, Option<String>) = partwatch_core::sql::query_as(
        "SELECT resolved_at, read_at FROM notifications WHERE user_id = $1 AND kind = 'low_stock'",
    )
    .bind(s.ann)
    .fetch_one(&s.w.db)
    .await
    .expect("notification");
    assert!(resolved.is_some(), "resolved");
    assert!(read.is_some(), "no longer waiting in the inbox");
    assert_eq!(s.w.unread(s.ann).await, 0);
    // Going low again is a new, unresolved notification.
    take_five().await;
    assert_eq!(s.told("low_stock").await, 2);
    assert_eq!(
        s.w.count(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'low_stock' AND resolved_at IS NULL"
        )
        .await,
        1
    );
}
