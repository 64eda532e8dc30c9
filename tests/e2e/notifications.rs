//! The seeds' story on the real window: subscribe to a category, run a part
//! in a sub-category short, see the badge without a reload, read it in the
//! flyout, find it in History, delete it; a build order with a short line;
//! notifications switched off; email configured and tested against the
//! harness's SMTP server; a person's preference matrix deciding which mails
//! they get.

use crate::support::{eventually, in_window, mails_to, set_up, Role, RunningApp};
use serde_json::json;

/// Passives > Resistors, with "Resistor 1k" (minimum 10, 20 in stock at "Bin 4")
/// in Resistors; returns the part's id.
async fn inventory(app: &RunningApp) -> i64 {
    let made = set_up(
        app,
        "const top = await invoke('create_category', { request: { name: 'Passives' } });
         const sub = await invoke('create_category', { request: { name: 'Resistors', parent_id: top.id } });
         const part = await invoke('create_part', { request: { name: 'Resistor 1k', category_id: sub.id, minimum_stock: '10', units: 'pcs' } });
         const bin = await invoke('create_location', { request: { name: 'Bin 4' } });
         await invoke('add_stock_item', { request: { part_id: part.id, quantity: '20', location_id: bin.id } });
         return { top: top.id, part: part.id };",
    )
    .await;
    made["part"]
        .as_i64()
        .unwrap_or_else(|| panic!("no part id: {made}"))
}

/// Takes `quantity` from the first stock item of `part`.
async fn take_from_first_item(app: &RunningApp, part: i64, quantity: &str) {
    set_up(
        app,
        &format!(
            "const items = await invoke('stock_items', {{ request: {part} }});
             await invoke('adjust_stock', {{ request: {{ item_id: items[0].id, adjustment: {{ kind: 'remove', quantity: '{quantity}' }} }} }});
             return true;"
        ),
    )
    .await;
}

/// Settings › Email: the harness's plain SMTP server on `port`, no security.
async fn fill_in_the_mail_server(app: &RunningApp, port: &str) {
    app.choose("Security", "None").await;
    app.fill("Mail server", "127.0.0.1").await;
    app.fill("Port", port).await;
    app.fill("Sender address", "Stores <stores@lab.example>")
        .await;
}

#[tokio::test]
async fn a_category_subscriber_is_told_once_reads_it_and_deletes_it() {
    let app = RunningApp::start_empty().await;
    category_story(&app).await;
    app.quit().await;
}

/// The seeds' story, on an empty inventory: a category subscription, a part
/// in a sub-category running low, the badge, the flyout, History (also run
/// on a team's PostgreSQL database, `team.rs`).
pub async fn category_story(app: &RunningApp) {
    inventory(app).await;
    app.wait_for_badge(None).await;

    // Subscribe to the top category on its page.
    app.click_link("Parts").await;
    app.click_link("Resistor 1k").await;
    app.open("Passives", "Passives").await;
    app.subscribe().await;

    // Take stock out of the part in the sub-category until it is below its minimum.
    app.click_link("Resistor 1k").await;
    app.wait_for_text("Subscribed via category Passives").await;
    app.remove_stock("Bin 4", "8", "12 pcs").await;
    app.wait_for_badge(None).await;
    app.remove_stock("Bin 4", "5", "7 pcs").await;
    // The badge shows 1 — no reload, the backend announced it.
    app.wait_for_badge(Some("1")).await;

    // The flyout lists it with its reason.
    app.click_button("Notifications").await;
    app.wait_for_text("Low stock: Resistor 1k").await;
    app.wait_for_text("you watch category Passives").await;
    app.screenshot("flyout").await;
    app.click_button("Mark as read: Low stock: Resistor 1k")
        .await;
    app.wait_for_badge(None).await;
    app.wait_for_text("You're all caught up.").await;

    // It is in History; delete it.
    app.open("View all notifications", "Notifications").await;
    app.wait_for_text("Your inbox is empty.").await;
    app.click(Role::Tab, "History").await;
    app.wait_for_text("Resistor 1k is down to 7 pcs, below its minimum of 10 pcs.")
        .await;
    app.screenshot("notifications").await;
    app.click_button("Delete: Low stock: Resistor 1k").await;
    app.wait_for_text("No read notifications.").await;
}

