//! Area "property": registration and the property itself.

pub(crate) mod channel_manager;
pub(crate) mod codes;
pub(crate) mod registration;
pub(crate) mod show;
pub mod time_zone;
pub(crate) mod writing_help;
