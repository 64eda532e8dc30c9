//! The store under the parts: the location tree, moving stock between
//! locations, and what builds use and make. Re-exported from `inventory`.

use crate::builds::{BuildOrder, ShortLine};
use crate::ids::{BuildOrderId, LocationId, PartId, StockItemId};
use crate::inventory::{BomLine, PartRef, StockItem};
use crate::Quantity;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- locations

/// A location as other things name it: its id and full path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRef {
    pub id: LocationId,
    /// "Store › Shelf B › Drawer A3".
    pub path: String,
}

/// The separator of a location path.
pub const PATH_SEPARATOR: &str = " › ";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub parent_id: Option<LocationId>,
    pub name: String,
    pub description: String,
    /// "Store › Shelf B › Drawer A3".
    pub path: String,
    /// How deep in the tree (0 at the top).
    pub depth: i64,
    /// Stock items right here (not in sub-locations).
    pub items: i64,
    /// Sub-locations right below.
    pub children: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLocation {
    #[serde(default)]
    pub parent_id: Option<LocationId>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Renames, describes and moves a location, all at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateLocation {
    pub id: LocationId,
    #[serde(default)]
    pub parent_id: Option<LocationId>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A stock item with the part it is of, as a location lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatedItem {
    pub item: StockItem,
    pub part: PartRef,
    pub ipn: Option<String>,
    pub units: String,
}

/// What a location's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationContents {
    pub location: Location,
    /// Its ancestors, top first (for the breadcrumb).
    pub ancestors: Vec<LocationRef>,
    pub children: Vec<Location>,
    /// The stock right here, by part name.
    pub items: Vec<LocatedItem>,
}

// ---------------------------------------------------------------- moving stock

/// Moves all (`quantity: None`) or part of a stock item to another location.
/// The part's total does not change, so nobody is notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferStock {
    pub item_id: StockItemId,
    /// `None`: take it out of any location.
    #[serde(default)]
    pub to_location_id: Option<LocationId>,
    /// `None`: the whole item.
    #[serde(default)]
    pub quantity: Option<Quantity>,
    #[serde(default)]
    pub reason: String,
}

/// Adds the quantities of `from` (items of the same part) to `into` and
/// removes them. The part's total does not change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeStock {
    pub into: StockItemId,
    pub from: Vec<StockItemId>,
    #[serde(default)]
    pub reason: String,
}

// ---------------------------------------------------------------- builds

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRef {
    pub id: BuildOrderId,
    pub reference: String,
}

/// Stock a user picked for a build, used before any chosen automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenStock {
    pub item_id: StockItemId,
    pub quantity: Quantity,
}

/// Completes `quantity` of a build order (all that is left, or part of it):
/// consumes its BOM lines' stock and adds the assemblies made at
/// `location_id`, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompleteBuild {
    pub id: BuildOrderId,
    pub quantity: Quantity,
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// Items to use first; the rest of each line comes from the oldest
    /// stock (of the variants too where the line allows them).
    #[serde(default)]
    pub chosen: Vec<ChosenStock>,
    /// When a line's stock is short: use all there is and complete anyway
    /// (without it, a short line refuses the completion).
    #[serde(default)]
    pub accept_shortage: bool,
}

/// Stock one completion used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumed {
    pub part: PartRef,
    pub item_id: StockItemId,
    pub location: String,
    pub quantity: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildCompletion {
    pub order: BuildOrder,
    pub consumed: Vec<Consumed>,
    /// The stock item the assemblies went into.
    pub made: StockItem,
    /// The lines that were short (only with `accept_shortage`): what was
    /// needed and what there was to use.
    pub short_lines: Vec<ShortLine>,
}

/// "Could we build this many?" — the shortage check without an order; it
/// notifies nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBuild {
    pub part_id: PartId,
    pub quantity: Quantity,
}

/// An assembly's BOM with what its stock allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bom {
    pub lines: Vec<BomLine>,
    /// Whole assemblies the available stock covers; `None` without lines.
    pub can_build: Option<Quantity>,
}

/// An assembly a part is used in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedIn {
    pub assembly: PartRef,
    /// Per assembly.
    pub quantity: Quantity,
    /// The BOM line names this template, which allows its variants (the
    /// part is one of them); `None` when the line names the part itself.
    pub through: Option<PartRef>,
}
