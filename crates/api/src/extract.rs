//! Extractors that refuse with problem details (axum's own answer in plain text).

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::{ApiError, StoreErrorExt};

/// Path parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// Query parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::NotFound
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::field("query", e.body_text())
    }
}

/// An identifier from the path: anything that is not a UUID names nothing, so it is 404.
pub fn id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

/// The version named by `If-Match` (`"3"` or `W/"3"`; `*` means any version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> OptionalFromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| ApiError::field("If-Match", "must be an entity tag"))?
            .trim();
        if text == "*" {
            return Ok(Some(IfMatch(None)));
        }
        let tag = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        let version = tag.parse::<i64>().map_err(|_| {
            ApiError::field("If-Match", "must be the ETag of the resource, e.g. \"3\"")
        })?;
        Ok(Some(IfMatch(Some(version))))
    }
}

/// The version a write must find, from `If-Match` or the body's `version`, and how to refuse a
/// stale one (412 for the header, 409 for the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Any,
    Header(i64),
    Body(i64),
}

impl Expected {
    pub fn new(if_match: Option<IfMatch>, body_version: Option<i64>) -> Self {
        match (if_match, body_version) {
            (Some(IfMatch(Some(v))), _) => Expected::Header(v),
            (_, Some(v)) => Expected::Body(v),
            _ => Expected::Any,
        }
    }

    pub fn version(self) -> Option<i64> {
        match self {
            Expected::Any => None,
            Expected::Header(v) | Expected::Body(v) => Some(v),
        }
    }

    /// The answer to a failed write: a stale version is 412 when `If-Match` named it, 409 when the
    /// body did; other errors as usual.
    pub fn refuse(self, e: wink_store::StoreError) -> ApiError {
        match e.stale_version() {
            Some(current) => self.refuse_stale(current),
            None => e.into(),
        }
    }

    /// The answer to a write that found the resource at `current`, not the version expected.
    pub fn refuse_stale(self, current: i64) -> ApiError {
        match self {
            Expected::Header(_) => ApiError::PreconditionFailed,
            Expected::Any | Expected::Body(_) => ApiError::stale(current),
        }
    }
}
