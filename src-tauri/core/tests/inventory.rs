//! The inventory against a real SQLite file: every operation, every rule,
//! and every rejection leaving the database as it was.

use partwatch_core::inventory::{
    bom, builds, categories, demo, generator, parts, production, stock, users,
};
use partwatch_core::CoreResult;
use partwatch_types::inventory::*;
use partwatch_types::{ErrorCode, Quantity};

mod support;
use support::{
    adjustment, code, history_of, line, new_category, new_user, order, q, snapshot, stock_in,
    world, PartInputExt, World,
};

/// Replaces everything a user typed for `part`, or says why not.
async fn edit_part(f: &World, part: PartId, input: PartInput) -> CoreResult<Part> {
    parts::update(&f.db, &UpdatePart { id: part, input }).await
}

impl World {
    /// Moves `category` under `parent` (None: to the top).
    async fn move_category(
        &self,
        category: CategoryId,
        parent: Option<CategoryId>,
    ) -> CoreResult<Category> {
        let request = MoveCategory {
            id: category,
            parent_id: parent,
        };
        categories::move_to(&self.db, &request).await
    }

    /// Renames `category` and sets its description.
    async fn edit_category(
        &self,
        category: CategoryId,
        name: &str,
        description: &str,
    ) -> CoreResult<Category> {
        let request = UpdateCategory {
            id: category,
            update: CategoryUpdate {
                name: name.into(),
                description: description.into(),
            },
        };
        categories::update(&self.db, &request).await
    }

    /// Deletes `category`; its parts and subcategories go where `contents` says.
    async fn delete_category(
        &self,
        category: CategoryId,
        contents: CategoryContentsGo,
    ) -> CoreResult<()> {
        let request = DeleteCategory {
            id: category,
            contents,
        };
        categories::delete(&self.db, &request).await
    }
}

// ------------------------------------------------------------------ users

