//! `Idempotency-Key`: a client that retries a write after a timeout or a lost connection gets
//! the first answer, and the work is done once.
//!
//! Honoured on every POST, PUT, PATCH and DELETE of the API that changes something (the
//! operations whose scope is not a `*.read` one); ignored on reads, and on the POSTs that only
//! read (grids, reports, test availability). One middleware, after authentication (it needs the
//! calling application):
//! - the key is 1 to 255 visible ASCII characters, else 400 naming `Idempotency-Key`;
//! - it belongs to the calling application: another application's identical key is another key;
//! - the request is identified by SHA-256 of its method, path (with query) and body bytes;
//! - the key is claimed in its own committed statement before the handler runs; a request that
//!   finds the key claimed and unfinished gets 409 (`Retry-After: 1`), one that finds it used
//!   for another request gets 422, one that finds it finished gets the stored status, headers
//!   and body byte for byte, with `Idempotent-Replayed: true`;
//! - the handler runs in a task of its own: a client that hangs up, or the request timeout,
//!   does not cut it off, so its answer is always stored (a retry then gets it) and a claim is
//!   never released by a request that was cut off;
//! - a test booking stores its answer in the transaction of the booking itself ([`Keyed`]): the
//!   booking and its answer commit together, even if the server stops right after the commit;
//! - every answer is kept, errors included (a retry of a sold-out booking is sold out again),
//!   except 503: a 503 means the storage failed, so the claim is released and a retry runs again;
//! - keys are kept 24 hours (expired ones are purged now and then). A claim whose request never
//!   finished because the server stopped is taken over after 10 minutes only where that is safe:
//!   a test booking (its answer commits with it, so an unfinished claim proves nothing was
//!   booked) and a cancellation (repeating it changes nothing). Any other unfinished claim
//!   answers 409 until it expires.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tracing::Instrument;
use uuid::Uuid;
use wink_store::idempotency::{Claim, ClaimRef, IdempotencyRecord, KeyHorizon, Receipt};
use wink_store::{Json, Store};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

pub static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub static REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The longest key accepted, in characters.
pub const MAX_KEY_LEN: usize = 255;

/// How long a key and its answer are kept.
pub fn retention() -> Duration {
    Duration::hours(24)
}

/// How long an unfinished claim is respected: requests time out long before this.
pub fn abandoned_after() -> Duration {
    Duration::minutes(10)
}

/// The operations whose unfinished claims may be taken over once abandoned: (method, route).
pub const REPLACEABLE: [(Method, &str); 2] = [
    (
        Method::POST,
        "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/booking",
    ),
    (
        Method::PATCH,
        "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/cancel",
    ),
];

/// Whether the operation at (`method`, `route`) honours the header: it changes something.
/// Uploads do not: their bodies are streamed to storage, never held whole to be hashed and
/// compared (a retried upload is a new upload; removing the extra medium is one call).
pub fn honoured(method: &Method, route: &str) -> bool {
    !crate::media::upload::is_upload(method, route)
        && matches!(
            *method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        )
        && crate::auth::required_scope(method, route).is_some_and(|s| !s.ends_with(".read"))
}

/// A request's claim on its Idempotency-Key, in the request's extensions while its handler runs.
#[derive(Debug, Clone)]
struct KeyInFlight(ClaimRef);

/// Marks a response whose answer the handler stored with its work.
#[derive(Debug, Clone, Copy)]
struct AnswerKept;

/// The request's claim on its Idempotency-Key, if it came with one: a handler that stores its
/// answer in the transaction of its work renders it with [`Keyed::answer`].
#[derive(Debug, Clone, Default)]
pub struct Keyed(Option<ClaimRef>);

impl<S: Send + Sync> FromRequestParts<S> for Keyed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Keyed(
            parts.extensions.get::<KeyInFlight>().map(|k| k.0.clone()),
        ))
    }
}

