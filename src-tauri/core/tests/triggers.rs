//! The notification rules of docs/notifications.md, one by one, against
//! a real SQLite file: who is told, when, exactly once, and why.

use partwatch_core::inventory::{parts, stock, users};
use partwatch_core::notifications::{self, Announcement};
use partwatch_core::{settings, subscriptions};
use partwatch_types::inventory::*;
use partwatch_types::notifications::*;
use partwatch_types::{ErrorCode, Quantity};

mod support;
use support::{adjustment, line, order, q, world, PartInputExt, World};

impl World {
    async fn opt_into_back_in_stock(&self, user: UserId) {
        let on = PersonalChannel::ALL.map(|channel| (NotificationKind::BackInStock, channel, true));
        self.prefer(user, &on).await;
    }

    /// Every notification of `user`, oldest first, as (kind, part, reason).
    async fn told(&self, user: UserId) -> Vec<(NotificationKind, Option<PartId>, String)> {
        let mut all = Vec::new();
        for folder in [Folder::Inbox, Folder::History] {
            all.extend(
                notifications::list(
                    &self.db,
                    user,
                    &NotificationQuery {
                        folder,
                        limit: 500,
                        ..NotificationQuery::default()
                    },
                )
                .await
                .expect("list"),
            );
        }
        all.sort_by_key(|n| n.id);
        all.into_iter()
            .map(|n| {
                let part = match n.target {
                    NotificationTarget::Part(p) => Some(p),
                    _ => None,
                };
                (n.kind, part, n.reason)
            })
            .collect()
    }

    /// The template "Resistor 10k" (minimum 100) and its variants 0603
    /// (minimum 50) and 0805 (none), holding `stock`; returns the template
    /// and each variant's (part, item).
    async fn resistors(&self, stock: [&str; 2]) -> (PartId, [(PartId, StockItemId); 2]) {
        let template = self.template("Resistor 10k", "100").await;
        let v1 = self
            .stocked("Resistor 10k 0603", "50", stock[0], None, Some(template))
            .await;
        let v2 = self
            .stocked("Resistor 10k 0805", "0", stock[1], None, Some(template))
            .await;
        (template, [v1, v2])
    }

    async fn low_alerts(&self, user: UserId) -> usize {
        self.told(user)
            .await
            .iter()
            .filter(|(k, _, _)| *k == NotificationKind::LowStock)
            .count()
    }
}

// ------------------------------------------------------------------ thresholds

#[tokio::test]
async fn the_threshold_is_strict_and_zero_means_none() {
    // (minimum, start, removals, alerts expected after each removal)
    let table: &[(&str, &str, &[&str], &[usize])] = &[
        ("10", "12", &["2", "1"], &[0, 1]), // equal to the minimum is not low; below is
        ("10", "12", &["3", "1", "5"], &[1, 1, 1]), // no second alert while staying low
        ("0", "5", &["5"], &[0]),           // minimum 0 never fires
        ("0.5", "1", &["0.25", "0.25", "0.001"], &[0, 0, 1]), // decimals
    ];
    for (minimum, start, removals, expected) in table {
        let w = world().await;
        let (part, item) = w.stocked("Part", minimum, start, None, None).await;
        w.watch_part(w.me, part).await;
        for (removal, want) in removals.iter().zip(expected.iter()) {
            w.remove(item, removal).await;
            assert_eq!(
                w.low_alerts(w.me).await,
                *want,
                "minimum {minimum}, start {start}, after removing {removal}"
            );
        }
    }
}

#[tokio::test]
async fn a_batch_alerts_exactly_as_the_same_changes_one_by_one() {
    let w = world().await;
    let (a, item_a) = w.stocked("A", "10", "12", None, None).await;
    let (b, item_b) = w.stocked("B", "10", "12", None, None).await;
    let (c, item_c) = w.stocked("C", "10", "30", None, None).await;
    for part in [a, b, c] {
        w.watch_part(w.me, part).await;
    }
    let batch = [
        (item_a, StockAdjustment::Remove(q("3"))),
        (item_b, StockAdjustment::Count(q("10"))),
        (item_c, StockAdjustment::Remove(q("25"))),
    ];
    stock::adjust_many(&w.db, &batch, "stock-take")
        .await
        .expect("batch");
    let alerted: Vec<_> = w.told(w.me).await.into_iter().map(|t| t.1).collect();
    assert_eq!(alerted, [Some(a), Some(c)], "B sits exactly at its minimum");
    assert_eq!(
        w.count("SELECT COUNT(*) FROM stock_history WHERE reason = 'stock-take'")
            .await,
        3
    );
    assert_eq!(w.figures(c).await.in_stock, q("5"));
}

/// A template with two variants and a plain part, everyone watching; each
/// world gets the same ids, so two worlds can be compared.
async fn template_world() -> (World, [PartId; 4], [StockItemId; 3]) {
    let w = world().await;
    let back = w.user("Bea").await;
    w.opt_into_back_in_stock(back).await;
    let (template, [(v1, item1), (v2, item2)]) = w.resistors(["60", "60"]).await;
    let (plain, item3) = w.stocked("Washer", "10", "5", None, None).await;
    for user in [w.me, back] {
        w.watch_part(user, template).await;
        w.watch_part(user, plain).await;
    }
    (w, [template, v1, v2, plain], [item1, item2, item3])
}

