//! The upload pipeline: a `multipart/form-data` body read part by part and chunk by chunk,
//! each file streamed to storage while [`wink_domain::media::Probe`] reads its type and size
//! from the bytes (the name and declared type are not trusted). No file is ever held whole in
//! memory: the probe keeps at most a few MiB, storage about two parts.
//!
//! Each file succeeds or fails on its own ([`Outcome`]): a file that is not one of the contract's
//! types is refused as soon as its first bytes are seen (nothing is written); one whose size
//! cannot be read is aborted (its partial object deleted). A file over the per-file limit, or a
//! body over the per-request limit, fails the whole request with 413, and every object the
//! request wrote is deleted. The caller records the files it keeps with their references, and
//! deletes the objects again ([`Uploaded::discard`]) if that fails.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::header;
use futures_util::Stream;
use multer::{Constraints, Field, Multipart, SizeLimit};
use uuid::Uuid;
use wink_contract::FieldError;
use wink_domain::media::{MediaType, Probe, ProbeError};
use wink_store::media::MediaFile;

use crate::error::ApiError;
use crate::media::storage::ObjectWriter;
use crate::state::AppState;

/// Whether the operation at (`method`, `route`) takes files.
pub fn is_upload(method: &axum::http::Method, route: &str) -> bool {
    *method == axum::http::Method::POST
        && (route.ends_with("/multimedia/upload")
            || route.ends_with("/general-manager/upload")
            || route.ends_with("}/multimedia"))
}

/// How many bytes are needed to tell every accepted type apart (MKV's DocType is furthest).
const SNIFF_BYTES: usize = 64;

/// A file kept in storage, not yet recorded.
#[derive(Debug, Clone)]
pub struct Stored {
    pub file: MediaFile,
    pub media_type: MediaType,
    /// Position among the request's files.
    pub index: usize,
}

/// The request's files: those stored, and the refusals (each naming its file).
#[derive(Debug, Default)]
pub struct Uploaded {
    pub stored: Vec<Stored>,
    pub refused: Vec<FieldError>,
}

impl Uploaded {
    /// Deletes the stored objects (the request failed after they were written).
    pub async fn discard(&self, state: &AppState) {
        for s in &self.stored {
            if let Err(e) = state.media.delete(s.file.id).await {
                tracing::warn!(file = %s.file.id, error = %e, "deleting an unrecorded upload failed; the sweep will");
            }
        }
    }

    /// The refusals as the request's error when no file was kept.
    pub fn nothing_kept(&self, field: &str) -> Option<ApiError> {
        if !self.stored.is_empty() {
            return None;
        }
        Some(if self.refused.is_empty() {
            ApiError::field(format!("/{field}"), "no file was sent")
        } else {
            ApiError::Invalid(self.refused.clone())
        })
    }
}

/// The request body as multipart form data (415 when it is not), read as a stream under the
/// configured limits: the whole body (`max_request_bytes`) and each file (`max_file_bytes`);
/// past either, reading fails with 413. (The API's JSON body limit is not involved: it only
/// applies to bodies read whole.)
pub fn form(state: &AppState, request: Request) -> Result<Multipart<'static>, ApiError> {
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or(ApiError::UnsupportedMediaType)?;
    let limits = &state.config.media;
    let constraints = Constraints::new().size_limit(
        SizeLimit::new()
            .whole_stream(limits.max_request_bytes)
            .per_field(limits.max_file_bytes),
    );
    let stream = OneAtATime {
        inner: request.into_body().into_data_stream(),
        yielded: false,
    };
    Ok(Multipart::with_constraints(stream, boundary, constraints))
}

/// A body stream that hands over one chunk per poll. The multipart parser reads its input for as
/// long as it is ready, into a buffer without bound: a client faster than storage would have it
/// hold the whole file. Answering `Pending` (and waking at once) after each chunk makes it pass
/// each chunk on before it reads the next.
struct OneAtATime<S> {
    inner: S,
    yielded: bool,
}

impl<S: Stream + Unpin> Stream for OneAtATime<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        if self.yielded {
            self.yielded = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let next = Pin::new(&mut self.inner).poll_next(cx);
        self.yielded = matches!(next, Poll::Ready(Some(_)));
        next
    }
}

fn read_error(e: multer::Error) -> ApiError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            ApiError::PayloadTooLarge
        }
        other => ApiError::BadRequest(format!("the multipart body could not be read: {other}")),
    }
}

