//! The keyboard alone: Escape closes the notification flyout and a dialog
//! wherever the focus is, Tab stays inside an open dialog, the focus goes
//! back to the control that opened it, and `/` goes to the part search.

use crate::support::{in_window, poll, Role, RunningApp, TICK};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

/// Presses and releases `key` (a character, or a `Key` as a char) where the
/// focus is, as a person at the keyboard does.
async fn press(app: &RunningApp, key: char) {
    app.client
        .perform_actions(
            KeyActions::new("keyboard".to_owned())
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key }),
        )
        .await
        .expect("a key press");
}

/// What has the focus: its accessible name (aria-label, else its label,
/// else its text).
async fn focused(app: &RunningApp) -> String {
    let answer = in_window(
        app,
        "const e = document.activeElement;
         if (!e) return '';
         const label = e.labels && e.labels.length ? e.labels[0].textContent.trim() : '';
         return e.getAttribute('aria-label') || label || e.textContent.trim();",
    )
    .await;
    answer["ok"].as_str().unwrap_or_default().to_owned()
}

/// Whether the focus is inside the open dialog.
async fn focus_in_dialog(app: &RunningApp) -> bool {
    in_window(
        app,
        "return !!(document.activeElement && document.activeElement.closest('[role=dialog]'));",
    )
    .await["ok"]
        == true
}

/// Waits until no element matches `xpath`.
async fn gone(app: &RunningApp, xpath: &str, what: &str) {
    let left = poll(
        200,
        TICK,
        async || {
            app.client
                .find(fantoccini::Locator::XPath(xpath))
                .await
                .is_err()
        },
        |gone| *gone,
    )
    .await;
    assert!(left.is_ok(), "{what} is still open");
}

#[tokio::test]
async fn escape_tab_and_slash_work_without_a_mouse() {
    let app = RunningApp::with_demo().await;
    let flyout = "//*[@role='dialog' and @aria-label='Unread notifications']";

    // The bell, opened from the keyboard: the focus stays on the bell, and
    // Escape closes the flyout from there.
    let bell = app.by_role(Role::Button, "Notifications").await;
    bell.send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("Enter on the bell");
    app.wait_for_xpath(flyout, "the flyout").await;
    assert_eq!(focused(&app).await, "Notifications");
    // Tab goes into the flyout, round its controls.
    press(&app, Key::Tab.into()).await;
    assert!(focus_in_dialog(&app).await, "Tab goes into the flyout");
    press(&app, Key::Escape.into()).await;
    gone(&app, flyout, "the flyout").await;
    assert_eq!(focused(&app).await, "Notifications", "back on the bell");

    // A dialog: the cursor in its first field, Tab never leaves it, Escape
    // closes it and the focus is back on the button that opened it.
    app.click_link("Settings").await;
    let new_user = app.by_role(Role::Button, "New user").await;
    new_user
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("Enter on New user");
    let dialog = "//*[@role='dialog' and @aria-labelledby='dialog-new-user']";
    app.wait_for_xpath(dialog, "the New user dialog").await;
    assert_eq!(
        focused(&app).await,
        "Name",
        "the cursor is in the Name field"
    );
    for n in 0..8 {
        press(&app, Key::Tab.into()).await;
        assert!(focus_in_dialog(&app).await, "Tab {n} stays in the dialog");
    }
    for n in 0..3 {
        app.client
            .perform_actions(
                KeyActions::new("keyboard".to_owned())
                    .then(KeyAction::Down {
                        value: Key::Shift.into(),
                    })
                    .then(KeyAction::Down {
                        value: Key::Tab.into(),
                    })
                    .then(KeyAction::Up {
                        value: Key::Tab.into(),
                    })
                    .then(KeyAction::Up {
                        value: Key::Shift.into(),
                    }),
            )
            .await
            .expect("Shift+Tab");
        assert!(
            focus_in_dialog(&app).await,
            "Shift+Tab {n} stays in the dialog (the focus is on {:?})",
            focused(&app).await
        );
    }
    press(&app, Key::Escape.into()).await;
    gone(&app, dialog, "the New user dialog").await;
    assert_eq!(focused(&app).await, "New user", "back on New user");

    // `/` from another screen: the Parts screen, its search box focused;
    // in the box, `/` is just a character.
    app.click_link("Home").await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    press(&app, '/').await;
    app.by_role(Role::Heading, "All parts").await;
    let search = poll(
        100,
        TICK,
        async || focused(&app).await,
        |name| name == "Search parts",
    )
    .await;
    assert!(search.is_ok(), "the part search has the focus: {search:?}");
    press(&app, '/').await;
    let typed = app
        .field("Search parts")
        .await
        .prop("value")
        .await
        .expect("the search text");
    assert_eq!(typed.as_deref(), Some("/"));
    app.quit().await;
}

