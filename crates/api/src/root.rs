//! `GET /`, the server's front door: a browser is sent to the API reference, an API client gets a
//! small index of where things are. Not an operation of the contract, so not in `/openapi.json`.

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(root))
}

async fn root(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The answer depends on Accept: a cache must not hand the redirect to an API client.
    let vary = [(header::VARY, "Accept")];
    if prefers_html(accept) {
        return (StatusCode::SEE_OTHER, vary, [(header::LOCATION, "/scalar")]).into_response();
    }
    let index = json!({
        "name": "wink-supplier",
        "version": env!("CARGO_PKG_VERSION"),
        "links": {
            "openapi": "/openapi.json",
            "reference": "/scalar",
            "token": "/oauth2/token",
            "authorizationServerMetadata": "/.well-known/oauth-authorization-server",
            "health": "/health",
            "ready": "/ready",
        },
    });
    (vary, Json(index)).into_response()
}

/// Whether an `Accept` header asks for a page rather than data: it names HTML explicitly, at a
/// quality no lower than JSON's. Wildcards count for neither, so `curl` (`*/*`) and clients that
/// send no Accept get the JSON index.
fn prefers_html(accept: &str) -> bool {
    let (mut html, mut json) = (0.0_f32, 0.0_f32);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "text/html" | "application/xhtml+xml" => html = html.max(quality),
            "application/json" => json = json.max(quality),
            _ => {}
        }
    }
    html > 0.0 && html >= json
}

#[cfg(test)]
mod tests {
    use super::prefers_html;

    #[test]
    fn browsers_get_the_page_and_clients_the_index() {
        // Chromium's and Firefox's navigation headers.
        assert!(prefers_html(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
        ));
        assert!(prefers_html(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!prefers_html("application/json"));
        assert!(!prefers_html("*/*"));
        assert!(!prefers_html(""));
        assert!(!prefers_html("text/html;q=0"));
        assert!(!prefers_html("application/json, text/html;q=0.5"));
        assert!(prefers_html("application/json;q=0.5, text/html"));
    }
}
