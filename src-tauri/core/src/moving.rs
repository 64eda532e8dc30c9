//! Moving up: a whole SQLite database — inventory, history, users,
//! subscriptions, notifications, settings, delivery log — copied into an
//! empty PostgreSQL database, in one transaction there: all of it, or (on
//! any error) nothing.
//!
//! Generic over the schema, which both backends share (a test keeps them
//! twins): the tables come from SQLite's catalogue, in the order their
//! foreign keys need; each table travels in chunks of rows as JSON, read by
//! PostgreSQL with `jsonb_to_recordset` into its own column types. A table
//! whose rows point at each other (a category's parent) is staged first and
//! inserted parents before children, level by level, so every row goes in
//! with its real parent (a name is unique among its siblings, so they could
//! not all go in without one). Tables kept by triggers (unread counts) are
//! copied last, over what the triggers wrote meanwhile. Ids are kept, and
//! each identity sequence continues after the highest.
//!
//! The source is read in one read transaction, so the copy is one moment of
//! it even while the app keeps writing; the target's emptiness is checked
//! inside the target's write transaction, under the writers' lock.

use crate::db::Backend;
use crate::{sql, CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::{MoveProgress, MoveSummary};
use sqlx::SqliteConnection;

/// Rows per chunk: one statement each way.
const CHUNK: i64 = 2_000;

/// Tables a freshly migrated database already has rows in (its singletons,
/// the default preferences):
/// they do not make a target "not empty", and their rows are replaced.
const SEEDED: [&str; 4] = [
    "instance",
    "global_settings",
    "email_settings",
    "default_preferences",
];

/// Tables that PostgreSQL's triggers keep as other tables change.
const KEPT_BY_TRIGGERS: [&str; 1] = ["unread_counts"];

/// One table to copy, as SQLite describes it.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<String>,
    /// Columns referring to this same table, with the column they refer to.
    self_references: Vec<(String, String)>,
    /// The primary key columns, for tables without a rowid.
    key: Vec<String>,
    has_rowid: bool,
}

