//! The wire forms of what an offer names besides its price: the room type and the rate plan.

use wink_contract::{GuestRoomLightweight, RoomConfigurationPriceRatePlan};
use wink_store::room_types::RoomType;

use super::catalog::Plan;
use crate::error::{ApiError, from_document};
use crate::facilities::guest_room;

/// The wire's room type in the lightweight form offers and bookings show.
pub fn guest_room_lightweight(room: &RoomType) -> Result<GuestRoomLightweight, ApiError> {
    let wire = guest_room::to_wire(room)?;
    let mut value = serde_json::to_value(wire).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("identifier".into(), serde_json::json!(room.id));
    }
    from_document("room type (lightweight)", room.id, &value)
}

/// The rate plan as an offer names it: its meals and check-in/out charges.
pub fn rate_plan_of_offer(plan: &Plan) -> RoomConfigurationPriceRatePlan {
    let r = &plan.request;
    RoomConfigurationPriceRatePlan {
        identifier: plan.id,
        name: plan.name.clone(),
        breakfast: r.breakfast,
        brunch: r.brunch,
        lunch: r.lunch,
        dinner: r.dinner,
        all_inclusive: r.all_inclusive,
        all_inclusive_plus_alcohol: r.all_inclusive_plus_alcohol,
        early_check_in_charge: r.early_check_in_charge.clone(),
        late_check_out_charge: r.late_check_out_charge.clone(),
    }
}
