//! The OAuth 2.0 endpoints: token (client credentials, RFC 6749 §4.4), introspection (RFC 7662),
//! revocation (RFC 7009) and the discovery documents.
//!
//! These answer errors the way OAuth clients expect (RFC 6749 §5.2 `{"error": ...}` bodies), not as
//! problem details: OAuth client libraries parse that format.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;
use wink_store::accounts::Application;

use super::ALL_SCOPES;
use super::limits::{ClientAddress, Refused, Subject};
use super::secret::Verified;
use crate::state::AppState;

/// An RFC 6749 §5.2 error.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    pub error: &'static str,
    pub error_description: String,
    /// Seconds to wait before retrying (`Retry-After`), for `slow_down` and
    /// `temporarily_unavailable`.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            error,
            error_description: description.into(),
            retry_after: None,
        }
    }
}

/// A refused attempt in the registered codes OAuth clients know: `slow_down` (429, the code the
/// IANA registry lists for the token endpoint) for a client or address over its limit of failed
/// authentications, `temporarily_unavailable` (503) when the node is too busy to check secrets.
impl From<Refused> for OAuthError {
    fn from(refused: Refused) -> Self {
        let seconds = refused.retry_after_secs();
        let mut error = match refused {
            Refused::TooMany(_) => OAuthError::new(
                "slow_down",
                format!(
                    "too many failed authentications from this client or address; retry in {seconds} s"
                ),
            ),
            Refused::Busy => OAuthError::new(
                "temporarily_unavailable",
                "too many authentications in progress on this server, retry shortly",
            ),
        };
        error.retry_after = Some(seconds);
        error
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = match self.error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            "slow_down" => StatusCode::TOO_MANY_REQUESTS,
            "temporarily_unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        };
        let mut response = (status, Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"wink-supplier\""),
            );
        }
        response
    }
}

/// The token response (RFC 6749 §5.1).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
}

/// Authenticates the calling client: HTTP Basic (`client_secret_basic`), or `client_id` and
/// `client_secret` in the form (`client_secret_post`). Unknown client, wrong secret and revoked
/// application all answer `invalid_client`; only a known, usable application's secret is
/// hashed (a keyed hash: a microsecond; an earlier version's Argon2 hash: once, then replaced).
/// The application comes from this node's memory ([`super::cache`]). A client or address with too many failures is
/// refused before anything is looked up ([`super::limits`]).
async fn authenticate_client(
    state: &AppState,
    address: ClientAddress,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Application, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(basic_credentials);
    let (id, secret_value) = match (basic, form.get("client_id"), form.get("client_secret")) {
        (Some(_), Some(_), Some(_)) => {
            return Err(OAuthError::new(
                "invalid_request",
                "use one client authentication method, not both",
            ));
        }
        (Some(creds), _, _) => creds,
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        _ => {
            return Err(OAuthError::new(
                "invalid_client",
                "client authentication required (HTTP Basic)",
            ));
        }
    };
    let client_id = Uuid::parse_str(&id).ok();
    let attempt = state
        .auth_limits
        .attempt(client_id.map(Subject::Client), address)?;
    let app = match client_id {
        Some(id) => state.auth_cache.application(id).await.ok().flatten(),
        None => None,
    };
    let usable = app.filter(|a| a.revoked_at.is_none());
    let stored = usable.as_ref().map(|a| a.secret_hash.as_str());
    let verified = attempt.verify(&secret_value, stored).await?;
    match (usable, verified) {
        (Some(app), Verified::Yes) => Ok(app),
        (Some(app), Verified::Rehash(new)) => {
            // An earlier version's Argon2 hash: the keyed hash takes its place, once.
            if let Err(e) = state
                .store
                .rehash_application_secret(app.id, &app.secret_hash, &new)
                .await
            {
                tracing::warn!(client = %app.id, error = %e, "storing the client secret's keyed hash failed; it stays under Argon2 for now");
            }
            Ok(app)
        }
        _ => Err(OAuthError::new(
            "invalid_client",
            "unknown client or wrong secret",
        )),
    }
}

/// `Basic base64(urlencode(id):urlencode(secret))` → (id, secret), per RFC 6749 §2.3.1.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a byte).
fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Issue an access token (OAuth 2.0 client credentials grant).
#[utoipa::path(post, path = "/oauth2/token", tag = "OAuth2",
    request_body(content_type = "application/x-www-form-urlencoded", content = HashMap<String, String>,
        description = "`grant_type=client_credentials`, optional `scope` (space-separated); the client authenticates with HTTP Basic."),
    responses((status = 200, body = TokenResponse), (status = 400, body = OAuthError), (status = 401, body = OAuthError)))]
pub async fn token(
    State(state): State<AppState>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    match issue_token(&state, address, &headers, &form).await {
        Ok(body) => {
            state.metrics.token_issued();
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
                .headers_mut()
                .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            response
        }
        Err(e) => {
            state.metrics.token_refused(e.error);
            e.into_response()
        }
    }
}