#[tokio::test]
async fn a_batch_over_a_variant_tree_tells_the_same_as_one_change_at_a_time() {
    // The template holds 120 (minimum 100); the washer is low (5 < 10).
    // V1 60 → 40 (below its 50), V2 60 → 50: the template falls to 90, low;
    // the washer is counted at 12: back in stock.
    let batch_of = |items: [StockItemId; 3]| {
        [
            (items[0], StockAdjustment::Remove(q("20"))),
            (items[1], StockAdjustment::Remove(q("10"))),
            (items[2], StockAdjustment::Count(q("12"))),
        ]
    };
    let (batched, ids, items) = template_world().await;
    stock::adjust_many(&batched.db, &batch_of(items), "stock-take")
        .await
        .expect("batch");
    let (one_by_one, same_ids, same_items) = template_world().await;
    assert_eq!((ids, items), (same_ids, same_items));
    for (item, adjustment) in batch_of(items) {
        one_by_one.adjust(item, adjustment, "stock-take").await;
    }
    let [template, v1, _, plain] = ids;
    let bea = UserId(batched.me.get() + 1);
    for user in [batched.me, bea] {
        assert_eq!(
            batched.told(user).await,
            one_by_one.told(user).await,
            "user {user}"
        );
    }
    assert_eq!(
        batched.told(bea).await,
        vec![
            (
                NotificationKind::LowStock,
                Some(v1),
                "you watch template Resistor 10k".to_owned()
            ),
            (
                NotificationKind::LowStock,
                Some(template),
                "you watch this part".to_owned()
            ),
            (
                NotificationKind::BackInStock,
                Some(plain),
                "you watch this part".to_owned()
            ),
        ]
    );
    for world in [&batched, &one_by_one] {
        assert_eq!(world.figures(template).await.in_stock, q("90"));
        assert_eq!(
            world
                .count("SELECT COUNT(*) FROM parts WHERE alert_low = TRUE")
                .await,
            2,
            "the template and V1 are low, the washer is not"
        );
    }
}

#[tokio::test]
async fn recovery_re_arms_and_a_second_drop_alerts_again() {
    let w = world().await;
    let (_, item) = w.watched_part("Cap", &[w.me]).await;
    w.remove(item, "15").await;
    assert_eq!(w.low_alerts(w.me).await, 1);
    w.add(item, "20").await; // 25: ok again
    assert_eq!(w.low_alerts(w.me).await, 1, "recovering is not an alert");
    w.remove(item, "16").await; // 9: low again
    assert_eq!(w.low_alerts(w.me).await, 2);
    // Count, and deleting the item, are changes too.
    w.add(item, "10").await;
    w.adjust(item, StockAdjustment::Count(q("3")), "counted")
        .await;
    assert_eq!(w.low_alerts(w.me).await, 3);
    w.add(item, "30").await;
    stock::delete_item(
        &w.db,
        &DeleteStock {
            item_id: item,
            reason: "scrapped".into(),
        },
    )
    .await
    .expect("deleted");
    assert_eq!(
        w.low_alerts(w.me).await,
        3,
        "to nothing: out of stock, not low"
    );
    assert_eq!(
        w.told(w.me).await.last().map(|t| t.0),
        Some(NotificationKind::OutOfStock)
    );
}

// ------------------------------------------------------------------ out of stock

/// Moves of stock, each with what it tells.
type Steps = &'static [(i32, &'static [NotificationKind])];

#[tokio::test]
async fn out_of_stock_is_its_own_critical_event_told_once_per_fall() {
    use NotificationKind::{BackInStock, LowStock, OutOfStock};
    // Minimum 10, starting at 20; each step moves the stock by the given
    // amount and adds what the watcher is told (back in stock opted into).
    let table: &[(&str, Steps)] = &[
        (
            "ok straight to zero: one critical notice, not two",
            &[(-20, &[OutOfStock])],
        ),
        ("low, then out", &[(-15, &[LowStock]), (-5, &[OutOfStock])]),
        (
            "out, a little back (still low), out again",
            &[(-20, &[OutOfStock]), (3, &[]), (-3, &[OutOfStock])],
        ),
        (
            "out, then back at the minimum",
            &[(-20, &[OutOfStock]), (10, &[BackInStock])],
        ),
        (
            "out, back, out again",
            &[
                (-20, &[OutOfStock]),
                (20, &[BackInStock]),
                (-20, &[OutOfStock]),
            ],
        ),
        (
            "one short of zero is low, not out",
            &[(-19, &[LowStock]), (-1, &[OutOfStock])],
        ),
    ];
    for (case, steps) in table {
        let w = world().await;
        let (_, item) = w.watched_part("Fuse", &[w.me]).await;
        w.opt_into_back_in_stock(w.me).await;
        let mut expected = Vec::new();
        for (delta, told) in *steps {
            let amount = delta.unsigned_abs().to_string();
            if *delta < 0 {
                w.remove(item, &amount).await;
            } else {
                w.add(item, &amount).await;
            }
            expected.extend(told.iter().copied());
            let kinds: Vec<NotificationKind> =
                w.told(w.me).await.into_iter().map(|t| t.0).collect();
            assert_eq!(kinds, expected, "{case}: after {delta}");
        }
    }
}

