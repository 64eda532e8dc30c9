//! Launching the app for one test and finding things the way a person does:
//! by role and accessible name.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

/// WebKitWebDriver drives one app at a time; tests take turns.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(20);

/// A running Partwatch window with its own, initially empty, data directory.
pub struct RunningApp {
    pub client: Client,
    data_dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl RunningApp {
    /// Starts the app binary on a fresh, empty data directory.
    pub async fn launch_empty() -> Self {
        let turn = ONE_APP_AT_A_TIME.lock().await;
        let url = std::env::var("PARTWATCH_WEBDRIVER_URL").expect(
            "PARTWATCH_WEBDRIVER_URL is not set: run the end-to-end tests with `bash tests/run.sh`",
        );
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let application = env!("CARGO_BIN_EXE_partwatch");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": application,
                "args": ["--data-dir", data_dir.path()],
            }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls client")
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a WebDriver session with the app");
        Self {
            client,
            data_dir,
            _turn: turn,
        }
    }

    pub fn database_file(&self) -> PathBuf {
        self.data_dir
            .path()
            .join(partwatch_core::DATABASE_FILE_NAME)
    }

    /// Waits for the element with this ARIA role and accessible name.
    pub async fn by_role(&self, role: Role, name: &str) -> Element {
        let xpath = role.xpath(name);
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no {role:?} named {name:?} ({xpath}): {err}"))
    }

    /// Waits for the value a description list gives for `term` (a `<dt>`'s `<dd>`).
    pub async fn value_of(&self, term: &str) -> String {
        let xpath = format!(
            "//dt[normalize-space()={}]/following-sibling::dd[1]",
            xpath_literal(term)
        );
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no value shown for {term:?}: {err}"));
        element.text().await.expect("text").trim().to_owned()
    }

    /// Is there, right now, an element with this role and name?
    pub async fn exists(&self, role: Role, name: &str) -> bool {
        self.client
            .find(Locator::XPath(&role.xpath(name)))
            .await
            .is_ok()
    }

    /// Clicks the button with this accessible name (once it is enabled).
    pub async fn click_button(&self, name: &str) {
        let button = self.by_role(Role::Button, name).await;
        button
            .click()
            .await
            .unwrap_or_else(|err| panic!("could not click {name:?}: {err}"));
    }

    /// Waits until the group with this accessible name shows `text`.
    pub async fn wait_for_text(&self, text: &str) -> Element {
        let xpath = format!(
            "//*[contains(normalize-space(), {})][not(*[contains(normalize-space(), {})])]",
            xpath_literal(text),
            xpath_literal(text)
        );
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("{text:?} never appeared: {err}"))
    }

    /// The text of every cell in the first column of the table with this accessible name.
    pub async fn first_column(&self, table: &str) -> Vec<String> {
        let xpath = format!("//table[@aria-label={}]", xpath_literal(table));
        let table = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no table {xpath}: {err}"));
        let mut out = Vec::new();
        for cell in table
            .find_all(Locator::XPath(".//tbody/tr/td[1]"))
            .await
            .expect("cells")
        {
            out.push(cell.text().await.expect("text").trim().to_owned());
        }
        out
    }

    /// Ends the session, which closes the window and the app.
    pub async fn quit(self) {
        self.client.close().await.expect("session closes");
    }
}

/// The ARIA roles the tests look for, with the HTML elements that carry them implicitly.
#[derive(Debug, Clone, Copy)]
pub enum Role {
    Button,
    Link,
    Navigation,
    Heading,
    Group,
}

impl Role {
    fn xpath(self, name: &str) -> String {
        let elements = match self {
            Role::Button => "//button | //*[@role='button']",
            Role::Link => "//a[@href] | //*[@role='link']",
            Role::Navigation => "//nav | //*[@role='navigation']",
            Role::Heading => "//h1 | //h2 | //h3 | //h4 | //*[@role='heading']",
            Role::Group => "//fieldset | //*[@role='group']",
        };
        let name = xpath_literal(name);
        // The accessible name: aria-label when present, else the text content.
        elements
            .split(" | ")
            .map(|e| {
                format!(
                    "{e}[@aria-label={name} or (not(@aria-label) and normalize-space()={name})]"
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}
