//! Area "monetization": cancellation policies, rate plans, master rates (and their perks), daily
//! rates, promotions and promotion bundles, inventory usage and the test-availability endpoints.

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

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cancellation_policy::create_cancellation_policy))
        .routes(routes!(cancellation_policy::show_cancellation_policy_list))
        .routes(routes!(
            cancellation_policy::show_cancellation_policy,
            cancellation_policy::update_cancellation_policy,
            cancellation_policy::remove_cancellation_policy
        ))
        .routes(routes!(
            cancellation_policy::is_cancellation_policy_removable
        ))
        .routes(routes!(rate_plan::create_rate_plan))
        .routes(routes!(rate_plan::show_rate_plans))
        .routes(routes!(
            rate_plan::show_rate_plan,
            rate_plan::update_rate_plan,
            rate_plan::remove_rate_plan
        ))
        .routes(routes!(master_rate::show_master_rates_1))
        .routes(routes!(master_rate::show_master_rate))
        .routes(routes!(master_rate::toggle_master_rate))
        .routes(routes!(rate_update::bulk_update_rate))
        .routes(routes!(rate_update::update_rate_list))
        .routes(routes!(daily_rate::show_all_master_rates_rates))
        .routes(routes!(daily_rate::show_all_hotel_rates))
        .routes(routes!(rate_grid::show_daily_rates_page))
        .routes(routes!(sandbox::show_channels))
        .routes(routes!(sandbox::show_descriptive_inventory))
        .routes(routes!(perks::set_perks))
        .routes(routes!(promotion::create_promotion))
        .routes(routes!(promotion::show_promotions))
        .routes(routes!(
            promotion::show_promotion,
            promotion::update_promotion,
            promotion::remove_rate_modifier
        ))
        .routes(routes!(promotion_bundle::create_rate_modifier_bundle))
        .routes(routes!(promotion_bundle::show_rate_modifier_bundles))
        .routes(routes!(
            promotion_bundle::show_rate_modifier_bundle,
            promotion_bundle::update_rate_modifier_bundle,
            promotion_bundle::remove_rate_modifier_bundle
        ))
        .routes(routes!(inventory_usage::show_room_type_usage))
        .routes(routes!(inventory_usage::show_rate_plan_usage))
        .routes(routes!(inventory_usage::show_add_on_usage))
        .routes(routes!(inventory_usage::show_spa_usage))
        .routes(routes!(inventory_usage::show_restaurant_usage))
        .routes(routes!(inventory_usage::show_meeting_room_usage))
        .routes(routes!(inventory_usage::show_place_usage))
        .routes(routes!(inventory_usage::show_attraction_usage))
        .routes(routes!(inventory_usage::show_activity_usage))
}
