//! One statement for either backend. The core writes its SQL once, with
//! `$1, $2, …` parameters (SQLite and PostgreSQL both read them), binds
//! values both backends encode and decodes rows into types both backends
//! decode. Where the dialects really differ, a statement carries both texts
//! ([`Sql::dialects`]); everything else is one text.
//!
//! The shapes follow sqlx's own (`query`, `query_as`, `query_scalar`, then
//! `bind` and `fetch_*` / `execute`), so a statement reads as it would with
//! sqlx alone. What runs it is a [`Conn`] (a transaction or a pooled
//! connection) or the [`Database`](crate::Database)'s pool.

mod builder;
mod conn;

pub use builder::{Builder, Values};
pub use conn::{Conn, Runs, Target};

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Decode, Encode, FromRow, Postgres, Sqlite, Type};
use std::borrow::Cow;

/// A statement's text: one for both backends, or one per dialect.
#[derive(Debug, Clone)]
pub struct Sql<'q> {
    sqlite: Cow<'q, str>,
    /// PostgreSQL's own text, where it differs.
    postgres: Option<Cow<'q, str>>,
}

/// The two texts of a statement that reads a JSON array of ids bound as
/// `$n` (`Json(&ids)`): `{ids}` in `template` becomes SQLite's
/// `SELECT value FROM json_each($n)` or PostgreSQL's
/// `SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text($n) AS j(value)`.
/// Keep the pair in a `LazyLock` and run it with [`Sql::dialects`].
pub fn with_json_ids(template: &str, n: usize) -> [String; 2] {
    [
        template.replace("{ids}", &format!("SELECT value FROM json_each(${n})")),
        template.replace(
            "{ids}",
            &format!(
                "SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(${n}) AS j(value)"
            ),
        ),
    ]
}

/// The rows of a query as one JSON array of arrays (`columns` in `order`),
/// in each dialect: SQLite's `json_group_array(json_array(…))`, PostgreSQL's
/// `jsonb_agg(jsonb_build_array(…))` (an empty array, not NULL, for no rows).
/// One row crosses to Rust instead of one per line, which SQLite's worker
/// thread makes dear.
pub fn json_rows(columns: &str, order: &str) -> [String; 2] {
    [
        format!("json_group_array(json_array({columns}) ORDER BY {order})"),
        format!("COALESCE(jsonb_agg(jsonb_build_array({columns}) ORDER BY {order}), '[]')"),
    ]
}

impl<'q> Sql<'q> {
    /// The two texts of a statement whose dialects differ.
    pub fn dialects(sqlite: &'q str, postgres: &'q str) -> Self {
        Self {
            sqlite: Cow::Borrowed(sqlite),
            postgres: Some(Cow::Borrowed(postgres)),
        }
    }

    fn both(text: Cow<'q, str>) -> Self {
        Self {
            sqlite: text,
            postgres: None,
        }
    }
}

impl<'q> From<&'q str> for Sql<'q> {
    fn from(both: &'q str) -> Self {
        Self::both(Cow::Borrowed(both))
    }
}

impl<'q> From<&'q String> for Sql<'q> {
    fn from(both: &'q String) -> Self {
        Self::both(Cow::Borrowed(both))
    }
}

impl<'q> From<&'q std::sync::LazyLock<String>> for Sql<'q> {
    fn from(both: &'q std::sync::LazyLock<String>) -> Self {
        Self::both(Cow::Borrowed(both.as_str()))
    }
}

impl From<String> for Sql<'_> {
    fn from(both: String) -> Self {
        Self::both(Cow::Owned(both))
    }
}

/// A value both backends can bind.
pub trait Bindable<'q>:
    Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send + 'q
{
}

impl<'q, T> Bindable<'q> for T where
    T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send + 'q
{
}

/// A value both backends can decode from a column.
pub trait Decodable:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}

impl<T> Decodable for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// A row type both backends can build.
pub trait FromEitherRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> FromEitherRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A bound value, kept until the statement runs and encoded then for the
/// backend that runs it (so each value is encoded once).
trait Bound<'q>: Send + 'q {
    fn add_to_sqlite(self: Box<Self>, args: &mut SqliteArguments<'q>) -> Result<(), BoxDynError>;
    fn add_to_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError>;
}

struct Value<T>(T);

impl<'q, T: Bindable<'q>> Bound<'q> for Value<T> {
    fn add_to_sqlite(self: Box<Self>, args: &mut SqliteArguments<'q>) -> Result<(), BoxDynError> {
        args.add(self.0)
    }

    fn add_to_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
        args.add(self.0)
    }
}

/// The text and the values bound to it.
struct Statement<'q> {
    sql: Sql<'q>,
    values: Vec<Box<dyn Bound<'q>>>,
}

impl<'q> Statement<'q> {
    fn new(sql: impl Into<Sql<'q>>) -> Self {
        Self {
            sql: sql.into(),
            values: Vec::new(),
        }
    }

    fn bind<T: Bindable<'q>>(&mut self, value: T) {
        self.values.push(Box::new(Value(value)));
    }

    fn for_sqlite(self) -> sqlx::Result<(Cow<'q, str>, SqliteArguments<'q>)> {
        let mut args = SqliteArguments::default();
        for value in self.values {
            value
                .add_to_sqlite(&mut args)
                .map_err(sqlx::Error::Encode)?;
        }
        Ok((self.sql.sqlite, args))
    }

    fn for_postgres(self) -> sqlx::Result<(Cow<'q, str>, PgArguments)> {
        let mut args = PgArguments::default();
        args.reserve(self.values.len(), self.values.len() * 8);
        for value in self.values {
            value
                .add_to_postgres(&mut args)
                .map_err(sqlx::Error::Encode)?;
        }
        Ok((self.sql.postgres.unwrap_or(self.sql.sqlite), args))
    }
}

