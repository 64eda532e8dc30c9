//! The parts screens on the real window: a category tree, a part with a
//! minimum, stock, the bell and its inherited "Subscribed via…" line, editing
//! the minimum, and bad input refused inline; the parts browser's view kept
//! in its address (paging, filters, Back and Forward).

use crate::support::{in_window, poll, Role, RunningApp};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn create_categories_and_a_part_stock_it_subscribe_and_edit_its_minimum() {
    let app = RunningApp::start_empty().await;
    app.open("Parts", "All parts").await;
    app.wait_for_text("No parts match.").await;

    // A category and a sub-category, from the parts browser.
    for name in ["Passives", "Resistors"] {
        app.click_button("New category").await;
        app.fill("Name", name).await;
        app.click_button("Create category").await;
        app.by_role(Role::Heading, name).await;
    }
    app.by_role(Role::Button, "Collapse Passives").await;

    // A part with a minimum, in the sub-category (preselected).
    app.click_button("New part").await;
    app.fill("Name", "10k resistor").await;
    app.fill("Minimum stock", "10").await;
    app.click_button("Create part").await;
    app.by_role(Role::Heading, "10k resistor").await;
    app.wait_for_value("Minimum stock", "10 pcs").await;
    app.wait_for_value("In stock", "0 pcs").await;

    // Stock arrives.
    app.click_button("Add stock").await;
    app.fill("Quantity", "25").await;
    app.fill("Location", "Drawer A1").await;
    app.click(Role::ListOption, "New location “Drawer A1”")
        .await;
    app.wait_gone(Role::ListOption, "New location “Drawer A1”")
        .await;
    app.click_button("Add to stock").await;
    app.wait_for_value("In stock", "25 pcs").await;
    app.screenshot("part").await;

    // Not subscribed yet; subscribe to the parent category on its own page.
    app.wait_pressed(Role::Button, "Subscribe to notifications", false)
        .await;
    app.open("Resistors", "Resistors").await;
    app.open("Passives", "Passives").await;
    app.subscribe().await;
    app.screenshot("category").await;

    // Back on the part: covered via the category, not directly.
    app.open("10k resistor", "10k resistor").await;
    app.wait_for_text("Subscribed via category Passives").await;
    app.wait_pressed(Role::Button, "Subscribe to notifications", false)
        .await;
    app.subscribe().await;

    // Bad input is refused inline and changes nothing.
    app.edit_minimum("lots").await;
    app.wait_for_text("Minimum stock:").await;
    app.click_button("Cancel").await;
    app.wait_for_value("Minimum stock", "10 pcs").await;

    // Raising the minimum above the stock marks the part low.
    app.edit_minimum("30").await;
    app.wait_for_value("Minimum stock", "30 pcs").await;
    app.wait_for_text("low stock").await;

    // Taking stock out is recorded in the history.
    app.remove_stock("Drawer A1", "5", "20 pcs").await;
    app.wait_for_text("Removed").await;

    // The parts browser shows it low, and the low-stock filter finds it.
    app.open("Parts", "All parts").await;
    let names = app.first_column("Parts").await;
    assert_eq!(
        names,
        ["10k resistor LOW"],
        "the part is listed, marked low"
    );
    app.screenshot("parts").await;

    // An assembly with a BOM line, and a build order it cannot cover.
    app.click_button("New part").await;
    app.fill("Name", "Sensor board").await;
    app.tick("Assembly (has a BOM)").await;
    app.click_button("Create part").await;
    app.by_role(Role::Heading, "Sensor board").await;
    app.click_button("Add BOM line").await;
    app.choose("Part", "10k resistor").await;
    app.fill("Quantity per assembly", "4").await;
    app.click_button("Add line").await;
    app.wait_for_text("Bill of materials").await;
    app.by_role(Role::Button, "Remove 10k resistor from the BOM")
        .await;
    // The same part again: refused, said under the part chosen.
    app.click_button("Add BOM line").await;
    app.choose("Part", "10k resistor").await;
    app.fill("Quantity per assembly", "2").await;
    app.click_button("Add line").await;
    let shown = poll(
        100,
        Duration::from_millis(100),
        async || field_error(&app, "Part").await,
        |error| {
            error.as_deref()
                == Some(
                    "10k resistor is already on the BOM of Sensor board; change that line's \
                     quantity instead.",
                )
        },
    )
    .await;
    assert!(shown.is_ok(), "the part's error on the picker: {shown:?}");
    app.screenshot("picker-error").await;
    assert_eq!(field_error(&app, "Quantity per assembly").await, None);
    app.click_button("Cancel").await;
    app.wait_gone(Role::Heading, "Add BOM line").await;

    app.open("Build orders", "Build orders").await;
    app.wait_for_text("No build orders.").await;
    app.create_build_order("Sensor board", "10", "BO-0001")
        .await;
    let short = app.first_column("Short parts").await;
    assert_eq!(short, ["10k resistor"]);
    app.wait_for_text("1 part is short for 10 × Sensor board.")
        .await;
    assert_eq!(app.first_column("Build orders").await, ["BO-0001"]);
    app.screenshot("builds").await;

    // Status changes follow the allowed moves.
    app.click_button("Start BO-0001").await;
    app.by_role(Role::Button, "Complete BO-0001").await;
    app.wait_gone(Role::Button, "Start BO-0001").await;
    app.quit().await;
}

