//! Cancellation policies and the dated penalty schedule they give a booking, in the
//! PROPERTY'S time zone.
//!
//! # Decisions
//! - "N days before arrival" means free (or the earlier charge) until the END of the day N
//!   days before the arrival day, property-local: arrival 10 June with ONE_DAY_BEFORE is free
//!   until 9 June 24:00 = 10 June 00:00 local; SEVEN_DAYS_BEFORE until 4 June 00:00 local.
//! - "Until 18:00 / 14:00 on the day of arrival" means until that local time on the arrival day.
//! - Refundable: free until the free-cancellation deadline; with no rule, until the start of
//!   the arrival day (so no rule is the same as ONE_DAY_BEFORE). From the deadline to the
//!   start of the arrival day the refundable charge applies (ONE_HUNDRED_PERCENT when unset).
//!   From the start of the arrival day, or from an 18:00/14:00 deadline if later, the no-show
//!   charge applies: SAME_AS_CANCELLATION_FEE (and unset) = the refundable charge,
//!   ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE = the total.
//! - Non-refundable: the non-refundable charge (ONE_HUNDRED_PERCENT when unset) from booking
//!   until the non-refundable deadline, then the after-deadline charge (ONE_HUNDRED_PERCENT when
//!   unset). Without a deadline the first charge holds until the stay; there is no separate
//!   no-show charge (the contract ties it to the refundable charge).
//! - FIRST_NIGHT = the first night's price of every room; percentages are of the booking
//!   total. Every penalty is rounded once and is never above the total.
//! - Cancelling later never costs less: each tier charges at least the tier before it (this
//!   matters when FIRST_NIGHT is followed by a percentage that happens to be smaller). This is
//!   decided on the policy's whole timeline, so the penalty at an instant does not depend on
//!   when the booking was made.
//! - Local deadlines become UTC instants with the property's tz database zone; DST gaps and
//!   overlaps are resolved as `local_time` documents (earlier instant when ambiguous, end of
//!   the gap when non-existent).
//!
//! `validate` refuses combinations that make no sense; `schedule` reads only the fields of
//! the policy's own kind (refundable or not), so it never fails.

mod local_time;
mod policy;
mod schedule;
mod terms;

pub use local_time::{local_date, local_to_utc, start_of_day};
pub use policy::CancellationPolicy;
pub use schedule::{PenaltySchedule, PenaltyTier};
pub use terms::{
    AfterDeadlineCharge, FreeCancellation, NoShowCharge, NonRefundableCharge,
    NonRefundableDeadline, RefundableCharge,
};