/// Types `text` where the focus is, key by key.
async fn type_keys(app: &RunningApp, text: &str) {
    for key in text.chars() {
        press(app, key).await;
    }
}

/// The focused element as "tag name" (its tag in lower case, then its
/// accessible name as [`focused`] reads it): the bell and the navigation's
/// link are both called "Notifications".
async fn focused_element(app: &RunningApp) -> String {
    let tag = in_window(
        app,
        "return document.activeElement ? document.activeElement.tagName.toLowerCase() : '';",
    )
    .await;
    format!(
        "{} {}",
        tag["ok"].as_str().unwrap_or_default(),
        focused(app).await
    )
}

/// Presses Tab until `wanted` ("button Subscribe to notifications"; ending
/// in "…": what starts so) has the focus, as a person does; fails with
/// every stop on the way when it is not reached within 150 presses.
async fn tab_to(app: &RunningApp, wanted: &str) {
    let mut stops = Vec::new();
    for _ in 0..150 {
        press(app, Key::Tab.into()).await;
        let now = focused_element(app).await;
        let reached = match wanted.strip_suffix('…') {
            Some(start) => now.starts_with(start),
            None => now == wanted,
        };
        if reached {
            return;
        }
        stops.push(now);
    }
    panic!("Tab never reached {wanted:?}; it went through {stops:?}");
}

/// Enter on whatever has the focus.
async fn enter(app: &RunningApp) {
    press(app, Key::Enter.into()).await;
}

/// The seeds' story with the keyboard alone: find a part, subscribe to it,
/// take stock out below its minimum, hear of it in the flyout, open the
/// notification, then find it in the history and delete it.
#[tokio::test]
async fn the_whole_story_goes_by_keyboard_alone() {
    let app = RunningApp::with_demo().await;
    app.by_role(Role::Group, "Inventory at a glance").await;

    // Find the part: `/`, type, Tab to it, Enter.
    press(&app, '/').await;
    app.by_role(Role::Heading, "All parts").await;
    let search = poll(
        100,
        TICK,
        async || focused(&app).await,
        |n| n == "Search parts",
    )
    .await;
    assert!(search.is_ok(), "the part search has the focus: {search:?}");
    type_keys(&app, "330R").await;
    app.wait_for_text("1–1 of 1").await;
    tab_to(&app, "a Resistor 330R 0805").await;
    enter(&app).await;
    app.by_role(Role::Heading, "Resistor 330R 0805").await;

    // Subscribe: the bell on the part's page.
    tab_to(&app, "button Subscribe to notifications").await;
    enter(&app).await;
    app.wait_pressed(Role::Button, "Unsubscribe from notifications", true)
        .await;

    // Take 20 out (310 → 290, below its minimum of 300): the dialog opens
    // with the cursor in its field, Enter sends it.
    tab_to(
        &app,
        "button Remove stock from Main store › Cabinet A › Drawer A4",
    )
    .await;
    enter(&app).await;
    let field = poll(
        100,
        TICK,
        async || focused(&app).await,
        |n| n == "Quantity to remove",
    )
    .await;
    assert!(field.is_ok(), "the cursor is in the quantity: {field:?}");
    type_keys(&app, "20").await;
    enter(&app).await;
    app.wait_for_value("In stock", "290 pcs").await;
    app.wait_for_badge(Some("1")).await;

    // The bell in the header, its flyout, the notification opened.
    tab_to(&app, "button Notifications").await;
    enter(&app).await;
    app.wait_for_xpath(
        "//*[@role='dialog' and @aria-label='Unread notifications']",
        "the flyout",
    )
    .await;
    tab_to(&app, "button Low stock: Resistor 330R 0805…").await;
    enter(&app).await;
    app.wait_for_badge(None).await;
    app.by_role(Role::Heading, "Resistor 330R 0805").await;

    // The history: the Notifications screen, its History tab, "Delete all".
    tab_to(&app, "a Notifications").await;
    enter(&app).await;
    app.by_role(Role::Heading, "Notifications").await;
    tab_to(&app, "button History").await;
    enter(&app).await;
    app.wait_for_text("Low stock: Resistor 330R 0805").await;
    tab_to(&app, "button Delete all").await;
    enter(&app).await;
    let confirm = poll(
        100,
        TICK,
        async || focus_in_dialog(&app).await,
        |inside| *inside,
    )
    .await;
    assert!(confirm.is_ok(), "the question has the focus");
    tab_to(&app, "button Delete all history").await;
    enter(&app).await;
    app.wait_for_text("No read notifications.").await;
    app.quit().await;
}