/// The parts browser's view lives in its address: a filter ticked on the
/// second page starts again at the first, Back (the mouse's back button,
/// Alt+Left) returns from a part to the search and page it was opened from,
/// and a page that no longer exists gives way to the last one.
#[tokio::test]
async fn the_parts_browser_keeps_its_view_across_back_and_starts_each_filter_on_page_one() {
    let app = RunningApp::start_empty().await;
    // More parts than a page holds, the last resistor subscribed to.
    let made = in_window(
        &app,
        "let part;
         for (let i = 1; i <= 60; i++) {
             part = await invoke('create_part', { request: { name: `Resistor ${String(i).padStart(2, '0')}` } });
         }
         await invoke('set_part_subscription', { request: { part_id: part.id, subscribed: true } });
         for (let i = 1; i <= 5; i++) {
             await invoke('create_part', { request: { name: `Capacitor ${i}` } });
         }
         return true;",
    )
    .await;
    assert_eq!(made["ok"], json!(true), "{made}");

    app.click_link("Parts").await;
    app.wait_for_text("1–50 of 65").await;
    app.click_button("Next page").await;
    app.wait_for_text("51–65 of 65").await;

    // A filter ticked on page 2 shows its first page.
    let subscribed = app.by_role(Role::Checkbox, "Subscribed only").await;
    subscribed.click().await.expect("subscribed only");
    app.wait_for_text("1–1 of 1").await;
    assert_eq!(app.first_column("Parts").await, ["Resistor 60"]);
    subscribed.click().await.expect("all parts again");
    app.wait_for_text("1–50 of 65").await;

    // A part opened from page 2 of a search; Back returns to that view.
    app.fill("Search parts", "Resistor").await;
    app.wait_for_text("1–50 of 60").await;
    app.click_button("Next page").await;
    app.wait_for_text("51–60 of 60").await;
    app.open("Resistor 55", "Resistor 55").await;
    // The mouse's back (3) and forward (4) buttons.
    let mouse_button = async |button: u8| {
        let script = format!(
            "document.body.dispatchEvent(new MouseEvent('mouseup', {{ button: {button}, bubbles: true }}));"
        );
        app.client
            .execute(&script, vec![])
            .await
            .unwrap_or_else(|err| panic!("mouse button {button}: {err}"));
    };
    mouse_button(3).await;
    app.by_role(Role::Heading, "All parts").await;
    app.wait_for_text("51–60 of 60").await;
    let search = app.field("Search parts").await;
    assert_eq!(
        search.prop("value").await.expect("search text").as_deref(),
        Some("Resistor")
    );

    // Forward to the part, and Alt+Left back again.
    mouse_button(4).await;
    app.by_role(Role::Heading, "Resistor 55").await;
    app.client
        .perform_actions(
            KeyActions::new("keyboard".to_owned())
                .then(KeyAction::Down {
                    value: Key::Alt.into(),
                })
                .then(KeyAction::Down {
                    value: Key::Left.into(),
                })
                .then(KeyAction::Up {
                    value: Key::Left.into(),
                })
                .then(KeyAction::Up {
                    value: Key::Alt.into(),
                }),
        )
        .await
        .expect("Alt+Left");
    app.by_role(Role::Heading, "All parts").await;
    app.wait_for_text("51–60 of 60").await;

    // Fifteen parts go while a part is open: back on a page that no longer
    // exists, the browser shows the last one there is.
    app.open("Resistor 55", "Resistor 55").await;
    let removed = in_window(
        &app,
        "const page = await invoke('list_parts', { request: { search: 'Resistor 0', page_size: 500 } });
         for (const part of page.items) { await invoke('delete_part', { request: part.id }); }
         const more = await invoke('list_parts', { request: { search: 'Resistor 1', page_size: 500 } });
         for (const part of more.items.slice(0, 6)) { await invoke('delete_part', { request: part.id }); }
         return page.items.length + 6;",
    )
    .await;
    assert_eq!(removed["ok"], json!(15), "{removed}");
    mouse_button(3).await;
    app.wait_for_text("1–45 of 45").await;
    app.quit().await;
}