#[tokio::test]
async fn critical_news_reaches_the_inbox_even_for_one_who_keeps_low_stock_out_of_it() {
    let w = world().await;
    let other = w.user("Grace").await;
    let (part, item) = w.watched_part("Fuse", &[w.me, other]).await;
    // Grace keeps stock news out of her inbox entirely.
    w.prefer(
        other,
        &[
            (NotificationKind::LowStock, PersonalChannel::InApp, false),
            (
                NotificationKind::OutOfStock,
                PersonalChannel::OsPopup,
                false,
            ),
            (NotificationKind::OutOfStock, PersonalChannel::Email, false),
        ],
    )
    .await;
    let refused = partwatch_core::preferences::update_mine(
        &w.db,
        other,
        &[Preference {
            event: NotificationKind::OutOfStock,
            channel: PersonalChannel::InApp,
            enabled: false,
        }],
    )
    .await
    .expect_err("critical news cannot leave the inbox");
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert!(
        refused.to_string().contains("always reaches the inbox"),
        "{refused}"
    );
    w.remove(item, "20").await;
    assert_eq!(w.unread(other).await, 1, "in her inbox, on the badge");
    assert_eq!(
        w.told(other).await,
        vec![(
            NotificationKind::OutOfStock,
            Some(part),
            "you watch this part".to_owned()
        )]
    );
    let inbox = notifications::list(
        &w.db,
        other,
        &NotificationQuery {
            folder: Folder::Inbox,
            ..NotificationQuery::default()
        },
    )
    .await
    .expect("inbox");
    assert_eq!(inbox[0].title, "Out of stock: Fuse");
    assert_eq!(inbox[0].body, "Fuse has 0 pcs left; its minimum is 10 pcs.");
    // Back above the minimum resolves it, as it does a low-stock notice.
    w.add(item, "20").await;
    assert_eq!(w.unread(other).await, 0, "resolved when back in stock");
}

#[tokio::test]
async fn a_part_born_empty_is_out_silently_and_its_next_fall_to_nothing_is_told() {
    let w = world().await;
    // Created with a minimum and no stock: already out, silently.
    let part = w.part(PartInput::named("Relay").minimum("5")).await.id;
    w.watch_part(w.me, part).await;
    assert_eq!(
        w.count(&format!(
            "SELECT COUNT(*) FROM parts WHERE id = {part} AND alert_out = TRUE"
        ))
        .await,
        1
    );
    let item = w.add_item(part, "2").await; // out → low: nothing new to tell
    assert!(w.told(w.me).await.is_empty());
    w.remove(item, "2").await; // low → out: critical
    assert_eq!(w.told(w.me).await.len(), 1);
    assert_eq!(w.told(w.me).await[0].0, NotificationKind::OutOfStock);
}

#[tokio::test]
async fn back_in_stock_only_for_those_who_opted_in() {
    let w = world().await;
    let other = w.user("Grace").await;
    let (part, item) = w.stocked("Cap", "10", "5", None, None).await; // created low: no alert
    w.watch_part(w.me, part).await;
    w.watch_part(other, part).await;
    w.opt_into_back_in_stock(other).await;
    w.add(item, "10").await;
    assert!(w.told(w.me).await.is_empty());
    assert_eq!(
        w.told(other).await,
        vec![(
            NotificationKind::BackInStock,
            Some(part),
            "you watch this part".to_owned()
        )]
    );
}

// ------------------------------------------------------------------ who is told, and why

#[tokio::test]
async fn a_template_covers_its_variants_but_a_variant_does_not_cover_its_template() {
    let w = world().await;
    let template_watcher = w.user("Tess").await;
    let variant_watcher = w.user("Vic").await;
    let (template, [(variant, item), _]) = w.resistors(["150", "10"]).await;
    w.watch_part(template_watcher, template).await;
    w.watch_part(variant_watcher, variant).await;

    // 160 in the template: fine. The variant drops to 40 (< 50), the template to 50 (< 100).
    w.remove(item, "110").await;
    let tess = w.told(template_watcher).await;
    assert_eq!(
        tess,
        vec![
            (
                NotificationKind::LowStock,
                Some(variant),
                "you watch template Resistor 10k".to_owned()
            ),
            (
                NotificationKind::LowStock,
                Some(template),
                "you watch this part".to_owned()
            ),
        ]
    );
    let vic = w.told(variant_watcher).await;
    assert_eq!(
        vic,
        vec![(
            NotificationKind::LowStock,
            Some(variant),
            "you watch this part".to_owned()
        )]
    );
    // The template's own low state came from its variants' stock.
    assert!(w.figures(template).await.is_low);
}

