//! Every path of the app, in one place: the router's table is declared in
//! `app.rs` with these same shapes, and every link and navigation builds its
//! path here, so a moved screen is one change.

use partwatch_types::inventory::{BuildOrderId, CategoryId, LocationId, PartId, PartSort};
use partwatch_types::notifications::NotificationTarget;
use std::fmt::Write as _;

pub const HOME: &str = "/";
pub const PARTS: &str = "/parts";
pub const BUILDS: &str = "/builds";
pub const NOTIFICATIONS: &str = "/notifications";
pub const SETTINGS: &str = "/settings";
pub const LOCATIONS: &str = "/locations";

/// A part's page.
pub fn part(id: PartId) -> String {
    format!("/parts/{id}")
}

/// A build order's page.
pub fn build(id: BuildOrderId) -> String {
    format!("{BUILDS}/{id}")
}

/// A location's page.
pub fn location(id: LocationId) -> String {
    format!("{LOCATIONS}/{id}")
}

/// A category's page.
pub fn category(id: CategoryId) -> String {
    format!("/categories/{id}")
}

/// A category's page showing page `page` (zero-based) of its parts.
pub fn category_at(id: CategoryId, page: i64) -> String {
    let mut query = Query::default();
    query.page(page);
    format!("{}{}", category(id), query.0)
}

/// What the parts browser shows. It lives in the address (`/parts?…`), so
/// leaving the browser and coming back (Back) shows the same view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartsView {
    /// This category and below; `None`: all parts.
    pub category: Option<CategoryId>,
    pub search: String,
    pub low_only: bool,
    /// Only parts the current user's subscriptions cover.
    pub watched_only: bool,
    pub sort: PartSort,
    pub descending: bool,
    /// Zero-based, as in `PartQuery` (the address counts from 1).
    pub page: i64,
}

impl PartsView {
    /// Reads a parts browser address's query (the part after `?`). What is
    /// missing or not understood stays as in the default view.
    pub fn from_query(query: &str) -> Self {
        let mut view = PartsView::default();
        for (key, value) in query_pairs(query) {
            match key.as_str() {
                "category" => view.category = value.parse().ok(),
                "search" => view.search = value,
                "low" => view.low_only = value == "1",
                "subscribed" => view.watched_only = value == "1",
                "sort" => {
                    view.sort = PART_SORTS
                        .into_iter()
                        .find(|sort| sort_key(*sort) == value)
                        .unwrap_or_default();
                }
                "desc" => view.descending = value == "1",
                "page" => view.page = page_from(&value),
                _ => {}
            }
        }
        view
    }

    /// This view with `change` made to what it lists (category, search,
    /// filters, sort), back at the first page: the page it was on may not
    /// exist in the new list.
    pub fn changed(&self, change: impl FnOnce(&mut Self)) -> Self {
        let mut view = self.clone();
        change(&mut view);
        view.page = 0;
        view
    }

    /// This view sorted by `sort`: ascending, or the other way round if it
    /// already was sorted by it.
    pub fn sorted_by(&self, sort: PartSort) -> Self {
        self.changed(|view| {
            view.descending = view.sort == sort && !view.descending;
            view.sort = sort;
        })
    }

    /// This view at page `page` (zero-based).
    pub fn at_page(&self, page: i64) -> Self {
        Self {
            page: page.max(0),
            ..self.clone()
        }
    }
}

/// The parts browser showing `view`; only what differs from the default view
/// is in the query (`/parts?category=3&search=res&low=1&page=2`).
pub fn parts_filtered(view: &PartsView) -> String {
    let mut query = Query::default();
    if let Some(id) = view.category {
        query.pair("category", &id.to_string());
    }
    if !view.search.is_empty() {
        query.pair("search", &view.search);
    }
    if view.low_only {
        query.pair("low", "1");
    }
    if view.watched_only {
        query.pair("subscribed", "1");
    }
    if view.sort != PartSort::default() {
        query.pair("sort", sort_key(view.sort));
    }
    if view.descending {
        query.pair("desc", "1");
    }
    query.page(view.page);
    format!("{PARTS}{}", query.0)
}

/// The zero-based page in a `page` parameter, which counts from 1. Anything
/// else (or a number too large to ask for) is the first page.
pub fn page_param(query: &str) -> i64 {
    query_pairs(query)
        .filter(|(key, _)| key == "page")
        .last()
        .map_or(0, |(_, value)| page_from(&value))
}

fn page_from(value: &str) -> i64 {
    // At most u32::MAX pages: any page size times that is far from overflowing.
    value
        .parse::<u32>()
        .ok()
        .filter(|page| *page > 0)
        .map_or(0, |page| i64::from(page) - 1)
}

const PART_SORTS: [PartSort; 5] = [
    PartSort::Name,
    PartSort::Ipn,
    PartSort::Category,
    PartSort::InStock,
    PartSort::Minimum,
];

fn sort_key(sort: PartSort) -> &'static str {
    match sort {
        PartSort::Name => "name",
        PartSort::Ipn => "ipn",
        PartSort::Category => "category",
        PartSort::InStock => "in_stock",
        PartSort::Minimum => "minimum",
    }
}

/// A query string being built: `?key=value&…`, values percent-encoded.
#[derive(Default)]
struct Query(String);

