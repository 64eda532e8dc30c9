use crate::support::{Role, RunningApp};

#[tokio::test]
async fn a_new_user_loads_the_demo_and_sees_what_is_running_low() {
    let app = RunningApp::launch_empty().await;
    app.by_role(Role::Heading, "Your inventory is empty").await;
    app.click_button("Load demo inventory").await;

    // The overview replaces the welcome card and shows the demo's real figures.
    let group = app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text("Running low").await;
    let low = app.first_column("Parts running low").await;
    assert!(
        low.len() >= 3,
        "the demo has parts below their minimum: {low:?}"
    );
    assert!(
        low.iter().any(|name| name.starts_with("TPS62160 buck")),
        "TPS62160 (8 in stock, minimum 15) is low: {low:?}"
    );
    assert!(
        !low.iter().any(|name| name.starts_with("ESP32-C3 module")),
        "ESP32-C3 (34 in stock, minimum 20) is not low: {low:?}"
    );
    let glance = group.text().await.expect("text");
    assert!(
        glance.contains("Parts") && glance.contains("Categories"),
        "{glance}"
    );
    assert!(
        !app.exists(Role::Button, "Load demo inventory").await,
        "the welcome card is gone once the demo is in"
    );
    app.quit().await;
}

#[tokio::test]
async fn starting_empty_skips_the_welcome_and_shows_an_empty_overview() {
    let app = RunningApp::launch_empty().await;
    app.click_button("Start empty").await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text("Every part with a minimum stock level has enough.")
        .await;
    let counts = app
        .by_role(Role::Group, "Inventory at a glance")
        .await
        .text()
        .await
        .expect("text");
    assert!(counts.contains('0'), "{counts}");
    app.quit().await;
}
