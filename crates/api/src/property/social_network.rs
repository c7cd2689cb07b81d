//! Tag "Social Network": the property's links on social networks, one per network.

use axum::extract::State;
use wink_contract::{Property as WireProperty, SocialNetworksRequest, SocialNetworksResponse};
use wink_domain::property_record::check_socials;

use super::record::{Content, edit};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const PATH: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/property/social-networks";

/// Show the property's social networks.
#[utoipa::path(get, path = PATH, operation_id = "show-social-networks", tag = "Social Network",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    responses((status = 200, body = SocialNetworksResponse), Problems))]
pub async fn show_social_networks(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Resource<SocialNetworksResponse>, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    let content = Content::of(&property)?;
    Ok(Resource::ok(
        SocialNetworksResponse {
            hotel_identifier: property.id,
            list: content.socials,
        },
        property.version,
    ))
}

/// Replace the property's social networks (no list clears them).
#[utoipa::path(patch, path = PATH, operation_id = "update-socials", tag = "Social Network",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = SocialNetworksRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_socials(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<SocialNetworksRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let mut list = body.value.list;
    let pairs: Vec<_> = list
        .iter()
        .map(|s| (s.r#type, s.location.as_deref()))
        .collect();
    check_socials(&pairs).map_err(ApiError::from_domain)?;
    for s in &mut list {
        s.location = s.location.as_ref().map(|l| l.trim().to_string());
    }
    edit(&state, &ctx, expected, |_, content| {
        content.socials = list.clone();
        Ok(())
    })
    .await
}
