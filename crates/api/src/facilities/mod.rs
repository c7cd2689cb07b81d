//! Area "facilities": the guest rooms a property sells.

pub mod guest_room;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(guest_room::create_guest_room))
        .routes(routes!(guest_room::show_guest_rooms))
        .routes(routes!(
            guest_room::show_guest_room,
            guest_room::update_guest_room,
            guest_room::remove_guest_room
        ))
}
