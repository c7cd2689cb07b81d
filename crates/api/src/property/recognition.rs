//! Tag "Recognition": the property's awards, publications and third-party review scores.
//!
//! A recognition is part of the property's record, as the contract has it: its writes answer
//! the whole property (with `recognitionList`), and move the property's `version`. So the
//! version a conditional write names (`If-Match`, 412 when stale; or `version` in the body, 409)
//! is the property's, which every recognition answer carries as its `ETag`. The rules are
//! `wink_domain::recognition`'s; lists are by category in the contract's order
//! (`THIRD_PARTY_REVIEW`, `PUBLICATION`, `AWARD`), then oldest first.

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{
    Property as WireProperty, RecognitionCategory, RecognitionType, TravelInventoryRecognition,
    UpsertRecognition,
};
use wink_domain::recognition::{self, Category, Scale};
use wink_store::Store;
use wink_store::recognitions::Recognition;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/recognition/{recognitionIdentifier}";

/// Add a recognition to the property. `provider` must not be blank; `rating` may not exceed
/// `maxRating`, which defaults to 5 for a `STAR_RATING` and 100 for a `PERCENT_RATING` and is
/// required for a `NUMERIC_RATING`; `date` may not be after today at the property. Answers the
/// property with its new version.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/recognition",
    operation_id = "create-recognition", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertRecognition,
    responses((status = 201, body = WireProperty), Problems))]
pub async fn create_recognition(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertRecognition>,
) -> Result<Resource<WireProperty>, ApiError> {
    let row = to_row(&state, &ctx, Uuid::new_v4(), &body.value)?;
    state.store.create_recognition(&row).await?;
    let (wire, version) = property_answer(&state, ctx.property.id).await?;
    Ok(Resource::created(wire, version))
}

/// The first of the property's recognitions in list order: by category in the contract's order
/// (`THIRD_PARTY_REVIEW`, `PUBLICATION`, `AWARD`), then oldest first; 404 when it has none.
/// The 30.51.3 contract answers one recognition here; every recognition is in the property
/// answer's `recognitionList` (`docs/decisions.md`).
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/recognition/list",
    operation_id = "show-recognitions", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = TravelInventoryRecognition), Problems))]
pub async fn show_recognitions(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<TravelInventoryRecognition>, ApiError> {
    let rows = state.store.recognitions(ctx.property.id, None).await?;
    first(&rows)
}

/// The first of the property's recognitions of one category (`THIRD_PARTY_REVIEW`,
/// `PUBLICATION` or `AWARD`; anything else is a 400 naming `category`), oldest first; 404 when
/// it has none of that category.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/recognition/{category}/list",
    operation_id = "show-recognitions-by-category", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path),
        ("category" = RecognitionCategory, Path, description = "The category listed")),
    responses((status = 200, body = TravelInventoryRecognition), Problems))]
pub async fn show_recognitions_by_category(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(params): Path<(String, String)>,
) -> Result<axum::Json<TravelInventoryRecognition>, ApiError> {
    let category = Category::parse(&params.1).ok_or_else(|| {
        let known: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        ApiError::field("category", format!("must be one of {}", known.join(", ")))
    })?;
    let rows = state
        .store
        .recognitions(ctx.property.id, Some(category.as_str()))
        .await?;
    first(&rows)
}

/// The first recognition of a list on the wire, or 404 when the list is empty.
fn first(rows: &[Recognition]) -> Result<axum::Json<TravelInventoryRecognition>, ApiError> {
    let row = rows.first().ok_or(ApiError::NotFound)?;
    Ok(axum::Json(wire(row)?))
}

/// One recognition of the property; its `ETag` is the property's version.
#[utoipa::path(get, path = ONE, operation_id = "show-recognition", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path), ("recognitionIdentifier" = Uuid, Path)),
    responses((status = 200, body = TravelInventoryRecognition), Problems))]
