//! Moving in: CSV files of categories, parts, stock items and BOM lines —
//! shaped exactly as InvenTree exports them, or as a spreadsheet names its
//! columns — checked row by row and imported in one transaction; and the
//! parts table exported back.

mod support;

use partwatch_core::import::{self, export};
use partwatch_core::inventory::{bom, categories, parts, stock};
use partwatch_types::import::{
    ChosenReading, ImportCounts, ImportField, ImportFile, ImportKind, ImportMode, ImportPreset,
    ImportReport, ImportRequest, SkippedRows,
};
use partwatch_types::inventory::*;
use partwatch_types::{ErrorCode, Quantity};
use support::{code, history_of, q, snapshot, world, PartInputExt, World};

fn file(name: &str, text: &str) -> ImportFile {
    ImportFile {
        name: name.into(),
        text: text.into(),
        reading: None,
    }
}

async fn run(w: &World, files: &[ImportFile], mode: ImportMode, commit: bool) -> ImportReport {
    import::run(
        &w.db,
        &ImportRequest {
            files: files.to_vec(),
            mode,
            commit,
        },
        |_| {},
    )
    .await
    .expect("import ran")
}

async fn part_named(w: &World, name: &str) -> Part {
    let id = w
        .count(&format!("SELECT id FROM parts WHERE name = '{name}'"))
        .await;
    parts::get(&w.db, PartId(id)).await.expect("part")
}

async fn running_low(w: &World) -> Vec<String> {
    parts::list(
        &w.db,
        &PartQuery {
            low_only: true,
            ..PartQuery::default()
        },
    )
    .await
    .expect("low parts")
    .items
    .into_iter()
    .map(|p| p.name)
    .collect()
}

// InvenTree's exports, column for column (part/admin.py, stock/admin.py), as
// `tests/fixtures/inventree/` keeps them for every test that imports them.
const INVENTREE_CATEGORIES: &str = include_str!("../../../tests/fixtures/inventree/categories.csv");

const INVENTREE_PARTS: &str = include_str!("../../../tests/fixtures/inventree/parts.csv");

const INVENTREE_STOCK: &str = include_str!("../../../tests/fixtures/inventree/stock.csv");

const INVENTREE_BOM: &str = include_str!("../../../tests/fixtures/inventree/bom.csv");

fn inventree_files() -> Vec<ImportFile> {
    // In any order: the import takes categories, parts, stock, BOM.
    vec![
        file("stock.csv", INVENTREE_STOCK),
        file("bom.csv", INVENTREE_BOM),
        file("parts.csv", INVENTREE_PARTS),
        file("categories.csv", INVENTREE_CATEGORIES),
    ]
}

