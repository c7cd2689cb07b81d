//! Authentication and authorisation: the one path every API request takes.
//!
//! router → [`require_token`] (bearer JWT: signature, expiry, issuer, audience, not revoked) →
//! the operation's scope from [`wink_contract::operations`] → handler, whose [`PropertyContext`]
//! checks the managing entity in the path against the caller's account. A property of another
//! account answers exactly as a missing one, except to its rate provider on the operations of
//! [`RATE_PROVIDER_OPERATIONS`]. Revocation, the property and its rate provider are answered
//! from this node's memory ([`cache`]), never staler than [`cache::STALENESS_BOUND`].

pub mod cache;
pub mod clients;
pub mod key_encryption;
pub mod limits;
pub mod oauth;
pub mod secret;
pub mod signing_keys;
pub mod token;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use wink_contract::operations::Operation;
use wink_store::properties::PropertyRef;

use crate::error::ApiError;
use crate::state::AppState;

pub use key_encryption::KeyEncryptionKey;
pub use token::{Claims, TokenAuthority};

/// The twelve scopes of the contract.
pub const ALL_SCOPES: [&str; 12] = [
    "inventory.read",
    "inventory.write",
    "inventory.remove",
    "booking.read",
    "booking.write",
    "booking.remove",
    "marketing.read",
    "marketing.write",
    "marketing.remove",
    "content.read",
    "content.write",
    "content.remove",
];

/// Who is calling: established by [`require_token`], read by handlers.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client_id: Uuid,
    pub account_id: Uuid,
    pub claims: Claims,
}

/// The scope the operation at (`method`, route `path`) requires, from the contract's table.
/// HEAD is the GET operation without its body (RFC 9110 §9.3.2; axum serves it with the GET
/// handler), so it needs the GET's scope; the table lists only GET.
pub fn required_scope(method: &Method, path: &str) -> Option<&'static str> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    operations()
        .find(|op| op.path == path && op.method == method.as_str())
        .and_then(|op| op.scope)
}

/// The tag of [`EXTENSION_OPERATIONS`] in our OpenAPI document.
pub const EXTENSIONS_TAG: &str = "Extensions";

/// Operations this server offers beyond the contract (webhooks, the event feed, the history of
/// rates and availability), under [`EXTENSIONS_TAG`] in our OpenAPI document: the same table as
/// the contract's, written here because no contract declares them. Their paths live under the
/// managing entity like the contract's, so [`PropertyContext`] checks them the same way; their
/// scopes follow the contract's families (booking events need `booking.read`, rates and
/// availability `inventory.read`...).
pub const EXTENSION_OPERATIONS: &[Operation] = &[
    Operation {
        id: "show-events",
        method: "GET",
        path: "/api/managing-entity/{managingEntityIdentifier}/events",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "create-webhook",
        method: "POST",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "show-webhooks",
        method: "GET",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "show-webhook",
        method: "GET",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "update-webhook",
        method: "PUT",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "remove-webhook",
        method: "DELETE",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "rotate-webhook-secret",
        method: "POST",
        path: "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}/rotate-secret",
        scope: Some(EVENT_SCOPES),
        area: "outbound",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "show-ari-history",
        method: "GET",
        path: "/api/managing-entity/{managingEntityIdentifier}/ari/history",
        scope: Some("inventory.read"),
        area: "monetization",
        tag: EXTENSIONS_TAG,
    },
    Operation {
        id: "show-ari-calendar-as-of",
        method: "GET",
        path: "/api/managing-entity/{managingEntityIdentifier}/ari/history/calendar",
        scope: Some("inventory.read"),
        area: "monetization",
        tag: EXTENSIONS_TAG,
    },
];

/// The scope of the event feed and the webhook subscriptions: either family's read scope
/// (alternatives are separated by [`SCOPE_ALTERNATIVES`]); each operation then answers only what
/// the caller's scopes read (`wink_domain::webhook::scope_of`).
pub const EVENT_SCOPES: &str = "booking.read|inventory.read";

/// Separates scopes of which a caller needs any one (an operation's scope in the table).
pub const SCOPE_ALTERNATIVES: char = '|';

/// Whether `claims` grant `scope` (one of its alternatives, see [`SCOPE_ALTERNATIVES`]).
pub fn grants(claims: &Claims, scope: &str) -> bool {
    scope.split(SCOPE_ALTERNATIVES).any(|s| claims.has_scope(s))
}

/// Every operation served behind a bearer token: the contract's, then [`EXTENSION_OPERATIONS`].
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    wink_contract::operations::OPERATIONS
        .iter()
        .chain(EXTENSION_OPERATIONS)
}

/// The operation with `id`, from [`operations`].
pub fn operation(id: &str) -> Option<&'static Operation> {
    operations().find(|op| op.id == id)
}

