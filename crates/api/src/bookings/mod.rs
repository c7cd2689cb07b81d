//! Area "bookings": test bookings, and the property's bookings (show, list, cancel).

pub mod analytics;
pub mod booking;
pub mod booking_answer;
pub mod caldav;
pub mod grid;
pub mod overview;
pub mod pdf;
pub mod refund;
pub mod reports;
pub mod resend;
pub mod review;
pub mod test_booking;
