use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, header};
use wink_store::Store;

use crate::auth::TokenAuthority;
use crate::validation::Validators;

/// Settings of the HTTP API (the CLI fills them from flags, environment and config file).
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `iss` of the access tokens.
    pub issuer: String,
    /// `aud` of the access tokens: a token for another audience is refused.
    pub audience: String,
    pub token_ttl_seconds: i64,
    /// A request that takes longer is answered 503 (and its transaction rolled back).
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// The URL clients reach this server at (for discovery documents and links); taken from the
    /// request's Host header when unset.
    pub public_url: Option<String>,
    /// The accounting currency offers also show their amounts in (`internal…` fields), an ISO 4217
    /// code; EUR unless configured.
    pub internal_currency: String,
    /// Limits on failed authentications and on secret verifications in progress.
    pub auth_limits: crate::auth::limits::AuthLimitsConfig,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            issuer: "wink-supplier".into(),
            audience: "wink-supplier-api".into(),
            token_ttl_seconds: 900,
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 2 * 1024 * 1024,
            public_url: None,
            internal_currency: wink_domain::fx::DEFAULT_INTERNAL_CURRENCY.into(),
            auth_limits: Default::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub tokens: Arc<TokenAuthority>,
    pub validators: Arc<Validators>,
    pub config: Arc<ApiConfig>,
    /// The internal currency and the newest exchange rates loaded (cached, see `fx`).
    pub fx: Arc<crate::fx::FxRates>,
    /// This node's failed-authentication counts and secret-verification queue.
    pub auth_limits: Arc<crate::auth::limits::AuthLimits>,
}

impl AppState {
    /// The base URL of this server as the caller sees it, without a trailing slash.
    pub fn public_base_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.config.public_url {
            return url.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    }
}
