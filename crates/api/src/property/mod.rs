//! Area "property": registration and the property itself.

mod codes;
mod registration;
mod show;
pub mod time_zone;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(registration::register_property))
        .routes(routes!(show::show_hotel_by_manager))
}
