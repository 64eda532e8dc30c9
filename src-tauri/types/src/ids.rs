//! Ids of the things Partwatch stores. On the wire (IPC, JSON) and in the
//! database an id is a plain integer.

/// A person who watches parts.
pub type UserId = i64;
/// A node of the category tree.
pub type CategoryId = i64;
/// A part (template, variant or plain).
pub type PartId = i64;
/// One stock item of a part (a quantity at a location, in a batch).
pub type StockItemId = i64;
/// One line of an assembly's bill of materials.
pub type BomLineId = i64;
/// A build order.
pub type BuildOrderId = i64;
/// A notification in someone's inbox or history.
pub type NotificationId = i64;
/// One row of the delivery log.
pub type DeliveryId = i64;
/// A configured webhook.
pub type WebhookId = i64;
