//! Which columns an import reads: for each kind of file and each preset,
//! the headings of each field, and how a file's kind and preset are told
//! from its header.

use partwatch_types::import::{ImportKind, ImportPreset};

/// A value an import reads from a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    /// The row's id in the system it came from (InvenTree's "Part ID", …).
    SourceId,
    Name,
    Ipn,
    Description,
    /// A category path ("Electronics/Passives/Resistors").
    CategoryPath,
    /// Another file's id of the row's category / parent category.
    SourceCategory,
    /// A category's name alone.
    CategoryName,
    Units,
    Minimum,
    Template,
    /// A template, by IPN or name.
    VariantOf,
    /// Another file's id of the template.
    SourceVariantOf,
    Assembly,
    Active,
    /// A part, by IPN or name.
    Part,
    /// Another file's id of the part.
    SourcePart,
    /// A part's IPN alone.
    PartIpn,
    Quantity,
    /// A location path ("Store › Shelf B" or "Store/Shelf B").
    Location,
    Batch,
    /// An assembly, by IPN or name.
    AssemblyPart,
    /// Another file's id of the assembly.
    SourceAssembly,
    AssemblyIpn,
    AssemblyName,
    AllowVariants,
}

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
    pub kind: ImportKind,
    pub preset: ImportPreset,
    /// Each field read and its column's index.
    pub fields: Vec<(Field, usize)>,
}

impl ColumnMap {
    pub fn index(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find_map(|(f, i)| (*f == field).then_some(*i))
    }
}

/// Tells the kind and preset of a file from its headings, or says what it
/// could not tell.
pub(super) fn detect(headings: &[String]) -> Result<ColumnMap, String> {
    let folded: Vec<String> = headings.iter().map(|h| fold(h)).collect();
    let has = |name: &str| folded.iter().any(|h| h == name);
    let (kind, preset, table) = if has("stockitemid") {
        (
            ImportKind::StockItems,
            ImportPreset::InvenTree,
            INVENTREE_STOCK,
        )
    } else if has("parentid") && has("partid") && has("quantity") {
        (ImportKind::BomLines, ImportPreset::InvenTree, INVENTREE_BOM)
    } else if has("partid") && has("partname") {
        (ImportKind::Parts, ImportPreset::InvenTree, INVENTREE_PARTS)
    } else if has("categoryid") && has("categoryname") {
        (
            ImportKind::Categories,
            ImportPreset::InvenTree,
            INVENTREE_CATEGORIES,
        )
    } else if has("assembly") && any_of(&folded, PARTWATCH_BOM, Field::Part) {
        (ImportKind::BomLines, ImportPreset::Partwatch, PARTWATCH_BOM)
    } else if any_of(&folded, PARTWATCH_STOCK, Field::Part)
        && any_of(&folded, PARTWATCH_STOCK, Field::Quantity)
        && !any_of(&folded, PARTWATCH_PARTS, Field::Name)
    {
        (
            ImportKind::StockItems,
            ImportPreset::Partwatch,
            PARTWATCH_STOCK,
        )
    } else if any_of(&folded, PARTWATCH_PARTS, Field::Name) {
        (ImportKind::Parts, ImportPreset::Partwatch, PARTWATCH_PARTS)
    } else if any_of(&folded, PARTWATCH_CATEGORIES, Field::CategoryPath) {
        (
            ImportKind::Categories,
            ImportPreset::Partwatch,
            PARTWATCH_CATEGORIES,
        )
    } else {
        return Err(format!(
            "Partwatch cannot tell what it holds from its columns ({}): a file of categories \
             needs \"Path\", of parts \"Name\", of stock items \"Part\" and \"Quantity\", of \
             BOM lines \"Assembly\", \"Part\" and \"Quantity\" (or the columns of InvenTree's exports)",
            headings.join(", ")
        ));
    };
    let mut fields = Vec::new();
    for (field, names) in table {
        // The first heading on the list that the file has wins.
        if let Some(index) = names
            .iter()
            .find_map(|name| folded.iter().position(|h| h == name))
        {
            if !fields.iter().any(|(_, i)| *i == index) {
                fields.push((*field, index));
            }
        }
    }
    let map = ColumnMap {
        kind,
        preset,
        fields,
    };
    required(&map, headings)?;
    Ok(map)
}

