//! The tower layers every request passes through, in the order `router::app` stacks them.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

pub static WINK_VERSION: HeaderName = HeaderName::from_static("wink-version");

/// The platform's request headers, checked after authentication (so a caller without a token
/// always learns that first):
/// - `Wink-Version: 2.0` is the only version; absent means current; anything else is refused so a
///   client written for another version finds out at once;
/// - `Accept`, when sent, must admit what the operation answers. The contract documents 400, not
///   406, for a request the server cannot answer, so that is what a bad `Accept` gets.
pub async fn negotiate(matched: MatchedPath, request: Request, next: Next) -> Response {
    if let Some(value) = request.headers().get(&WINK_VERSION) {
        let ok = value.to_str().map(|v| v.trim() == "2.0").unwrap_or(false);
        if !ok {
            return ApiError::field("Wink-Version", "the only supported version is 2.0")
                .into_response();
        }
    }
    if let Some(accept) = request.headers().get(header::ACCEPT) {
        let produces = produces(matched.as_str());
        let ok = accept
            .to_str()
            .map(|a| accepts(a, produces))
            .unwrap_or(false);
        if !ok {
            return ApiError::field(
                "Accept",
                format!("this operation answers {produces} (errors as application/problem+json)"),
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// The media type an operation's success response has.
fn produces(route: &str) -> &'static str {
    if route.ends_with("/report/pdf") {
        "application/pdf"
    } else if route.ends_with("/report/csv") {
        "text/csv"
    } else if route.starts_with("/api/cal/") {
        "text/calendar"
    } else {
        "application/json"
    }
}

/// Whether an `Accept` header admits `media` (or problem details): any range of the list that is
/// `*/*`, `type/*` or the type itself, with a non-zero quality.
fn accepts(header: &str, media: &str) -> bool {
    let (kind, _) = media.split_once('/').unwrap_or((media, ""));
    header.split(',').any(|range| {
        let mut parts = range.split(';');
        let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        !refused
            && (range == "*/*"
                || range == media
                || range == "application/problem+json"
                || range.strip_suffix("/*").is_some_and(|k| k == kind))
    })
}

/// Answers 503 when a request takes longer than the configured limit; dropping the handler's
/// future rolls back its open transaction.
pub async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit: Duration = state.config.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable(format!(
            "the request took longer than {} s",
            limit.as_secs()
        ))
        .into_response(),
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
    fn accept_ranges() {
        assert!(accepts("application/json", "application/json"));
        assert!(accepts(
            "text/html, application/json;q=0.9",
            "application/json"
        ));
        assert!(accepts("*/*", "application/pdf"));
        assert!(accepts("application/*", "application/json"));
        assert!(!accepts("AAA", "application/json"));
        assert!(!accepts("text/html", "application/json"));
        assert!(!accepts("application/json;q=0", "application/json"));
        assert!(accepts("text/csv", "text/csv"));
    }
}