#[tokio::test]
async fn twelve_levels_of_categories_pass_the_alert_down_with_the_nearest_reason() {
    let w = world().await;
    let far = w.user("Far").await;
    let both = w.user("Both").await;
    let mut chain = Vec::new();
    let mut parent = None;
    for level in 0..12 {
        let id = w.category(&format!("Level {level}"), parent).await.id;
        chain.push(id);
        parent = Some(id);
    }
    w.watch_category(far, chain[0]).await;
    w.watch_category(both, chain[0]).await;
    w.watch_category(both, chain[9]).await;
    let (part, item) = w
        .stocked("Deep part", "10", "10", Some(chain[11]), None)
        .await;
    w.remove(item, "1").await;
    assert_eq!(
        w.told(far).await,
        vec![(
            NotificationKind::LowStock,
            Some(part),
            "you watch category Level 0".to_owned()
        )]
    );
    assert_eq!(
        w.told(both).await,
        vec![(
            NotificationKind::LowStock,
            Some(part),
            "you watch category Level 9".to_owned()
        )]
    );

    // The bell tells the same story.
    let status = subscriptions::part_status(&w.db, both, part)
        .await
        .expect("status");
    assert!(!status.direct);
    assert_eq!(
        status.via,
        Some(CoveredVia::Category {
            category: CategoryRef {
                id: chain[9],
                name: "Level 9".into()
            }
        })
    );
    let cat = subscriptions::category_status(&w.db, far, chain[11])
        .await
        .expect("status");
    assert_eq!((cat.direct, cat.via.is_some()), (false, true));
}

#[tokio::test]
async fn a_direct_subscription_beats_template_and_category_and_nobody_is_told_twice() {
    let w = world().await;
    let cat = w.category("Resistors", None).await.id;
    let template = w
        .part(PartInput::named("R").template().in_category(cat))
        .await
        .id;
    let (variant, item) = w
        .stocked("R 0603", "10", "10", Some(cat), Some(template))
        .await;
    w.watch_category(w.me, cat).await;
    w.watch_part(w.me, template).await;
    w.watch_part(w.me, variant).await;
    w.remove(item, "1").await;
    assert_eq!(
        w.told(w.me).await,
        vec![(
            NotificationKind::LowStock,
            Some(variant),
            "you watch this part".to_owned()
        )]
    );
    subscriptions::set_part(&w.db, w.me, variant, false)
        .await
        .expect("unsubscribed");
    let status = subscriptions::part_status(&w.db, w.me, variant)
        .await
        .expect("status");
    assert_eq!(
        status.via,
        Some(CoveredVia::Template {
            part: PartRef {
                id: template,
                name: "R".into()
            }
        })
    );
    let mine = subscriptions::of_user(&w.db, w.me).await.expect("mine");
    assert_eq!((mine.parts.len(), mine.categories.len()), (1, 1));
}

#[tokio::test]
async fn inactive_parts_and_inactive_users_get_nothing() {
    let w = world().await;
    let sleeper = w.user("Sleeper").await;
    let (part, item) = w.watched_part("Old part", &[w.me, sleeper]).await;
    users::set_active(
        &w.db,
        &SetUserActive {
            id: sleeper,
            active: false,
        },
    )
    .await
    .expect("deactivated");
    let mut input = PartInput {
        active: false,
        ..PartInput::named("Old part").minimum("10")
    };
    w.update_part(part, input.clone()).await;
    w.remove(item, "15").await;
    assert!(w.told(w.me).await.is_empty(), "inactive parts never notify");
    // Reactivating a low part is a transition: now it notifies (the active user only).
    input.active = true;
    w.update_part(part, input).await;
    assert_eq!(w.low_alerts(w.me).await, 1);
    assert!(
        w.told(sleeper).await.is_empty(),
        "inactive users get nothing"
    );
}

#[tokio::test]
async fn subscribing_while_low_does_not_notify_retroactively() {
    let w = world().await;
    let (part, item) = w.stocked("Part", "10", "20", None, None).await;
    w.remove(item, "15").await; // low, nobody watching
    w.watch_part(w.me, part).await;
    w.remove(item, "1").await;
    assert!(w.told(w.me).await.is_empty());
    w.add(item, "20").await;
    w.remove(item, "20").await;
    assert_eq!(
        w.low_alerts(w.me).await,
        1,
        "the next ok -> low transition does"
    );
}