#[tokio::test]
async fn an_inventree_export_moves_in_and_its_low_parts_start_low_without_alerts() {
    let w = world().await;
    // Someone already watches the top category the export goes under.
    let electronics = w.category("Electronics", None).await.id;
    let ann = w.user("Ann").await;
    w.watch_category(ann, electronics).await;

    let checked = run(&w, &inventree_files(), ImportMode::AllOrNothing, false).await;
    assert_eq!(checked.problems, vec![], "the preview finds nothing wrong");
    assert!(!checked.committed, "a check changes nothing");
    assert_eq!(w.count("SELECT COUNT(*) FROM parts").await, 0);
    let kinds: Vec<(Option<ImportKind>, Option<ImportPreset>)> =
        checked.files.iter().map(|f| (f.kind, f.preset)).collect();
    let inventree = |kind| (Some(kind), Some(ImportPreset::InvenTree));
    assert_eq!(
        kinds,
        vec![
            inventree(ImportKind::Categories),
            inventree(ImportKind::Parts),
            inventree(ImportKind::StockItems),
            inventree(ImportKind::BomLines),
        ]
    );
    let parts = &checked.files[1];
    let minimum = parts
        .columns
        .iter()
        .find(|c| c.heading == "Minimum Stock")
        .expect("the column");
    assert_eq!(minimum.read_as, Some(ImportField::Minimum));
    assert!(parts.columns_ignored().contains(&"In Stock"));
    let first = &parts.sample[0];
    assert_eq!(first.line, 2);
    let name_at = parts
        .columns
        .iter()
        .position(|c| c.heading == "Part Name")
        .expect("Part Name is a column");
    assert_eq!(parts.columns[name_at].read_as, Some(ImportField::Name));
    assert_eq!(first.cells[name_at], "Resistor 330R 0805");
    assert_eq!(
        first.cells.len(),
        parts.columns.len(),
        "the sample has every column of the file"
    );

    let report = run(&w, &inventree_files(), ImportMode::AllOrNothing, true).await;
    assert!(report.committed);
    assert_eq!(report.bad_rows, 0);
    assert_eq!(report.counts.categories, 3, "Electronics was there already");
    assert_eq!(report.counts.parts, 5);
    assert_eq!(
        report.counts.stock_items, 3,
        "two rows at one place and batch make one item"
    );
    assert_eq!(report.counts.bom_lines, 2);
    assert_eq!(report.counts.locations, 2);
    assert_eq!(report.counts.low_parts, 3);

    let resistor = part_named(&w, "Resistor 330R 0805").await;
    assert_eq!(resistor.ipn.as_deref(), Some("R-330-0805"));
    assert_eq!(resistor.description, "Thick film, 1%");
    assert_eq!(resistor.figures.in_stock, q("200"));
    assert_eq!(resistor.figures.minimum_stock, q("300"));
    assert_eq!(
        resistor.category.map(|c| c.name).as_deref(),
        Some("Resistors")
    );
    let template = part_named(&w, "Capacitor 100n").await;
    assert!(template.is_template);
    assert_eq!(
        template.figures.in_stock,
        q("120"),
        "a template holds its variant's stock"
    );
    assert_eq!(
        template
            .variants
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["Capacitor 100n X7R"]
    );
    let board = part_named(&w, "Amp board").await;
    assert!(board.is_assembly);
    let lines = bom::lines(&w.db, board.id).await.expect("bom").lines;
    assert_eq!(lines.len(), 2);
    assert!(lines
        .iter()
        .any(|l| l.quantity == q("10") && l.allow_variants));

    // Running low: the resistor (200 < 300), the template (120 < 500), the
    // board (0 < 2); the 10k resistor is fine.
    assert_eq!(
        running_low(&w).await,
        ["Amp board", "Capacitor 100n", "Resistor 330R 0805"]
    );
    // ...and nobody was told: they were never "ok" here.
    assert_eq!(w.count("SELECT COUNT(*) FROM notifications").await, 0);
    assert_eq!(w.unread(ann).await, 0);
    let items = stock::items(&w.db, resistor.id).await.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].batch, "B1");
    assert_eq!(
        items[0].location.as_ref().map(|l| l.path.as_str()),
        Some("Drawer A4")
    );
    let history = stock::history(&w.db, &history_of(resistor.id))
        .await
        .expect("history");
    assert_eq!(history[0].reason, "Imported from stock.csv");
    assert_eq!(history[0].kind, StockChangeKind::Create);

    // From here on it is an ordinary part: refilled, then taken below its
    // minimum, Ann hears of it once.
    w.add(items[0].id, "150").await;
    w.remove(items[0].id, "100").await;
    assert_eq!(w.unread(ann).await, 1);
}

