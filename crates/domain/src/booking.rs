//! A booking's lifecycle.
//!
//! Today a booking is `Confirmed` or `Cancelled`. A later issue adds no-show and refund
//! states: they go into [`BookingStatus`] and [`BookingStatus::can_transition`], and
//! [`BookingStatus::cancel`] already returns a `Result` so a state that cannot be
//! cancelled (a no-show, a refunded booking) can refuse without changing its callers.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BookingStatus {
    Confirmed,
    Cancelled,
}

/// What a cancel request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The booking was confirmed and is now cancelled: release its rooms, apply the penalty.
    Cancelled,
    /// The booking was already cancelled: nothing to do. Not an error, so a client that
    /// retries a cancel after a timeout gets the same answer as the first time.
    AlreadyCancelled,
}

/// A status change the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from} booking cannot become {to}")]
pub struct InvalidTransition {
    pub from: BookingStatus,
    pub to: BookingStatus,
}

impl BookingStatus {
    /// Whether `from → to` is a real change the lifecycle allows. Staying in the same
    /// status is not a transition.
    pub fn can_transition(from: BookingStatus, to: BookingStatus) -> bool {
        matches!(
            (from, to),
            (BookingStatus::Confirmed, BookingStatus::Cancelled)
        )
    }

    /// Cancels, idempotently: see [`CancelOutcome`].
    pub fn cancel(self) -> Result<CancelOutcome, InvalidTransition> {
        match self {
            BookingStatus::Cancelled => Ok(CancelOutcome::AlreadyCancelled),
            from if BookingStatus::can_transition(from, BookingStatus::Cancelled) => {
                Ok(CancelOutcome::Cancelled)
            }
            from => Err(InvalidTransition {
                from,
                to: BookingStatus::Cancelled,
            }),
        }
    }

    /// Whether the booking still holds rooms.
    pub fn holds_inventory(self) -> bool {
        matches!(self, BookingStatus::Confirmed)
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Cancelled => "cancelled",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::BookingStatus::*;
    use super::*;

    #[test]
    fn only_confirmed_to_cancelled_is_allowed() {
        assert!(BookingStatus::can_transition(Confirmed, Cancelled));
        assert!(!BookingStatus::can_transition(Cancelled, Confirmed));
        assert!(!BookingStatus::can_transition(Confirmed, Confirmed));
        assert!(!BookingStatus::can_transition(Cancelled, Cancelled));
    }

    #[test]
    fn cancel_is_idempotent() {
        assert_eq!(Confirmed.cancel(), Ok(CancelOutcome::Cancelled));
        assert_eq!(Cancelled.cancel(), Ok(CancelOutcome::AlreadyCancelled));
    }

    #[test]
    fn only_confirmed_bookings_hold_rooms() {
        assert!(Confirmed.holds_inventory());
        assert!(!Cancelled.holds_inventory());
    }

    #[test]
    fn serde_and_display_names() {
        assert_eq!(serde_json::to_string(&Cancelled).unwrap(), "\"CANCELLED\"");
        assert_eq!(
            serde_json::from_str::<BookingStatus>("\"CONFIRMED\"").unwrap(),
            Confirmed
        );
        let err = InvalidTransition {
            from: Cancelled,
            to: Confirmed,
        };
        assert_eq!(
            err.to_string(),
            "a cancelled booking cannot become confirmed"
        );
    }
}
