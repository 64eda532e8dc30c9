//! The store on the real window: stock moving between locations, with a
//! location created on the spot in the picker.

use crate::support::{Role, RunningApp};
use std::time::Duration;

#[tokio::test]
async fn transfer_half_an_item_to_another_drawer_with_no_notification() {
    let app = RunningApp::with_demo().await;

    // A part with a minimum (20) and one item of 34 in a tray.
    app.open_part("U-ESP32C3", "ESP32-C3 module").await;
    app.wait_for_value("In stock", "34 pcs").await;
    app.wait_for_value("Minimum stock", "20 pcs").await;
    let from = "Main store › Trays › Tray M1";
    app.wait_for_rows("Stock items", "the one item in the tray", |rows| {
        rows.len() == 1 && rows[0][0] == from && rows[0][2] == "34 pcs"
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let unread = app.badge().await;

    // Half of it goes to a drawer that does not exist yet: typed in the
    // picker (" > " for the separator) and created there, in its cabinet.
    app.click_button(&format!("Transfer stock from {from}"))
        .await;
    app.by_role(Role::Heading, "Transfer stock").await;
    app.wait_for_text("A transfer changes no totals and notifies nobody.")
        .await;
    app.fill("To location", "Main store > Cabinet A > Drawer A9")
        .await;
    let create = "New location “Drawer A9” in Main store › Cabinet A";
    let option = app.by_role(Role::ListOption, create).await;
    app.screenshot("transfer").await;
    option
        .click()
        .await
        .expect("the new location is created and chosen");
    let to = "Main store › Cabinet A › Drawer A9";
    app.by_role(Role::ListOption, to).await;
    app.wait_gone(Role::ListOption, create).await;
    app.fill("Quantity to move", "17").await;
    app.click_button("Transfer").await;
    app.wait_gone(Role::Heading, "Transfer stock").await;

    // Two items of 17, one in each place; the part's total is the same.
    app.wait_for_rows("Stock items", "17 in each place", |rows| {
        let mut places: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r.len() >= 3)
            .map(|r| (r[0].as_str(), r[2].as_str()))
            .collect();
        places.sort_unstable();
        places == [(to, "17 pcs"), (from, "17 pcs")]
    })
    .await;
    app.wait_for_value("In stock", "34 pcs").await;
    app.by_role(Role::Link, to).await;

    // The history says "Transferred", out of the tray and into the drawer.
    app.wait_for_rows("Stock history", "the transfer", |rows| {
        let moved: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r.len() >= 4 && r[1] == "Transferred")
            .map(|r| (r[2].as_str(), r[3].as_str()))
            .collect();
        moved.contains(&(from, "-17")) && moved.contains(&(to, "+17"))
    })
    .await;
    app.screenshot("part-transferred").await;

    // Nobody was told: the unread count has not moved.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(app.badge().await, unread, "a transfer notifies nobody");

    // The drawer's page lists the stock, under its cabinet.
    app.open(to, "Drawer A9").await;
    app.by_role(Role::Link, "Cabinet A").await;
    let here = app
        .wait_for_rows("Stock here", "the part", |rows| rows.len() == 1)
        .await;
    assert_eq!(here[0][..4], ["ESP32-C3 module", "U-ESP32C3", "", "17 pcs"]);
    app.by_role(Role::Button, "Transfer ESP32-C3 module").await;
    app.screenshot("location").await;

    // The tree of every location lists the new drawer in its cabinet.
    app.open("Locations", "Locations").await;
    let names = app.first_column("Locations").await;
    let at = |name: &str| names.iter().position(|n| n == name);
    assert!(
        matches!((at("Cabinet A"), at("Drawer A9")), (Some(cabinet), Some(drawer)) if cabinet < drawer),
        "{names:?}"
    );
    app.screenshot("locations").await;
    app.quit().await;
}

#[tokio::test]
async fn merge_stock_back_and_delete_the_emptied_location() {
    let app = RunningApp::with_demo().await;

    // A location that holds stock cannot go: the dialog says why.
    app.open("Locations", "Locations").await;
    app.open("Cabinet 2", "Cabinet 2").await;
    let here = app
        .wait_for_rows("Stock here", "the RP2040s", |rows| rows.len() == 1)
        .await;
    assert_eq!(here[0][..4], ["RP2040", "U-RP2040", "", "3 pcs"]);
    app.click_button("Delete location…").await;
    app.click_button("Delete location").await;
    app.wait_for_text("still holds 1 stock item").await;
    app.click_button("Cancel").await;
    app.wait_gone(Role::Heading, "Delete location").await;

    // On the part, its two items merge into the tray's: one item, same total.
    app.open("RP2040", "RP2040").await;
    app.wait_for_value("In stock", "15 pcs").await;
    let tray = "Main store › Trays › Tray M2";
    app.click_button(&format!("Merge other stock into {tray}"))
        .await;
    app.by_role(Role::Heading, "Merge stock").await;
    app.click_button("Merge").await;
    app.wait_for_text("Choose at least one item to merge into this one.")
        .await;
    app.tick("Back room › Cabinet 2 — 3 pcs").await;
    app.click_button("Merge").await;
    app.wait_gone(Role::Heading, "Merge stock").await;
    app.wait_for_rows("Stock items", "one item of 15", |rows| {
        rows.len() == 1 && rows[0].len() >= 3 && rows[0][0] == tray && rows[0][2] == "15 pcs"
    })
    .await;
    app.wait_for_value("In stock", "15 pcs").await;
    app.wait_for_rows("Stock history", "the merge", |rows| {
        rows.iter()
            .filter(|r| r.len() >= 4 && r[1] == "Merged")
            .count()
            == 2
    })
    .await;

    // The emptied cabinet can go now; its room remains.
    app.click_link("Locations").await;
    app.click_link("Cabinet 2").await;
    app.wait_for_text("No stock here.").await;
    app.click_button("Delete location…").await;
    app.wait_for_text("It is empty; nothing else changes.")
        .await;
    app.click_button("Delete location").await;
    app.by_role(Role::Heading, "Back room").await;
    app.by_role(Role::Link, "Shelf P1").await;
    assert!(!app.exists(Role::Link, "Cabinet 2").await);
    app.quit().await;
}
