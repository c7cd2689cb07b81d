//! Tag "Booking": the property's bookings, whether one can still be cancelled, cancelling it and
//! recording a no-show (the lifecycle is `wink_domain::booking`).

use axum::extract::State;
use serde::Deserialize;
use wink_contract::{
    Booking as WireBooking, BookingCancellable, BookingCancellationCancellationType, BookingPage,
    BookingStatus as WireStatus, CancellationDetail, PageMeta, ProblemDetail,
};
use wink_domain::{Applied, BookingEvent, CallOff};
use wink_store::bookings::{BookingFilter, Cancellation};

use super::booking_answer;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, Query, id};
use crate::metrics::BookingOutcome;
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}";

/// Show a booking of the property.
#[utoipa::path(get, path = ONE, operation_id = "show-hotel-booking", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireBooking), Problems))]
pub async fn show_hotel_booking(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireBooking>, ApiError> {
    let row = state.store.booking(ctx.property.id, id(&ids.1)?).await?;
    let body = booking_answer::answer(&state, &ctx.property, &row).await?;
    Ok(Resource::ok(body, row.version))
}

/// Query of the booking list; numbers arrive as strings (the contract's types) and are checked here.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    state: Option<String>,
    page_number: Option<String>,
    max_results: Option<String>,
    search: Option<String>,
}

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

/// A non-empty query value.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The list's filter and page from its query, each bad value refused naming its parameter.
fn parse(q: &ListQuery) -> Result<(BookingFilter, u32, u32), ApiError> {
    let page = match given(&q.page_number) {
        None => 0,
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| ApiError::field("pageNumber", "must be a whole number from 0"))?,
    };
    let size = match given(&q.max_results) {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                ApiError::field(
                    "maxResults",
                    format!("must be a whole number from 1 to {MAX_PAGE_SIZE}"),
                )
            })?,
    };
    let mut filter = BookingFilter {
        search: given(&q.search).map(str::to_string),
        ..Default::default()
    };
    match given(&q.state).map(str::to_ascii_uppercase) {
        None => {}
        Some(s) if s == "ACTIVE" => filter.active = true,
        Some(s) => {
            let status: WireStatus = serde_json::from_value(serde_json::Value::String(s.clone()))
                .map_err(|_| {
                ApiError::field(
                    "state",
                    format!("{s} is not a booking status; use a bookingStatus value or ACTIVE"),
                )
            })?;
            filter.status = Some(status.as_str().to_string());
        }
    }
    Ok((filter, page, size))
}

/// List the property's bookings, newest first, a page at a time: `pageNumber` from 0 (default 0),
/// `maxResults` 1 to 100 (default 20). `state` keeps one `bookingStatus` (e.g. CANCELLED), or
/// ACTIVE for every booking that is not cancelled; `search` keeps bookings whose guest name
/// ("first last"), email or booking code contains it, ignoring case.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/list",
    operation_id = "show-hotel-bookings_1", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path),
        ("state" = Option<String>, Query, description = "A bookingStatus value, or ACTIVE (not cancelled)"),
        ("pageNumber" = Option<String>, Query, description = "Page, from 0 (default 0)"),
        ("maxResults" = Option<String>, Query, description = "Page size, 1 to 100 (default 20)"),
        ("search" = Option<String>, Query, description = "Part of the guest's name or email, or of the booking code")),
    responses((status = 200, body = BookingPage), Problems))]
pub async fn show_hotel_bookings_1(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<BookingPage>, ApiError> {
    let (filter, page, size) = parse(&q)?;
    let offset = u64::from(page) * u64::from(size);
    let (rows, total) = state
        .store
        .bookings(ctx.property.id, &filter, size, offset)
        .await?;
    let content = booking_answer::answers(&state, &ctx.property, &rows).await?;
    let meta = PageMeta::new(page, size, content.len(), total);
    Ok(axum::Json(BookingPage {
        content,
        first: meta.first,
        last: meta.last,
        number: meta.number,
        number_of_elements: meta.number_of_elements,
        size: meta.size,
        total_elements: meta.total_elements,
        total_pages: meta.total_pages,
    }))
}

/// Whether the booking can still be cancelled: it holds its rooms (not cancelled) and its
/// departure date has not come at the property.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/cancellable",
    operation_id = "is-booking-cancellable", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path)),
    responses((status = 200, body = BookingCancellable), Problems))]