#[tokio::test]
async fn minimum_edits_and_variant_re_parenting_move_the_condition() {
    let w = world().await;
    let (part, _) = w.stocked("Part", "0", "20", None, None).await;
    w.watch_part(w.me, part).await;
    w.update_part(part, PartInput::named("Part").minimum("20"))
        .await;
    assert_eq!(w.low_alerts(w.me).await, 0, "20 of 20 is not low");
    w.update_part(part, PartInput::named("Part").minimum("25"))
        .await;
    assert_eq!(w.low_alerts(w.me).await, 1);

    // Moving a variant away from a template can take the template below its minimum.
    let template = w.template("T", "10").await;
    let (variant, _) = w.stocked("V", "0", "15", None, Some(template)).await;
    w.watch_part(w.me, template).await;
    w.update_part(variant, PartInput::named("V")).await;
    assert_eq!(w.told(w.me).await.last().map(|t| t.1), Some(Some(template)));
}

// ------------------------------------------------------------------ build orders

#[tokio::test]
async fn a_short_build_tells_the_assembly_watchers_and_the_responsible_user_once() {
    let w = world().await;
    let watcher = w.user("Watcher").await;
    let lead = w.user("Lead").await;
    let board = w.assembly("Board").await;
    let (chip, _) = w.stocked("Chip", "0", "10", None, None).await;
    let (screw, _) = w.stocked("Screw", "0", "1000", None, None).await;
    w.add_line(line(board, chip, "2")).await;
    w.add_line(line(board, screw, "4")).await;
    w.watch_part(watcher, board).await;
    w.watch_part(lead, board).await;
    let led_by_lead = |quantity| NewBuildOrder {
        responsible_id: Some(lead),
        ..order(board, quantity)
    };

    let first = w.build(led_by_lead("4")).await;
    assert!(first.short_lines.is_empty());
    assert!(
        w.told(watcher).await.is_empty(),
        "a build that can be covered tells nobody"
    );

    // The second order sees the 8 chips the first one reserves: 2 available, 4 required.
    let second = w.build(led_by_lead("2")).await;
    assert_eq!(second.short_lines.len(), 1);
    let watcher_told = notifications::list(&w.db, watcher, &NotificationQuery::default())
        .await
        .expect("list");
    assert_eq!(watcher_told.len(), 1);
    let n = &watcher_told[0];
    assert_eq!(n.kind, NotificationKind::BuildShortage);
    assert_eq!(n.title, "Stock required for build order BO-0002");
    assert!(
        n.body.contains("Chip: required 4, available 2"),
        "{}",
        n.body
    );
    assert!(!n.body.contains("Screw"), "{}", n.body);
    assert_eq!(n.target, NotificationTarget::BuildOrder(second.order.id));
    let lead_told = w.told(lead).await;
    assert_eq!(lead_told.len(), 1, "subscribed and responsible: told once");
    assert_eq!(lead_told[0].2, "you are responsible for build BO-0002");
}

// ------------------------------------------------------------------ settings

#[tokio::test]
async fn switched_off_settings_create_nothing() {
    for off in ["everything", "low stock", "build orders"] {
        let w = world().await;
        let mut global = GlobalSettings::default();
        match off {
            "everything" => global.notifications_enabled = false,
            "low stock" => global.low_stock_enabled = false,
            _ => global.build_orders_enabled = false,
        }
        settings::update_global(&w.db, &global)
            .await
            .expect("settings");
        let board = w.assembly("Board").await;
        let (chip, item) = w.stocked("Chip", "5", "6", None, None).await;
        w.add_line(line(board, chip, "10")).await;
        w.watch_part(w.me, board).await;
        w.watch_part(w.me, chip).await;
        w.remove(item, "2").await;
        w.build(order(board, "1")).await;
        let kinds: Vec<_> = w.told(w.me).await.into_iter().map(|t| t.0).collect();
        let expected = match off {
            "everything" => vec![],
            "low stock" => vec![NotificationKind::BuildShortage],
            _ => vec![NotificationKind::LowStock],
        };
        assert_eq!(kinds, expected, "with {off} off");
    }
}

#[tokio::test]
async fn retention_is_bounded_and_purges_old_notifications() {
    let w = world().await;
    for days in [6, 3651, -1] {
        let bad = GlobalSettings {
            delete_after_days: days,
            ..GlobalSettings::default()
        };
        assert_eq!(
            settings::update_global(&w.db, &bad)
                .await
                .expect_err("bounded")
                .code(),
            ErrorCode::InvalidInput
        );
    }
    assert_eq!(
        settings::global(&w.db)
            .await
            .expect("settings")
            .delete_after_days,
        30
    );
    let (_, item) = w.watched_part("Part", &[w.me]).await;
    w.remove(item, "15").await;
    w.add(item, "15").await;
    w.remove(item, "15").await;
    assert_eq!(w.low_alerts(w.me).await, 2);
    partwatch_core::sql::query(
        "UPDATE notifications SET created_at = $1 WHERE id = (SELECT MIN(id) FROM notifications)",
    )
    .bind(partwatch_core::clock::days_ago(31))
    .execute(&w.db)
    .await
    .expect("age one");
    assert_eq!(notifications::purge_expired(&w.db).await.expect("purge"), 1);
    assert_eq!(w.low_alerts(w.me).await, 1);
}

// ------------------------------------------------------------------ store, outbox, announcements

