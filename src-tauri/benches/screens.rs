//! How fast each screen shows its content, measured in the real window
//! (tauri-driver + WebKitWebDriver under the harness's Xvfb, the release
//! build): on a generated 100,000-part database beside the demo inventory,
//! in the same run.
//!
//! Each figure is the time inside the page from the click (or, for search,
//! the typing) until the first animation frame in which the screen's
//! content is in the page: Home's "Running low (N)", the Parts screen's
//! rows, a search's matching rows, a part's stock figures, a category's
//! rows (chosen in the tree: the count of that category and below in the
//! pager). Between two measurements the window goes to Locations and
//! settles, so every click starts from another screen. Also: how many
//! elements the Parts screen holds.
//!
//!   bash tests/harness/with-services.sh cargo bench --bench screens [-- PARTS]

#![allow(clippy::print_stdout)] // a benchmark reports on standard output

use fantoccini::{Client, ClientBuilder};
use partwatch_core::inventory::generator::{self, GeneratorSpec};
use partwatch_core::Database;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const RUNS: usize = 7;

/// The parts screen's pause after typing before it searches
/// (`SEARCH_PAUSE` in `ui/src/pages/parts/mod.rs`), reported apart.
const SEARCH_PAUSE_MS: f64 = 250.0;

/// Clicks (or types into) the element at `arguments[0]` (XPath), then
/// answers `{ ms, nodes }` at the first animation frame in which the XPath
/// `arguments[1]` finds something; `arguments[2]`: text to type, or null.
const MEASURE: &str = r#"
const [clickAt, readyAt, typed] = arguments;
const done = arguments[arguments.length - 1];
const find = x => document.evaluate(x, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
const target = find(clickAt);
if (!target) { done({ error: 'nothing to click at ' + clickAt }); return; }
const started = performance.now();
if (typed !== null) {
  target.value = typed;
  target.dispatchEvent(new Event('input', { bubbles: true }));
} else {
  target.click();
}
const check = () => {
  if (find(readyAt)) {
    done({ ms: performance.now() - started, nodes: document.getElementsByTagName('*').length });
  } else if (performance.now() - started > 20000) {
    done({ error: 'never ready: ' + readyAt });
  } else {
    requestAnimationFrame(check);
  }
};
check();
"#;

/// The first sub-category in the tree with parts: `{ name, count }`.
const TREE_CATEGORY: &str = r#"
const rows = [...document.querySelectorAll('nav.tree li.tree-row')].slice(2);
for (const row of rows) {
  const count = Number(row.querySelector('.count')?.textContent ?? '0');
  if (count > 0) return { name: row.querySelector('.tree-name').textContent.trim(), count };
}
return null;
"#;

fn literal(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}

fn nav(area: &str) -> String {
    format!(
        "//nav[@aria-label='Main']//a[normalize-space()={}]",
        literal(area)
    )
}

struct Window {
    client: Client,
}

impl Window {
    async fn open(url: &str, data_dir: &Path) -> Self {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({
                "application": env!("CARGO_BIN_EXE_partwatch"),
                "args": ["--data-dir", data_dir],
            }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps)
            .connect(url)
            .await
            .expect("a WebDriver session with the app");
        let window = Self { client };
        window.wait_for(&nav("Parts")).await;
        window
    }

    async fn wait_for(&self, xpath: &str) {
        for _ in 0..600 {
            let found = self
                .client
                .execute(
                    "return !!document.evaluate(arguments[0], document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;",
                    vec![json!(xpath)],
                )
                .await;
            if found.is_ok_and(|v| v == json!(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("never shown: {xpath}");
    }

    /// `click_at`, then the time until `ready_at` is in the page (ms) and
    /// how many elements the page then holds.
    async fn measure(&self, click_at: &str, ready_at: &str, typed: Option<&str>) -> (f64, u64) {
        let answer = self
            .client
            .execute_async(
                MEASURE,
                vec![json!(click_at), json!(ready_at), json!(typed)],
            )
            .await
            .expect("the measuring script ran");
        match (answer["ms"].as_f64(), answer["nodes"].as_u64()) {
            (Some(ms), Some(nodes)) => (ms, nodes),
            _ => panic!("{answer}"),
        }
    }

    /// Goes to another screen and lets it settle.
    async fn elsewhere(&self) {
        self.measure(
            &nav("Locations"),
            "//h1[normalize-space()='Locations']",
            None,
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    async fn screen(&self, area: &str, ready_at: &str) -> (f64, u64) {
        self.elsewhere().await;
        self.measure(&nav(area), ready_at, None).await
    }

    async fn close(self) {
        self.client.close().await.expect("session closes");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

const PARTS_ROWS: &str = "//table[@aria-label='Parts']//tbody/tr";

/// Every screen `RUNS` times on the database in `dir`: the medians (ms) of
/// Home, Parts, search, a part and a category, and the Parts screen's
/// element count.
async fn screens(url: &str, dir: &Path, search: &str) -> ([f64; 5], u64) {
    let window = Window::open(url, dir).await;
    let mut figures: [Vec<f64>; 5] = Default::default();
    let mut nodes = 0;
    let search_ready = format!(
        "//table[@aria-label='Parts'][.//tbody/tr][not(.//tbody/tr[not(contains(., {}))])]",
        literal(search)
    );
    // One round to warm up (first loads of the code paths), not counted.
    for round in 0..=RUNS {
        let counted = round > 0;
        let (home, _) = window
            .screen(
                "Home",
                "//h2[starts-with(normalize-space(), 'Running low (')]",
            )
            .await;
        let (parts, parts_nodes) = window.screen("Parts", PARTS_ROWS).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (searched, _) = window
            .measure(
                "//input[@aria-label='Search parts']",
                &search_ready,
                Some(search),
            )
            .await;
        let (part, _) = window
            .measure(
                &format!("({PARTS_ROWS})[1]//a"),
                "//dl[@aria-label='Stock figures']",
                None,
            )
            .await;
        window.screen("Parts", PARTS_ROWS).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let category = window
            .client
            .execute(TREE_CATEGORY, vec![])
            .await
            .expect("the tree was read");
        let (name, count) = match (category["name"].as_str(), category["count"].as_u64()) {
            (Some(name), Some(count)) => (name.to_owned(), count),
            _ => panic!("no sub-category with parts in the tree: {category}"),
        };
        let (category_ms, _) = window
            .measure(
                &format!("//nav[contains(@class,'tree')]//button[@class='tree-name'][normalize-space()={}]", literal(&name)),
                &format!(
                    "//h1[normalize-space()={}]/following::span[normalize-space()='1–{} of {count}']",
                    literal(&name),
                    count.min(50)
                ),
                None,
            )
            .await;
        if counted {
            for (list, figure) in figures
                .iter_mut()
                .zip([home, parts, searched, part, category_ms])
            {
                list.push(figure);
            }
            nodes = parts_nodes;
        }
    }
    window.close().await;
    (figures.map(median), nodes)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() {
    let parts: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let url = std::env::var("PARTWATCH_WEBDRIVER_URL").expect(
        "run inside the harness: bash tests/harness/with-services.sh cargo bench --bench screens",
    );
    let scratch = tempfile::Builder::new()
        .prefix("screens-")
        .tempdir()
        .expect("temp dir");
    let demo = scratch.path().join("demo");
    let large = scratch.path().join("large");
    let db = Database::open_in(&demo).await.expect("demo database");
    partwatch_core::inventory::demo::load(&db)
        .await
        .expect("demo inventory");
    db.close().await;
    let db = Database::open_in(&large).await.expect("large database");
    let generated = generator::generate(
        &db,
        GeneratorSpec {
            parts,
            depth: 5,
            fanout: 4,
            max_categories: 2_000,
            seed: 42,
        },
    )
    .await
    .expect("generated");
    db.close().await;

    println!("Partwatch screens, click → content in the window (release build, tauri-driver + WebKitWebDriver, Xvfb), medians of {RUNS}");
    println!(
        "search figures include the {SEARCH_PAUSE_MS:.0} ms pause the screen waits for typing to stop"
    );
    let mut rows = Vec::new();
    for (label, dir, search) in [
        ("demo inventory".to_owned(), &demo, "Resistor"),
        (
            format!(
                "{} parts, {} categories",
                generated.parts,
                generated.categories.len()
            ),
            &large,
            "Part 00042",
        ),
    ] {
        let (figures, nodes) = screens(&url, dir, search).await;
        rows.push((label, figures, nodes));
    }
    println!(
        "  {:<34} {:>7} {:>7} {:>14} {:>7} {:>9} {:>14}",
        "database", "Home", "Parts", "search (−pause)", "a part", "category", "Parts elements"
    );
    for (label, [home, parts, search, part, category], nodes) in rows {
        println!(
            "  {label:<34} {home:5.0} ms {parts:5.0} ms {search:5.0} ms ({:3.0}) {part:5.0} ms {category:6.0} ms {nodes:>14}",
            search - SEARCH_PAUSE_MS
        );
    }
}