pub async fn is_booking_cancellable(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<BookingCancellable>, ApiError> {
    let row = state.store.booking(ctx.property.id, id(&ids.1)?).await?;
    let today = state.today_at(&ctx.property);
    Ok(axum::Json(BookingCancellable {
        hotel_identifier: ctx.property.id,
        booking_identifier: row.id,
        cancellable: booking_answer::cancellable(&row, today)?,
    }))
}

/// Cancel a booking on behalf of the property, or record that its guest did not come
/// (`cancellationType` NO_SHOW). The penalty is what the cancellation policy in force when the
/// booking was made charges: for a cancellation, at the current instant (deadlines in the
/// property's time zone); for a no-show, its charge from the arrival day on. It is recorded in
/// `financialBreakdown` (`netSourceAmount` kept, `sourceAmountRefundModifier` given back) and
/// `metadata.cancellationPenalty`. Every night the booking held is released. A cancellation
/// (not a no-show) of a booking whose guest was sent its confirmation records the guest's
/// cancellation e-mail (BOOKING_CANCELLATION) in the notification outbox. Either way the
/// booking answers `bookingStatus` CANCELLED; a no-show has `cancellation.cancellationType`
/// NO_SHOW. Repeating what was done answers the booking unchanged (cancelling a cancelled
/// booking or a no-show, marking a no-show twice). Refused with 409, changing nothing: a booking
/// whose departure date has come (cancel), a no-show before the arrival date or after the
/// departure date, a no-show of a cancelled booking. A retry with the same `Idempotency-Key` and
/// body answers the first answer.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/cancel",
    operation_id = "cancel-hotel-booking", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header,
            description = "Up to 255 characters: a retry with the same key and body answers the first answer")),
    request_body = CancellationDetail,
    responses((status = 200, body = WireBooking),
        (status = 422, description = "The Idempotency-Key was used for another request.",
            body = ProblemDetail, content_type = "application/problem+json"),
        Problems))]
pub async fn cancel_hotel_booking(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<CancellationDetail>,
) -> Result<Resource<WireBooking>, ApiError> {
    let booking_id = id(&ids.1)?;
    let mut row = state.store.booking(ctx.property.id, booking_id).await?;
    let today = state.today_at(&ctx.property);
    let (call_off, event) =
        if body.value.cancellation_type == BookingCancellationCancellationType::NoShow {
            (CallOff::NoShow, BookingEvent::NoShow)
        } else {
            (CallOff::Cancel, BookingEvent::Cancel)
        };
    let refunds = state.store.booking_refunds(&[booking_id]).await?;
    let applied = booking_answer::state(&row, &refunds)?
        .apply(event)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    if matches!(applied, Applied::Changed(_)) {
        call_off
            .allowed(row.arrival, row.departure, today)
            .map_err(|refusal| ApiError::Conflict(refusal.to_string()))?;
        let reason = body.value.reason.trim();
        if reason.is_empty() {
            return Err(ApiError::field("/reason", "must not be blank"));
        }
        let at = state.now();
        let zone = crate::dates::zone(&ctx.property);
        let (_, schedule) = booking_answer::schedule(&row, zone)?;
        let penalty = call_off.penalty(&schedule, at);
        let recorded = state.store.booking_notifications(&[booking_id]).await?;
        let cancellation = Cancellation {
            at,
            by: ctx.caller.client_id,
            cancellation_type: body.value.cancellation_type.as_str().to_string(),
            reason: reason.to_string(),
            penalty: penalty.amount.into(),
            notice: super::resend::for_cancellation(
                &row,
                call_off,
                &recorded,
                ctx.caller.client_id,
                at,
            ),
        };
        let changed;
        (row, changed) = state
            .store
            .cancel_booking(ctx.property.id, booking_id, &cancellation)
            .await?;
        if changed {
            state.metrics.booking(match call_off {
                CallOff::NoShow => BookingOutcome::NoShow,
                CallOff::Cancel => BookingOutcome::Cancelled,
            });
        } else {
            // Another request called the booking off first: ours is a repeat of it, or refused.
            booking_answer::state(&row, &refunds)?
                .apply(event)
                .map_err(|e| ApiError::Conflict(e.to_string()))?;
        }
    }
    let body = booking_answer::answer(&state, &ctx.property, &row).await?;
    Ok(Resource::ok(body, row.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(state: &str, page: &str, size: &str) -> ListQuery {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        ListQuery {
            state: opt(state),
            page_number: opt(page),
            max_results: opt(size),
            search: None,
        }
    }

    #[test]
    fn list_parameters() {
        let (f, page, size) = parse(&q("", "", "")).unwrap();
        assert_eq!((f, page, size), (BookingFilter::default(), 0, 20));
        let (f, page, size) = parse(&q("active", "2", "100")).unwrap();
        assert!(f.active && f.status.is_none());
        assert_eq!((page, size), (2, 100));
        let (f, _, _) = parse(&q("CANCELLED", "", "")).unwrap();
        assert_eq!(f.status.as_deref(), Some("CANCELLED"));
        let field = |e: ApiError| match e {
            ApiError::Invalid(f) => f[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(parse(&q("OPEN", "", "")).unwrap_err()), "state");
        assert_eq!(field(parse(&q("", "-1", "")).unwrap_err()), "pageNumber");
        assert_eq!(field(parse(&q("", "x", "")).unwrap_err()), "pageNumber");
        assert_eq!(field(parse(&q("", "", "0")).unwrap_err()), "maxResults");
        assert_eq!(field(parse(&q("", "", "101")).unwrap_err()), "maxResults");
    }
}