#[tokio::test]
async fn a_short_build_order_notifies_the_assemblys_subscribers() {
    let app = RunningApp::start_empty().await;
    let part = inventory(&app).await;
    let board = set_up(
        &app,
        &format!(
            "const board = await invoke('create_part', {{ request: {{ name: 'Amp board', is_assembly: true }} }});
             await invoke('add_bom_line', {{ request: {{ assembly_id: board.id, sub_part_id: {part}, quantity: '5' }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: board.id, subscribed: true }} }});
             return board.id;"
        ),
    )
    .await;
    assert!(board.is_i64(), "{board}");
    app.click_link("Build orders").await;
    app.create_build_order("Amp board", "10", "BO-0001").await;
    assert_eq!(app.first_column("Short parts").await, ["Resistor 1k"]);
    app.wait_for_badge(Some("1")).await;
    app.click_button("Notifications").await;
    app.wait_for_text("Stock required for build order BO-0001")
        .await;

    // Opened from the Notifications page, it is read, as from the flyout,
    // and leads to the order's own page: what each line needs and lacks.
    app.open("View all notifications", "Notifications").await;
    app.open(
        "Stock required for build order BO-0001",
        "Build order BO-0001",
    )
    .await;
    app.wait_for_badge(None).await;
    app.wait_for_text("1 of 1 line is short of stock.").await;
    assert_eq!(
        app.table_rows("Parts needed").await,
        [["Resistor 1k", "5", "50", "20", "Short by 30"]]
    );
    app.click_button("Start").await;
    app.by_role(Role::Button, "Complete…").await;
    assert_eq!(app.value_of("Responsible").await, "Me");

    // Stock arrives; back on the order, the line is covered.
    set_up(
        &app,
        &format!(
            "await invoke('add_stock_item', {{ request: {{ part_id: {part}, quantity: '40' }} }});
             return true;"
        ),
    )
    .await;
    app.open("Resistor 1k", "Resistor 1k").await;
    app.open("Build orders", "Build orders").await;
    app.open("BO-0001", "Build order BO-0001").await;
    app.wait_for_text("Every line is covered by the stock available.")
        .await;
    assert_eq!(
        app.table_rows("Parts needed").await,
        [["Resistor 1k", "5", "50", "60", "Covered"]]
    );
    app.screenshot("build-order-page").await;
    app.quit().await;
}

#[tokio::test]
async fn with_notifications_off_the_bell_is_gone_and_nothing_is_created() {
    let app = RunningApp::start_empty().await;
    let part = inventory(&app).await;
    app.click_link("Settings").await;
    app.tick("Notifications are on").await;
    app.click_button("Save notification settings").await;
    app.wait_for_text("Saved").await;
    app.wait_gone(Role::Button, "Notifications").await;

    let answer = in_window(
        &app,
        &format!(
            "await invoke('set_part_subscription', {{ request: {{ part_id: {part}, subscribed: true }} }});
             const items = await invoke('stock_items', {{ request: {part} }});
             await invoke('adjust_stock', {{ request: {{ item_id: items[0].id, adjustment: {{ kind: 'remove', quantity: '15' }} }} }});
             return await invoke('unread_count', {{}});"
        ),
    )
    .await;
    assert_eq!(answer["ok"], json!(0), "{answer}");
    assert!(!app.exists(Role::Button, "Notifications").await);
    app.quit().await;
}

#[tokio::test]
async fn email_configured_against_the_harness_sends_a_test_mail_that_arrives() {
    let port = std::env::var("PARTWATCH_SMTP_PLAIN_PORT").expect("run inside the test harness");
    let spool = std::env::var("PARTWATCH_SMTP_SPOOL").expect("run inside the test harness");
    let app = RunningApp::start_empty().await;
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Email").await;
    fill_in_the_mail_server(&app, &port).await;
    app.tick("Send email notifications").await;
    app.fill("Instance name", "E2E lab").await;
    app.fill("Password", "hunter2").await;
    app.click_button("Save email settings").await;
    app.wait_for_text("A password is saved, in this desktop's keyring.")
        .await;
    // Write-only: the saved password never comes back into the form.
    let answer = in_window(&app, "return await invoke('email_settings', {});").await;
    assert_eq!(answer["ok"]["password_place"]["place"], json!("keyring"));
    assert!(!answer.to_string().contains("hunter2"), "{answer}");

    app.fill("Send a test to", "e2e-test@lab.example").await;
    app.click_button("Send test email").await;
    app.wait_for_text("The test email was accepted by").await;
    app.screenshot("settings-email").await;

    let arrived = eventually(async || !mails_to(&spool, "e2e-test@lab.example").is_empty()).await;
    assert!(arrived, "the test mail reached the SMTP server");

    // A bad address is refused inline.
    app.fill("Send a test to", "nobody@rejected.test").await;
    app.click_button("Send test email").await;
    app.wait_for_text("rejected the recipient nobody@rejected.test")
        .await;
    app.quit().await;
}

