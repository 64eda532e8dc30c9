pub mod bell;
pub mod centre;
pub mod dialog;
pub mod error;
pub mod header;
pub mod icons;
pub mod toast;