#[tokio::test]
async fn a_file_with_two_bad_rows_shows_both_and_imports_nothing_unless_skipping() {
    let w = world().await;
    w.category("Electronics", None).await;
    w.part(PartInput::named("Old resistor").ipn("R-1")).await;
    let before = snapshot(&w.db).await;
    let files = [
        file(
            "parts.csv",
            "Name,IPN,Category,Minimum stock,Units\n\
             LED red,LED-R,Electronics,50,pcs\n\
             LED green,LED-G,Electronics,ten,pcs\n\
             Resistor 1k,R-1,Electronics,100,pcs\n\
             LED blue,LED-B,Electronics,50,pcs\n",
        ),
        file(
            "stock.csv",
            "Part,Quantity,Location\nLED-R,20,Drawer 1\nLED-G,30,Drawer 1\nLED-B,80,Drawer 1\n",
        ),
    ];

    for commit in [false, true] {
        let report = run(&w, &files, ImportMode::AllOrNothing, commit).await;
        assert!(!report.committed);
        let problems: Vec<(&str, u64, Option<&str>)> = report
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            problems,
            [
                ("parts.csv", 3, Some("Minimum stock")),
                ("parts.csv", 4, Some("IPN")),
                ("stock.csv", 3, Some("Part")),
            ]
        );
        assert_eq!(report.problems[0].message, "\"ten\" is not a number.");
        assert_eq!(
            report.problems[1].message,
            "The IPN R-1 is already used by Old resistor."
        );
        assert_eq!(
            report.problems[2].message,
            "Its part (line 3 of parts.csv) is not imported."
        );
        assert_eq!(report.bad_rows, 3);
        assert!(
            report.skipped.is_empty(),
            "nothing is skipped: nothing is imported"
        );
        assert_eq!(snapshot(&w.db).await, before, "nothing changed");
    }

    let report = run(&w, &files, ImportMode::SkipBadRows, true).await;
    assert!(report.committed);
    assert_eq!(report.counts.parts, 2);
    assert_eq!(report.counts.stock_items, 2);
    assert_eq!(report.counts.low_parts, 1, "LED red: 20 of 50");
    assert_eq!(running_low(&w).await, ["LED red"]);
    let skipped: Vec<(&str, u64)> = report
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.rows))
        .collect();
    assert_eq!(
        skipped,
        [("parts.skipped.csv", 2), ("stock.skipped.csv", 1)]
    );
    let lines: Vec<&str> = report.skipped[0].csv.lines().collect();
    assert_eq!(lines[0], "Name,IPN,Category,Minimum stock,Units,Problem");
    assert_eq!(
        lines[1],
        r#"LED green,LED-G,Electronics,ten,pcs,"Minimum stock: ""ten"" is not a number.""#
    );
    assert!(lines[2].ends_with("IPN: The IPN R-1 is already used by Old resistor."));

    // Saved from the window: under its own name, never over another file.
    let downloads = tempfile::tempdir().expect("a Downloads folder");
    let first = import::save_skipped(downloads.path(), &report.skipped[0]).expect("saved");
    let again = import::save_skipped(downloads.path(), &report.skipped[0]).expect("saved again");
    assert_eq!(first, downloads.path().join("parts.skipped.csv"));
    assert_eq!(again, downloads.path().join("parts (2).skipped.csv"));
    assert_eq!(
        std::fs::read_to_string(&again).expect("read back"),
        report.skipped[0].csv
    );
    for name in [
        "../parts.skipped.csv",
        "/tmp/parts.skipped.csv",
        "notes.txt",
    ] {
        let wrong = SkippedRows {
            name: name.to_owned(),
            ..report.skipped[0].clone()
        };
        let err = import::save_skipped(downloads.path(), &wrong).expect_err(name);
        assert!(
            err.to_string()
                .contains("is not the name of a list of skipped rows"),
            "{name}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(downloads.path()).expect("list").count(),
        2,
        "nothing else was written"
    );
}

