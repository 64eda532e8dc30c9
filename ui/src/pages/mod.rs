pub mod bom;
pub mod builds;
pub mod category;
pub mod home;
pub mod notifications;
pub mod part;
pub mod parts;
pub mod settings;
