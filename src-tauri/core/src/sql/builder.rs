//! `sqlx::QueryBuilder`, for either backend: a statement whose text is
//! pushed piece by piece.

use std::borrow::Cow;

use super::{
    Bindable, Decodable, Fetch, FromEitherRow, Query, QueryAs, QueryScalar, Sql, Statement,
};

/// `sqlx::QueryBuilder`, for either backend: text pushed piece by piece,
/// each bound value numbered as it is pushed — `$1, $2, …` for PostgreSQL,
/// plain `?` for SQLite (the same order). SQLite keeps a list of the names
/// of named parameters (`$1`, `?1`) and sqlx asks each one's name when it
/// binds, a walk of that list: quadratic in a 7,000-value insert, which made
/// a 1,000-subscriber fan-out half as slow again. Unnamed `?` have no name.
pub struct Builder<'q> {
    sqlite: String,
    postgres: String,
    statement: Statement<'q>,
    bound: usize,
}

impl<'q> Builder<'q> {
    pub fn new(start: impl Into<String>) -> Self {
        let start = start.into();
        Self {
            sqlite: start.clone(),
            postgres: start,
            statement: Statement::new(""),
            bound: 0,
        }
    }

    pub fn push(&mut self, text: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.sqlite, "{text}");
        let _ = write!(self.postgres, "{text}");
        self
    }

    /// Text that differs between the dialects (`LIKE` / `ILIKE`).
    pub fn push_dialects(&mut self, sqlite: &str, postgres: &str) -> &mut Self {
        self.sqlite.push_str(sqlite);
        self.postgres.push_str(postgres);
        self
    }

    fn push_str(&mut self, text: &str) {
        self.sqlite.push_str(text);
        self.postgres.push_str(text);
    }

    pub fn push_bind<T: Bindable<'q>>(&mut self, value: T) -> &mut Self {
        use std::fmt::Write;
        self.bound += 1;
        self.sqlite.push('?');
        let _ = write!(self.postgres, "${}", self.bound);
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
        self.push_str(" VALUES ");
        for (n, item) in rows.into_iter().enumerate() {
            if n > 0 {
                self.push_str(", ");
            }
            self.push_str("(");
            row(
                Values {
                    builder: self,
                    first: true,
                },
                item,
            );
            self.push_str(")");
        }
        self
    }

    fn finish(self) -> Statement<'q> {
        let mut statement = self.statement;
        statement.sql = Sql {
            sqlite: Cow::Owned(self.sqlite),
            postgres: Some(Cow::Owned(self.postgres)),
        };
        statement
    }

    pub fn build(self) -> Query<'q> {
        Query(self.finish())
    }

    pub fn build_query_as<T: FromEitherRow>(self) -> QueryAs<'q, T> {
        Fetch::new(self.finish())
    }

    pub fn build_query_scalar<T: Decodable>(self) -> QueryScalar<'q, T> {
        Fetch::new(self.finish())
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
            self.builder.push_str(", ");
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}