#[tokio::test]
async fn unknown_categories_variant_loops_and_bom_loops_are_problems_of_their_rows() {
    let w = world().await;
    let passives = w.category("Electronics", None).await.id;
    w.category("Passives", Some(passives)).await;
    w.part(PartInput::named("Plain part").ipn("P-1")).await;
    let report = run(
        &w,
        &[
            file(
                "parts.csv",
                "Name,IPN,Category,Template,Variant of,Assembly\n\
                 Cap A,CA,Electronics/Passivs,no,,no\n\
                 Loop 1,L1,electronics / passives,yes,L2,no\n\
                 Loop 2,L2,Electronics/Passives,yes,L1,no\n\
                 Below the loop,L3,,no,L2,no\n\
                 Not a variant,NV,,no,P-1,no\n\
                 Board,B,,no,,yes\n\
                 Module,M,,no,,yes\n\
                 Fine,F,Electronics/Passives,maybe,,no\n\
                 Twin,B,,no,,no\n",
            ),
            file(
                "bom.csv",
                "Assembly,Part,Quantity\nB,M,1\nM,B,1\nB,Nothing,1\nB,P-1,0\n",
            ),
        ],
        ImportMode::SkipBadRows,
        true,
    )
    .await;
    let problems: Vec<(String, u64, Option<String>, String)> = report
        .problems
        .iter()
        .map(|p| (p.file.clone(), p.line, p.column.clone(), p.message.clone()))
        .collect();
    let on = |file: &str, line: u64| {
        problems
            .iter()
            .filter(|p| p.0 == file && p.1 == line)
            .map(|p| format!("{}: {}", p.2.as_deref().unwrap_or("-"), p.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        on("parts.csv", 2),
        [
            "Category: There is no category “Electronics/Passivs”: create it first, or import a \
          file of categories with it in the same import."
        ]
    );
    assert!(
        on("parts.csv", 3)[0].contains("make a loop"),
        "{:?}",
        on("parts.csv", 3)
    );
    assert!(on("parts.csv", 4)[0].contains("make a loop"));
    assert_eq!(
        on("parts.csv", 5),
        ["Variant of: Its part (line 4 of parts.csv) is not imported."]
    );
    assert_eq!(
        on("parts.csv", 6),
        ["Variant of: Plain part is not a template part, so it cannot have variants."]
    );
    assert_eq!(on("parts.csv", 9), ["Template: “maybe” is not yes or no."]);
    assert_eq!(
        on("parts.csv", 10),
        ["IPN: The IPN B is already used by Board."],
        "an earlier row of the same file"
    );
    assert!(on("bom.csv", 2).is_empty(), "B contains M");
    assert_eq!(
        on("bom.csv", 3),
        ["Part: Board already contains Module, so it cannot also be inside it."]
    );
    assert_eq!(
        on("bom.csv", 4),
        ["Part: There is no part “Nothing” (by IPN or name)."]
    );
    assert_eq!(on("bom.csv", 5).len(), 1, "a quantity of zero");
    assert_eq!(report.counts.parts, 2, "Board and Module");
    assert_eq!(report.counts.bom_lines, 1);
}

#[tokio::test]
async fn stock_imported_onto_parts_already_there_moves_them_like_any_stock() {
    let w = world().await;
    let ann = w.user("Ann").await;
    let (part, item) = w.watched_part("Fuse 2A", &[ann]).await;
    w.go_low(item).await;
    assert_eq!(w.unread(ann).await, 1);
    w.location("Drawer 9", None).await;
    let report = run(
        &w,
        &[file(
            "stock.csv",
            "Part;Quantity;Location;Batch\nFuse 2A;7,5;Drawer 9;\nFuse 2A;2,5;Drawer 9;\n",
        )],
        ImportMode::AllOrNothing,
        true,
    )
    .await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.counts.locations, 0, "Drawer 9 was there");
    // 5 + 10 = 15 of a minimum of 10: back in stock, Ann's alert resolved.
    assert_eq!(w.figures(part).await.in_stock, q("15"));
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'low_stock' AND resolved_at IS NULL"
        )
        .await,
        0
    );
    // The item already at no place got nothing; the new place has 10.
    let mut items: Vec<(Option<String>, Quantity)> = stock::items(&w.db, part)
        .await
        .expect("items")
        .into_iter()
        .map(|i| (i.location.map(|l| l.path), i.quantity))
        .collect();
    items.sort();
    assert_eq!(
        items,
        [
            (None, Quantity::whole(5)),
            (Some("Drawer 9".into()), Quantity::whole(10))
        ]
    );
}

