//! The demo inventory's content: its categories, parts (with their stock
//! and variants), BOM lines and users, which `load` inserts.

pub(super) struct DemoPart {
    pub(super) name: &'static str,
    pub(super) ipn: &'static str,
    pub(super) category: &'static str,
    pub(super) description: &'static str,
    pub(super) units: &'static str,
    pub(super) stock: &'static [(&'static str, &'static str)],
    pub(super) minimum: &'static str,
    pub(super) template: bool,
    pub(super) variant_of: Option<&'static str>,
    pub(super) assembly: bool,
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
        variant_of: Some(template),
        ..part(name, ipn, category, "", stock, minimum)
    }
}

/// (path, description): parents come before their children.
pub(super) const CATEGORIES: &[(&str, &str)] = &[
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
pub(super) const PARTS: &[DemoPart] = &[
    DemoPart {
        template: true,
        ..part(
            "Resistor 10k",
            "R-10K",
            R,
            "10 kΩ ±1 % resistor, any package",
            &[],
            "0",
        )
    },
    variant(
        "Resistor 10k",
        "Resistor 10k 0603",
        "R-10K-0603",
        "Electronics/Passives/Resistors/SMD 0603",
        &[("Main store › Reel rack › Reel R1", "4200")],
        "1000",
    ),
    variant(
        "Resistor 10k",
        "Resistor 10k 0805",
        "R-10K-0805",
        "Electronics/Passives/Resistors/SMD 0805",
        &[("Main store › Cabinet A › Drawer A3", "180")],
        "200",
    ),
    variant(
        "Resistor 10k",
        "Resistor 10k THT",
        "R-10K-THT",
        "Electronics/Passives/Resistors/Through-hole",
        &[("Main store › Cabinet B › Drawer B1", "95")],
        "50",
    ),
    part(
        "Resistor 4.7k 0603",
        "R-4K7-0603",
        "Electronics/Passives/Resistors/SMD 0603",
        "4.7 kΩ ±1 % 0603, I²C pull-up",
        &[("Main store › Reel rack › Reel R2", "2500")],
        "500",
    ),
    part(
        "Resistor 330R 0805",
        "R-330-0805",
        "Electronics/Passives/Resistors/SMD 0805",
        "330 Ω ±1 % 0805, LED series",
        &[("Main store › Cabinet A › Drawer A4", "310")],
        "300",
    ),
    part(
        "Resistor 1M THT",
        "R-1M-THT",
        "Electronics/Passives/Resistors/Through-hole",
        "1 MΩ metal film, 0.25 W",
        &[("Main store › Cabinet B › Drawer B2", "40")],
        "0",
    ),
    DemoPart {
        template: true,
        ..part(
            "Capacitor 100nF",
            "C-100N",
            "Electronics/Passives/Capacitors/Ceramic",
            "100 nF 50 V X7R decoupling",
            &[],
            "0",
        )
    },
    variant(
        "Capacitor 100nF",
        "Capacitor 100nF 0603",
        "C-100N-0603",
        "Electronics/Passives/Capacitors/Ceramic",
        &[("Main store › Reel rack › Reel C1", "3800")],
        "1000",
    ),
    variant(
        "Capacitor 100nF",
        "Capacitor 100nF 0805",
        "C-100N-0805",
        "Electronics/Passives/Capacitors/Ceramic",
        &[("Main store › Cabinet A › Drawer A5", "120")],
        "150",
    ),
    part(
        "Capacitor 10uF 25V",
        "C-10U-25V",
        "Electronics/Passives/Capacitors/Ceramic",
        "10 µF 25 V X5R 0805, bulk decoupling",
        &[("Main store › Cabinet A › Drawer A6", "420")],
        "200",
    ),
    part(
        "Capacitor 470uF 16V",
        "C-470U-16V",
        "Electronics/Passives/Capacitors/Electrolytic",
        "470 µF 16 V radial, 105 °C",
        &[("Main store › Cabinet C › Drawer C1", "22")],
        "25",
    ),
    part(
        "ESP32-C3 module",
        "U-ESP32C3",
        "Electronics/Integrated circuits/Microcontrollers",
        "Wi-Fi + BLE RISC-V module, 4 MB flash",
        &[("Main store › Trays › Tray M1", "34")],
        "20",
    ),
    part(
        "RP2040",
        "U-RP2040",
        "Electronics/Integrated circuits/Microcontrollers",
        "Dual-core Cortex-M0+ MCU, QFN-56",
        &[
            ("Main store › Trays › Tray M2", "12"),
            ("Back room › Cabinet 2", "3"),
        ],
        "10",
    ),
    part(
        "AP2112K-3.3 LDO",
        "U-AP2112",
        "Electronics/Integrated circuits/Voltage regulators",
        "600 mA 3.3 V LDO, SOT-23-5",
        &[("Main store › Reel rack › Reel U1", "260")],
        "100",
    ),
    part(
        "TPS62160 buck",
        "U-TPS62160",
        "Electronics/Integrated circuits/Voltage regulators",
        "1 A step-down converter, 3–17 V in",
        &[("Main store › Trays › Tray U2", "8")],
        "15",
    ),
    part(
        "MCP6002 op-amp",
        "U-MCP6002",
        "Electronics/Integrated circuits/Op-amps",
        "Dual rail-to-rail op-amp, SOIC-8",
        &[("Main store › Trays › Tray U3", "55")],
        "30",
    ),
    part(
        "USB-C receptacle",
        "J-USBC",
        "Electronics/Connectors",
        "16-pin USB 2.0 Type-C, SMD",
        &[("Main store › Cabinet D › Drawer D1", "60")],
        "40",
    ),
    part(
        "Pin header 1x6",
        "J-HDR-1X6",
        "Electronics/Connectors",
        "2.54 mm straight male header",
        &[("Main store › Cabinet D › Drawer D2", "150")],
        "0",
    ),
    part(
        "JST-PH 2-pin",
        "J-JSTPH2",
        "Electronics/Connectors",
        "Battery connector, right angle",
        &[("Main store › Cabinet D › Drawer D3", "18")],
        "30",
    ),
    part(
        "M3 screw 8 mm",
        "M-M3X8",
        "Mechanical/Fasteners",
        "ISO 7380 button head, A2 stainless",
        &[("Main store › Bins › Bin F1", "640")],
        "200",
    ),
    part(
        "M3 standoff 10 mm",
        "M-STO-10",
        "Mechanical/Fasteners",
        "Brass, female–female",
        &[("Main store › Bins › Bin F2", "90")],
        "100",
    ),
    DemoPart {
        assembly: true,
        ..part(
            "Sensor board v2",
            "A-SENSOR-V2",
            "Assemblies",
            "Wi-Fi environment sensor, ESP32-C3",
            &[("Back room › Shelf P1", "6")],
            "5",
        )
    },
    DemoPart {
        assembly: true,
        ..part(
            "Motor driver board",
            "A-MOTOR-V1",
            "Assemblies",
            "Dual H-bridge carrier for RP2040",
            &[],
            "0",
        )
    },
];

/// (assembly IPN, sub-part IPN, quantity per assembly, allow variants)
pub(super) const BOM: &[(&str, &str, &str, bool)] = &[
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

pub(super) const USERS: &[(&str, &str)] = &[
    ("Ada Lovelace", "ada@lab.example"),
    ("Grace Hopper", "grace@lab.example"),
];
