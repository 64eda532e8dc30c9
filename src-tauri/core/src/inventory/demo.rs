//! The welcome choice: a realistic demo inventory, or an empty start.
//! The demo is only ever loaded into an empty database, in one transaction.

use super::{categories, parts, users};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::InventoryStatus;
use partwatch_types::Quantity;
use std::collections::HashMap;

const STARTED_EMPTY_KEY: &str = "started_empty";
const DEMO_LOADED_KEY: &str = "demo_loaded";

pub async fn status(db: &Database) -> CoreResult<InventoryStatus> {
    let (parts, categories, started_empty, demo_loaded): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM parts), (SELECT COUNT(*) FROM categories),
                EXISTS (SELECT 1 FROM instance_settings WHERE key = ?),
                EXISTS (SELECT 1 FROM instance_settings WHERE key = ?)",
    )
    .bind(STARTED_EMPTY_KEY)
    .bind(DEMO_LOADED_KEY)
    .fetch_one(db.pool())
    .await?;
    Ok(InventoryStatus {
        is_empty: parts == 0 && categories == 0,
        started_empty: started_empty == 1,
        demo_loaded: demo_loaded == 1,
        parts,
        categories,
    })
}

/// Remembers that the user chose to start with an empty inventory.
pub async fn start_empty(db: &Database) -> CoreResult<InventoryStatus> {
    sqlx::query("INSERT OR REPLACE INTO instance_settings (key, value) VALUES (?, '1')")
        .bind(STARTED_EMPTY_KEY)
        .execute(db.pool())
        .await?;
    status(db).await
}

struct DemoPart {
    name: &'static str,
    ipn: &'static str,
    category: &'static str,
    description: &'static str,
    units: &'static str,
    stock: &'static [(&'static str, &'static str)],
    minimum: &'static str,
    template: bool,
    variant_of: Option<&'static str>,
    assembly: bool,
}

const fn part(
    name: &'static str,
    ipn: &'static str,
    category: &'static str,
    description: &'static str,
    stock: &'static [(&'static str, &'static str)],
    minimum: &'static str,
) -> DemoPart {
    DemoPart {
        name,
        ipn,
        category,
        description,
        units: "pcs",
        stock,
        minimum,
        template: false,
        variant_of: None,
        assembly: false,
    }
}

const fn variant(
    template: &'static str,
    name: &'static str,
    ipn: &'static str,
    category: &'static str,
    stock: &'static [(&'static str, &'static str)],
    minimum: &'static str,
) -> DemoPart {
    DemoPart {
        name,
        ipn,
        category,
        description: "",
        units: "pcs",
        stock,
        minimum,
        template: false,
        variant_of: Some(template),
        assembly: false,
    }
}

/// (path, description): parents come before their children.
const CATEGORIES: &[(&str, &str)] = &[
    ("Electronics", "Everything with leads or pads"),
    ("Electronics/Passives", "Resistors, capacitors, inductors"),
    ("Electronics/Passives/Resistors", "Fixed resistors"),
    (
        "Electronics/Passives/Resistors/SMD 0603",
        "0603 thick-film chip resistors",
    ),
    (
        "Electronics/Passives/Resistors/SMD 0805",
        "0805 thick-film chip resistors",
    ),
    (
        "Electronics/Passives/Resistors/Through-hole",
        "Axial metal-film resistors",
    ),
    ("Electronics/Passives/Capacitors", "Fixed capacitors"),
    (
        "Electronics/Passives/Capacitors/Ceramic",
        "MLCC, X7R and C0G",
    ),
    (
        "Electronics/Passives/Capacitors/Electrolytic",
        "Aluminium electrolytics",
    ),
    ("Electronics/Integrated circuits", "ICs of every kind"),
    (
        "Electronics/Integrated circuits/Microcontrollers",
        "MCUs and modules",
    ),
    (
        "Electronics/Integrated circuits/Voltage regulators",
        "LDOs and switchers",
    ),
    (
        "Electronics/Integrated circuits/Op-amps",
        "Operational amplifiers",
    ),
    ("Electronics/Connectors", "Headers, terminals, USB"),
    ("Mechanical", "Things that hold things together"),
    ("Mechanical/Fasteners", "Screws, nuts, standoffs"),
    ("Assemblies", "Boards and products we build"),
];

