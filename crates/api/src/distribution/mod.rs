//! Area "distribution": who a property sells to (sales channels). What each channel is offered
//! for a stay is the `offers` module's.

pub mod channel_promotions;
pub mod sales_channel;
