//! A booking's lifecycle.
//!
//! A booking's state has two independent parts:
//! - its [`BookingStatus`]: what happens to the stay (made, paid, failed, cancelled, the guest
//!   did not come). Only a [`BookingStatus::Confirmed`] booking holds rooms.
//! - its [`Refunds`]: money given back to the guest, requested by the property and settled by the
//!   platform's payment side (which can refuse it). A refund changes what the property keeps, not
//!   whether the guest comes: a confirmed booking that was partly refunded (a complaint, a
//!   discount after the fact) still holds its rooms.
//!
//! Every change is an [`BookingEvent`] applied with [`BookingState::apply`]; an event the state
//! does not allow is an [`InvalidTransition`] and changes nothing. Repeating the event that made
//! the current state (cancelling a cancelled booking, marking a no-show twice) is not an error but
//! [`Applied::Unchanged`], so a client that retries after a timeout gets the same answer twice.
//!
//! # On the wire
//! The contract's `bookingStatus` has one enum for both parts ([`BookingState::wire_status`]):
//!
//! | state | `bookingStatus` |
//! |---|---|
//! | Initialized | `INITIALIZED` |
//! | Confirmed | `PAYMENT_SUCCEEDED`, `TEST_PAYMENT_SUCCEEDED` for a test booking |
//! | PaymentFailed / Failed | `PAYMENT_FAILED` / `FAILED` |
//! | Cancelled | `CANCELLED` (`cancellation.cancellationType` says why) |
//! | NoShow | `CANCELLED` with `cancellation.cancellationType` `NO_SHOW` |
//! | anything partly / fully refunded | `PARTIALLY_REFUNDED` / `FULLY_REFUNDED` (`cancelled` and `cancellation` still tell whether the stay was cancelled) |
//!
//! A refund request waiting for the platform is not a status: the booking keeps its
//! `bookingStatus` and shows the request as its `refund` with `status` `PENDING`.

mod call_off;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use call_off::{CallOff, Refusal};

/// What happens to the stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BookingStatus {
    /// Made, payment not settled yet. Holds no rooms (a payment step would take them).
    Initialized,
    /// Made and paid (or a test booking): holds its rooms.
    Confirmed,
    /// The payment was refused. Final.
    PaymentFailed,
    /// The booking could not be completed. Final.
    Failed,
    /// Cancelled (by the property, the guest, the channel...). Its rooms were given back.
    Cancelled,
    /// The guest did not come. Its rooms were given back.
    NoShow,
}

/// How much of what was paid has been given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Refunded {
    #[default]
    Nothing,
    Partially,
    /// Everything the property kept is given back: no further refund is possible.
    Fully,
}

/// Refunds of a booking: what was given back, and whether a request waits for the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Refunds {
    pub refunded: Refunded,
    /// A refund request is waiting to be settled or declined (at most one at a time).
    pub pending: bool,
}

/// A booking's whole state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BookingState {
    pub status: BookingStatus,
    pub refunds: Refunds,
}

/// Something that happens to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingEvent {
    /// The payment of an initialized booking went through.
    PaymentSucceeded,
    /// The payment of an initialized booking was refused.
    PaymentFailed,
    /// An initialized booking could not be completed.
    Fail,
    /// The booking is cancelled.
    Cancel,
    /// The guest did not come.
    NoShow,
    /// The property asks the platform to give money back.
    RequestRefund,
    /// The platform declined the pending request.
    DeclineRefund,
    /// The platform gave back the pending request's amount; `full` when nothing is left to refund.
    SettleRefund { full: bool },
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The state changed to this one.
    Changed(BookingState),
    /// The event had already happened (a repeated cancel or no-show): nothing to do.
    Unchanged,
}

/// What a cancel request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The booking was confirmed and is now cancelled: release its rooms, apply the penalty.
    Cancelled,
    /// The booking was already cancelled (or a no-show): nothing to do. Not an error, so a client
    /// that retries a cancel after a timeout gets the same answer as the first time.
    AlreadyCancelled,
}

/// An event the booking's state does not allow. Nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(self.from, self.event))]
pub struct InvalidTransition {
    pub from: BookingState,
    pub event: BookingEvent,
}