#[tokio::test]
async fn users_are_created_renamed_given_emails_and_deactivated() {
    let f = World::empty().await;
    let me = users::current(&f.db, "ada")
        .await
        .expect("first start creates a user");
    assert_eq!(me.name, "ada");
    let again = users::current(&f.db, "someone-else")
        .await
        .expect("remembered");
    assert_eq!(again.id, me.id);

    let grace = f.user("Grace").await;
    let grace_hopper = |email: Option<&str>| UpdateUser {
        id: grace,
        name: "Grace Hopper".into(),
        email: email.map(str::to_owned),
    };
    let renamed = users::update(&f.db, &grace_hopper(Some("grace@lab.example")))
        .await
        .expect("renamed");
    assert_eq!(renamed.name, "Grace Hopper");
    assert_eq!(renamed.email.as_deref(), Some("grace@lab.example"));
    let cleared = users::update(&f.db, &grace_hopper(None))
        .await
        .expect("cleared");
    assert_eq!(cleared.email, None);
    let deactivate = |id| SetUserActive { id, active: false };
    let inactive = users::set_active(&f.db, &deactivate(grace))
        .await
        .expect("deactivated");
    assert!(!inactive.active);
    assert_eq!(
        code(users::switch_current(&f.db, grace).await),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(users::set_active(&f.db, &deactivate(me.id)).await),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn bad_user_input_is_rejected_and_changes_nothing() {
    let f = world().await;
    f.user_with_email("Ada", None).await;
    let before = snapshot(&f.db).await;
    let cases = [
        (new_user("  ", None), ErrorCode::InvalidInput),
        (new_user(&"x".repeat(101), None), ErrorCode::InvalidInput),
        (
            new_user("Bob", Some("not-an-address")),
            ErrorCode::InvalidInput,
        ),
        (new_user("ADA", None), ErrorCode::Conflict),
    ];
    for (input, expected) in cases {
        assert_eq!(
            code(users::create(&f.db, &input).await),
            expected,
            "{input:?}"
        );
    }
    let nobody = UpdateUser {
        id: UserId(999),
        name: "Zed".into(),
        email: Some("z@z.example".into()),
    };
    assert_eq!(
        code(users::update(&f.db, &nobody).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);
}

/// A user edit is one call: a new name with a bad address (or a good address
/// with a taken name) is refused whole, the name included.
#[tokio::test]
async fn a_rejected_user_edit_changes_neither_the_name_nor_the_address() {
    let f = world().await;
    let ada = f.user("Ada").await; // ada@lab.example
    f.user("Grace").await;
    let before = snapshot(&f.db).await;
    let edits = [
        (
            "Ada Lovelace",
            Some("not-an-address"),
            ErrorCode::InvalidInput,
        ),
        ("Grace", Some("ada@new.example"), ErrorCode::Conflict),
        ("  ", Some("ada@new.example"), ErrorCode::InvalidInput),
    ];
    for (name, email, expected) in edits {
        let edit = UpdateUser {
            id: ada,
            name: name.into(),
            email: email.map(str::to_owned),
        };
        assert_eq!(
            code(users::update(&f.db, &edit).await),
            expected,
            "{edit:?}"
        );
        assert_eq!(snapshot(&f.db).await, before, "{edit:?} changed something");
    }
    let unchanged = users::get(&f.db, ada).await.expect("ada");
    assert_eq!(unchanged.name, "Ada");
    assert_eq!(unchanged.email.as_deref(), Some("ada@lab.example"));
}

// ------------------------------------------------------------------ categories

#[tokio::test]
async fn a_fifty_level_tree_keeps_its_paths_and_counts() {
    let f = world().await;
    let mut parent = None;
    let mut chain = Vec::new();
    for level in 0..50 {
        let c = f.category(&format!("Level {level}"), parent).await;
        parent = Some(c.id);
        chain.push(c.id);
    }
    let deepest = chain[49];
    let c = categories::get(&f.db, deepest).await.expect("deepest");
    assert_eq!(c.ancestors.len(), 49);
    assert_eq!(c.ancestors[0].name, "Level 0");

    f.part(PartInput::named("Deep part").in_category(deepest))
        .await;
    let tree = categories::tree(&f.db).await.expect("tree");
    assert_eq!(tree.len(), 50);
    assert!(
        tree.iter().all(|n| n.total_parts == 1),
        "every ancestor counts the deep part"
    );
    assert_eq!(tree.iter().filter(|n| n.own_parts == 1).count(), 1);
    assert_eq!(tree[49].depth, 49);

    let query = PartQuery {
        category_id: Some(chain[0]),
        include_subcategories: true,
        ..PartQuery::default()
    };
    assert_eq!(parts::list(&f.db, &query).await.expect("list").total, 1);
    let query = PartQuery {
        category_id: Some(chain[0]),
        ..PartQuery::default()
    };
    assert_eq!(parts::list(&f.db, &query).await.expect("list").total, 0);
}

#[tokio::test]
async fn categories_move_but_never_under_themselves() {
    let f = world().await;
    let electronics = f.category("Electronics", None).await;
    let passives = f.category("Passives", Some(electronics.id)).await;
    let resistors = f.category("Resistors", Some(passives.id)).await;
    let mechanical = f.category("Mechanical", None).await;

    let before = snapshot(&f.db).await;
    for target in [electronics.id, passives.id, resistors.id] {
        assert_eq!(
            code(f.move_category(electronics.id, Some(target)).await),
            ErrorCode::InvalidInput,
            "under {target}"
        );
    }
    assert_eq!(
        code(f.move_category(electronics.id, Some(CategoryId(999))).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);

    let moved = f
        .move_category(passives.id, Some(mechanical.id))
        .await
        .expect("moved");
    assert_eq!(moved.parent_id, Some(mechanical.id));
    let r = categories::get(&f.db, resistors.id)
        .await
        .expect("resistors");
    let names: Vec<_> = r.ancestors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Mechanical", "Passives"]);

    // Now Electronics is a leaf and may go under Resistors.
    f.move_category(electronics.id, Some(resistors.id))
        .await
        .expect("legal move");
    let to_top = f.move_category(electronics.id, None).await.expect("to top");
    assert!(to_top.ancestors.is_empty());
}

#[tokio::test]
async fn category_names_are_unique_among_siblings_and_edits_are_validated() {
    let f = world().await;
    let a = f.category("A", None).await;
    f.category("Child", Some(a.id)).await;
    let b = f.category("B", None).await;
    f.category("Child", Some(b.id)).await; // same name, other parent: fine
    let dup = categories::create(&f.db, &new_category("child", Some(a.id))).await;
    assert_eq!(code(dup), ErrorCode::Conflict);
    let updated = f
        .edit_category(a.id, "Alpha", "First")
        .await
        .expect("updated");
    assert_eq!(
        (updated.name.as_str(), updated.description.as_str()),
        ("Alpha", "First")
    );
    assert_eq!(
        code(f.edit_category(a.id, "", "").await),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(f.edit_category(a.id, "B", "").await),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn deleting_a_category_needs_a_choice_when_it_is_not_empty() {
    let f = world().await;
    let top = f.category("Top", None).await;
    let doomed = f.category("Doomed", Some(top.id)).await;
    let inner = f.category("Inner", Some(doomed.id)).await;
    let part = f
        .part(PartInput::named("Orphan-to-be").in_category(doomed.id))
        .await;

    let before = snapshot(&f.db).await;
    assert_eq!(
        code(
            f.delete_category(doomed.id, CategoryContentsGo::Nowhere)
                .await
        ),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(
            f.delete_category(doomed.id, CategoryContentsGo::To(inner.id))
                .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(snapshot(&f.db).await, before);

    f.delete_category(doomed.id, CategoryContentsGo::ToParent)
        .await
        .expect("deleted");
    assert_eq!(
        parts::get(&f.db, part.id)
            .await
            .expect("part")
            .category
            .map(|c| c.id),
        Some(top.id)
    );
    assert_eq!(
        categories::get(&f.db, inner.id)
            .await
            .expect("inner")
            .parent_id,
        Some(top.id)
    );
    assert_eq!(
        code(categories::get(&f.db, doomed.id).await),
        ErrorCode::NotFound
    );

    let empty = f.category("Empty", None).await;
    f.delete_category(empty.id, CategoryContentsGo::Nowhere)
        .await
        .expect("empty goes");
}

// ------------------------------------------------------------------ parts

#[tokio::test]
async fn parts_are_validated_and_rejections_change_nothing() {
    let f = world().await;
    let plain = f.part(PartInput::named("Resistor").ipn("R-1")).await;
    let before = snapshot(&f.db).await;
    let cases: Vec<(PartInput, ErrorCode)> = vec![
        (PartInput::named(""), ErrorCode::InvalidInput),
        (PartInput::named("x".repeat(201)), ErrorCode::InvalidInput),
        (PartInput::named("Other").ipn("r-1"), ErrorCode::Conflict),
        (
            PartInput::named("Lost").in_category(CategoryId(77)),
            ErrorCode::NotFound,
        ),
        (
            PartInput::named("Not a variant").variant_of(plain.id),
            ErrorCode::InvalidInput,
        ),
        (
            PartInput::named("Ghost").variant_of(PartId(999)),
            ErrorCode::NotFound,
        ),
        (
            PartInput {
                minimum_stock: Quantity::from_milli(-5),
                ..PartInput::named("Negative")
            },
            ErrorCode::InvalidInput,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            code(parts::create(&f.db, &input).await),
            expected,
            "{}",
            input.name
        );
    }
    assert_eq!(
        code(edit_part(&f, PartId(4242), PartInput::named("Nobody")).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);
}

#[tokio::test]
async fn three_levels_of_variants_roll_up_into_the_template() {
    let f = world().await;
    let top = f.template("Resistor", "0").await;
    let template_of = |name: &str, of| PartInput::named(name).template().variant_of(of);
    let mid = f.part(template_of("Resistor 10k", top)).await.id;
    let low = f.part(template_of("Resistor 10k 0603", mid)).await.id;
    let yageo = |of| PartInput::named("Resistor 10k 0603 Yageo").variant_of(of);
    let leaf = f.part(yageo(low)).await.id;
    f.add_item(leaf, "100").await;
    f.add_item(mid, "5").await;

    assert_eq!(f.figures(leaf).await.in_stock, q("100"));
    assert_eq!(f.figures(low).await.in_stock, q("100"));
    assert_eq!(f.figures(mid).await.in_stock, q("105"));
    assert_eq!(f.figures(top).await.in_stock, q("105"));

    // A loop is refused: the top template cannot become a variant of its own descendant.
    assert_eq!(
        code(edit_part(&f, top, template_of("Resistor", low)).await),
        ErrorCode::InvalidInput
    );
    // A template with variants must stay one.
    let no_longer_a_template = PartInput::named("Resistor 10k 0603").variant_of(mid);
    assert_eq!(
        code(edit_part(&f, low, no_longer_a_template).await),
        ErrorCode::Conflict
    );

    // Re-parenting a variant moves its stock between template chains.
    let other = f.template("Other template", "0").await;
    f.update_part(leaf, yageo(other)).await;
    assert_eq!(f.figures(top).await.in_stock, q("5"));
    assert_eq!(f.figures(low).await.in_stock, q("0"));
    assert_eq!(f.figures(other).await.in_stock, q("100"));
    let template = parts::get(&f.db, other).await.expect("template");
    assert_eq!(
        template.variants.iter().map(|v| v.id).collect::<Vec<_>>(),
        [leaf]
    );
}

#[tokio::test]
async fn low_means_strictly_below_a_nonzero_minimum() {
    let f = world().await;
    let p = f.part(PartInput::named("Cap").minimum("10")).await.id;
    let a1 = f.location("A1", None).await;
    let item = f.put(p, "10", Some(a1), "B7").await.id;
    assert!(!f.figures(p).await.is_low, "equal is not low");
    f.adjust(item, StockAdjustment::Remove(q("0.5")), "Delivery")
        .await;
    assert!(f.figures(p).await.is_low);
    let zero_min = f.part(PartInput::named("No threshold")).await;
    assert!(!f.figures(zero_min.id).await.is_low);
}

#[tokio::test]
async fn parts_that_are_referenced_cannot_be_deleted_and_say_why() {
    let f = world().await;
    let assembly = f.assembly("Board").await;
    let sub = f.part(PartInput::named("Chip")).await.id;
    f.add_line(line(assembly, sub, "1")).await;
    f.add_item(sub, "3").await;
    let err = parts::delete(&f.db, sub).await.expect_err("referenced");
    assert_eq!(err.code(), ErrorCode::Conflict);
    let message = err.to_string();
    assert!(
        message.contains("1 stock item(s)") && message.contains("use in 1 BOM(s)"),
        "{message}"
    );
    f.build(order(assembly, "1")).await;
    assert!(parts::delete(&f.db, assembly)
        .await
        .expect_err("built")
        .to_string()
        .contains("1 build order(s)"));

    let free = f.part(PartInput::named("Unused")).await;
    parts::delete(&f.db, free.id).await.expect("deleted");
    assert_eq!(code(parts::get(&f.db, free.id).await), ErrorCode::NotFound);
}

// ------------------------------------------------------------------ stock

#[tokio::test]
async fn stock_changes_are_recorded_and_never_go_below_zero() {
    let f = World::empty().await;
    users::current(&f.db, "Ada").await.expect("user");
    let p = f.part(PartInput::named("Screw")).await;
    let bin_1 = f.location("Bin 1", None).await;
    let item = stock::add_item(
        &f.db,
        &NewStockItem {
            location_id: Some(bin_1),
            reason: "Delivery".into(),
            ..stock_in(p.id, "50")
        },
    )
    .await
    .expect("item")
    .id;
    f.adjust(item, StockAdjustment::Add(q("5")), "Delivery")
        .await;
    f.adjust(item, StockAdjustment::Remove(q("15")), "Delivery")
        .await;
    let before = snapshot(&f.db).await;
    for bad in [
        StockAdjustment::Remove(q("41")),
        StockAdjustment::Remove(q("0")),
        StockAdjustment::Add(q("0")),
    ] {
        assert_eq!(
            code(stock::adjust(&f.db, &adjustment(item, bad, "Delivery")).await),
            ErrorCode::InvalidInput,
            "{bad:?}"
        );
    }
    let nothing = adjustment(StockItemId(999), StockAdjustment::Add(q("1")), "Delivery");
    assert_eq!(
        code(stock::adjust(&f.db, &nothing).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(stock::add_item(&f.db, &stock_in(PartId(999), "1")).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);

    f.adjust(item, StockAdjustment::Count(q("38")), "Delivery")
        .await;
    assert_eq!(f.figures(p.id).await.in_stock, q("38"));
    let bin_2 = f.location("Bin 2", None).await;
    let second = f.put(p.id, "2", Some(bin_2), "").await;
    stock::delete_item(
        &f.db,
        &DeleteStock {
            item_id: item,
            reason: "Used up".into(),
        },
    )
    .await
    .expect("deleted");
    assert_eq!(f.figures(p.id).await.in_stock, q("2"));
    assert_eq!(
        stock::items(&f.db, p.id).await.expect("items"),
        vec![second]
    );

    let history = stock::history(&f.db, &history_of(p.id))
        .await
        .expect("history");
    let kinds: Vec<_> = history.iter().map(|h| (h.kind, h.delta.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (StockChangeKind::Delete, "-38"),
            (StockChangeKind::Create, "+2"),
            (StockChangeKind::Count, "-2"),
            (StockChangeKind::Remove, "-15"),
            (StockChangeKind::Add, "+5"),
            (StockChangeKind::Create, "+50"),
        ]
    );
    assert!(history.iter().all(|h| h.user.as_deref() == Some("Ada")));
}

// ------------------------------------------------------------------ BOMs

#[tokio::test]
async fn no_part_contains_itself_directly_or_through_other_assemblies() {
    let f = world().await;
    let a = f.assembly("A").await;
    let b = f.assembly("B").await;
    let c = f.assembly("C").await;
    let plain = f.part(PartInput::named("Plain")).await.id;
    f.add_line(line(a, b, "2")).await;
    f.add_line(line(b, c, "2")).await;
    let before = snapshot(&f.db).await;
    for (case, refused, expected) in [
        (
            "c > a closes a loop",
            line(c, a, "2"),
            ErrorCode::InvalidInput,
        ),
        ("a > a", line(a, a, "2"), ErrorCode::InvalidInput),
        (
            "a plain part has no BOM",
            line(plain, a, "2"),
            ErrorCode::InvalidInput,
        ),
        ("a > b again", line(a, b, "2"), ErrorCode::Conflict),
        (
            "none of a part",
            line(a, plain, "0"),
            ErrorCode::InvalidInput,
        ),
    ] {
        assert_eq!(
            code(bom::add_line(&f.db, &refused).await),
            expected,
            "{case}"
        );
    }
    assert_eq!(snapshot(&f.db).await, before);

    let added = f.add_line(line(a, plain, "2")).await;
    let changed = bom::update_line(
        &f.db,
        &UpdateBomLine {
            id: added.id,
            quantity: q("3.5"),
            allow_variants: true,
        },
    )
    .await
    .expect("updated");
    assert_eq!((changed.quantity, changed.allow_variants), (q("3.5"), true));
    assert_eq!(bom::lines(&f.db, a).await.expect("lines").lines.len(), 2);
    bom::remove_line(&f.db, added.id).await.expect("removed");
    assert_eq!(bom::lines(&f.db, a).await.expect("lines").lines.len(), 1);
}

// ------------------------------------------------------------------ build orders

/// The figures of a build order's line for `part`: (required, available, short).
fn line_figures(detail: &BuildOrderDetail, part: PartId) -> (Quantity, Quantity, Quantity) {
    let line = detail
        .lines
        .iter()
        .find(|l| l.part.id == part)
        .unwrap_or_else(|| panic!("no line for {part}: {detail:?}"));
    (line.required, line.available, line.short)
}

#[tokio::test]
async fn a_build_orders_page_shows_what_the_rest_of_it_needs_and_has() {
    let f = world().await;
    let board = f.assembly("Board").await;
    let chip = f.part(PartInput::named("Chip")).await.id;
    let led = f.part(PartInput::named("LED")).await.id;
    let cap = f.template("Cap", "0").await;
    let cap_0603 = f
        .part(PartInput::named("Cap 0603").variant_of(cap))
        .await
        .id;
    f.add_item(chip, "10").await;
    f.add_item(led, "1").await;
    f.add_item(cap_0603, "3").await;
    f.add_line(line(board, chip, "2")).await;
    f.add_line(line(board, led, "1")).await;
    f.add_line(NewBomLine {
        allow_variants: true,
        ..line(board, cap, "1")
    })
    .await;

    let first = f.build(order(board, "3")).await.order;
    let page = builds::detail(&f.db, first.id).await.expect("page");
    assert_eq!(page.order, first);
    let names: Vec<_> = page.lines.iter().map(|l| l.part.name.as_str()).collect();
    assert_eq!(names, ["Cap", "Chip", "LED"], "by part name");
    assert_eq!(line_figures(&page, chip), (q("6"), q("10"), q("0")));
    assert_eq!(
        line_figures(&page, cap),
        (q("3"), q("3"), q("0")),
        "the variants' stock counts where the line allows it"
    );
    assert_eq!(line_figures(&page, led), (q("3"), q("1"), q("2")));
    let chip_line = page.lines.iter().find(|l| l.part.id == chip).expect("chip");
    assert_eq!(
        (chip_line.per_unit, chip_line.allow_variants),
        (q("2"), false)
    );

    // A second order sees only what the first leaves.
    let second = f.build(order(board, "2")).await.order;
    let page = builds::detail(&f.db, second.id).await.expect("page");
    assert_eq!(line_figures(&page, chip), (q("4"), q("4"), q("0")));
    assert_eq!(line_figures(&page, led), (q("2"), q("0"), q("2")));

    // Stock arriving moves the figures; a part of the first order built
    // leaves only the rest of it to need (the second still reserves its own).
    f.add_item(led, "4").await;
    f.set_status(first.id, BuildStatus::InProduction).await;
    production::complete(
        &f.db,
        &CompleteBuild {
            id: first.id,
            quantity: q("1"),
            location_id: None,
            chosen: Vec::new(),
            accept_shortage: false,
        },
    )
    .await
    .expect("one board built");
    let page = builds::detail(&f.db, first.id).await.expect("page");
    assert_eq!(page.order.completed, q("1"));
    assert_eq!(line_figures(&page, chip), (q("4"), q("4"), q("0")));
    assert_eq!(line_figures(&page, led), (q("2"), q("2"), q("0")));

    // A cancelled order needs nothing, and the other gets its stock.
    f.set_status(first.id, BuildStatus::Cancelled).await;
    let page = builds::detail(&f.db, first.id).await.expect("page");
    assert!(page
        .lines
        .iter()
        .all(|l| l.required == Quantity::ZERO && l.short == Quantity::ZERO));
    let page = builds::detail(&f.db, second.id).await.expect("page");
    assert_eq!(line_figures(&page, chip), (q("4"), q("8"), q("0")));

    assert_eq!(
        code(builds::detail(&f.db, BuildOrderId(999)).await),
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn build_orders_reserve_stock_and_report_their_short_lines() {
    let f = World::empty().await;
    let me = users::current(&f.db, "Ada").await.expect("user");
    let board = f.assembly("Board").await;
    let chip = f.part(PartInput::named("Chip")).await.id;
    let cap = f.template("Cap", "0").await;
    let cap_0603 = f
        .part(PartInput::named("Cap 0603").variant_of(cap))
        .await
        .id;
    f.add_item(chip, "10").await;
    f.add_item(cap_0603, "100").await;
    f.add_line(line(board, chip, "1")).await;
    f.add_line(NewBomLine {
        allow_variants: true,
        ..line(board, cap, "4")
    })
    .await;

    assert_eq!(
        builds::suggest_reference(&f.db).await.expect("ref"),
        "BO-0001"
    );
    let first = f
        .build(NewBuildOrder {
            responsible_id: Some(me.id),
            ..order(board, "6")
        })
        .await;
    assert_eq!(first.order.reference, "BO-0001");
    assert!(
        first.short_lines.is_empty(),
        "6 boards fit: {:?}",
        first.short_lines
    );
    let chips = f.figures(chip).await;
    assert_eq!((chips.reserved, chips.available), (q("6"), q("4")));

    // The second order sees what the first one reserves.
    let second = f.build(order(board, "5")).await;
    assert_eq!(second.order.reference, "BO-0002");
    assert_eq!(
        second.short_lines,
        vec![ShortLine {
            part: PartRef {
                id: chip,
                name: "Chip".into()
            },
            required: q("5"),
            available: q("4")
        }]
    );

    // Cancelling the first releases its reservation.
    f.set_status(first.order.id, BuildStatus::Cancelled).await;
    assert_eq!(f.figures(chip).await.reserved, q("5"));

    let before = snapshot(&f.db).await;
    for (case, refused, expected) in [
        (
            "a taken reference",
            NewBuildOrder {
                reference: "bo-0002".into(),
                ..order(board, "1")
            },
            ErrorCode::Conflict,
        ),
        ("none", order(board, "0"), ErrorCode::InvalidInput),
        ("not an assembly", order(chip, "1"), ErrorCode::InvalidInput),
        (
            "nobody responsible",
            NewBuildOrder {
                responsible_id: Some(UserId(99)),
                ..order(board, "1")
            },
            ErrorCode::NotFound,
        ),
    ] {
        assert_eq!(
            code(builds::create(&f.db, &refused).await),
            expected,
            "{case}"
        );
    }
    for (case, id, status) in [
        (
            "restart a cancelled order",
            first.order.id,
            BuildStatus::InProduction,
        ),
        (
            "complete a pending one",
            second.order.id,
            BuildStatus::Complete,
        ),
    ] {
        let change = SetBuildStatus { id, status };
        assert_eq!(
            code(builds::set_status(&f.db, &change).await),
            ErrorCode::InvalidInput,
            "{case}"
        );
    }
    assert_eq!(snapshot(&f.db).await, before);

    f.set_status(second.order.id, BuildStatus::InProduction)
        .await;
    // Completing goes through production (the chips are short: use what there is).
    let done = production::complete(
        &f.db,
        &CompleteBuild {
            id: second.order.id,
            quantity: q("5"),
            location_id: None,
            chosen: Vec::new(),
            accept_shortage: true,
        },
    )
    .await
    .expect("done")
    .order;
    assert_eq!(done.status, BuildStatus::Complete);
    assert_eq!(
        builds::list(&f.db, Some(BuildStatus::Complete))
            .await
            .expect("list")
            .len(),
        1
    );
    assert_eq!(builds::list(&f.db, None).await.expect("list").len(), 2);
}

#[test]
fn build_status_moves_only_forward() {
    use BuildStatus::*;
    let allowed: Vec<_> = BuildStatus::ALL
        .iter()
        .flat_map(|a| BuildStatus::ALL.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| a.can_become(*b))
        .collect();
    assert_eq!(
        allowed,
        [
            (Pending, InProduction),
            (Pending, Cancelled),
            (InProduction, Complete),
            (InProduction, Cancelled)
        ]
    );
}

// ------------------------------------------------------------------ queries

#[tokio::test]
async fn the_parts_table_searches_filters_sorts_and_pages() {
    let f = world().await;
    let resistors = f.category("Resistors", None).await;
    for (name, ipn, min, stock_qty) in [
        ("Resistor 10k", "R-10K", "100", "50"),
        ("Resistor 1k", "R-1K", "10", "500"),
        ("Capacitor 100% pure", "C-1", "0", "5"),
    ] {
        let input = PartInput {
            category_id: ipn.starts_with('R').then_some(resistors.id),
            ..PartInput::named(name).ipn(ipn).minimum(min)
        };
        let p = f.part(input).await;
        f.add_item(p.id, stock_qty).await;
    }
    let all = PartQuery::default;
    // (case, query, the names on its page, how many in all)
    let cases: [(&str, PartQuery, &[&str], i64); 7] = [
        (
            "everything, by name",
            all(),
            &["Capacitor 100% pure", "Resistor 10k", "Resistor 1k"],
            3,
        ),
        (
            "low only",
            PartQuery {
                low_only: true,
                ..all()
            },
            &["Resistor 10k"],
            1,
        ),
        (
            "an IPN in other case",
            PartQuery {
                search: "r-1k".into(),
                ..all()
            },
            &["Resistor 1k"],
            1,
        ),
        (
            "a literal %",
            PartQuery {
                search: "100%".into(),
                ..all()
            },
            &["Capacitor 100% pure"],
            1,
        ),
        (
            "most in stock first",
            PartQuery {
                sort: PartSort::InStock,
                descending: true,
                ..all()
            },
            &["Resistor 1k", "Resistor 10k", "Capacitor 100% pure"],
            3,
        ),
        (
            "the second page of two",
            PartQuery {
                page: 1,
                page_size: 2,
                ..all()
            },
            &["Resistor 1k"],
            3,
        ),
        (
            "a category",
            PartQuery {
                category_id: Some(resistors.id),
                ..all()
            },
            &["Resistor 10k", "Resistor 1k"],
            2,
        ),
    ];
    for (case, query, names, total) in cases {
        let page = parts::list(&f.db, &query).await.expect(case);
        let shown: Vec<_> = page.items.iter().map(|r| r.name.as_str()).collect();
        assert_eq!((shown.as_slice(), page.total), (names, total), "{case}");
        for row in &page.items {
            assert_eq!(row.is_low, row.name == "Resistor 10k", "{case}: {row:?}");
        }
    }
    for (case, refused) in [
        (
            "pages of none",
            PartQuery {
                page_size: 0,
                ..all()
            },
        ),
        ("page -1", PartQuery { page: -1, ..all() }),
    ] {
        assert_eq!(
            code(parts::list(&f.db, &refused).await),
            ErrorCode::InvalidInput,
            "{case}"
        );
    }
}

// ------------------------------------------------------------------ demo and generator

#[tokio::test]
async fn the_demo_loads_only_into_an_empty_database() {
    let f = World::empty().await;
    let status = demo::status(&f.db).await.expect("status");
    assert!(status.is_empty && !status.demo_loaded && !status.started_empty);
    users::current(&f.db, "Ada").await.expect("user");
    let loaded = demo::load(&f.db).await.expect("demo");
    assert!(loaded.demo_loaded && !loaded.is_empty);
    assert!(loaded.parts >= 20 && loaded.categories >= 15, "{loaded:?}");
    let low = parts::list(
        &f.db,
        &PartQuery {
            low_only: true,
            ..PartQuery::default()
        },
    )
    .await
    .expect("low");
    assert!(low.total >= 3, "some demo parts are short: {}", low.total);
    let template = parts::list(
        &f.db,
        &PartQuery {
            search: "R-10K".into(),
            templates_only: true,
            ..PartQuery::default()
        },
    )
    .await
    .expect("template");
    assert_eq!(
        template.items[0].in_stock,
        q("4475"),
        "the template sums its variants"
    );
    let before = snapshot(&f.db).await;
    assert_eq!(code(demo::load(&f.db).await), ErrorCode::Conflict);
    assert_eq!(snapshot(&f.db).await, before);

    let other = World::empty().await;
    let started = demo::start_empty(&other.db).await.expect("empty");
    assert!(started.is_empty && started.started_empty);
}

#[tokio::test]
async fn the_generator_builds_a_deep_consistent_inventory() {
    let f = world().await;
    let generated = generator::generate(
        &f.db,
        generator::GeneratorSpec {
            parts: 2_000,
            depth: 12,
            fanout: 2,
            max_categories: 200,
            seed: 7,
        },
    )
    .await
    .expect("generated");
    let deepest = categories::get(&f.db, generated.deepest_category)
        .await
        .expect("deepest");
    assert!(deepest.ancestors.len() >= 7, "{}", deepest.ancestors.len());
    let tree = categories::tree(&f.db).await.expect("tree");
    assert_eq!(tree[0].total_parts, 2_000);
    // Every template's total is the sum of its variants' totals.
    let wrong: i64 = partwatch_core::sql::query_scalar(
        "SELECT COUNT(*) FROM parts t WHERE t.is_template = TRUE AND t.total_stock !=
            t.own_stock + COALESCE((SELECT SUM(v.total_stock) FROM parts v WHERE v.variant_of = t.id), 0)",
    )
    .fetch_one(&f.db)
    .await
    .expect("check");
    assert_eq!(wrong, 0);
}

#[tokio::test]
async fn a_batch_of_adjustments_lands_whole_or_not_at_all() {
    let f = world().await;
    let p = f.part(PartInput::named("Washer")).await;
    // Two items of the part: in two batches (one batch would be one item).
    let mut items = Vec::new();
    for (quantity, batch) in [("10", "B1"), ("20", "B2")] {
        items.push(f.put(p.id, quantity, None, batch).await.id);
    }
    let before = snapshot(&f.db).await;
    let bad = [
        (items[0], StockAdjustment::Remove(q("5"))),
        (items[1], StockAdjustment::Remove(q("21"))),
    ];
    assert_eq!(
        code(stock::adjust_many(&f.db, &bad, "stock-take").await),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        snapshot(&f.db).await,
        before,
        "the first adjustment was rolled back with the second"
    );
    // An item that does not exist, and a count too big to keep, are refused too.
    let unknown = [
        (items[0], StockAdjustment::Remove(q("5"))),
        (
            StockItemId(items[1].get() + 100),
            StockAdjustment::Add(q("1")),
        ),
    ];
    let err = stock::adjust_many(&f.db, &unknown, "stock-take")
        .await
        .expect_err("unknown item");
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("does not exist"), "{err}");
    let huge = [
        (
            items[0],
            StockAdjustment::Add(Quantity::from_milli(i64::MAX)),
        ),
        (items[1], StockAdjustment::Add(q("1"))),
    ];
    let err = stock::adjust_many(&f.db, &huge, "stock-take")
        .await
        .expect_err("overflow");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "That would be more stock than can be counted."
    );
    assert_eq!(snapshot(&f.db).await, before, "nothing of either landed");
    let good = [
        (items[0], StockAdjustment::Remove(q("5"))),
        (items[1], StockAdjustment::Count(q("18"))),
    ];
    let after = stock::adjust_many(&f.db, &good, "stock-take")
        .await
        .expect("batch");
    assert_eq!(
        after.iter().map(|i| i.quantity).collect::<Vec<_>>(),
        [q("5"), q("18")]
    );
    assert_eq!(f.figures(p.id).await.in_stock, q("23"));
}

#[tokio::test]
async fn a_change_that_reads_first_survives_another_connection_committing_meanwhile() {
    // The delivery worker writes on its own connection at any moment. A
    // change reads (an item's quantity) before it writes; if another
    // connection commits in between, a deferred transaction fails with
    // "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout.
    let f = world().await;
    let p = f.part(PartInput::named("Washer")).await;
    let item = f.add_item(p.id, "10").await;
    let mut tx = f.db.begin_write().await.expect("write transaction");
    let before: i64 =
        partwatch_core::sql::query_scalar("SELECT quantity FROM stock_items WHERE id = $1")
            .bind(item)
            .fetch_one(&mut *tx)
            .await
            .expect("read");
    let db = f.db.clone();
    let other = tokio::spawn(async move {
        partwatch_core::sql::query("UPDATE parts SET description = description || ' '")
            .execute(&db)
            .await
            .map(|_| ())
    });
    // Give the other connection time to commit, were it allowed to.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    partwatch_core::sql::query("UPDATE stock_items SET quantity = $1 WHERE id = $2")
        .bind(before - 1000)
        .bind(item)
        .execute(&mut *tx)
        .await
        .expect("the write after the read goes through");
    tx.commit().await.expect("commit");
    other
        .await
        .expect("task")
        .expect("the other connection waited its turn");
    let after: i64 =
        partwatch_core::sql::query_scalar("SELECT quantity FROM stock_items WHERE id = $1")
            .bind(item)
            .fetch_one(&f.db)
            .await
            .expect("read");
    assert_eq!(Quantity::from_milli(after), q("9"));
}

// ------------------------------------------------------------------ stored values

/// A stored value this version does not know is an error naming it, never a
/// guess: a build status and a stock change written by a newer version (or
/// by hand) make the reads fail clearly instead of showing something false.
#[tokio::test]
async fn an_unknown_stored_enum_value_is_an_error_that_names_it() {
    let f = world().await;
    let board = f.assembly("Board").await;
    let order = f.build(order(board, "1")).await.order;
    f.add_item(board, "3").await;
    // Past the columns' checks, as a newer version's values would be: SQLite
    // ignores them for a moment, PostgreSQL loses them (a scratch database).
    let mut conn = f.db.connection().await.expect("connection");
    let mut statements: Vec<String> = Vec::new();
    if f.db.is_postgres() {
        for table in ["build_orders", "stock_history"] {
            let checks: Vec<String> = partwatch_core::sql::query_scalar(
                "SELECT CAST(conname AS TEXT) FROM pg_constraint
                  WHERE conrelid = CAST($1 AS regclass) AND contype = 'c'",
            )
            .bind(table)
            .fetch_all(&mut conn)
            .await
            .expect("checks");
            statements.extend(
                checks
                    .into_iter()
                    .map(|check| format!("ALTER TABLE {table} DROP CONSTRAINT {check}")),
            );
        }
    } else {
        statements.push("PRAGMA ignore_check_constraints = ON".into());
    }
    statements.push("UPDATE build_orders SET status = 'on_hold'".into());
    statements.push("UPDATE stock_history SET kind = 'teleport'".into());
    if !f.db.is_postgres() {
        statements.push("PRAGMA ignore_check_constraints = OFF".into());
    }
    for statement in statements {
        partwatch_core::sql::query(statement.as_str())
            .execute(&mut conn)
            .await
            .unwrap_or_else(|err| panic!("{statement}: {err}"));
    }
    drop(conn);

    let err = builds::get(&f.db, order.id)
        .await
        .expect_err("unknown status");
    assert_eq!(err.code(), ErrorCode::Database);
    let message = err.to_string();
    assert!(
        message.contains("build status") && message.contains("on_hold"),
        "{message}"
    );
    let err = builds::list(&f.db, None).await.expect_err("unknown status");
    assert!(err.to_string().contains("on_hold"), "{err}");

    let err = stock::history(&f.db, &history_of(board))
        .await
        .expect_err("unknown stock change");
    let message = err.to_string();
    assert!(
        message.contains("stock change") && message.contains("teleport"),
        "{message}"
    );
}