/// Middleware on every contract route: a valid bearer token with the operation's scope, or 401/403.
pub async fn require_token(
    State(state): State<AppState>,
    matched: MatchedPath,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(scope) = required_scope(request.method(), matched.as_str()) else {
        // A route without a scope in the table would be unprotected: refuse it instead.
        return ApiError::Internal(format!(
            "no scope declared for {} {}",
            request.method(),
            matched.as_str()
        ))
        .into_response();
    };
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let caller = match authenticate(&state, authorization.as_deref()).await {
        Ok(caller) => caller,
        Err(e) => return e.into_response(),
    };
    if !grants(&caller.claims, scope) {
        return ApiError::Forbidden(scope).into_response();
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

async fn authenticate(state: &AppState, authorization: Option<&str>) -> Result<Caller, ApiError> {
    let token = authorization
        .and_then(bearer_token)
        .ok_or(ApiError::Unauthorized)?;
    let claims = state
        .tokens
        .verify(token)
        .await
        .ok_or(ApiError::Unauthorized)?;
    let client_id = claims.client_id().ok_or(ApiError::Unauthorized)?;
    if !state.auth_cache.token_usable(client_id, claims.jti).await? {
        return Err(ApiError::Unauthorized);
    }
    Ok(Caller {
        client_id,
        account_id: claims.acct,
        claims,
    })
}

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

/// The property named by the path's `managingEntityIdentifier`, managed by the caller's account.
/// Anything else (not a UUID, unknown, another account's) is 404, indistinguishable.
#[derive(Debug, Clone)]
pub struct PropertyContext {
    pub caller: Caller,
    pub property: PropertyRef,
}

impl FromRequestParts<AppState> for PropertyContext {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let id = managing_entity(parts).ok_or(ApiError::NotFound)?;
        let property = state
            .auth_cache
            .property_ref(id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if property.account_id != caller.account_id
            && !is_rate_provider(state, parts, &property, &caller).await?
        {
            return Err(ApiError::NotFound);
        }
        Ok(PropertyContext { caller, property })
    }
}

/// The operations a property's rate provider (set with `update-channel-manager`) may call on it:
/// reading and writing its rates, restrictions and availability, and reading the master rates
/// those are kept on. Nothing else of the property (its content, bookings, room types, rate
/// plans, promotions, channels, the provider setting itself), and nothing of another property.
pub const RATE_PROVIDER_OPERATIONS: &[&str] = &[
    "show-master-rates_1",
    "show-master-rate",
    "show-all-hotel-rates",
    "show-all-master-rates-rates",
    "show-daily-rates-page",
    "update-rate-list",
    "bulk-update-rate",
];

/// Whether the caller's account is `property`'s rate provider and the request's operation one a
/// rate provider may call. Everything else about the property stays 404 to it, as to any other
/// account.
async fn is_rate_provider(
    state: &AppState,
    parts: &Parts,
    property: &PropertyRef,
    caller: &Caller,
) -> Result<bool, ApiError> {
    let Some(path) = parts.extensions.get::<MatchedPath>() else {
        return Ok(false);
    };
    let method = if parts.method == Method::HEAD {
        &Method::GET
    } else {
        &parts.method
    };
    let allowed = operations().any(|op| {
        op.path == path.as_str()
            && op.method == method.as_str()
            && RATE_PROVIDER_OPERATIONS.contains(&op.id)
    });
    if !allowed {
        return Ok(false);
    }
    Ok(state.auth_cache.rate_provider(property.id).await? == Some(caller.account_id))
}

/// The `managingEntityIdentifier` segment of `/api/managing-entity/{id}/...` or `/api/cal/property/{id}/...`.
fn managing_entity(parts: &Parts) -> Option<Uuid> {
    let mut segments = parts.uri.path().trim_start_matches('/').split('/');
    let id = match (segments.next(), segments.next(), segments.next()) {
        (Some("api"), Some("managing-entity"), Some(id)) => id,
        (Some("api"), Some("cal"), Some("property")) => segments.next()?,
        _ => return None,
    };
    Uuid::parse_str(id).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
    }

    #[test]
    fn rate_providers_reach_only_rates() {
        for id in RATE_PROVIDER_OPERATIONS {
            let op = wink_contract::operations::OPERATIONS
                .iter()
                .find(|op| op.id == *id)
                .unwrap_or_else(|| panic!("{id} is not an operation"));
            assert!(
                matches!(op.scope, Some("inventory.read" | "inventory.write")),
                "{id}: {:?}",
                op.scope
            );
            assert!(
                op.path.contains("/master-rate") || op.path.contains("/rate/"),
                "{id} is not about rates: {}",
                op.path
            );
        }
    }

    #[test]
    fn every_operation_has_a_scope_of_the_twelve() {
        for op in wink_contract::operations::OPERATIONS {
            if let Some(scope) = op.scope {
                assert!(
                    ALL_SCOPES.contains(&scope),
                    "{} requires unknown scope {scope}",
                    op.id
                );
            }
        }
    }
}
