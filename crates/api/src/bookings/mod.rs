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
