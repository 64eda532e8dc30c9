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

/// The pause between two looks of a polling wait.
pub const TICK: Duration = Duration::from_millis(50);

/// Asks `probe` (at most `tries` times, `every` apart) until its answer
/// satisfies `done`: `Ok` with that answer, or `Err` with the last one seen.
pub async fn poll<T>(
    tries: u32,
    every: Duration,
    mut probe: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
) -> Result<T, T> {
    let mut tried = 0;
    loop {
        let seen = probe().await;
        tried += 1;
        if done(&seen) {
            return Ok(seen);
        }
        if tried >= tries {
            return Err(seen);
        }
        tokio::time::sleep(every).await;
    }
}

/// Does `probe` answer `true` within 100 looks, [`TICK`] apart (about five seconds)?
pub async fn eventually(probe: impl AsyncFnMut() -> bool) -> bool {
    poll(100, TICK, probe, |yes| *yes).await.is_ok()
}

/// A running Partwatch window with its own, initially empty, data directory.
pub struct RunningApp {
    pub client: Client,
    data_dir: tempfile::TempDir,
    /// Where to end the session if the test fails before `quit`.
    session: Option<(String, String)>,
    _turn: Option<MutexGuard<'static, ()>>,
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
        Self::launch_in(tempfile::tempdir().expect("temp data dir"), &[]).await
    }

    /// Starts the app binary on `data_dir` (kept from an earlier start, or
    /// new), with `extra` arguments (`--database URL`).
    pub async fn launch_in(data_dir: tempfile::TempDir, extra: &[&str]) -> Self {
        let turn = ONE_APP_AT_A_TIME.lock().await;
        let url = std::env::var("PARTWATCH_WEBDRIVER_URL").expect(
            "PARTWATCH_WEBDRIVER_URL is not set: run the end-to-end tests with `bash tests/run.sh`",
        );
        Self::launch_through(&url, data_dir, extra, Some(turn)).await
    }

    /// Starts the app on `desktop` (another person's, beside the one of
    /// [`RunningApp::launch_in`], whose test holds the turn).
    pub async fn launch_on(
        desktop: &SecondDesktop,
        data_dir: tempfile::TempDir,
        extra: &[&str],
    ) -> Self {
        Self::launch_through(&desktop.webdriver_url, data_dir, extra, None).await
    }

    async fn launch_through(
        url: &str,
        data_dir: tempfile::TempDir,
        extra: &[&str],
        turn: Option<MutexGuard<'static, ()>>,
    ) -> Self {
        let url = url.to_owned();
        let application = env!("CARGO_BIN_EXE_partwatch");
        let mut args = vec![
            serde_json::json!("--data-dir"),
            serde_json::json!(data_dir.path()),
            serde_json::json!("--e2e-window-control"),
        ];
        args.extend(extra.iter().map(|a| serde_json::json!(a)));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": application,
                // The test-only flag lets the tests' scripts close the
                // window and ask whether it is shown (desktop.rs); the
                // shipped app has no such permissions.
                "args": args,
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

    /// Starts the app on an empty data directory and clicks "Start empty" on
    /// the welcome card: the overview of an empty inventory.
    pub async fn start_empty() -> Self {
        Self::launch_and("Start empty").await
    }

    /// Starts the app on an empty data directory and loads the demo inventory
    /// from the welcome card: the overview of the demo's figures.
    pub async fn with_demo() -> Self {
        Self::launch_and("Load demo inventory").await
    }

    async fn launch_and(welcome_button: &str) -> Self {
        let app = Self::launch_empty().await;
        app.click_button(welcome_button).await;
        app.by_role(Role::Group, "Inventory at a glance").await;
        app
    }

    /// Waits for the first element `xpath` finds (or the WebDriver error).
    async fn find_soon(&self, xpath: &str) -> Result<Element, fantoccini::error::CmdError> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
    }

    /// Waits for the first element `xpath` finds; panics with `what` if none comes.
    pub async fn wait_for_xpath(&self, xpath: &str, what: &str) -> Element {
        self.find_soon(xpath)
            .await
            .unwrap_or_else(|err| panic!("{what}: {err}"))
    }

    /// Waits for the element with this ARIA role and accessible name.
    pub async fn by_role(&self, role: Role, name: &str) -> Element {
        let xpath = role.xpath(name);
        self.wait_for_xpath(&xpath, &format!("no {role:?} named {name:?} ({xpath})"))
            .await
    }

    /// Waits for the value a description list gives for `term` (a `<dt>`'s `<dd>`).
    pub async fn value_of(&self, term: &str) -> String {
        let xpath = format!(
            "//dt[normalize-space()={}]/following-sibling::dd[1]",
            xpath_literal(term)
        );
        let what = format!("no value shown for {term:?}");
        // The page may re-render between finding the element and reading it.
        let read = poll(
            50,
            TICK,
            async || self.wait_for_xpath(&xpath, &what).await.text().await.ok(),
            Option::is_some,
        )
        .await;
        match read {
            Ok(Some(text)) => text.trim().to_owned(),
            _ => panic!("the value for {term:?} kept changing under the test"),
        }
    }

    /// Is there, right now, an element with this role and name?
    pub async fn exists(&self, role: Role, name: &str) -> bool {
        self.client
            .find(Locator::XPath(&role.xpath(name)))
            .await
            .is_ok()
    }

    /// Clicks the element with this role and accessible name.
    pub async fn click(&self, role: Role, name: &str) {
        self.by_role(role, name)
            .await
            .click()
            .await
            .unwrap_or_else(|err| panic!("could not click {role:?} {name:?}: {err}"));
    }

    /// Clicks the button with this accessible name.
    pub async fn click_button(&self, name: &str) {
        self.click(Role::Button, name).await;
    }

    /// Follows the link with this accessible name.
    pub async fn click_link(&self, name: &str) {
        self.click(Role::Link, name).await;
    }

    /// Ticks (or unticks) the checkbox labelled `label`, scrolled to the
    /// middle of the window first (a small box near the edge can be under
    /// the sticky header).
    pub async fn tick(&self, label: &str) {
        let checkbox = self.by_role(Role::Checkbox, label).await;
        let scrolled = self
            .client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&checkbox).expect("an element reference")],
            )
            .await;
        if let Err(err) = scrolled {
            panic!("could not scroll to {label:?}: {err}");
        }
        checkbox
            .click()
            .await
            .unwrap_or_else(|err| panic!("could not tick {label:?}: {err}"));
    }

    /// Follows the link `link` and waits for the page's heading `heading`.
    pub async fn open(&self, link: &str, heading: &str) {
        self.click_link(link).await;
        self.by_role(Role::Heading, heading).await;
    }

    /// Waits until the page shows `text` (in the innermost element holding it).
    pub async fn wait_for_text(&self, text: &str) -> Element {
        let wanted = xpath_literal(text);
        let xpath = format!(
            "//*[contains(normalize-space(), {wanted})][not(*[contains(normalize-space(), {wanted})])]"
        );
        self.wait_for_xpath(&xpath, &format!("{text:?} never appeared"))
            .await
    }

    /// The text of every cell of every body row of the table with this
    /// accessible name, once the table is there.
    pub async fn table_rows(&self, table: &str) -> Vec<Vec<String>> {
        self.read_table(table)
            .await
            .unwrap_or_else(|err| panic!("could not read the table {table:?}: {err}"))
    }

    async fn read_table(
        &self,
        table: &str,
    ) -> Result<Vec<Vec<String>>, fantoccini::error::CmdError> {
        let xpath = format!("//table[@aria-label={}]", xpath_literal(table));
        let table = self.find_soon(&xpath).await?;
        // Read as a person reads it, scrolled to: WebKit's WebDriver reads
        // text out of sight (below the fold of a dialog) as empty.
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'nearest'});",
                vec![serde_json::to_value(&table)?],
            )
            .await?;
        let mut rows = Vec::new();
        for row in table.find_all(Locator::XPath(".//tbody/tr")).await? {
            let mut cells = Vec::new();
            for cell in row.find_all(Locator::XPath("./td")).await? {
                cells.push(cell.text().await?.trim().to_owned());
            }
            rows.push(cells);
        }
        Ok(rows)
    }

    /// The text of every cell in the first column of the table with this accessible name.
    pub async fn first_column(&self, table: &str) -> Vec<String> {
        self.table_rows(table)
            .await
            .into_iter()
            .filter_map(|row| row.into_iter().next())
            .collect()
    }

    /// Waits until the rows of `table` satisfy `check` (a table read while it
    /// re-renders is read again), and returns them.
    pub async fn wait_for_rows(
        &self,
        table: &str,
        what: &str,
        check: impl Fn(&[Vec<String>]) -> bool,
    ) -> Vec<Vec<String>> {
        poll(
            200,
            Duration::from_millis(100),
            async || self.read_table(table).await.unwrap_or_default(),
            |rows| check(rows),
        )
        .await
        .unwrap_or_else(|seen| panic!("the table {table:?} never showed {what}: {seen:?}"))
    }

    /// The form field labelled `label` (a `<label for>` or an `aria-label`).
    pub async fn field(&self, label: &str) -> Element {
        let name = xpath_literal(label);
        let xpath = format!(
            "//*[@id=//label[normalize-space()={name}]/@for] | //input[@aria-label={name}] | //textarea[@aria-label={name}]"
        );
        self.wait_for_xpath(&xpath, &format!("no field labelled {label:?}"))
            .await
    }

    /// Types `text` into the form field labelled `label`, replacing what was there.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
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
            .wait_for_xpath(&field_xpath, &format!("no field labelled {label:?}"))
            .await;
        if field.attr("role").await.ok().flatten().as_deref() == Some("combobox") {
            return self.pick(label, option, option).await;
        }
        // A select is chosen in once it can be (one turned off while the
        // window works takes no choice, though it may show one).
        let enabled = eventually(async || field.is_enabled().await.unwrap_or(false)).await;
        assert!(enabled, "{label:?} stayed disabled");
        // Scrolled to first, as a person would: WebDriver's own scrolling
        // for an option can leave its select under a dialog's sticky buttons.
        let scrolled = self
            .client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&field).expect("an element reference")],
            )
            .await;
        if let Err(err) = scrolled {
            panic!("could not scroll to {label:?}: {err}");
        }
        let xpath = format!(
            "//select[@id=//label[normalize-space()={}]/@for]/option[normalize-space()={}]",
            xpath_literal(label),
            xpath_literal(option)
        );
        self.wait_for_xpath(&xpath, &format!("no option {option:?} in {label:?}"))
            .await
            .click()
            .await
            .expect("option chosen");
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
            .wait_for_xpath(&field_xpath, &format!("no combobox labelled {label:?}"))
            .await;
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
        let click_lands = async || {
            let Ok(choice) = self.client.find(Locator::XPath(&option_xpath)).await else {
                return false;
            };
            choice.click().await.is_ok()
                && field.attr("aria-expanded").await.ok().flatten().as_deref() == Some("false")
        };
        if poll(100, Duration::from_millis(100), click_lands, |landed| {
            *landed
        })
        .await
        .is_err()
        {
            panic!("no option {option:?} to pick in {label:?} after typing {typed:?}");
        }
    }

    /// Waits until the control with this role and name has `aria-pressed` = `pressed`.
    pub async fn wait_pressed(&self, role: Role, name: &str, pressed: bool) {
        let want = if pressed { "true" } else { "false" };
        let is_so = async || {
            let element = self.by_role(role, name).await;
            element.attr("aria-pressed").await.ok().flatten().as_deref() == Some(want)
        };
        if !eventually(is_so).await {
            panic!("{name:?} never became aria-pressed={want}");
        }
    }

    /// Waits until the value shown for `term` is `expected`.
    pub async fn wait_for_value(&self, term: &str, expected: &str) {
        if let Err(last) = poll(
            100,
            TICK,
            async || self.value_of(term).await,
            |v| v == expected,
        )
        .await
        {
            panic!("{term:?} shows {last:?}, not {expected:?}");
        }
    }

    /// Waits until nothing with this role and name is on screen.
    pub async fn wait_gone(&self, role: Role, name: &str) {
        if !eventually(async || !self.exists(role, name).await).await {
            panic!("{role:?} {name:?} is still there");
        }
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
        if let Err(seen) = poll(
            100,
            TICK,
            async || self.badge().await,
            |b| b.as_deref() == expected,
        )
        .await
        {
            panic!("the badge shows {seen:?}, not {expected:?}");
        }
    }

    /// From anywhere: the parts browser, a search for `search` that finds
    /// exactly one part, and that part (named `name`) opened.
    pub async fn open_part(&self, search: &str, name: &str) {
        self.open("Parts", "All parts").await;
        self.fill("Search parts", search).await;
        self.wait_for_text("1–1 of 1").await;
        self.open(name, name).await;
    }

    /// On a part's or category's page: subscribes, and waits until the bell says so.
    pub async fn subscribe(&self) {
        self.click_button("Subscribe to notifications").await;
        self.wait_pressed(Role::Button, "Unsubscribe from notifications", true)
            .await;
    }

    /// On a part's page: removes `quantity` from its item at `location` and
    /// waits until the part shows `left` in stock.
    pub async fn remove_stock(&self, location: &str, quantity: &str, left: &str) {
        self.click_button(&format!("Remove stock from {location}"))
            .await;
        self.fill("Quantity to remove", quantity).await;
        self.click_button("Remove").await;
        self.wait_for_value("In stock", left).await;
    }

    /// On a part's page: types `minimum` as its minimum stock and saves.
    pub async fn edit_minimum(&self, minimum: &str) {
        self.click_button("Edit part").await;
        self.fill("Minimum stock", minimum).await;
        self.click_button("Save").await;
    }

    /// On the build orders page: a new order's form, filled in for
    /// `quantity` × `assembly` (not yet created).
    pub async fn new_build_order(&self, assembly: &str, quantity: &str) {
        self.click_button("New build order").await;
        self.choose("Assembly", assembly).await;
        self.fill("Quantity", quantity).await;
    }

    /// On the build orders page: creates the order for `quantity` ×
    /// `assembly` and waits until it is shown created as `reference`.
    pub async fn create_build_order(&self, assembly: &str, quantity: &str, reference: &str) {
        self.new_build_order(assembly, quantity).await;
        self.click_button("Create build order").await;
        self.by_role(Role::Heading, &format!("{reference} created"))
            .await;
    }

    /// Ends the session (closing the window and the app) and hands back the
    /// data directory, for the next start.
    pub async fn quit_keeping_data(mut self) -> tempfile::TempDir {
        let kept = std::mem::replace(
            &mut self.data_dir,
            tempfile::tempdir().expect("temp data dir"),
        );
        self.quit().await;
        kept
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
    /// A radio button, named by the label that wraps it.
    Radio,
    Tab,
    /// An option of a listbox (a combobox's list).
    ListOption,
    /// A status message (a live region), named by its text.
    Status,
}