/// Streams every part named `field` (others are refused) of `form` to storage for `property`.
/// At most `max_files` files are taken (`max_files` = 1 for a single-file operation).
pub async fn receive(
    state: &AppState,
    property: Uuid,
    mut form: Multipart<'static>,
    field: &str,
    max_files: usize,
) -> Result<Uploaded, ApiError> {
    let mut out = Uploaded::default();
    let mut index = 0usize;
    loop {
        let next = match form.next_field().await {
            Ok(next) => next,
            Err(e) => {
                out.discard(state).await;
                return Err(read_error(e));
            }
        };
        let Some(part) = next else { break };
        let name = part.name().unwrap_or_default().to_string();
        let pointer = if max_files == 1 {
            format!("/{field}")
        } else {
            format!("/{field}/{index}")
        };
        if name != field {
            out.refused.push(FieldError {
                field: format!("/{name}"),
                message: format!("unknown part; send the files as `{field}`"),
            });
            continue;
        }
        if index >= max_files {
            out.refused.push(FieldError {
                field: pointer,
                message: format!("this operation takes {max_files} file"),
            });
            index += 1;
            continue;
        }
        match store_one(state, property, part, index).await {
            Ok(Ok(stored)) => out.stored.push(stored),
            Ok(Err(refusal)) => out.refused.push(FieldError {
                field: pointer,
                message: refusal,
            }),
            Err(e) => {
                out.discard(state).await;
                return Err(e);
            }
        }
        index += 1;
    }
    Ok(out)
}

/// One file: `Ok(Err(reason))` when the file is refused (nothing of it kept), `Err` when the
/// request must fail (too large, unreadable body, storage down; nothing of this file kept).
async fn store_one(
    state: &AppState,
    property: Uuid,
    mut part: Field<'static>,
    index: usize,
) -> Result<Result<Stored, String>, ApiError> {
    let original_name = part.file_name().unwrap_or_default().to_string();
    let shown = if original_name.is_empty() {
        format!("file {}", index + 1)
    } else {
        format!("\"{original_name}\"")
    };
    let limit = state.config.media.max_file_bytes;
    let id = Uuid::new_v4();
    let mut probe = Probe::new();
    let mut pending: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut writer: Option<ObjectWriter> = None;
    loop {
        let chunk = match part.chunk().await {
            Ok(chunk) => chunk,
            Err(e) => {
                if let Some(w) = writer {
                    w.abort().await;
                }
                return Err(read_error(e));
            }
        };
        let Some(chunk) = chunk else { break };
        probe.feed(&chunk);
        if probe.bytes() > limit {
            if let Some(w) = writer {
                w.abort().await;
            }
            return Err(ApiError::PayloadTooLarge);
        }
        let w = match &mut writer {
            Some(w) => w,
            None => {
                // Hold the first bytes until the type can be told: a refused file is never written.
                pending.extend_from_slice(&chunk);
                if pending.len() < SNIFF_BYTES {
                    continue;
                }
                if MediaType::sniff(&pending).is_none() {
                    drain(&mut part).await?;
                    return Ok(Err(format!("{shown} {}", ProbeError::UnsupportedType)));
                }
                writer = Some(start(state, id, &pending).await?);
                pending = Vec::new();
                continue;
            }
        };
        if let Err(e) = w.write(&chunk).await {
            if let Some(w) = writer {
                w.abort().await;
            }
            return Err(e.into());
        }
    }
    let probed = match probe.finish() {
        Ok(p) => p,
        Err(e) => {
            if let Some(w) = writer {
                w.abort().await;
            }
            return Ok(Err(format!("{shown} {e}")));
        }
    };
    let w = match writer {
        Some(w) => w,
        // A file shorter than SNIFF_BYTES: still held.
        None => start(state, id, &pending).await?,
    };
    w.finish().await?;
    Ok(Ok(Stored {
        file: MediaFile {
            id,
            property_id: property,
            media_type: probed.media_type.as_str().into(),
            byte_size: probed.bytes as i64,
            width: probed.width as i64,
            height: probed.height as i64,
            original_name,
            created_at: state.now(),
        },
        media_type: probed.media_type,
        index,
    }))
}

/// A new object for file `id`, starting with `first` (aborted if that fails).
async fn start(state: &AppState, id: Uuid, first: &[u8]) -> Result<ObjectWriter, ApiError> {
    let mut w = state.media.writer(id).await?;
    if let Err(e) = w.write(first).await {
        w.abort().await;
        return Err(e.into());
    }
    Ok(w)
}

/// Reads the rest of a refused part without keeping it.
async fn drain(part: &mut Field<'static>) -> Result<(), ApiError> {
    while part.chunk().await.map_err(read_error)?.is_some() {}
    Ok(())
}
