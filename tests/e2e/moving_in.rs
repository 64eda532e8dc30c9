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

#[tokio::test]
async fn an_inventree_export_moves_in_on_the_command_line_and_its_low_parts_show_in_the_window() {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let dir = data_dir.path().to_str().expect("a UTF-8 path").to_owned();
    let work = tempfile::tempdir().expect("temp dir for files");

    // A spreadsheet with two bad rows: checked, and refused as a whole.
    let sheet = work.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "Name,IPN,Minimum stock\nLED red,LED-R,50\nLED green,LED-G,ten\nLED blue,LED-R,20\nLED white,LED-W,5\n",
    )
    .expect("write the spreadsheet");
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
