//! Tag "Media": the property's gallery. Uploaded files are kept by the server (see
//! [`crate::media`]); each medium's `identifier` is then the file's public URL, and its `type`,
//! `width` and `height` are read from the file, whatever the request says. A medium may also
//! be a reference the client keeps elsewhere (`create-multimedia` with an identifier that is not
//! one of our URLs), stored as sent.
//!
//! Rules:
//! - a new medium always gets a new `multimediaIdentifier` (the one in a create request is not
//!   used; `update-media-list` keeps the ids of the property's media it names);
//! - a URL of another property's file is refused like one that does not exist (400 naming
//!   `identifier`);
//! - `show-media-list` answers what the contract documents, one SimpleMultimedia: the first of
//!   the gallery in order (`sort`, then age); an empty gallery answers 404;
//! - `remove-media-list` answers 207 when some of the ids were not the property's (the others
//!   are removed), 404 when none was;
//! - a file nothing refers to any more is deleted (see [`crate::media::release`]).

use axum::extract::Request;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;
use wink_contract::{MediaSource, MediaType, Property as WireProperty, SimpleMultimedia};
use wink_store::Json as DbJson;
use wink_store::Store;
use wink_store::StoreError;
use wink_store::media::{MediaChange, MediaFile, PropertyMedia, Role};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, Query, id};
use crate::media::upload::{self, Uploaded};
use crate::media::{release, serve};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// The multipart body of an upload of several files.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadFiles {
    /// The files (gif, jpeg, png, bmp, tiff, avi, mpeg, mov, mp4 or mkv, judged by content).
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
}

/// The header naming each refused file of a 207 answer: `<JSON pointer>: <reason>`.
pub const REFUSED_HEADER: &str = "wink-refused-file";

/// The property as answered, its media included.
pub async fn property_answer(state: &AppState, id: Uuid) -> Result<WireProperty, ApiError> {
    let property = state.store.property(id).await?;
    let parts = super::record::Parts::load(&state.store, property).await?;
    super::record::to_wire(&parts)
}

/// The property's gallery (the answer's `multimedias`) and its general manager's picture, as
/// stored.
pub async fn property_media(
    store: &Store,
    property: Uuid,
) -> Result<(Vec<SimpleMultimedia>, Option<SimpleMultimedia>), ApiError> {
    let gallery = store
        .property_media(property, Role::Gallery)
        .await?
        .iter()
        .map(stored)
        .collect::<Result<_, _>>()?;
    let picture = store
        .property_media(property, Role::GeneralManager)
        .await?
        .first()
        .map(stored)
        .transpose()?;
    Ok((gallery, picture))
}

fn stored(m: &PropertyMedia) -> Result<SimpleMultimedia, ApiError> {
    crate::error::from_document("multimedia", m.id, &m.document.0)
}

/// The medium for a file just stored.
pub fn for_file(state: &AppState, file: &MediaFile, sort: i32) -> SimpleMultimedia {
    let video = wink_domain::media::MediaType::parse(&file.media_type)
        .map(|t| t.is_video())
        .unwrap_or(false);
    SimpleMultimedia {
        multimedia_identifier: Uuid::new_v4(),
        identifier: serve::url(state, file.id, &file.media_type),
        r#type: if video {
            MediaType::Video
        } else {
            MediaType::Image
        },
        // The contract knows YOUTUBE and CLOUDINARY; a file kept by this server is the latter's
        // kind (a stored asset, not a third-party video page).
        source: MediaSource::Cloudinary,
        sort,
        width: file.width as i32,
        height: file.height as i32,
        published: Some(true),
        is_landscape: Some(file.width >= file.height),
        ..Default::default()
    }
}

