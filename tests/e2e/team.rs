//! Team mode in the window: the seeds' story on a team's PostgreSQL
//! database; a team database that cannot be reached is a page that says so;
//! Settings › Team database moves the demo up and opens it the next start.

use crate::notifications::category_story;
use crate::support::{
    eventually, in_window, mails_to, poll, popups_shown, set_up, take_out, Role, RunningApp,
    SecondDesktop, TICK,
};
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
    // The password went to the keyring (the harness's Secret Service), not
    // into the file that remembers the choice.
    app.wait_for_text("Kept in this desktop's keyring").await;
    // Nor does it stay on screen in the field it was typed into.
    let typed = app
        .field("PostgreSQL URL")
        .await
        .prop("value")
        .await
        .expect("the field's value");
    assert_eq!(typed.as_deref(), Some(""), "the URL field is cleared");
    app.screenshot("team-database-chosen").await;
    let data_dir = app.quit_keeping_data().await;
    let saved = std::fs::read_to_string(data_dir.path().join("team-database.url"))
        .expect("the choice is saved");
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(user, _)| user.split_once(':'))
        .map(|(_, password)| password)
        .expect("the harness's URL has a password");
    assert!(
        !saved.contains(password),
        "the saved URL keeps no password: {saved}"
    );

    // The next start opens the team database with the keyring's password,
    // with the demo's parts.
    let app = RunningApp::launch_in(data_dir, &[]).await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text(&next).await;
    app.click_link("Parts").await;
    app.wait_for_text("Resistor 10k").await;
    app.click_link("Settings").await;
    app.wait_for_text("These settings").await;
    app.quit().await;
}

/// A person with their own login who is not an administrator (given it
/// with `partwatch login`, as the README says) sees the team's settings as
/// they are, read-only, and keeps their own preferences to change.
#[tokio::test]
async fn a_person_who_is_not_an_administrator_sees_the_teams_settings_read_only() {
    let url = scratch_database().await;
    let owner = partwatch_core::Database::open_postgres(&url)
        .await
        .expect("the team database, as its owner");
    partwatch_core::inventory::demo::load(&owner)
        .await
        .expect("the demo inventory");
    partwatch_core::inventory::users::create(
        &owner,
        &partwatch_types::inventory::NewUser {
            name: "Ben Ng".into(),
            email: Some("ben@lab.example".into()),
        },
    )
    .await
    .expect("Ben is one of the team");
    owner.close().await;
    let ben_url = own_login(&url, "Ben Ng", "ben").await;

    let app = RunningApp::launch_in(
        tempfile::tempdir().expect("temp data dir"),
        &["--database", &ben_url],
    )
    .await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.by_role(Role::Status, "Signed in as Ben Ng").await;
    app.click_link("Settings").await;
    app.wait_for_text("Only an administrator of the team changes these")
        .await;
    for button in [
        "Save notification settings",
        "Save the team's defaults",
        "Save email settings",
    ] {
        let enabled = app
            .by_role(Role::Button, button)
            .await
            .is_enabled()
            .await
            .expect("the button's state");
        assert!(!enabled, "{button} is disabled for Ben");
    }
    assert!(
        app.by_role(Role::Button, "Save my preferences")
            .await
            .is_enabled()
            .await
            .expect("the button's state"),
        "Ben's own preferences are his to change"
    );
    assert!(!app.exists(Role::Button, "Add webhook").await);
    assert!(!app.exists(Role::Button, "New user").await);
    app.screenshot("settings-read-only").await;
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

    // Partwatch started on the URL by another desktop asks who is there
    // (the team has people), then shows the demo's parts and alerts.
    let app = RunningApp::launch_in(
        tempfile::tempdir().expect("another desktop's data dir"),
        &["--database", &url],
    )
    .await;
    app.by_role(Role::Heading, "Who are you?").await;
    app.by_role(Role::Button, "Ada Lovelace").await;
    app.screenshot("sign-in").await;
    app.click_button("Grace Hopper").await;
    app.by_role(Role::Group, "Inventory at a glance").await;
    app.wait_for_text("Hello, Grace Hopper").await;
    app.wait_for_text(&described(&url)).await;
    app.click_link("Parts").await;
    app.wait_for_text("Resistor 10k").await;
    app.quit().await;
}

