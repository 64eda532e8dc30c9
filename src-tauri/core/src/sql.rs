//! One statement for either backend. The core writes its SQL once, with
//! `$1, $2, …` parameters (SQLite and PostgreSQL both read them), binds
//! values both backends encode and decodes rows into types both backends
//! decode. Where the dialects really differ, a statement carries both texts
//! ([`Sql::dialects`]); everything else is one text.
//!
//! The shapes follow sqlx's own (`query`, `query_as`, `query_scalar`, then
//! `bind` and `fetch_*` / `execute`), so a statement reads as it would with
//! sqlx alone. What runs it is a [`Conn`] (a transaction or a pooled
//! connection) or the [`Database`]'s pool.

use crate::Database;
use sqlx::error::BoxDynError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{
    Arguments, Decode, Encode, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection,
    SqlitePool, Transaction, Type,
};
use std::borrow::Cow;

/// A statement's text: one for both backends, or one per dialect.
#[derive(Debug, Clone)]
pub struct Sql<'q> {
    sqlite: Cow<'q, str>,
    /// PostgreSQL's own text, where it differs.
    postgres: Option<Cow<'q, str>>,
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

/// A connection of either backend, held for a while: a transaction (every
/// write, see `Database::begin_write`) or a connection from the pool (a
/// series of reads).
pub enum Conn {
    SqliteTx(Transaction<'static, Sqlite>),
    SqlitePooled(PoolConnection<Sqlite>),
    PostgresTx(Transaction<'static, Postgres>),
    PostgresPooled(PoolConnection<Postgres>),
}

impl Conn {
    /// Commits a transaction (a pooled connection has nothing to commit).
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Conn::SqliteTx(tx) => tx.commit().await,
            Conn::PostgresTx(tx) => tx.commit().await,
            Conn::SqlitePooled(_) | Conn::PostgresPooled(_) => Ok(()),
        }
    }
}

/// What a statement runs on, borrowed for the statement.
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    Sqlite(&'c mut SqliteConnection),
    PostgresPool(&'c PgPool),
    Postgres(&'c mut PgConnection),
}

/// Anything a statement can run on.
pub trait Runs<'c> {
    fn target(self) -> Target<'c>;
}

impl<'c> Runs<'c> for &'c mut Conn {
    fn target(self) -> Target<'c> {
        match self {
            Conn::SqliteTx(tx) => Target::Sqlite(tx),
            Conn::SqlitePooled(conn) => Target::Sqlite(conn),
            Conn::PostgresTx(tx) => Target::Postgres(tx),
            Conn::PostgresPooled(conn) => Target::Postgres(conn),
        }
    }
}

impl<'c> Runs<'c> for &'c Database {
    fn target(self) -> Target<'c> {
        self.backend().target()
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
            Target::SqlitePool($on) => {
                let (text, $args) = $statement.for_sqlite()?;
                let $text = &*text;
                $body
            }
            Target::Sqlite($on) => {
                let (text, $args) = $statement.for_sqlite()?;
                let $text = &*text;
                $body
            }
            Target::PostgresPool($on) => {
                let (text, $args) = $statement.for_postgres()?;
                let $text = &*text;
                $body
            }
            Target::Postgres($on) => {
                let (text, $args) = $statement.for_postgres()?;
                let $text = &*text;
                $body
            }
        }
    }};
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

impl<'q, R: FromEitherRow> Bind<'q> for QueryAs<'q, R> {
    fn bind<T: Bindable<'q>>(self, value: T) -> Self {
        QueryAs::bind(self, value)
    }
}

impl<'q, V: Decodable> Bind<'q> for QueryScalar<'q, V> {
    fn bind<T: Bindable<'q>>(self, value: T) -> Self {
        QueryScalar::bind(self, value)
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

/// A statement whose rows become `T`.
pub struct QueryAs<'q, T> {
    statement: Statement<'q>,
    rows: std::marker::PhantomData<fn() -> T>,
}

/// `sqlx::query_as`, for either backend.
pub fn query_as<'q, T: FromEitherRow>(sql: impl Into<Sql<'q>>) -> QueryAs<'q, T> {
    QueryAs {
        statement: Statement::new(sql),
        rows: std::marker::PhantomData,
    }
}

