//! Area "distribution": who a property sells to (sales channels), and what each of them is
//! offered for a stay (`offers`, shared by the test-availability and test-booking endpoints).

pub mod affiliate;
pub mod channel_request;
pub mod offers;
pub mod priced;
pub mod sales_channel;
