//! A file of BOM lines: assembly, part, quantity per assembly. Each line is
//! checked and added as the BOM screen adds one (an assembly, not itself,
//! no loop through other assemblies, not twice, within open build orders'
//! limits), so the rules live in one place.

use super::columns::Field;
use super::index::KnownPart;
use super::table::{self, Row, Table};
use super::Import;
use crate::inventory::bom::{self, LineField};
use crate::CoreResult;
use partwatch_types::inventory::NewBomLine;

pub(super) async fn import(import: &mut Import, table: &Table) -> CoreResult<()> {
    for row in &table.rows {
        let mut problems: Vec<(Field, String)> = Vec::new();
        let assembly = find(
            import,
            table,
            row,
            [
                Field::SourceAssembly,
                Field::AssemblyIpn,
                Field::AssemblyPart,
                Field::AssemblyName,
            ],
        )
        .map_err(|p| problems.push(p))
        .ok();
        let part = find(
            import,
            table,
            row,
            [Field::SourcePart, Field::PartIpn, Field::Part, Field::Part],
        )
        .map_err(|p| problems.push(p))
        .ok();
        let quantity = table::quantity(table.cell(row, Field::Quantity), table.decimal_comma)
            .map_err(|why| problems.push((Field::Quantity, why)))
            .ok();
        let allow_variants = table::yes_no(table.cell(row, Field::AllowVariants))
            .map_err(|why| problems.push((Field::AllowVariants, why)))
            .ok()
            .flatten()
            .unwrap_or(false);
        if let (Some(assembly), Some(part), Some(quantity), true) =
            (assembly, part, quantity, problems.is_empty())
        {
            let line = NewBomLine {
                assembly_id: assembly.id,
                sub_part_id: part.id,
                quantity,
                allow_variants,
            };
            match bom::try_add_line_in(&mut import.tx, &line).await? {
                Ok(_) => import.counts.bom_lines += 1,
                Err(refused) => {
                    // The first of the columns naming what was refused
                    // that the file has.
                    let columns: &[Field] = match refused.field {
                        LineField::Assembly => &[
                            Field::AssemblyPart,
                            Field::AssemblyName,
                            Field::AssemblyIpn,
                            Field::SourceAssembly,
                        ],
                        LineField::Part => &[Field::Part, Field::PartIpn, Field::SourcePart],
                        LineField::Quantity => &[Field::Quantity],
                    };
                    let column = columns.iter().find_map(|field| table.heading(*field));
                    import.problem(table, row.line, column, refused.error.to_string());
                }
            }
        }
        for (field, message) in problems {
            import.problem(table, row.line, table.heading(field), message);
        }
    }
    Ok(())
}

/// The part a row names in the first of `fields` it fills: another file's
/// id, an IPN, or an IPN or name.
fn find(
    import: &Import,
    table: &Table,
    row: &Row,
    fields: [Field; 4],
) -> Result<KnownPart, (Field, String)> {
    for field in fields {
        let cell = table.cell(row, field);
        if cell.is_empty() {
            continue;
        }
        let found = match field {
            Field::SourceAssembly | Field::SourcePart => import.index.part_by_source(cell),
            _ => import.index.part(cell),
        };
        // An id the files do not know may still be named by IPN or name.
        match found {
            Ok(part) => return Ok(part.clone()),
            Err(_)
                if matches!(field, Field::SourceAssembly | Field::SourcePart)
                    && !import.index.skipped_parts.contains_key(&format!("#{cell}")) =>
            {
                continue;
            }
            Err(why) => return Err((field, why)),
        }
    }
    let field = fields
        .into_iter()
        .find(|f| table.heading(*f).is_some())
        .unwrap_or(fields[0]);
    Err((
        field,
        match table.heading(field) {
            Some(heading) => format!("“{heading}” names no part that is here or in these files."),
            None => "It names no part.".into(),
        },
    ))
}
