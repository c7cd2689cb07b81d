//! Area "property": registration, the property itself, its recognitions and announcements,
//! and its guests' reviews.

pub(crate) mod announcement;
pub(crate) mod codes;
pub(crate) mod recognition;
pub(crate) mod registration;
pub(crate) mod review;
pub(crate) mod show;
pub mod time_zone;
