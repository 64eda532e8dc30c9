//! A walk through the demo inventory, screen by screen, the way a new user
//! explores it. With PARTWATCH_SCREENSHOT_DIR set it also saves a screenshot
//! of each screen (run it with GTK_THEME=Adwaita:dark for the dark theme).

use crate::support::{Role, RunningApp};

#[tokio::test]
async fn a_new_user_explores_the_demo_inventory() {
    let app = RunningApp::with_demo().await;
    // "Running low (N)": how many, beside the list.
    app.wait_for_text("Running low (").await;
    app.wait_for_text("You watch nothing yet.").await;
    app.screenshot("home").await;

    // The parts browser: the tree narrows the table to a category and below.
    app.open("Parts", "All parts").await;
    app.click_button("Resistors").await;
    app.by_role(Role::Heading, "Resistors").await;
    let names = app.first_column("Parts").await;
    assert!(
        names.iter().any(|n| n.starts_with("Resistor 10k 0805")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("Capacitor")), "{names:?}");
    app.click_button("Collapse Capacitors").await;
    app.by_role(Role::Button, "Expand Capacitors").await;
    app.fill("Search parts", "R-10K-0805").await;
    app.wait_for_text("1–1 of 1").await;
    app.fill("Search parts", "").await;
    app.screenshot("parts-browser").await;

    // A variant that runs low, and the template above it.
    app.open("Resistor 10k 0805", "Resistor 10k 0805").await;
    app.wait_for_value("In stock", "180 pcs").await;
    app.wait_for_value("Minimum stock", "200 pcs").await;
    app.wait_for_text("low stock").await;
    app.by_role(Role::Link, "Resistor 10k").await;
    app.screenshot("part-page").await;

    // A new variant of the template, from the parts browser.
    app.click_link("Parts").await;
    app.click_button("New part").await;
    app.fill("Name", "Resistor 10k 1206").await;
    app.choose("Variant of", "Resistor 10k").await;
    app.click_button("Create part").await;
    app.by_role(Role::Heading, "Resistor 10k 1206").await;
    app.wait_for_text("Variant of").await;
    app.open("Resistor 10k", "Resistor 10k").await;
    app.by_role(Role::Link, "Resistor 10k 1206").await;

    app.open("Build orders", "Build orders").await;
    app.screenshot("build-orders").await;

    // Settings: pausing desktop popups from the window, and resuming.
    app.open("Settings", "Settings").await;
    app.wait_for_text("Log files").await;
    app.screenshot("settings").await;
    app.click_button("Pause popups for 1 hour").await;
    app.wait_for_text("Desktop popups are paused until").await;
    app.click_button("Resume popups").await;
    app.by_role(Role::Button, "Pause until tomorrow").await;
    app.quit().await;
}