/// A response rendered before the work commits, with the receipt that stores it with the work.
pub struct Answer {
    parts: axum::http::response::Parts,
    body: Bytes,
    pub receipt: Option<Receipt>,
}

impl Keyed {
    /// Renders `response`; for a keyed request, also the receipt to give to the write.
    pub async fn answer(&self, response: impl IntoResponse) -> Result<Answer, ApiError> {
        let (parts, body) = response.into_response().into_parts();
        let body = to_bytes(body, usize::MAX)
            .await
            .map_err(|e| ApiError::Internal(format!("rendering an answer: {e}")))?;
        let receipt = self.0.clone().map(|claim| Receipt {
            claim,
            status: parts.status.as_u16(),
            headers: kept_headers(&parts.headers),
            body: body.to_vec(),
        });
        Ok(Answer {
            parts,
            body,
            receipt,
        })
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let kept = self.receipt.is_some();
        let mut response = Response::from_parts(self.parts, Body::from(self.body));
        if kept {
            response.extensions_mut().insert(AnswerKept);
        }
        response
    }
}

/// Response headers stored and replayed with the body.
const REPLAYED_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::ETAG,
    header::LOCATION,
    header::CONTENT_DISPOSITION,
];

/// The key of a request, checked.
pub fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let text = value.to_str().map_err(|_| {
        ApiError::field(
            "Idempotency-Key",
            "must be visible ASCII characters (e.g. a UUID)",
        )
    })?;
    if text.is_empty() {
        return Err(ApiError::field("Idempotency-Key", "must not be empty"));
    }
    if text.chars().count() > MAX_KEY_LEN {
        return Err(ApiError::field(
            "Idempotency-Key",
            format!("at most {MAX_KEY_LEN} characters"),
        ));
    }
    Ok(text.to_string())
}

/// SHA-256 (hex) of the request: method, path with query, body.
pub fn request_hash(method: &Method, path_and_query: &str, body: &[u8]) -> String {
    let mut sha = Sha256::new();
    sha.update(method.as_str().as_bytes());
    sha.update(b"\n");
    sha.update(path_and_query.as_bytes());
    sha.update(b"\n");
    sha.update(body);
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware (a route layer inside the token check).
pub async fn middleware(
    State(state): State<AppState>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let honoured = honoured(request.method(), matched.as_str());
    let Some(value) = request.headers().get(&IDEMPOTENCY_KEY).filter(|_| honoured) else {
        return next.run(request).await;
    };
    let key = match parse_key(value) {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    let Some(client) = request.extensions().get::<Caller>().map(|c| c.client_id) else {
        return ApiError::Unauthorized.into_response();
    };
    let replaceable = REPLACEABLE
        .iter()
        .any(|(m, route)| m == request.method() && *route == matched.as_str());
    // Its own task, claim included: dropping this future (client gone, timeout) must neither
    // cut off a write that may commit nor leave a claim that no request will finish.
    let work = run_once(state, client, key, replaceable, request, next);
    match tokio::spawn(work.instrument(tracing::Span::current())).await {
        Ok(Ok(response) | Err(response)) => response,
        Err(e) => {
            tracing::error!(error = %e, "the handler of a keyed request failed");
            ApiError::Internal("the request failed".into()).into_response()
        }
    }
}

async fn run_once(
    state: AppState,
    client: Uuid,
    key: String,
    replaceable: bool,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, state.config.body_limit_bytes)
        .await
        .map_err(|_| ApiError::PayloadTooLarge.into_response())?;
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_else(|| parts.uri.path());
    let hash = request_hash(&parts.method, path, &bytes);
    let now = state.now();
    let horizon = KeyHorizon {
        now,
        expired_before: now - retention(),
        abandoned_before: now - abandoned_after(),
    };
    if rand::random::<u8>() < 4 {
        // About one claim in 64 clears the expired keys of every client.
        let store = state.store.clone();
        let before = horizon.expired_before;
        tokio::spawn(async move {
            if let Err(e) = store.purge_idempotency_keys(before).await {
                tracing::warn!(error = %e, "purging expired idempotency keys");
            }
        });
    }
    let claim = state
        .store
        .claim_idempotency_key(client, &key, &hash, replaceable, horizon)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    match claim {
        Claim::Held(record) if record.request_hash != hash => Err(ApiError::Unprocessable(
            "this Idempotency-Key was already used for another request (a different path or \
             body); use a new key for a new request"
                .into(),
        )
        .into_response()),
        Claim::Held(record) if !record.completed => {
            let mut response = ApiError::Conflict(
                "a request with this Idempotency-Key is still in progress; retry shortly".into(),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Err(response)
        }
        Claim::Held(record) => Ok(replay(record)),
        Claim::Claimed(claim) => {
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(KeyInFlight(claim.clone()));
            let response = next.run(request).await;
            Ok(keep(&state.store, &claim, response).await)
        }
    }
}

/// The headers of a response that are stored and replayed with its body.
fn kept_headers(headers: &HeaderMap) -> Json<Value> {
    let kept: serde_json::Map<String, Value> = REPLAYED_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(name)?.to_str().ok()?;
            Some((name.as_str().to_string(), Value::String(value.to_string())))
        })
        .collect();
    Json(Value::Object(kept))
}

