//! Moving in from InvenTree: `partwatch import` on the command line with
//! files shaped exactly as InvenTree exports them (`tests/fixtures/inventree/`),
//! then the window on that database.

use crate::support::{Role, RunningApp};
use std::path::{Path, PathBuf};

/// `partwatch ARGS…`: its exit code and what it printed (stderr is a pipe
/// here: a line per file instead of a redrawn bar).
async fn partwatch(args: &[&str], files: &[PathBuf]) -> (i32, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_partwatch"))
        .args(args)
        .args(files)
        .output()
        .await
        .expect("run partwatch");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), printed)
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventree");
    ["parts.csv", "stock.csv", "categories.csv", "bom.csv"]
        .iter()
        .map(|name| dir.join(name))
        .collect()
}

/// A spreadsheet of four LEDs, two of its rows bad (line 3: the minimum is
/// "ten"; line 4: LED-R again), as `dir/sheet.csv`.
fn bad_sheet(dir: &Path) -> PathBuf {
    let sheet = dir.join("sheet.csv");
    std::fs::write(&sheet, BAD_SHEET).expect("write the spreadsheet");
    sheet
}

const BAD_SHEET: &str = "Name,IPN,Minimum stock\nLED red,LED-R,50\nLED green,LED-G,ten\n\
                         LED blue,LED-R,20\nLED white,LED-W,5\n";

/// A sheet of two parts under headings of its own, and a column not to read.
const OWN_SHEET: &str = "Title,Stock code,Reorder at,On hand,Colour\n\
                         Resistor 1k,R-1K,100,40,brown\n\
                         Capacitor 1u,C-1U,10,50,blue\n";

#[tokio::test]
async fn an_inventree_export_moves_in_on_the_command_line_and_its_low_parts_show_in_the_window() {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let dir = data_dir.path().to_str().expect("a UTF-8 path").to_owned();
    let work = tempfile::tempdir().expect("temp dir for files");

    // A spreadsheet with two bad rows: checked, and refused as a whole.
    let sheet = bad_sheet(work.path());
    let (code, printed) = partwatch(
        &["import", "--check", "--data-dir", &dir],
        std::slice::from_ref(&sheet),
    )
    .await;
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("sheet.csv line 3, Minimum stock: \"ten\" is not a number."),
        "{printed}"
    );
    assert!(
        printed.contains("sheet.csv line 4, IPN: The IPN LED-R is already used by LED red."),
        "{printed}"
    );
    assert!(
        printed.contains("Checked, nothing changed: 2 rows have problems."),
        "{printed}"
    );
    let (code, printed) = partwatch(
        &["import", "--data-dir", &dir],
        std::slice::from_ref(&sheet),
    )
    .await;
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("Nothing was imported: 2 rows have problems."),
        "{printed}"
    );

    // A sheet whose headings say nothing Partwatch knows: the terminal says
    // where its columns can be chosen.
    let own = work.path().join("own.csv");
    std::fs::write(&own, OWN_SHEET).expect("write the sheet");
    let (code, printed) = partwatch(&["import", "--data-dir", &dir], &[own]).await;
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("own.csv: Partwatch cannot tell what it holds from its columns"),
        "{printed}"
    );
    assert!(
        printed.contains("import it in the window (Parts › Import CSV)"),
        "{printed}"
    );

    // InvenTree's four exports, in any order.
    let (code, printed) = partwatch(&["import", "--data-dir", &dir], &fixtures()).await;
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains("parts.csv: 5 rows of parts (InvenTree's columns; ignored: Revision,"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "Imported 4 categories, 5 parts, 3 stock items, 2 BOM lines, 2 new locations; \
             3 new parts start below their minimum (low, without an alert)."
        ),
        "{printed}"
    );

    // The good rows of the spreadsheet, the others listed beside it.
    let (code, printed) =
        partwatch(&["import", "--skip-bad-rows", "--data-dir", &dir], &[sheet]).await;
    assert_eq!(code, 0, "{printed}");
    let skipped = work.path().join("sheet.skipped.csv");
    assert!(
        printed.contains(&format!(
            "Skipped 2 rows: they are in {}",
            skipped.display()
        )),
        "{printed}"
    );
    let listed = std::fs::read_to_string(&skipped).expect("the skipped rows");
    assert_eq!(
        listed.lines().next(),
        Some("Name,IPN,Minimum stock,Problem")
    );
    assert_eq!(listed.lines().count(), 3, "{listed}");

    // The window: what is running low, and nobody was alerted.
    let app = RunningApp::launch_in(data_dir, &[]).await;
    app.wait_for_text("Running low").await;
    let mut low = app.first_column("Parts running low").await;
    low.sort();
    assert_eq!(
        low,
        [
            "Amp board LOW",
            "Capacitor 100n LOW",
            "LED red LOW",
            "LED white LOW",
            "Resistor 330R 0805 LOW"
        ],
        "imported below their minimum: 0 of 2, 120 of 500, 0 of 50, 0 of 5, 200 of 300"
    );
    assert_eq!(
        app.badge().await,
        None,
        "no alert for parts that arrived low"
    );
    app.by_role(Role::Heading, "Running low (5)").await;
    app.screenshot("imported-running-low").await;
    app.quit().await;
}