const R: &str = "Electronics/Passives/Resistors";
const PARTS: &[DemoPart] = &[
    DemoPart {
        name: "Resistor 10k",
        ipn: "R-10K",
        category: R,
        description: "10 kΩ ±1 % resistor, any package",
        units: "pcs",
        stock: &[],
        minimum: "0",
        template: true,
        variant_of: None,
        assembly: false,
    },
    variant(
        "Resistor 10k",
        "Resistor 10k 0603",
        "R-10K-0603",
        "Electronics/Passives/Resistors/SMD 0603",
        &[("Reel R1", "4200")],
        "1000",
    ),
    variant(
        "Resistor 10k",
        "Resistor 10k 0805",
        "R-10K-0805",
        "Electronics/Passives/Resistors/SMD 0805",
        &[("Drawer A3", "180")],
        "200",
    ),
    variant(
        "Resistor 10k",
        "Resistor 10k THT",
        "R-10K-THT",
        "Electronics/Passives/Resistors/Through-hole",
        &[("Drawer B1", "95")],
        "50",
    ),
    part(
        "Resistor 4.7k 0603",
        "R-4K7-0603",
        "Electronics/Passives/Resistors/SMD 0603",
        "4.7 kΩ ±1 % 0603, I²C pull-up",
        &[("Reel R2", "2500")],
        "500",
    ),
    part(
        "Resistor 330R 0805",
        "R-330-0805",
        "Electronics/Passives/Resistors/SMD 0805",
        "330 Ω ±1 % 0805, LED series",
        &[("Drawer A4", "310")],
        "300",
    ),
    part(
        "Resistor 1M THT",
        "R-1M-THT",
        "Electronics/Passives/Resistors/Through-hole",
        "1 MΩ metal film, 0.25 W",
        &[("Drawer B2", "40")],
        "0",
    ),
    DemoPart {
        name: "Capacitor 100nF",
        ipn: "C-100N",
        category: "Electronics/Passives/Capacitors/Ceramic",
        description: "100 nF 50 V X7R decoupling",
        units: "pcs",
        stock: &[],
        minimum: "0",
        template: true,
        variant_of: None,
        assembly: false,
    },
    variant(
        "Capacitor 100nF",
        "Capacitor 100nF 0603",
        "C-100N-0603",
        "Electronics/Passives/Capacitors/Ceramic",
        &[("Reel C1", "3800")],
        "1000",
    ),
    variant(
        "Capacitor 100nF",
        "Capacitor 100nF 0805",
        "C-100N-0805",
        "Electronics/Passives/Capacitors/Ceramic",
        &[("Drawer A5", "120")],
        "150",
    ),
    part(
        "Capacitor 10uF 25V",
        "C-10U-25V",
        "Electronics/Passives/Capacitors/Ceramic",
        "10 µF 25 V X5R 0805, bulk decoupling",
        &[("Drawer A6", "420")],
        "200",
    ),
    part(
        "Capacitor 470uF 16V",
        "C-470U-16V",
        "Electronics/Passives/Capacitors/Electrolytic",
        "470 µF 16 V radial, 105 °C",
        &[("Drawer C1", "22")],
        "25",
    ),
    part(
        "ESP32-C3 module",
        "U-ESP32C3",
        "Electronics/Integrated circuits/Microcontrollers",
        "Wi-Fi + BLE RISC-V module, 4 MB flash",
        &[("Tray M1", "34")],
        "20",
    ),
    part(
        "RP2040",
        "U-RP2040",
        "Electronics/Integrated circuits/Microcontrollers",
        "Dual-core Cortex-M0+ MCU, QFN-56",
        &[("Tray M2", "12"), ("Cabinet 2", "3")],
        "10",
    ),
    part(
        "AP2112K-3.3 LDO",
        "U-AP2112",
        "Electronics/Integrated circuits/Voltage regulators",
        "600 mA 3.3 V LDO, SOT-23-5",
        &[("Reel U1", "260")],
        "100",
    ),
    part(
        "TPS62160 buck",
        "U-TPS62160",
        "Electronics/Integrated circuits/Voltage regulators",
        "1 A step-down converter, 3–17 V in",
        &[("Tray U2", "8")],
        "15",
    ),
    part(
        "MCP6002 op-amp",
        "U-MCP6002",
        "Electronics/Integrated circuits/Op-amps",
        "Dual rail-to-rail op-amp, SOIC-8",
        &[("Tray U3", "55")],
        "30",
    ),
    part(
        "USB-C receptacle",
        "J-USBC",
        "Electronics/Connectors",
        "16-pin USB 2.0 Type-C, SMD",
        &[("Drawer D1", "60")],
        "40",
    ),
    part(
        "Pin header 1x6",
        "J-HDR-1X6",
        "Electronics/Connectors",
        "2.54 mm straight male header",
        &[("Drawer D2", "150")],
        "0",
    ),
    part(
        "JST-PH 2-pin",
        "J-JSTPH2",
        "Electronics/Connectors",
        "Battery connector, right angle",
        &[("Drawer D3", "18")],
        "30",
    ),
    DemoPart {
        name: "M3 screw 8 mm",
        ipn: "M-M3X8",
        category: "Mechanical/Fasteners",
        description: "ISO 7380 button head, A2 stainless",
        units: "pcs",
        stock: &[("Bin F1", "640")],
        minimum: "200",
        template: false,
        variant_of: None,
        assembly: false,
    },
    DemoPart {
        name: "M3 standoff 10 mm",
        ipn: "M-STO-10",
        category: "Mechanical/Fasteners",
        description: "Brass, female–female",
        units: "pcs",
        stock: &[("Bin F2", "90")],
        minimum: "100",
        template: false,
        variant_of: None,
        assembly: false,
    },
    DemoPart {
        name: "Sensor board v2",
        ipn: "A-SENSOR-V2",
        category: "Assemblies",
        description: "Wi-Fi environment sensor, ESP32-C3",
        units: "pcs",
        stock: &[("Shelf P1", "6")],
        minimum: "5",
        template: false,
        variant_of: None,
        assembly: true,
    },
    DemoPart {
        name: "Motor driver board",
        ipn: "A-MOTOR-V1",
        category: "Assemblies",
        description: "Dual H-bridge carrier for RP2040",
        units: "pcs",
        stock: &[],
        minimum: "0",
        template: false,
        variant_of: None,
        assembly: true,
    },
];

