//! Tag "Geo-Location": where the property stands. Moving it recomputes its time zone from the
//! bundled zone boundaries (no network); stored dates (rates, restrictions, bookings' nights)
//! are local calendar dates and stay as they are.

use axum::extract::State;
use wink_contract::{Property as WireProperty, UpdateLocationRequest};

use super::record::edit;
use super::time_zone;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Move the property: `point` is `coordinates` [longitude, latitude] (or `x`, `y`); the time
/// zone follows the point.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/location",
    operation_id = "update-geo-location", tag = "Geo-Location",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdateLocationRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_geo_location(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdateLocationRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let point = &body.value.point;
    let zone = time_zone::at(point, "/point")?;
    let (longitude, latitude) = time_zone::lng_lat(point)
        .ok_or_else(|| ApiError::Internal("a located point has coordinates".into()))?;
    edit(&state, &ctx, expected, |row, _| {
        row.longitude = Some(longitude);
        row.latitude = Some(latitude);
        row.time_zone = zone.name().to_string();
        Ok(())
    })
    .await
}
