//! Area "distribution": who a property sells to (sales channels) and on what terms, which of its
//! items each channel is offered (`channel_inventory`), the requests of other properties for a
//! channel and the affiliates that sell it. What each channel is offered for a stay is the
//! `offers` module's.

pub mod affiliate;
pub mod channel_inventory;
pub mod channel_inventory_answer;
pub mod channel_promotions;
pub mod channel_request;
pub mod inventory_pairs;
pub mod sales_channel;
