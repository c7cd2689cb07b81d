//! Every route of the server, in one place. API routes are declared through utoipa-axum, so no
//! route exists without its documentation, and each one gets its scope from the contract's table.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::{
    auth, bookings, distribution, experiences, facilities, inventory, media, middleware,
    monetization, outbound, property, system,
};

/// The contract's operations this server implements, all behind [`auth::require_token`]: one
/// line per path (the handlers of a path's methods together), grouped by area.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // Property
        .routes(routes!(property::registration::register_property))
        .routes(routes!(property::show::show_hotel_by_manager))
        .routes(routes!(property::show::update_reservations_desk))
        .routes(routes!(property::show::update_property_profile))
        .routes(routes!(property::show::update_services))
        .routes(routes!(property::show::update_hotel_status))
        .routes(routes!(property::welcome_text::update_welcome_text))
        .routes(routes!(property::general_manager::update_general_manager))
        .routes(routes!(property::geo_location::update_geo_location))
        .routes(routes!(
            property::lifestyle::show_lifestyles,
            property::lifestyle::update_lifestyles
        ))
        .routes(routes!(
            property::social_network::show_social_networks,
            property::social_network::update_socials
        ))
        .routes(routes!(
            property::policy::show_property_policy,
            property::policy::create_policy,
            property::policy::update_property_policy
        ))
        .routes(routes!(property::recognition::create_recognition))
        .routes(routes!(property::recognition::show_recognitions))
        .routes(routes!(
            property::recognition::show_recognitions_by_category
        ))
        .routes(routes!(
            property::recognition::show_recognition,
            property::recognition::update_recognition,
            property::recognition::remove_recognition
        ))
        .routes(routes!(property::announcement::create_announcement))
        .routes(routes!(property::announcement::show_announcements))
        .routes(routes!(
            property::announcement::show_announcement,
            property::announcement::update_announcement,
            property::announcement::remove_announcement
        ))
        .routes(routes!(property::review::show_review_count))
        .routes(routes!(property::review::show_reviews))
        .routes(routes!(property::review::show_review))
        .routes(routes!(property::channel_manager::update_channel_manager))
        .routes(routes!(property::writing_help::suggest_property_profile))
        .routes(routes!(
            property::writing_help::suggest_property_welcome_text_1
        ))
        .routes(routes!(
            property::writing_help::suggest_property_welcome_text
        ))
        .routes(routes!(property::writing_help::improve_welcome_text))
        .routes(routes!(property::media::create_multimedia))
        .routes(routes!(
            property::media::show_media_list,
            property::media::update_media_list,
            property::media::remove_media_list
        ))
        .routes(routes!(
            property::media::update_multimedia,
            property::media::remove_multimedia
        ))
        .merge(uploads())
        // Facilities
        .routes(routes!(facilities::guest_room::create_guest_room))
        .routes(routes!(facilities::guest_room::show_guest_rooms))
        .routes(routes!(
            facilities::guest_room::show_guest_room,
            facilities::guest_room::update_guest_room,
            facilities::guest_room::remove_guest_room
        ))
        .routes(routes!(facilities::guest_room::duplicate_guest_room))
        .routes(routes!(facilities::guest_room::improve_guest_room))
        // Facilities and experiences: inventory kinds
        .routes(routes!(inventory::add_on::create_add_on))
        .routes(routes!(inventory::add_on::show_add_ons))
        .routes(routes!(
            inventory::add_on::show_add_on,
            inventory::add_on::update_add_on,
            inventory::add_on::remove_add_on
        ))
        .routes(routes!(facilities::guest_room::remove_multimedia_2))
        .routes(routes!(
            inventory::add_on::remove_multimedia_1,
            inventory::add_on::update_add_on_multimedia
        ))
        .routes(routes!(inventory::spa::delete_multimedia))
        .routes(routes!(inventory::restaurant::remove_multimedia_3))
        .routes(routes!(inventory::meeting_room::remove_multimedia_4))
        .routes(routes!(inventory::spa::create_spa))
        .routes(routes!(inventory::spa::show_spas))
        .routes(routes!(inventory::spa::show_spa_pairs))
        .routes(routes!(
            inventory::spa::show_spa,
            inventory::spa::update_spa,
            inventory::spa::remove_spa
        ))
        .routes(routes!(inventory::restaurant::create_restaurant))
        .routes(routes!(inventory::restaurant::show_restaurants))
        .routes(routes!(inventory::restaurant::show_restaurant_pairs))
        .routes(routes!(
            inventory::restaurant::show_restaurant,
            inventory::restaurant::update_restaurant,
            inventory::restaurant::remove_restaurant
        ))
        .routes(routes!(inventory::meeting_room::create_meeting_room))
        .routes(routes!(inventory::meeting_room::show_meeting_rooms))
        .routes(routes!(inventory::meeting_room::show_meeting_room_pairs))
        .routes(routes!(
            inventory::meeting_room::show_meeting_room,
            inventory::meeting_room::update_meeting_room,
            inventory::meeting_room::remove_meeting_room
        ))
        .routes(routes!(inventory::place::create_place))
        .routes(routes!(inventory::place::show_places))
        .routes(routes!(inventory::place::show_place_pairs))
        .routes(routes!(
            inventory::place::show_place,
            inventory::place::update_place,
            inventory::place::remove_place
        ))
        .routes(routes!(inventory::attraction::create_attraction))
        .routes(routes!(inventory::attraction::show_attractions))
        .routes(routes!(inventory::attraction::show_attraction_pairs))
        .routes(routes!(
            inventory::attraction::show_attraction,
            inventory::attraction::update_attraction,
            inventory::attraction::remove_attraction
        ))
        .routes(routes!(inventory::activity::create_activity))
        .routes(routes!(inventory::activity::show_activities))
        .routes(routes!(inventory::activity::show_activity_pairs))
        .routes(routes!(
            inventory::activity::show_activity,
            inventory::activity::update_activity,
            inventory::activity::remove_activity
        ))
        // Experiences: the schedules of meeting rooms, restaurants, spas, activities, attractions
        // and places
        .routes(routes!(experiences::scheduler::create_schedule_item))
        .routes(routes!(experiences::scheduler::show_schedule_items))
        .routes(routes!(
            experiences::scheduler::update_schedule_item,
            experiences::scheduler::remove_schedule_item
        ))
        // Monetization
        .routes(routes!(
            monetization::cancellation_policy::create_cancellation_policy
        ))
        .routes(routes!(
            monetization::cancellation_policy::show_cancellation_policy_list
        ))
        .routes(routes!(
            monetization::cancellation_policy::show_cancellation_policy,
            monetization::cancellation_policy::update_cancellation_policy,
            monetization::cancellation_policy::remove_cancellation_policy
        ))
        .routes(routes!(
            monetization::cancellation_policy::is_cancellation_policy_removable
        ))
        .routes(routes!(monetization::rate_plan::create_rate_plan))
        .routes(routes!(monetization::rate_plan::show_rate_plans))
        .routes(routes!(
            monetization::rate_plan::show_rate_plan,
            monetization::rate_plan::update_rate_plan,
            monetization::rate_plan::remove_rate_plan
        ))
        .routes(routes!(monetization::master_rate::show_master_rates_1))
        .routes(routes!(monetization::master_rate::show_master_rate))
        .routes(routes!(monetization::master_rate::toggle_master_rate))
        .routes(routes!(monetization::rate_update::bulk_update_rate))
        .routes(routes!(monetization::rate_update::update_rate_list))
        .routes(routes!(
            monetization::daily_rate::show_all_master_rates_rates
        ))
        .routes(routes!(monetization::daily_rate::show_all_hotel_rates))
        .routes(routes!(monetization::rate_grid::show_daily_rates_page))
        .routes(routes!(monetization::ari_history::show_ari_history))
        .routes(routes!(monetization::ari_history::show_ari_calendar_as_of))
        .routes(routes!(monetization::sandbox::show_channels))
        .routes(routes!(monetization::sandbox::show_descriptive_inventory))
        .routes(routes!(monetization::perks::set_perks))
        .routes(routes!(monetization::promotion::create_promotion))
        .routes(routes!(monetization::promotion::show_promotions))
        .routes(routes!(
            monetization::promotion::show_promotion,
            monetization::promotion::update_promotion,
            monetization::promotion::remove_rate_modifier
        ))
        .routes(routes!(
            monetization::promotion_bundle::create_rate_modifier_bundle
        ))
        .routes(routes!(
            monetization::promotion_bundle::show_rate_modifier_bundles
        ))
        .routes(routes!(
            monetization::promotion_bundle::show_rate_modifier_bundle,
            monetization::promotion_bundle::update_rate_modifier_bundle,
            monetization::promotion_bundle::remove_rate_modifier_bundle
        ))
        .routes(routes!(monetization::inventory_usage::show_room_type_usage))
        .routes(routes!(monetization::inventory_usage::show_rate_plan_usage))
        .routes(routes!(monetization::inventory_usage::show_add_on_usage))
        .routes(routes!(monetization::inventory_usage::show_spa_usage))
        .routes(routes!(
            monetization::inventory_usage::show_restaurant_usage
        ))
        .routes(routes!(
            monetization::inventory_usage::show_meeting_room_usage
        ))
        .routes(routes!(monetization::inventory_usage::show_place_usage))
        .routes(routes!(
            monetization::inventory_usage::show_attraction_usage
        ))
        .routes(routes!(monetization::inventory_usage::show_activity_usage))
        // Distribution
        .routes(routes!(distribution::sales_channel::create_sales_channel))
        .routes(routes!(distribution::sales_channel::show_accounts))
        .routes(routes!(
            distribution::sales_channel::show_sales_channel,
            distribution::sales_channel::update_sales_channel,
            distribution::sales_channel::remove_sales_channel
        ))
        .routes(routes!(
            distribution::channel_promotions::show_sales_channel_context_rate_modifier_pairs,
            distribution::channel_promotions::toggle_sales_channel_promo_availability
        ))
        .routes(routes!(
            distribution::channel_promotions::show_sales_channel_context_rate_modifier_bundle_pairs,
            distribution::channel_promotions::toggle_sales_channel_promo_bundle_availability
        ))
        .routes(routes!(
            distribution::channel_inventory::show_inventory_list,
            distribution::channel_inventory::toggle_inventory_list_availability
        ))
        .routes(routes!(
            distribution::channel_inventory::show_pageable_channel_inventory
        ))
        .routes(routes!(
            distribution::channel_inventory::show_inventory,
            distribution::channel_inventory::toggle_inventory_availability
        ))
        .routes(routes!(
            distribution::channel_inventory::show_inventory_names
        ))
        .routes(routes!(
            distribution::channel_inventory::show_inventory_types
        ))
        .routes(routes!(
            distribution::channel_inventory::show_sales_channel_list_by_inventory
        ))
        .routes(routes!(distribution::inventory_pairs::show_master_rates))
        .routes(routes!(distribution::inventory_pairs::show_channel_add_ons))
        .routes(routes!(distribution::inventory_pairs::show_channel_spas))
        .routes(routes!(
            distribution::inventory_pairs::show_channel_restaurants
        ))
        .routes(routes!(
            distribution::inventory_pairs::show_channel_meeting_rooms
        ))
        .routes(routes!(distribution::inventory_pairs::show_channel_places))
        .routes(routes!(
            distribution::inventory_pairs::show_channel_attractions
        ))
        .routes(routes!(
            distribution::inventory_pairs::show_channel_activities
        ))
        .routes(routes!(
            distribution::channel_request::create_sales_channel_request
        ))
        .routes(routes!(
            distribution::channel_request::show_sales_channel_requests
        ))
        .routes(routes!(
            distribution::channel_request::remove_sales_channel_request
        ))
        .routes(routes!(distribution::affiliate::browse_affiliates))
        .routes(routes!(distribution::affiliate::invite_affiliate))
        .routes(routes!(distribution::affiliate::show_affiliate))
        // Bookings
        .routes(routes!(bookings::test_booking::create_test_booking))
        .routes(routes!(bookings::booking::show_hotel_bookings_1))
        .routes(routes!(bookings::booking::show_hotel_booking))
        .routes(routes!(bookings::booking::is_booking_cancellable))
        .routes(routes!(bookings::booking::cancel_hotel_booking))
        .routes(routes!(bookings::refund::request_refund))
        .routes(routes!(bookings::resend::resend_booking_confirmation_email))
        .routes(routes!(bookings::pdf::generate_booking_report))
        .routes(routes!(bookings::review::respond_to_review))
        .routes(routes!(bookings::caldav::retrieve_cal_dav_auth))
        .routes(routes!(bookings::caldav::generate_cal_dav_auth))
        .routes(routes!(bookings::grid::show_hotel_bookings))
        .routes(routes!(bookings::overview::show_booking_overview))
        .routes(routes!(bookings::overview::show_active_master_rates))
        .routes(routes!(bookings::overview::show_active_affiliates))
        .routes(routes!(bookings::reports::generate_property_report))
        .routes(routes!(
            bookings::analytics::show_property_booking_analytics
        ))
        // Extensions: the event feed and webhook subscriptions
        .routes(routes!(outbound::feed::show_events))
        .routes(routes!(
            outbound::subscriptions::create_webhook,
            outbound::subscriptions::show_webhooks
        ))
        .routes(routes!(
            outbound::subscriptions::show_webhook,
            outbound::subscriptions::update_webhook,
            outbound::subscriptions::remove_webhook
        ))
        .routes(routes!(outbound::subscriptions::rotate_webhook_secret))
}

