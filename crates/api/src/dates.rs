//! Dates as a property sees them: its calendar is in its own time zone.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use wink_store::properties::PropertyRef;

/// The property's zone.
pub fn zone(property: &PropertyRef) -> Tz {
    zone_named(&property.time_zone)
}

/// A property's stored zone name as a zone (UTC if it were ever unreadable, which registration
/// prevents).
pub fn zone_named(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// Today's date at the property.
pub fn today_at(property: &PropertyRef) -> NaiveDate {
    today_in(zone(property))
}

/// Today's date in `zone`.
pub fn today_in(zone: Tz) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}
