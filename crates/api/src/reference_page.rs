//! The browsable API reference at `/scalar`. Scalar's browser bundle is vendored in
//! `assets/scalar/` and embedded in the binary, so the page works on a machine without internet
//! access and no request leaves for a CDN when an integrator opens it.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::openapi::SECURITY_SCHEME;
use crate::state::AppState;

/// The vendored `@scalar/api-reference` release (see `assets/scalar/README.md`).
pub const SCALAR_VERSION: &str = "1.76.4";

/// `dist/browser/standalone.js` of that release, byte for byte.
pub static BUNDLE: &[u8] = include_bytes!("../assets/scalar/standalone.js");

/// Where the bundle is served. A hash of its bytes is part of the path, so it may be cached as
/// immutable: a server with another bundle serves it under another URL.
pub static BUNDLE_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(BUNDLE);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("/scalar/api-reference-{SCALAR_VERSION}.{hash}.js")
});

pub fn routes() -> Router<AppState> {
    let page = Html(page());
    Router::new()
        .route(
            "/scalar",
            // The page names the bundle's current URL, so it must be revalidated after an upgrade.
            get(move || async move { ([(header::CACHE_CONTROL, "no-cache")], page.clone()) }),
        )
        .route(BUNDLE_PATH.as_str(), get(bundle))
}

async fn bundle() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        BUNDLE,
    )
}

/// The page: the bundle, then its configuration. Addresses are computed from the page's own
/// origin, so the page works whatever name or port the server is reached by, and "Test Request"
/// calls this server with the client-credentials scheme already chosen.
fn page() -> String {
    let scheme = serde_json::to_string(SECURITY_SCHEME).expect("a string serializes");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wink-supplier API reference</title>
</head>
<body>
<noscript>The API reference needs JavaScript. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="app"></div>
<script src="{bundle}"></script>
<script>
const origin = window.location.origin;
Scalar.createApiReference('#app', {{
  url: origin + '/openapi.json',
  servers: [{{ url: origin, description: 'This server' }}],
  // Scalar's defaults fetch fonts from its CDN and offer features backed by its services
  // (an AI agent, publishing tools shown on localhost); the page must not reach beyond this server.
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  telemetry: false,
  agent: {{ disabled: true }},
  mcp: {{ disabled: true }},
  authentication: {{
    preferredSecurityScheme: {scheme},
    securitySchemes: {{
      {scheme}: {{
        flows: {{ clientCredentials: {{ tokenUrl: origin + '/oauth2/token' }} }},
      }},
    }},
  }},
}});
</script>
</body>
</html>
"#,
        bundle = BUNDLE_PATH.as_str(),
    )
}