/// The operations that take files (`multipart/form-data`): their own limits (`[media]`) are
/// enforced as the files stream in (see `media::upload`).
fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(property::media::upload_multipart_files))
        .routes(routes!(
            property::general_manager::upload_general_manager_profile_picture
        ))
        .routes(routes!(facilities::guest_room::upload_guest_room_media))
        .routes(routes!(inventory::spa::upload_spa_media))
        .routes(routes!(inventory::restaurant::upload_restaurant_media))
        .routes(routes!(inventory::meeting_room::upload_meeting_room_media))
        .routes(routes!(inventory::place::upload_place_media))
        .routes(routes!(inventory::attraction::upload_attraction_media))
        .routes(routes!(inventory::activity::upload_activity_media))
        // The add-on's path also takes a medium by reference (JSON).
        .routes(routes!(
            inventory::add_on::upload_binary_add_on_media,
            inventory::add_on::add_multimedia
        ))
}

/// The routes that take no bearer token, because their callers authenticate themselves: the
/// OAuth 2.0 endpoints (client credentials) and the calendar feed (HTTP Basic with the property's
/// CalDAV passkey; it still answers the platform's headers like every contract route).
pub fn without_token() -> OpenApiRouter<AppState> {
    let feed = OpenApiRouter::new()
        .routes(routes!(bookings::caldav::caldav))
        .route_layer(from_fn(middleware::negotiate));
    oauth().merge(feed)
}

