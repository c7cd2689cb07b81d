//! Notifications of bookings, and "resend the confirmation".
//!
//! What a client asks to be told to someone (a test booking's `notification` flags, a resend) is
//! recorded in the notification outbox (`notifications` table: kind, recipient, who asked and
//! when), in the transaction of the request; the outbox's worker (`crate::outbound`) mails it when
//! `[smtp]` is configured (`crate::mail`). The booking answers list them in
//! `metadata.notifications`, each with `status` RECORDED until it is SENT.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::{BookingTestNotification, BooleanResponse, EmptyRequestBody};
use wink_domain::{CallOff, confirmation_limit};
use wink_store::bookings::Booking;
use wink_store::notifications::{
    BOOKING_CANCELLATION, BOOKING_CONFIRMATION, BOOKING_NOTICE, Notification,
};
use wink_store::properties::Property;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::state::AppState;
use crate::validation::ValidJson;

/// Record the booking's confirmation again for its guest (kind BOOKING_CONFIRMATION, to the
/// guest's e-mail). Nothing is delivered by this server: the notification waits in the outbox for
/// the deployment's mail relay, and the booking lists it in `metadata.notifications`. Any booking
/// can be confirmed again; a cancelled booking's confirmation says it is cancelled.
///
/// The recipient is always the e-mail the booking was made with (the request has no body to name
/// another). A guest gets at most 5 confirmations of a booking in any 24 hours; beyond, 429
/// with `Retry-After`.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/resend",
    operation_id = "resend-booking-confirmation-email", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path)),
    request_body = EmptyRequestBody,
    responses((status = 200, body = BooleanResponse), Problems,
        (status = 429, description = "The booking's guest already got as many confirmations as \
            allowed in 24 hours; retry after `Retry-After` seconds.",
            content_type = "application/problem+json", body = wink_contract::ProblemDetail)))]
pub async fn resend_booking_confirmation_email(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    _body: ValidJson<Value>,
) -> Result<axum::Json<BooleanResponse>, ApiError> {
    let row = state.store.booking(ctx.property.id, id(&ids.1)?).await?;
    // The bound is `wink_domain::confirmation_limit`, counted in the outbox under the booking's
    // row lock, so it holds across nodes and concurrent requests.
    let note = Notification {
        id: Uuid::new_v4(),
        property_id: row.property_id,
        booking_id: Some(row.id),
        kind: BOOKING_CONFIRMATION.into(),
        recipient: row.guest_email.clone(),
        requested_by: ctx.caller.client_id,
        requested_at: state.now(),
        sent_at: None,
    };
    state
        .store
        .record_notification_if(
            &note,
            confirmation_limit::counted_since(note.requested_at),
            |recorded| confirmation_limit::check(recorded, note.requested_at),
        )
        .await?
        .map_err(|retry_after_seconds| ApiError::TooManyRequests {
            message: format!(
                "the guest of booking {} already got {} confirmations in {} hours; retry later",
                row.code,
                confirmation_limit::MAX_CONFIRMATIONS,
                confirmation_limit::WINDOW_HOURS
            ),
            retry_after_seconds,
        })?;
    Ok(axum::Json(BooleanResponse {
        success: Some(true),
        message: Some(format!(
            "the confirmation of booking {} for {} is recorded in the outbox at {}; it is mailed \
             from there when the server's SMTP relay is configured",
            row.code,
            note.recipient,
            note.requested_at.to_rfc3339()
        )),
    }))
}

/// What a new test booking's `notification` asks for: BOOKING_CONFIRMATION to the guest when
/// `notifyBooker`, BOOKING_NOTICE to the property's reservations e-mail (else its account e-mail)
/// when `notifyProperty`. `notifyChannelManager` records nothing: no channel manager is connected
/// to a property on this server.
pub fn for_new_booking(
    row: &Booking,
    property: &Property,
    asked: &BookingTestNotification,
    by: Uuid,
) -> Vec<Notification> {
    let note = |kind: &str, recipient: String| Notification {
        id: Uuid::new_v4(),
        property_id: row.property_id,
        booking_id: Some(row.id),
        kind: kind.into(),
        recipient,
        requested_by: by,
        requested_at: row.created_at,
        sent_at: None,
    };
    let mut notes = Vec::new();
    if asked.notify_booker == Some(true) {
        notes.push(note(BOOKING_CONFIRMATION, row.guest_email.clone()));
    }
    if asked.notify_property == Some(true)
        && let Some(desk) = property_email(property)
    {
        notes.push(note(BOOKING_NOTICE, desk));
    }
    notes
}

/// The guest's cancellation e-mail when `call_off` cancels `row`, if the guest is told (see
/// `wink_domain::mail::cancellation_mailed`): `recorded` are the booking's notifications so far.
pub fn for_cancellation(
    row: &Booking,
    call_off: CallOff,
    recorded: &[Notification],
    by: Uuid,
    at: DateTime<Utc>,
) -> Option<Notification> {
    let confirmed = recorded.iter().any(|n| n.kind == BOOKING_CONFIRMATION);
    wink_domain::mail::cancellation_mailed(call_off, confirmed).then(|| Notification {
        id: Uuid::new_v4(),
        property_id: row.property_id,
        booking_id: Some(row.id),
        kind: BOOKING_CANCELLATION.into(),
        recipient: row.guest_email.clone(),
        requested_by: by,
        requested_at: at,
        sent_at: None,
    })
}

/// Where the property receives its bookings: its reservations e-mail, else its account e-mail.
pub(crate) fn property_email(property: &Property) -> Option<String> {
    let doc = &property.document.0;
    ["/reservation/email", "/accountEmail"]
        .iter()
        .filter_map(|p| doc.pointer(p).and_then(Value::as_str))
        .map(str::trim)
        .find(|e| !e.is_empty())
        .map(str::to_string)
}

/// `metadata.notifications` of a booking answer.
pub fn notifications_json(list: &[Notification]) -> Value {
    Value::Array(
        list.iter()
            .map(|n| {
                let mut entry = json!({
                    "kind": n.kind,
                    "recipient": n.recipient,
                    "requestedAt": n.requested_at,
                    "status": if n.sent_at.is_some() { "SENT" } else { "RECORDED" },
                });
                if let Some(sent) = n.sent_at {
                    entry["sentAt"] = json!(sent);
                }
                entry
            })
            .collect(),
    )
}
