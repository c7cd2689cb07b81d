//! Area "distribution": who a property sells to (sales channels) and on what terms, and which of
//! its items each channel is offered (`channel_inventory`). What each channel is offered for a
//! stay is the `offers` module's.

pub mod channel_inventory;
pub mod channel_inventory_answer;
pub mod channel_promotions;
pub mod inventory_pairs;
pub mod sales_channel;
