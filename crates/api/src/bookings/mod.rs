//! Area "bookings": test bookings, and the property's bookings (show, list, cancel).

pub mod analytics;
pub mod booking;
pub mod caldav;
pub mod grid;
pub mod overview;
pub mod pdf;
pub mod record;
pub mod refund;
pub mod reports;
pub mod resend;
pub mod review;
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
        .routes(routes!(refund::request_refund))
        .routes(routes!(resend::resend_booking_confirmation_email))
        .routes(routes!(pdf::generate_booking_report))
        .routes(routes!(review::respond_to_review))
        .routes(routes!(caldav::retrieve_cal_dav_auth))
        .routes(routes!(caldav::generate_cal_dav_auth))
        .routes(routes!(grid::show_hotel_bookings))
        .routes(routes!(overview::show_booking_overview))
        .routes(routes!(overview::show_active_master_rates))
        .routes(routes!(overview::show_active_affiliates))
        .routes(routes!(reports::generate_property_report))
        .routes(routes!(analytics::show_property_booking_analytics))
}
