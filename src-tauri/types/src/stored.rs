//! Enums that are stored as text: one mapping between a variant and its
//! stored name, used by serde (IPC), by the database (with the `sqlx`
//! feature) and by the UI's `<select>`s. A stored name the code does not know
//! is an error that names the enum and the value — never a guess.
//!
//! The schema's `CHECK (column IN (…))` lists are the other spelling of the
//! same names (migrations are never edited); the core's
//! `every_stored_enum_matches_its_columns_check_constraint` test keeps the two
//! equal. SQL that must match a partial index (`status = 'pending'`) keeps the
//! name as a literal, since a bound parameter would not use the index.

/// Counts the variants given to [`stored_enum!`].
macro_rules! count {
    () => { 0usize };
    ($head:ident $($tail:ident)*) => { 1usize + $crate::stored::count!($($tail)*) };
}

/// The `sqlx::Type` (with the `sqlx` feature) of `$name`, which is stored
/// as `$stored`: an id as `i64`, a stored enum as `String`.
macro_rules! sqlx_type_as {
    ($name:ident, $stored:ty) => {
        #[cfg(feature = "sqlx")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            $stored: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <$stored as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <$stored as sqlx::Type<DB>>::compatible(ty)
            }
        }
    };
}

/// Declares an enum whose variants are stored (and sent) as the given names;
/// with a label after each name (`Email = "email" => "Email",`), also its
/// `label`, how the UI names a variant.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal => $label:literal,)+
        }
    ) => {
        $crate::stored::stored_enum! {
            $(#[$meta])*
            pub enum $name as $what {
                $($(#[$vmeta])* $variant = $text,)+
            }
        }

        impl $name {
            /// How the UI names it.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; $crate::stored::count!($($variant)+)] = [$($name::$variant),+];

            /// The name it is stored and sent as.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The variant stored as `text`, if there is one.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Reads a stored name; an unknown one is an error naming the value.
            pub fn from_stored(text: &str) -> Result<Self, $crate::stored::UnknownStoredValue> {
                Self::parse(text).ok_or_else(|| $crate::stored::UnknownStoredValue {
                    what: $what,
                    value: text.to_owned(),
                })
            }
        }

        $crate::stored::sqlx_type_as!($name, String);

        #[cfg(feature = "sqlx")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok(Self::from_stored(text)?)
            }
        }
    };
}

pub(crate) use {count, sqlx_type_as, stored_enum};

/// A stored enum value this version of Partwatch does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStoredValue {
    /// What the value should have been ("notification kind").
    pub what: &'static str,
    /// The value found.
    pub value: String,
}

impl std::fmt::Display for UnknownStoredValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.value)
    }
}

impl std::error::Error for UnknownStoredValue {}
