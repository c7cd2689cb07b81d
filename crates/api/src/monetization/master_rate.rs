//! Tag "Master Rate": one per room type x rate plan, opened with whichever of the two is created
//! last and removed with either. Daily rates and restrictions are set on master rates.

use std::collections::HashMap;

use axum::extract::State;
use serde_json::json;
use uuid::Uuid;
use wink_contract::{
    MasterRate as WireMasterRate, RatePlan as WireRatePlan, RoomTypeLightweight,
    ToggleMasterRateRequest,
};
use wink_store::Store;
use wink_store::master_rates::MasterRate;
use wink_store::room_types::RoomType;

use super::{perks, rate_plan};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::facilities::guest_room;
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// List the property's master rates, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/list",
    operation_id = "show-master-rates_1", tag = "Master Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WireMasterRate>), Problems))]
pub async fn show_master_rates_1(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WireMasterRate>>, ApiError> {
    let property = ctx.property.id;
    let masters = state.store.master_rates(property).await?;
    let parts = Parts::load(&state.store, property).await?;
    let mut list = Vec::with_capacity(masters.len());
    for m in &masters {
        // A master rate whose room type or rate plan went away since the listing is gone too.
        if let Some(wire) = parts.wire(m)? {
            list.push(wire);
        }
    }
    Ok(axum::Json(list))
}

/// Show a master rate.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}",
    operation_id = "show-master-rate", tag = "Master Rate",
    params(("managingEntityIdentifier" = Uuid, Path), ("masterRateIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireMasterRate), Problems))]
pub async fn show_master_rate(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireMasterRate>, ApiError> {
    let master = state
        .store
        .master_rate(ctx.property.id, id(&ids.1)?)
        .await?;
    let parts = Parts::load(&state.store, ctx.property.id).await?;
    let wire = parts.wire(&master)?.ok_or(ApiError::NotFound)?;
    Ok(Resource::ok(wire, master.version))
}

/// Enable or disable a master rate for sale, leaving everything else as it is. Send the
/// `version` you read (body or `If-Match`) to have a concurrent change refused.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}/toggle",
    operation_id = "toggle-master-rate", tag = "Master Rate",
    params(("managingEntityIdentifier" = Uuid, Path), ("masterRateIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = ToggleMasterRateRequest,
    responses((status = 200, body = WireMasterRate), Problems))]
pub async fn toggle_master_rate(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<ToggleMasterRateRequest>,
) -> Result<Resource<WireMasterRate>, ApiError> {
    let master_id = id(&ids.1)?;
    state.store.master_rate(ctx.property.id, master_id).await?;
    let expected = Expected::new(if_match, body.version);
    let master = state
        .store
        .toggle_master_rate(
            ctx.property.id,
            master_id,
            body.value.enabled,
            state.now(),
            expected.version(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    let parts = Parts::load(&state.store, ctx.property.id).await?;
    let wire = parts.wire(&master)?.ok_or(ApiError::NotFound)?;
    Ok(Resource::ok(wire, master.version))
}

/// One master rate in its wire form (404 when its room type or rate plan went away).
pub(super) async fn wire_of(store: &Store, m: &MasterRate) -> Result<WireMasterRate, ApiError> {
    Parts::load(store, m.property_id)
        .await?
        .wire(m)?
        .ok_or(ApiError::NotFound)
}

/// The room types and rate plans of a property, to show its master rates with.
struct Parts {
    rooms: HashMap<Uuid, RoomType>,
    plans: HashMap<Uuid, WireRatePlan>,
}

impl Parts {
    async fn load(store: &Store, property: Uuid) -> Result<Parts, ApiError> {
        let rooms = store
            .room_types(property)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let plans = rate_plan::all(store, property)
            .await?
            .into_iter()
            .filter_map(|p| p.id.map(|id| (id, p)))
            .collect();
        Ok(Parts { rooms, plans })
    }

    /// The wire form of a master rate: named "<room type> - <rate plan>", with both in their
    /// lightweight forms and its perks (`perkTypes` left out when it has none). `None` when
    /// its room type or rate plan was deleted after the master rate was read.
    fn wire(&self, m: &MasterRate) -> Result<Option<WireMasterRate>, ApiError> {
        let (Some(room), Some(plan)) = (
            self.rooms.get(&m.room_type_id),
            self.plans.get(&m.rate_plan_id),
        ) else {
            return Ok(None);
        };
        Ok(Some(WireMasterRate {
            id: Some(m.id),
            created_date: Some(m.created_at),
            last_update: Some(m.updated_at),
            version: Some(m.version),
            hotel_identifier: m.property_id,
            name: format!("{} - {}", room.name, plan.name),
            room_type: room_lightweight(room)?,
            rate_plan: rate_plan::lightweight(plan)?,
            enabled: m.enabled,
            perk_types: perks::lightweight(&m.perks.0),
        }))
    }
}

/// A room type as master rates show it: its wire content, named by `identifier`.
fn room_lightweight(room: &RoomType) -> Result<RoomTypeLightweight, ApiError> {
    let wire = guest_room::to_wire(room)?;
    let mut value = serde_json::to_value(wire).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("identifier".into(), json!(room.id));
    }
    from_document("room type (lightweight)", room.id, &value)
}