/// The error under the field labelled `label`, while it is marked invalid
/// and names it as its description; `None` when it is not.
async fn field_error(app: &RunningApp, label: &str) -> Option<String> {
    let field = app.field(label).await;
    if field
        .attr("aria-invalid")
        .await
        .expect("aria-invalid")
        .as_deref()
        != Some("true")
    {
        return None;
    }
    let described = field
        .attr("aria-describedby")
        .await
        .expect("aria-describedby")
        .unwrap_or_default();
    for id in described.split_whitespace() {
        let found = app
            .client
            .find(fantoccini::Locator::Id(id))
            .await
            .expect("the description is there");
        if found.attr("role").await.expect("role").as_deref() == Some("alert") {
            return Some(found.text().await.expect("its text"));
        }
    }
    panic!("{label} is invalid but says nothing about why ({described})");
}

/// A refusal is shown on the field it is about, announced, and goes when the
/// field is changed; a refused part is not created.
#[tokio::test]
async fn a_refused_field_says_why_on_the_field_itself() {
    let app = RunningApp::with_demo().await;
    app.open("Parts", "All parts").await;
    app.click_button("New part").await;
    app.fill("Name", "Resistor 12k").await;
    app.fill("IPN", "r-10k").await;
    app.fill("Minimum stock", "ten").await;
    app.click_button("Create part").await;

    // Read in the window: the minimum is no number.
    let shown = poll(
        100,
        Duration::from_millis(100),
        async || field_error(&app, "Minimum stock").await,
        |error| {
            error
                .as_deref()
                .is_some_and(|e| e.starts_with("Minimum stock: "))
        },
    )
    .await;
    assert!(shown.is_ok(), "the minimum's error on its field: {shown:?}");
    assert_eq!(field_error(&app, "IPN").await, None);
    assert_eq!(field_error(&app, "Name").await, None);
    app.fill("Minimum stock", "5").await;
    assert_eq!(
        field_error(&app, "Minimum stock").await,
        None,
        "gone once changed"
    );

    // Refused by the backend: the IPN is taken (case aside).
    app.click_button("Create part").await;
    let shown = poll(
        100,
        Duration::from_millis(100),
        async || field_error(&app, "IPN").await,
        |error| error.as_deref() == Some("The IPN r-10k is already used by Resistor 10k."),
    )
    .await;
    assert!(shown.is_ok(), "the IPN's error on its field: {shown:?}");
    app.screenshot("field-error").await;
    let elsewhere = app
        .client
        .find_all(fantoccini::Locator::XPath(
            "//div[@role='dialog']//p[contains(@class,'field-error')]",
        ))
        .await
        .expect("the dialog's own error line");
    assert!(
        elsewhere.is_empty(),
        "said once, on the field, not again below"
    );

    app.fill("IPN", "R-12K").await;
    assert_eq!(field_error(&app, "IPN").await, None);
    app.click_button("Create part").await;
    app.by_role(Role::Heading, "Resistor 12k").await;
    app.quit().await;
}
