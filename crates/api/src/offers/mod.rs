//! What a sales channel is offered for a stay, in one place for the test-availability list and
//! the test booking: both load the same [`Catalog`](catalog::Catalog), evaluate with the same
//! code and map to the wire with the same [`Priced`](priced::Priced), so a booking is priced
//! and checked exactly as its offer was.
//!
//! - `request`: the stay, room configurations and booker a request asks for;
//! - `shopper`: who books, when, in which currencies;
//! - `channel`: the sales channel offered to;
//! - `catalog`: loading a property's rates, rules and promotions, and evaluating a master rate;
//! - `priced`, `wire`: an offered stay (and a booking's price breakdown) on the wire;
//! - `reasons`: why a stay is not offered, or a promotion did not apply, on the wire.

pub mod catalog;
pub mod channel;
pub mod priced;
pub mod reasons;
pub mod request;
pub mod shopper;
pub mod wire;

pub use catalog::{Catalog, Evaluation};
pub use request::{MAX_CONFIGURATIONS, booker, room_request, stay};
pub use shopper::Shopper;
