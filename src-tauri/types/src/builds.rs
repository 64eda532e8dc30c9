//! Build orders as the UI sees them: an order, its status moves, and the
//! shortage check's answer. Re-exported from `inventory`.

use crate::inventory::{BuildOrderId, PartId, PartRef, UserId};
use crate::stored::stored_enum;
use crate::Quantity;
use serde::{Deserialize, Serialize};

stored_enum! {
    /// Where a build order stands.
    pub enum BuildStatus as "build status" {
        Pending = "pending" => "Pending",
        InProduction = "in_production" => "In production",
        Complete = "complete" => "Complete",
        Cancelled = "cancelled" => "Cancelled",
    }
}

impl BuildStatus {
    /// Open orders reserve stock.
    pub fn is_open(self) -> bool {
        matches!(self, BuildStatus::Pending | BuildStatus::InProduction)
    }

    /// pending → in production → complete; pending or in production → cancelled.
    pub fn can_become(self, next: BuildStatus) -> bool {
        use BuildStatus::*;
        matches!(
            (self, next),
            (Pending, InProduction)
                | (InProduction, Complete)
                | (Pending, Cancelled)
                | (InProduction, Cancelled)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOrder {
    pub id: BuildOrderId,
    pub reference: String,
    pub part: PartRef,
    pub quantity: Quantity,
    /// How many have been completed so far (a build may complete in parts).
    pub completed: Quantity,
    pub status: BuildStatus,
    pub responsible: Option<UserRef>,
    pub created_by: Option<UserRef>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBuildOrder {
    /// Empty: the next free reference is used (see `suggest_reference`).
    #[serde(default)]
    pub reference: String,
    pub part_id: PartId,
    pub quantity: Quantity,
    #[serde(default)]
    pub responsible_id: Option<UserId>,
}

/// A BOM line a build order cannot be covered for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortLine {
    pub part: PartRef,
    pub required: Quantity,
    pub available: Quantity,
}

/// A created build order and the result of its shortage check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedBuildOrder {
    pub order: BuildOrder,
    pub short_lines: Vec<ShortLine>,
}

/// A build order's page: the order and, for each direct BOM line of its
/// assembly, what is still needed and what there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOrderDetail {
    pub order: BuildOrder,
    /// In the order of the part names.
    pub lines: Vec<BuildLine>,
}

/// One BOM line of a build order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildLine {
    pub part: PartRef,
    /// How many go into one assembly.
    pub per_unit: Quantity,
    /// Whether the part's variants' stock counts.
    pub allow_variants: bool,
    /// What the rest of the order needs (per unit × what is left to build);
    /// zero once the order is complete or cancelled.
    pub required: Quantity,
    /// Stock (with variants where the line allows them) less what other
    /// open orders still need.
    pub available: Quantity,
    /// How much `available` falls short of `required` (zero: covered).
    pub short: Quantity,
}
