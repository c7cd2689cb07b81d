//! Area "monetization": cancellation policies, rate plans, master rates, daily rates and the
//! test-availability endpoints.

pub mod rules;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
