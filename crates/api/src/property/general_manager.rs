//! Tag "General Manager": who runs the property, shown with it. The name and texts are part of
//! the property's record; the profile picture is a file kept by this server (see
//! [`crate::media`]) shown as `generalManager.image`: a new picture replaces the previous one,
//! whose file is deleted when nothing else shows it.

use axum::extract::{Request, State};
use axum::response::Response;
use wink_contract::{GeneralManager, Property as WireProperty};
use wink_domain::property_record::check_texts;
use wink_store::media::{MediaChange, Role};

use super::media::{answer_upload, for_file, medium};
use super::record::edit;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::media::upload;
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

/// The multipart body of an upload of one file.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadFile {
    /// The file (gif, jpeg, png, bmp, tiff, avi, mpeg, mov, mp4 or mkv, judged by content).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload the general manager's picture.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/general-manager/upload",
    operation_id = "upload-general-manager-profile-picture", tag = "General Manager",
    summary = "Upload the general manager's picture",
    description = "One file, typed and measured from its bytes; it replaces the previous picture (`generalManager.image`). 400 naming the file when it is refused; 413 when it is over the limit.",
    params(("managingEntityIdentifier" = uuid::Uuid, Path)),
    request_body(content = UploadFile, content_type = "multipart/form-data"),
    responses((status = 200, body = WireProperty),
        (status = 413, description = "The file is larger than allowed.", body = wink_contract::ProblemDetail, content_type = "application/problem+json"),
        Problems))]
pub async fn upload_general_manager_profile_picture(
    State(state): State<AppState>,
    ctx: PropertyContext,
    request: Request,
) -> Result<Response, ApiError> {
    let property = ctx.property.id;
    let form = upload::form(&state, request)?;
    let uploaded = upload::receive(&state, property, form, "file", 1).await?;
    if let Some(refusal) = uploaded.nothing_kept("file") {
        return Err(refusal);
    }
    if !uploaded.refused.is_empty() {
        uploaded.discard(&state).await;
        return Err(ApiError::Invalid(uploaded.refused));
    }
    let now = state.now();
    let s = &uploaded.stored[0];
    let m = for_file(&state, &s.file, 1);
    let change = MediaChange {
        new_files: vec![s.file.clone()],
        insert: vec![medium(property, Role::GeneralManager, &s.file, m, now)?],
        clear: Some(Role::GeneralManager),
        ..Default::default()
    };
    answer_upload(&state, property, change, &uploaded).await
}
