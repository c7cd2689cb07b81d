//! Tag "Review": the guests' reviews of the property, as stored (reviews come from the
//! platform, one per booking; see `crate::bookings::review`, where the property responds).
//!
//! The grid reads the contract's State through the one grid engine (`crate::grid`): the fields
//! below, values bound, newest `reviewDate` first when no order is given. Count, grid and show
//! read the reviews of the path's property only; another property's review is 404.

use axum::extract::State;
use wink_contract::{CountResponse, Review as WireReview, ReviewPage};
use wink_store::reviews::columns as c;

use crate::auth::PropertyContext;
use crate::bookings::review::wire;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::grid::{self, Field, GridState};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// The Review fields the grid filters and sorts on, by wire name (`user.…` for the guest).
pub const FIELDS: &[Field] = &[
    Field::new("id", c::ID),
    Field::new("bookingIdentifier", c::BOOKING),
    Field::new("reviewDate", c::REVIEW_DATE),
    Field::new("averageScore", c::AVERAGE_SCORE),
    Field::new("user.firstName", c::FIRST_NAME),
    Field::new("user.lastName", c::LAST_NAME),
    Field::new("user.email", c::EMAIL),
    Field::new("text", c::TEXT),
    Field::new("messageFromGuest", c::MESSAGE),
    Field::new("responseFromHotel", c::RESPONSE),
    Field::new("responded", c::RESPONDED),
    Field::new("approvedText", c::APPROVED_TEXT),
    Field::new("approvedImage", c::APPROVED_IMAGE),
    Field::new("roomNumber", c::ROOM_NUMBER),
    Field::new("roomRating", c::ROOM_RATING),
    Field::new("createdDate", c::CREATED),
    Field::new("lastUpdate", c::UPDATED),
];

/// How many reviews the property has.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/review/count",
    operation_id = "show-review-count", tag = "Review",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = CountResponse), Problems))]
pub async fn show_review_count(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<CountResponse>, ApiError> {
    let count = state.store.review_count(ctx.property.id).await?;
    Ok(axum::Json(CountResponse {
        success: true,
        count: i64::try_from(count).unwrap_or(i64::MAX),
    }))
}

/// A page of the property's reviews under the request's filter and order (newest `reviewDate`
/// first when it gives none), in the page envelope. Fields: `id`, `bookingIdentifier`,
/// `reviewDate`, `averageScore`, `user.firstName`, `user.lastName`, `user.email`, `text`,
/// `messageFromGuest`, `responseFromHotel`, `responded`, `approvedText`, `approvedImage`,
/// `roomNumber`, `roomRating`, `createdDate`, `lastUpdate`; anything else is a 400 naming it;
/// `group` is refused.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/review/grid",
    operation_id = "show-reviews", tag = "Review",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = GridState,
    responses((status = 200, body = ReviewPage), Problems))]
pub async fn show_reviews(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<GridState>,
) -> Result<axum::Json<ReviewPage>, ApiError> {
    let grid = grid::parse(&body.value, FIELDS, "", &state.date_window(&ctx.property))?;
    let (rows, total) = state
        .store
        .review_grid(ctx.property.id, &grid.query, grid.take, grid.skip)
        .await?;
    let content: Vec<WireReview> = rows.iter().map(wire).collect();
    let meta = grid.page(content.len(), total);
    Ok(axum::Json(ReviewPage {
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

/// One review of the property.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/review/{reviewIdentifier}",
    operation_id = "show-review", tag = "Review",
    params(("managingEntityIdentifier" = Uuid, Path), ("reviewIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireReview), Problems))]
pub async fn show_review(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireReview>, ApiError> {
    let review = state.store.review(ctx.property.id, id(&ids.1)?).await?;
    Ok(Resource::ok(wire(&review), review.version))
}
