//! Dates as a property sees them: its calendar is in its own time zone, and a request may name
//! only dates in a window around today there (`ApiConfig::date_window_*`).

use chrono::NaiveDate;
use chrono_tz::Tz;
use wink_contract::FieldError;
use wink_domain::DateWindow;
use wink_store::properties::PropertyRef;

use crate::error::ApiError;
use crate::state::ApiConfig;

/// The property's zone.
pub fn zone(property: &PropertyRef) -> Tz {
    zone_named(&property.time_zone)
}

/// A property's stored zone name as a zone (UTC if it were ever unreadable, which registration
/// prevents).
pub fn zone_named(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The dates a request may name, for a property whose today is `today`: `config`'s window.
pub fn window(config: &ApiConfig, today: NaiveDate) -> DateWindow {
    DateWindow::around(
        today,
        config.date_window_past_days,
        config.date_window_future_days,
    )
}

/// The one check of a request's dates against the window: every `(JSON pointer, date)` outside
/// it is named in one 400 problem, so a client fixes them all at once.
pub fn within(
    window: &DateWindow,
    dates: impl IntoIterator<Item = (String, NaiveDate)>,
) -> Result<(), ApiError> {
    let refused: Vec<FieldError> = dates
        .into_iter()
        .filter_map(|(field, date)| outside(window, field, date))
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(refused))
    }
}

/// `date` at `field` as a refusal when it is outside `window` (for checks that gather their
/// refusals themselves, such as the grid parser).
pub fn outside(window: &DateWindow, field: String, date: NaiveDate) -> Option<FieldError> {
    window.check(date).err().map(|e| FieldError {
        field,
        message: e.message().to_string(),
    })
}
