//! Which columns an import reads: for each kind of file and each preset,
//! the headings of each field, and how a file's kind and preset are told
//! from its header.

use partwatch_types::import::{ChosenReading, ImportKind, ImportPreset};

/// A value an import reads from a row (the window names them too).
pub(super) use partwatch_types::import::ImportField as Field;

/// The headings (compared without case, spaces or underscores) of each field.
type Headings = &'static [(Field, &'static [&'static str])];

const PARTWATCH_CATEGORIES: Headings = &[
    (
        Field::CategoryPath,
        &["path", "categorypath", "category", "fullpath"],
    ),
    (Field::Description, &["description"]),
];

const PARTWATCH_PARTS: Headings = &[
    (Field::Name, &["name", "partname"]),
    (Field::Ipn, &["ipn", "partnumber", "internalpartnumber"]),
    (Field::Description, &["description"]),
    (Field::CategoryPath, &["category", "categorypath"]),
    (Field::Units, &["units", "unit"]),
    (
        Field::Minimum,
        &["minimumstock", "minimum", "minstock", "min"],
    ),
    (Field::Template, &["template", "istemplate"]),
    (Field::VariantOf, &["variantof"]),
    (Field::Assembly, &["assembly", "isassembly"]),
    (Field::Active, &["active"]),
    (Field::Quantity, &["instock", "stock", "quantity", "qty"]),
    (Field::Location, &["location"]),
];

const PARTWATCH_STOCK: Headings = &[
    (Field::Part, &["part", "ipn"]),
    (Field::Quantity, &["quantity", "qty"]),
    (Field::Location, &["location", "locationpath"]),
    (Field::Batch, &["batch", "lot", "batchcode"]),
];

const PARTWATCH_BOM: Headings = &[
    (Field::AssemblyPart, &["assembly"]),
    (Field::Part, &["part", "subpart", "component"]),
    (Field::Quantity, &["quantity", "qty", "perassembly"]),
    (Field::AllowVariants, &["allowvariants"]),
];

// The headings InvenTree's import-export resources write (part/admin.py,
// stock/admin.py): `column_name` of each field, or the model's field name
// where the resource declares none.
const INVENTREE_CATEGORIES: Headings = &[
    (Field::SourceId, &["categoryid"]),
    (Field::Name, &["categoryname"]),
    (Field::SourceCategory, &["parentid"]),
    (Field::CategoryPath, &["categorypath"]),
    (Field::Description, &["description"]),
];

const INVENTREE_PARTS: Headings = &[
    (Field::SourceId, &["partid"]),
    (Field::Name, &["partname"]),
    (Field::Description, &["partdescription"]),
    (Field::Ipn, &["ipn"]),
    (Field::Units, &["units"]),
    (Field::SourceCategory, &["categoryid"]),
    (Field::CategoryName, &["categoryname"]),
    (Field::SourceVariantOf, &["variantof"]),
    (Field::Minimum, &["minimumstock"]),
    (Field::Active, &["active"]),
    (Field::Assembly, &["assembly"]),
    (Field::Template, &["template", "istemplate"]),
];

const INVENTREE_STOCK: Headings = &[
    (Field::SourceId, &["stockitemid"]),
    (Field::SourcePart, &["partid"]),
    (Field::Part, &["partname"]),
    (Field::Quantity, &["quantity"]),
    (Field::Batch, &["batch"]),
    (Field::Location, &["locationname"]),
];

const INVENTREE_BOM: Headings = &[
    (Field::SourceAssembly, &["parentid"]),
    (Field::AssemblyIpn, &["parentipn"]),
    (Field::AssemblyName, &["parentname"]),
    (Field::SourcePart, &["partid"]),
    (Field::PartIpn, &["partipn"]),
    (Field::Part, &["partname"]),
    (Field::Quantity, &["quantity"]),
    (Field::AllowVariants, &["allowvariants"]),
];

/// A heading as compared: lower case, without spaces, underscores, dashes
/// or a byte-order mark.
pub(super) fn fold(heading: &str) -> String {
    heading
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How a file's columns are read.
#[derive(Debug, Clone)]
pub(super) struct ColumnMap {
    /// What the file holds; `None` when it cannot be told.
    pub kind: Option<ImportKind>,
    /// Whose headings told it; `None` when the columns were chosen.
    pub preset: Option<ImportPreset>,
    /// Each field read and its column's index.
    pub fields: Vec<(Field, usize)>,
    /// Why the file cannot be imported as it is read.
    pub unreadable: Option<String>,
}

impl ColumnMap {
    pub fn index(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find_map(|(f, i)| (*f == field).then_some(*i))
    }

    /// What the column at `index` is read as.
    pub fn field_at(&self, index: usize) -> Option<Field> {
        self.fields
            .iter()
            .find_map(|(f, i)| (*i == index).then_some(*f))
    }
}

/// How a file with these headings is read: as chosen in the window, or
/// else as told from them.
pub(super) fn read_as(headings: &[String], chosen: Option<&ChosenReading>) -> ColumnMap {
    match chosen {
        None => detect(headings),
        Some(ChosenReading::Kind(kind)) => detect_columns(headings, *kind),
        Some(ChosenReading::Columns { kind, read_as }) => chosen_columns(headings, *kind, read_as),
    }
}

/// Tells the kind and preset of a file from its headings (or says, in
/// `unreadable`, what it could not tell).
pub(super) fn detect(headings: &[String]) -> ColumnMap {
    let folded: Vec<String> = headings.iter().map(|h| fold(h)).collect();
    let has = |name: &str| folded.iter().any(|h| h == name);
    let (kind, preset) = if has("stockitemid") {
        (ImportKind::StockItems, ImportPreset::InvenTree)
    } else if has("parentid") && has("partid") && has("quantity") {
        (ImportKind::BomLines, ImportPreset::InvenTree)
    } else if has("partid") && has("partname") {
        (ImportKind::Parts, ImportPreset::InvenTree)
    } else if has("categoryid") && has("categoryname") {
        (ImportKind::Categories, ImportPreset::InvenTree)
    } else if has("assembly") && any_of(&folded, PARTWATCH_BOM, Field::Part) {
        (ImportKind::BomLines, ImportPreset::Partwatch)
    } else if any_of(&folded, PARTWATCH_STOCK, Field::Part)
        && any_of(&folded, PARTWATCH_STOCK, Field::Quantity)
        && !any_of(&folded, PARTWATCH_PARTS, Field::Name)
    {
        (ImportKind::StockItems, ImportPreset::Partwatch)
    } else if any_of(&folded, PARTWATCH_PARTS, Field::Name) {
        (ImportKind::Parts, ImportPreset::Partwatch)
    } else if any_of(&folded, PARTWATCH_CATEGORIES, Field::CategoryPath) {
        (ImportKind::Categories, ImportPreset::Partwatch)
    } else {
        return ColumnMap {
            kind: None,
            preset: None,
            fields: Vec::new(),
            unreadable: Some(format!(
                "Partwatch cannot tell what it holds from its columns ({}): a file of categories \
                 needs \"Path\", of parts \"Name\", of stock items \"Part\" and \"Quantity\", of \
                 BOM lines \"Assembly\", \"Part\" and \"Quantity\" (or the columns of InvenTree's exports).",
                headings.join(", ")
            )),
        };
    };
    finish(
        headings,
        kind,
        Some(preset),
        matched(&folded, headings_of(kind, preset)),
    )
}

/// Which columns of a file of `kind` are which, told from its headings by
/// whichever preset knows more of them (none, if neither knows any).
fn detect_columns(headings: &[String], kind: ImportKind) -> ColumnMap {
    let folded: Vec<String> = headings.iter().map(|h| fold(h)).collect();
    let best = [ImportPreset::Partwatch, ImportPreset::InvenTree]
        .into_iter()
        .map(|preset| (preset, matched(&folded, headings_of(kind, preset))))
        .rev()
        .max_by_key(|(_, fields)| fields.len())
        .filter(|(_, fields)| !fields.is_empty());
    match best {
        Some((preset, fields)) => finish(headings, kind, Some(preset), fields),
        None => finish(headings, kind, None, Vec::new()),
    }
}

/// The columns as chosen: each field at most once, and only those a file
/// of `kind` has.
fn chosen_columns(headings: &[String], kind: ImportKind, read_as: &[Option<Field>]) -> ColumnMap {
    let refused = |why: String| ColumnMap {
        kind: Some(kind),
        preset: None,
        fields: Vec::new(),
        unreadable: Some(why),
    };
    if read_as.len() != headings.len() {
        return refused(format!(
            "Its columns were chosen for {} columns, but it has {}: choose them again.",
            read_as.len(),
            headings.len()
        ));
    }
    let mut fields: Vec<(Field, usize)> = Vec::new();
    for (index, field) in read_as.iter().enumerate() {
        let Some(field) = *field else { continue };
        if !Field::of(kind).contains(&field) {
            return refused(format!(
                "A file of {} has no “{}” to read (column “{}”).",
                kind.label(),
                field.label(kind),
                headings[index]
            ));
        }
        if let Some((_, before)) = fields.iter().find(|(f, _)| *f == field) {
            return refused(format!(
                "Two columns are read as “{}”: “{}” and “{}”; choose one.",
                field.label(kind),
                headings[*before],
                headings[index]
            ));
        }
        fields.push((field, index));
    }
    finish(headings, kind, None, fields)
}

fn headings_of(kind: ImportKind, preset: ImportPreset) -> Headings {
    match (kind, preset) {
        (ImportKind::Categories, ImportPreset::Partwatch) => PARTWATCH_CATEGORIES,
        (ImportKind::Parts, ImportPreset::Partwatch) => PARTWATCH_PARTS,
        (ImportKind::StockItems, ImportPreset::Partwatch) => PARTWATCH_STOCK,
        (ImportKind::BomLines, ImportPreset::Partwatch) => PARTWATCH_BOM,
        (ImportKind::Categories, ImportPreset::InvenTree) => INVENTREE_CATEGORIES,
        (ImportKind::Parts, ImportPreset::InvenTree) => INVENTREE_PARTS,
        (ImportKind::StockItems, ImportPreset::InvenTree) => INVENTREE_STOCK,
        (ImportKind::BomLines, ImportPreset::InvenTree) => INVENTREE_BOM,
    }
}

/// The fields of `table` whose headings the file has: the first heading on
/// a field's list that the file has wins, and a column is read once.
fn matched(folded: &[String], table: Headings) -> Vec<(Field, usize)> {
    let mut fields = Vec::new();
    for (field, names) in table {
        if let Some(index) = names
            .iter()
            .find_map(|name| folded.iter().position(|h| h == name))
        {
            if !fields.iter().any(|(_, i)| *i == index) {
                fields.push((*field, index));
            }
        }
    }
    fields
}

fn finish(
    headings: &[String],
    kind: ImportKind,
    preset: Option<ImportPreset>,
    fields: Vec<(Field, usize)>,
) -> ColumnMap {
    let mut map = ColumnMap {
        kind: Some(kind),
        preset,
        fields,
        unreadable: None,
    };
    map.unreadable = missing(&map, kind, headings);
    map
}

fn any_of(folded: &[String], table: Headings, field: Field) -> bool {
    table
        .iter()
        .filter(|(f, _)| *f == field)
        .flat_map(|(_, names)| names.iter())
        .any(|name| folded.iter().any(|h| h == name))
}

/// What a file lacks that its kind cannot do without, if anything.
fn missing(map: &ColumnMap, kind: ImportKind, headings: &[String]) -> Option<String> {
    let needs: &[(&[Field], &str)] = match kind {
        ImportKind::Categories if map.preset == Some(ImportPreset::InvenTree) => {
            &[(&[Field::Name, Field::CategoryPath], "Category Name")]
        }
        ImportKind::Categories => &[(&[Field::CategoryPath, Field::Name], "Path")],
        ImportKind::Parts => &[(&[Field::Name], "Name")],
        ImportKind::StockItems => &[
            (&[Field::Part, Field::SourcePart], "Part"),
            (&[Field::Quantity], "Quantity"),
        ],
        ImportKind::BomLines => &[
            (
                &[
                    Field::AssemblyPart,
                    Field::SourceAssembly,
                    Field::AssemblyIpn,
                    Field::AssemblyName,
                ],
                "Assembly",
            ),
            (&[Field::Part, Field::SourcePart, Field::PartIpn], "Part"),
            (&[Field::Quantity], "Quantity"),
        ],
    };
    let (fields, heading) = needs
        .iter()
        .find(|(fields, _)| !fields.iter().any(|f| map.index(*f).is_some()))?;
    Some(match map.preset {
        Some(preset) => format!(
            "It looks like a file of {} ({} columns) but has no \"{heading}\" column \
             (its columns: {}).",
            kind.label(),
            preset.label(),
            headings.join(", ")
        ),
        None => format!(
            "A file of {} needs a column read as “{}”.",
            kind.label(),
            fields[0].label(kind)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(line: &str) -> Vec<String> {
        line.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn tells_inventrees_exports_apart() {
        let parts = detect(&headings(
            "Part ID,Part Name,Part Description,IPN,Revision,Keywords,Link,Units,Notes,\
             Part Image,Category ID,Category Name,Default Location ID,Default Supplier ID,\
             Variant Of,Minimum Stock,Active,Assembly,Component,Purchaseable,Salable,Template,\
             Trackable,Virtual,Suppliers,In Stock,On Order,Used In,Allocated,Building",
        ))
        .readable("parts");
        assert_eq!(
            (parts.kind, parts.preset),
            (Some(ImportKind::Parts), Some(ImportPreset::InvenTree))
        );
        assert_eq!(parts.index(Field::Minimum), Some(15));
        let stock = detect(&headings(
            "Stock Item ID,Part ID,Part Name,Quantity,Serial,Batch,Status,Status Code,\
             Location ID,Location Name",
        ))
        .readable("stock");
        assert_eq!(stock.kind, Some(ImportKind::StockItems));
        assert_eq!(stock.index(Field::Location), Some(9));
        let categories = detect(&headings(
            "Category ID,Category Name,Description,Parent ID,Parent Name,\
             Default Location ID,Keywords,Category Path,Parts",
        ))
        .readable("categories");
        assert_eq!(categories.kind, Some(ImportKind::Categories));
        let bom = detect(&headings(
            "BOM Level,BOM Item ID,Parent ID,Parent IPN,Parent Name,Part ID,Part IPN,Part Name,\
             Description,Quantity,Reference,Note,Assembly,allow_variants",
        ))
        .readable("bom");
        assert_eq!(bom.kind, Some(ImportKind::BomLines));
        assert_eq!(bom.index(Field::AllowVariants), Some(13));
    }

    #[test]
    fn reads_a_spreadsheets_own_spellings() {
        let parts = detect(&headings("\u{feff}Name,IPN,Category,Min stock,Qty")).readable("parts");
        assert_eq!(
            (parts.kind, parts.preset),
            (Some(ImportKind::Parts), Some(ImportPreset::Partwatch))
        );
        assert_eq!(parts.index(Field::Minimum), Some(3));
        assert_eq!(parts.index(Field::Quantity), Some(4));
        let stock = detect(&headings("part,QUANTITY,Location,Batch")).readable("stock");
        assert_eq!(stock.kind, Some(ImportKind::StockItems));
        let bom = detect(&headings("Assembly,Part,Quantity")).readable("bom");
        assert_eq!(bom.kind, Some(ImportKind::BomLines));
        let categories = detect(&headings("Path,Description")).readable("categories");
        assert_eq!(categories.kind, Some(ImportKind::Categories));
    }

    #[test]
    fn says_what_it_cannot_tell() {
        let unknown = detect(&headings("Colour,Weight"));
        assert_eq!(unknown.kind, None);
        let why = unknown.unreadable.unwrap_or_default();
        assert!(why.contains("Colour, Weight"), "{why}");
        let no_quantity = detect(&headings("Assembly,Part"));
        assert_eq!(no_quantity.kind, Some(ImportKind::BomLines));
        let why = no_quantity.unreadable.unwrap_or_default();
        assert!(why.contains("no \"Quantity\" column"), "{why}");
    }

    #[test]
    fn a_kind_chosen_for_a_file_finds_its_columns_by_the_preset_that_knows_more() {
        let sheet = headings("Item,Part ID,Part Name,Minimum Stock,Units");
        // Told from its headings: InvenTree's parts ("Part ID", "Part Name").
        let map = read_as(&sheet, Some(&ChosenReading::Kind(ImportKind::Parts)));
        assert_eq!(map.preset, Some(ImportPreset::InvenTree));
        assert_eq!(map.index(Field::Name), Some(2));
        assert_eq!(map.index(Field::Minimum), Some(3));
        assert!(map.unreadable.is_none());
        // Said to hold categories, it has no heading a category file has.
        let map = read_as(&sheet, Some(&ChosenReading::Kind(ImportKind::Categories)));
        assert_eq!(map.preset, None);
        assert_eq!(
            map.unreadable.as_deref(),
            Some("A file of categories needs a column read as “Path (A/B/C)”.")
        );
        // The same file said to hold stock items lacks a quantity.
        let map = read_as(&sheet, Some(&ChosenReading::Kind(ImportKind::StockItems)));
        assert_eq!(map.kind, Some(ImportKind::StockItems));
        assert!(
            map.unreadable
                .as_deref()
                .is_some_and(|why| why.contains("no \"Quantity\" column")),
            "{map:?}"
        );
    }

    #[test]
    fn columns_chosen_by_hand_are_read_as_chosen_or_say_what_is_wrong() {
        let sheet = headings("Title,Code,Reorder at,Colour");
        let parts =
            |read_as: Vec<Option<Field>>| read_as_chosen(&sheet, ImportKind::Parts, read_as);
        let map = parts(vec![
            Some(Field::Name),
            Some(Field::Ipn),
            Some(Field::Minimum),
            None,
        ]);
        assert_eq!(map.unreadable, None);
        assert_eq!(map.preset, None);
        assert_eq!(map.index(Field::Minimum), Some(2));
        assert_eq!(map.field_at(3), None);
        for (read_as, says) in [
            (
                vec![None, Some(Field::Ipn), None, None],
                "A file of parts needs a column read as “Name”.",
            ),
            (
                vec![Some(Field::Name), Some(Field::Name), None, None],
                "Two columns are read as “Name”: “Title” and “Code”; choose one.",
            ),
            (
                vec![Some(Field::Name), Some(Field::Batch), None, None],
                "A file of parts has no “Batch” to read (column “Code”).",
            ),
            (
                vec![Some(Field::Name)],
                "Its columns were chosen for 1 columns, but it has 4: choose them again.",
            ),
        ] {
            assert_eq!(parts(read_as).unreadable.as_deref(), Some(says));
        }
    }

    #[test]
    fn every_heading_a_preset_knows_is_a_field_its_kind_reads() {
        for kind in ImportKind::ALL {
            for preset in [ImportPreset::Partwatch, ImportPreset::InvenTree] {
                for (field, _) in headings_of(kind, preset) {
                    assert!(
                        Field::of(kind).contains(field),
                        "{kind:?}/{preset:?}: {field:?} is not offered in the window"
                    );
                }
            }
        }
    }

    fn read_as_chosen(
        sheet: &[String],
        kind: ImportKind,
        read_as: Vec<Option<Field>>,
    ) -> ColumnMap {
        super::read_as(sheet, Some(&ChosenReading::Columns { kind, read_as }))
    }

    trait Readable {
        fn readable(self, what: &str) -> ColumnMap;
    }

    impl Readable for ColumnMap {
        fn readable(self, what: &str) -> ColumnMap {
            assert!(self.unreadable.is_none(), "{what}: {:?}", self.unreadable);
            self
        }
    }
}