/// Settings: "Send test email" tries what the form holds before it is saved;
/// leaving unsaved edits (another section, another page) asks first; "Saved"
/// goes with the next edit.
#[tokio::test]
async fn settings_test_the_form_as_it_is_and_ask_before_unsaved_edits_are_left() {
    let port = std::env::var("PARTWATCH_SMTP_PLAIN_PORT").expect("run inside the test harness");
    let app = RunningApp::start_empty().await;
    app.click_link("Settings").await;
    app.wait_for_text("Log files").await;
    app.wait_for_text("No password saved.").await;

    // Nothing saved: the test goes out with what the form holds.
    fill_in_the_mail_server(&app, &port).await;
    app.fill("Send a test to", "unsaved-test@lab.example").await;
    app.click_button("Send test email").await;
    app.wait_for_text(&format!("The test email was accepted by 127.0.0.1:{port}"))
        .await;
    let answer = in_window(&app, "return await invoke('email_settings', {});").await;
    assert_eq!(answer["ok"]["host"], json!(""), "nothing saved: {answer}");

    // Another section's link asks; keeping on editing keeps the edits. (Up
    // to the section links first: scrolled to, they would sit under the
    // sticky header, which WebDriver reports as a click intercepted.)
    in_window(&app, "window.scrollTo(0, 0); return true;").await;
    app.click_link("Webhooks").await;
    app.by_role(Role::Heading, "Leave without saving?").await;
    app.wait_for_text("Your changes to Email settings are not saved.")
        .await;
    app.click_button("Keep editing").await;
    app.wait_gone(Role::Heading, "Leave without saving?").await;
    let host = app
        .field("Mail server")
        .await
        .prop("value")
        .await
        .expect("its value");
    assert_eq!(host.as_deref(), Some("127.0.0.1"));
    // A link out of Settings asks too; discarding follows it.
    app.click_link("Parts").await;
    app.by_role(Role::Heading, "Leave without saving?").await;
    app.click_button("Discard changes").await;
    app.by_role(Role::Heading, "All parts").await;

    // "Saved" stays until the next edit.
    app.click_link("Settings").await;
    app.wait_for_text("Log files").await;
    app.fill("Delete notifications after (days)", "45").await;
    app.click_button("Save notification settings").await;
    app.by_role(Role::Status, "Saved").await;
    app.fill("Delete notifications after (days)", "46").await;
    let gone = eventually(async || !app.exists(Role::Status, "Saved").await).await;
    assert!(gone, "\"Saved\" is still shown after an edit");
    app.click_button("Save notification settings").await;
    app.by_role(Role::Status, "Saved").await;
    app.quit().await;
}

