//! The location picker's list: what typed text offers ("No location", the
//! locations whose path has every word typed, a new location the text would
//! make) and which location text names when the field is left.

use partwatch_types::inventory::{Location, LocationId, LocationRef, PATH_SEPARATOR};
use std::collections::HashSet;

/// How many locations the list shows at most; typing narrows it.
const SHOWN: usize = 50;

/// One option of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Choice {
    /// No location.
    Nowhere,
    Existing(LocationRef),
    /// Creates `name` under `parent` (or at the top level), then chooses it.
    New {
        parent: Option<LocationRef>,
        name: String,
        /// The text typed before the last separator, when no location has
        /// that path (so the new one goes to the top level).
        unknown_parent: Option<String>,
    },
}

impl Choice {
    /// What the option says (its accessible name).
    pub(super) fn label(&self, none_label: &str) -> String {
        match self {
            Choice::Nowhere => none_label.to_owned(),
            Choice::Existing(location) => location.path.clone(),
            Choice::New {
                parent: Some(parent),
                name,
                ..
            } => format!("New location “{name}” in {}", parent.path),
            Choice::New {
                name,
                unknown_parent: Some(missing),
                ..
            } => format!("New location “{name}” at the top level (there is no “{missing}”)"),
            Choice::New { name, .. } => format!("New location “{name}”"),
        }
    }
}

/// Text with its spaces collapsed and " > " read as the path separator.
fn tidy(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" > ", PATH_SEPARATOR)
}

/// For comparing paths: tidy and lower-case.
fn key(text: &str) -> String {
    tidy(text).to_lowercase()
}

/// Whether every word of `query` is in `path` (case-insensitive).
fn matches(path: &str, query: &str) -> bool {
    let path = path.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .filter(|word| !matches!(*word, "›" | ">"))
        .all(|word| path.contains(word))
}

/// The location whose full path is `text` (case and spacing aside).
fn at_path<'a>(all: &'a [Location], text: &str) -> Option<&'a Location> {
    let wanted = key(text);
    all.iter().find(|l| key(&l.path) == wanted)
}

