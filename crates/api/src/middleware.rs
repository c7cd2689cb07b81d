//! The tower layers every request passes through, in the order `router::app` stacks them.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderName, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

pub static WINK_VERSION: HeaderName = HeaderName::from_static("wink-version");

/// The platform's request headers, checked after authentication (so a caller without a token
/// always learns that first):
/// - `Wink-Version: 2.0` is the only version; absent means current; anything else is refused so
///   a client written for another version finds out at once;
/// - `Accept`, when sent, must be a list of media ranges (RFC 9110, section 12.5.1: `type/subtype`
///   with optional parameters, under a registered top-level type); a value that is not (`AAA`,
///   `null`, an empty value, `hd/3H`) is a 400
///   naming `Accept`, as the contract's schema for the header says. A well-formed `Accept` is
///   then disregarded: every operation has one representation (JSON, the booking PDF, the CSV
///   report, the iCalendar feed) and RFC 9110 (section 12.1) lets a server send it whatever
///   `Accept` names. A client asking for `application/json` and getting the PDF it called for is
///   better served than one refused (the platform's generated SDKs send
///   `Accept: application/json` to every operation, the PDF included). Errors are
///   `application/problem+json` whatever `Accept` says. An operation that ever offers several
///   representations chooses among them in its handler, as `GET /` does.
pub async fn negotiate(request: Request, next: Next) -> Response {
    if let Some(value) = request.headers().get(&WINK_VERSION) {
        let ok = value.to_str().map(|v| v.trim() == "2.0").unwrap_or(false);
        if !ok {
            return ApiError::field("Wink-Version", "the only supported version is 2.0")
                .into_response();
        }
    }
    if let Some(accept) = request.headers().get(header::ACCEPT) {
        let ok = accept.to_str().map(media_ranges).unwrap_or(false);
        if !ok {
            return ApiError::field(
                "Accept",
                "must be a list of media ranges such as application/json or */*",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// RFC 9110 `tchar`.
fn token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The top-level media types of the IANA registry (RFC 6838, section 4.2), and `*`: a range under
/// any other (`hd/3H`) names no media type at all, so it is refused like other malformed ranges.
fn top_level_type(kind: &str) -> bool {
    const REGISTERED: [&str; 12] = [
        "*",
        "application",
        "audio",
        "example",
        "font",
        "haptics",
        "image",
        "message",
        "model",
        "multipart",
        "text",
        "video",
    ];
    REGISTERED.iter().any(|t| t.eq_ignore_ascii_case(kind))
}

/// Whether `header` is an `Accept` value: one or more media ranges (`type/subtype`, `type/*` or
/// `*/*`), each with optional `;name=value` parameters (a weight among them).
fn media_ranges(header: &str) -> bool {
    let mut ranges = 0;
    for element in header.split(',') {
        let element = element.trim();
        if element.is_empty() {
            continue; // RFC 9110 list syntax tolerates empty elements
        }
        let mut parts = element.split(';');
        let range = parts.next().unwrap_or("").trim();
        let Some((kind, sub)) = range.split_once('/') else {
            return false;
        };
        if !token(kind) || !token(sub) || (kind == "*" && sub != "*") || !top_level_type(kind) {
            return false;
        }
        for parameter in parts {
            let Some((name, value)) = parameter.trim().split_once('=') else {
                return false;
            };
            if !token(name.trim()) || value.trim().is_empty() {
                return false;
            }
        }
        ranges += 1;
    }
    ranges > 0
}

/// Answers 503 when a request takes longer than the configured limit, or is still running when
/// a stopping server's deadline passes (see [`crate::server`]); dropping the handler's future
/// rolls back its open transaction.
pub async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit: Duration = state.config.request_timeout;
    tokio::select! {
        biased;
        response = tokio::time::timeout(limit, next.run(request)) => match response {
            Ok(response) => response,
            Err(_) => ApiError::Unavailable(format!(
                "the request took longer than {} s",
                limit.as_secs()
            ))
            .into_response(),
        },
        _ = state.shutdown.deadline() => {
            ApiError::Unavailable("the server is shutting down; retry on another node or later".into())
                .into_response()
        }
    }
}

/// One log line per request with its outcome and duration (inside the request's span).
pub async fn access_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(status, millis, "served");
    } else {
        tracing::info!(status, millis, "served");
    }
    response
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_values() {
        for ok in [
            "application/json",
            "*/*",
            "application/pdf",
            "text/html, application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/json;q=0",
            "application/*",
            "text/csv; charset=utf-8",
            "application/json, ",
        ] {
            assert!(media_ranges(ok), "{ok:?}");
        }
        for bad in [
            "",
            " ",
            "AAA",
            "null",
            "null,null",
            "{}",
            "true",
            "0.5",
            "0",
            "*/json",
            "a/",
            "/b",
            "text/html;q",
            "a b/c",
            "application/json;=1",
        ] {
            assert!(!media_ranges(bad), "{bad:?}");
        }
    }
}
