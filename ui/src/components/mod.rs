pub mod bell;
pub mod dialog;
pub mod header;
pub mod icons;
