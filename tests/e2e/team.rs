//! Team mode in the window: the seeds' story on a team's PostgreSQL
//! database; a team database that cannot be reached is a page that says so;
//! Settings › Team database moves the demo up and opens it the next start.

use crate::notifications::category_story;
use crate::support::{Role, RunningApp};
use std::sync::atomic::{AtomicU32, Ordering};

/// The harness's PostgreSQL superuser URL, with `database` in place of its own.
fn harness_url(database: &str) -> String {
    let admin = std::env::var("PARTWATCH_TEST_POSTGRES_URL")
        .expect("PARTWATCH_TEST_POSTGRES_URL is not set: run the tests with `bash tests/run.sh`");
    let (server, _) = admin.rsplit_once('/').expect("URL ends in a database");
    format!("{server}/{database}")
}

/// A new, empty database on the harness's cluster; its URL.
async fn scratch_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "e2e_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = sqlx::PgPool::connect(&harness_url("postgres"))
        .await
        .expect("the harness's PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create a database");
    admin.close().await;
    harness_url(&name)
}

/// `postgres://user@host:port/db`: what the window may show of a URL.
fn described(url: &str) -> String {
    let (user_and_password, rest) = url
        .strip_prefix("postgres://")
        .and_then(|u| u.split_once('@'))
        .expect("postgres://user:password@…");
    let user = user_and_password.split(':').next().unwrap_or_default();
    format!("postgres://{user}@{rest}")
}

fn password(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(user, _)| user.split_once(':'))
        .map(|(_, password)| password.to_owned())
        .expect("a password in the URL")
}

#[tokio::test]
async fn the_seeds_story_runs_on_a_team_database() {
    let url = scratch_database().await;
    let app = RunningApp::launch_in(
        tempfile::tempdir().expect("temp data dir"),
        &["--database", &url],
    )
    .await;
    app.click_button("Start empty").await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    // Home says which database is open, without the password.
    app.wait_for_text(&described(&url)).await;
    let page = app.client.source().await.expect("page source");
    assert!(!page.contains(&password(&url)), "the password is on screen");
    category_story(&app).await;
    app.quit().await;
}

#[tokio::test]
async fn an_unreachable_team_database_is_a_page_that_offers_this_desktops_own() {
    let app = RunningApp::launch_in(
        tempfile::tempdir().expect("temp data dir"),
        &["--database", "postgres://ada:hunter2@127.0.0.1:1/team"],
    )
    .await;
    app.by_role(Role::Heading, "Partwatch could not open its database")
        .await;
    app.wait_for_text("postgres://ada@127.0.0.1:1/team").await;
    app.wait_for_text("It was named with --database").await;
    app.screenshot("database-problem").await;
    let page = app.client.source().await.expect("page source");
    assert!(!page.contains("hunter2"), "the password is on screen");
    app.click_button("Try again").await;
    app.by_role(Role::Status, "Tried again: still not open (1 try).")
        .await;
    app.click_button("Open this desktop's own database").await;
    // The app as on a first start: the welcome card of an empty database.
    app.click_button("Start empty").await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    assert!(
        app.database_file().is_file(),
        "this desktop's own database file"
    );
    app.quit().await;
}

#[tokio::test]
async fn settings_move_the_demo_to_a_team_database_that_opens_the_next_start() {
    let url = scratch_database().await;
    let app = RunningApp::with_demo().await;
    app.click_link("Settings").await;
    app.fill("PostgreSQL URL", &url).await;
    app.click_button("Check connection").await;
    app.wait_for_text("It is empty: Partwatch will set it up.")
        .await;
    app.click_button("Move this desktop's database there").await;
    app.wait_for_text("Moved ").await;
    app.screenshot("team-database").await;
    app.click_button("Use it from the next start").await;
    let next = described(&url);
    app.wait_for_text(&next).await;
    let data_dir = app.quit_keeping_data().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let saved = data_dir.path().join("team-database.url");
        let mode = std::fs::metadata(&saved)
            .expect("the choice is saved")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the saved URL holds a password");
    }

    // The next start opens the team database, with the demo's parts.
    let app = RunningApp::launch_in(data_dir, &[]).await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text(&next).await;
    app.click_link("Parts").await;
    app.wait_for_text("Resistor 10k").await;
    app.click_link("Settings").await;
    app.wait_for_text("These settings").await;
    app.quit().await;
}

/// `partwatch migrate --to URL --data-dir DIR`, its exit code and what it
/// printed (stderr is a pipe here: a line per table instead of a redrawn bar).
async fn migrate(data_dir: &std::path::Path, url: &str) -> (i32, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_partwatch"))
        .args(["migrate", "--to", url, "--data-dir"])
        .arg(data_dir)
        .output()
        .await
        .expect("run partwatch migrate");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), printed)
}

#[tokio::test]
async fn partwatch_migrate_moves_the_demo_up_once_and_the_app_opens_it_there() {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let db = partwatch_core::Database::open_in(data_dir.path())
        .await
        .expect("this desktop's database");
    partwatch_core::inventory::demo::load(&db)
        .await
        .expect("the demo inventory");
    db.close().await;
    let url = scratch_database().await;

    let (code, printed) = migrate(data_dir.path(), &url).await;
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains("now parts"),
        "progress per table: {printed}"
    );
    assert!(printed.contains("100%"), "{printed}");
    assert!(printed.contains("Moved "), "{printed}");
    assert!(printed.contains(&described(&url)), "{printed}");
    assert!(
        !printed.contains(&password(&url)),
        "the password was printed"
    );

    // A second move finds the target taken and moves nothing.
    let (code, printed) = migrate(data_dir.path(), &url).await;
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("nothing was moved") && printed.contains("already holds Partwatch data"),
        "{printed}"
    );

    // Partwatch started on the URL shows the demo's parts and alerts.
    let app = RunningApp::launch_in(
        tempfile::tempdir().expect("another desktop's data dir"),
        &["--database", &url],
    )
    .await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text(&described(&url)).await;
    app.click_link("Parts").await;
    app.wait_for_text("Resistor 10k").await;
    app.quit().await;
}
