//! Tag "Booking": the booking grid, a page of the property's bookings under a filter and an order
//! given as the contract's State (see `crate::grid` for the engine and its rules). The same field
//! table serves the CSV report, so what the grid shows and what the report exports agree.

use axum::extract::State;
use wink_contract::BookingPage;
use wink_store::booking_queries::columns as c;

use super::booking_answer;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::grid::{self, Field, GridState};
use crate::state::AppState;
use crate::validation::ValidJson;

const STATUSES: &[&str] = &[
    "INITIALIZED",
    "TEST_PAYMENT_SUCCEEDED",
    "PAYMENT_SUCCEEDED",
    "PAYMENT_FAILED",
    "FAILED",
    "CANCELLED",
    "PARTIALLY_REFUNDED",
    "FULLY_REFUNDED",
];
const CREATIONS: &[&str] = &["NORMAL", "TEST", "FAILED"];
const CANCELLATION_TYPES: &[&str] = &[
    "DUPLICATE",
    "CANCELLATION",
    "NO_SHOW",
    "CC_INVALID",
    "CC_INSUFFICIENT",
    "DISCRETIONARY",
];

/// The Booking fields the grid filters and sorts on and the report exports, by their wire names
/// (see docs/bookings-grid-and-reports.md for what each one is).
pub const FIELDS: &[Field] = &[
    Field::new("id", c::ID),
    Field::new("bookingCode", c::CODE),
    Field::one_of("bookingStatus", c::STATUS, STATUSES),
    Field::one_of("creation", c::CREATION, CREATIONS),
    Field::new("createdDate", c::CREATED_AT),
    Field::new("lastUpdate", c::UPDATED_AT),
    Field::new("version", c::VERSION),
    Field::new("cancelled", c::CANCELLED),
    Field::new("cancellation.cancelledOn", c::CANCELLED_AT),
    Field::one_of(
        "cancellation.cancellationType",
        c::CANCELLATION_TYPE,
        CANCELLATION_TYPES,
    ),
    Field::new("cancellation.cancelReason", c::CANCEL_REASON),
    Field::new("user.firstName", c::GUEST_FIRST_NAME),
    Field::new("user.lastName", c::GUEST_LAST_NAME),
    Field::new("user.email", c::GUEST_EMAIL),
    Field::new("roomStay.startDate", c::ARRIVAL),
    Field::new("roomStay.endDate", c::DEPARTURE),
    Field::new("roomStay.roomNights", c::NIGHTS),
    Field::new("roomStay.quantity", c::QUANTITY),
    Field::new("roomStay.roomRateIdentifier", c::MASTER_RATE),
    Field::new("roomStay.roomRateInternalName", c::MASTER_RATE_NAME),
    Field::new("roomStay.room.identifier", c::ROOM_TYPE),
    Field::new("roomStay.room.name", c::ROOM_TYPE_NAME),
    Field::new("roomStay.ratePlan.identifier", c::RATE_PLAN),
    Field::new("roomStay.ratePlan.name", c::RATE_PLAN_NAME),
    Field::new("customization.identifier", c::SALES_CHANNEL),
    Field::new("customization.name", c::CHANNEL_NAME),
    Field::new("customization.ownerIdentifier", c::OWNER),
    Field::new("customization.ownerName", c::OWNER_NAME),
    Field::new("customization.subType", c::CHANNEL_TYPE),
    Field::new("financialBreakdown.sourceAmount", c::TOTAL),
    Field::new("financialBreakdown.netSourceAmount", c::NET),
    Field::new("financialBreakdown.sourceCurrency", c::CURRENCY),
    Field::new("metadata.cancellationPenalty.amount", c::PENALTY),
];

/// Search the property's bookings: a page under the request's filter and order (newest first
/// when it gives none), in the page envelope. Filterable and sortable fields are the Booking's
/// wire names listed in the engine's table (e.g. `bookingStatus`, `roomStay.startDate`,
/// `user.lastName`, `financialBreakdown.sourceAmount`); an unknown field, an operator its type
/// lacks or a value of the wrong type is a 400 naming it; `group` is refused. Failed bookings are
/// never listed; cancelled ones are (filter `cancelled` eq false to leave them out).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/grid",
    operation_id = "show-hotel-bookings", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = GridState,
    responses((status = 200, body = BookingPage), Problems))]
pub async fn show_hotel_bookings(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<GridState>,
) -> Result<axum::Json<BookingPage>, ApiError> {
    let grid = grid::parse(&body.value, FIELDS, "", &state.date_window(&ctx.property))?;
    let (rows, total) = state
        .store
        .booking_grid(ctx.property.id, &grid.query, grid.take, grid.skip)
        .await?;
    // The same booking answer as show and list: with its refunds, notifications and review.
    let content = booking_answer::answers(&state, &ctx.property, &rows).await?;
    let meta = grid.page(content.len(), total);
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

#[cfg(test)]
mod tests {
    use super::*;
    use wink_contract::{BookingCancellationCancellationType, BookingCreation, BookingStatus};

    /// The enumerations' values are the contract's, all of them.
    #[test]
    fn enumerations_are_the_contracts() {
        fn all<T: serde::de::DeserializeOwned>(values: &[&str]) -> usize {
            values
                .iter()
                .filter(|v| serde_json::from_value::<T>(serde_json::json!(v)).is_ok())
                .count()
        }
        assert_eq!(all::<BookingStatus>(STATUSES), 8);
        assert_eq!(all::<BookingCreation>(CREATIONS), 3);
        assert_eq!(
            all::<BookingCancellationCancellationType>(CANCELLATION_TYPES),
            6
        );
    }

    #[test]
    fn field_names_are_unique() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
    }
}
