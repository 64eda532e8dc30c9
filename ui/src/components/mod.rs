pub mod bell;
pub mod centre;
pub mod dialog;
pub mod header;
pub mod icons;
pub mod toast;
