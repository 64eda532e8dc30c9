//! Build check: a build order on a 1,000-line BOM with its shortage notification, beside reading the BOM.

use super::{add_stock, fresh_on, line, median, q, timed, Backend};
use partwatch_core::inventory::{bom, builds, parts};
use partwatch_core::sql;
use partwatch_core::subscriptions;
use partwatch_types::inventory::*;

pub(super) async fn build_check(backend: Backend) {
    let (_dir, db) = fresh_on(backend).await;
    let assembly = parts::create(
        &db,
        &PartInput {
            is_assembly: true,
            ..PartInput::named("Big assembly")
        },
    )
    .await
    .expect("assembly");
    for n in 0..1_000 {
        let sub = parts::create(&db, &PartInput::named(format!("Sub part {n:04}")))
            .await
            .expect("sub");
        add_stock(&db, sub.id, if n % 10 == 0 { "1" } else { "100" }).await;
        bom::add_line(
            &db,
            &NewBomLine {
                assembly_id: assembly.id,
                sub_part_id: sub.id,
                quantity: q("2"),
                allow_variants: false,
            },
        )
        .await
        .expect("line");
    }
    subscriptions::set_part(&db, UserId(1), assembly.id, true)
        .await
        .expect("watch");
    let mut samples = Vec::new();
    let mut baseline = Vec::new();
    let mut short = 0;
    for _ in 0..30 {
        let order = NewBuildOrder {
            reference: String::new(),
            part_id: assembly.id,
            quantity: q("1"),
            responsible_id: Some(UserId(1)),
        };
        let created = timed(&mut samples, builds::create(&db, &order))
            .await
            .expect("build");
        short = created.short_lines.len();
        builds::set_status(
            &db,
            &SetBuildStatus {
                id: created.order.id,
                status: BuildStatus::Cancelled,
            },
        )
        .await
        .expect("cancel");
        // Reading the BOM lines with their stock, as one JSON row.
        let lines = sql::query_scalar::<String>(sql::Sql::dialects(
            "SELECT json_group_array(json_array(l.sub_part_id, p.name, l.quantity, p.own_stock))
               FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id WHERE l.assembly_id = $1",
            "SELECT jsonb_agg(jsonb_build_array(l.sub_part_id, p.name, l.quantity, p.own_stock))::text
               FROM bom_lines l JOIN parts p ON p.id = l.sub_part_id WHERE l.assembly_id = $1",
        ))
        .bind(assembly.id)
        .fetch_one(&db);
        timed(&mut baseline, lines).await.expect("lines");
    }
    println!("build check: 1,000-line BOM, {short} short lines, one notification");
    line(
        "  create build order + check + notify",
        median(&samples),
        median(&baseline),
        "<= 5 ms (baseline: read the BOM)",
    );
}
