//! The media of the property's items (room types and the seven inventory kinds): files uploaded
//! to an item (`…/{id}/multimedia`, multipart), a medium removed, and for add-ons a medium added
//! or updated by reference. An item's media are its document's `multimedias`, which every answer
//! of the item requires to hold at least one: removing the last is refused (400 naming
//! `multimedias`, rule in `wink_domain::media`).
//!
//! Uploads answer 207 (the only success the contract documents for them) with the item; a file
//! refused is named in a `Wink-Refused-File` header; none kept answers 400 naming each file.
//! A medium's file is deleted when nothing shows it any more: a duplicated room type keeps
//! showing its original's files (see `wink_store::media`).
//!
//! [`item_media!`] declares a kind's handlers (paths, operationIds, tags); the work is here.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::SimpleMultimedia;
use wink_store::StoreError;
use wink_store::media::ItemRef;

use crate::auth::PropertyContext;
use crate::error::ApiError;
use crate::extract::id;
use crate::media::{release, serve, upload};
use crate::property::media::{for_file, refused_headers};
use crate::response::Resource;
use crate::state::AppState;

/// Declares the media handlers of an item kind: `upload` (POST `{base}/{id}/multimedia`) and,
/// when given, `remove` (DELETE `{base}/{id}/multimedia/{multimediaIdentifier}`).
macro_rules! item_media {
    (
        item: $item:expr,
        tag: $tag:tt,
        response: $resp:ty,
        path: $base:tt,
        id: $id:tt,
        upload: $upload:ident $upload_op:tt
        $(, remove: $remove:ident $remove_op:tt)? $(,)?
    ) => {
        #[utoipa::path(post, path = concat!($base, "/{", $id, "}/multimedia"), operation_id = $upload_op, tag = $tag,
            summary = "Upload files",
            description = "Each file is typed and measured from its bytes and kept by this server; the item shows them after its media. 207 with the item (a `Wink-Refused-File` header names each refused file); 400 naming each file when none was kept; 413 when a file or the request is over its limit.",
            params(("managingEntityIdentifier" = uuid::Uuid, Path), ($id = uuid::Uuid, Path)),
            request_body(content = crate::property::media::UploadFiles, content_type = "multipart/form-data"),
            responses((status = 207, body = $resp),
                (status = 413, description = "A file or the request is larger than allowed.", body = wink_contract::ProblemDetail, content_type = "application/problem+json"),
                crate::error::Problems))]
        pub async fn $upload(
            axum::extract::State(state): axum::extract::State<crate::state::AppState>,
            ctx: crate::auth::PropertyContext,
            crate::extract::Path(ids): crate::extract::Path<(String, String)>,
            request: axum::extract::Request,
        ) -> Result<axum::response::Response, crate::error::ApiError> {
            let item = ($item)(crate::extract::id(&ids.1)?);
            crate::inventory::media::upload::<$resp>(&state, &ctx, item, request).await
        }

        $(
            #[utoipa::path(delete, path = concat!($base, "/{", $id, "}/multimedia/{multimediaIdentifier}"), operation_id = $remove_op, tag = $tag,
                summary = "Remove a medium",
                description = "Refused (400 naming `multimedias`) when it is the item's last. Its file is deleted when nothing else shows it.",
                params(("managingEntityIdentifier" = uuid::Uuid, Path), ($id = uuid::Uuid, Path), ("multimediaIdentifier" = uuid::Uuid, Path)),
                responses((status = 200, body = $resp), crate::error::Problems))]
            pub async fn $remove(
                axum::extract::State(state): axum::extract::State<crate::state::AppState>,
                ctx: crate::auth::PropertyContext,
                crate::extract::Path(ids): crate::extract::Path<(String, String, String)>,
            ) -> Result<crate::response::Resource<$resp>, crate::error::ApiError> {
                let item = ($item)(crate::extract::id(&ids.1)?);
                crate::inventory::media::remove::<$resp>(&state, &ctx, item, &ids.2).await
            }
        )?
    };
}
pub(crate) use item_media;

/// The item's wire form and version.
async fn answer<W: DeserializeOwned>(
    state: &AppState,
    property: Uuid,
    item: ItemRef,
) -> Result<(W, i64), ApiError> {
    match item {
        ItemRef::Inventory(kind, id) => {
            let row = state.store.inventory_item(property, kind, id).await?;
            Ok((super::one::<W>(state, &row).await?, row.version))
        }
        ItemRef::RoomType(id) => {
            let row = state.store.room_type(property, id).await?;
            let wire = crate::facilities::guest_room::to_wire(&row)?;
            let value =
                serde_json::to_value(wire).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((
                crate::error::from_document("room type", id, &value)?,
                row.version,
            ))
        }
    }
}

/// 404 unless the item is the property's (before any file is read).
async fn exists(state: &AppState, property: Uuid, item: ItemRef) -> Result<(), ApiError> {
    match item {
        ItemRef::Inventory(kind, id) => state
            .store
            .inventory_item(property, kind, id)
            .await
            .map(drop),
        ItemRef::RoomType(id) => state.store.room_type(property, id).await.map(drop),
    }
    .map_err(ApiError::from)
}

fn media_of(document: &mut Value) -> Result<&mut Vec<Value>, ApiError> {
    if document.get("multimedias").is_none_or(Value::is_null) {
        document["multimedias"] = json!([]);
    }
    document["multimedias"]
        .as_array_mut()
        .ok_or_else(|| ApiError::Internal("stored multimedias is not a list".into()))
}