#[tokio::test]
async fn the_inbox_and_history_follow_read_unread_and_delete() {
    let w = world().await;
    let other = w.user("Other").await;
    let mut items = Vec::new();
    for n in 0..3 {
        let (_, item) = w.watched_part(&format!("Part {n}"), &[w.me, other]).await;
        items.push(item);
    }
    for item in &items {
        w.remove(*item, "15").await;
    }
    assert_eq!(w.unread(w.me).await, 3);
    let inbox = notifications::list(&w.db, w.me, &NotificationQuery::default())
        .await
        .expect("inbox");
    let ids: Vec<NotificationId> = inbox.iter().map(|n| n.id).collect();
    assert!(ids.windows(2).all(|p| p[0] > p[1]), "newest first");
    assert_eq!(
        notifications::mark(&w.db, w.me, &ids[..1], true)
            .await
            .expect("read"),
        1
    );
    assert_eq!(w.unread(w.me).await, 2);
    let history = notifications::list(
        &w.db,
        w.me,
        &NotificationQuery {
            folder: Folder::History,
            ..NotificationQuery::default()
        },
    )
    .await
    .expect("history");
    assert_eq!(history.iter().map(|n| n.id).collect::<Vec<_>>(), ids[..1]);
    assert!(history[0].read_at.is_some());
    notifications::mark(&w.db, w.me, &ids[..1], false)
        .await
        .expect("unread");
    assert_eq!(w.unread(w.me).await, 3);

    // Someone else's notification cannot be touched, and the whole call changes nothing.
    let theirs = notifications::list(&w.db, other, &NotificationQuery::default())
        .await
        .expect("theirs")[0]
        .id;
    let err = notifications::mark(&w.db, w.me, &[ids[0], theirs], true)
        .await
        .expect_err("foreign");
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(w.unread(w.me).await, 3);
    assert_eq!(
        notifications::delete(&w.db, w.me, &[theirs])
            .await
            .expect_err("foreign")
            .code(),
        ErrorCode::NotFound
    );

    assert_eq!(
        notifications::mark_all_read(&w.db, w.me)
            .await
            .expect("all read"),
        3
    );
    assert_eq!(
        notifications::delete(&w.db, w.me, &ids[..1])
            .await
            .expect("delete one"),
        1
    );
    assert_eq!(
        notifications::delete_history(&w.db, w.me)
            .await
            .expect("delete all"),
        2
    );
    assert!(w.told(w.me).await.is_empty());
    assert_eq!(w.unread(other).await, 3, "others keep theirs");
    let low_only = NotificationQuery {
        kind: Some(NotificationKind::BuildShortage),
        ..NotificationQuery::default()
    };
    assert!(notifications::list(&w.db, other, &low_only)
        .await
        .expect("filtered")
        .is_empty());
}

#[tokio::test]
async fn deliveries_follow_each_users_channels_and_commits_are_announced() {
    let w = world().await;
    let other = w.user("Other").await;
    let mut announcements = w.db.announcements();
    let (_, item) = w.watched_part("Part", &[w.me, other]).await;
    w.remove(item, "15").await;
    // The popup is for this desktop's user only (on a team database one for
    // each, every desktop showing its own person's); email is off until configured.
    let popups_for = if w.db.is_postgres() { 2 } else { 1 };
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'os_popup'")
            .await,
        popups_for
    );
    assert_eq!(
        w.count(&format!("SELECT COUNT(*) FROM deliveries o JOIN notifications n ON n.id = o.notification_id WHERE n.user_id = {}", w.me)).await,
        1
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email'")
            .await,
        0
    );
    let announced = announcements.try_recv().expect("announced after commit");
    let Announcement::Notifications { users, created } = announced else {
        panic!("not a notifications announcement: {announced:?}");
    };
    assert_eq!(users, {
        let mut u = vec![w.me, other];
        u.sort();
        u
    });
    assert_eq!(created.len(), 2);

    // With email on and popups off for me: email rows for users with an address.
    partwatch_core::sql::query("UPDATE global_settings SET email_enabled = TRUE")
        .execute(&w.db)
        .await
        .expect("email on");
    w.prefer(
        w.me,
        &[(NotificationKind::LowStock, PersonalChannel::OsPopup, false)],
    )
    .await;
    w.add(item, "15").await;
    w.remove(item, "15").await;
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'os_popup'")
            .await,
        // No new popup for me; on a team database a second one for Other.
        popups_for + i64::from(w.db.is_postgres())
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND status = 'pending'")
            .await,
        1,
        "only Other has an address"
    );
    let skipped: Vec<(String, String)> = partwatch_core::sql::query_as(
        "SELECT recipient, last_error FROM deliveries WHERE channel = 'email' AND status = 'skipped'",
    )
    .fetch_all(&w.db)
    .await
    .expect("skipped rows");
    assert_eq!(
        skipped.len(),
        1,
        "the user without an address is logged as skipped"
    );
    assert_eq!(skipped[0].1, "Has no email address.");
    let pending: String = partwatch_core::sql::query_scalar(
        "SELECT recipient FROM deliveries WHERE channel = 'email' AND status = 'pending'",
    )
    .fetch_one(&w.db)
    .await
    .expect("pending row");
    assert_eq!(pending, "Other <other@lab.example>");
}

