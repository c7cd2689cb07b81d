//! Responding to a guest's review.
//!
//! Guests write reviews on the platform; the Supplier API creates none, so reviews reach this
//! server through the store (`Store::create_review`: the platform's import, the demo seed, tests).
//! A booking has at most one review, and the booking answers show it as `review`.

use axum::extract::State;
use serde_json::Value;
use wink_contract::{
    Review as WireReview, ReviewAnswer, ReviewLightweight, ReviewResponse as WireResponse,
    ReviewUser,
};
use wink_store::reviews::{Review, ReviewResponse};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Post (or replace) the property's public reply to a guest review, and approve or withhold the
/// guest's text and image for the property's profile. The reply is attributed to the calling
/// application. `responseFromHotel` must not be blank, and `approvedImage` needs a review with an
/// image (400 naming the field). `If-Match` guards against a review that changed since it was
/// read (412). A review of another property is 404.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/review/{reviewIdentifier}/response",
    operation_id = "respond-to-review", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("reviewIdentifier" = Uuid, Path)),
    request_body = WireResponse,
    responses((status = 200, body = WireReview), Problems))]
pub async fn respond_to_review(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<WireResponse>,
) -> Result<Resource<WireReview>, ApiError> {
    let review_id = id(&ids.1)?;
    let review = state.store.review(ctx.property.id, review_id).await?;
    let req = &body.value;
    let text = req.response_from_hotel.trim();
    if text.is_empty() {
        return Err(ApiError::field("/responseFromHotel", "must not be blank"));
    }
    if req.approved_image && review.image_identifier.is_none() {
        return Err(ApiError::field(
            "/approvedImage",
            "the review has no image to approve",
        ));
    }
    let expected = Expected::new(if_match, body.version);
    let response = ReviewResponse {
        text: text.to_string(),
        approved_text: req.approved_text,
        approved_image: req.approved_image,
        by: ctx.caller.client_id,
        at: state.now(),
    };
    let stored = state
        .store
        .respond_to_review(ctx.property.id, review_id, expected.version(), &response)
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(wire(&stored), stored.version))
}

fn answers(r: &Review) -> Vec<ReviewAnswer> {
    serde_json::from_value(r.answers.0.clone()).unwrap_or_default()
}

/// The average of the answers' values (0–10), to one decimal.
fn average(answers: &[ReviewAnswer]) -> Option<f64> {
    if answers.is_empty() {
        return None;
    }
    let sum: i64 = answers.iter().map(|a| i64::from(a.value)).sum();
    let mean = sum as f64 / answers.len() as f64;
    Some((mean * 10.0).round() / 10.0)
}

fn user(r: &Review) -> ReviewUser {
    ReviewUser {
        first_name: Some(r.guest_first_name.clone()),
        last_name: Some(r.guest_last_name.clone()),
        email: Some(r.guest_email.clone()),
        full_name: Some(format!("{} {}", r.guest_first_name, r.guest_last_name)),
        ..Default::default()
    }
}

fn likes(r: &Review) -> Vec<String> {
    match &r.likes.0 {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A stored review on the wire.
pub fn wire(r: &Review) -> WireReview {
    let answers = answers(r);
    WireReview {
        id: Some(r.id),
        created_date: Some(r.created_at),
        last_update: Some(r.updated_at),
        version: Some(r.version),
        booking_identifier: Some(r.booking_id),
        hotel_identifier: Some(r.property_id),
        user: Some(user(r)),
        review_date: Some(r.review_date),
        average_score: average(&answers),
        answers,
        message_from_guest: r.message_from_guest.clone(),
        response_from_hotel: r.response_from_hotel.clone(),
        image_identifier: r.image_identifier.clone(),
        text: r.review_text.clone(),
        approved_text: Some(r.approved_text),
        approved_image: Some(r.approved_image),
        likes: likes(r),
        room_number: r.room_number.clone(),
        room_rating: r.room_rating,
        responded: Some(r.response_from_hotel.is_some()),
    }
}

/// A stored review as a booking's `review`.
pub fn lightweight(r: &Review) -> ReviewLightweight {
    let full = wire(r);
    ReviewLightweight {
        identifier: full.id,
        booking_identifier: full.booking_identifier,
        hotel_identifier: full.hotel_identifier,
        user: full.user,
        review_date: full.review_date,
        average_score: full.average_score,
        answers: full.answers,
        message_from_guest: full.message_from_guest,
        response_from_hotel: full.response_from_hotel,
        image_identifier: full.image_identifier,
        text: full.text,
        approved_text: full.approved_text,
        approved_image: full.approved_image,
        likes: full.likes,
        room_number: full.room_number,
        room_rating: full.room_rating,
        responded: full.responded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wink_contract::ReviewAnswerCategory;

    #[test]
    fn average_of_the_answers() {
        let answer = |value| ReviewAnswer {
            question_identifier: uuid::Uuid::new_v4(),
            category: ReviewAnswerCategory::Service,
            sort: 1,
            value,
        };
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[answer(9), answer(8), answer(8)]), Some(8.3));
    }
}