fn sort_of(m: &Value) -> i64 {
    m.get("sort").and_then(Value::as_i64).unwrap_or(0)
}

fn id_of(m: &Value) -> Option<Uuid> {
    m.get("multimediaIdentifier")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
}

fn to_value(m: &SimpleMultimedia) -> Result<Value, ApiError> {
    serde_json::to_value(m).map_err(|e| ApiError::Internal(e.to_string()))
}

pub async fn upload<W: DeserializeOwned + serde::Serialize>(
    state: &AppState,
    ctx: &PropertyContext,
    item: ItemRef,
    request: Request,
) -> Result<Response, ApiError> {
    let property = ctx.property.id;
    exists(state, property, item).await?;
    let form = upload::form(state, request)?;
    let uploaded = upload::receive(state, property, form, "files", usize::MAX).await?;
    if let Some(refusal) = uploaded.nothing_kept("files") {
        return Err(refusal);
    }
    let files: Vec<_> = uploaded.stored.iter().map(|s| s.file.clone()).collect();
    let changed = state
        .store
        .change_item_media(property, item, &files, state.now(), |document| {
            let media = media_of(document)?;
            let start = media
                .iter()
                .map(sort_of)
                .max()
                .unwrap_or(0)
                .clamp(0, i32::MAX as i64) as i32;
            for (i, s) in uploaded.stored.iter().enumerate() {
                media.push(to_value(&for_file(
                    state,
                    &s.file,
                    start.saturating_add(1).saturating_add(i as i32),
                ))?);
            }
            Ok::<_, ApiError>(())
        })
        .await;
    match changed {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            uploaded.discard(state).await;
            return Err(e);
        }
        Err(e) => {
            uploaded.discard(state).await;
            return Err(e.into());
        }
    }
    let (wire, version) = answer::<W>(state, property, item).await?;
    let mut answer = Resource::ok(wire, version);
    answer.status = StatusCode::MULTI_STATUS;
    let mut response = answer.into_response();
    refused_headers(&mut response, &uploaded);
    Ok(response)
}

pub async fn remove<W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    item: ItemRef,
    raw_medium: &str,
) -> Result<Resource<W>, ApiError> {
    let property = ctx.property.id;
    let medium = id(raw_medium)?;
    let mut released = None;
    state
        .store
        .change_item_media(property, item, &[], state.now(), |document| {
            let media = media_of(document)?;
            let at = media
                .iter()
                .position(|m| id_of(m) == Some(medium))
                .ok_or(ApiError::NotFound)?;
            wink_domain::media::may_remove_medium(media.len())?;
            let gone = media.remove(at);
            released = gone
                .get("identifier")
                .and_then(Value::as_str)
                .and_then(serve::file_in);
            Ok::<_, ApiError>(())
        })
        .await??;
    release(state, &released.into_iter().collect::<Vec<_>>()).await;
    let (wire, version) = answer::<W>(state, property, item).await?;
    Ok(Resource::ok(wire, version))
}

/// A medium from a request: a file it names must be this property's (400 naming `identifier`
/// otherwise), and then sets the medium's type and size.
async fn checked(
    state: &AppState,
    property: Uuid,
    mut m: SimpleMultimedia,
) -> Result<SimpleMultimedia, ApiError> {
    if let Some(file_id) = serve::file_in(&m.identifier) {
        let file = match state.store.media_file(file_id).await {
            Ok(f) if f.property_id == property => f,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(ApiError::field(
                    "/identifier",
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
    Ok(m)
}

/// Adds a medium by reference (a new `multimediaIdentifier`).
pub async fn add<W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    item: ItemRef,
    mut m: SimpleMultimedia,
) -> Result<Resource<W>, ApiError> {
    let property = ctx.property.id;
    exists(state, property, item).await?;
    m.multimedia_identifier = Uuid::new_v4();
    let m = to_value(&checked(state, property, m).await?)?;
    state
        .store
        .change_item_media(property, item, &[], state.now(), |document| {
            media_of(document)?.push(m);
            Ok::<_, ApiError>(())
        })
        .await??;
    let (wire, version) = answer::<W>(state, property, item).await?;
    Ok(Resource::ok(wire, version))
}

/// Replaces a medium's metadata (a file of this server keeps its identifier, type and size).
pub async fn update<W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    item: ItemRef,
    raw_medium: &str,
    mut m: SimpleMultimedia,
) -> Result<Resource<W>, ApiError> {
    let property = ctx.property.id;
    let medium = id(raw_medium)?;
    exists(state, property, item).await?;
    m.multimedia_identifier = medium;
    let m = to_value(&checked(state, property, m).await?)?;
    let mut released = None;
    state
        .store
        .change_item_media(property, item, &[], state.now(), |document| {
            let media = media_of(document)?;
            let slot = media
                .iter_mut()
                .find(|x| id_of(x) == Some(medium))
                .ok_or(ApiError::NotFound)?;
            let before = slot
                .get("identifier")
                .and_then(Value::as_str)
                .and_then(serve::file_in);
            let after = m
                .get("identifier")
                .and_then(Value::as_str)
                .and_then(serve::file_in);
            if before != after {
                released = before;
            }
            *slot = m;
            Ok::<_, ApiError>(())
        })
        .await??;
    release(state, &released.into_iter().collect::<Vec<_>>()).await;
    let (wire, version) = answer::<W>(state, property, item).await?;
    Ok(Resource::ok(wire, version))
}