/// Runs `$body` with `$text` and `$args` built for the target's backend and
/// `$on` the target's executor: one arm per backend and kind of target.
macro_rules! run {
    ($statement:expr, $target:expr, |$text:ident, $args:ident, $on:ident| $body:expr) => {{
        match $target.target() {
            Target::SqlitePool($on) => built!($statement.for_sqlite(), |$text, $args| $body),
            Target::Sqlite($on) => built!($statement.for_sqlite(), |$text, $args| $body),
            Target::PostgresPool($on) => built!($statement.for_postgres(), |$text, $args| $body),
            Target::Postgres($on) => built!($statement.for_postgres(), |$text, $args| $body),
        }
    }};
}

/// One arm of [`run!`]: `$body` with `$text` and `$args` from `$built`.
macro_rules! built {
    ($built:expr, |$text:ident, $args:ident| $body:expr) => {{
        let (text, $args) = $built?;
        let $text = &*text;
        $body
    }};
}

/// `fetch_all`, `fetch_one` and `fetch_optional` of a statement whose rows
/// become `T`, each built by `$with` (`sqlx::query_as_with` or
/// `sqlx::query_scalar_with`) for the backend that runs it.
macro_rules! fetches {
    ($with:path) => {
        pub async fn fetch_all<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Vec<T>> {
            run!(self.statement, on, |text, args, on| {
                $with(text, args).fetch_all(on).await
            })
        }

        pub async fn fetch_one<'c>(self, on: impl Runs<'c>) -> sqlx::Result<T> {
            run!(self.statement, on, |text, args, on| {
                $with(text, args).fetch_one(on).await
            })
        }

        pub async fn fetch_optional<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Option<T>> {
            run!(self.statement, on, |text, args, on| {
                $with(text, args).fetch_optional(on).await
            })
        }
    };
}

/// Binding, for helpers that bind the same values into different kinds of
/// statement.
pub trait Bind<'q>: Sized {
    fn bind<T: Bindable<'q>>(self, value: T) -> Self;
}

impl<'q> Bind<'q> for Query<'q> {
    fn bind<T: Bindable<'q>>(self, value: T) -> Self {
        Query::bind(self, value)
    }
}

impl<'q, T, Kind> Bind<'q> for Fetch<'q, T, Kind> {
    fn bind<V: Bindable<'q>>(self, value: V) -> Self {
        Fetch::bind(self, value)
    }
}

/// A statement whose rows are not read (or read by name elsewhere).
pub struct Query<'q>(Statement<'q>);

/// `sqlx::query`, for either backend.
pub fn query<'q>(sql: impl Into<Sql<'q>>) -> Query<'q> {
    Query(Statement::new(sql))
}

impl<'q> Query<'q> {
    pub fn bind<T: Bindable<'q>>(mut self, value: T) -> Self {
        self.0.bind(value);
        self
    }

    /// Runs the statement; answers how many rows it changed.
    pub async fn execute<'c>(self, on: impl Runs<'c>) -> sqlx::Result<u64> {
        run!(self.0, on, |text, args, on| Ok(sqlx::query_with(
            text, args
        )
        .execute(on)
        .await?
        .rows_affected()))
    }
}

/// A statement whose rows are fetched: each becomes a `T` (a [`QueryAs`])
/// or is one value `T` (a [`QueryScalar`]), as `Kind` says.
pub struct Fetch<'q, T, Kind> {
    statement: Statement<'q>,
    rows: std::marker::PhantomData<fn() -> (T, Kind)>,
}

/// The [`Fetch`] kind whose rows each become a `T` (`sqlx::query_as`).
pub enum Rows {}

/// The [`Fetch`] kind whose rows are one value each (`sqlx::query_scalar`).
pub enum Scalars {}

/// A statement whose rows become `T`.
pub type QueryAs<'q, T> = Fetch<'q, T, Rows>;

/// A statement whose rows are one value each.
pub type QueryScalar<'q, T> = Fetch<'q, T, Scalars>;

impl<'q, T, Kind> Fetch<'q, T, Kind> {
    fn new(statement: Statement<'q>) -> Self {
        Self {
            statement,
            rows: std::marker::PhantomData,
        }
    }

    pub fn bind<V: Bindable<'q>>(mut self, value: V) -> Self {
        self.statement.bind(value);
        self
    }
}

/// `sqlx::query_as`, for either backend.
pub fn query_as<'q, T: FromEitherRow>(sql: impl Into<Sql<'q>>) -> QueryAs<'q, T> {
    Fetch::new(Statement::new(sql))
}

/// `sqlx::query_scalar`, for either backend.
pub fn query_scalar<'q, T: Decodable>(sql: impl Into<Sql<'q>>) -> QueryScalar<'q, T> {
    Fetch::new(Statement::new(sql))
}

impl<T: FromEitherRow> QueryAs<'_, T> {
    fetches!(sqlx::query_as_with);
}

impl<T: Decodable> QueryScalar<'_, T> {
    fetches!(sqlx::query_scalar_with);
}