impl Query {
    fn pair(&mut self, key: &str, value: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        self.0.push_str(key);
        self.0.push('=');
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                self.0.push(char::from(byte));
            } else {
                let _ = write!(self.0, "%{byte:02X}");
            }
        }
    }

    /// A zero-based page, written from 1; the first page is left out.
    fn page(&mut self, page: i64) {
        if page > 0 {
            self.pair("page", &(page + 1).to_string());
        }
    }
}

/// The decoded `key=value` pairs of a query string (with or without its `?`).
fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
}

/// Percent-decodes a query component (`+` is a space, as in forms); a `%`
/// not followed by two hex digits stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(byte) = hex {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a notification (or a clicked popup) leads.
pub fn target(target: &NotificationTarget) -> String {
    match target {
        NotificationTarget::Part(id) => part(*id),
        NotificationTarget::BuildOrder(id) => build(*id),
        NotificationTarget::None => NOTIFICATIONS.to_owned(),
    }
}

/// The id in a path parameter (`/parts/:id`), if it is one.
pub fn id_param<T: std::str::FromStr>(param: Option<&str>) -> Option<T> {
    param.and_then(|text| text.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::BuildOrderId;

    #[test]
    fn paths_are_built_from_ids() {
        assert_eq!(part(PartId(7)), "/parts/7");
        assert_eq!(category(CategoryId(12)), "/categories/12");
    }

    #[test]
    fn locations_have_a_list_and_a_page_each() {
        assert_eq!(LOCATIONS, "/locations");
        assert_eq!(location(LocationId(5)), "/locations/5");
    }

    #[test]
    fn a_notification_leads_to_its_part_or_its_build_order_or_the_inbox() {
        assert_eq!(target(&NotificationTarget::Part(PartId(3))), "/parts/3");
        assert_eq!(
            target(&NotificationTarget::BuildOrder(BuildOrderId(9))),
            "/builds/9"
        );
        assert_eq!(target(&NotificationTarget::None), NOTIFICATIONS);
    }

    #[test]
    fn the_parts_view_travels_in_the_address_and_back() {
        assert_eq!(parts_filtered(&PartsView::default()), "/parts");
        let low = PartsView {
            low_only: true,
            ..PartsView::default()
        };
        assert_eq!(parts_filtered(&low), "/parts?low=1");
        let view = PartsView {
            category: Some(CategoryId(3)),
            search: "10k & 5% +ünï/?#".to_owned(),
            low_only: true,
            watched_only: true,
            sort: PartSort::InStock,
            descending: true,
            page: 1,
        };
        let path = parts_filtered(&view);
        assert_eq!(
            path,
            "/parts?category=3&search=10k%20%26%205%25%20%2B%C3%BCn%C3%AF%2F%3F%23\
             &low=1&subscribed=1&sort=in_stock&desc=1&page=2"
        );
        let query = path.strip_prefix("/parts").expect("the parts browser");
        assert_eq!(PartsView::from_query(query), view);
        for sort in PART_SORTS {
            let view = PartsView {
                sort,
                ..PartsView::default()
            };
            let path = parts_filtered(&view);
            assert_eq!(PartsView::from_query(&path[PARTS.len()..]), view);
        }
    }

    #[test]
    fn a_new_filter_search_category_or_sort_starts_at_the_first_page() {
        let on_page_3 = PartsView::default().at_page(2);
        assert_eq!(on_page_3.page, 2);
        let subscribed = on_page_3.changed(|v| v.watched_only = true);
        assert!(subscribed.watched_only);
        assert_eq!(subscribed.page, 0);
        assert_eq!(on_page_3.changed(|v| v.search = "r".into()).page, 0);
        assert_eq!(
            on_page_3.changed(|v| v.category = Some(CategoryId(1))).page,
            0
        );

        let by_stock = on_page_3.sorted_by(PartSort::InStock);
        assert_eq!(
            (by_stock.sort, by_stock.descending, by_stock.page),
            (PartSort::InStock, false, 0)
        );
        let reversed = by_stock.at_page(1).sorted_by(PartSort::InStock);
        assert_eq!(
            (reversed.sort, reversed.descending, reversed.page),
            (PartSort::InStock, true, 0)
        );
        let by_name = reversed.sorted_by(PartSort::Name);
        assert_eq!((by_name.sort, by_name.descending), (PartSort::Name, false));
    }

    #[test]
    fn a_query_not_understood_shows_the_default_view() {
        assert_eq!(PartsView::from_query(""), PartsView::default());
        assert_eq!(
            PartsView::from_query("?category=x&low=yes&sort=colour&page=0&other=1"),
            PartsView::default()
        );
        assert_eq!(PartsView::from_query("page=-3").page, 0);
        assert_eq!(PartsView::from_query("page=99999999999999").page, 0);
        assert_eq!(PartsView::from_query("search=a+b%2").search, "a b%2");
    }

    #[test]
    fn a_category_page_beyond_the_first_names_it() {
        assert_eq!(category_at(CategoryId(4), 0), "/categories/4");
        assert_eq!(category_at(CategoryId(4), 2), "/categories/4?page=3");
        assert_eq!(page_param("?page=3"), 2);
        assert_eq!(page_param("page=1"), 0);
        assert_eq!(page_param("page=many"), 0);
        assert_eq!(page_param(""), 0);
    }

    #[test]
    fn only_a_number_is_an_id() {
        assert_eq!(id_param::<PartId>(Some("42")), Some(PartId(42)));
        assert_eq!(id_param::<PartId>(Some("42x")), None);
        assert_eq!(id_param::<PartId>(Some("")), None);
        assert_eq!(id_param::<PartId>(None), None);
    }
}
