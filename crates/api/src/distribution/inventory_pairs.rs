//! Tag "Inventory": the property's items of each kind as id/name pairs, to pick what a sales
//! channel is offered: master rates (`value` the master rate, `label` "room type - rate plan"),
//! add-ons, spas, restaurants, meeting rooms, places, attractions and activities (`label` the
//! name). Oldest first, like the kinds' own pair lists; `[]` when there is none.

use axum::extract::State;
use wink_contract::KeyValuePair;
use wink_store::inventory::Kind;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::state::AppState;

/// The property's master rates as pairs, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/master-rate/list",
    operation_id = "show-master-rates", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<KeyValuePair>), Problems))]
pub async fn show_master_rates(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<KeyValuePair>>, ApiError> {
    // The records of the property's first channel would name the same master rates, but a
    // property without a channel has master rates to pick from too.
    let (master_rates, rooms, plans) = tokio::try_join!(
        state.store.master_rates(ctx.property.id),
        state.store.room_types(ctx.property.id),
        state.store.rate_plans(ctx.property.id),
    )?;
    let pairs = master_rates
        .iter()
        .filter_map(|m| {
            let room = rooms.iter().find(|r| r.id == m.room_type_id)?;
            let plan = plans.iter().find(|p| p.id == m.rate_plan_id)?;
            Some(KeyValuePair {
                value: m.id.to_string(),
                label: format!("{} - {}", room.name, plan.name),
            })
        })
        .collect();
    Ok(axum::Json(pairs))
}

macro_rules! channel_pairs {
    ($name:ident, $path:literal, $op:literal, $kind:expr, $many:literal) => {
        #[doc = concat!("The property's ", $many, " as pairs, oldest first.")]
        #[utoipa::path(get, path = concat!("/api/managing-entity/{managingEntityIdentifier}/extranet/sales/", $path, "/list"),
            operation_id = $op, tag = "Inventory",
            params(("managingEntityIdentifier" = Uuid, Path)),
            responses((status = 200, body = Vec<KeyValuePair>), Problems))]
        pub async fn $name(
            State(state): State<AppState>,
            ctx: PropertyContext,
        ) -> Result<axum::Json<Vec<KeyValuePair>>, ApiError> {
            crate::inventory::pairs(&state, &ctx, $kind).await
        }
    };
}

channel_pairs!(
    show_channel_add_ons,
    "add-on",
    "show-channel-add-ons",
    Kind::AddOn,
    "add-ons"
);
channel_pairs!(
    show_channel_spas,
    "facility/spa",
    "show-channel-spas",
    Kind::Spa,
    "spas"
);
channel_pairs!(
    show_channel_restaurants,
    "facility/restaurant",
    "show-channel-restaurants",
    Kind::Restaurant,
    "restaurants"
);
channel_pairs!(
    show_channel_meeting_rooms,
    "meeting-room",
    "show-channel-meeting-rooms",
    Kind::MeetingRoom,
    "meeting rooms"
);
channel_pairs!(
    show_channel_places,
    "experience/place",
    "show-channel-places",
    Kind::Place,
    "places"
);
channel_pairs!(
    show_channel_attractions,
    "experience/attraction",
    "show-channel-attractions",
    Kind::Attraction,
    "attractions"
);
channel_pairs!(
    show_channel_activities,
    "experience/activity",
    "show-channel-activities",
    Kind::Activity,
    "activities"
);
