//! Area "property": registration and the property itself.

pub(crate) mod codes;
pub(crate) mod general_manager;
pub(crate) mod media;
pub(crate) mod registration;
pub(crate) mod show;
pub mod time_zone;