#[tokio::test]
async fn exported_parts_and_categories_import_into_an_empty_database_as_they_were() {
    let w = world().await;
    let top = w.category("Mechanics", None).await.id;
    let screws = w.category("Screws, bolts", Some(top)).await.id;
    let template = w.template("Screw M3", "100").await;
    w.update_part(
        template,
        PartInput::named("Screw M3")
            .template()
            .minimum("100")
            .in_category(screws),
    )
    .await;
    let variant = w
        .part(
            PartInput::named("Screw M3x8")
                .ipn("M3-8")
                .variant_of(template)
                .minimum("40")
                .units("pcs")
                .in_category(screws),
        )
        .await
        .id;
    w.add_item(variant, "12.5").await;
    let parts_csv = export::parts_csv(&w.db).await.expect("parts");
    let categories_csv = export::categories_csv(&w.db).await.expect("categories");
    assert_eq!(
        categories_csv,
        "Path,Description\nMechanics,\n\"Mechanics/Screws, bolts\",\n"
    );
    assert_eq!(
        parts_csv.lines().next(),
        Some("Name,IPN,Description,Category,Units,Minimum stock,Template,Variant of,Assembly,Active,In stock")
    );

    let fresh = world().await;
    let report = run(
        &fresh,
        &[
            file("parts.csv", &parts_csv),
            file("categories.csv", &categories_csv),
        ],
        ImportMode::AllOrNothing,
        true,
    )
    .await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(
        export::parts_csv(&fresh.db).await.expect("again"),
        parts_csv
    );
    assert_eq!(
        export::categories_csv(&fresh.db).await.expect("again"),
        categories_csv
    );
    let copy = part_named(&fresh, "Screw M3x8").await;
    assert_eq!(copy.figures.in_stock, q("12.5"));
    assert_eq!(
        part_named(&fresh, "Screw M3").await.figures.in_stock,
        q("12.5")
    );
}

#[tokio::test]
async fn reads_in_one_snapshot_agree_though_a_change_commits_between_them() {
    // What the window's export relies on for its two files to agree.
    let w = world().await;
    w.category("Electronics", None).await;
    let count = "SELECT COUNT(*) FROM categories";
    let mut snapshot = w.db.read_snapshot().await.expect("a snapshot");
    let before: i64 = partwatch_core::sql::query_scalar(count)
        .fetch_one(&mut snapshot)
        .await
        .expect("read in the snapshot");
    w.category("Mechanical", None).await;
    assert_eq!(w.count(count).await, 2, "the change is committed");
    let after: i64 = partwatch_core::sql::query_scalar(count)
        .fetch_one(&mut snapshot)
        .await
        .expect("read again in the snapshot");
    assert_eq!(
        (before, after),
        (1, 1),
        "the snapshot sees the database as it was"
    );
}

#[tokio::test]
async fn files_that_cannot_be_read_stop_the_import_before_anything_is_checked() {
    let w = world().await;
    let before = snapshot(&w.db).await;
    for (name, text, says) in [
        ("empty.csv", "", "empty.csv is empty"),
        (
            "good.csv",
            "Name\nB part\n",
            "Two of the files are called good.csv",
        ),
    ] {
        let result = import::run(
            &w.db,
            &ImportRequest {
                files: vec![file("good.csv", "Name\nA part\n"), file(name, text)],
                mode: ImportMode::SkipBadRows,
                commit: true,
            },
            |_| {},
        )
        .await;
        let message = result
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(message.contains(says), "{name}: {message}");
        assert_eq!(code(result), ErrorCode::InvalidInput);
    }
    assert_eq!(snapshot(&w.db).await, before);
}

