//! The inventory as the UI sees it: users, categories, parts, stock, BOMs and
//! build orders, with the inputs that create and change them.

pub use crate::builds::*;
pub use crate::ids::{
    BomLineId, BuildOrderId, CategoryId, LocationId, PartId, StockItemId, UserId,
};
pub use crate::requests::*;
pub use crate::store::*;
use crate::stored::stored_enum;
use crate::Quantity;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- users

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// Who a desktop on a team database works as, chosen at its first start
/// there: someone already in the team, or someone new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "as", content = "who")]
pub enum SignIn {
    Existing(UserId),
    New(NewUser),
}

/// What the "Who are you?" page offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChoices {
    /// The team database, as `postgres://user@host:port/db`.
    pub database: String,
    /// The active people of the team, by name.
    pub people: Vec<User>,
    /// A name for someone new: the desktop's OS user name.
    pub suggested_name: String,
}

// ---------------------------------------------------------------- categories

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub description: String,
    /// From the root down to this category's parent.
    pub ancestors: Vec<CategoryRef>,
}

/// A category named in passing (breadcrumbs, a part's category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub id: CategoryId,
    pub name: String,
}

/// One category in the tree, with its part counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub depth: i64,
    /// Parts directly in this category.
    pub own_parts: i64,
    /// Parts in this category and all its sub-categories.
    pub total_parts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCategory {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parent_id: Option<CategoryId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryUpdate {
    pub name: String,
    pub description: String,
}

/// Where a deleted category's parts and sub-categories go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "category_id")]
pub enum CategoryContentsGo {
    /// Only delete when the category is empty.
    Nowhere,
    /// To the deleted category's parent (or the top level).
    ToParent,
    /// Into the given category (which must not be inside the deleted one).
    To(CategoryId),
}

// ---------------------------------------------------------------- parts

/// What the figures of the spec say about a part's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockFigures {
    /// Own stock, plus all variants' stock for a template.
    pub in_stock: Quantity,
    /// Needed by open build orders (pending or in production).
    pub reserved: Quantity,
    /// `max(0, in_stock - reserved)`.
    pub available: Quantity,
    pub minimum_stock: Quantity,
    /// `minimum_stock > 0 && in_stock < minimum_stock`.
    pub is_low: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub id: PartId,
    pub name: String,
    pub ipn: Option<String>,
    pub description: String,
    pub category: Option<CategoryRef>,
    pub units: String,
    pub is_template: bool,
    pub variant_of: Option<PartRef>,
    pub is_assembly: bool,
    pub active: bool,
    pub figures: StockFigures,
    /// Direct variants (for a template).
    pub variants: Vec<PartRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRef {
    pub id: PartId,
    pub name: String,
}

/// A part as a row of the parts table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRow {
    pub id: PartId,
    pub name: String,
    pub ipn: Option<String>,
    pub category: Option<CategoryRef>,
    pub is_template: bool,
    pub is_assembly: bool,
    pub active: bool,
    pub in_stock: Quantity,
    pub minimum_stock: Quantity,
    pub is_low: bool,
    pub units: String,
}

/// Everything a part has that a user types in. Used to create and to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartInput {
    pub name: String,
    #[serde(default)]
    pub ipn: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    #[serde(default)]
    pub units: String,
    #[serde(default)]
    pub is_template: bool,
    #[serde(default)]
    pub variant_of: Option<PartId>,
    #[serde(default)]
    pub is_assembly: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub minimum_stock: Quantity,
}

fn yes() -> bool {
    true
}