/// Chooses `files` in the window's file field labelled `label`, as the
/// file chooser would (WebDriver types their paths, one per line).
async fn choose_files(app: &RunningApp, label: &str, files: &[PathBuf]) {
    let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    app.field(label)
        .await
        .send_keys(&paths.join("\n"))
        .await
        .unwrap_or_else(|err| panic!("could not choose {paths:?}: {err}"));
}

async fn import_button_enabled(app: &RunningApp) -> bool {
    app.by_role(Role::Button, "Import")
        .await
        .is_enabled()
        .await
        .expect("the Import button's state")
}

#[tokio::test]
async fn an_inventree_export_imports_through_the_window_after_a_preview_and_bad_rows_stop_it() {
    let work = tempfile::tempdir().expect("temp dir for files");
    let sheet = bad_sheet(work.path());
    let app = RunningApp::start_empty().await;
    app.open("Parts", "All parts").await;

    // A spreadsheet with two bad rows: both shown, and nothing to import.
    app.click_button("Import CSV").await;
    app.by_role(Role::Heading, "Import from CSV").await;
    choose_files(&app, "CSV files", std::slice::from_ref(&sheet)).await;
    app.by_role(
        Role::Status,
        "2 rows have problems. The other rows would make 2 parts; 2 new parts start below \
         their minimum (low, without an alert).",
    )
    .await;
    assert_eq!(
        app.table_rows("Problems").await,
        [
            [
                "sheet.csv",
                "3",
                "Minimum stock",
                "\"ten\" is not a number."
            ],
            [
                "sheet.csv",
                "4",
                "IPN",
                "The IPN LED-R is already used by LED red."
            ],
        ]
    );
    let first_rows = app.table_rows("First rows of sheet.csv").await;
    assert_eq!(first_rows.len(), 4, "{first_rows:?}");
    assert_eq!(first_rows[1], ["3", "LED green", "LED-G", "ten"]);
    let bad_cell = app
        .wait_for_xpath(
            "//table[@aria-label='First rows of sheet.csv']//td[contains(@class, 'bad')]",
            "the bad cell is marked",
        )
        .await;
    assert_eq!(bad_cell.text().await.expect("its text"), "ten");
    assert!(
        !import_button_enabled(&app).await,
        "all or nothing: a file with problems cannot be imported"
    );
    app.wait_for_text("Nothing is imported while rows have problems")
        .await;
    app.screenshot("import-preview-problems").await;
    // Mended and chosen again — the same file: checked afresh.
    std::fs::write(&sheet, "Name,IPN,Minimum stock\nLED red,LED-R,0\n").expect("mend the sheet");
    choose_files(&app, "CSV files", std::slice::from_ref(&sheet)).await;
    app.by_role(Role::Status, "Every row is good. Importing makes 1 part.")
        .await;
    app.wait_for_text("Chosen: sheet.csv").await;
    assert!(import_button_enabled(&app).await);
    app.click_button("Cancel").await;
    app.wait_gone(Role::Heading, "Import from CSV").await;
    app.wait_for_text("No parts match.").await;

    // InvenTree's exports: previewed, then imported.
    app.click_button("Import CSV").await;
    choose_files(&app, "CSV files", &fixtures()).await;
    app.by_role(
        Role::Status,
        "Every row is good. Importing makes 4 categories, 5 parts, 3 stock items, 2 BOM lines, \
         2 new locations; 3 new parts start below their minimum (low, without an alert).",
    )
    .await;
    app.by_role(Role::Heading, "parts.csv").await;
    app.wait_for_text("5 rows of parts, InvenTree’s columns. Not read: Revision,")
        .await;
    assert!(import_button_enabled(&app).await);
    app.screenshot("import-preview").await;
    app.click_button("Import").await;
    app.by_role(
        Role::Status,
        "Imported 4 categories, 5 parts, 3 stock items, 2 BOM lines, 2 new locations; \
         3 new parts start below their minimum (low, without an alert).",
    )
    .await;
    app.click_button("Close").await;
    app.wait_for_rows("Parts", "the imported parts", |rows| rows.len() == 5)
        .await;

    // The spreadsheet again, skipping its bad rows; they are saved to a file.
    let sheet = bad_sheet(work.path());
    app.click_button("Import CSV").await;
    choose_files(&app, "CSV files", std::slice::from_ref(&sheet)).await;
    app.by_role(
        Role::Status,
        "2 rows have problems. The other rows would make 2 parts; 2 new parts start below \
         their minimum (low, without an alert).",
    )
    .await;
    app.click(Role::Radio, "Skip the bad rows").await;
    app.by_role(
        Role::Status,
        "2 rows have problems. Importing skips them and makes 2 parts; 2 new parts start \
         below their minimum (low, without an alert).",
    )
    .await;
    app.click_button("Import").await;
    app.by_role(
        Role::Status,
        "Imported 2 parts; 2 new parts start below their minimum (low, without an alert).",
    )
    .await;
    app.wait_for_text("2 rows of sheet.csv were skipped.").await;
    app.click_button("Save sheet.skipped.csv").await;
    let downloads = PathBuf::from(
        std::env::var("PARTWATCH_TEST_DOWNLOADS").expect("the harness's Downloads folder"),
    );
    let saved = downloads.join("sheet.skipped.csv");
    app.by_role(Role::Status, &format!("Saved to {}", saved.display()))
        .await;
    let listed = std::fs::read_to_string(&saved).expect("the skipped rows");
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        [
            "Name,IPN,Minimum stock,Problem",
            "LED green,LED-G,ten,\"Minimum stock: \"\"ten\"\" is not a number.\"",
            "LED blue,LED-R,20,IPN: The IPN LED-R is already used by LED red.",
        ]
    );
    std::fs::remove_file(&saved).expect("tidy the Downloads folder");
    app.click_button("Close").await;

    // The way out: every part and category, as files an import reads back.
    app.click_button("Export CSV").await;
    let parts_file = downloads.join("parts.csv");
    app.wait_for_text(&format!(
        "Exported 7 parts and 4 categories to {} and categories.csv.",
        parts_file.display()
    ))
    .await;
    let exported = std::fs::read_to_string(&parts_file).expect("the exported parts");
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines.len(), 8, "{exported}");
    assert!(
        lines[0].starts_with("Name,IPN,Description,Category,"),
        "{exported}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("LED white,LED-W,")),
        "{exported}"
    );
    for name in ["parts.csv", "categories.csv"] {
        std::fs::remove_file(downloads.join(name)).expect("tidy the Downloads folder");
    }

    // Home: what arrived low, and nobody was alerted.
    app.click_link("Home").await;
    app.by_role(Role::Heading, "Running low (5)").await;
    assert_eq!(
        app.badge().await,
        None,
        "no alert for parts that arrived low"
    );
    app.quit().await;
}