/// Settings › Users: a person is deactivated (after a question) and
/// reactivated; the person working at this desktop cannot be, and the
/// dialog says why.
#[tokio::test]
async fn a_user_is_deactivated_and_reactivated_in_settings() {
    let app = RunningApp::start_empty().await;
    set_up(
        &app,
        "return await invoke('create_user', { request: { name: 'Cy Ward' } });",
    )
    .await;
    app.click_link("Settings").await;
    let state_of = async |name: &str| {
        app.table_rows("Users")
            .await
            .into_iter()
            .find(|row| row[0] == name)
            .map(|row| row[2].clone())
    };

    app.click_button("Deactivate Cy Ward").await;
    app.by_role(Role::Heading, "Deactivate user").await;
    app.click_button("Deactivate user").await;
    app.by_role(Role::Button, "Reactivate Cy Ward").await;
    assert_eq!(state_of("Cy Ward").await.as_deref(), Some("Inactive"));
    let answer = in_window(&app, "return await invoke('list_users', {});").await;
    let cy = answer["ok"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["name"] == "Cy Ward"))
        .cloned()
        .expect("Cy is listed");
    assert_eq!(cy["active"], json!(false));

    app.click_button("Reactivate Cy Ward").await;
    app.by_role(Role::Button, "Deactivate Cy Ward").await;
    assert_eq!(state_of("Cy Ward").await.as_deref(), Some("Active"));

    // Not the person working here: refused in the dialog, nothing changes.
    app.click_button("Deactivate Me").await;
    app.click_button("Deactivate user").await;
    app.wait_for_text("You cannot deactivate the user you are working as")
        .await;
    app.screenshot("deactivate-refused").await;
    app.click_button("Cancel").await;
    assert_eq!(state_of("Me").await.as_deref(), Some("Active"));
    app.quit().await;
}

/// Settings › What reaches you where: I turn "build shortage by email" off.
/// A short build order reaches my inbox and sends me no mail (the log says
/// why), while a part running low still mails me.
#[tokio::test]
async fn build_shortage_mail_turned_off_leaves_the_inbox_and_low_stock_mail_alone() {
    let port = std::env::var("PARTWATCH_SMTP_PLAIN_PORT").expect("run inside the test harness");
    let spool = std::env::var("PARTWATCH_SMTP_SPOOL").expect("run inside the test harness");
    let me = "matrix-me@lab.example";
    let app = RunningApp::start_empty().await;
    let part = inventory(&app).await;
    set_up(
        &app,
        &format!(
            "const me = await invoke('current_user', {{}});
             await invoke('update_user', {{ request: {{ id: me.id, name: me.name, email: '{me}' }} }});
             const board = await invoke('create_part', {{ request: {{ name: 'Amp board', is_assembly: true }} }});
             await invoke('add_bom_line', {{ request: {{ assembly_id: board.id, sub_part_id: {part}, quantity: '5' }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: board.id, subscribed: true }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: {part}, subscribed: true }} }});
             return true;"
        ),
    )
    .await;
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Email").await;
    fill_in_the_mail_server(&app, &port).await;
    app.tick("Send email notifications").await;
    app.click_button("Save email settings").await;
    app.by_role(Role::Heading, "What reaches you where").await;
    let critical = app
        .by_role(Role::Checkbox, "Out of stock in the app (always on)")
        .await;
    assert!(
        critical.is_selected().await.expect("its state")
            && !critical.is_enabled().await.expect("whether it can change"),
        "out of stock always reaches the inbox: on, and not to be turned off"
    );
    let cell = app.by_role(Role::Checkbox, "Build shortage by email").await;
    assert!(
        cell.is_selected().await.expect("its state"),
        "on by default"
    );
    app.tick("Build shortage by email").await;
    app.click_button("Save my preferences").await;
    app.wait_for_text("Saved").await;
    app.screenshot("settings-preferences").await;
    let saved = in_window(&app, "return await invoke('my_preferences', {});").await;
    let build_mail = saved["ok"]["mine"]
        .as_array()
        .and_then(|cells| {
            cells
                .iter()
                .find(|c| c["event"] == "build_shortage" && c["channel"] == "email")
        })
        .cloned();
    assert_eq!(build_mail.map(|c| c["enabled"].clone()), Some(json!(false)));

    app.click_link("Build orders").await;
    app.create_build_order("Amp board", "10", "BO-0001").await;
    app.wait_for_badge(Some("1")).await;
    app.click_button("Notifications").await;
    app.wait_for_text("Stock required for build order BO-0001")
        .await;
    app.open("View all notifications", "Notifications").await;

    // The part runs low: that mail comes (after the build's turn had passed).
    take_from_first_item(&app, part, "15").await;
    app.wait_for_badge(Some("2")).await;
    let low_mailed = eventually(async || {
        mails_to(&spool, me)
            .iter()
            .any(|m| m.contains("Low stock: Resistor 1k"))
    })
    .await;
    assert!(low_mailed, "the low-stock mail reached the SMTP server");
    let mails = mails_to(&spool, me);
    assert_eq!(mails.len(), 1, "only the low-stock mail: {mails:?}");
    let log = in_window(
        &app,
        "return await invoke('list_deliveries', { request: { channel: 'email' } });",
    )
    .await;
    let skipped = log["ok"]
        .as_array()
        .and_then(|rows| rows.iter().find(|d| d["event_kind"] == "build_shortage"))
        .cloned()
        .unwrap_or_else(|| panic!("the build's mail is in the log: {log}"));
    assert_eq!(skipped["status"], json!("skipped"), "{skipped}");
    assert_eq!(
        skipped["last_error"],
        json!("Chose no email for build shortages."),
        "{skipped}"
    );

    // The last five go: out of stock, critical, in the inbox and mailed at
    // once — one more notification, not a low-stock one as well.
    take_from_first_item(&app, part, "5").await;
    app.wait_for_badge(Some("3")).await;
    app.wait_for_text("Out of stock: Resistor 1k").await;
    app.screenshot("inbox-out-of-stock").await;
    let out_mailed = eventually(async || {
        mails_to(&spool, me)
            .iter()
            .any(|m| m.contains("Out of stock: Resistor 1k"))
    })
    .await;
    assert!(out_mailed, "the out-of-stock mail reached the SMTP server");
    assert_eq!(
        mails_to(&spool, me).len(),
        2,
        "low stock, then out of stock"
    );

    // A reminder by email for what I have not read: a wrong number is
    // refused under its field, a right one saved.
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Reminders by email").await;
    app.fill("Remind me after (hours)", "a day").await;
    app.click_button("Save my reminder").await;
    app.wait_for_text("Enter a whole number of hours, or leave it empty.")
        .await;
    app.fill("Remind me after (hours)", "200").await;
    app.click_button("Save my reminder").await;
    app.wait_for_text("A reminder comes after 1 to 168 hours (a week).")
        .await;
    app.screenshot("settings-reminder-refused").await;
    app.fill("Remind me after (hours)", "4").await;
    app.click_button("Save my reminder").await;
    let saved = eventually(async || {
        let now = in_window(&app, "return await invoke('my_preferences', {});").await;
        now["ok"]["remind_after_hours"] == json!(4)
    })
    .await;
    assert!(saved, "the reminder is saved");

    // Quiet hours, 22:00 to 07:00 as the form offers them, in this
    // desktop's time zone.
    app.tick("Keep quiet hours").await;
    app.click_button("Save my quiet hours").await;
    let kept = eventually(async || {
        let now = in_window(&app, "return await invoke('my_preferences', {});").await;
        let quiet = &now["ok"]["quiet_hours"];
        quiet["from"] == json!("22:00")
            && quiet["to"] == json!("07:00")
            && quiet["time_zone"]
                .as_str()
                .is_some_and(|zone| !zone.is_empty())
    })
    .await;
    assert!(kept, "the quiet hours are saved with a time zone");
    app.wait_for_text("Kept in the time zone").await;
    app.screenshot("settings-quiet-hours").await;
    app.quit().await;
}