#[tokio::test]
async fn a_file_whose_columns_say_nothing_known_is_described_and_nothing_is_checked() {
    let w = world().await;
    let before = snapshot(&w.db).await;
    for (name, text, kind, says) in [
        (
            "colours.csv",
            "Colour,Weight\nred,3\n",
            None,
            "cannot tell what it holds from its columns (Colour, Weight)",
        ),
        (
            "bom.csv",
            "Assembly,Part\nA,B\n",
            Some(ImportKind::BomLines),
            "no \"Quantity\" column",
        ),
    ] {
        let report = run(
            &w,
            &[file("good.csv", "Name\nA part\n"), file(name, text)],
            ImportMode::SkipBadRows,
            true,
        )
        .await;
        assert!(!report.committed, "{name}");
        assert_eq!(report.counts, ImportCounts::default(), "nothing checked");
        let unread = report
            .files
            .iter()
            .find(|f| f.name == name)
            .expect("the file is described");
        assert_eq!(unread.kind, kind, "{name}");
        let why = unread.unreadable.clone().unwrap_or_default();
        assert!(why.contains(says), "{name}: {why}");
        assert_eq!(unread.rows, 1);
        assert_eq!(
            unread
                .columns
                .iter()
                .map(|c| c.heading.as_str())
                .collect::<Vec<_>>(),
            text.lines()
                .next()
                .unwrap_or_default()
                .split(',')
                .collect::<Vec<_>>(),
            "every heading reaches the window, to be chosen"
        );
        assert_eq!(unread.sample[0].cells.len(), unread.columns.len());
        let good = report.files.iter().find(|f| f.name == "good.csv");
        assert_eq!(good.and_then(|f| f.unreadable.clone()), None);
    }
    assert_eq!(snapshot(&w.db).await, before);
}

#[tokio::test]
async fn columns_chosen_in_the_window_import_a_sheet_with_headings_of_its_own() {
    let w = world().await;
    let sheet = "Title,Stock code,Reorder at,On hand,Colour\n\
                 Resistor 1k,R-1K,100,40,brown\n\
                 Capacitor 1u,C-1U,10,50,blue\n";
    let told = run(
        &w,
        &[file("sheet.csv", sheet)],
        ImportMode::AllOrNothing,
        false,
    )
    .await;
    assert_eq!(told.files[0].kind, None, "nothing says what it holds");
    assert_eq!(w.count("SELECT COUNT(*) FROM parts").await, 0);

    // Parts, then: no heading says which is the name.
    let chosen = |reading| ImportFile {
        reading: Some(reading),
        ..file("sheet.csv", sheet)
    };
    let as_parts = run(
        &w,
        &[chosen(ChosenReading::Kind(ImportKind::Parts))],
        ImportMode::AllOrNothing,
        true,
    )
    .await;
    assert!(!as_parts.committed);
    assert_eq!(
        as_parts.files[0].unreadable.as_deref(),
        Some("A file of parts needs a column read as “Name”."),
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM parts").await, 0);

    // Every column said; the colour is not read.
    let read_as = vec![
        Some(ImportField::Name),
        Some(ImportField::Ipn),
        Some(ImportField::Minimum),
        Some(ImportField::Quantity),
        None,
    ];
    let columns = chosen(ChosenReading::Columns {
        kind: ImportKind::Parts,
        read_as: read_as.clone(),
    });
    let checked = run(
        &w,
        std::slice::from_ref(&columns),
        ImportMode::AllOrNothing,
        false,
    )
    .await;
    assert_eq!(checked.problems, vec![]);
    assert_eq!(checked.files[0].read_as(), read_as);
    assert_eq!(checked.files[0].preset, None);
    assert_eq!(checked.files[0].columns_ignored(), ["Colour"]);
    let imported = run(&w, &[columns], ImportMode::AllOrNothing, true).await;
    assert!(imported.committed);
    assert_eq!(imported.counts.parts, 2);
    assert_eq!(imported.counts.low_parts, 1);
    let resistor = part_named(&w, "Resistor 1k").await;
    assert_eq!(resistor.ipn.as_deref(), Some("R-1K"));
    assert_eq!(resistor.figures.in_stock, q("40"));
    assert_eq!(running_low(&w).await, ["Resistor 1k"]);
}

#[tokio::test]
async fn a_new_variant_with_stock_lifts_the_template_it_joins() {
    let w = world().await;
    let template = w.template("Screw M3", "100").await;
    assert_eq!(running_low(&w).await, ["Screw M3"]);
    // Ann watches the template, so its variants too: the new variant
    // arriving low must not alert her, nor the template lifted by it.
    let ann = w.user("Ann").await;
    w.watch_part(ann, template).await;
    let report = run(
        &w,
        &[file(
            "parts.csv",
            "Name,IPN,Variant of,Minimum stock,In stock,Location\n\
             Screw M3x8,M3-8,Screw M3,200,150,Bin 1\n",
        )],
        ImportMode::AllOrNothing,
        true,
    )
    .await;
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.counts.low_parts, 1, "the variant: 150 of 200");
    assert_eq!(w.figures(template).await.in_stock, q("150"));
    assert_eq!(running_low(&w).await, ["Screw M3x8"]);
    let variant = part_named(&w, "Screw M3x8").await;
    assert_eq!(variant.figures.in_stock, q("150"));
    assert_eq!(w.count("SELECT COUNT(*) FROM notifications").await, 0);
}

