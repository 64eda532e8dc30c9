//! Production on the real window: building assemblies from the demo
//! inventory (an order created, started and completed, the components'
//! stock used up, one low-stock notification for the component that crossed
//! its minimum, the boards in stock), and deleting parts safely (refused with
//! the core's reason while the part has stock; gone from the list once
//! confirmed), with the warning about a second part of the same name.

use crate::support::{in_window, poll, set_up, Role, RunningApp, TICK};
use fantoccini::Locator;
use std::time::Duration;

/// The number on the bell's badge (0 without one).
async fn unread(app: &RunningApp) -> u32 {
    app.badge()
        .await
        .map(|text| text.parse().expect("a count on the badge"))
        .unwrap_or(0)
}

/// In stock, per BOM line of the assembly with this IPN, by part name.
async fn bom_stock(app: &RunningApp, ipn: &str) -> Vec<(String, String)> {
    let answer = in_window(
        app,
        &format!(
            "const found = await invoke('list_parts', {{ request: {{ search: '{ipn}' }} }});
             const part = found.items.find(p => p.ipn === '{ipn}');
             const bom = await invoke('bom_lines', {{ request: part.id }});
             return bom.lines.map(l => [l.sub_part.name, l.in_stock]);"
        ),
    )
    .await;
    let lines = answer["ok"]
        .as_array()
        .unwrap_or_else(|| panic!("no BOM for {ipn}: {answer}"));
    lines
        .iter()
        .map(|line| {
            (
                line[0].as_str().expect("a name").to_owned(),
                line[1].as_str().expect("a quantity").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn three_motor_driver_boards_are_built_from_the_demo_stock() {
    let app = RunningApp::with_demo().await;
    app.wait_for_text("Running low").await;
    let before = bom_stock(&app, "A-MOTOR-V1").await;
    let stock = |name: &str| {
        before
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, q)| q.clone())
            .unwrap_or_else(|| panic!("{name} is on the BOM: {before:?}"))
    };
    assert_eq!(stock("RP2040"), "15");

    // Watch the RP2040 and raise its minimum to 13: 15 in stock is enough,
    // the 12 left after three boards (one each) will not be.
    app.open_part("U-RP2040", "RP2040").await;
    app.wait_for_value("In stock", "15 pcs").await;
    app.subscribe().await;
    app.edit_minimum("13").await;
    app.wait_for_value("Minimum stock", "13 pcs").await;
    assert!(!app.exists(Role::Heading, "Edit part").await);
    let unread_before = unread(&app).await;

    // Where it is used leads to the assembly, whose BOM says what the stock allows.
    app.by_role(Role::Heading, "Used in").await;
    app.open("Motor driver board", "Motor driver board").await;
    app.wait_for_value("In stock", "0 pcs").await;
    app.wait_for_text("Can build 8").await;
    app.screenshot("assembly-bom").await;
    // Two RP2040s a board for a moment: the 15 in stock build 7; back to one.
    for (per_board, can_build) in [("2", "Can build 7"), ("1", "Can build 8")] {
        app.click_button("Edit the BOM line of RP2040").await;
        app.fill("Quantity per assembly", per_board).await;
        app.click_button("Save line").await;
        app.wait_for_text(can_build).await;
    }

    // A new order: the next free reference, and a stock check that creates nothing.
    app.open("Build orders", "Build orders").await;
    assert_eq!(app.first_column("Build orders").await, ["BO-0001"]);
    app.new_build_order("Motor driver board", "3").await;
    let reference = app.field("Reference").await;
    let placeholder = poll(
        100,
        TICK,
        async || reference.attr("placeholder").await.ok().flatten(),
        |placeholder| placeholder.as_deref() == Some("BO-0002"),
    )
    .await
    .unwrap_or_else(|last| last);
    assert_eq!(
        placeholder.as_deref(),
        Some("BO-0002"),
        "the next free reference"
    );
    app.click_button("Check stock").await;
    app.wait_for_text("Everything is in stock for 3 × Motor driver board.")
        .await;
    app.screenshot("new-build-order").await;
    assert_eq!(
        app.first_column("Build orders").await,
        ["BO-0001"],
        "a check creates nothing"
    );
    app.click_button("Create build order").await;
    app.by_role(Role::Heading, "BO-0002 created").await;
    app.wait_for_text("Every part for 3 × Motor driver board is in stock.")
        .await;

    // Start it, then complete it: the boards go to Shelf P1, the RP2040s come
    // from the back room's cabinet (the rest from the oldest stock).
    app.click_button("Start BO-0002").await;
    app.click_button("Complete BO-0002").await;
    app.by_role(Role::Heading, "Complete BO-0002").await;
    app.wait_for_text("0 of 3 × Motor driver board completed so far; 3 left.")
        .await;
    app.pick(
        "Where the assemblies go",
        "Shelf P1",
        "Back room › Shelf P1",
    )
    .await;
    let choose_rp2040 = "//fieldset[legend[normalize-space()='RP2040']]//label[input[@type='radio']][normalize-space()='Choose stock items']";
    app.wait_for_xpath(choose_rp2040, "the RP2040 line")
        .await
        .click()
        .await
        .expect("choose stock items");
    app.fill("Use of RP2040 from Back room › Cabinet 2", "3")
        .await;
    app.screenshot("complete-build").await;
    app.click_button("Complete build").await;
    app.by_role(Role::Heading, "BO-0002 complete").await;
    app.wait_for_text("Made 3 × Motor driver board, now in stock at Back room › Shelf P1")
        .await;
    let used = app.first_column("Stock used").await;
    assert!(used.iter().any(|p| p == "RP2040"), "{used:?}");
    let from_cabinet = app
        .client
        .find_all(Locator::XPath(
            "//table[@aria-label='Stock used']//tr[td[1][normalize-space()='RP2040']][td[2][normalize-space()='Back room › Cabinet 2']][td[3][normalize-space()='3']]",
        ))
        .await
        .expect("rows");
    assert_eq!(
        from_cabinet.len(),
        1,
        "the RP2040s came from the cabinet chosen"
    );
    let row = app
        .client
        .find(Locator::XPath(
            "//table[@aria-label='Build orders']//tr[td[1][normalize-space()='BO-0002']]",
        ))
        .await
        .expect("the order's row");
    let text = poll(
        100,
        TICK,
        async || row.text().await.unwrap_or_default(),
        |text| text.contains("3 / 3") && text.contains("Complete"),
    )
    .await
    .unwrap_or_else(|last| last);
    assert!(text.contains("3 / 3"), "{text}");
    app.screenshot("build-completed").await;

    // Every component went down by three times its quantity per board.
    let after = bom_stock(&app, "A-MOTOR-V1").await;
    let per_board = [
        ("RP2040", 1),
        ("TPS62160 buck", 1),
        ("Capacitor 470uF 16V", 2),
        ("JST-PH 2-pin", 2),
        ("M3 standoff 10 mm", 4),
    ];
    for (name, per) in per_board {
        let was: i64 = stock(name).parse().expect("whole");
        let now = after
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, q)| q.parse::<i64>().expect("whole"))
            .unwrap_or_else(|| panic!("{name}: {after:?}"));
        assert_eq!(now, was - 3 * per, "{name}");
    }

    // The RP2040 crossed its minimum: one notification, and only one.
    app.wait_for_badge(Some(&(unread_before + 1).to_string()))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(unread(&app).await, unread_before + 1, "told exactly once");

    // The boards are in stock on the assembly's page.
    app.open("Open Motor driver board", "Motor driver board")
        .await;
    app.wait_for_value("In stock", "3 pcs").await;
    app.wait_for_text("Back room › Shelf P1").await;

    // The notification is about the RP2040.
    app.open("Notifications", "Notifications").await;
    app.wait_for_text("Low stock: RP2040").await;
    app.quit().await;
}

