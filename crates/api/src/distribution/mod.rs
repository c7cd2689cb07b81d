//! Area "distribution": who a property sells to (sales channels), and what each of them is
//! offered for a stay (`offers`, shared by the test-availability and test-booking endpoints),
//! and which of its items each channel is offered (`channel_inventory`).

pub mod channel_inventory;
pub mod channel_inventory_answer;
pub mod inventory_pairs;
pub mod offers;
pub mod priced;
pub mod sales_channel;