/// (assembly IPN, sub-part IPN, quantity per assembly, allow variants)
const BOM: &[(&str, &str, &str, bool)] = &[
    ("A-SENSOR-V2", "U-ESP32C3", "1", false),
    ("A-SENSOR-V2", "U-AP2112", "1", false),
    ("A-SENSOR-V2", "C-100N", "6", true),
    ("A-SENSOR-V2", "C-10U-25V", "2", false),
    ("A-SENSOR-V2", "R-4K7-0603", "2", false),
    ("A-SENSOR-V2", "R-10K", "4", true),
    ("A-SENSOR-V2", "J-USBC", "1", false),
    ("A-SENSOR-V2", "M-M3X8", "4", false),
    ("A-MOTOR-V1", "U-RP2040", "1", false),
    ("A-MOTOR-V1", "U-TPS62160", "1", false),
    ("A-MOTOR-V1", "C-470U-16V", "2", false),
    ("A-MOTOR-V1", "J-JSTPH2", "2", false),
    ("A-MOTOR-V1", "M-STO-10", "4", false),
];

const USERS: &[(&str, &str)] = &[
    ("Ada Lovelace", "ada@lab.example"),
    ("Grace Hopper", "grace@lab.example"),
];

fn qty(text: &str) -> CoreResult<i64> {
    text.parse::<Quantity>()
        .map(Quantity::milli)
        .map_err(|e| CoreError::InvalidInput(e.to_string()))
}

