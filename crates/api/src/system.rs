//! Health, readiness, the OpenAPI document, the API reference and the server's root.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

pub fn routes(doc: Arc<Value>) -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route(
            "/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .merge(crate::reference_page::routes())
        .merge(crate::root::routes())
}

/// Liveness: the process answers.
async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too. Why it does not is logged, never answered: a probe is
/// unauthenticated, and the database's error text names hosts, roles and files.
async fn ready(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(e) => {
            ApiError::Unavailable(format!("the database does not answer: {e}")).into_response()
        }
    }
}
