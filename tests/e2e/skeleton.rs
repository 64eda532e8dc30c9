use crate::support::{Role, RunningApp};

#[tokio::test]
async fn home_page_shows_the_frame_and_the_schema_read_from_sqlite() {
    let app = RunningApp::launch_empty().await;

    let nav = app.by_role(Role::Navigation, "Main").await;
    let nav_text = nav.text().await.expect("nav text");
    for area in ["Home", "Parts", "Build orders", "Notifications", "Settings"] {
        assert!(
            nav_text.contains(area),
            "navigation lacks {area}: {nav_text:?}"
        );
    }
    app.by_role(Role::Link, "Home").await;
    app.by_role(Role::Button, "Notifications").await;
    app.by_role(Role::Heading, "Your inventory is empty").await;

    // The schema version travels SQLite -> core -> command -> UI.
    let shown = app.value_of("Schema version").await;
    assert_eq!(
        shown,
        partwatch_core::Database::latest_known_schema_version().to_string()
    );

    // The database is the file in the data directory this test gave the app.
    let location = app.value_of("Location").await;
    assert!(
        app.database_file().is_file(),
        "no database file was created"
    );
    let expected = std::fs::canonicalize(app.database_file()).expect("canonical path");
    assert_eq!(location, expected.display().to_string());

    app.quit().await;
}