/// A medium from a request: the file it names (ours, of this property) sets its type and size.
async fn from_request(
    state: &AppState,
    property: Uuid,
    mut m: SimpleMultimedia,
    pointer: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PropertyMedia, ApiError> {
    let file_id = serve::file_in(&m.identifier);
    if let Some(file_id) = file_id {
        let file = match state.store.media_file(file_id).await {
            Ok(f) if f.property_id == property => f,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(ApiError::field(
                    format!("{pointer}/identifier"),
                    "names no file of this property",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let fresh = for_file(state, &file, m.sort);
        m.identifier = fresh.identifier;
        m.r#type = fresh.r#type;
        m.width = fresh.width;
        m.height = fresh.height;
        m.is_landscape = fresh.is_landscape;
    } else {
        m.is_landscape = Some(m.width >= m.height);
    }
    Ok(PropertyMedia {
        id: m.multimedia_identifier,
        property_id: property,
        role: Role::Gallery.as_str().into(),
        file_id,
        sort: m.sort as i64,
        document: DbJson(serde_json::to_value(&m).map_err(|e| ApiError::Internal(e.to_string()))?),
        created_at: now,
        updated_at: now,
    })
}

/// Applies `change`, releases the files it dropped, answers the property.
async fn apply(
    state: &AppState,
    property: Uuid,
    change: MediaChange,
) -> Result<(WireProperty, Vec<Uuid>), ApiError> {
    let outcome = state
        .store
        .change_property_media(property, &change, state.now())
        .await?;
    release(state, &outcome.released).await;
    Ok((property_answer(state, property).await?, outcome.missing))
}

/// Attach a medium.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia",
    operation_id = "create-multimedia", tag = "Media",
    summary = "Attach a medium to the property",
    description = "A file of this server (its URL as `identifier`) or a reference kept elsewhere. The medium gets a new `multimediaIdentifier`.",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = SimpleMultimedia,
    responses((status = 201, body = WireProperty), Problems))]
pub async fn create_multimedia(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<SimpleMultimedia>,
) -> Result<Resource<WireProperty>, ApiError> {
    let property = ctx.property.id;
    let mut m = body.value;
    m.multimedia_identifier = Uuid::new_v4();
    let medium = from_request(&state, property, m, "", state.now()).await?;
    let change = MediaChange {
        insert: vec![medium],
        ..Default::default()
    };
    let (wire, _) = apply(&state, property, change).await?;
    let version = wire.version.unwrap_or(1);
    Ok(Resource::created(wire, version))
}

/// The first medium of the gallery.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/list",
    operation_id = "show-media-list", tag = "Media",
    summary = "Show the gallery's first medium",
    description = "The contract documents one SimpleMultimedia: the first of the gallery by `sort`, then age. 404 when the gallery is empty.",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = SimpleMultimedia), Problems))]
pub async fn show_media_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<SimpleMultimedia>, ApiError> {
    let media = state
        .store
        .property_media(ctx.property.id, Role::Gallery)
        .await?;
    let first = media.first().ok_or(ApiError::NotFound)?;
    Ok(axum::Json(stored(first)?))
}

/// Replace the gallery.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/list",
    operation_id = "update-media-list", tag = "Media",
    summary = "Replace the gallery",
    description = "The gallery becomes the list sent, in its `sort` order. Media of the gallery keep their `multimediaIdentifier`; others get a new one. Files no longer shown are deleted.",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = Vec<SimpleMultimedia>,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_media_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<Vec<SimpleMultimedia>>,
) -> Result<Resource<WireProperty>, ApiError> {
    let property = ctx.property.id;
    let current: Vec<Uuid> = state
        .store
        .property_media(property, Role::Gallery)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let now = state.now();
    let mut insert = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, mut m) in body.value.into_iter().enumerate() {
        if !current.contains(&m.multimedia_identifier) || !seen.insert(m.multimedia_identifier) {
            m.multimedia_identifier = Uuid::new_v4();
        }
        insert.push(from_request(&state, property, m, &format!("/{i}"), now).await?);
    }
    let change = MediaChange {
        clear: Some(Role::Gallery),
        insert,
        ..Default::default()
    };
    let (wire, _) = apply(&state, property, change).await?;
    let version = wire.version.unwrap_or(1);
    Ok(Resource::ok(wire, version))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RemoveList {
    /// Comma-separated multimedia identifiers.
    #[serde(default)]
    multimedia_identifiers: String,
}