#[tokio::test]
async fn a_failure_after_the_notification_insert_rolls_back_the_stock_change_too() {
    let w = world().await;
    let (part, item) = w.watched_part("Part", &[w.me]).await;
    // Inject a failure that fires right after a notification row is written.
    let injected: &[&str] = if w.db.is_postgres() {
        &[
            "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
            "CREATE TRIGGER injected_failure AFTER INSERT ON notifications
             FOR EACH ROW EXECUTE FUNCTION injected_failure()",
        ]
    } else {
        &[
            "CREATE TRIGGER injected_failure AFTER INSERT ON notifications
           BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ]
    };
    for statement in injected {
        partwatch_core::sql::query(*statement)
            .execute(&w.db)
            .await
            .expect("trigger");
    }
    let mut announcements = w.db.announcements();
    let go_low = adjustment(item, StockAdjustment::Remove(q("15")), "used");
    let err = stock::adjust(&w.db, &go_low).await.expect_err("fails");
    assert_eq!(err.code(), ErrorCode::Database);
    assert_eq!(
        stock::items(&w.db, part).await.expect("items")[0].quantity,
        q("20"),
        "the stock change did not survive"
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM notifications").await, 0);
    assert_eq!(w.count("SELECT COUNT(*) FROM deliveries").await, 0);
    assert_eq!(
        w.count("SELECT COUNT(*) FROM parts WHERE alert_low = TRUE")
            .await,
        0,
        "the alert state did not move"
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM stock_history WHERE kind = 'remove'")
            .await,
        0
    );
    assert!(
        announcements.try_recv().is_err(),
        "nothing is announced for a rollback"
    );

    partwatch_core::sql::query(if w.db.is_postgres() {
        "DROP TRIGGER injected_failure ON notifications"
    } else {
        "DROP TRIGGER injected_failure"
    })
    .execute(&w.db)
    .await
    .expect("drop");
    w.remove(item, "15").await;
    assert_eq!(
        w.low_alerts(w.me).await,
        1,
        "the same change, retried, alerts once"
    );
}

// ------------------------------------------------------------------ property

/// Random sequences of stock changes, minimum edits, subscriptions and
/// re-parenting. After each step: the stored alert state equals a from-scratch
/// recomputation, and alerts were created only for parts that went ok -> low
/// in that step, at most one per (user, part).
#[tokio::test]
async fn incremental_alert_states_match_a_recomputation_under_random_changes() {
    for seed in [1_u64, 7, 42, 1234] {
        let w = world().await;
        let mut rng = seed;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let users = [w.me, w.user("U1").await, w.user("U2").await];
        let root = w.category("Root", None).await.id;
        let child = w.category("Child", Some(root)).await.id;
        let template_in = |name: &str, minimum: &str, category| {
            PartInput::named(name)
                .template()
                .minimum(minimum)
                .in_category(category)
        };
        let t1 = w.part(template_in("T1", "30", root)).await.id;
        let t2 = w.part(template_in("T2", "20", child)).await.id;
        // A part's edit as the form sends it: in the child category.
        let edited = |name: String, minimum: Quantity, template: Option<PartId>| PartInput {
            minimum_stock: minimum,
            variant_of: template,
            ..PartInput::named(name).in_category(child)
        };
        let mut variants = Vec::new();
        for n in 0..4 {
            let (p, item) = w
                .stocked(
                    &format!("V{n}"),
                    "10",
                    "15",
                    Some(child),
                    Some(if n % 2 == 0 { t1 } else { t2 }),
                )
                .await;
            variants.push((p, item));
        }
        for n in 0..2 {
            variants.push(
                w.stocked(&format!("Plain {n}"), "10", "15", Some(root), None)
                    .await,
            );
        }
        let all_parts = [
            t1,
            t2,
            variants[0].0,
            variants[1].0,
            variants[2].0,
            variants[3].0,
        ];
        for _step in 0..120 {
            let before: Vec<(i64, bool)> =
                partwatch_core::sql::query_as("SELECT id, alert_low FROM parts ORDER BY id")
                    .fetch_all(&w.db)
                    .await
                    .expect("states");
            let last_id: i64 =
                partwatch_core::sql::query_scalar("SELECT COALESCE(MAX(id), 0) FROM notifications")
                    .fetch_one(&w.db)
                    .await
                    .expect("max");
            let (part, item) = variants[next(6) as usize];
            match next(8) {
                6 | 7 => {
                    // A batch over two or three distinct items (set-based path),
                    // sometimes with one removal too many (nothing must land).
                    let first = next(6) as usize;
                    let mut batch = Vec::new();
                    for k in 0..(2 + next(2) as usize) {
                        let (_, it) = variants[(first + k) % 6];
                        let amount = q(&format!("{}", next(12) + 1));
                        batch.push((
                            it,
                            if next(2) == 0 {
                                StockAdjustment::Remove(amount)
                            } else {
                                StockAdjustment::Add(amount)
                            },
                        ));
                    }
                    let _ = stock::adjust_many(&w.db, &batch, "batch").await;
                }
                0 | 1 => {
                    // May be more than there is: refused, and that is fine.
                    let amount = q(&format!("{}", next(12) + 1));
                    let removal = adjustment(item, StockAdjustment::Remove(amount), "");
                    let _ = stock::adjust(&w.db, &removal).await;
                }
                2 => w.add(item, &format!("{}", next(12) + 1)).await,
                3 => {
                    let min = q(&format!("{}", next(25)));
                    let current = parts::get(&w.db, part).await.expect("part");
                    let template = current.variant_of.map(|v| v.id);
                    w.update_part(part, edited(current.name, min, template))
                        .await;
                }
                4 => {
                    let user = users[next(3) as usize];
                    let target = all_parts[next(6) as usize];
                    let on = next(2) == 0;
                    subscriptions::set_part(&w.db, user, target, on)
                        .await
                        .expect("subscription");
                    if next(3) == 0 {
                        subscriptions::set_category(&w.db, user, if on { root } else { child }, on)
                            .await
                            .expect("category subscription");
                    }
                }
                _ => {
                    let current = parts::get(&w.db, part).await.expect("part");
                    let template = if current.variant_of.map(|v| v.id) == Some(t1) {
                        t2
                    } else {
                        t1
                    };
                    let minimum = current.figures.minimum_stock;
                    w.update_part(part, edited(current.name, minimum, Some(template)))
                        .await;
                }
            }
            // From scratch: own stock from the items, totals through the variant tree.
            let recomputed: Vec<(i64, bool)> = partwatch_core::sql::query_as(
                "WITH RECURSIVE below(top, id) AS (
                     SELECT id, id FROM parts
                     UNION ALL
                     SELECT below.top, p.id FROM parts p JOIN below ON p.variant_of = below.id
                 ),
                 totals(id, total) AS (
                     SELECT below.top, COALESCE(SUM(s.quantity), 0)
                       FROM below LEFT JOIN stock_items s ON s.part_id = below.id GROUP BY below.top
                 )
                 SELECT p.id, (p.active = TRUE AND p.minimum_stock > 0 AND t.total < p.minimum_stock)
                   FROM parts p JOIN totals t ON t.id = p.id ORDER BY p.id",
            )
            .fetch_all(&w.db)
            .await
            .expect("recomputed");
            let after: Vec<(i64, bool)> =
                partwatch_core::sql::query_as("SELECT id, alert_low FROM parts ORDER BY id")
                    .fetch_all(&w.db)
                    .await
                    .expect("states");
            assert_eq!(
                after, recomputed,
                "seed {seed}: stored alert states drifted"
            );
            let went_low: Vec<i64> = before
                .iter()
                .zip(&after)
                .filter(|(b, a)| !b.1 && a.1)
                .map(|(b, _)| b.0)
                .collect();
            let new_alerts: Vec<(i64, i64)> = partwatch_core::sql::query_as(
                "SELECT user_id, part_id FROM notifications WHERE id > $1 AND kind = 'low_stock' ORDER BY user_id, part_id",
            )
            .bind(last_id)
            .fetch_all(&w.db)
            .await
            .expect("new alerts");
            for pair in new_alerts.windows(2) {
                assert_ne!(
                    pair[0], pair[1],
                    "seed {seed}: a user got two alerts for one transition"
                );
            }
            for (_, p) in &new_alerts {
                assert!(
                    went_low.contains(p),
                    "seed {seed}: alert for part {p} that did not go ok -> low"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_parts_table_can_show_only_what_a_user_watches() {
    let w = world().await;
    let other = w.user("Other").await;
    let top = w.category("Top", None).await.id;
    let sub = w.category("Sub", Some(top)).await.id;
    let elsewhere = w.category("Elsewhere", None).await.id;
    let in_sub = w.part(PartInput::named("In sub").in_category(sub)).await.id;
    let elsewhere = |name: &str| PartInput::named(name).in_category(elsewhere);
    let template = w.part(elsewhere("Template").template()).await.id;
    let variant = w.part(elsewhere("Variant").variant_of(template)).await.id;
    let watched_by_other = w.part(elsewhere("Unwatched")).await.id;
    w.watch_category(w.me, top).await;
    w.watch_part(w.me, template).await;
    w.watch_part(other, watched_by_other).await;
    let names = |user: UserId| {
        let db = w.db.clone();
        async move {
            let page = parts::list(
                &db,
                &PartQuery {
                    watched_by: Some(user),
                    ..PartQuery::default()
                },
            )
            .await
            .expect("list");
            page.items.into_iter().map(|p| p.id).collect::<Vec<_>>()
        }
    };
    let mut mine = names(w.me).await;
    mine.sort_unstable();
    assert_eq!(mine, [in_sub, template, variant]);
    assert_eq!(names(other).await, [watched_by_other]);
}
