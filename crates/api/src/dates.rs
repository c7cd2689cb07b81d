//! Dates as a property sees them: its calendar is in its own time zone.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use wink_store::properties::PropertyRef;

/// The property's zone (UTC if the stored name were ever unreadable, which registration prevents).
pub fn zone(property: &PropertyRef) -> Tz {
    property.time_zone.parse().unwrap_or(Tz::UTC)
}

/// Today's date at the property.
pub fn today_at(property: &PropertyRef) -> NaiveDate {
    Utc::now().with_timezone(&zone(property)).date_naive()
}