/// Copies the SQLite database `source_db` into the empty PostgreSQL database at
/// `target_url` (migrating it first), telling `progress` after each chunk.
/// Refuses a target that holds any Partwatch data, changing nothing there.
pub async fn to_postgres(
    source_db: &Database,
    target_url: &str,
    mut progress: impl FnMut(&MoveProgress),
) -> CoreResult<MoveSummary> {
    let Backend::Sqlite(pool) = source_db.backend() else {
        return Err(CoreError::InvalidInput(
            "This database is already on PostgreSQL; only a SQLite database moves up.".into(),
        ));
    };
    let target = Database::open_postgres(target_url)
        .await?
        .with_secrets(std::sync::Arc::clone(source_db.secrets()));
    let described = target.path().display().to_string();
    // One moment of the source: every read below is in this transaction.
    let mut source = pool.begin().await?;
    let tables = tables_in_order(&mut source).await?;
    let mut total = 0_u64;
    for table in &tables {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.name))
            .fetch_one(&mut *source)
            .await?;
        total += u64::try_from(rows).unwrap_or(0);
    }
    let mut copied = 0_u64;
    let mut tx = target.begin_write().await?;
    // Under the writers' lock: no other desktop can add a row until the commit.
    refuse_non_empty(&mut tx, &tables, &described).await?;
    let (last, first): (Vec<&Table>, Vec<&Table>) = tables
        .iter()
        .partition(|t| KEPT_BY_TRIGGERS.contains(&t.name.as_str()));
    for table in first.into_iter().chain(last) {
        progress(&MoveProgress {
            table: table.name.clone(),
            copied,
            total,
        });
        let types = postgres_types(&mut tx, table).await?;
        if SEEDED.contains(&table.name.as_str()) || KEPT_BY_TRIGGERS.contains(&table.name.as_str())
        {
            sql::query(format!("DELETE FROM {}", table.name))
                .execute(&mut *tx)
                .await?;
        }
        // A table whose rows point at each other is staged, then inserted
        // level by level; any other goes straight in.
        let staged = !table.self_references.is_empty();
        let into = if staged {
            sql::query(format!(
                "CREATE TEMP TABLE moving_rows (LIKE {}) ON COMMIT DROP",
                table.name
            ))
            .execute(&mut *tx)
            .await?;
            "moving_rows".to_owned()
        } else {
            table.name.clone()
        };
        let insert = format!(
            "INSERT INTO {into} ({columns}) {overriding}
             SELECT {selected} FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS x({types})",
            columns = table.columns.join(", "),
            overriding = if staged {
                ""
            } else {
                "OVERRIDING SYSTEM VALUE"
            },
            selected = table
                .columns
                .iter()
                .map(|c| format!("x.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        let mut chunks = Chunks::new(table, &table.columns);
        while let Some((rows, count)) = chunks.next(&mut source).await? {
            sql::query(insert.as_str())
                .bind(rows)
                .execute(&mut *tx)
                .await?;
            copied += count;
            progress(&MoveProgress {
                table: table.name.clone(),
                copied,
                total,
            });
        }
        if staged {
            insert_parents_first(&mut tx, table).await?;
        }
        continue_identity(&mut tx, table).await?;
    }
    // Who works on this desktop, to stay that person on the team database.
    let person: Option<String> =
        sqlx::query_scalar("SELECT value FROM instance_settings WHERE key = $1")
            .bind(crate::inventory::users::CURRENT_USER_KEY)
            .fetch_optional(&mut *source)
            .await?;
    tx.commit().await?;
    source.commit().await?;
    remember_mover(source_db, &described, person.as_deref());
    // The row says the mail server's password is in the keyring: under the
    // new database's name too, on this desktop.
    crate::delivery::email::carry_password(source_db, &target).await;
    progress(&MoveProgress {
        table: String::new(),
        copied,
        total,
    });
    Ok(MoveSummary {
        target: described,
        tables: tables.len() as u64,
        rows: copied,
    })
}

/// The desktop that moved up keeps working as its person on the team
/// database: its data directory (the SQLite file's) remembers them there
/// (`team::PERSON_FILE_NAME`). The move has committed: a file that cannot
/// be written is reported, and the next start finds the person by name.
fn remember_mover(source: &Database, described: &str, person: Option<&str>) {
    let (Some(dir), Some(person)) = (source.path().parent(), person) else {
        return;
    };
    let Ok(id) = person.parse::<i64>() else {
        return;
    };
    let file = dir.join(crate::team::PERSON_FILE_NAME);
    if let Err(err) = crate::team::remember_person(&file, described, UserId(id)) {
        tracing::warn!("could not remember who works on this desktop after the move: {err}");
    }
}

/// Every Partwatch table of the SQLite database, each after the tables its
/// foreign keys point to.
async fn tables_in_order(source: &mut SqliteConnection) -> CoreResult<Vec<Table>> {
    let listed: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
          WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'
          ORDER BY name",
    )
    .fetch_all(&mut *source)
    .await?;
    let mut pending = Vec::new();
    for (name, definition) in listed {
        let columns: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&mut *source)
                .await?;
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|(_, pk)| *pk > 0)
            .map(|(c, pk)| (*pk, c.clone()))
            .collect();
        key.sort();
        let references: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&mut *source)
                .await?;
        let self_references = references
            .iter()
            .filter(|(to, _, _)| *to == name)
            .map(|(_, from, column)| (from.clone(), column.clone().unwrap_or_else(|| "id".into())))
            .collect();
        let needs: Vec<String> = references
            .into_iter()
            .map(|(to, _, _)| to)
            .filter(|to| *to != name)
            .collect();
        pending.push((
            Table {
                has_rowid: !definition.to_uppercase().contains("WITHOUT ROWID"),
                columns: columns.into_iter().map(|(c, _)| c).collect(),
                key: key.into_iter().map(|(_, c)| c).collect(),
                self_references,
                name,
            },
            needs,
        ));
    }
    let mut ordered: Vec<Table> = Vec::new();
    while !pending.is_empty() {
        let ready = pending.iter().position(|(_, needs)| {
            needs
                .iter()
                .all(|need| ordered.iter().any(|t| t.name == *need))
        });
        match ready {
            Some(i) => ordered.push(pending.remove(i).0),
            None => {
                let names: Vec<&str> = pending.iter().map(|(t, _)| t.name.as_str()).collect();
                return Err(CoreError::Corrupt(format!(
                    "The tables {} refer to each other in a circle; they cannot be copied.",
                    names.join(", ")
                )));
            }
        }
    }
    Ok(ordered)
}

/// Refuses a target with any row in a table a fresh database leaves empty.
async fn refuse_non_empty(tx: &mut sql::Conn, tables: &[Table], described: &str) -> CoreResult<()> {
    for table in tables {
        if SEEDED.contains(&table.name.as_str()) {
            continue;
        }
        let rows: i64 = sql::query_scalar(format!("SELECT COUNT(*) FROM {}", table.name))
            .fetch_one(&mut *tx)
            .await?;
        if rows > 0 {
            return Err(CoreError::Conflict(format!(
                "{described} already holds Partwatch data ({rows} row{} in {}). \
                 Partwatch moves only into an empty database: create a new one and try again.",
                if rows == 1 { "" } else { "s" },
                table.name
            )));
        }
    }
    Ok(())
}