/// On a part's page I snooze it for a day: its next drop tells me nothing
/// (no badge), while Other, who watches it too, is told. Unsnoozed, the page
/// offers "Snooze…" again.
#[tokio::test]
async fn snoozing_a_part_from_its_page_quiets_it_for_me_only() {
    use partwatch_types::inventory::{PartId, UserId};
    use partwatch_types::notifications::NotificationQuery;
    let app = RunningApp::start_empty().await;
    let part = PartId(inventory(&app).await);
    let other = set_up(
        &app,
        "const other = await invoke('create_user', { request: { name: 'Other Person' } });
         return other.id;",
    )
    .await;
    let other = UserId(
        other
            .as_i64()
            .unwrap_or_else(|| panic!("no user id: {other}")),
    );
    // Other watches it too (from "their desktop": the same file).
    let db = partwatch_core::Database::open(&app.database_file())
        .await
        .expect("the app's database, beside it");
    partwatch_core::subscriptions::set_part(&db, other, part, true)
        .await
        .expect("Other subscribes");

    app.open_part("Resistor", "Resistor 1k").await;
    app.subscribe().await;
    app.click_button("Snooze…").await;
    app.by_role(Role::Heading, "Snooze Resistor 1k").await;
    app.click(Role::Radio, "For 1 day").await;
    app.screenshot("snooze-dialog").await;
    app.click_button("Snooze").await;
    app.wait_for_text("Snoozed until").await;
    app.by_role(Role::Button, "Unsnooze").await;
    app.screenshot("part-snoozed").await;

    app.remove_stock("Bin 4", "15", "5 pcs").await;
    let others = async || {
        partwatch_core::notifications::list(&db, other, &NotificationQuery::default())
            .await
            .expect("Other's inbox")
    };
    let told = eventually(async || !others().await.is_empty()).await;
    assert!(told, "Other is told");
    assert_eq!(others().await[0].title, "Low stock: Resistor 1k");
    let mine = in_window(&app, "return await invoke('unread_count', {});").await;
    assert_eq!(mine["ok"], json!(0), "I snooze it: {mine}");
    assert_eq!(app.badge().await, None);

    app.click_button("Unsnooze").await;
    app.by_role(Role::Button, "Snooze…").await;
    let now = in_window(
        &app,
        &format!(
            "return await invoke('snooze', {{ request: {{ kind: 'part', id: {} }} }});",
            part.0
        ),
    )
    .await;
    assert_eq!(now["ok"], json!(null), "{now}");
    db.close().await;
    app.quit().await;
}