fn describe(from: BookingState, event: BookingEvent) -> String {
    let what = match event {
        BookingEvent::PaymentSucceeded => "be paid",
        BookingEvent::PaymentFailed => "fail its payment",
        BookingEvent::Fail => "fail",
        BookingEvent::Cancel => "be cancelled",
        BookingEvent::NoShow => "be marked as a no-show",
        BookingEvent::RequestRefund => "be refunded",
        BookingEvent::DeclineRefund | BookingEvent::SettleRefund { .. } => {
            return format!("a {} booking has no pending refund request", from.status);
        }
    };
    if event == BookingEvent::RequestRefund {
        if from.refunds.pending {
            return "a refund request is already pending for this booking".into();
        }
        if from.refunds.refunded == Refunded::Fully {
            return "the booking is already fully refunded".into();
        }
    }
    format!("a {} booking cannot {what}", from.status)
}

impl BookingStatus {
    /// Whether `from → to` is a real change the lifecycle allows. Staying in the same status is
    /// not a transition.
    pub fn can_transition(from: BookingStatus, to: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (from, to),
            (Initialized, Confirmed | PaymentFailed | Failed | Cancelled)
                | (Confirmed, Cancelled | NoShow)
        )
    }

    /// Cancels, idempotently: see [`CancelOutcome`].
    pub fn cancel(self) -> Result<CancelOutcome, InvalidTransition> {
        match BookingState::new(self).apply(BookingEvent::Cancel)? {
            Applied::Changed(_) => Ok(CancelOutcome::Cancelled),
            Applied::Unchanged => Ok(CancelOutcome::AlreadyCancelled),
        }
    }

    /// Whether the booking holds rooms.
    pub fn holds_inventory(self) -> bool {
        matches!(self, BookingStatus::Confirmed)
    }

    /// Whether the stay was called off (cancelled or a no-show): `cancelled` on the wire.
    pub fn is_cancelled(self) -> bool {
        matches!(self, BookingStatus::Cancelled | BookingStatus::NoShow)
    }

    /// Whether money was taken for the booking (and can therefore be refunded).
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            BookingStatus::Confirmed | BookingStatus::Cancelled | BookingStatus::NoShow
        )
    }

    /// Whether nothing can happen to the booking any more.
    pub fn is_final(self) -> bool {
        matches!(self, BookingStatus::PaymentFailed | BookingStatus::Failed)
    }
}

impl BookingState {
    /// A booking in `status` with no refund.
    pub fn new(status: BookingStatus) -> BookingState {
        BookingState {
            status,
            refunds: Refunds::default(),
        }
    }

    /// The state after `event`, [`Applied::Unchanged`] for a repeat, or the refusal.
    pub fn apply(self, event: BookingEvent) -> Result<Applied, InvalidTransition> {
        use BookingStatus::*;
        let refuse = Err(InvalidTransition { from: self, event });
        let to = |status: BookingStatus| Ok(Applied::Changed(BookingState { status, ..self }));
        match (self.status, event) {
            (Initialized, BookingEvent::PaymentSucceeded) => to(Confirmed),
            (Initialized, BookingEvent::PaymentFailed) => to(PaymentFailed),
            (Initialized, BookingEvent::Fail) => to(Failed),
            (Initialized | Confirmed, BookingEvent::Cancel) => to(Cancelled),
            (Cancelled | NoShow, BookingEvent::Cancel) => Ok(Applied::Unchanged),
            (Confirmed, BookingEvent::NoShow) => to(NoShow),
            (NoShow, BookingEvent::NoShow) => Ok(Applied::Unchanged),
            (status, BookingEvent::RequestRefund)
                if status.is_paid()
                    && !self.refunds.pending
                    && self.refunds.refunded != Refunded::Fully =>
            {
                Ok(Applied::Changed(BookingState {
                    refunds: Refunds {
                        pending: true,
                        ..self.refunds
                    },
                    ..self
                }))
            }
            (_, BookingEvent::DeclineRefund) if self.refunds.pending => {
                Ok(Applied::Changed(BookingState {
                    refunds: Refunds {
                        pending: false,
                        ..self.refunds
                    },
                    ..self
                }))
            }
            (_, BookingEvent::SettleRefund { full }) if self.refunds.pending => {
                Ok(Applied::Changed(BookingState {
                    refunds: Refunds {
                        pending: false,
                        refunded: if full {
                            Refunded::Fully
                        } else {
                            Refunded::Partially
                        },
                    },
                    ..self
                }))
            }
            _ => refuse,
        }
    }

    /// Whether the state is one the lifecycle can reach: refunds only of paid bookings, a pending
    /// request never after a full refund.
    pub fn is_consistent(&self) -> bool {
        let refunds_ok = self.refunds == Refunds::default() || self.status.is_paid();
        let pending_ok = !(self.refunds.pending && self.refunds.refunded == Refunded::Fully);
        refunds_ok && pending_ok
    }