#[tokio::test]
async fn a_sheet_with_headings_of_its_own_is_read_as_its_columns_are_chosen_in_the_preview() {
    let work = tempfile::tempdir().expect("temp dir for files");
    let sheet = work.path().join("sheet.csv");
    std::fs::write(&sheet, OWN_SHEET).expect("write the sheet");
    let app = RunningApp::start_empty().await;
    app.open("Parts", "All parts").await;
    app.click_button("Import CSV").await;
    choose_files(&app, "CSV files", std::slice::from_ref(&sheet)).await;
    app.by_role(
        Role::Status,
        "Partwatch cannot read sheet.csv as it is: say below what it holds and what its \
         columns are. No file is checked until then.",
    )
    .await;
    app.wait_for_text("Partwatch cannot tell what it holds from its columns (Title, Stock code,")
        .await;
    assert!(!import_button_enabled(&app).await, "nothing to import yet");
    app.screenshot("import-columns-unread").await;
    assert_eq!(
        app.table_rows("Columns of sheet.csv").await,
        [
            ["", "Resistor 1k"],
            ["", "R-1K"],
            ["", "100"],
            ["", "40"],
            ["", "brown"],
        ],
        "every column (a row header each), with its first value, and nothing to choose before \
         the kind"
    );

    // Parts: still no column is the name.
    app.choose("sheet.csv holds", "Parts").await;
    app.wait_for_text("A file of parts needs a column read as “Name”.")
        .await;
    // Each choice is checked again at once.
    for (at, (heading, field)) in [
        ("Title", "Name"),
        ("Stock code", "IPN"),
        ("Reorder at", "Minimum stock"),
        ("On hand", "In stock"),
    ]
    .into_iter()
    .enumerate()
    {
        app.choose(&format!("Read “{heading}” as"), field).await;
        app.wait_for_text(&format!("How sheet.csv is read: {} of 5 columns", at + 1))
            .await;
    }
    // The preview is drawn anew; the focus goes back to the select used.
    let refocused = crate::support::eventually(async || {
        let focused = crate::support::in_window(
            &app,
            "return document.activeElement ? document.activeElement.id : '';",
        )
        .await;
        focused["ok"] == "import-column-0-3"
    })
    .await;
    assert!(refocused, "the focus stays on the control chosen with");
    app.by_role(
        Role::Status,
        "Every row is good. Importing makes 2 parts, 2 stock items; 1 new part starts below its \
         minimum (low, without an alert).",
    )
    .await;
    app.wait_for_text("2 rows of parts, the columns as chosen. Not read: Colour.")
        .await;
    assert_eq!(
        app.table_rows("First rows of sheet.csv").await,
        [
            ["2", "Resistor 1k", "R-1K", "100", "40"],
            ["3", "Capacitor 1u", "C-1U", "10", "50"],
        ]
    );
    // A field chosen again leaves the column it was read from.
    app.choose("Read “Colour” as", "IPN").await;
    app.wait_for_text("How sheet.csv is read: 4 of 5 columns")
        .await;
    app.wait_for_text("Not read: Stock code.").await;
    // The same option chosen again where it was before: heard.
    app.choose("Read “Stock code” as", "IPN").await;
    app.wait_for_text("Not read: Colour.").await;
    app.screenshot("import-columns-chosen").await;
    assert!(import_button_enabled(&app).await);
    app.click_button("Import").await;
    app.by_role(
        Role::Status,
        "Imported 2 parts, 2 stock items; 1 new part starts below its minimum (low, without an \
         alert).",
    )
    .await;
    app.click_button("Close").await;
    app.wait_for_rows("Parts", "the imported parts", |rows| rows.len() == 2)
        .await;
    app.click_link("Home").await;
    app.by_role(Role::Heading, "Running low (1)").await;
    app.quit().await;
}