/// The location `text` names: its full path, or the name of exactly one.
pub(super) fn named(all: &[Location], text: &str) -> Option<LocationRef> {
    let found = at_path(all, text).or_else(|| {
        let wanted = key(text);
        let mut same_name = all.iter().filter(|l| key(&l.name) == wanted);
        match (same_name.next(), same_name.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })?;
    Some(LocationRef {
        id: found.id,
        path: found.path.clone(),
    })
}

/// The location typed text would create, if it names none yet.
fn new_location(all: &[Location], typed: &str) -> Option<Choice> {
    let typed = tidy(typed);
    if typed.is_empty() || typed.ends_with(['›', '>']) || at_path(all, &typed).is_some() {
        return None;
    }
    let Some((prefix, name)) = typed.rsplit_once(PATH_SEPARATOR) else {
        return Some(Choice::New {
            parent: None,
            name: typed,
            unknown_parent: None,
        });
    };
    let name = name.trim().to_owned();
    Some(match at_path(all, prefix) {
        Some(parent) => Choice::New {
            parent: Some(LocationRef {
                id: parent.id,
                path: parent.path.clone(),
            }),
            name,
            unknown_parent: None,
        },
        None => Choice::New {
            parent: None,
            name,
            unknown_parent: Some(prefix.trim().to_owned()),
        },
    })
}

/// The options for `query`: with nothing typed, "no location" and every
/// location; else the locations whose path has every word typed, then the
/// new location the text would make. `excluded` are left out.
pub(super) fn choices(
    all: &[Location],
    query: &str,
    excluded: &HashSet<LocationId>,
) -> Vec<Choice> {
    let offered = all.iter().filter(|l| !excluded.contains(&l.id));
    let as_choice = |l: &Location| {
        Choice::Existing(LocationRef {
            id: l.id,
            path: l.path.clone(),
        })
    };
    if query.trim().is_empty() {
        return std::iter::once(Choice::Nowhere)
            .chain(offered.take(SHOWN).map(as_choice))
            .collect();
    }
    offered
        .filter(|l| matches(&l.path, query))
        .take(SHOWN)
        .map(as_choice)
        .chain(new_location(all, query))
        .collect()
}

/// `root` and every location below it (the list is in tree order: each
/// location after its parent).
pub(super) fn subtree(all: &[Location], root: LocationId) -> HashSet<LocationId> {
    let mut inside = HashSet::from([root]);
    for location in all {
        if location.parent_id.is_some_and(|p| inside.contains(&p)) {
            inside.insert(location.id);
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(id: i64, parent: Option<i64>, path: &str) -> Location {
        let name = path
            .rsplit(PATH_SEPARATOR)
            .next()
            .unwrap_or(path)
            .to_owned();
        Location {
            id: LocationId(id),
            parent_id: parent.map(LocationId),
            name,
            description: String::new(),
            path: path.to_owned(),
            depth: path.matches(PATH_SEPARATOR).count() as i64,
            items: 0,
            children: 0,
        }
    }

    fn store() -> Vec<Location> {
        vec![
            location(1, None, "Store"),
            location(2, Some(1), "Store › Shelf B"),
            location(3, Some(2), "Store › Shelf B › Drawer A3"),
            location(4, Some(1), "Store › Shelf C"),
            location(5, None, "Lab"),
        ]
    }

    fn labels(choices: &[Choice]) -> Vec<String> {
        choices.iter().map(|c| c.label("No location")).collect()
    }

    #[test]
    fn nothing_typed_offers_no_location_and_every_location_in_tree_order() {
        let all = store();
        assert_eq!(
            labels(&choices(&all, " ", &HashSet::new())),
            [
                "No location",
                "Store",
                "Store › Shelf B",
                "Store › Shelf B › Drawer A3",
                "Store › Shelf C",
                "Lab"
            ]
        );
    }

    #[test]
    fn typing_narrows_by_every_word_of_the_path_and_offers_a_new_location() {
        let all = store();
        assert_eq!(
            labels(&choices(&all, "shelf b a3", &HashSet::new())),
            ["Store › Shelf B › Drawer A3", "New location “shelf b a3”"]
        );
        // An exact path is there already: nothing to create.
        assert_eq!(
            labels(&choices(&all, "store > shelf c", &HashSet::new())),
            ["Store › Shelf C"]
        );
        assert_eq!(
            labels(&choices(&all, "Bin 9", &HashSet::new())),
            ["New location “Bin 9”"]
        );
    }

    #[test]
    fn a_new_location_goes_under_the_path_typed_before_the_last_separator() {
        let all = store();
        assert_eq!(
            new_location(&all, "Store › Shelf B > Drawer  A4"),
            Some(Choice::New {
                parent: Some(LocationRef {
                    id: LocationId(2),
                    path: "Store › Shelf B".to_owned()
                }),
                name: "Drawer A4".to_owned(),
                unknown_parent: None,
            })
        );
        let top = new_location(&all, "Attic > Box 1").expect("a new location");
        assert_eq!(
            top,
            Choice::New {
                parent: None,
                name: "Box 1".to_owned(),
                unknown_parent: Some("Attic".to_owned()),
            }
        );
        assert_eq!(
            top.label("No location"),
            "New location “Box 1” at the top level (there is no “Attic”)"
        );
        assert_eq!(
            new_location(&all, "store › shelf b › x").map(|c| c.label("")),
            Some("New location “x” in Store › Shelf B".to_owned())
        );
        assert_eq!(new_location(&all, "Store ›"), None);
        assert_eq!(new_location(&all, "   "), None);
        assert_eq!(new_location(&all, "STORE › SHELF B"), None);
    }

    #[test]
    fn leaving_the_field_chooses_an_exact_path_or_a_unique_name_only() {
        let mut all = store();
        assert_eq!(
            named(&all, "store > shelf b > drawer a3").map(|l| l.id),
            Some(LocationId(3))
        );
        assert_eq!(named(&all, "drawer a3").map(|l| l.id), Some(LocationId(3)));
        assert_eq!(named(&all, "drawer"), None);
        all.push(location(6, Some(5), "Lab › Drawer A3"));
        assert_eq!(named(&all, "Drawer A3"), None, "two have that name");
    }

    #[test]
    fn a_location_cannot_be_offered_as_a_place_inside_itself() {
        let all = store();
        let inside = subtree(&all, LocationId(2));
        assert_eq!(inside, HashSet::from([LocationId(2), LocationId(3)]));
        assert_eq!(
            labels(&choices(&all, "", &inside)),
            ["No location", "Store", "Store › Shelf C", "Lab"]
        );
    }
}