impl Role {
    fn xpath(self, name: &str) -> String {
        let elements = match self {
            Role::Button => "//button | //*[@role='button']",
            Role::Link => "//a[@href] | //*[@role='link']",
            Role::Navigation => "//nav | //*[@role='navigation']",
            Role::Heading => "//h1 | //h2 | //h3 | //h4 | //*[@role='heading']",
            Role::Group => "//fieldset | //*[@role='group']",
            // A checkbox is named by the label that wraps it, or its own
            // aria-label (a cell of a table whose headers say what it is).
            Role::Checkbox => "//label[input[@type='checkbox']] | //input[@type='checkbox']",
            Role::Radio => "//label[input[@type='radio']]",
            Role::Tab => "//*[@role='tab']",
            Role::ListOption => "//*[@role='option']",
            Role::Status => "//*[@role='status']",
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

/// Runs a set-up script (as [`in_window`]) and returns what it returned;
/// panics if the script was rejected or returned nothing.
pub async fn set_up(app: &RunningApp, body: &str) -> serde_json::Value {
    let answer = in_window(app, body).await;
    match &answer["ok"] {
        serde_json::Value::Null => panic!("set-up failed: {answer}"),
        value => value.clone(),
    }
}

/// A part named `name` with a minimum of `minimum` pcs and one stock item of
/// `quantity` pcs, watched by the current user; returns the item's id.
pub async fn watched_part(app: &RunningApp, name: &str, minimum: u32, quantity: u32) -> i64 {
    let item = set_up(
        app,
        &format!(
            "const part = await invoke('create_part', {{ request: {{ name: '{name}', minimum_stock: '{minimum}', units: 'pcs' }} }});
             const item = await invoke('add_stock_item', {{ request: {{ part_id: part.id, quantity: '{quantity}' }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: part.id, subscribed: true }} }});
             return item.id;"
        ),
    )
    .await;
    item.as_i64()
        .unwrap_or_else(|| panic!("no stock item id: {item}"))
}

/// Removes `quantity` from the stock item `item` (as the UI would); returns
/// the answer of `unread_count` right after.
pub async fn take_out(app: &RunningApp, item: i64, quantity: u32) -> serde_json::Value {
    in_window(
        app,
        &format!(
            "await invoke('adjust_stock', {{ request: {{ item_id: {item}, adjustment: {{ kind: 'remove', quantity: '{quantity}' }} }} }});
             return await invoke('unread_count', {{}});"
        ),
    )
    .await
}

/// The OS-popup deliveries, newest first, once the newest is no longer
/// pending (the window asks for up to five seconds; then the last list seen).
pub async fn settled_popup_deliveries(app: &RunningApp) -> serde_json::Value {
    in_window(
        app,
        "let log = [];
         for (let i = 0; i < 100; i++) {
           log = await invoke('list_deliveries', { request: { channel: 'os_popup' } });
           if (log.length && log[0].status !== 'pending') return log;
           await new Promise(r => setTimeout(r, 50));
         }
         return log;",
    )
    .await
}

/// Every OS popup the harness's notification server has shown so far.
pub fn popups_shown() -> Vec<serde_json::Value> {
    let log = std::env::var("PARTWATCH_NOTIFICATIONS_LOG").expect("run inside the test harness");
    popups_in(std::path::Path::new(&log))
}

/// Every OS popup logged so far in a notification server's `log`.
pub fn popups_in(log: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// Another person's desktop in the test world (`tests/harness/second-desktop.sh`):
/// its own session bus, notification server and WebDriver. Stopped, with all
/// it started, when dropped.
pub struct SecondDesktop {
    child: std::process::Child,
    dir: tempfile::TempDir,
    pub webdriver_url: String,
}

impl SecondDesktop {
    /// Starts one whose OS user (and so its first person) is `person`.
    pub async fn start(person: &str) -> Self {
        use std::os::unix::process::CommandExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/harness/second-desktop.sh"
        );
        let child = std::process::Command::new("bash")
            .arg(script)
            .arg(dir.path())
            .arg(person)
            .process_group(0)
            .spawn()
            .expect("the second desktop starts");
        let ready = dir.path().join("webdriver-url");
        let mut desktop = Self {
            child,
            dir,
            webdriver_url: String::new(),
        };
        for _ in 0..200 {
            if let Ok(url) = std::fs::read_to_string(&ready) {
                desktop.webdriver_url = url.trim().to_owned();
                return desktop;
            }
            tokio::time::sleep(TICK).await;
        }
        panic!("the second desktop's WebDriver did not start within ten seconds");
    }

    /// Every OS popup this desktop's notification server has shown.
    pub fn popups_shown(&self) -> Vec<serde_json::Value> {
        popups_in(&self.dir.path().join("notifications.jsonl"))
    }
}

impl Drop for SecondDesktop {
    fn drop(&mut self) {
        // The whole process group: the bus, the notification server,
        // tauri-driver, WebKitWebDriver and any app still running.
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .status();
        let _ = self.child.wait();
    }
}

/// The mails to `recipient` in the harness's SMTP spool (`spool`), as sent:
/// each one's envelope (`.json`) names its recipients, its `.eml` is the mail.
pub fn mails_to(spool: &str, recipient: &str) -> Vec<String> {
    std::fs::read_dir(spool)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            entry.path().extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(entry.path()).is_ok_and(|meta| meta.contains(recipient))
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path().with_extension("eml")).ok())
        .collect()
}
