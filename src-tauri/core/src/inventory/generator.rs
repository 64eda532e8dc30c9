//! Large synthetic inventories for benchmarks and scale tests: a category
//! tree of a chosen depth and fan-out, N parts spread over it (every 25th a
//! template with 4 variants), one stock item per part, minimums set so that
//! some parts sit just above, at and below them. Deterministic for a seed.

use super::categories;
use crate::sql;
use crate::{CoreResult, Database};
use partwatch_types::inventory::CategoryId;

#[derive(Debug, Clone, Copy)]
pub struct GeneratorSpec {
    pub parts: usize,
    /// Levels of categories below each root.
    pub depth: usize,
    /// Children per category (the tree is capped at `max_categories`).
    pub fanout: usize,
    pub max_categories: usize,
    pub seed: u64,
}

impl Default for GeneratorSpec {
    fn default() -> Self {
        Self {
            parts: 1000,
            depth: 4,
            fanout: 4,
            max_categories: 2000,
            seed: 1,
        }
    }
}

/// What was generated, for the caller to aim at.
#[derive(Debug, Clone)]
pub struct Generated {
    pub categories: Vec<CategoryId>,
    /// The deepest category on the first branch.
    pub deepest_category: CategoryId,
    pub parts: usize,
}

/// Fills the database with a synthetic inventory, in one transaction.
pub async fn generate(db: &Database, spec: GeneratorSpec) -> CoreResult<Generated> {
    let mut rng = spec.seed.max(1);
    let mut next = move || {
        // xorshift64: fast, deterministic, good enough for test data.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut tx = db.begin_write().await?;
    let mut all = Vec::new();
    let mut level =
        vec![categories::insert(&mut tx, None, "Generated", "Synthetic inventory").await?];
    all.extend(&level);
    let mut deepest = level[0];
    for depth in 1..=spec.depth {
        let mut below = Vec::new();
        'parents: for &parent in &level {
            for i in 0..spec.fanout.max(1) {
                if all.len() + below.len() >= spec.max_categories {
                    break 'parents;
                }
                let id = categories::insert(&mut tx, Some(parent), &format!("L{depth} C{i}"), "")
                    .await?;
                below.push(id);
            }
        }
        if below.is_empty() {
            break;
        }
        deepest = below[0];
        all.extend(&below);
        level = below;
    }
    let leaves = level;

    let mut template: Option<i64> = None;
    for n in 0..spec.parts {
        let category = leaves[n % leaves.len()];
        let is_template = n % 25 == 0;
        let variant_of = if n % 25 != 0 && n % 25 <= 4 {
            template
        } else {
            None
        };
        let stock = (next() % 2000) as i64 * 1000;
        let minimum = match next() % 4 {
            0 => 0,
            1 => stock + 1000,
            2 => stock,
            _ => stock / 2,
        };
        let id = sql::query_scalar::<i64>(
            "INSERT INTO parts (name, ipn, category_id, is_template, variant_of, minimum_stock,
                                own_stock, total_stock, units)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pcs') RETURNING id",
        )
        .bind(format!("Part {n:07}"))
        .bind(format!("GEN-{n:07}"))
        .bind(category)
        .bind(is_template)
        .bind(variant_of)
        .bind(if is_template { 0 } else { minimum })
        .bind(if is_template { 0 } else { stock })
        .bind(if is_template { 0 } else { stock })
        .fetch_one(&mut *tx)
        .await?;
        if is_template {
            template = Some(id);
        } else {
            sql::query("INSERT INTO stock_items (part_id, quantity) VALUES ($1, $2)")
                .bind(id)
                .bind(stock)
                .execute(&mut *tx)
                .await?;
        }
    }
    // Templates hold the sum of their variants.
    sql::query(
        "UPDATE parts SET total_stock = own_stock + COALESCE(
             (SELECT SUM(v.total_stock) FROM parts v WHERE v.variant_of = parts.id), 0)
          WHERE is_template = TRUE",
    )
    .execute(&mut *tx)
    .await?;
    crate::triggers::settle_alert_state(&mut tx, None).await?;
    tx.commit().await?;
    Ok(Generated {
        categories: all,
        deepest_category: deepest,
        parts: spec.parts,
    })
}
