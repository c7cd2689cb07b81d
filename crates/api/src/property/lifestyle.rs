//! Tag "Lifestyle": the kinds of stay the property is for (at most 4, as its answer lists).

use axum::extract::State;
use wink_contract::{LifestylesResponse, Property as WireProperty, UpdateLifestylesRequest};
use wink_domain::property_record::check_lifestyles;

use super::record::{Content, edit};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const PATH: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/lifestyles";

/// Show the property's lifestyles.
#[utoipa::path(get, path = PATH, operation_id = "show-lifestyles", tag = "Lifestyle",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    responses((status = 200, body = LifestylesResponse), Problems))]
pub async fn show_lifestyles(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Resource<LifestylesResponse>, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    let content = Content::of(&property)?;
    Ok(Resource::ok(
        LifestylesResponse {
            hotel_identifier: property.id,
            list: content.lifestyles,
        },
        property.version,
    ))
}

/// Replace the property's lifestyles (an empty list clears them).
#[utoipa::path(put, path = PATH, operation_id = "update-lifestyles", tag = "Lifestyle",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdateLifestylesRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_lifestyles(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdateLifestylesRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let list = body.value.list;
    check_lifestyles(&list)?;
    edit(&state, &ctx, expected, |_, content| {
        content.lifestyles = list.clone();
        Ok(())
    })
    .await
}