#[tokio::test]
async fn stock_for_a_new_part_from_several_files_makes_one_item_per_place() {
    let w = world().await;
    let store = w.location("Store", None).await;
    w.location("Drawer 1", Some(store)).await;
    let shelf = w.location("Shelf", None).await;
    w.location("Drawer 1", Some(shelf)).await;
    let report = run(
        &w,
        &[
            file("parts.csv", "Name;IPN;In stock\nFuse 1A;F-1;10\n"),
            file(
                "stock.csv",
                "Part;Quantity;Location\nF-1;2,5;\nF-1;1;Store/Drawer 1\nF-1;1;Drawer 1\n",
            ),
            file("more stock.csv", "Part,Quantity\nFuse 1A,0.5\n"),
        ],
        ImportMode::SkipBadRows,
        true,
    )
    .await;
    assert!(report.committed);
    let problems: Vec<(u64, Option<String>, String)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.clone(), p.message.clone()))
        .collect();
    assert_eq!(
        problems,
        [(
            4,
            Some("Location".into()),
            "2 locations are called “Drawer 1”; name it by its path (e.g. Store/Shelf B/Drawer 1)."
                .into()
        )]
    );
    assert_eq!(
        report.counts.locations, 0,
        "a skipped row makes no location"
    );
    let part = part_named(&w, "Fuse 1A").await;
    assert_eq!(part.figures.in_stock, q("14"), "10 + 2.5 + 1 + 0.5");
    let mut items: Vec<(Option<String>, Quantity)> = stock::items(&w.db, part.id)
        .await
        .expect("items")
        .into_iter()
        .map(|i| (i.location.map(|l| l.path), i.quantity))
        .collect();
    items.sort();
    assert_eq!(
        items,
        [(None, q("13")), (Some("Store › Drawer 1".into()), q("1"))],
        "the place without a location holds what three files put there"
    );
    // The skipped row's list keeps its file's separator, so it reads back.
    assert_eq!(report.skipped.len(), 1);
    assert!(
        report.skipped[0]
            .csv
            .starts_with("Part;Quantity;Location;Problem\nF-1;1;Drawer 1;"),
        "{}",
        report.skipped[0].csv
    );
}