impl<'q, T: FromEitherRow> QueryAs<'q, T> {
    pub fn bind<V: Bindable<'q>>(mut self, value: V) -> Self {
        self.statement.bind(value);
        self
    }

    pub async fn fetch_all<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Vec<T>> {
        run!(self.statement, on, |text, args, on| sqlx::query_as_with(
            text, args
        )
        .fetch_all(on)
        .await)
    }

    pub async fn fetch_one<'c>(self, on: impl Runs<'c>) -> sqlx::Result<T> {
        run!(self.statement, on, |text, args, on| sqlx::query_as_with(
            text, args
        )
        .fetch_one(on)
        .await)
    }

    pub async fn fetch_optional<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Option<T>> {
        run!(self.statement, on, |text, args, on| sqlx::query_as_with(
            text, args
        )
        .fetch_optional(on)
        .await)
    }
}

/// A statement whose rows are one value each.
pub struct QueryScalar<'q, T> {
    statement: Statement<'q>,
    values: std::marker::PhantomData<fn() -> T>,
}

/// `sqlx::query_scalar`, for either backend.
pub fn query_scalar<'q, T: Decodable>(sql: impl Into<Sql<'q>>) -> QueryScalar<'q, T> {
    QueryScalar {
        statement: Statement::new(sql),
        values: std::marker::PhantomData,
    }
}

impl<'q, T: Decodable> QueryScalar<'q, T> {
    pub fn bind<V: Bindable<'q>>(mut self, value: V) -> Self {
        self.statement.bind(value);
        self
    }

    pub async fn fetch_all<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Vec<T>> {
        run!(self.statement, on, |text, args, on| {
            sqlx::query_scalar_with(text, args).fetch_all(on).await
        })
    }

    pub async fn fetch_one<'c>(self, on: impl Runs<'c>) -> sqlx::Result<T> {
        run!(self.statement, on, |text, args, on| {
            sqlx::query_scalar_with(text, args).fetch_one(on).await
        })
    }

    pub async fn fetch_optional<'c>(self, on: impl Runs<'c>) -> sqlx::Result<Option<T>> {
        run!(self.statement, on, |text, args, on| {
            sqlx::query_scalar_with(text, args).fetch_optional(on).await
        })
    }
}

/// `sqlx::QueryBuilder`, for either backend: text pushed piece by piece,
/// each bound value numbered `$1, $2, …` as it is pushed.
pub struct Builder<'q> {
    text: String,
    statement: Statement<'q>,
    bound: usize,
}

impl<'q> Builder<'q> {
    pub fn new(start: impl Into<String>) -> Self {
        Self {
            text: start.into(),
            statement: Statement::new(""),
            bound: 0,
        }
    }

    pub fn push(&mut self, text: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.text, "{text}");
        self
    }

    pub fn push_bind<T: Bindable<'q>>(&mut self, value: T) -> &mut Self {
        self.bound += 1;
        let _ = std::fmt::Write::write_fmt(&mut self.text, format_args!("${}", self.bound));
        self.statement.bind(value);
        self
    }

    /// ` VALUES (…), (…)`: one parenthesised row per item, its values
    /// pushed by `row` and separated by commas.
    pub fn push_values<I: IntoIterator>(
        &mut self,
        rows: I,
        mut row: impl FnMut(Values<'_, 'q>, I::Item),
    ) -> &mut Self {
        self.text.push_str(" VALUES ");
        for (n, item) in rows.into_iter().enumerate() {
            if n > 0 {
                self.text.push_str(", ");
            }
            self.text.push('(');
            row(
                Values {
                    builder: self,
                    first: true,
                },
                item,
            );
            self.text.push(')');
        }
        self
    }

    fn finish(self) -> Statement<'q> {
        let mut statement = self.statement;
        statement.sql = Sql::from(self.text);
        statement
    }

    pub fn build(self) -> Query<'q> {
        Query(self.finish())
    }

    pub fn build_query_as<T: FromEitherRow>(self) -> QueryAs<'q, T> {
        QueryAs {
            statement: self.finish(),
            rows: std::marker::PhantomData,
        }
    }

    pub fn build_query_scalar<T: Decodable>(self) -> QueryScalar<'q, T> {
        QueryScalar {
            statement: self.finish(),
            values: std::marker::PhantomData,
        }
    }
}

/// One row of [`Builder::push_values`].
pub struct Values<'b, 'q> {
    builder: &'b mut Builder<'q>,
    first: bool,
}

impl<'q> Values<'_, 'q> {
    pub fn push_bind<T: Bindable<'q>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.builder.text.push_str(", ");
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}
