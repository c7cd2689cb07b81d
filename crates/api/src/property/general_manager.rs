//! Tag "General Manager": who runs the property, shown with it. The picture is a media reference
//! kept as sent (uploading it is the media area's).

use axum::extract::State;
use wink_contract::{GeneralManager, Property as WireProperty};
use wink_domain::property_record::check_texts;

use super::record::edit;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Replace the general manager: name, picture reference and texts (one per language).
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/general-manager",
    operation_id = "update-general-manager", tag = "General Manager",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = GeneralManager,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_general_manager(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<GeneralManager>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let mut manager = body.value;
    manager.name = manager.name.trim().to_string();
    if manager.name.is_empty() {
        return Err(ApiError::field("/name", "give the general manager's name"));
    }
    let languages: Vec<(&str, &str)> = manager
        .descriptions
        .iter()
        .map(|d| (d.language.as_str(), ""))
        .collect();
    check_texts("/descriptions", &languages)?;
    for d in &mut manager.descriptions {
        // Read-only on the wire: never stored from a request.
        d.hash_mismatch = None;
    }
    edit(&state, &ctx, expected, |_, content| {
        content.general_manager = Some(manager.clone());
        Ok(())
    })
    .await
}