/// Remove several media.
#[utoipa::path(delete, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/list",
    operation_id = "remove-media-list", tag = "Media",
    summary = "Remove several media",
    description = "200 when every id named was removed; 207 when some were not the property's (the others are removed); 404 when none was.",
    params(("managingEntityIdentifier" = Uuid, Path), RemoveList),
    responses((status = 200, body = WireProperty), (status = 207, body = WireProperty), Problems))]
pub async fn remove_media_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(query): Query<RemoveList>,
) -> Result<Response, ApiError> {
    let ids = query
        .multimedia_identifiers
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| {
                ApiError::field(
                    "multimediaIdentifiers",
                    format!("{s:?} is not a multimedia identifier"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(ApiError::field(
            "multimediaIdentifiers",
            "name at least one multimedia identifier",
        ));
    }
    let current: Vec<Uuid> = state
        .store
        .property_media(ctx.property.id, Role::Gallery)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let (found, missing): (Vec<Uuid>, Vec<Uuid>) =
        ids.into_iter().partition(|i| current.contains(i));
    if found.is_empty() {
        return Err(ApiError::NotFound);
    }
    let change = MediaChange {
        delete: found,
        ..Default::default()
    };
    let (wire, _) = apply(&state, ctx.property.id, change).await?;
    let version = wire.version.unwrap_or(1);
    let mut answer = Resource::ok(wire, version);
    if !missing.is_empty() {
        answer.status = StatusCode::MULTI_STATUS;
    }
    Ok(answer.into_response())
}

/// Upload files to the gallery.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/upload",
    operation_id = "upload-multipart-files", tag = "Media",
    summary = "Upload files to the gallery",
    description = "Each file is typed and measured from its bytes and kept by this server. 200 when every file was kept; 207 when some were refused (a `Wink-Refused-File` header names each, as `/files/<i>: <reason>`); 400 naming each file when none was; 413 when a file or the request is over its limit.",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body(content = UploadFiles, content_type = "multipart/form-data"),
    responses((status = 200, body = WireProperty), (status = 207, body = WireProperty),
        (status = 413, description = "A file or the request is larger than allowed.", body = wink_contract::ProblemDetail, content_type = "application/problem+json"),
        Problems))]
pub async fn upload_multipart_files(
    State(state): State<AppState>,
    ctx: PropertyContext,
    request: Request,
) -> Result<Response, ApiError> {
    let property = ctx.property.id;
    let form = upload::form(&state, request)?;
    let uploaded = upload::receive(&state, property, form, "files", usize::MAX).await?;
    if let Some(refusal) = uploaded.nothing_kept("files") {
        return Err(refusal);
    }
    let start = state
        .store
        .property_media(property, Role::Gallery)
        .await?
        .iter()
        .map(|m| m.sort)
        .max()
        .unwrap_or(0)
        .clamp(0, i32::MAX as i64) as i32;
    let now = state.now();
    let insert = uploaded
        .stored
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = for_file(
                &state,
                &s.file,
                start.saturating_add(1).saturating_add(i as i32),
            );
            medium(property, Role::Gallery, &s.file, m, now)
        })
        .collect::<Result<_, _>>()?;
    let change = MediaChange {
        new_files: uploaded.stored.iter().map(|s| s.file.clone()).collect(),
        insert,
        ..Default::default()
    };
    answer_upload(&state, property, change, &uploaded).await
}