pub async fn show_recognition(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<TravelInventoryRecognition>, ApiError> {
    let row = state
        .store
        .recognition(ctx.property.id, id(&ids.1)?)
        .await?;
    let property = state.store.property(ctx.property.id).await?;
    Ok(Resource::ok(wire(&row)?, property.version))
}

/// Replace a recognition (the same rules as creating one). Send the property's version you read
/// (`If-Match`, or `version` in the body) to have the change refused (412, 409) when the
/// property changed since. Answers the property with its new version.
#[utoipa::path(put, path = ONE, operation_id = "update-recognition", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path), ("recognitionIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag (the property's version) the change is based on")),
    request_body = UpsertRecognition,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_recognition(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertRecognition>,
) -> Result<Resource<WireProperty>, ApiError> {
    let recognition_id = id(&ids.1)?;
    let existing = state
        .store
        .recognition(ctx.property.id, recognition_id)
        .await?;
    let expected = Expected::new(if_match, body.version);
    let mut row = to_row(&state, &ctx, recognition_id, &body.value)?;
    row.created_at = existing.created_at;
    state
        .store
        .update_recognition(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    let (wire, version) = property_answer(&state, ctx.property.id).await?;
    Ok(Resource::ok(wire, version))
}

/// Remove a recognition; answers the property without it, with its new version. `If-Match`
/// (the property's version) makes the removal conditional (412 when stale).
#[utoipa::path(delete, path = ONE, operation_id = "remove-recognition", tag = "Recognition",
    params(("managingEntityIdentifier" = Uuid, Path), ("recognitionIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag (the property's version) the removal is based on")),
    responses((status = 200, body = WireProperty), Problems))]
pub async fn remove_recognition(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, None);
    state
        .store
        .delete_recognition(
            ctx.property.id,
            id(&ids.1)?,
            expected.version(),
            state.now(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    let (wire, version) = property_answer(&state, ctx.property.id).await?;
    Ok(Resource::ok(wire, version))
}

/// The property's recognitions on the wire, in list order (the property answer's
/// `recognitionList`).
pub async fn recognition_list(
    store: &Store,
    property: Uuid,
) -> Result<Vec<TravelInventoryRecognition>, ApiError> {
    let rows = store.recognitions(property, None).await?;
    rows.iter().map(wire).collect()
}

/// The property answer (recognitions included) and its version.
async fn property_answer(state: &AppState, id: Uuid) -> Result<(WireProperty, i64), ApiError> {
    let property = state.store.property(id).await?;
    let version = property.version;
    let parts = crate::property::record::Parts::load(&state.store, property).await?;
    Ok((crate::property::record::to_wire(&parts)?, version))
}

/// The stored row of a request, after the domain's rules.
fn to_row(
    state: &AppState,
    ctx: &PropertyContext,
    id: Uuid,
    req: &UpsertRecognition,
) -> Result<Recognition, ApiError> {
    let checked = recognition::Recognition {
        scale: scale(req.r#type),
        provider: &req.provider,
        rating: req.rating,
        max_rating: req.max_rating,
        date: req.date,
    }
    .check(state.today_at(&ctx.property))?;
    let now = state.now();
    Ok(Recognition {
        id,
        property_id: ctx.property.id,
        category: req.category.as_str().to_string(),
        kind: req.r#type.as_str().to_string(),
        provider: checked.provider,
        rating: req.rating,
        max_rating: checked.max_rating,
        recognized_on: req.date,
        official: req.official_appointment_ind,
        rating_symbol: req.rating_symbol.clone().filter(|s| !s.trim().is_empty()),
        created_at: now,
        updated_at: now,
    })
}

fn scale(kind: RecognitionType) -> Scale {
    match kind {
        RecognitionType::StarRating => Scale::Stars,
        RecognitionType::NumericRating => Scale::Numeric,
        RecognitionType::PercentRating => Scale::Percent,
    }
}

/// The contract's enumeration value stored as `value`.
fn stored<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_string())).ok()
}

/// A stored recognition on the wire.
fn wire(r: &Recognition) -> Result<TravelInventoryRecognition, ApiError> {
    let corrupt = |what: &str| ApiError::Internal(format!("recognition {}: stored {what}", r.id));
    Ok(TravelInventoryRecognition {
        identifier: r.id,
        category: stored(&r.category).ok_or_else(|| corrupt("category"))?,
        r#type: stored(&r.kind).ok_or_else(|| corrupt("type"))?,
        provider: r.provider.clone(),
        rating: r.rating,
        max_rating: r.max_rating,
        date: r.recognized_on,
        official_appointment_ind: r.official,
        rating_symbol: r.rating_symbol.clone(),
    })
}