/// Stores the first answer (or releases the key after a 503) and answers it.
async fn keep(store: &Store, claim: &ClaimRef, response: Response) -> Response {
    if response.extensions().get::<AnswerKept>().is_some() {
        return response;
    }
    let status = response.status();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        if let Err(e) = store.release_idempotency_key(claim).await {
            tracing::warn!(error = %e, "releasing an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "reading a response to keep it");
            return ApiError::Internal("the response could not be read".into()).into_response();
        }
    };
    let receipt = Receipt {
        claim: claim.clone(),
        status: status.as_u16(),
        headers: kept_headers(&parts.headers),
        body: bytes.to_vec(),
    };
    if let Err(e) = store.complete_idempotency_key(&receipt).await {
        // The work is done: the claim stays unfinished (409 to retries) rather than being freed.
        tracing::error!(error = %e, "storing the answer of an idempotency key");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The stored answer, as it was first sent.
fn replay(record: IdempotencyRecord) -> Response {
    let status = record
        .status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, record.body.unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    if let Some(Json(Value::Object(stored))) = record.headers {
        for (name, value) in stored {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::from_bytes(name.as_bytes()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                headers.insert(name, value);
            }
        }
    }
    headers.insert(REPLAYED.clone(), HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(
            parse_key(&HeaderValue::from_static("a1b2-c3")).unwrap(),
            "a1b2-c3"
        );
        let long = "k".repeat(MAX_KEY_LEN);
        assert!(parse_key(&HeaderValue::from_str(&long).unwrap()).is_ok());
        let longer = "k".repeat(MAX_KEY_LEN + 1);
        let field = |e: ApiError| match e {
            ApiError::Invalid(f) => f[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(parse_key(&HeaderValue::from_str(&longer).unwrap()).unwrap_err()),
            "Idempotency-Key"
        );
        assert_eq!(
            field(parse_key(&HeaderValue::from_static("")).unwrap_err()),
            "Idempotency-Key"
        );
        let latin1 = HeaderValue::from_bytes(b"caf\xe9").unwrap();
        assert!(parse_key(&latin1).is_err());
    }

    #[test]
    fn hashes_tell_requests_apart() {
        let a = request_hash(&Method::POST, "/x", b"{}");
        assert_eq!(a.len(), 64);
        assert_eq!(a, request_hash(&Method::POST, "/x", b"{}"));
        assert_ne!(a, request_hash(&Method::PATCH, "/x", b"{}"));
        assert_ne!(a, request_hash(&Method::POST, "/y", b"{}"));
        assert_ne!(a, request_hash(&Method::POST, "/x", b"{ }"));
    }
}
