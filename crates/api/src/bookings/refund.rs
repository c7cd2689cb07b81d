//! Refund requests: the property asks the platform to give money back to the guest.
//!
//! A request is recorded PENDING and waits for the platform's payment side, which settles or
//! declines it; this server has no payment side, so its requests stay PENDING (test bookings move
//! no money). `cancelOnRefund` is recorded and applies when the request is settled, not now.

use axum::extract::State;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    Booking as WireBooking, BookingRefund, BookingRefundCancelOnRefund, BookingRefundReason,
    BookingRefundRequestor, BookingRefundStatus, PropertyBookingRefundRequest,
};
use wink_domain::BookingEvent;
use wink_domain::money::{Currency, Money};
use wink_store::bookings::Booking;
use wink_store::refunds::{self, Refund};

use super::booking_answer::{self, Extras};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Ask the platform to refund part of what the property keeps from a booking. The request is
/// recorded PENDING (shown as the booking's `refund`, `hasRefunds` true); the booking's status
/// does not change. The booking must have been paid (confirmed, cancelled or a no-show, test
/// bookings included), have no other pending request and not be fully refunded (409); `refund`
/// must be in the booking's currency, above zero, in the currency's minor units and at most what
/// the property keeps (the total, or the cancellation penalty once cancelled, less what was
/// already refunded) (400 naming the field). `If-Match` (or `version`) guards against a booking
/// that changed since it was read.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/request-refund",
    operation_id = "request-refund", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path)),
    request_body = PropertyBookingRefundRequest,
    responses((status = 200, body = WireBooking), Problems))]
pub async fn request_refund(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<PropertyBookingRefundRequest>,
) -> Result<Resource<WireBooking>, ApiError> {
    let booking_id = id(&ids.1)?;
    let row = state.store.booking(ctx.property.id, booking_id).await?;
    let expected = Expected::new(if_match, body.version);
    if expected.version().is_some_and(|v| v != row.version) {
        return Err(expected.refuse_stale(row.version));
    }
    let extras = Extras::of(&state.store, booking_id).await?;
    booking_answer::state(&row, &extras.refunds)?
        .apply(BookingEvent::RequestRefund)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;

    let req = &body.value;
    let description = req.description.trim();
    if description.is_empty() {
        return Err(ApiError::field("/description", "must not be blank"));
    }
    if req.refund.currency != row.currency {
        return Err(ApiError::field(
            "/refund/currency",
            format!("must be the booking's currency, {}", row.currency),
        ));
    }
    let currency = Currency::parse(&row.currency)
        .map_err(|e| ApiError::Internal(format!("booking {} currency: {e:?}", row.id)))?;
    let asked = Money::new(req.refund.amount, currency);
    if asked.amount <= Decimal::ZERO {
        return Err(ApiError::field("/refund/amount", "must be more than 0"));
    }
    if !asked.is_rounded() {
        return Err(ApiError::field(
            "/refund/amount",
            format!(
                "at most {} decimal places in {}",
                currency.minor_units(),
                row.currency
            ),
        ));
    }
    let refundable = refundable(&row, &extras.refunds);
    if refundable <= Decimal::ZERO {
        return Err(ApiError::Conflict(
            "nothing to refund: the property keeps nothing from this booking".into(),
        ));
    }
    if asked.amount > refundable {
        return Err(ApiError::field(
            "/refund/amount",
            format!(
                "at most {} {}: what the property keeps from this booking",
                refundable.normalize(),
                row.currency
            ),
        ));
    }
    let refund = Refund {
        id: Uuid::new_v4(),
        booking_id,
        amount: asked.amount.into(),
        currency: row.currency.clone(),
        reason: req.r#type.as_str().to_string(),
        description: description.to_string(),
        cancel_on_refund: req.cancel_on_refund.as_str().to_string(),
        status: refunds::PENDING.into(),
        requested_by: ctx.caller.client_id,
        created_at: state.now(),
        processed_at: None,
        response: None,
    };
    let row = state
        .store
        .request_refund(ctx.property.id, booking_id, row.version, &refund)
        .await
        .map_err(|e| expected.refuse(e))?;
    let answer = booking_answer::answer(&state, &ctx.property, &row).await?;
    Ok(Resource::ok(answer, row.version))
}

/// What can still be refunded of a stored booking (the domain's rule, `booking::refundable`),
/// counting its settled refunds.
pub fn refundable(row: &Booking, refunds: &[Refund]) -> Decimal {
    let penalty = row
        .penalty
        .filter(|_| row.cancelled_at.is_some())
        .map(|p| p.0);
    let given: Decimal = refunds
        .iter()
        .filter(|r| r.status == refunds::SUCCEEDED)
        .map(|r| r.amount.0)
        .sum();
    wink_domain::booking::refundable(row.total.0, penalty, given)
}

fn parse<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_value(Value::String(text.to_string())).unwrap_or_default()
}

/// A stored request as the booking's `refund`.
pub fn wire_refund(r: &Refund) -> BookingRefund {
    let amount = r.amount.0.normalize();
    BookingRefund {
        identifier: r.id,
        stripe_refund_id: None,
        source_amount: amount,
        internal_amount: amount,
        display_amount: amount,
        description: r.description.clone(),
        reason: parse::<BookingRefundReason>(&r.reason),
        status: parse::<BookingRefundStatus>(&r.status),
        requestor: BookingRefundRequestor::BySupplier,
        created_date: r.created_at,
        processed_date: r.processed_at,
        receipt_url: None,
        stripe_refund_fee: None,
        cancel_on_refund: Some(parse::<BookingRefundCancelOnRefund>(&r.cancel_on_refund)),
        response: r.response.clone(),
    }
}