pub(super) fn medium(
    property: Uuid,
    role: Role,
    file: &MediaFile,
    m: SimpleMultimedia,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PropertyMedia, ApiError> {
    Ok(PropertyMedia {
        id: m.multimedia_identifier,
        property_id: property,
        role: role.as_str().into(),
        file_id: Some(file.id),
        sort: m.sort as i64,
        document: DbJson(serde_json::to_value(&m).map_err(|e| ApiError::Internal(e.to_string()))?),
        created_at: now,
        updated_at: now,
    })
}

/// Records the upload (the objects are deleted again if that fails) and answers 200, or 207
/// with a header per refused file.
pub(super) async fn answer_upload(
    state: &AppState,
    property: Uuid,
    change: MediaChange,
    uploaded: &Uploaded,
) -> Result<Response, ApiError> {
    let outcome = match state
        .store
        .change_property_media(property, &change, state.now())
        .await
    {
        Ok(outcome) => outcome,
        Err(e) => {
            uploaded.discard(state).await;
            return Err(e.into());
        }
    };
    release(state, &outcome.released).await;
    let wire = property_answer(state, property).await?;
    let version = wire.version.unwrap_or(1);
    let mut answer = Resource::ok(wire, version);
    if !uploaded.refused.is_empty() {
        answer.status = StatusCode::MULTI_STATUS;
    }
    let mut response = answer.into_response();
    refused_headers(&mut response, uploaded);
    Ok(response)
}

/// One `Wink-Refused-File` header per refused file (non-ASCII shown as `?`).
pub fn refused_headers(response: &mut Response, uploaded: &Uploaded) {
    for r in &uploaded.refused {
        let text: String = format!("{}: {}", r.field, r.message)
            .chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if let Ok(value) = HeaderValue::from_str(&text) {
            response.headers_mut().append(REFUSED_HEADER, value);
        }
    }
}

/// Update a medium.
#[utoipa::path(put, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/{multimediaIdentifier}",
    operation_id = "update-multimedia", tag = "Media",
    summary = "Update a medium",
    description = "Its metadata (`sort`, `published`, `category`, `descriptions`...). For a file of this server, `identifier`, `type`, `width` and `height` stay the file's.",
    params(("managingEntityIdentifier" = Uuid, Path), ("multimediaIdentifier" = Uuid, Path)),
    request_body = SimpleMultimedia,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_multimedia(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<SimpleMultimedia>,
) -> Result<Resource<WireProperty>, ApiError> {
    let property = ctx.property.id;
    let medium_id = id(&ids.1)?;
    let current = state
        .store
        .property_media(property, Role::Gallery)
        .await?
        .into_iter()
        .find(|m| m.id == medium_id)
        .ok_or(ApiError::NotFound)?;
    let mut m = body.value;
    m.multimedia_identifier = medium_id;
    let mut medium = from_request(&state, property, m, "", state.now()).await?;
    medium.created_at = current.created_at;
    let change = MediaChange {
        update: vec![medium],
        ..Default::default()
    };
    let (wire, missing) = apply(&state, property, change).await?;
    if !missing.is_empty() {
        return Err(ApiError::NotFound);
    }
    let version = wire.version.unwrap_or(1);
    Ok(Resource::ok(wire, version))
}

/// Remove a medium.
#[utoipa::path(delete, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/multimedia/{multimediaIdentifier}",
    operation_id = "remove-multimedia", tag = "Media",
    summary = "Remove a medium",
    description = "Its file is deleted when nothing else shows it.",
    params(("managingEntityIdentifier" = Uuid, Path), ("multimediaIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireProperty), Problems))]
pub async fn remove_multimedia(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireProperty>, ApiError> {
    let medium_id = id(&ids.1)?;
    let media = state
        .store
        .property_media(ctx.property.id, Role::Gallery)
        .await?;
    if !media.iter().any(|m| m.id == medium_id) {
        return Err(ApiError::NotFound);
    }
    let change = MediaChange {
        delete: vec![medium_id],
        ..Default::default()
    };
    let (wire, missing) = apply(&state, ctx.property.id, change).await?;
    if !missing.is_empty() {
        return Err(ApiError::NotFound);
    }
    let version = wire.version.unwrap_or(1);
    Ok(Resource::ok(wire, version))
}