#[tokio::test]
async fn a_bom_line_refused_is_a_problem_of_the_column_at_fault_whatever_the_names_say() {
    let w = world().await;
    let crate_ = w.assembly("Storage crate").await;
    w.build(support::order(crate_, "1000000")).await;
    w.part(PartInput::named("Lid of the container").ipn("LID"))
        .await;
    w.part(PartInput::named("Loose part").ipn("LOOSE")).await;
    let report = run(
        &w,
        &[file(
            "bom.csv",
            "Assembly,Part,Quantity\n\
             Storage crate,LID,2000\n\
             Loose part,LID,1\n\
             Storage crate,Storage crate,1\n",
        )],
        ImportMode::AllOrNothing,
        false,
    )
    .await;
    let problems: Vec<(u64, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        problems,
        [
            (2, Some("Quantity")),
            (3, Some("Assembly")),
            (4, Some("Part"))
        ],
        "{:?}",
        report.problems
    );
    assert!(
        report.problems[0]
            .message
            .starts_with("With 2000 Lid of the container each"),
        "{}",
        report.problems[0].message
    );
}

/// A category row refused for its description is not made, not even as the
/// level above another row: the rows inside it are skipped too, and say why.
#[tokio::test]
async fn a_category_refused_is_not_made_by_the_rows_inside_it() {
    let w = world().await;
    let categories = file(
        "categories.csv",
        "Path,Description\nTools,Hand and power tools\nTools/Hand,Eve\u{202E}exe\n\
         Tools/Hand/Pliers,\nTools/Power,\n",
    );
    let report = run(&w, &[categories], ImportMode::SkipBadRows, true).await;
    assert!(report.committed);
    let problems: Vec<(u64, Option<&str>, &str)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                3,
                Some("Description"),
                "Description contains invisible or text-direction characters (such as \
                 zero-width spaces); remove them."
            ),
            (
                4,
                Some("Path"),
                "It is inside the category of line 3, which is not imported."
            ),
        ],
        "{:?}",
        report.problems
    );
    assert_eq!((report.bad_rows, report.counts.categories), (2, 2));
    let names: Vec<String> = categories::tree(&w.db)
        .await
        .expect("the tree")
        .into_iter()
        .map(|node| node.name)
        .collect();
    assert_eq!(
        names,
        ["Tools", "Power"],
        "neither Hand nor Pliers was made"
    );
}

/// The window's "Export CSV": both files into the folder, never over a file
/// there, and they import back.
#[tokio::test]
async fn the_window_export_writes_both_files_beside_earlier_ones_and_they_import_back() {
    let w = world().await;
    let report = run(&w, &inventree_files(), ImportMode::AllOrNothing, true).await;
    assert!(report.committed, "{:?}", report.problems);
    let downloads = tempfile::tempdir().expect("a Downloads folder");

    let first = export::save(&w.db, downloads.path())
        .await
        .expect("exported");
    assert_eq!((first.parts, first.categories), (5, 4));
    let parts_path = downloads.path().join("parts.csv");
    assert_eq!(first.parts_file, parts_path.display().to_string());
    assert_eq!(
        first.summary(),
        format!(
            "Exported 5 parts and 4 categories to {} and categories.csv.",
            parts_path.display()
        )
    );
    let parts_csv = std::fs::read_to_string(&parts_path).expect("parts.csv");
    assert_eq!(
        parts_csv,
        export::parts_csv(&w.db).await.expect("the table")
    );

    let again = export::save(&w.db, downloads.path()).await.expect("again");
    assert!(again.parts_file.ends_with("/parts (2).csv"), "{again:?}");
    assert!(
        again.categories_file.ends_with("/categories (2).csv"),
        "{again:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&parts_path).expect("still there"),
        parts_csv,
        "the first export is left as it was"
    );

    let fresh = world().await;
    let read = |path: &str| std::fs::read_to_string(path).expect("exported file");
    let back = run(
        &fresh,
        &[
            file("parts.csv", &read(&first.parts_file)),
            file("categories.csv", &read(&first.categories_file)),
        ],
        ImportMode::AllOrNothing,
        true,
    )
    .await;
    assert!(back.committed, "{:?}", back.problems);
    assert_eq!(back.counts.parts, 5);
    assert_eq!(
        export::parts_csv(&fresh.db)
            .await
            .expect("the copy's table"),
        parts_csv
    );
}
