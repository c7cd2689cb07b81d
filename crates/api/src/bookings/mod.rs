//! Area "bookings": test bookings, and the property's bookings (show, list, cancel).

pub mod booking;
pub mod record;
pub mod test_booking;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(test_booking::create_test_booking))
        .routes(routes!(booking::show_hotel_bookings_1))
        .routes(routes!(booking::show_hotel_booking))
        .routes(routes!(booking::is_booking_cancellable))
        .routes(routes!(booking::cancel_hotel_booking))
}
