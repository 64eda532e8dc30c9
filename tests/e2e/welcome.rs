use crate::support::{in_window, poll, Role, RunningApp, TICK};

#[tokio::test]
async fn a_new_user_loads_the_demo_and_sees_what_is_running_low() {
    let app = RunningApp::launch_empty().await;
    app.by_role(Role::Heading, "Your inventory is empty").await;
    // Who are you: name and email address (for email alerts), saved before
    // the demo goes in. A bad address is refused in place, and nothing starts.
    app.fill("Your name", "Rosalind Franklin").await;
    app.fill("Your email address", "rosalind@lab").await;
    app.click_button("Load demo inventory").await;
    app.wait_for_text("\"rosalind@lab\" is not a valid email address")
        .await;
    app.by_role(Role::Heading, "Your inventory is empty").await;
    let me = in_window(&app, "return await invoke('current_user', {});").await;
    assert_eq!(me["ok"]["email"], serde_json::Value::Null, "{me}");
    assert_ne!(me["ok"]["name"], "Rosalind Franklin", "{me}");

    app.fill("Your email address", "rosalind@lab.example").await;
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
    app.by_role(Role::Heading, "Hello, Rosalind Franklin").await;
    // The section says how many, and leads to all of them in the parts browser.
    assert!(low.len() < 20, "the demo's low parts fit on the home page");
    app.by_role(Role::Heading, &format!("Running low ({})", low.len()))
        .await;
    app.click_link("See all parts running low").await;
    let url = poll(
        100,
        TICK,
        async || app.client.current_url().await.expect("url").to_string(),
        |url| url.ends_with("/parts?low=1"),
    )
    .await
    .unwrap_or_else(|last| last);
    assert!(url.ends_with("/parts?low=1"), "{url}");

    // The header and Settings › Users know who works here now.
    app.by_role(Role::Button, "Switch user (now Rosalind Franklin)")
        .await;
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Users").await;
    let users = app.first_column("Users").await;
    assert!(
        users.iter().any(|name| name == "Rosalind Franklin"),
        "{users:?}"
    );
    app.wait_for_text("rosalind@lab.example").await;
    app.quit().await;
}

#[tokio::test]
async fn starting_empty_skips_the_welcome_and_shows_an_empty_overview() {
    let app = RunningApp::start_empty().await;
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
