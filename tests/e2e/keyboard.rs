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
