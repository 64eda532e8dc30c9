//! What an import knows of the inventory: the categories, parts and
//! locations already in the database, read once, plus every row it has
//! written since — by path, IPN, name and the source file's own ids.

use crate::sql::{self, Conn};
use crate::CoreResult;
use partwatch_types::inventory::{CategoryId, LocationId, PartId, PATH_SEPARATOR};
use std::collections::HashMap;

/// Names compare without case (as the database's `NOCASE` does).
pub(super) fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A path's names, folded, joined by a character no name holds.
pub(super) fn path_key<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(key)
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

#[derive(Debug, Clone)]
pub(super) struct KnownPart {
    pub id: PartId,
    pub name: String,
    pub is_template: bool,
}

#[derive(Default)]
pub(super) struct Index {
    pub categories_by_path: HashMap<String, CategoryId>,
    pub categories_by_name: HashMap<String, Vec<CategoryId>>,
    /// A categories file's own ids ("Category ID").
    pub categories_by_source: HashMap<String, CategoryId>,
    /// Rows of a categories file that were not imported, by their source
    /// id: what a part in one of them is told.
    pub skipped_categories: HashMap<String, String>,
    pub parts: HashMap<PartId, KnownPart>,
    pub parts_by_ipn: HashMap<String, PartId>,
    pub parts_by_name: HashMap<String, Vec<PartId>>,
    /// A parts file's own ids ("Part ID").
    pub parts_by_source: HashMap<String, PartId>,
    /// Rows of a parts file that were not imported, by their source id,
    /// IPN and name: what a later row referring to them is told.
    pub skipped_parts: HashMap<String, String>,
    pub locations_by_path: HashMap<String, LocationId>,
    pub locations_by_name: HashMap<String, Vec<LocationId>>,
    /// Each location's path as stored (" › "-separated) and depth.
    pub location_paths: HashMap<LocationId, (String, i64)>,
}

impl Index {
    pub async fn load(conn: &mut Conn) -> CoreResult<Self> {
        let mut index = Index::default();
        let categories: Vec<(CategoryId, Option<CategoryId>, String)> =
            sql::query_as("SELECT id, parent_id, name FROM categories")
                .fetch_all(&mut *conn)
                .await?;
        let by_id: HashMap<CategoryId, (Option<CategoryId>, &str)> = categories
            .iter()
            .map(|(id, parent, name)| (*id, (*parent, name.as_str())))
            .collect();
        for (id, _, name) in &categories {
            let mut names = vec![name.as_str()];
            let mut at = by_id.get(id).and_then(|(parent, _)| *parent);
            while let Some(parent) = at {
                let Some((up, name)) = by_id.get(&parent) else {
                    break;
                };
                names.push(name);
                at = *up;
                if names.len() > by_id.len() {
                    break;
                }
            }
            names.reverse();
            index.categories_by_path.insert(path_key(names), *id);
            index
                .categories_by_name
                .entry(key(name))
                .or_default()
                .push(*id);
        }
        let parts: Vec<(PartId, String, Option<String>, bool)> =
            sql::query_as("SELECT id, name, ipn, is_template FROM parts")
                .fetch_all(&mut *conn)
                .await?;
        for (id, name, ipn, is_template) in parts {
            index.add_part(
                KnownPart {
                    id,
                    name,
                    is_template,
                },
                ipn.as_deref(),
                None,
            );
        }
        let locations: Vec<(LocationId, String, String)> =
            sql::query_as("SELECT id, name, path FROM locations")
                .fetch_all(&mut *conn)
                .await?;
        for (id, name, path) in locations {
            index.add_location(id, &name, path);
        }
        Ok(index)
    }

    pub fn add_part(&mut self, part: KnownPart, ipn: Option<&str>, source: Option<&str>) {
        if let Some(ipn) = ipn {
            self.parts_by_ipn.insert(key(ipn), part.id);
        }
        if let Some(source) = source.filter(|s| !s.is_empty()) {
            self.parts_by_source.insert(source.to_owned(), part.id);
        }
        self.parts_by_name
            .entry(key(&part.name))
            .or_default()
            .push(part.id);
        self.parts.insert(part.id, part);
    }

    /// Forgets a part added by this import (a row found bad after all).
    pub fn remove_part(&mut self, id: PartId) {
        self.parts.remove(&id);
        self.parts_by_ipn.retain(|_, p| *p != id);
        self.parts_by_source.retain(|_, p| *p != id);
        for ids in self.parts_by_name.values_mut() {
            ids.retain(|p| *p != id);
        }
    }

    pub fn add_location(&mut self, id: LocationId, name: &str, path: String) {
        let names: Vec<&str> = path.split(PATH_SEPARATOR.trim()).map(str::trim).collect();
        let depth = names.len() as i64 - 1;
        self.locations_by_path.insert(path_key(names), id);
        self.locations_by_name
            .entry(key(name))
            .or_default()
            .push(id);
        self.location_paths.insert(id, (path, depth));
    }

    /// A part named by IPN or name (a unique one), or why there is none.
    pub fn part(&self, text: &str) -> Result<&KnownPart, String> {
        let folded = key(text);
        if let Some(part) = self.parts_by_ipn.get(&folded) {
            return Ok(&self.parts[part]);
        }
        match self.parts_by_name.get(&folded).map(Vec::as_slice) {
            Some([one]) => Ok(&self.parts[one]),
            Some(many) if many.len() > 1 => Err(format!(
                "{} parts are called “{text}”; name it by its IPN.",
                many.len()
            )),
            _ => {
                // InvenTree writes a part's full name: "IPN | Name | Revision".
                let pieces: Vec<&str> = text.split(" | ").collect();
                if pieces.len() > 1 {
                    for piece in &pieces {
                        if let Some(part) = self.parts_by_ipn.get(&key(piece)) {
                            return Ok(&self.parts[part]);
                        }
                    }
                    if let Some([one]) = self.parts_by_name.get(&key(pieces[1])).map(Vec::as_slice)
                    {
                        return Ok(&self.parts[one]);
                    }
                }
                Err(match self.skipped_parts.get(&folded) {
                    Some(why) => why.clone(),
                    None => format!("There is no part “{text}” (by IPN or name)."),
                })
            }
        }
    }

    /// A part named by another file's id.
    pub fn part_by_source(&self, source: &str) -> Result<&KnownPart, String> {
        match self.parts_by_source.get(source) {
            Some(id) => Ok(&self.parts[id]),
            None => Err(match self.skipped_parts.get(&format!("#{source}")) {
                Some(why) => why.clone(),
                None => format!("No part with the id {source} is in the parts file."),
            }),
        }
    }
}
