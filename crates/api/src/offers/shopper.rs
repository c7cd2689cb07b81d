//! Who books, when, and in which currencies: what an offer is priced for besides the stay.

use chrono::{DateTime, NaiveDate, Utc};
use wink_domain::cancellation::start_of_day;
use wink_domain::money::Currency;
use wink_domain::promotion::Booker;
use wink_store::properties::PropertyRef;

use crate::error::ApiError;
use crate::fx::Currencies;
use crate::state::AppState;

/// Who books, and when: what promotions are checked against besides the stay.
#[derive(Debug, Clone)]
pub struct Shopper {
    pub booker: Booker,
    /// The booking instant (the last-minute qualifier reads it).
    pub booked_at: DateTime<Utc>,
    /// Its property-local date, or the request's `bookingDate` (every date rule reads it).
    pub booked_on: NaiveDate,
    /// Rooms of the whole request, every room configuration together.
    pub rooms_in_booking: u32,
}

/// The currencies of a request for `currency` (its JSON pointer is `field`) at a property.
pub async fn currencies(
    state: &AppState,
    property: &PropertyRef,
    currency: &str,
    field: &str,
    at: DateTime<Utc>,
) -> Result<Currencies, ApiError> {
    let source = Currency::parse(&property.currency)
        .map_err(|e| ApiError::Internal(format!("property {} currency: {e:?}", property.id)))?;
    state
        .fx
        .currencies(&state.store, source, currency, field, at)
        .await
}

/// The booking instant for promotions: now, or for another `booked_on` the same wall-clock time
/// at the property on that date (its start when that time does not exist there).
pub fn booked_at(
    property: &PropertyRef,
    booked_on: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    if booked_on == today {
        return now;
    }
    let zone = crate::dates::zone(property);
    let local = booked_on.and_time(now.with_timezone(&zone).time());
    match local.and_local_timezone(zone) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.with_timezone(&Utc)
        }
        chrono::LocalResult::None => start_of_day(zone, booked_on),
    }
}