/// The OAuth 2.0 endpoints and discovery documents (no bearer token: clients authenticate
/// themselves there).
pub fn oauth() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::oauth::token))
        .routes(routes!(auth::oauth::introspect))
        .routes(routes!(auth::oauth::revoke))
        .routes(routes!(auth::oauth::jwks))
        .routes(routes!(auth::oauth::metadata))
}

/// The whole application: routes, then the layers every request passes through (outermost
/// first): request id and access log, request metrics (when enabled), panic → 500 problem,
/// timeout → 503 problem, compression.
pub fn app(
    state: AppState,
    api: Router<AppState>,
    oauth: Router<AppState>,
    doc: Arc<serde_json::Value>,
) -> Router {
    // Route layers run outermost last: the token first, then the platform's headers, then
    // Idempotency-Key (which needs the caller).
    let api = api
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::idempotency::middleware,
        ))
        .route_layer(from_fn(middleware::negotiate))
        .route_layer(from_fn_with_state(state.clone(), auth::require_token));
    let routes = Router::new()
        .merge(api)
        .merge(oauth)
        .merge(system::routes(doc))
        .merge(media::routes())
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        // Not media files: images and videos are compressed already, and a compressed body would
        // not match the byte ranges asked for.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("video/"))),
        )
        .layer(from_fn_with_state(state.clone(), middleware::timeout))
        .layer(CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            crate::error::ApiError::Internal("handler panicked".into()).into_response()
        }));
    // Timed outside the timeout and panic layers, so their 503 and 500 count too.
    let routes = if state.config.metrics {
        routes.layer(from_fn_with_state(state.clone(), crate::metrics::track))
    } else {
        routes
    };
    routes
        .layer(from_fn(middleware::access_log))
        .layer(from_fn(crate::request_id::middleware))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes))
        .with_state(state)
}
