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
    /// Where to end the session if the test fails before `quit`.
    session: Option<(String, String)>,
    _turn: MutexGuard<'static, ()>,
}

/// A test that panics never reaches `quit`: end its WebDriver session here
/// (a plain blocking HTTP DELETE), so the app closes and the next test can start.
impl Drop for RunningApp {
    fn drop(&mut self) {
        let Some((url, session)) = self.session.take() else {
            return;
        };
        let Some(authority) = url.strip_prefix("http://") else {
            return;
        };
        if let Ok(mut stream) = std::net::TcpStream::connect(authority) {
            use std::io::{Read, Write};
            let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
            let request = format!(
                "DELETE /session/{session} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(request.as_bytes());
            let _ = stream.read_to_end(&mut Vec::new());
        }
    }
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
                // The test-only flag lets the tests' scripts close the
                // window and ask whether it is shown (desktop.rs); the
                // shipped app has no such permissions.
                "args": ["--data-dir", data_dir.path(), "--e2e-window-control"],
            }),
        );
        // A start that fails (seen once: GTK could not open the display right
        // after the previous app exited) leaves WebDriver waiting forever:
        // give each start a deadline and try again.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let started = tokio::time::timeout(
                Duration::from_secs(30),
                ClientBuilder::rustls()
                    .expect("rustls client")
                    .capabilities(caps.clone())
                    .connect(&url),
            )
            .await;
            match started {
                Ok(Ok(client)) => break client,
                Ok(Err(err)) if attempt < 3 => {
                    eprintln!("app start {attempt} failed ({err}); trying again")
                }
                Err(_) if attempt < 3 => eprintln!("app start {attempt} timed out; trying again"),
                Ok(Err(err)) => panic!("no WebDriver session with the app: {err}"),
                Err(_) => panic!("no WebDriver session with the app after {attempt} attempts"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        };
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .map(|id| (url.clone(), id));
        Self {
            client,
            data_dir,
            session,
            _turn: turn,
        }
    }

    pub fn database_file(&self) -> PathBuf {
        self.data_dir
            .path()
            .join(partwatch_core::DATABASE_FILE_NAME)
    }

    /// Everything the app has logged to its log files so far.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(entries) = std::fs::read_dir(self.data_dir.path().join("logs")) {
            for entry in entries.flatten() {
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        text
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
        // The page may re-render between finding the element and reading it.
        for _ in 0..50 {
            let element = self
                .client
                .wait()
                .at_most(WAIT)
                .for_element(Locator::XPath(&xpath))
                .await
                .unwrap_or_else(|err| panic!("no value shown for {term:?}: {err}"));
            if let Ok(text) = element.text().await {
                return text.trim().to_owned();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the value for {term:?} kept changing under the test");
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

    /// Follows the link with this accessible name.
    pub async fn click_link(&self, name: &str) {
        let link = self.by_role(Role::Link, name).await;
        link.click()
            .await
            .unwrap_or_else(|err| panic!("could not follow {name:?}: {err}"));
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

    /// Types `text` into the form field labelled `label` (a `<label for>` or an
    /// `aria-label`), replacing what was there.
    pub async fn fill(&self, label: &str, text: &str) {
        let name = xpath_literal(label);
        let xpath = format!(
            "//*[@id=//label[normalize-space()={name}]/@for] | //input[@aria-label={name}] | //textarea[@aria-label={name}]"
        );
        let field = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no field labelled {label:?}: {err}"));
        field.clear().await.expect("field clears");
        // Typing (not only clearing) is what fires the input events the UI
        // listens to; an empty text is typed as a space and a backspace.
        let keys = if text.is_empty() { " \u{E003}" } else { text };
        field
            .send_keys(keys)
            .await
            .unwrap_or_else(|err| panic!("could not type into {label:?}: {err}"));
    }

    /// Chooses the option showing `option` in the select labelled `label`;
    /// for a combobox (a part or location picker), types `option` and picks
    /// the match named so.
    pub async fn choose(&self, label: &str, option: &str) {
        let field_xpath = format!(
            "//*[@id=//label[normalize-space()={}]/@for]",
            xpath_literal(label)
        );
        let field = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&field_xpath))
            .await
            .unwrap_or_else(|err| panic!("no field labelled {label:?}: {err}"));
        if field.attr("role").await.ok().flatten().as_deref() == Some("combobox") {
            return self.pick(label, option, option).await;
        }
        let xpath = format!(
            "//select[@id=//label[normalize-space()={}]/@for]/option[normalize-space()={}]",
            xpath_literal(label),
            xpath_literal(option)
        );
        let choice = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no option {option:?} in {label:?}: {err}"));
        choice.click().await.expect("option chosen");
    }

    /// Types `typed` into the combobox labelled `label` and picks the option
    /// named `option` (its whole text, or its first part: a part's name
    /// before its IPN) from the list it shows.
    pub async fn pick(&self, label: &str, typed: &str, option: &str) {
        let field_xpath = format!(
            "//input[@role='combobox'][@id=//label[normalize-space()={}]/@for]",
            xpath_literal(label)
        );
        let field = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&field_xpath))
            .await
            .unwrap_or_else(|err| panic!("no combobox labelled {label:?}: {err}"));
        field.clear().await.expect("combobox clears");
        field
            .send_keys(typed)
            .await
            .unwrap_or_else(|err| panic!("could not type into {label:?}: {err}"));
        let name = xpath_literal(option);
        let option_xpath = format!(
            "//*[@role='listbox'][@aria-label={}]/*[@role='option'][normalize-space()={name} or normalize-space(*[1])={name}]",
            xpath_literal(label)
        );
        // The list follows the typing: an option found may be replaced
        // before it is clicked; look again until a click lands.
        for _ in 0..100 {
            if let Ok(choice) = self.client.find(Locator::XPath(&option_xpath)).await {
                if choice.click().await.is_ok()
                    && field.attr("aria-expanded").await.ok().flatten().as_deref() == Some("false")
                {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no option {option:?} to pick in {label:?} after typing {typed:?}");
    }

    /// Waits until the control with this role and name has `aria-pressed` = `pressed`.
    pub async fn wait_pressed(&self, role: Role, name: &str, pressed: bool) {
        let want = if pressed { "true" } else { "false" };
        for _ in 0..100 {
            let element = self.by_role(role, name).await;
            if element.attr("aria-pressed").await.ok().flatten().as_deref() == Some(want) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{name:?} never became aria-pressed={want}");
    }

    /// Waits until the value shown for `term` is `expected`.
    pub async fn wait_for_value(&self, term: &str, expected: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            last = self.value_of(term).await;
            if last == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{term:?} shows {last:?}, not {expected:?}");
    }

    /// Waits until nothing with this role and name is on screen.
    pub async fn wait_gone(&self, role: Role, name: &str) {
        for _ in 0..100 {
            if !self.exists(role, name).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{role:?} {name:?} is still there");
    }

    /// With `PARTWATCH_SCREENSHOT_DIR` set, saves the X screen (the whole
    /// window, as a user sees it) there as `name.png` with ImageMagick.
    pub async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("PARTWATCH_SCREENSHOT_DIR") else {
            return;
        };
        tokio::time::sleep(Duration::from_millis(400)).await;
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        let status = tokio::process::Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status()
            .await
            .expect("ImageMagick's import runs");
        assert!(status.success(), "screenshot {name} failed");
    }

    /// The number on the bell's badge; `None` when there is no badge (or no bell).
    pub async fn badge(&self) -> Option<String> {
        let badge = self
            .client
            .find(Locator::XPath(
                "//button[@aria-label='Notifications']//*[contains(@class, 'unread-badge')]",
            ))
            .await
            .ok()?;
        badge.text().await.ok().map(|t| t.trim().to_owned())
    }

    /// Waits until the bell's badge shows `expected` (`None`: no badge).
    pub async fn wait_for_badge(&self, expected: Option<&str>) {
        let mut seen = None;
        for _ in 0..100 {
            seen = self.badge().await;
            if seen.as_deref() == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the badge shows {seen:?}, not {expected:?}");
    }

    /// Ends the session, which closes the window and the app.
    pub async fn quit(mut self) {
        self.session = None;
        self.client.clone().close().await.expect("session closes");
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
    Checkbox,
    Tab,
    /// An option of a listbox (a combobox's list).
    ListOption,
}

impl Role {
    fn xpath(self, name: &str) -> String {
        let elements = match self {
            Role::Button => "//button | //*[@role='button']",
            Role::Link => "//a[@href] | //*[@role='link']",
            Role::Navigation => "//nav | //*[@role='navigation']",
            Role::Heading => "//h1 | //h2 | //h3 | //h4 | //*[@role='heading']",
            Role::Group => "//fieldset | //*[@role='group']",
            // A checkbox is named by the label that wraps it.
            Role::Checkbox => "//label[input[@type='checkbox']]",
            Role::Tab => "//*[@role='tab']",
            Role::ListOption => "//*[@role='option']",
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

/// `invoke(cmd, args)` and `listen(event, handler)` for scripts run in the
/// window: the same calls on Tauri's `__TAURI_INTERNALS__` bridge as the
/// UI's own `ui/ipc.js` (the app exposes no `window.__TAURI__` global).
const IPC_JS: &str = "
    const invoke = (cmd, args = {}) => window.__TAURI_INTERNALS__.invoke(cmd, args);
    const listen = (event, handler) => invoke('plugin:event|listen', {
        event,
        target: { kind: 'Any' },
        handler: window.__TAURI_INTERNALS__.transformCallback(handler),
    });";

/// Runs `body` (an async JS function body with `invoke` and `listen` in scope)
/// in the window, as the UI would, and returns `{ ok: value }` or
/// `{ rejected: error }`.
pub async fn in_window(app: &RunningApp, body: &str) -> serde_json::Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         {IPC_JS}
         (async () => {{ {body} }})().then(
             value => done({{ ok: value }}),
             error => done({{ rejected: error }}));"
    );
    app.client
        .execute_async(&script, vec![])
        .await
        .expect("script runs in the window")
}
