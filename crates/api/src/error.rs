//! The one error type of the API. Every error leaves as RFC 9457 `application/problem+json`
//! through [`ApiError::into_response`]; nothing else writes error bodies.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use utoipa::IntoResponses;
use wink_contract::{FieldError, ProblemDetail};
use wink_store::StoreError;

use crate::auth::limits::Refused;
use crate::request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or breaks the contract's rules; each offending field is named.
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    /// A request the server understood but refuses for a reason that is not one field.
    #[error("{0}")]
    BadRequest(String),
    /// No usable bearer token.
    #[error("authentication required")]
    Unauthorized,
    /// The calendar feed's HTTP Basic credentials (property and CalDAV passkey) are missing or
    /// wrong, or name no property.
    #[error("calendar feed credentials required")]
    PasskeyRequired,
    /// A valid token without the scope the operation needs.
    #[error("missing scope {0}")]
    Forbidden(&'static str),
    /// The resource does not exist, or belongs to someone else (the two answer the same).
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The write contradicts the stored state (stale `version`, still referenced, sold out...).
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` named a version that is no longer current.
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("{0}")]
    Unprocessable(String),
    /// Storage unreachable or overloaded, or the request took too long; safe to retry. The text
    /// is for the log only: it may quote the database's own error.
    #[error("{0}")]
    Unavailable(String),
    /// The caller asked for this too often; it may try again after `retry_after_seconds`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_seconds: u64,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A problem with one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// A write that named a version older than the stored one (`current`).
    pub fn stale(current: i64) -> Self {
        ApiError::Conflict(format!(
            "the resource changed: it is now at version {current}; read it again and retry"
        ))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::PasskeyRequired => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short, stable name of the kind of problem, the last segment of the `type` URI.
    fn kind(&self) -> &'static str {
        match self {
            ApiError::Invalid(_) => "validation-error",
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Unauthorized | ApiError::PasskeyRequired => "unauthorized",
            ApiError::Forbidden(_) => "insufficient-scope",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::TooManyRequests { .. } => "too-many-requests",
            ApiError::Internal(_) => "internal-error",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::Invalid(errors) if errors.len() == 1 => {
                Some(format!("{}: {}", errors[0].field, errors[0].message))
            }
            ApiError::Invalid(errors) => Some(format!("{} fields are invalid", errors.len())),
            ApiError::BadRequest(m) | ApiError::Conflict(m) | ApiError::Unprocessable(m) => {
                Some(m.clone())
            }
            ApiError::Unauthorized => {
                Some("a valid bearer access token is required (POST /oauth2/token)".into())
            }
            ApiError::PasskeyRequired => Some(
                "HTTP Basic credentials are required: the property's identifier and its CalDAV \
                 passkey (caldav/auth/regen)"
                    .into(),
            ),
            ApiError::Forbidden(scope) => Some(format!(
                "the access token lacks the scope {}",
                scope.replace(crate::auth::SCOPE_ALTERNATIVES, " or ")
            )),
            ApiError::NotFound => Some("no such resource".into()),
            ApiError::PreconditionFailed => {
                Some("the resource changed since the version named in If-Match".into())
            }
            ApiError::PayloadTooLarge => {
                Some("the request body is larger than the server accepts".into())
            }
            ApiError::UnsupportedMediaType => Some(
                "send the request body as application/json (uploads: multipart/form-data)".into(),
            ),
            ApiError::TooManyRequests { message, .. } => Some(message.clone()),
            // Like internal details, the cause goes to the log (with the request id), not to the
            // client: it can be the database's own error text (host names, roles, schema).
            ApiError::Unavailable(_) => Some(
                "the service is temporarily unavailable; retry shortly (quote the instance when \
                 reporting it)"
                    .into(),
            ),
            // Internal details go to the log, not to the client.
            ApiError::Internal(_) => {
                Some("an unexpected error occurred; quote the instance when reporting it".into())
            }
            ApiError::MethodNotAllowed => None,
        }
    }

    pub fn problem(&self) -> ProblemDetail {
        let status = self.status();
        ProblemDetail {
            r#type: format!("urn:wink-supplier:problem:{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: request_id::current().map(|id| format!("urn:uuid:{id}")),
            errors: match self {
                ApiError::Invalid(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(message) => {
                tracing::error!(request_id = request_id::current().as_deref().unwrap_or("-"), %message, "request failed")
            }
            ApiError::Unavailable(message) => {
                tracing::warn!(request_id = request_id::current().as_deref().unwrap_or("-"), %message, "request not served")
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        match self {
            ApiError::Unauthorized => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"wink-supplier\""),
                );
            }
            ApiError::PasskeyRequired => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(
                        "Basic realm=\"wink-supplier calendar\", charset=\"UTF-8\"",
                    ),
                );
            }
            ApiError::Forbidden(scope) => {
                let value = format!(
                    "Bearer realm=\"wink-supplier\", error=\"insufficient_scope\", scope=\"{}\"",
                    scope.replace(crate::auth::SCOPE_ALTERNATIVES, " ")
                );
                if let Ok(v) = HeaderValue::from_str(&value) {
                    headers.insert(header::WWW_AUTHENTICATE, v);
                }
            }
            ApiError::Unavailable(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            ApiError::TooManyRequests {
                retry_after_seconds,
                ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
            }
            _ => {}
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Stale { current } => ApiError::stale(current),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Unavailable(m) => ApiError::Unavailable(format!(
                "storage is busy or unreachable, retry shortly ({m})"
            )),
            StoreError::Config(m) | StoreError::Internal(m) => ApiError::Internal(m),
        }
    }
}

/// The storage outcomes a call site answers differently from the usual mapping, so no handler
/// matches on `StoreError` itself.
pub trait StoreErrorExt {
    /// The stored version, when the write was refused for naming an older one.
    fn stale_version(&self) -> Option<i64>;
    /// Whether the write clashed with stored data (a duplicate, a reference, nothing left).
    fn is_conflict(&self) -> bool;
}

impl StoreErrorExt for StoreError {
    fn stale_version(&self) -> Option<i64> {
        match self {
            StoreError::Stale { current } => Some(*current),
            _ => None,
        }
    }

    fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict(_))
    }
}

/// A storage result whose missing row means something else than a 404 at the call site.
pub trait StoreResultExt<T> {
    /// A missing row is `Ok(None)`; other errors as usual.
    fn optional(self) -> Result<Option<T>, ApiError>;
    /// A missing row is the error `missing` gives (a field that names nothing, say); other errors
    /// as usual.
    fn not_found_as(self, missing: impl FnOnce() -> ApiError) -> Result<T, ApiError>;
}

impl<T> StoreResultExt<T> for Result<T, StoreError> {
    fn optional(self) -> Result<Option<T>, ApiError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn not_found_as(self, missing: impl FnOnce() -> ApiError) -> Result<T, ApiError> {
        self.optional()?.ok_or_else(missing)
    }
}

/// A stored JSON document read back as `T`. The server wrote it, so a document that does not
/// read is a server fault (500, logged with `what` and `id`), never the caller's.
pub fn from_document<T: DeserializeOwned>(
    what: &str,
    id: impl std::fmt::Display,
    document: &serde_json::Value,
) -> Result<T, ApiError> {
    T::deserialize(document)
        .map_err(|e| ApiError::Internal(format!("stored {what} {id} unreadable: {e}")))
}

/// Object storage (media files): a missing object is a missing resource; anything else is the
/// storage being unreachable or failing (503, the cause logged).
impl From<object_store::Error> for ApiError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => ApiError::NotFound,
            other => ApiError::Unavailable(format!("media storage: {other}")),
        }
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::TooMany(_) => ApiError::TooManyRequests {
                message: format!(
                    "too many failed authentications from this client or address; retry in {} s",
                    refused.retry_after_secs()
                ),
                retry_after_seconds: refused.retry_after_secs(),
            },
            Refused::Busy => ApiError::Unavailable(
                "too many authentications in progress on this server, retry shortly".into(),
            ),
        }
    }
}

impl From<wink_domain::error::DomainError> for ApiError {
    fn from(e: wink_domain::error::DomainError) -> Self {
        ApiError::from_domain([e])
    }
}

impl ApiError {
    /// A 400 listing every field the domain refused.
    pub fn from_domain(
        errors: impl IntoIterator<Item = wink_domain::error::DomainError>,
    ) -> ApiError {
        ApiError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    // Domain rules name body fields in dotted form (`room.adults`); the API names
                    // them as JSON pointers into the body, like the schema validation does.
                    let field = e.field();
                    let pointer = if field.starts_with('/') {
                        field.to_string()
                    } else {
                        format!("/{}", field.replace('.', "/"))
                    };
                    FieldError {
                        field: pointer,
                        message: e.message().to_string(),
                    }
                })
                .collect(),
        )
    }
}

/// The error responses every operation documents, as the contract lists them.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Problems {
    #[response(
        status = 400,
        description = "The request is malformed or invalid; `errors` names each field.",
        content_type = "application/problem+json"
    )]
    BadRequest(ProblemDetail),
    #[response(
        status = 401,
        description = "No valid bearer token.",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemDetail),
    #[response(
        status = 403,
        description = "The token lacks the operation's scope.",
        content_type = "application/problem+json"
    )]
    Forbidden(ProblemDetail),
    #[response(
        status = 404,
        description = "No such resource for this caller.",
        content_type = "application/problem+json"
    )]
    NotFound(ProblemDetail),
    #[response(
        status = 405,
        description = "Method not allowed.",
        content_type = "application/problem+json"
    )]
    MethodNotAllowed(ProblemDetail),
    #[response(
        status = 409,
        description = "Stale version, or the change contradicts stored state.",
        content_type = "application/problem+json"
    )]
    Conflict(ProblemDetail),
    #[response(
        status = 412,
        description = "If-Match names a version that is no longer current.",
        content_type = "application/problem+json"
    )]
    PreconditionFailed(ProblemDetail),
    #[response(
        status = 415,
        description = "The body is not application/json.",
        content_type = "application/problem+json"
    )]
    UnsupportedMediaType(ProblemDetail),
    #[response(
        status = 500,
        description = "Unexpected failure.",
        content_type = "application/problem+json"
    )]
    Internal(ProblemDetail),
    #[response(
        status = 503,
        description = "Storage busy or unreachable, or the request timed out; retry.",
        content_type = "application/problem+json"
    )]
    Unavailable(ProblemDetail),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_row_is_what_the_call_site_says() {
        let missing: Result<i32, StoreError> = Err(StoreError::NotFound);
        assert!(matches!(missing.optional(), Ok(None)));
        let missing: Result<i32, StoreError> = Err(StoreError::NotFound);
        let refused = missing.not_found_as(|| ApiError::field("/x", "names nothing"));
        assert!(matches!(refused, Err(ApiError::Invalid(f)) if f[0].field == "/x"));
        let found: Result<i32, StoreError> = Ok(7);
        assert!(matches!(found.optional(), Ok(Some(7))));
        let busy: Result<i32, StoreError> = Err(StoreError::Unavailable("busy".into()));
        assert!(matches!(
            busy.not_found_as(|| ApiError::BadRequest("no".into())),
            Err(ApiError::Unavailable(_))
        ));
    }

    #[test]
    fn store_error_kinds_a_call_site_asks_about() {
        assert_eq!(StoreError::Stale { current: 3 }.stale_version(), Some(3));
        assert_eq!(StoreError::NotFound.stale_version(), None);
        assert!(StoreError::Conflict("dup".into()).is_conflict());
        assert!(!StoreError::Stale { current: 3 }.is_conflict());
    }

    #[test]
    fn an_unreadable_stored_document_is_a_server_fault_naming_it() {
        let doc = serde_json::json!({ "name": 5 });
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Named {
            name: String,
        }
        let id = uuid::Uuid::nil();
        match from_document::<Named>("room type", id, &doc) {
            Err(ApiError::Internal(m)) => {
                assert!(
                    m.starts_with(&format!("stored room type {id} unreadable")),
                    "{m}"
                )
            }
            other => panic!("{other:?}"),
        }
        let ok: Named =
            from_document("room type", id, &serde_json::json!({ "name": "A" })).unwrap();
        assert_eq!(ok.name, "A");
    }
}
