//! The events a booking's changes record (`booking.created`, `booking.cancelled`,
//! `booking.refund_requested`): [`crate::bookings`] and [`crate::refunds`] record them in the
//! transaction of the change, so every path that makes, cancels or asks a refund of a booking
//! (the API, sandbox test bookings, a direct call) reports it. Bookings loaded by
//! `import_bookings` (benchmarks, migrations of old data) are not news and record none.
//!
//! Their `data` is the booking's key fields, not its whole answer: identifiers, code, status,
//! stay, quantity and total, plus what the change was (the cancellation, the refund request). No
//! guest name or e-mail: events are kept for the retention period and sent to URLs the property
//! chose, and a receiver reads the rest with `show-hotel-booking` (which `booking.read`, the
//! scope of these events, allows).

use crate::Amount;
use crate::bookings::{Booking, Cancellation};
use crate::events::{self, NewEvent};
use crate::refunds::Refund;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

fn money(amount: Amount, currency: &str) -> Value {
    json!({ "amount": amount.0.normalize().to_string(), "currency": currency })
}

/// The key fields of `b`.
fn booking_data(b: &Booking) -> serde_json::Map<String, Value> {
    let data = json!({
        "bookingIdentifier": b.id,
        "bookingCode": b.code,
        "creation": b.creation,
        "bookingStatus": b.status,
        "arrivalDate": b.arrival,
        "departureDate": b.departure,
        "quantity": b.quantity,
        "roomTypeIdentifier": b.room_type_id,
        "ratePlanIdentifier": b.rate_plan_id,
        "masterRateIdentifier": b.master_rate_id,
        "salesChannelIdentifier": b.sales_channel_id,
        "total": money(b.total, &b.currency),
    });
    match data {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// `booking.created` of `b`, at its creation.
pub(crate) fn created(b: &Booking) -> NewEvent {
    NewEvent::new(
        b.property_id,
        events::BOOKING_CREATED,
        Value::Object(booking_data(b)),
        b.created_at,
    )
}

/// `booking.cancelled` of `b` (as cancelled) by `c`.
pub(crate) fn cancelled(b: &Booking, c: &Cancellation) -> NewEvent {
    let mut data = booking_data(b);
    data.insert(
        "cancellation".into(),
        json!({
            "cancellationType": c.cancellation_type,
            "reason": c.reason,
            "penalty": money(c.penalty, &b.currency),
            "cancelledAt": c.at,
        }),
    );
    NewEvent::new(
        b.property_id,
        events::BOOKING_CANCELLED,
        Value::Object(data),
        c.at,
    )
}

/// `booking.refund_requested` of `b` for `r`.
pub(crate) fn refund_requested(b: &Booking, r: &Refund, at: DateTime<Utc>) -> NewEvent {
    let mut data = booking_data(b);
    data.insert(
        "refund".into(),
        json!({
            "refundIdentifier": r.id,
            "amount": money(r.amount, &r.currency),
            "reason": r.reason,
            "status": r.status,
        }),
    );
    NewEvent::new(
        b.property_id,
        events::BOOKING_REFUND_REQUESTED,
        Value::Object(data),
        at,
    )
}
