//! Every route of the server, in one place. API routes are declared through utoipa-axum, so no
//! route exists without its documentation, and each one gets its scope from the contract's table.

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::{
    auth, bookings, distribution, facilities, inventory, media, middleware, monetization, property,
    system,
};

/// The contract's operations this server implements, all behind [`auth::require_token`].
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(property::routes())
        .merge(facilities::routes())
        .merge(inventory::routes())
        .merge(monetization::routes())
        .merge(distribution::routes())
        .merge(bookings::routes())
}

/// The routes that take no bearer token, because their callers authenticate themselves: the
/// OAuth 2.0 endpoints (client credentials) and the calendar feed (HTTP Basic with the property's
/// CalDAV passkey; it still answers the platform's headers like every contract route).
pub fn without_token() -> OpenApiRouter<AppState> {
    let feed = OpenApiRouter::new()
        .routes(routes!(bookings::caldav::caldav))
        .route_layer(from_fn(middleware::negotiate));
    oauth().merge(feed)
}

/// The OAuth 2.0 endpoints and discovery documents (no bearer token: clients authenticate
/// themselves there).
pub fn oauth() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::oauth::token))
        .routes(routes!(auth::oauth::introspect))
        .routes(routes!(auth::oauth::revoke))
        .routes(routes!(auth::oauth::jwks))
        .routes(routes!(auth::oauth::metadata))
}

/// The whole application: routes, then the layers every request passes through (outermost
/// first): request id and access log, panic → 500 problem, timeout → 503 problem, compression.
pub fn app(
    state: AppState,
    api: Router<AppState>,
    oauth: Router<AppState>,
    doc: Arc<serde_json::Value>,
) -> Router {
    // Route layers run outermost last: the token first, then the platform's headers, then
    // Idempotency-Key (which needs the caller).
    let api = api
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::idempotency::middleware,
        ))
        .route_layer(from_fn(middleware::negotiate))
        .route_layer(from_fn_with_state(state.clone(), auth::require_token));
    Router::new()
        .merge(api)
        .merge(oauth)
        .merge(system::routes(doc))
        .merge(media::routes())
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(state.clone(), middleware::timeout))
        .layer(CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            crate::error::ApiError::Internal("handler panicked".into()).into_response()
        }))
        .layer(from_fn(middleware::access_log))
        .layer(from_fn(crate::request_id::middleware))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.body_limit_bytes,
        ))
        .with_state(state)
}
