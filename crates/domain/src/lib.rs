//! Pure rules of the supplier domain: money and currencies, currency conversion, stay
//! dates, occupancy, the daily rate and availability calendar, rate-plan restrictions,
//! promotions, pricing, cancellation penalties in the property's time zone, and booking
//! states.
//!
//! No I/O, no async, no clock: every rule takes what it needs (the booking date, the
//! property's time zone, the calendar records) as arguments, so each is a plain function
//! that unit and property tests can pin down.

pub mod announcement;
pub mod booking;
pub mod calendar;
pub mod cancellation;
pub mod channel;
pub mod channel_inventory;
pub mod channel_request;
pub mod charge;
pub mod confirmation_limit;
pub mod date_window;
pub mod email_address;
pub mod error;
pub mod fx;
pub mod geo;
pub mod invitation_limit;
pub mod mail;
pub mod media;
pub mod money;
pub mod occupancy;
pub mod outbox;
pub mod pricing;
pub mod promotion;
pub mod property_record;
pub mod rate_plan;
pub mod rate_provider;
pub mod recognition;
pub mod sales_metrics;
pub mod schedule;
pub mod signing_keys;
pub mod stay;
pub mod throttle;
pub mod unavailable;
pub mod webhook;
pub mod writing;

pub use booking::{
    Applied, BookingEvent, BookingState, BookingStatus, CallOff, CancelOutcome, InvalidTransition,
    Refunded, Refunds, Refusal,
};
pub use calendar::{NightAvailability, NightRate, check_calendar};
pub use cancellation::{
    AfterDeadlineCharge, CancellationPolicy, FreeCancellation, NoShowCharge, NonRefundableCharge,
    NonRefundableDeadline, PenaltySchedule, PenaltyTier, RefundableCharge,
};
pub use charge::VariableCharge;
pub use date_window::DateWindow;
pub use error::DomainError;
pub use fx::{ExchangeRates, FxQuote, Localized};
pub use money::{Currency, Money};
pub use occupancy::{RoomCapacity, RoomRequest};
pub use pricing::{
    Adjustment, AppliedOffer, OfferRef, PricedFee, PricedNight, Quote, QuoteRequest, quote,
    quote_with_offers,
};
pub use promotion::{
    Booker, Bundle, BundleOverride, NotApplicable, Offers, PricingType, Promotion, PromotionKind,
    Qualifiers,
};
pub use rate_plan::{DaysOfWeek, FeeKind, RatePlanFee, RatePlanRules};
pub use stay::{DateRange, Stay};
pub use unavailable::Unavailable;

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    pub fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    pub fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }
}