/// Loads the demo inventory into an empty database.
pub async fn load(db: &Database) -> CoreResult<InventoryStatus> {
    let mut tx = db.begin_write().await?;
    let user_id = users::current_id(&mut tx).await?;
    let (parts_count, categories_count): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM parts), (SELECT COUNT(*) FROM categories)")
            .fetch_one(&mut *tx)
            .await?;
    if parts_count > 0 || categories_count > 0 {
        return Err(CoreError::Conflict(
            "The demo inventory can only be loaded into an empty database; this one already has parts or categories.".into(),
        ));
    }
    let mut categories: HashMap<&str, i64> = HashMap::new();
    for (path, description) in CATEGORIES {
        let (parent, name) = match path.rsplit_once('/') {
            Some((parent, name)) => (categories.get(parent).copied(), name),
            None => (None, *path),
        };
        let id = categories::insert(&mut tx, parent, name, description).await?;
        categories.insert(path, id);
    }
    let mut by_name: HashMap<&str, i64> = HashMap::new();
    let mut by_ipn: HashMap<&str, i64> = HashMap::new();
    for p in PARTS {
        let id = sqlx::query(
            "INSERT INTO parts (name, ipn, description, category_id, units, is_template, variant_of,
                                is_assembly, minimum_stock) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(p.name)
        .bind(p.ipn)
        .bind(p.description)
        .bind(categories.get(p.category).copied())
        .bind(p.units)
        .bind(p.template)
        .bind(p.variant_of.and_then(|t| by_name.get(t).copied()))
        .bind(p.assembly)
        .bind(qty(p.minimum)?)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        by_name.insert(p.name, id);
        by_ipn.insert(p.ipn, id);
        let mut own = 0;
        for (location, quantity) in p.stock {
            let quantity = qty(quantity)?;
            own += quantity;
            let item = sqlx::query(
                "INSERT INTO stock_items (part_id, quantity, location) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(quantity)
            .bind(location)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
            sqlx::query(
                "INSERT INTO stock_history (part_id, stock_item_id, user_id, kind, delta, quantity_after, reason)
                 VALUES (?, ?, ?, 'create', ?, ?, 'Demo inventory')",
            )
            .bind(id)
            .bind(item)
            .bind(user_id)
            .bind(quantity)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE parts SET own_stock = ? WHERE id = ?")
            .bind(own)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        parts::refresh_totals(&mut tx, &[id]).await?;
    }
    for (assembly, sub, quantity, allow_variants) in BOM {
        sqlx::query(
            "INSERT INTO bom_lines (assembly_id, sub_part_id, quantity, allow_variants) VALUES (?, ?, ?, ?)",
        )
        .bind(by_ipn.get(assembly).copied())
        .bind(by_ipn.get(sub).copied())
        .bind(qty(quantity)?)
        .bind(allow_variants)
        .execute(&mut *tx)
        .await?;
    }
    for (name, email) in USERS {
        sqlx::query("INSERT OR IGNORE INTO users (name, email) VALUES (?, ?)")
            .bind(name)
            .bind(email)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO build_orders (reference, part_id, quantity, status, responsible_id, created_by)
         VALUES ('BO-0001', ?, 10000, 'in_production', ?, ?)",
    )
    .bind(by_ipn.get("A-SENSOR-V2").copied())
    .bind(user_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT OR REPLACE INTO instance_settings (key, value) VALUES (?, '1')")
        .bind(DEMO_LOADED_KEY)
        .execute(&mut *tx)
        .await?;
    crate::triggers::settle_alert_state(&mut tx, None).await?;
    tx.commit().await?;
    status(db).await
}