    /// The contract's `bookingStatus` for this state (see the module's table). `test`: a test
    /// booking, whose successful payment is `TEST_PAYMENT_SUCCEEDED`.
    pub fn wire_status(&self, test: bool) -> &'static str {
        use BookingStatus::*;
        match (self.status, self.refunds.refunded) {
            (Initialized, _) => "INITIALIZED",
            (PaymentFailed, _) => "PAYMENT_FAILED",
            (Failed, _) => "FAILED",
            (_, Refunded::Fully) => "FULLY_REFUNDED",
            (_, Refunded::Partially) => "PARTIALLY_REFUNDED",
            (Cancelled | NoShow, Refunded::Nothing) => "CANCELLED",
            (Confirmed, Refunded::Nothing) if test => "TEST_PAYMENT_SUCCEEDED",
            (Confirmed, Refunded::Nothing) => "PAYMENT_SUCCEEDED",
        }
    }

    /// The state a stored booking is in: its `bookingStatus`, the `cancellationType` recorded when
    /// it was cancelled (if it was) and its refunds. `None` for a status the contract does not
    /// have, or a combination the lifecycle cannot reach.
    pub fn from_wire(
        status: &str,
        cancellation_type: Option<&str>,
        refunds: Refunds,
    ) -> Option<BookingState> {
        let called_off = || match cancellation_type {
            Some("NO_SHOW") => BookingStatus::NoShow,
            Some(_) => BookingStatus::Cancelled,
            None => BookingStatus::Confirmed,
        };
        let (status, refunded) = match status {
            "INITIALIZED" => (BookingStatus::Initialized, Refunded::Nothing),
            "PAYMENT_FAILED" => (BookingStatus::PaymentFailed, Refunded::Nothing),
            "FAILED" => (BookingStatus::Failed, Refunded::Nothing),
            "TEST_PAYMENT_SUCCEEDED" | "PAYMENT_SUCCEEDED" if cancellation_type.is_none() => {
                (BookingStatus::Confirmed, Refunded::Nothing)
            }
            "CANCELLED" => match cancellation_type {
                Some("NO_SHOW") => (BookingStatus::NoShow, Refunded::Nothing),
                _ => (BookingStatus::Cancelled, Refunded::Nothing),
            },
            "PARTIALLY_REFUNDED" => (called_off(), Refunded::Partially),
            "FULLY_REFUNDED" => (called_off(), Refunded::Fully),
            _ => return None,
        };
        let state = BookingState {
            status,
            refunds: Refunds {
                refunded,
                pending: refunds.pending,
            },
        };
        state.is_consistent().then_some(state)
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BookingStatus::Initialized => "initialized",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::PaymentFailed => "payment-failed",
            BookingStatus::Failed => "failed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no-show",
        })
    }
}