#[tokio::test]
async fn a_part_with_stock_is_not_deleted_and_an_empty_one_is() {
    let app = RunningApp::start_empty().await;
    let made = set_up(
        &app,
        "const fuse = await invoke('create_part', { request: { name: 'Spare fuse', ipn: 'F-1A', units: 'pcs' } });
         await invoke('add_stock_item', { request: { part_id: fuse.id, quantity: '5' } });
         const relay = await invoke('create_part', { request: { name: 'Obsolete relay', units: 'pcs' } });
         const template = await invoke('create_part', { request: { name: 'Fuse', units: 'pcs', is_template: true } });
         return [fuse.id, relay.id, template.id];",
    )
    .await;
    assert!(made.is_array(), "set-up failed: {made}");

    // With stock: refused, the core's reason in the dialog, nothing gone.
    app.open("Parts", "All parts").await;
    app.open("Spare fuse", "Spare fuse").await;
    app.click_button("Delete part…").await;
    app.by_role(Role::Heading, "Delete part").await;
    app.wait_for_text("Delete Spare fuse? Its stock history goes with it.")
        .await;
    app.click_button("Delete part").await;
    app.wait_for_text("Spare fuse cannot be deleted while it has 1 stock item(s)")
        .await;
    app.by_role(Role::Heading, "Delete part").await;
    app.screenshot("delete-refused").await;
    app.click_button("Cancel").await;
    app.wait_gone(Role::Heading, "Delete part").await;
    app.wait_for_value("In stock", "5 pcs").await;

    // Empty: deleted once confirmed, and gone from the parts list.
    app.open("Parts", "All parts").await;
    app.open("Obsolete relay", "Obsolete relay").await;
    app.click_button("Delete part…").await;
    app.click_button("Delete part").await;
    app.by_role(Role::Heading, "All parts").await;
    app.wait_gone(Role::Link, "Obsolete relay").await;
    assert_eq!(
        app.first_column("Parts").await,
        ["Fuse TEMPLATE", "Spare fuse"]
    );

    // A second part of an existing name is created only when the user
    // insists (here as a variant, the template found by the part picker).
    app.click_button("New part").await;
    app.fill("Name", "spare FUSE").await;
    app.choose("Variant of", "Fuse").await;
    app.click_button("Create part").await;
    app.wait_for_text("There is already a part named").await;
    app.wait_for_text("(IPN F-1A).").await;
    app.client
        .find(Locator::XPath(
            "//*[@role='dialog']//*[@role='alert']//a[normalize-space()='Spare fuse']",
        ))
        .await
        .expect("the warning links to the part of that name");
    app.click_button("Create anyway").await;
    app.by_role(Role::Heading, "spare FUSE").await;
    app.wait_for_text("Variant of").await;
    app.by_role(Role::Link, "Fuse").await;
    app.quit().await;
}
