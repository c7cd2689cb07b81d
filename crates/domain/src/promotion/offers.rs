//! What a quote with promotions needs besides the [`QuoteRequest`](crate::pricing::QuoteRequest).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{Booker, Bundle, Promotion};

/// The property's promotions and bundles, who books, and which product is quoted.
///
/// The booking DATE of every date rule (sell dates, advance booking) is the quote request's
/// `booked_on`, as for rate plans; `booked_at` is only read by the last-minute qualifier and
/// must be the instant whose property-local date is `booked_on`.
#[derive(Debug, Clone, Copy)]
pub struct Offers<'a> {
    /// The property's promotions; disabled ones may be included, they never apply.
    pub promotions: &'a [Promotion],
    /// The property's bundles; their items are looked up in `promotions` by id.
    pub bundles: &'a [Bundle],
    pub booker: &'a Booker,
    /// The master rate (room type × rate plan) being quoted.
    pub master_rate_id: Uuid,
    pub rate_plan_id: Uuid,
    /// The booking instant.
    pub booked_at: DateTime<Utc>,
    /// The property's time zone.
    pub zone: Tz,
    /// Rooms of the whole booking, all room configurations together (the room-range
    /// qualifier counts these). Never taken as fewer than the quoted request's quantity.
    pub rooms_in_booking: u32,
    /// Promotions and bundles the property switched off on the sales channel being quoted:
    /// they do not apply there, on their own or (a promotion) as a bundle's item.
    pub switched_off: &'a [Uuid],
}