async fn issue_token(
    state: &AppState,
    address: ClientAddress,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<TokenResponse, OAuthError> {
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                format!("grant_type {other:?} is not supported; use client_credentials"),
            ));
        }
        None => return Err(OAuthError::new("invalid_request", "grant_type is required")),
    }
    let app = authenticate_client(state, address, headers, form).await?;
    let granted: Vec<&str> = app.scope_list().collect();
    let scope = match form
        .get("scope")
        .map(|s| s.split_whitespace().collect::<Vec<_>>())
    {
        None => granted.join(" "),
        Some(requested) if requested.is_empty() => granted.join(" "),
        Some(requested) => {
            if let Some(bad) = requested.iter().find(|s| !ALL_SCOPES.contains(s)) {
                return Err(OAuthError::new(
                    "invalid_scope",
                    format!("unknown scope {bad}"),
                ));
            }
            if let Some(bad) = requested.iter().find(|s| !granted.contains(s)) {
                return Err(OAuthError::new(
                    "invalid_scope",
                    format!("the application was not granted {bad}"),
                ));
            }
            let mut kept: Vec<&str> = Vec::new();
            for s in requested {
                if !kept.contains(&s) {
                    kept.push(s);
                }
            }
            kept.join(" ")
        }
    };
    // On the system clock, not the server's: `verify` checks `exp` against the system clock
    // (see `crate::clock`), so a token stamped on another clock could be born expired.
    let (access_token, claims) = state
        .tokens
        .issue(app.id, app.account_id, &scope, Utc::now())
        .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: claims.exp - claims.iat,
        scope,
    })
}

/// Token introspection (RFC 7662): whether a token is active, and what it carries. The caller
/// authenticates as a client; tokens of other accounts answer `{"active": false}`.
#[utoipa::path(post, path = "/oauth2/introspect", tag = "OAuth2",
    request_body(content_type = "application/x-www-form-urlencoded", content = HashMap<String, String>, description = "`token=<access token>`"),
    responses((status = 200, description = "RFC 7662 introspection response"), (status = 401, body = OAuthError)))]
pub async fn introspect(
    State(state): State<AppState>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let caller = match authenticate_client(&state, address, &headers, &form).await {
        Ok(app) => app,
        Err(e) => return e.into_response(),
    };
    let inactive = Json(json!({ "active": false })).into_response();
    let claims = match form.get("token") {
        Some(token) => state.tokens.verify(token).await,
        None => None,
    };
    let Some(claims) = claims else {
        return inactive;
    };
    let usable = match claims.client_id() {
        Some(client) => state
            .auth_cache
            .token_usable(client, claims.jti)
            .await
            .unwrap_or(false),
        None => false,
    };
    if !usable || claims.acct != caller.account_id {
        return inactive;
    }
    Json(json!({
        "active": true,
        "scope": claims.scope,
        "client_id": claims.sub,
        "sub": claims.sub,
        "token_type": "Bearer",
        "exp": claims.exp,
        "iat": claims.iat,
        "iss": claims.iss,
        "aud": claims.aud,
        "jti": claims.jti,
    }))
    .into_response()
}

/// Token revocation (RFC 7009). Answers 200 whatever the token, so a caller learns nothing about
/// tokens it does not hold; only tokens of the caller's own account are revoked.
#[utoipa::path(post, path = "/oauth2/revoke", tag = "OAuth2",
    request_body(content_type = "application/x-www-form-urlencoded", content = HashMap<String, String>, description = "`token=<access token>`"),
    responses((status = 200, description = "Revoked, or nothing to revoke"), (status = 401, body = OAuthError)))]
pub async fn revoke(
    State(state): State<AppState>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let caller = match authenticate_client(&state, address, &headers, &form).await {
        Ok(app) => app,
        Err(e) => return e.into_response(),
    };
    let claims = match form.get("token") {
        Some(token) => state.tokens.verify(token).await,
        None => None,
    };
    if let Some(claims) = claims
        && claims.acct == caller.account_id
    {
        let expires = chrono::DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(Utc::now);
        if let Err(e) = state
            .store
            .revoke_token(claims.jti, expires, state.now())
            .await
        {
            return OAuthError::new("server_error", e.to_string()).into_response();
        }
    }
    StatusCode::OK.into_response()
}

/// The public keys that verify access tokens (RFC 7517).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "OAuth2", responses((status = 200, description = "JSON Web Key Set")))]
pub async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.tokens.jwks())
}

/// Authorization server metadata (RFC 8414).
#[utoipa::path(get, path = "/.well-known/oauth-authorization-server", tag = "OAuth2", responses((status = 200, description = "RFC 8414 metadata")))]
pub async fn metadata(State(state): State<AppState>) -> Json<Value> {
    let base = state.public_base_url();
    Json(json!({
        "issuer": state.tokens.issuer(),
        "token_endpoint": format!("{base}/oauth2/token"),
        "introspection_endpoint": format!("{base}/oauth2/introspect"),
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ALL_SCOPES,
        "response_types_supported": [],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let header = format!("Basic {}", STANDARD.encode("my%20id:s%3Acret+x"));
        assert_eq!(
            basic_credentials(&header),
            Some(("my id".into(), "s:cret x".into()))
        );
        assert_eq!(basic_credentials("Bearer x"), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }
}