impl PartInput {
    /// A plain active part with only a name.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ipn: None,
            description: String::new(),
            category_id: None,
            units: String::new(),
            is_template: false,
            variant_of: None,
            is_assembly: false,
            active: true,
            minimum_stock: Quantity::ZERO,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PartSort {
    #[default]
    Name,
    Ipn,
    InStock,
    Minimum,
    Category,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartQuery {
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    /// With `category_id`: also the parts of its sub-categories.
    #[serde(default)]
    pub include_subcategories: bool,
    /// Matches name, IPN or description (case-insensitive, anywhere).
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub low_only: bool,
    /// `Some(true)`: active parts only; `Some(false)`: inactive only.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub templates_only: bool,
    #[serde(default)]
    pub assemblies_only: bool,
    /// Only parts this user's subscriptions cover (directly, through a
    /// template above, or through a category above).
    #[serde(default)]
    pub watched_by: Option<UserId>,
    #[serde(default)]
    pub sort: PartSort,
    #[serde(default)]
    pub descending: bool,
    /// Zero-based page number.
    #[serde(default)]
    pub page: i64,
    #[serde(default = "default_page_size")]
    pub page_size: i64,
}

fn default_page_size() -> i64 {
    50
}

impl Default for PartQuery {
    fn default() -> Self {
        Self {
            category_id: None,
            include_subcategories: false,
            search: String::new(),
            low_only: false,
            active: None,
            templates_only: false,
            assemblies_only: false,
            watched_by: None,
            sort: PartSort::Name,
            descending: false,
            page: 0,
            page_size: default_page_size(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match in all pages.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

// ---------------------------------------------------------------- stock

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockItem {
    pub id: StockItemId,
    pub part_id: PartId,
    pub quantity: Quantity,
    /// `None`: not put anywhere yet.
    pub location: Option<LocationRef>,
    pub batch: String,
    /// When it came into the store (oldest is used first).
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStockItem {
    pub part_id: PartId,
    pub quantity: Quantity,
    /// Where it goes; an item of the part already there (same batch) grows
    /// instead of a new one being made.
    #[serde(default)]
    pub location_id: Option<LocationId>,
    #[serde(default)]
    pub batch: String,
    #[serde(default)]
    pub reason: String,
}

/// A change to one stock item's quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "quantity")]
pub enum StockAdjustment {
    Add(Quantity),
    Remove(Quantity),
    /// Set the quantity to what was counted.
    Count(Quantity),
}

stored_enum! {
    /// What a line of stock history records.
    pub enum StockChangeKind as "stock change" {
        Create = "create",
        Add = "add",
        Remove = "remove",
        Count = "count",
        Delete = "delete",
        /// Moved between locations (the part's total is unchanged).
        Transfer = "transfer",
        /// Combined with another item of the part (the total is unchanged).
        Merge = "merge",
        /// Used up by a build order.
        Consume = "consume",
        /// Made by a build order.
        Build = "build",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockHistoryEntry {
    pub id: i64,
    pub part_id: PartId,
    pub stock_item_id: Option<StockItemId>,
    pub user: Option<String>,
    pub kind: StockChangeKind,
    /// Signed change, as text: "+5", "-2.5".
    pub delta: String,
    pub quantity_after: Quantity,
    pub reason: String,
    pub at: String,
    /// The item's location path when it happened ("" for none).
    pub location: String,
    /// The build order that consumed or made it.
    pub build: Option<BuildRef>,
}

// ---------------------------------------------------------------- BOMs

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BomLine {
    pub id: BomLineId,
    pub assembly_id: PartId,
    pub sub_part: PartRef,
    pub quantity: Quantity,
    pub allow_variants: bool,
    /// The sub-part's stock (with its variants when the line allows them).
    pub in_stock: Quantity,
    /// `in_stock` less what open build orders reserve.
    pub available: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBomLine {
    pub assembly_id: PartId,
    pub sub_part_id: PartId,
    pub quantity: Quantity,
    #[serde(default)]
    pub allow_variants: bool,
}

// ---------------------------------------------------------------- welcome

/// What the welcome screen needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryStatus {
    /// Nothing has been created yet: offer the demo or an empty start.
    pub is_empty: bool,
    /// The user chose "Start empty" (so the welcome screen stays away).
    pub started_empty: bool,
    pub demo_loaded: bool,
    pub parts: i64,
    pub categories: i64,
}
