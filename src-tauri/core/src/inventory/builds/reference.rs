//! Build order references: the `BO-` numbers suggested for new orders, and
//! the bound on the digits of one entered by hand.

use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult, Database};

/// The most digits the number of a `BO-` reference may have. The next
/// suggested reference counts up from the highest such number, which must
/// fit an integer (in SQL and in Rust) with room to add one.
pub const MAX_REFERENCE_DIGITS: usize = 15;

/// The highest number a `BO-` reference may carry: 15 nines.
const MAX_REFERENCE_NUMBER: i64 = 10_i64.pow(MAX_REFERENCE_DIGITS as u32) - 1;

/// The references whose number counts towards the next suggestion: `BO-`
/// and 1..=`$1` digits, nothing else, in each dialect (SQLite's `GLOB`,
/// PostgreSQL's regular expression). Longer ones (saved before references
/// were bounded) are skipped: their number may not fit an integer.
const NUMBERED: [&str; 2] = [
    "reference LIKE 'BO-%' AND length(reference) BETWEEN 4 AND 3 + $1
     AND substr(reference, 4) NOT GLOB '*[^0-9]*'",
    "reference LIKE 'BO-%' AND length(reference) BETWEEN 4 AND 3 + $1
     AND substr(reference, 4) !~ '[^0-9]'",
];

/// `statement` with `{NUMBERED}` filled in for each dialect.
fn numbered(statement: &str) -> [String; 2] {
    NUMBERED.map(|numbered| statement.replace("{NUMBERED}", numbered))
}

/// The next free reference of the form BO-0001.
pub async fn suggest_reference(db: &Database) -> CoreResult<String> {
    let mut conn = db.connection().await?;
    next_reference(&mut conn).await
}

/// One more than the highest `BO-` number; when that would have too many
/// digits, the lowest number not yet used.
pub(super) async fn next_reference(conn: &mut Conn) -> CoreResult<String> {
    let [sqlite, postgres] = numbered(
        "SELECT MAX(CAST(substr(reference, 4) AS BIGINT)) FROM build_orders WHERE {NUMBERED}",
    );
    let highest: Option<i64> = sql::query_scalar(sql::Sql::dialects(&sqlite, &postgres))
        .bind(MAX_REFERENCE_DIGITS as i64)
        .fetch_one(&mut *conn)
        .await?;
    let next = match highest.unwrap_or(0).checked_add(1) {
        Some(next) if next <= MAX_REFERENCE_NUMBER => Some(next),
        _ => {
            let [sqlite, postgres] = numbered(
                "WITH used(n) AS (SELECT CAST(substr(reference, 4) AS BIGINT)
                                    FROM build_orders WHERE {NUMBERED})
                 SELECT MIN(c) FROM (SELECT CAST(1 AS BIGINT) AS c UNION ALL SELECT n + 1 FROM used) u
                  WHERE c <= $2 AND c NOT IN (SELECT n FROM used)",
            );
            sql::query_scalar(sql::Sql::dialects(&sqlite, &postgres))
                .bind(MAX_REFERENCE_DIGITS as i64)
                .bind(MAX_REFERENCE_NUMBER)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    next.map(|n: i64| format!("BO-{n:04}")).ok_or_else(|| {
        CoreError::Conflict("Every BO- number is taken; enter a reference of your own.".into())
    })
}

/// Refuses a `BO-` reference whose number has more than
/// [`MAX_REFERENCE_DIGITS`] digits.
pub(super) fn check_reference(reference: &str) -> CoreResult<()> {
    let digits = match reference.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("BO-") => reference[3..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count(),
        _ => 0,
    };
    if digits > MAX_REFERENCE_DIGITS {
        return Err(CoreError::InvalidInput(format!(
            "A build reference can have at most {MAX_REFERENCE_DIGITS} digits after BO-."
        )));
    }
    Ok(())
}
