//! Area "property": registration and the property itself.

pub(crate) mod codes;
pub(crate) mod general_manager;
pub(crate) mod geo_location;
pub(crate) mod lifestyle;
pub(crate) mod policy;
pub mod record;
pub(crate) mod registration;
pub(crate) mod show;
pub(crate) mod social_network;
pub mod time_zone;
pub(crate) mod welcome_text;
