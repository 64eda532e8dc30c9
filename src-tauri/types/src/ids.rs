//! Ids of the things Partwatch stores, one type each, so a category id can
//! never be passed where a part id is meant. On the wire (IPC, JSON) an id is
//! a plain number; in the database an `INTEGER` (with the `sqlx` feature).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_types {
    ($($(#[$meta:meta])* $name:ident,)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number the database knows it by.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }

        $crate::stored::sqlx_type_as!($name, i64);

        #[cfg(feature = "sqlx")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            i64: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<'q, DB>>::encode_by_ref(&self.0, buf)
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            i64: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<'r, DB>>::decode(value).map($name)
            }
        }
    )+};
}

id_types! {
    /// A person who watches parts.
    UserId,
    /// A node of the category tree.
    CategoryId,
    /// A part (template, variant or plain).
    PartId,
    /// One stock item of a part (a quantity at a location, in a batch).
    StockItemId,
    /// A place in the store's location tree (Store › Shelf B › Drawer A3).
    LocationId,
    /// One line of an assembly's bill of materials.
    BomLineId,
    /// A build order.
    BuildOrderId,
    /// A notification in someone's inbox or history.
    NotificationId,
    /// One row of the delivery log.
    DeliveryId,
    /// A configured webhook.
    WebhookId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_number_on_the_wire() {
        assert_eq!(serde_json::to_string(&PartId(42)).expect("json"), "42");
        let back: CategoryId = serde_json::from_str("7").expect("json");
        assert_eq!(back, CategoryId(7));
        assert_eq!("15".parse::<BuildOrderId>(), Ok(BuildOrderId(15)));
        assert!("x15".parse::<BuildOrderId>().is_err());
        assert_eq!(PartId(3).to_string(), "3");
    }
}
