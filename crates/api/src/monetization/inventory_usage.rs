//! Tag "Inventory Usage": what on this server refers to a room type, a rate plan or one of the
//! property's other inventories (add-on, spa, restaurant, meeting room, place, attraction,
//! activity), so a property knows what a change or a delete would touch (a delete is refused
//! while anything listed here remains).
//!
//! On the platform, `usage` counts five kinds of reference: RATE_MODIFIER (promotions naming
//! the inventory), LINK (booking links and deep links to it), CARD (content cards showing it
//! on the platform's pages), LIST (curated lists it appears in) and MAP (map placements).
//! Only promotions exist on this server, so only RATE_MODIFIER is ever counted: the
//! promotions that name the rate plan, or a master rate of the room type or rate plan, or
//! (`addOnIdentifiers`) the add-on. Promotions name no other kind of inventory, so a spa,
//! restaurant, meeting room, place, attraction or activity is never referenced here.
//! Promotions that name no master rate and no rate plan apply to everything but name nothing:
//! they are not counted (and do not stand in the way of a delete).
//!
//! `itemList` lists the kinds with a count above zero (empty when nothing refers to the
//! inventory), `referenced` says whether it is non-empty. `type` is GUEST_ROOM for a room type,
//! and for a rate plan too: the contract's enum has no rate-plan value, and a rate plan is the
//! terms guest rooms are sold under, so guest-room inventory is what its usage describes. The
//! other inventories answer their own kind (ADD_ON, SPA, ...).

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{InventoryType, InventoryUsage, InventoryUsageItem, InventoryUsageItemUsage};
use wink_store::inventory::Kind;
use wink_store::promotions::User;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::state::AppState;

/// What refers to a room type.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/inventory-usage/room-type/{roomTypeIdentifier}",
    operation_id = "show-room-type-usage", tag = "Inventory Usage",
    params(("managingEntityIdentifier" = String, Path), ("roomTypeIdentifier" = String, Path)),
    responses((status = 200, body = InventoryUsage), Problems))]
pub async fn show_room_type_usage(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<InventoryUsage>, ApiError> {
    let room = state.store.room_type(ctx.property.id, id(&ids.1)?).await?;
    let promotions = state.store.promotions_using_room_type(room.id).await?;
    Ok(axum::Json(usage(room.id, room.name, &promotions)))
}

/// What refers to a rate plan.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/inventory-usage/rate-plan/{ratePlanIdentifier}",
    operation_id = "show-rate-plan-usage", tag = "Inventory Usage",
    params(("managingEntityIdentifier" = String, Path), ("ratePlanIdentifier" = String, Path)),
    responses((status = 200, body = InventoryUsage), Problems))]
pub async fn show_rate_plan_usage(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<InventoryUsage>, ApiError> {
    let plan = state.store.rate_plan(ctx.property.id, id(&ids.1)?).await?;
    let promotions = state.store.promotions_using_rate_plan(plan.id).await?;
    Ok(axum::Json(usage(plan.id, plan.name, &promotions)))
}

/// The usage operation of one of the other inventory kinds: its path segment and identifier
/// name are the contract's.
macro_rules! item_usage {
    ($name:ident, $op:tt, $segment:tt, $id:tt, $kind:ident, $what:tt) => {
        #[utoipa::path(get,
            path = concat!(
                "/api/managing-entity/{managingEntityIdentifier}/extranet/inventory-usage/",
                $segment, "/{", $id, "}"
            ),
            operation_id = $op, tag = "Inventory Usage", summary = concat!("What refers to ", $what),
            params(("managingEntityIdentifier" = String, Path), ($id = String, Path)),
            responses((status = 200, body = InventoryUsage), Problems))]
        pub async fn $name(
            State(state): State<AppState>,
            ctx: PropertyContext,
            Path(ids): Path<(String, String)>,
        ) -> Result<axum::Json<InventoryUsage>, ApiError> {
            item(&state, &ctx, Kind::$kind, &ids.1).await
        }
    };
}

item_usage!(
    show_add_on_usage,
    "show-add-on-usage",
    "add-on",
    "addOnIdentifier",
    AddOn,
    "an add-on"
);
item_usage!(
    show_spa_usage,
    "show-spa-usage",
    "spa",
    "spaIdentifier",
    Spa,
    "a spa"
);
item_usage!(
    show_restaurant_usage,
    "show-restaurant-usage",
    "restaurant",
    "restaurantIdentifier",
    Restaurant,
    "a restaurant"
);
item_usage!(
    show_meeting_room_usage,
    "show-meeting-room-usage",
    "meeting-room",
    "meetingRoomIdentifier",
    MeetingRoom,
    "a meeting room"
);
item_usage!(
    show_place_usage,
    "show-place-usage",
    "place",
    "placeIdentifier",
    Place,
    "a place"
);
item_usage!(
    show_attraction_usage,
    "show-attraction-usage",
    "attraction",
    "attractionIdentifier",
    Attraction,
    "an attraction"
);
item_usage!(
    show_activity_usage,
    "show-activity-usage",
    "activity",
    "activityIdentifier",
    Activity,
    "an activity"
);

/// The usage of an item of one of the other inventory kinds: the promotions naming it (only
/// add-ons can be named).
async fn item(
    state: &AppState,
    ctx: &PropertyContext,
    kind: Kind,
    raw_id: &str,
) -> Result<axum::Json<InventoryUsage>, ApiError> {
    let item = state
        .store
        .inventory_item(ctx.property.id, kind, id(raw_id)?)
        .await?;
    let promotions = state.store.promotions_using_inventory_item(item.id).await?;
    let mut answer = usage(item.id, item.name, &promotions);
    answer.r#type = crate::inventory::inventory_type(kind);
    Ok(axum::Json(answer))
}

fn usage(id: Uuid, name: String, promotions: &[User]) -> InventoryUsage {
    let item_list: Vec<InventoryUsageItem> =
        [(InventoryUsageItemUsage::RateModifier, promotions.len())]
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(usage, count)| InventoryUsageItem {
                usage,
                count: count as i64,
            })
            .collect();
    InventoryUsage {
        inventory_identifier: id,
        name,
        r#type: InventoryType::GuestRoom,
        referenced: Some(!item_list.is_empty()),
        item_list,
    }
}