#[tokio::test]
async fn a_daily_digest_keeps_low_stock_mail_for_it_while_out_of_stock_comes_at_once() {
    let port = std::env::var("PARTWATCH_SMTP_PLAIN_PORT").expect("run inside the test harness");
    let spool = std::env::var("PARTWATCH_SMTP_SPOOL").expect("run inside the test harness");
    let me = "digest-me@lab.example";
    let app = RunningApp::start_empty().await;
    let part = inventory(&app).await;
    set_up(
        &app,
        &format!(
            "const me = await invoke('current_user', {{}});
             await invoke('update_user', {{ request: {{ id: me.id, name: me.name, email: '{me}' }} }});
             await invoke('set_part_subscription', {{ request: {{ part_id: {part}, subscribed: true }} }});
             return true;"
        ),
    )
    .await;
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Email").await;
    fill_in_the_mail_server(&app, &port).await;
    app.tick("Send email notifications").await;
    app.click_button("Save email settings").await;

    // A daily digest at half past seven.
    app.by_role(Role::Heading, "Email digest").await;
    app.choose("Send my emails", "Daily digest").await;
    app.fill("Daily digest at", "07:30").await;
    app.click_button("Save my email digest").await;
    let saved = eventually(async || {
        let now = in_window(&app, "return await invoke('my_preferences', {});").await;
        now["ok"]["digest"]["every"] == json!("daily")
            && now["ok"]["digest"]["at"] == json!("07:30")
    })
    .await;
    assert!(saved, "the daily digest is saved");
    app.screenshot("settings-digest").await;

    // The part runs low: the mail waits for 07:30, the log says so.
    take_from_first_item(&app, part, "15").await;
    app.wait_for_badge(Some("1")).await;
    // Then it runs out: critical, mailed at once.
    take_from_first_item(&app, part, "5").await;
    app.wait_for_badge(Some("2")).await;
    let out_mailed = eventually(async || {
        mails_to(&spool, me)
            .iter()
            .any(|m| m.contains("Out of stock: Resistor 1k"))
    })
    .await;
    assert!(out_mailed, "the out-of-stock mail came at once");
    assert_eq!(
        mails_to(&spool, me).len(),
        1,
        "the low-stock mail waits for the digest"
    );
    app.click_link("Home").await;
    app.click_link("Settings").await;
    app.by_role(Role::Heading, "Delivery log").await;
    app.wait_for_text("in digest due at").await;
    let rows = app.table_rows("Deliveries").await;
    let low = rows
        .iter()
        .find(|row| row.iter().any(|cell| cell == "Low stock: Resistor 1k"))
        .unwrap_or_else(|| panic!("the low-stock mail is in the log: {rows:?}"));
    assert!(
        low.iter()
            .any(|cell| cell.contains("in digest due at") && cell.contains("7:30")),
        "waiting for the 7:30 digest: {low:?}"
    );
    app.screenshot("delivery-log-digest").await;
}
