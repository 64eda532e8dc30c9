//! Throughput: batched and single stock adjustments on a large generated database, beside plain UPDATEs.

use super::{adjust, fresh_on, median, ms, p99, q, timed, Backend};
use partwatch_core::inventory::{generator, stock};
use partwatch_core::sql;
use partwatch_types::inventory::*;
use std::time::Instant;

pub(super) async fn throughput(backend: Backend, parts_count: usize) {
    let (_dir, db) = fresh_on(backend).await;
    let start = Instant::now();
    generator::generate(
        &db,
        generator::GeneratorSpec {
            parts: parts_count,
            depth: 6,
            fanout: 4,
            max_categories: 5_000,
            seed: 9,
        },
    )
    .await
    .expect("generated");
    println!(
        "throughput: {parts_count} parts generated in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    if backend == Backend::Postgres {
        // What autovacuum does soon after a bulk load on a real server.
        sql::query("VACUUM ANALYZE")
            .execute(&db)
            .await
            .expect("vacuum");
    }
    let items: Vec<StockItemId> =
        sql::query_scalar("SELECT id FROM stock_items WHERE quantity > 1000 ORDER BY id")
            .fetch_all(&db)
            .await
            .expect("items");
    let all_items = items.clone();
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut pick = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        items[(rng % items.len() as u64) as usize]
    };
    let total = 100_000;
    let batch = 1_000;
    let alerts_before: i64 = sql::query_scalar("SELECT COUNT(*) FROM parts WHERE alert_low")
        .fetch_one(&db)
        .await
        .expect("alerts");
    // Each batch touches distinct items (a stock-take counts each bin once).
    let mut order = all_items;
    let start = Instant::now();
    for b in 0..total / batch {
        if (b * batch) % order.len() + batch > order.len() {
            // Reshuffle when the pass over the items runs out.
            for i in (1..order.len()).rev() {
                order.swap(i, (pick().get() as usize) % (i + 1));
            }
        }
        let offset = (b * batch) % (order.len() - batch);
        let adjustments: Vec<_> = order[offset..offset + batch]
            .iter()
            .enumerate()
            .map(|(n, id)| {
                (
                    *id,
                    if (b + n) % 2 == 0 {
                        StockAdjustment::Remove(q("1"))
                    } else {
                        StockAdjustment::Add(q("1"))
                    },
                )
            })
            .collect();
        stock::adjust_many(&db, &adjustments, "bench")
            .await
            .expect("batch");
    }
    let batched = start.elapsed();
    let chosen: Vec<StockItemId> = (0..total).map(|_| pick()).collect();
    let start = Instant::now();
    for chunk in chosen.chunks(batch) {
        let mut tx = db.begin_write().await.expect("tx");
        for id in chunk {
            sql::query("UPDATE stock_items SET quantity = quantity + 1 WHERE id = $1")
                .bind(*id)
                .execute(&mut *tx)
                .await
                .expect("update");
        }
        tx.commit().await.expect("commit");
    }
    let plain = start.elapsed();
    // The database's own floor for the same batches: one set-based UPDATE of
    // the batch's items per transaction (no history, no totals, no alerts).
    let start = Instant::now();
    for chunk in chosen.chunks(batch) {
        let ids = format!(
            "[{}]",
            chunk
                .iter()
                .map(StockItemId::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut tx = db.begin_write().await.expect("tx");
        sql::query(sql::Sql::dialects(
            "UPDATE stock_items SET quantity = quantity + 1
              WHERE id IN (SELECT value FROM json_each($1))",
            "UPDATE stock_items SET quantity = quantity + 1
              WHERE id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))",
        ))
        .bind(ids)
        .execute(&mut *tx)
        .await
        .expect("update");
        tx.commit().await.expect("commit");
    }
    let floor = start.elapsed();
    let mut single = Vec::new();
    for n in 0..1_000 {
        let item = pick();
        let adjustment = if n % 2 == 0 {
            StockAdjustment::Remove(q("1"))
        } else {
            StockAdjustment::Add(q("1"))
        };
        timed(&mut single, adjust(&db, item, adjustment, "bench")).await;
    }
    let alerts_after: i64 = sql::query_scalar("SELECT COUNT(*) FROM parts WHERE alert_low")
        .fetch_one(&db)
        .await
        .expect("alerts");
    println!(
        "  {total} adjustments in batches of {batch}: {:.0} adjustments/s (baselines: plain UPDATE statements {:.0}/s; one set-based UPDATE per batch {:.0}/s)   goal >= 100,000/s",
        total as f64 / batched.as_secs_f64(),
        total as f64 / plain.as_secs_f64(),
        total as f64 / floor.as_secs_f64()
    );
    println!(
        "  single adjustment, own transaction: median {:.3} ms, p99 {:.3} ms   (parts low before/after: {alerts_before}/{alerts_after})",
        ms(median(&single)),
        ms(p99(&single))
    );
}
