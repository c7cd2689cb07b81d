//! Area "property": registration, the property itself, its recognitions and announcements,
//! and its guests' reviews.

pub(crate) mod announcement;
pub(crate) mod channel_manager;
pub(crate) mod codes;
pub(crate) mod general_manager;
pub(crate) mod geo_location;
pub(crate) mod lifestyle;
pub(crate) mod media;
pub(crate) mod policy;
pub(crate) mod recognition;
pub mod record;
pub(crate) mod registration;
pub(crate) mod review;
pub(crate) mod show;
pub(crate) mod social_network;
pub mod time_zone;
pub(crate) mod welcome_text;
pub(crate) mod writing_help;