/// `column type, …` of the table's columns in PostgreSQL, for
/// `jsonb_to_recordset`.
async fn postgres_types(tx: &mut sql::Conn, table: &Table) -> CoreResult<String> {
    let types: Vec<(String, String)> = sql::query_as(
        "SELECT CAST(attname AS TEXT), format_type(atttypid, atttypmod) FROM pg_attribute
          WHERE attrelid = CAST($1 AS regclass) AND attnum > 0 AND NOT attisdropped",
    )
    .bind(table.name.as_str())
    .fetch_all(&mut *tx)
    .await?;
    table
        .columns
        .iter()
        .map(|column| {
            types
                .iter()
                .find(|(name, _)| name == column)
                .map(|(_, kind)| format!("{column} {kind}"))
                .ok_or_else(|| {
                    CoreError::Corrupt(format!(
                        "The PostgreSQL table {} has no column {column}: its schema is not this version's.",
                        table.name
                    ))
                })
        })
        .collect::<CoreResult<Vec<_>>>()
        .map(|columns| columns.join(", "))
}

/// Reads a table's rows (some of its columns) in chunks, as JSON arrays of
/// objects, in rowid (or key) order.
struct Chunks {
    select: String,
    has_rowid: bool,
    after: i64,
    offset: i64,
    done: bool,
}

impl Chunks {
    fn new(table: &Table, columns: &[String]) -> Self {
        let object = columns
            .iter()
            .map(|c| format!("'{c}', {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let select = if table.has_rowid {
            format!(
                "SELECT json_group_array(json(row)), MAX(r), COUNT(*) FROM (
                     SELECT json_object({object}) AS row, rowid AS r FROM {name}
                      WHERE rowid > $1 ORDER BY rowid LIMIT $2)",
                name = table.name
            )
        } else {
            format!(
                "SELECT json_group_array(json(row)), NULL, COUNT(*) FROM (
                     SELECT json_object({object}) AS row FROM {name}
                      ORDER BY {key} LIMIT $2 OFFSET $1)",
                name = table.name,
                key = table.key.join(", ")
            )
        };
        Self {
            select,
            has_rowid: table.has_rowid,
            after: i64::MIN,
            offset: 0,
            done: false,
        }
    }

    /// The next chunk and its number of rows; `None` after the last.
    async fn next(&mut self, source: &mut SqliteConnection) -> CoreResult<Option<(String, u64)>> {
        if self.done {
            return Ok(None);
        }
        let from = if self.has_rowid {
            self.after
        } else {
            self.offset
        };
        let (rows, last, count): (String, Option<i64>, i64) = sqlx::query_as(&self.select)
            .bind(from)
            .bind(CHUNK)
            .fetch_one(&mut *source)
            .await?;
        self.after = last.unwrap_or(self.after);
        self.offset += count;
        let count = u64::try_from(count).unwrap_or(0);
        if count == 0 {
            self.done = true;
            return Ok(None);
        }
        if count < CHUNK as u64 {
            self.done = true;
        }
        Ok(Some((rows, count)))
    }
}

/// Moves the staged rows of a table whose rows point at each other into it,
/// parents before children: each pass inserts the rows whose parents are
/// all there. Rows left over point in a circle (or at a row that does not
/// exist) and are refused rather than dropped.
async fn insert_parents_first(tx: &mut sql::Conn, table: &Table) -> CoreResult<()> {
    let key = table
        .key
        .iter()
        .map(|c| format!("t.{c} = m.{c}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let parents_there = table
        .self_references
        .iter()
        .map(|(from, to)| {
            format!(
                "(m.{from} IS NULL OR EXISTS (SELECT 1 FROM {name} p WHERE p.{to} = m.{from}))",
                name = table.name
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let pass = format!(
        "INSERT INTO {name} ({columns}) OVERRIDING SYSTEM VALUE
         SELECT {columns} FROM moving_rows m
          WHERE NOT EXISTS (SELECT 1 FROM {name} t WHERE {key}) AND {parents_there}",
        name = table.name,
        columns = table.columns.join(", "),
    );
    while sql::query(pass.as_str()).execute(&mut *tx).await? > 0 {}
    let left: i64 = sql::query_scalar(format!(
        "SELECT COUNT(*) FROM moving_rows m WHERE NOT EXISTS (SELECT 1 FROM {name} t WHERE {key})",
        name = table.name
    ))
    .fetch_one(&mut *tx)
    .await?;
    sql::query("DROP TABLE moving_rows")
        .execute(&mut *tx)
        .await?;
    if left > 0 {
        return Err(CoreError::Corrupt(format!(
            "{left} row{} of {} point at each other in a circle (or at a row that is not there); \
             nothing was moved.",
            if left == 1 { "" } else { "s" },
            table.name
        )));
    }
    Ok(())
}

/// Lets the table's identity column (if any) go on after the highest id copied.
async fn continue_identity(tx: &mut sql::Conn, table: &Table) -> CoreResult<()> {
    let identity: Option<String> = sql::query_scalar(
        "SELECT CAST(attname AS TEXT) FROM pg_attribute
          WHERE attrelid = CAST($1 AS regclass) AND attidentity != ''",
    )
    .bind(table.name.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(column) = identity {
        sql::query(format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), MAX({column})) FROM {}",
            table.name
        ))
        .bind(table.name.as_str())
        .bind(column.as_str())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