/// What can still be given back to the guest: what the property keeps (`total`, or the penalty
/// of a booking that was called off) less what was already refunded, never below zero.
pub fn refundable(
    total: rust_decimal::Decimal,
    cancellation_penalty: Option<rust_decimal::Decimal>,
    refunded: rust_decimal::Decimal,
) -> rust_decimal::Decimal {
    (cancellation_penalty.unwrap_or(total) - refunded).max(rust_decimal::Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::BookingStatus::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refundable_is_what_the_property_keeps_less_what_was_given_back() {
        use rust_decimal::Decimal;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(refundable(d("300"), None, d("0")), d("300"));
        assert_eq!(refundable(d("300"), None, d("120.50")), d("179.50"));
        assert_eq!(refundable(d("300"), Some(d("100")), d("40")), d("60"));
        assert_eq!(refundable(d("300"), Some(d("0")), d("0")), d("0"));
        assert_eq!(refundable(d("300"), Some(d("100")), d("150")), d("0"));
    }

    const STATUSES: [BookingStatus; 6] = [
        Initialized,
        Confirmed,
        PaymentFailed,
        Failed,
        Cancelled,
        NoShow,
    ];

    #[test]
    fn status_transitions() {
        assert!(BookingStatus::can_transition(Confirmed, Cancelled));
        assert!(BookingStatus::can_transition(Confirmed, NoShow));
        assert!(BookingStatus::can_transition(Initialized, Confirmed));
        assert!(!BookingStatus::can_transition(Cancelled, Confirmed));
        assert!(!BookingStatus::can_transition(NoShow, Confirmed));
        assert!(!BookingStatus::can_transition(Cancelled, NoShow));
        assert!(!BookingStatus::can_transition(Confirmed, Confirmed));
        assert!(!BookingStatus::can_transition(Cancelled, Cancelled));
        for s in STATUSES {
            assert!(!BookingStatus::can_transition(PaymentFailed, s));
            assert!(!BookingStatus::can_transition(Failed, s));
        }
    }

    #[test]
    fn cancel_is_idempotent() {
        assert_eq!(Confirmed.cancel(), Ok(CancelOutcome::Cancelled));
        assert_eq!(Cancelled.cancel(), Ok(CancelOutcome::AlreadyCancelled));
        assert_eq!(NoShow.cancel(), Ok(CancelOutcome::AlreadyCancelled));
        assert!(Failed.cancel().is_err());
        assert!(PaymentFailed.cancel().is_err());
    }

    #[test]
    fn no_show_only_of_a_confirmed_booking() {
        let confirmed = BookingState::new(Confirmed);
        let Applied::Changed(no_show) = confirmed.apply(BookingEvent::NoShow).unwrap() else {
            panic!("a confirmed booking becomes a no-show");
        };
        assert_eq!(no_show.status, NoShow);
        assert_eq!(no_show.apply(BookingEvent::NoShow), Ok(Applied::Unchanged));
        let err = BookingState::new(Cancelled)
            .apply(BookingEvent::NoShow)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a cancelled booking cannot be marked as a no-show"
        );
        assert!(
            BookingState::new(Initialized)
                .apply(BookingEvent::NoShow)
                .is_err()
        );
    }

    #[test]
    fn refund_requests() {
        let confirmed = BookingState::new(Confirmed);
        let Applied::Changed(pending) = confirmed.apply(BookingEvent::RequestRefund).unwrap()
        else {
            panic!("a paid booking can ask for a refund");
        };
        assert!(pending.refunds.pending);
        assert_eq!(pending.status, Confirmed, "the stay is unchanged");
        assert_eq!(pending.wire_status(true), "TEST_PAYMENT_SUCCEEDED");
        assert_eq!(
            pending
                .apply(BookingEvent::RequestRefund)
                .unwrap_err()
                .to_string(),
            "a refund request is already pending for this booking"
        );
        // Settled in part: the booking still holds its rooms and can be refunded again.
        let Applied::Changed(partly) = pending
            .apply(BookingEvent::SettleRefund { full: false })
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(partly.wire_status(false), "PARTIALLY_REFUNDED");
        assert!(partly.status.holds_inventory());
        assert!(partly.apply(BookingEvent::RequestRefund).is_ok());
        // Cancelled and fully refunded: nothing more to give back.
        let Applied::Changed(cancelled) = partly.apply(BookingEvent::Cancel).unwrap() else {
            panic!()
        };
        let Applied::Changed(asked) = cancelled.apply(BookingEvent::RequestRefund).unwrap() else {
            panic!()
        };
        let Applied::Changed(full) = asked
            .apply(BookingEvent::SettleRefund { full: true })
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(full.wire_status(false), "FULLY_REFUNDED");
        assert_eq!(
            full.apply(BookingEvent::RequestRefund)
                .unwrap_err()
                .to_string(),
            "the booking is already fully refunded"
        );
        // Unpaid bookings have nothing to refund; nothing to decline without a request.
        for status in [Initialized, PaymentFailed, Failed] {
            assert!(
                BookingState::new(status)
                    .apply(BookingEvent::RequestRefund)
                    .is_err()
            );
        }
        assert_eq!(
            confirmed
                .apply(BookingEvent::DeclineRefund)
                .unwrap_err()
                .to_string(),
            "a confirmed booking has no pending refund request"
        );
    }

    #[test]
    fn wire_names() {
        let wire = |status, refunded, test| {
            BookingState {
                status,
                refunds: Refunds {
                    refunded,
                    pending: false,
                },
            }
            .wire_status(test)
        };
        assert_eq!(
            wire(Confirmed, Refunded::Nothing, true),
            "TEST_PAYMENT_SUCCEEDED"
        );
        assert_eq!(
            wire(Confirmed, Refunded::Nothing, false),
            "PAYMENT_SUCCEEDED"
        );
        assert_eq!(wire(Cancelled, Refunded::Nothing, true), "CANCELLED");
        assert_eq!(wire(NoShow, Refunded::Nothing, true), "CANCELLED");
        assert_eq!(
            wire(NoShow, Refunded::Partially, true),
            "PARTIALLY_REFUNDED"
        );
        assert_eq!(wire(Initialized, Refunded::Nothing, true), "INITIALIZED");
        assert_eq!(
            wire(PaymentFailed, Refunded::Nothing, true),
            "PAYMENT_FAILED"
        );
        assert_eq!(wire(Failed, Refunded::Nothing, true), "FAILED");
        let read = |s, t| BookingState::from_wire(s, t, Refunds::default()).map(|b| b.status);
        assert_eq!(read("TEST_PAYMENT_SUCCEEDED", None), Some(Confirmed));
        assert_eq!(read("CANCELLED", Some("NO_SHOW")), Some(NoShow));
        assert_eq!(read("CANCELLED", Some("DUPLICATE")), Some(Cancelled));
        assert_eq!(read("CANCELLED", None), Some(Cancelled));
        assert_eq!(
            read("PAYMENT_SUCCEEDED", Some("NO_SHOW")),
            None,
            "called off yet paid"
        );
        assert_eq!(read("CONFIRMED", None), None, "not a bookingStatus");
        assert_eq!(
            read("FULLY_REFUNDED", Some("CANCELLATION")),
            Some(Cancelled)
        );
    }

    #[test]
    fn serde_and_display_names() {
        assert_eq!(serde_json::to_string(&Cancelled).unwrap(), "\"CANCELLED\"");
        assert_eq!(serde_json::to_string(&NoShow).unwrap(), "\"NO_SHOW\"");
        assert_eq!(
            serde_json::from_str::<BookingStatus>("\"CONFIRMED\"").unwrap(),
            Confirmed
        );
        let err = BookingState::new(Failed)
            .apply(BookingEvent::Cancel)
            .unwrap_err();
        assert_eq!(err.to_string(), "a failed booking cannot be cancelled");
    }

    fn event() -> impl Strategy<Value = BookingEvent> {
        prop_oneof![
            Just(BookingEvent::PaymentSucceeded),
            Just(BookingEvent::PaymentFailed),
            Just(BookingEvent::Fail),
            Just(BookingEvent::Cancel),
            Just(BookingEvent::NoShow),
            Just(BookingEvent::RequestRefund),
            Just(BookingEvent::DeclineRefund),
            any::<bool>().prop_map(|full| BookingEvent::SettleRefund { full }),
        ]
    }

    fn start() -> impl Strategy<Value = BookingState> {
        prop_oneof![Just(Initialized), Just(Confirmed)].prop_map(BookingState::new)
    }

    proptest! {
        /// Whatever happens, in whatever order: every state reached is one the lifecycle defines,
        /// it reads back from its wire form, a refused event changes nothing, a booking called off
        /// never holds rooms again, a final one never changes, and a full refund stays full.
        #[test]
        fn no_sequence_leaves_the_lifecycle(
            initial in start(),
            events in proptest::collection::vec(event(), 0..40),
        ) {
            let mut state = initial;
            let mut called_off = false;
            for e in events {
                let before = state;
                match state.apply(e) {
                    Ok(Applied::Changed(next)) => {
                        prop_assert_ne!(next, before);
                        state = next;
                    }
                    Ok(Applied::Unchanged) => {
                        prop_assert!(matches!(e, BookingEvent::Cancel | BookingEvent::NoShow));
                        prop_assert!(state.status.is_cancelled());
                    }
                    Err(refused) => {
                        prop_assert_eq!(refused.from, before);
                        prop_assert!(!refused.to_string().is_empty());
                    }
                }
                prop_assert!(state.is_consistent(), "{:?}", state);
                if called_off {
                    prop_assert!(state.status.is_cancelled(), "{:?} came back", state);
                    prop_assert!(!state.status.holds_inventory());
                }
                called_off |= state.status.is_cancelled();
                if before.status.is_final() {
                    prop_assert_eq!(state, before);
                }
                if before.refunds.refunded == Refunded::Fully {
                    prop_assert_eq!(state.refunds.refunded, Refunded::Fully);
                }
                if state.status != before.status {
                    prop_assert!(BookingStatus::can_transition(before.status, state.status));
                }
                // The stored form (wire status + cancellation type) reads back to the same state.
                let cancellation = match state.status {
                    NoShow => Some("NO_SHOW"),
                    Cancelled => Some("CANCELLATION"),
                    _ => None,
                };
                let read = BookingState::from_wire(state.wire_status(true), cancellation, state.refunds);
                prop_assert_eq!(read, Some(state));
            }
        }
    }
}
