//! Requests of the inventory commands that need more than an id or an input.
//! Every command takes one argument named `request` (see `commands`).

use crate::inventory::{
    BomLineId, BuildOrderId, BuildStatus, CategoryContentsGo, CategoryId, CategoryUpdate, PartId,
    PartInput, StockAdjustment, StockItemId, UserId,
};
use crate::Quantity;
use serde::{Deserialize, Serialize};

/// A user's name and email address, changed together (or not at all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateUser {
    pub id: UserId,
    pub name: String,
    /// `None` or blank: no address.
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUserActive {
    pub id: UserId,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateCategory {
    pub id: CategoryId,
    pub update: CategoryUpdate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveCategory {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteCategory {
    pub id: CategoryId,
    pub contents: CategoryContentsGo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePart {
    pub id: PartId,
    pub input: PartInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustStock {
    pub item_id: StockItemId,
    pub adjustment: StockAdjustment,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteStock {
    pub item_id: StockItemId,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockHistoryRequest {
    pub part_id: PartId,
    #[serde(default = "default_history_limit")]
    pub limit: i64,
}

fn default_history_limit() -> i64 {
    100
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateBomLine {
    pub id: BomLineId,
    pub quantity: Quantity,
    pub allow_variants: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetBuildStatus {
    pub id: BuildOrderId,
    pub status: BuildStatus,
}
