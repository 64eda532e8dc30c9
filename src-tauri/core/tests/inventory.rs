//! The inventory against a real SQLite file: every operation, every rule,
//! and every rejection leaving the database as it was.

use partwatch_core::inventory::{
    bom, builds, categories, demo, generator, locations, parts, production, stock, users,
};
use partwatch_core::Database;
use partwatch_types::inventory::*;
use partwatch_types::{ErrorCode, Quantity};

mod support;
use support::{code, q, snapshot, stock_in, world, World};

async fn stock_of(db: &Database, part: PartId) -> Quantity {
    parts::get(db, part).await.expect("part").figures.in_stock
}

/// A new top-level location.
async fn place(db: &Database, name: &str) -> LocationId {
    locations::create(
        db,
        &NewLocation {
            parent_id: None,
            name: name.into(),
            description: String::new(),
        },
    )
    .await
    .expect("location")
    .id
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

    let grace = users::create(
        &f.db,
        &NewUser {
            name: "Grace".into(),
            email: Some("grace@lab.example".into()),
        },
    )
    .await
    .expect("created");
    let renamed = users::update(
        &f.db,
        &UpdateUser {
            id: grace.id,
            name: "Grace Hopper".into(),
            email: Some("grace@lab.example".into()),
        },
    )
    .await
    .expect("renamed");
    assert_eq!(renamed.name, "Grace Hopper");
    assert_eq!(renamed.email.as_deref(), Some("grace@lab.example"));
    let cleared = users::update(
        &f.db,
        &UpdateUser {
            id: grace.id,
            name: "Grace Hopper".into(),
            email: None,
        },
    )
    .await
    .expect("cleared");
    assert_eq!(cleared.email, None);
    let inactive = users::set_active(
        &f.db,
        &SetUserActive {
            id: grace.id,
            active: false,
        },
    )
    .await
    .expect("deactivated");
    assert!(!inactive.active);
    assert_eq!(
        code(users::switch_current(&f.db, grace.id).await),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(
            users::set_active(
                &f.db,
                &SetUserActive {
                    id: me.id,
                    active: false
                }
            )
            .await
        ),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn bad_user_input_is_rejected_and_changes_nothing() {
    let f = world().await;
    users::create(
        &f.db,
        &NewUser {
            name: "Ada".into(),
            email: None,
        },
    )
    .await
    .expect("ada");
    let before = snapshot(&f.db).await;
    let cases = [
        (
            NewUser {
                name: "  ".into(),
                email: None,
            },
            ErrorCode::InvalidInput,
        ),
        (
            NewUser {
                name: "x".repeat(101),
                email: None,
            },
            ErrorCode::InvalidInput,
        ),
        (
            NewUser {
                name: "Bob".into(),
                email: Some("not-an-address".into()),
            },
            ErrorCode::InvalidInput,
        ),
        (
            NewUser {
                name: "ADA".into(),
                email: None,
            },
            ErrorCode::Conflict,
        ),
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
    let new = |name: &str, email: &str| NewUser {
        name: name.into(),
        email: Some(email.into()),
    };
    let ada = users::create(&f.db, &new("Ada", "ada@lab.example"))
        .await
        .expect("ada");
    users::create(&f.db, &new("Grace", "grace@lab.example"))
        .await
        .expect("grace");
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
            id: ada.id,
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
    let unchanged = users::get(&f.db, ada.id).await.expect("ada");
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

    let mut input = PartInput::named("Deep part");
    input.category_id = Some(deepest);
    f.part(input).await;
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
            code(
                categories::move_to(
                    &f.db,
                    &MoveCategory {
                        id: electronics.id,
                        parent_id: Some(target)
                    }
                )
                .await
            ),
            ErrorCode::InvalidInput
        );
    }
    assert_eq!(
        code(
            categories::move_to(
                &f.db,
                &MoveCategory {
                    id: electronics.id,
                    parent_id: Some(CategoryId(999))
                }
            )
            .await
        ),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);

    let moved = categories::move_to(
        &f.db,
        &MoveCategory {
            id: passives.id,
            parent_id: Some(mechanical.id),
        },
    )
    .await
    .expect("moved");
    assert_eq!(moved.parent_id, Some(mechanical.id));
    let r = categories::get(&f.db, resistors.id)
        .await
        .expect("resistors");
    let names: Vec<_> = r.ancestors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Mechanical", "Passives"]);

    // Now Electronics is a leaf and may go under Resistors.
    categories::move_to(
        &f.db,
        &MoveCategory {
            id: electronics.id,
            parent_id: Some(resistors.id),
        },
    )
    .await
    .expect("legal move");
    let to_top = categories::move_to(
        &f.db,
        &MoveCategory {
            id: electronics.id,
            parent_id: None,
        },
    )
    .await
    .expect("to top");
    assert!(to_top.ancestors.is_empty());
}

#[tokio::test]
async fn category_names_are_unique_among_siblings_and_edits_are_validated() {
    let f = world().await;
    let a = f.category("A", None).await;
    f.category("Child", Some(a.id)).await;
    let b = f.category("B", None).await;
    f.category("Child", Some(b.id)).await; // same name, other parent: fine
    let dup = categories::create(
        &f.db,
        &NewCategory {
            name: "child".into(),
            description: String::new(),
            parent_id: Some(a.id),
        },
    )
    .await;
    assert_eq!(code(dup), ErrorCode::Conflict);
    let updated = categories::update(
        &f.db,
        &UpdateCategory {
            id: a.id,
            update: CategoryUpdate {
                name: "Alpha".into(),
                description: "First".into(),
            },
        },
    )
    .await
    .expect("updated");
    assert_eq!(
        (updated.name.as_str(), updated.description.as_str()),
        ("Alpha", "First")
    );
    assert_eq!(
        code(
            categories::update(
                &f.db,
                &UpdateCategory {
                    id: a.id,
                    update: CategoryUpdate {
                        name: "".into(),
                        description: String::new()
                    }
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(
            categories::update(
                &f.db,
                &UpdateCategory {
                    id: a.id,
                    update: CategoryUpdate {
                        name: "B".into(),
                        description: String::new()
                    }
                }
            )
            .await
        ),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn deleting_a_category_needs_a_choice_when_it_is_not_empty() {
    let f = world().await;
    let top = f.category("Top", None).await;
    let doomed = f.category("Doomed", Some(top.id)).await;
    let inner = f.category("Inner", Some(doomed.id)).await;
    let mut input = PartInput::named("Orphan-to-be");
    input.category_id = Some(doomed.id);
    let part = f.part(input).await;

    let before = snapshot(&f.db).await;
    assert_eq!(
        code(
            categories::delete(
                &f.db,
                &DeleteCategory {
                    id: doomed.id,
                    contents: CategoryContentsGo::Nowhere
                }
            )
            .await
        ),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(
            categories::delete(
                &f.db,
                &DeleteCategory {
                    id: doomed.id,
                    contents: CategoryContentsGo::To(inner.id)
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(snapshot(&f.db).await, before);

    categories::delete(
        &f.db,
        &DeleteCategory {
            id: doomed.id,
            contents: CategoryContentsGo::ToParent,
        },
    )
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
    categories::delete(
        &f.db,
        &DeleteCategory {
            id: empty.id,
            contents: CategoryContentsGo::Nowhere,
        },
    )
    .await
    .expect("empty goes");
}

// ------------------------------------------------------------------ parts

#[tokio::test]
async fn parts_are_validated_and_rejections_change_nothing() {
    let f = world().await;
    let plain = f
        .part(PartInput {
            ipn: Some("R-1".into()),
            ..PartInput::named("Resistor")
        })
        .await;
    let before = snapshot(&f.db).await;
    let cases: Vec<(PartInput, ErrorCode)> = vec![
        (PartInput::named(""), ErrorCode::InvalidInput),
        (PartInput::named("x".repeat(201)), ErrorCode::InvalidInput),
        (
            PartInput {
                ipn: Some("r-1".into()),
                ..PartInput::named("Other")
            },
            ErrorCode::Conflict,
        ),
        (
            PartInput {
                category_id: Some(CategoryId(77)),
                ..PartInput::named("Lost")
            },
            ErrorCode::NotFound,
        ),
        (
            PartInput {
                variant_of: Some(plain.id),
                ..PartInput::named("Not a variant")
            },
            ErrorCode::InvalidInput,
        ),
        (
            PartInput {
                variant_of: Some(PartId(999)),
                ..PartInput::named("Ghost")
            },
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
        code(
            parts::update(
                &f.db,
                &UpdatePart {
                    id: PartId(4242),
                    input: PartInput::named("Nobody")
                }
            )
            .await
        ),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);
}

#[tokio::test]
async fn three_levels_of_variants_roll_up_into_the_template() {
    let f = world().await;
    let top = f
        .part(PartInput {
            is_template: true,
            ..PartInput::named("Resistor")
        })
        .await;
    let mid = f
        .part(PartInput {
            is_template: true,
            variant_of: Some(top.id),
            ..PartInput::named("Resistor 10k")
        })
        .await;
    let low = f
        .part(PartInput {
            is_template: true,
            variant_of: Some(mid.id),
            ..PartInput::named("Resistor 10k 0603")
        })
        .await;
    let leaf = f
        .part(PartInput {
            variant_of: Some(low.id),
            ..PartInput::named("Resistor 10k 0603 Yageo")
        })
        .await;
    f.add_item(leaf.id, "100").await;
    f.add_item(mid.id, "5").await;

    assert_eq!(stock_of(&f.db, leaf.id).await, q("100"));
    assert_eq!(stock_of(&f.db, low.id).await, q("100"));
    assert_eq!(stock_of(&f.db, mid.id).await, q("105"));
    assert_eq!(stock_of(&f.db, top.id).await, q("105"));

    // A loop is refused: the top template cannot become a variant of its own descendant.
    let looped = PartInput {
        is_template: true,
        variant_of: Some(low.id),
        ..PartInput::named("Resistor")
    };
    assert_eq!(
        code(
            parts::update(
                &f.db,
                &UpdatePart {
                    id: top.id,
                    input: looped
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    // A template with variants must stay one.
    assert_eq!(
        code(
            parts::update(
                &f.db,
                &UpdatePart {
                    id: low.id,
                    input: PartInput {
                        variant_of: Some(mid.id),
                        ..PartInput::named("Resistor 10k 0603")
                    }
                }
            )
            .await
        ),
        ErrorCode::Conflict
    );

    // Re-parenting a variant moves its stock between template chains.
    let other = f
        .part(PartInput {
            is_template: true,
            ..PartInput::named("Other template")
        })
        .await;
    parts::update(
        &f.db,
        &UpdatePart {
            id: leaf.id,
            input: PartInput {
                variant_of: Some(other.id),
                ..PartInput::named("Resistor 10k 0603 Yageo")
            },
        },
    )
    .await
    .expect("re-parented");
    assert_eq!(stock_of(&f.db, top.id).await, q("5"));
    assert_eq!(stock_of(&f.db, low.id).await, q("0"));
    assert_eq!(stock_of(&f.db, other.id).await, q("100"));
    let template = parts::get(&f.db, other.id).await.expect("template");
    assert_eq!(
        template.variants.iter().map(|v| v.id).collect::<Vec<_>>(),
        [leaf.id]
    );
}

#[tokio::test]
async fn low_means_strictly_below_a_nonzero_minimum() {
    let f = world().await;
    let p = f
        .part(PartInput {
            minimum_stock: q("10"),
            ..PartInput::named("Cap")
        })
        .await;
    let item = stock::add_item(
        &f.db,
        &NewStockItem {
            part_id: p.id,
            quantity: q("10"),
            location_id: Some(place(&f.db, "A1").await),
            batch: "B7".into(),
            reason: String::new(),
        },
    )
    .await
    .expect("stock");
    assert!(
        !parts::get(&f.db, p.id).await.expect("part").figures.is_low,
        "equal is not low"
    );
    stock::adjust(
        &f.db,
        &AdjustStock {
            item_id: item.id,
            adjustment: StockAdjustment::Remove(q("0.5")),
            reason: "Delivery".into(),
        },
    )
    .await
    .expect("removed");
    assert!(parts::get(&f.db, p.id).await.expect("part").figures.is_low);
    let zero_min = f.part(PartInput::named("No threshold")).await;
    assert!(
        !parts::get(&f.db, zero_min.id)
            .await
            .expect("part")
            .figures
            .is_low
    );
}

#[tokio::test]
async fn parts_that_are_referenced_cannot_be_deleted_and_say_why() {
    let f = world().await;
    let assembly = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("Board")
        })
        .await;
    let sub = f.part(PartInput::named("Chip")).await;
    bom::add_line(
        &f.db,
        &NewBomLine {
            assembly_id: assembly.id,
            sub_part_id: sub.id,
            quantity: q("1"),
            allow_variants: false,
        },
    )
    .await
    .expect("line");
    f.add_item(sub.id, "3").await;
    let err = parts::delete(&f.db, sub.id).await.expect_err("referenced");
    assert_eq!(err.code(), ErrorCode::Conflict);
    let message = err.to_string();
    assert!(
        message.contains("1 stock item(s)") && message.contains("use in 1 BOM(s)"),
        "{message}"
    );
    builds::create(
        &f.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: assembly.id,
            quantity: q("1"),
            responsible_id: None,
        },
    )
    .await
    .expect("build");
    assert!(parts::delete(&f.db, assembly.id)
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
    let item = stock::add_item(
        &f.db,
        &NewStockItem {
            part_id: p.id,
            quantity: q("50"),
            location_id: Some(place(&f.db, "Bin 1").await),
            batch: String::new(),
            reason: "Delivery".into(),
        },
    )
    .await
    .expect("item");
    stock::adjust(
        &f.db,
        &AdjustStock {
            item_id: item.id,
            adjustment: StockAdjustment::Add(q("5")),
            reason: "Delivery".into(),
        },
    )
    .await
    .expect("add");
    stock::adjust(
        &f.db,
        &AdjustStock {
            item_id: item.id,
            adjustment: StockAdjustment::Remove(q("15")),
            reason: "Delivery".into(),
        },
    )
    .await
    .expect("remove");
    let before = snapshot(&f.db).await;
    for bad in [
        StockAdjustment::Remove(q("41")),
        StockAdjustment::Remove(q("0")),
        StockAdjustment::Add(q("0")),
    ] {
        assert_eq!(
            code(
                stock::adjust(
                    &f.db,
                    &AdjustStock {
                        item_id: item.id,
                        adjustment: bad,
                        reason: "Delivery".into()
                    }
                )
                .await
            ),
            ErrorCode::InvalidInput
        );
    }
    assert_eq!(
        code(
            stock::adjust(
                &f.db,
                &AdjustStock {
                    item_id: StockItemId(999),
                    adjustment: StockAdjustment::Add(q("1")),
                    reason: "Delivery".into()
                }
            )
            .await
        ),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(stock::add_item(&f.db, &stock_in(PartId(999), "1")).await),
        ErrorCode::NotFound
    );
    assert_eq!(snapshot(&f.db).await, before);

    stock::adjust(
        &f.db,
        &AdjustStock {
            item_id: item.id,
            adjustment: StockAdjustment::Count(q("38")),
            reason: "Delivery".into(),
        },
    )
    .await
    .expect("count");
    assert_eq!(stock_of(&f.db, p.id).await, q("38"));
    let second = stock::add_item(
        &f.db,
        &NewStockItem {
            part_id: p.id,
            quantity: q("2"),
            location_id: Some(place(&f.db, "Bin 2").await),
            batch: String::new(),
            reason: String::new(),
        },
    )
    .await
    .expect("second");
    stock::delete_item(
        &f.db,
        &DeleteStock {
            item_id: item.id,
            reason: "Used up".into(),
        },
    )
    .await
    .expect("deleted");
    assert_eq!(stock_of(&f.db, p.id).await, q("2"));
    assert_eq!(
        stock::items(&f.db, p.id).await.expect("items"),
        vec![second]
    );

    let history = stock::history(
        &f.db,
        &StockHistoryRequest {
            part_id: p.id,
            limit: 100,
        },
    )
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
    let a = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("A")
        })
        .await;
    let b = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("B")
        })
        .await;
    let c = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("C")
        })
        .await;
    let plain = f.part(PartInput::named("Plain")).await;
    let line = |assembly: PartId, sub: PartId| NewBomLine {
        assembly_id: assembly,
        sub_part_id: sub,
        quantity: q("2"),
        allow_variants: false,
    };
    bom::add_line(&f.db, &line(a.id, b.id)).await.expect("a>b");
    bom::add_line(&f.db, &line(b.id, c.id)).await.expect("b>c");
    let before = snapshot(&f.db).await;
    assert_eq!(
        code(bom::add_line(&f.db, &line(c.id, a.id)).await),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(bom::add_line(&f.db, &line(a.id, a.id)).await),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(bom::add_line(&f.db, &line(plain.id, a.id)).await),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(bom::add_line(&f.db, &line(a.id, b.id)).await),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(
            bom::add_line(
                &f.db,
                &NewBomLine {
                    quantity: q("0"),
                    ..line(a.id, plain.id)
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(snapshot(&f.db).await, before);

    let added = bom::add_line(&f.db, &line(a.id, plain.id))
        .await
        .expect("a>plain");
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
    assert_eq!(bom::lines(&f.db, a.id).await.expect("lines").lines.len(), 2);
    bom::remove_line(&f.db, added.id).await.expect("removed");
    assert_eq!(bom::lines(&f.db, a.id).await.expect("lines").lines.len(), 1);
}

// ------------------------------------------------------------------ build orders

#[tokio::test]
async fn build_orders_reserve_stock_and_report_their_short_lines() {
    let f = World::empty().await;
    let me = users::current(&f.db, "Ada").await.expect("user");
    let board = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("Board")
        })
        .await;
    let chip = f.part(PartInput::named("Chip")).await;
    let cap = f
        .part(PartInput {
            is_template: true,
            ..PartInput::named("Cap")
        })
        .await;
    let cap_0603 = f
        .part(PartInput {
            variant_of: Some(cap.id),
            ..PartInput::named("Cap 0603")
        })
        .await;
    f.add_item(chip.id, "10").await;
    f.add_item(cap_0603.id, "100").await;
    bom::add_line(
        &f.db,
        &NewBomLine {
            assembly_id: board.id,
            sub_part_id: chip.id,
            quantity: q("1"),
            allow_variants: false,
        },
    )
    .await
    .expect("chip line");
    bom::add_line(
        &f.db,
        &NewBomLine {
            assembly_id: board.id,
            sub_part_id: cap.id,
            quantity: q("4"),
            allow_variants: true,
        },
    )
    .await
    .expect("cap line");

    assert_eq!(
        builds::suggest_reference(&f.db).await.expect("ref"),
        "BO-0001"
    );
    let first = builds::create(
        &f.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: board.id,
            quantity: q("6"),
            responsible_id: Some(me.id),
        },
    )
    .await
    .expect("first");
    assert_eq!(first.order.reference, "BO-0001");
    assert!(
        first.short_lines.is_empty(),
        "6 boards fit: {:?}",
        first.short_lines
    );
    assert_eq!(
        parts::get(&f.db, chip.id)
            .await
            .expect("chip")
            .figures
            .reserved,
        q("6")
    );
    assert_eq!(
        parts::get(&f.db, chip.id)
            .await
            .expect("chip")
            .figures
            .available,
        q("4")
    );

    // The second order sees what the first one reserves.
    let second = builds::create(
        &f.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: board.id,
            quantity: q("5"),
            responsible_id: None,
        },
    )
    .await
    .expect("second");
    assert_eq!(second.order.reference, "BO-0002");
    assert_eq!(
        second.short_lines,
        vec![ShortLine {
            part: PartRef {
                id: chip.id,
                name: "Chip".into()
            },
            required: q("5"),
            available: q("4")
        }]
    );

    // Cancelling the first releases its reservation.
    builds::set_status(
        &f.db,
        &SetBuildStatus {
            id: first.order.id,
            status: BuildStatus::Cancelled,
        },
    )
    .await
    .expect("cancelled");
    assert_eq!(
        parts::get(&f.db, chip.id)
            .await
            .expect("chip")
            .figures
            .reserved,
        q("5")
    );

    let before = snapshot(&f.db).await;
    let dup = NewBuildOrder {
        reference: "bo-0002".into(),
        part_id: board.id,
        quantity: q("1"),
        responsible_id: None,
    };
    assert_eq!(code(builds::create(&f.db, &dup).await), ErrorCode::Conflict);
    let zero = NewBuildOrder {
        reference: String::new(),
        part_id: board.id,
        quantity: q("0"),
        responsible_id: None,
    };
    assert_eq!(
        code(builds::create(&f.db, &zero).await),
        ErrorCode::InvalidInput
    );
    let not_assembly = NewBuildOrder {
        reference: String::new(),
        part_id: chip.id,
        quantity: q("1"),
        responsible_id: None,
    };
    assert_eq!(
        code(builds::create(&f.db, &not_assembly).await),
        ErrorCode::InvalidInput
    );
    let ghost_user = NewBuildOrder {
        reference: String::new(),
        part_id: board.id,
        quantity: q("1"),
        responsible_id: Some(UserId(99)),
    };
    assert_eq!(
        code(builds::create(&f.db, &ghost_user).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(
            builds::set_status(
                &f.db,
                &SetBuildStatus {
                    id: first.order.id,
                    status: BuildStatus::InProduction
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(
            builds::set_status(
                &f.db,
                &SetBuildStatus {
                    id: second.order.id,
                    status: BuildStatus::Complete
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(snapshot(&f.db).await, before);

    builds::set_status(
        &f.db,
        &SetBuildStatus {
            id: second.order.id,
            status: BuildStatus::InProduction,
        },
    )
    .await
    .expect("started");
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
        let p = f
            .part(PartInput {
                ipn: Some(ipn.into()),
                minimum_stock: q(min),
                category_id: (ipn.starts_with('R')).then_some(resistors.id),
                ..PartInput::named(name)
            })
            .await;
        f.add_item(p.id, stock_qty).await;
    }
    let names = |page: &Page<PartRow>| {
        page.items
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    };
    let all = parts::list(&f.db, &PartQuery::default())
        .await
        .expect("all");
    assert_eq!(
        names(&all),
        ["Capacitor 100% pure", "Resistor 10k", "Resistor 1k"]
    );
    let low = parts::list(
        &f.db,
        &PartQuery {
            low_only: true,
            ..PartQuery::default()
        },
    )
    .await
    .expect("low");
    assert_eq!(names(&low), ["Resistor 10k"]);
    assert!(low.items[0].is_low);
    let search = parts::list(
        &f.db,
        &PartQuery {
            search: "r-1k".into(),
            ..PartQuery::default()
        },
    )
    .await
    .expect("search");
    assert_eq!(names(&search), ["Resistor 1k"]);
    let percent = parts::list(
        &f.db,
        &PartQuery {
            search: "100%".into(),
            ..PartQuery::default()
        },
    )
    .await
    .expect("literal %");
    assert_eq!(names(&percent), ["Capacitor 100% pure"]);
    let by_stock = parts::list(
        &f.db,
        &PartQuery {
            sort: PartSort::InStock,
            descending: true,
            ..PartQuery::default()
        },
    )
    .await
    .expect("sorted");
    assert_eq!(
        names(&by_stock),
        ["Resistor 1k", "Resistor 10k", "Capacitor 100% pure"]
    );
    let page = parts::list(
        &f.db,
        &PartQuery {
            page: 1,
            page_size: 2,
            ..PartQuery::default()
        },
    )
    .await
    .expect("page 2");
    assert_eq!(
        (names(&page), page.total),
        (vec!["Resistor 1k".to_owned()], 3)
    );
    let in_category = parts::list(
        &f.db,
        &PartQuery {
            category_id: Some(resistors.id),
            ..PartQuery::default()
        },
    )
    .await
    .expect("category");
    assert_eq!(in_category.total, 2);
    assert_eq!(
        code(
            parts::list(
                &f.db,
                &PartQuery {
                    page_size: 0,
                    ..PartQuery::default()
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(
            parts::list(
                &f.db,
                &PartQuery {
                    page: -1,
                    ..PartQuery::default()
                }
            )
            .await
        ),
        ErrorCode::InvalidInput
    );
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
    let wrong: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM parts t WHERE t.is_template = 1 AND t.total_stock !=
            t.own_stock + COALESCE((SELECT SUM(v.total_stock) FROM parts v WHERE v.variant_of = t.id), 0)",
    )
    .fetch_one(f.db.pool())
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
        let item = stock::add_item(
            &f.db,
            &NewStockItem {
                batch: batch.into(),
                ..stock_in(p.id, quantity)
            },
        )
        .await
        .expect("stock item");
        items.push(item.id);
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
    assert_eq!(stock_of(&f.db, p.id).await, q("23"));
}

#[tokio::test]
async fn a_change_that_reads_first_survives_another_connection_committing_meanwhile() {
    // The delivery worker writes on its own connection at any moment. A
    // change reads (an item's quantity) before it writes; if another
    // connection commits in between, a deferred transaction fails with
    // "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout.
    let f = world().await;
    let p = f.part(PartInput::named("Washer")).await;
    let item = stock::add_item(&f.db, &stock_in(p.id, "10"))
        .await
        .expect("item");
    let mut tx = f.db.begin_write().await.expect("write transaction");
    let before: i64 = sqlx::query_scalar("SELECT quantity FROM stock_items WHERE id = ?")
        .bind(item.id)
        .fetch_one(&mut *tx)
        .await
        .expect("read");
    let pool = f.db.pool().clone();
    let other = tokio::spawn(async move {
        sqlx::query("UPDATE parts SET description = description || ' '")
            .execute(&pool)
            .await
            .map(|_| ())
    });
    // Give the other connection time to commit, were it allowed to.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    sqlx::query("UPDATE stock_items SET quantity = ? WHERE id = ?")
        .bind(before - 1000)
        .bind(item.id)
        .execute(&mut *tx)
        .await
        .expect("the write after the read goes through");
    tx.commit().await.expect("commit");
    other
        .await
        .expect("task")
        .expect("the other connection waited its turn");
    let after: i64 = sqlx::query_scalar("SELECT quantity FROM stock_items WHERE id = ?")
        .bind(item.id)
        .fetch_one(f.db.pool())
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
    let board = f
        .part(PartInput {
            is_assembly: true,
            ..PartInput::named("Board")
        })
        .await;
    let order = builds::create(
        &f.db,
        &NewBuildOrder {
            reference: String::new(),
            part_id: board.id,
            quantity: q("1"),
            responsible_id: None,
        },
    )
    .await
    .expect("order")
    .order;
    f.add_item(board.id, "3").await;
    let mut conn = f.db.pool().acquire().await.expect("connection");
    for sql in [
        "PRAGMA ignore_check_constraints = ON",
        "UPDATE build_orders SET status = 'on_hold'",
        "UPDATE stock_history SET kind = 'teleport'",
        "PRAGMA ignore_check_constraints = OFF",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.expect(sql);
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

    let err = stock::history(
        &f.db,
        &StockHistoryRequest {
            part_id: board.id,
            limit: 10,
        },
    )
    .await
    .expect_err("unknown stock change");
    let message = err.to_string();
    assert!(
        message.contains("stock change") && message.contains("teleport"),
        "{message}"
    );
}
