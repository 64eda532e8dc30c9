pub mod header;
pub mod icons;
