//! `GET /media/files/{id}.{ext}`: a stored file, served without a token (answers put these URLs
//! in `multimedias[].identifier`, for `<img>` and `<video>` tags). The id is random (v4), so a URL
//! cannot be derived from another file's or another property's; the URL says nothing about the
//! property.
//!
//! A file never changes once stored (a new upload is a new id), so its `ETag` is its id and it
//! is `Cache-Control: public, max-age=31536000, immutable`; `If-None-Match` answers 304. One
//! byte range (`Range: bytes=a-b`, `a-`, `-n`) answers 206 with `Content-Range`; a range past the
//! end answers 416; several ranges are answered with the whole file (RFC 9110 allows it).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use wink_domain::media::MediaType;

use crate::error::ApiError;
use crate::state::AppState;

/// The public URL of file `id` of type `media_type`.
pub fn url(state: &AppState, id: Uuid, media_type: &str) -> String {
    format!("{}/media/files/{id}.{media_type}", state.public_base_url())
}

/// The file id in one of our URLs (or in a path `…/media/files/<id>.<ext>`).
pub fn file_in(url: &str) -> Option<Uuid> {
    let rest = url.split("/media/files/").nth(1)?;
    let id = rest.split(['.', '?', '#', '/']).next()?;
    Uuid::parse_str(id).ok()
}

pub async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (id, ext) = name.split_once('.').unwrap_or((&name, ""));
    let id = Uuid::parse_str(id).map_err(|_| ApiError::NotFound)?;
    let stored = state.store.media_file(id).await?;
    if !ext.is_empty() && ext != stored.media_type {
        return Err(ApiError::NotFound);
    }
    let media_type = MediaType::parse(&stored.media_type)
        .ok_or_else(|| ApiError::Internal(format!("stored file {id} of unknown type")))?;
    let size = stored.byte_size as u64;
    let etag = format!("\"{id}\"");
    let mut common = HeaderMap::new();
    common.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ascii"));
    common.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    common.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    common.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    common.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let matches = tags.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        });
        if matches {
            return Ok((StatusCode::NOT_MODIFIED, common).into_response());
        }
    }
    common.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type.content_type()),
    );
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|r| byte_range(r, size));
    let (status, range) = match range {
        Some(Some(Ok(r))) => (StatusCode::PARTIAL_CONTENT, Some(r)),
        Some(Some(Err(()))) => {
            common.insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{size}")).expect("ascii"),
            );
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, common).into_response());
        }
        _ => (StatusCode::OK, None),
    };
    let length = range.as_ref().map(|r| r.end - r.start).unwrap_or(size);
    if let Some(r) = &range {
        common.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start, r.end - 1))
                .expect("ascii"),
        );
    }
    common.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let stream = state.media.read(id, range).await?;
    Ok((status, common, Body::from_stream(stream)).into_response())
}

/// The one range of a `Range` header over `size` bytes: `None` to ignore the header (not bytes,
/// several ranges, malformed), `Some(Err)` when it cannot be satisfied.
fn byte_range(header: &str, size: u64) -> Option<Result<std::ops::Range<u64>, ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        let n: u64 = last.parse().ok()?;
        if n == 0 {
            return Some(Err(()));
        }
        size.saturating_sub(n)..size
    } else {
        let start: u64 = first.parse().ok()?;
        let end = if last.is_empty() {
            size
        } else {
            let last: u64 = last.parse().ok()?;
            if last < start {
                return None;
            }
            (last + 1).min(size)
        };
        start..end
    };
    if range.start >= size || range.start >= range.end {
        return Some(Err(()));
    }
    Some(Ok(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(byte_range("bytes=0-9", 100), Some(Ok(0..10)));
        assert_eq!(byte_range("bytes=90-", 100), Some(Ok(90..100)));
        assert_eq!(byte_range("bytes=-10", 100), Some(Ok(90..100)));
        assert_eq!(byte_range("bytes=95-200", 100), Some(Ok(95..100)));
        assert_eq!(byte_range("bytes=100-", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(
            file_in("http://x/media/files/4f1c2b3a-0000-4000-8000-000000000001.png"),
            Some(Uuid::parse_str("4f1c2b3a-0000-4000-8000-000000000001").unwrap())
        );
        assert_eq!(file_in("the-siam-residences/lobby"), None);
    }
}
