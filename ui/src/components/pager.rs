//! Paging through a long list of parts: which rows of how many are shown
//! ("51–100 of 230"), "Previous page" and "Next page"; and, when the list
//! shrank under a page past its end, which page to show instead.

use leptos::prelude::*;
use partwatch_types::inventory::Page;

/// Rows a page of parts holds.
pub const PAGE_SIZE: i64 = 50;

/// The last page (zero-based) of a list of `total` rows; 0 when it is empty.
pub fn last_page(total: i64, page_size: i64) -> i64 {
    if total <= 0 || page_size <= 0 {
        0
    } else {
        (total - 1) / page_size
    }
}

/// `found` is an empty page past the end of its list (the list shrank since
/// the page was chosen): the page to show instead, its last one.
pub fn past_the_end<T>(found: &Page<T>) -> Option<i64> {
    (found.items.is_empty() && found.page > 0).then(|| last_page(found.total, found.page_size))
}

/// Where a page sits in its list: what a `Pager` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAt {
    /// Zero-based.
    pub page: i64,
    pub page_size: i64,
    /// Rows on this page.
    pub rows: i64,
    /// Rows in the whole list.
    pub total: i64,
}

impl PageAt {
    pub fn of<T>(found: &Page<T>) -> Self {
        Self {
            page: found.page,
            page_size: found.page_size,
            rows: i64::try_from(found.items.len()).unwrap_or(i64::MAX),
            total: found.total,
        }
    }
}

/// Which rows of how many the page shows, and buttons that ask for the page
/// before or after it (`on_page` gets its zero-based number).
#[component]
pub fn Pager(at: PageAt, #[prop(into)] on_page: Callback<i64>) -> impl IntoView {
    let PageAt {
        page,
        page_size,
        rows,
        total,
    } = at;
    let first = page * page_size + 1;
    let last = first + rows - 1;
    view! {
        <div class="pager" role="group" aria-label="Pages">
            <span class="muted">{format!("{first}–{last} of {total}")}</span>
            <button type="button" class="button" disabled={page == 0}
                on:click=move |_| on_page.run((page - 1).max(0))>"Previous page"</button>
            <button type="button" class="button" disabled={page >= last_page(total, page_size)}
                on:click=move |_| on_page.run(page + 1)>"Next page"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(page: i64, rows: usize, total: i64) -> Page<()> {
        Page {
            items: vec![(); rows],
            total,
            page,
            page_size: 50,
        }
    }

    #[test]
    fn the_last_page_holds_the_last_row() {
        assert_eq!(last_page(0, 50), 0);
        assert_eq!(last_page(1, 50), 0);
        assert_eq!(last_page(50, 50), 0);
        assert_eq!(last_page(51, 50), 1);
        assert_eq!(last_page(230, 50), 4);
    }

    #[test]
    fn an_empty_page_past_the_end_gives_way_to_the_last_page() {
        assert_eq!(past_the_end(&page(0, 0, 0)), None, "nothing matches");
        assert_eq!(past_the_end(&page(1, 30, 80)), None, "a page with rows");
        assert_eq!(past_the_end(&page(3, 0, 80)), Some(1));
        assert_eq!(past_the_end(&page(2, 0, 0)), Some(0));
    }
}
