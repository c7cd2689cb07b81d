//! Area "monetization": cancellation policies, rate plans, master rates (and their perks), daily
//! rates, promotions and promotion bundles, inventory usage and the test-availability endpoints.

pub mod ari_history;
pub mod cancellation_policy;
pub mod daily_rate;
pub mod inventory_usage;
pub mod master_rate;
pub mod perks;
pub mod promotion;
pub mod promotion_bundle;
pub mod promotion_rules;
pub mod rate_grid;
pub mod rate_plan;
pub mod rate_update;
pub mod rules;
pub mod sandbox;
