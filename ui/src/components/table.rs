//! The app's data tables: one shape for every list of rows — a labelled
//! table, column headings (numbers right-aligned, an "Actions" column named
//! for screen readers only) and a row per item.

use leptos::prelude::*;

/// A column heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub label: &'static str,
    /// Numbers: right-aligned.
    pub numeric: bool,
    /// Named for screen readers only (the row buttons' column).
    pub hidden: bool,
}

/// A column of text.
pub const fn text(label: &'static str) -> Column {
    Column {
        label,
        numeric: false,
        hidden: false,
    }
}

/// A column of numbers.
pub const fn number(label: &'static str) -> Column {
    Column {
        label,
        numeric: true,
        hidden: false,
    }
}

/// A column named for screen readers only (its cells say what they are).
pub const fn hidden(label: &'static str) -> Column {
    Column {
        label,
        numeric: false,
        hidden: true,
    }
}

/// The column of row buttons.
pub const ACTIONS: Column = hidden("Actions");

/// A table labelled `label` with these columns and one row per item.
pub fn data_table<T, V>(
    label: &'static str,
    columns: &[Column],
    items: Vec<T>,
    row: impl FnMut(T) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    let headings = columns
        .iter()
        .map(|c| {
            let class = c.numeric.then_some("num");
            if c.hidden {
                view! { <th scope="col" class=class><span class="visually-hidden">{c.label}</span></th> }
                    .into_any()
            } else {
                view! { <th scope="col" class=class>{c.label}</th> }.into_any()
            }
        })
        .collect_view();
    view! {
        <table class="table" aria-label=label>
            <thead><tr>{headings}</tr></thead>
            <tbody>{items.into_iter().map(row).collect_view()}</tbody>
        </table>
    }
    .into_any()
}
