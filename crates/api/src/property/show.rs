//! Tag "Property": the property as its manager sees it, and its profile, contacts, services and
//! status. Every change is conditional on the version (`If-Match`) when one is sent and answers
//! the whole property (see `record`).

use axum::extract::State;
use wink_contract::{
    Property as WireProperty, PropertyExternalStatus, UpdateExternalHotelStatusRequest,
    UpdatePropertyAmenitiesAndServicesRequest, UpsertContactInfoRequest,
    UpsertPropertyProfileRequest,
};
use wink_domain::property_record::time_of_day;

use super::record::{self, edit};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Show the property.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property",
    operation_id = "show-hotel-by-manager", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    responses((status = 200, body = WireProperty), Problems))]
pub async fn show_hotel_by_manager(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Resource<WireProperty>, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    record::answer(&state.store, property).await
}

/// Replace the reservations, revenue and marketing contacts and the reservation desk's hours
/// (`HH:MM`, local time).
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/contact-info",
    operation_id = "update-reservations-desk", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertContactInfoRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_reservations_desk(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertContactInfoRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let mut contacts = body.value;
    let start = time_of_day(
        "/reservationDeskStartTime",
        &contacts.reservation_desk_start_time,
    );
    let end = time_of_day(
        "/reservationDeskEndTime",
        &contacts.reservation_desk_end_time,
    );
    match (start, end) {
        (Ok(start), Ok(end)) => {
            contacts.reservation_desk_start_time = start;
            contacts.reservation_desk_end_time = end;
        }
        (start, end) => {
            return Err(ApiError::from_domain(
                [start.err(), end.err()].into_iter().flatten(),
            ));
        }
    }
    edit(&state, &ctx, expected, |_, content| {
        content.contacts = Some(contacts.clone());
        Ok(())
    })
    .await
}

/// Replace the profile: stars, categories, chain and brand, year built, website, licence number
/// and number of rooms.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/profile",
    operation_id = "update-property-profile", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertPropertyProfileRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_property_profile(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertPropertyProfileRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let profile = body.value;
    for (field, text) in [
        ("/locationCategory", &profile.location_category),
        ("/segmentCategory", &profile.segment_category),
        ("/hotelCategory", &profile.hotel_category),
        ("/architecturalStyle", &profile.architectural_style),
    ] {
        if text.trim().is_empty() {
            return Err(ApiError::field(field, "must not be blank"));
        }
    }
    edit(&state, &ctx, expected, |_, content| {
        content.profile = Some(profile.clone());
        Ok(())
    })
    .await
}

/// Replace the amenity, accessibility and security codes (a list left out is emptied).
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/services",
    operation_id = "update-services", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdatePropertyAmenitiesAndServicesRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_services(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdatePropertyAmenitiesAndServicesRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let mut services = body.value;
    for list in [
        &mut services.hotel_amenity_codes,
        &mut services.property_accessibility_codes,
        &mut services.property_security_codes,
    ] {
        let mut seen = std::collections::HashSet::new();
        list.retain(|code| !code.trim().is_empty() && seen.insert(code.clone()));
    }
    edit(&state, &ctx, expected, |_, content| {
        content.services = Some(services.clone());
        Ok(())
    })
    .await
}

/// Switch the property on (`ACTIVE`) or off (`INACTIVE`). An inactive property is offered
/// nothing in test availability (reason `PROPERTY_INACTIVE`) and takes no test bookings; its
/// data stays readable and editable.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/status",
    operation_id = "update-hotel-status", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdateExternalHotelStatusRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_hotel_status(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdateExternalHotelStatusRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let status = match body.value.status {
        Some(PropertyExternalStatus::Active) => "ACTIVE",
        Some(PropertyExternalStatus::Inactive) => "INACTIVE",
        None => return Err(ApiError::field("/status", "give ACTIVE or INACTIVE")),
    };
    edit(&state, &ctx, expected, |row, _| {
        row.status = status.to_string();
        Ok(())
    })
    .await
}