fn any_of(folded: &[String], table: Headings, field: Field) -> bool {
    table
        .iter()
        .filter(|(f, _)| *f == field)
        .flat_map(|(_, names)| names.iter())
        .any(|name| folded.iter().any(|h| h == name))
}

/// Refuses a file that lacks a column its kind cannot do without.
fn required(map: &ColumnMap, headings: &[String]) -> Result<(), String> {
    let needs: &[(&[Field], &str)] = match (map.kind, map.preset) {
        (ImportKind::Categories, ImportPreset::Partwatch) => &[(&[Field::CategoryPath], "Path")],
        (ImportKind::Categories, ImportPreset::InvenTree) => &[(&[Field::Name], "Category Name")],
        (ImportKind::Parts, _) => &[(&[Field::Name], "Name")],
        (ImportKind::StockItems, _) => &[
            (&[Field::Part, Field::SourcePart], "Part"),
            (&[Field::Quantity], "Quantity"),
        ],
        (ImportKind::BomLines, _) => &[
            (
                &[
                    Field::AssemblyPart,
                    Field::SourceAssembly,
                    Field::AssemblyIpn,
                ],
                "Assembly",
            ),
            (&[Field::Part, Field::SourcePart, Field::PartIpn], "Part"),
            (&[Field::Quantity], "Quantity"),
        ],
    };
    for (fields, heading) in needs {
        if !fields.iter().any(|f| map.index(*f).is_some()) {
            return Err(format!(
                "it looks like a file of {} ({} columns) but has no \"{heading}\" column \
                 (its columns: {})",
                map.kind.label(),
                map.preset.label(),
                headings.join(", ")
            ));
        }
    }
    Ok(())
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
        .expect("parts");
        assert_eq!(
            (parts.kind, parts.preset),
            (ImportKind::Parts, ImportPreset::InvenTree)
        );
        assert_eq!(parts.index(Field::Minimum), Some(15));
        let stock = detect(&headings(
            "Stock Item ID,Part ID,Part Name,Quantity,Serial,Batch,Status,Status Code,\
             Location ID,Location Name",
        ))
        .expect("stock");
        assert_eq!(stock.kind, ImportKind::StockItems);
        assert_eq!(stock.index(Field::Location), Some(9));
        let categories = detect(&headings(
            "Category ID,Category Name,Description,Parent ID,Parent Name,\
             Default Location ID,Keywords,Category Path,Parts",
        ))
        .expect("categories");
        assert_eq!(categories.kind, ImportKind::Categories);
        let bom = detect(&headings(
            "BOM Level,BOM Item ID,Parent ID,Parent IPN,Parent Name,Part ID,Part IPN,Part Name,\
             Description,Quantity,Reference,Note,Assembly,allow_variants",
        ))
        .expect("bom");
        assert_eq!(bom.kind, ImportKind::BomLines);
        assert_eq!(bom.index(Field::AllowVariants), Some(13));
    }

    #[test]
    fn reads_a_spreadsheets_own_spellings() {
        let parts = detect(&headings("\u{feff}Name,IPN,Category,Min stock,Qty")).expect("parts");
        assert_eq!(
            (parts.kind, parts.preset),
            (ImportKind::Parts, ImportPreset::Partwatch)
        );
        assert_eq!(parts.index(Field::Minimum), Some(3));
        assert_eq!(parts.index(Field::Quantity), Some(4));
        let stock = detect(&headings("part,QUANTITY,Location,Batch")).expect("stock");
        assert_eq!(stock.kind, ImportKind::StockItems);
        let bom = detect(&headings("Assembly,Part,Quantity")).expect("bom");
        assert_eq!(bom.kind, ImportKind::BomLines);
        let categories = detect(&headings("Path,Description")).expect("categories");
        assert_eq!(categories.kind, ImportKind::Categories);
    }

    #[test]
    fn says_what_it_cannot_tell() {
        let unknown = detect(&headings("Colour,Weight")).expect_err("unknown");
        assert!(unknown.contains("Colour, Weight"), "{unknown}");
        let no_quantity = detect(&headings("Assembly,Part")).expect_err("no quantity");
        assert!(no_quantity.contains("\"Quantity\""), "{no_quantity}");
    }
}
