//! `sqlx::QueryBuilder`, for either backend: a statement whose text is
//! pushed piece by piece.

use super::{
    Bindable, Decodable, Fetch, FromEitherRow, Query, QueryAs, QueryScalar, Sql, Statement,
};

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
            self.builder.text.push_str(", ");
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}