/// Gives `person` (already one of the team) a login of their own on the
/// team database at `url`, as the README says: the server's database
/// administrator creates the login, and `partwatch login` gives it to the
/// person. Answers the URL that person's desktop connects with.
async fn own_login(url: &str, person: &str, first_name: &str) -> String {
    let login = format!("{first_name}_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&harness_url("postgres"))
        .await
        .expect("the harness's PostgreSQL");
    sqlx::query(&format!(
        "CREATE ROLE {login} LOGIN PASSWORD '{first_name}-secret'"
    ))
    .execute(&admin)
    .await
    .expect("a login on the server");
    admin.close().await;
    let granted = tokio::process::Command::new(env!("CARGO_BIN_EXE_partwatch"))
        .args([
            "login",
            "--person",
            person,
            "--login",
            &login,
            "--database",
            url,
        ])
        .output()
        .await
        .expect("run partwatch login");
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    let (_, rest) = url.split_once('@').expect("user@host");
    format!("postgres://{login}:{first_name}-secret@{rest}")
}

fn shows(popups: &[serde_json::Value], part: &str) -> bool {
    popups.iter().any(|popup| popup.to_string().contains(part))
}

/// Two people's desktops on one team database, each with its own session
/// bus, notification server and data directory — Ada's on the login that
/// owns the database, Ben's on his own (given with `partwatch login`, bound
/// by the server's row-level security): Ada's window takes a part
/// only Ben watches below its minimum; Ben's badge moves at once, Ben's
/// notification server shows Ben's popup and Ada's shows none; Ben's mail
/// arrives once although both desktops run a delivery worker; the part
/// page open on Ben's desktop shows the new stock. Then Ben's
/// desktop loses the server for a moment: the window says so, and once the
/// server is back the line goes and a change made meanwhile is there.
#[tokio::test]
async fn two_desktops_each_hear_their_own_news_at_once() {
    let url = scratch_database().await;
    let ada = RunningApp::launch_in(
        tempfile::tempdir().expect("temp data dir"),
        &["--database", &url],
    )
    .await;
    // Ben is one of the team, with a login of his own (not an administrator).
    set_up(
        &ada,
        "return await invoke('create_user', { request: { name: 'Ben' } });",
    )
    .await;
    let ben_url = own_login(&url, "Ben", "benl").await;
    let bens_desktop = SecondDesktop::start("Ben").await;
    let ben = RunningApp::launch_on(
        &bens_desktop,
        tempfile::tempdir().expect("temp data dir"),
        &["--database", &ben_url],
    )
    .await;
    // His login is his: the desktop is his from the first start.
    ben.by_role(Role::Status, "Signed in as Ben").await;
    let ada_me = set_up(&ada, "return await invoke('current_user', {});").await;
    let ben_me = set_up(&ben, "return await invoke('current_user', {});").await;
    assert_eq!(ben_me["name"], "Ben", "Ben's desktop is Ben's");
    assert_ne!(ada_me["id"], ben_me["id"], "two people, not one");

    // Ada sets up the mail server and a part; Ben gives his address and watches it.
    let port = std::env::var("PARTWATCH_SMTP_PLAIN_PORT").expect("run inside the test harness");
    let item = set_up(
        &ada,
        &format!(
            "await invoke('save_email_settings', {{ request: {{ enabled: true, host: '127.0.0.1', port: {port},
               security: 'none', username: null, password: {{ action: 'clear' }},
               from_address: 'Partwatch <stores@lab.example>', instance_name: 'Lab' }} }});
             const part = await invoke('create_part', {{ request: {{ name: 'Relay K1', minimum_stock: '10', units: 'pcs' }} }});
             const item = await invoke('add_stock_item', {{ request: {{ part_id: part.id, quantity: '20' }} }});
             return [part.id, item.id];"
        ),
    )
    .await;
    let (part, item) = (item[0].clone(), item[1].as_i64().expect("an item id"));
    set_up(
        &ben,
        &format!(
            "const me = await invoke('current_user', {{}});
             await invoke('update_user', {{ request: {{ id: me.id, name: me.name, email: 'ben@lab.example' }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: {part}, subscribed: true }} }});
             return true;"
        ),
    )
    .await;
    ben.wait_for_badge(None).await;
    ben.open_part("Relay K1", "Relay K1").await;
    ben.wait_for_value("In stock", "20 pcs").await;

    // Ada's window takes it below its minimum.
    let answer = take_out(&ada, item, 15).await;
    assert_eq!(
        answer["ok"], 0,
        "Ada is told nothing: she does not watch it"
    );
    ben.wait_for_badge(Some("1")).await;
    // The part page open on Ben's desktop shows the stock as it now is.
    ben.wait_for_value("In stock", "5 pcs").await;
    let popped = eventually(async || shows(&bens_desktop.popups_shown(), "Relay K1")).await;
    assert!(
        popped,
        "Ben's popup on Ben's desktop: {:?}",
        bens_desktop.popups_shown()
    );
    assert!(
        eventually(async || !mails_to(&spool(), "ben@lab.example").is_empty()).await,
        "Ben's mail arrives"
    );
    let log = in_window(
        &ben,
        "let log = [];
         for (let i = 0; i < 100; i++) {
           log = await invoke('list_deliveries', { request: {} });
           if (log.every(d => d.status !== 'pending')) return log;
           await new Promise(r => setTimeout(r, 50));
         }
         return log;",
    )
    .await;
    assert!(
        log["ok"]
            .as_array()
            .is_some_and(|all| all.iter().all(|d| d["status"] == "sent")),
        "every delivery sent: {log}"
    );
    assert_eq!(
        mails_to(&spool(), "ben@lab.example").len(),
        1,
        "one mail, not one per desktop"
    );
    assert!(
        !shows(&popups_shown(), "Relay K1"),
        "no popup of Ben's on Ada's desktop"
    );

    // A second part Ben watches, for while his desktop is cut off.
    let second = set_up(
        &ben,
        "const part = await invoke('create_part', { request: { name: 'Relay K2', minimum_stock: '10', units: 'pcs' } });
         const item = await invoke('add_stock_item', { request: { part_id: part.id, quantity: '20' } });
         await invoke('set_part_subscription', { request: { part_id: part.id, subscribed: true } });
         return item.id;",
    )
    .await
    .as_i64()
    .expect("an item id");

    // Ben's desktop loses the server: new connections refused, its
    // listening one cut. The window says so.
    let admin = sqlx::PgPool::connect(&harness_url("postgres"))
        .await
        .expect("the harness's PostgreSQL");
    let database = url.rsplit_once('/').expect("a database").1.to_owned();
    sqlx::query(&format!(
        "ALTER DATABASE {database} ALLOW_CONNECTIONS false"
    ))
    .execute(&admin)
    .await
    .expect("refuse new connections");
    let cut: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
          WHERE datname = $1 AND application_name LIKE 'partwatch listening%'
            AND application_name <> $2",
    )
    .bind(&database)
    // Ada's desktop started signed in; Ben's listener is the other one.
    .bind(format!("partwatch listening (user {})", ada_me["id"]))
    .fetch_one(&admin)
    .await
    .expect("cut Ben's listening connection");
    assert_eq!(cut, 1, "Ben's desktop listens on one connection of its own");
    ben.wait_for_text("Not hearing the team database since")
        .await;
    ben.screenshot("team-link-lost").await;

    // Meanwhile Ada takes the second part low (her pooled connections still work).
    take_out(&ada, second, 15).await;
    sqlx::query(&format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true"))
        .execute(&admin)
        .await
        .expect("accept connections again");
    admin.close().await;

    // Back: the line goes (after at most the longest wait so far) and the badge is right.
    let gone = poll(
        800,
        TICK,
        async || {
            ben.client
                .find(fantoccini::Locator::Css(".team-link-lost"))
                .await
                .is_err()
        },
        |gone| *gone,
    )
    .await;
    assert!(
        gone.is_ok(),
        "the line about the lost connection goes once it is back"
    );
    ben.wait_for_badge(Some("2")).await;

    ben.quit().await;
    ada.quit().await;
    drop(bens_desktop);
}

fn spool() -> String {
    std::env::var("PARTWATCH_SMTP_SPOOL").expect("run inside the test harness")
}
