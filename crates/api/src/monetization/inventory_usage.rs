//! Tag "Inventory Usage": what on this server refers to a room type or a rate plan, so a
//! property knows what a change or a delete would touch (a delete is refused while anything
//! listed here remains).
//!
//! On the platform, `usage` counts five kinds of reference: RATE_MODIFIER (promotions naming
//! the inventory), LINK (booking links and deep links to it), CARD (content cards showing it
//! on the platform's pages), LIST (curated lists it appears in) and MAP (map placements).
//! Only promotions exist on this server, so only RATE_MODIFIER is ever counted: the
//! promotions that name the rate plan, or a master rate of the room type or rate plan.
//! Promotions that name no master rate and no rate plan apply to everything but name nothing:
//! they are not counted (and do not stand in the way of a delete).
//!
//! `itemList` lists the kinds with a count above zero (empty when nothing refers to the
//! inventory), `referenced` says whether it is non-empty. `type` is GUEST_ROOM for a room type,
//! and for a rate plan too: the contract's enum has no rate-plan value, and a rate plan is the
//! terms guest rooms are sold under, so guest-room inventory is what its usage describes.
//!
//! The contract's other usage operations (add-on, spa, restaurant, meeting room, place,
//! attraction, activity) are not declared: this server has none of those inventories.

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{InventoryType, InventoryUsage, InventoryUsageItem, InventoryUsageItemUsage};
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
