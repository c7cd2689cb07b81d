//! Tag "Inventory": what each sales channel of the property is offered. One record per channel ×
//! inventory item (a master rate for guest rooms; add-ons, spas, restaurants, meeting rooms,
//! places, attractions, activities), derived from the two sides (see `wink_store::channel_inventory`)
//! with an identifier derived from the pair (`wink_domain::channel_inventory::record_id`).
//! Toggling a record off withholds the item from that channel only: a master rate is then
//! neither offered (test availability) nor bookable (test booking) on it.

use std::collections::HashMap;

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{FieldError, Inventory, InventoryPage, InventoryType, InventoryUpdateRequest};
use wink_domain::channel_inventory::record_id;
use wink_store::channel_inventory::{Record, columns as c};
use wink_store::sales_channels::SalesChannelView;

use super::channel_inventory_answer::Answers;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::grid::{self, Field, GridState};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const KINDS: &[&str] = &[
    "GUEST_ROOM",
    "ADD_ON",
    "MEETING_ROOM",
    "RESTAURANT",
    "SPA",
    "ATTRACTION",
    "PLACE",
    "ACTIVITY",
];

/// The Inventory fields the grid filters and sorts on, by their wire names.
pub const FIELDS: &[Field] = &[
    Field::one_of("inventoryType", c::KIND, KINDS),
    Field::new("inventoryIdentifier", c::INVENTORY),
    Field::new("inventoryName", c::NAME),
    Field::new("inventoryNameInEnglish", c::NAME),
    Field::new("enabled", c::ENABLED),
    Field::new("bookable", c::BOOKABLE),
    Field::new("quantity", c::QUANTITY),
    Field::new("createdDate", c::CREATED_AT),
    Field::new("lastUpdate", c::UPDATED_AT),
    Field::new("version", c::VERSION),
    Field::new("salesChannel.identifier", c::SALES_CHANNEL),
    Field::new("salesChannel.ownerIdentifier", c::OWNER),
    Field::new("salesChannel.ownerName", c::OWNER_NAME),
    Field::one_of("salesChannel.subType", c::OWNER_TYPE, grid::ENTITY_TYPES),
];

/// List every channel-inventory record of the property: guest rooms (master rates) first, then
/// the other kinds, each item's records together (oldest item, then oldest channel, first).
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/list",
    operation_id = "show-inventory-list", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<Inventory>), Problems))]
pub async fn show_inventory_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<Inventory>>, ApiError> {
    let (records, answers) = tokio::try_join!(
        async {
            state
                .store
                .channel_inventory(ctx.property.id)
                .await
                .map_err(ApiError::from)
        },
        Answers::load(&state, &ctx),
    )?;
    Ok(axum::Json(answers.answers(&records)?))
}

/// Search the property's channel-inventory records: a page under the request's filter and order
/// (the list's order when it gives none), in the page envelope. Fields: `inventoryType`,
/// `inventoryIdentifier`, `inventoryName`, `enabled`, `bookable`, `quantity`, `createdDate`,
/// `lastUpdate`, `version`, `salesChannel.identifier`, `salesChannel.ownerIdentifier`,
/// `salesChannel.ownerName`, `salesChannel.subType`; anything else is a 400 naming it.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/grid",
    operation_id = "show-pageable-channel-inventory", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = GridState,
    responses((status = 200, body = InventoryPage), Problems))]
pub async fn show_pageable_channel_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<GridState>,
) -> Result<axum::Json<InventoryPage>, ApiError> {
    let grid = grid::parse(&body.value, FIELDS, "", &state.date_window(&ctx.property))?;
    let (rows, total) = state
        .store
        .channel_inventory_grid(ctx.property.id, &grid.query, grid.take, grid.skip)
        .await?;
    let content = Answers::load(&state, &ctx).await?.answers(&rows)?;
    let meta = grid.page(content.len(), total);
    Ok(axum::Json(InventoryPage {
        content,
        first: meta.first,
        last: meta.last,
        number: meta.number,
        number_of_elements: meta.number_of_elements,
        size: meta.size,
        total_elements: meta.total_elements,
        total_pages: meta.total_pages,
    }))
}

/// Show one channel-inventory record.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/{inventoryIdentifier}",
    operation_id = "show-inventory", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path)),
    responses((status = 200, body = Inventory), Problems))]
pub async fn show_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<Inventory>, ApiError> {
    let (channel, inventory) = find(&state, &ctx, id(&ids.1)?).await?;
    let record = state
        .store
        .channel_inventory_record(ctx.property.id, channel, inventory)
        .await?;
    let answer = Answers::load(&state, &ctx).await?.answer(&record)?;
    Ok(Resource::ok(answer, record.version))
}

/// Switch one record on or off (`enabled`): off withholds the item from that channel only.
/// `identifier` must be the record in the path (400 otherwise). The record's version goes up on
/// every toggle; `If-Match` with a stale version is refused (412).
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/{inventoryIdentifier}",
    operation_id = "toggle-inventory-availability", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = InventoryUpdateRequest,
    responses((status = 200, body = Inventory), Problems))]
pub async fn toggle_inventory_availability(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<InventoryUpdateRequest>,
) -> Result<Resource<Inventory>, ApiError> {
    let record_id = id(&ids.1)?;
    let (channel, inventory) = find(&state, &ctx, record_id).await?;
    if body.value.identifier != record_id {
        return Err(ApiError::field(
            "/identifier",
            "must be the channel-inventory record in the path",
        ));
    }
    let expected = Expected::new(if_match, None);
    let record = toggle(
        &state,
        &ctx,
        (channel, inventory),
        body.value.enabled,
        expected,
    )
    .await?;
    let answer = Answers::load(&state, &ctx).await?.answer(&record)?;
    Ok(Resource::ok(answer, record.version))
}

/// Switch several records on or off at once (1 to 500), answered in the request's order. Every identifier
/// must be a record of the property (400 naming `/N/identifier` otherwise, and nothing changes);
/// a record named twice takes the last state.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/list",
    operation_id = "toggle-inventory-list-availability", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = Vec<InventoryUpdateRequest>,
    responses((status = 200, body = Vec<Inventory>), Problems))]
pub async fn toggle_inventory_list_availability(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<Vec<InventoryUpdateRequest>>,
) -> Result<axum::Json<Vec<Inventory>>, ApiError> {
    // An empty list would be answered with an empty one, which the contract's answer (an array
    // with at least one item) does not allow: it is a request with nothing to do.
    if body.value.is_empty() {
        return Err(ApiError::field("", "name at least one record to toggle"));
    }
    if body.value.len() > MAX_TOGGLES {
        return Err(ApiError::field(
            "",
            format!("at most {MAX_TOGGLES} records in one request"),
        ));
    }
    let pairs = pairs_by_id(&state, &ctx).await?;
    let errors: Vec<FieldError> = body
        .value
        .iter()
        .enumerate()
        .filter(|(_, change)| !pairs.contains_key(&change.identifier))
        .map(|(i, _)| FieldError {
            field: format!("/{i}/identifier"),
            message: "no such channel-inventory record at this property".to_string(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let mut records = Vec::with_capacity(body.value.len());
    for change in &body.value {
        let pair = pairs[&change.identifier];
        records.push(toggle(&state, &ctx, pair, change.enabled, Expected::Any).await?);
    }
    // A record named twice answers its final state each time.
    let last: HashMap<(Uuid, Uuid), Record> = records
        .iter()
        .map(|r| ((r.sales_channel_id, r.inventory_id), r.clone()))
        .collect();
    let answers = Answers::load(&state, &ctx).await?;
    let finals: Vec<Record> = records
        .iter()
        .map(|r| last[&(r.sales_channel_id, r.inventory_id)].clone())
        .collect();
    Ok(axum::Json(answers.answers(&finals)?))
}

/// Records one `toggle-inventory-list-availability` may change.
pub const MAX_TOGGLES: usize = 500;

/// The distinct names of the property's channel-inventory records, sorted.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/name/list",
    operation_id = "show-inventory-names", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<String>), Problems))]
pub async fn show_inventory_names(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<String>>, ApiError> {
    let mut names: Vec<String> = state
        .store
        .channel_inventory(ctx.property.id)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    names.dedup();
    Ok(axum::Json(names))
}

/// The distinct kinds of the property's channel-inventory records, in the contract's order.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/type/list",
    operation_id = "show-inventory-types", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<InventoryType>), Problems))]
pub async fn show_inventory_types(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<InventoryType>>, ApiError> {
    let records = state.store.channel_inventory(ctx.property.id).await?;
    let types = KINDS
        .iter()
        .filter(|k| records.iter().any(|r| r.kind == **k))
        .map(|k| {
            serde_json::from_value(serde_json::Value::String((*k).to_string()))
                .map_err(|_| ApiError::Internal(format!("unknown inventory kind {k}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(axum::Json(types))
}

/// One item (a master rate or another inventory item of the property) on each sales channel:
/// `value` the channel-inventory record (to toggle), `label` the channel's owner, `selected`
/// whether the record is on; sorted by label. 404 for an item that is not the property's.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/inventory/{inventoryTypeIdentifier}/list",
    operation_id = "show-sales-channel-list-by-inventory", tag = "Inventory",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryTypeIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<wink_contract::SelectableKeyValuePair>), Problems))]
pub async fn show_sales_channel_list_by_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<Vec<wink_contract::SelectableKeyValuePair>>, ApiError> {
    let inventory = id(&ids.1)?;
    let (records, channels) = tokio::try_join!(
        state
            .store
            .channel_inventory_of_item(ctx.property.id, inventory),
        state.store.sales_channels(ctx.property.id),
    )?;
    if records.is_empty() && !item_exists(&state, &ctx, inventory).await? {
        return Err(ApiError::NotFound);
    }
    let owners: HashMap<Uuid, &SalesChannelView> = channels.iter().map(|c| (c.id, c)).collect();
    let mut pairs: Vec<wink_contract::SelectableKeyValuePair> = records
        .iter()
        .filter_map(|r| {
            let channel = owners.get(&r.sales_channel_id)?;
            Some(wink_contract::SelectableKeyValuePair {
                value: record_id(r.sales_channel_id, r.inventory_id).to_string(),
                label: channel.owner_name.clone(),
                selected: r.enabled,
            })
        })
        .collect();
    pairs.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));
    Ok(axum::Json(pairs))
}

/// Whether `inventory` is a master rate or an item of the property (which has records only
/// once the property has a channel).
async fn item_exists(
    state: &AppState,
    ctx: &PropertyContext,
    inventory: Uuid,
) -> Result<bool, ApiError> {
    let master_rates = state.store.master_rates(ctx.property.id).await?;
    if master_rates.iter().any(|m| m.id == inventory) {
        return Ok(true);
    }
    for kind in wink_store::inventory::Kind::ALL {
        let items = state.store.inventory_items(ctx.property.id, kind).await?;
        if items.iter().any(|i| i.id == inventory) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The property's records' (channel, item) pairs by record identifier.
async fn pairs_by_id(
    state: &AppState,
    ctx: &PropertyContext,
) -> Result<HashMap<Uuid, (Uuid, Uuid)>, ApiError> {
    Ok(state
        .store
        .channel_inventory_pairs(ctx.property.id)
        .await?
        .into_iter()
        .map(|(channel, inventory)| (record_id(channel, inventory), (channel, inventory)))
        .collect())
}

/// The (channel, item) pair of the record `record` of the property; 404 when it has none.
async fn find(
    state: &AppState,
    ctx: &PropertyContext,
    record: Uuid,
) -> Result<(Uuid, Uuid), ApiError> {
    pairs_by_id(state, ctx)
        .await?
        .remove(&record)
        .ok_or(ApiError::NotFound)
}

/// Switches the record of `pair` on or off.
async fn toggle(
    state: &AppState,
    ctx: &PropertyContext,
    (channel, inventory): (Uuid, Uuid),
    enabled: bool,
    expected: Expected,
) -> Result<Record, ApiError> {
    let current = state
        .store
        .channel_inventory_record(ctx.property.id, channel, inventory)
        .await?;
    state
        .store
        .toggle_channel_inventory(
            ctx.property.id,
            record_id(channel, inventory),
            channel,
            inventory,
            current.is_master_rate(),
            enabled,
            state.now(),
            expected.version(),
        )
        .await
        .map_err(|e| expected.refuse(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wink_contract::EntityType;

    #[test]
    fn enumerations_are_the_contracts() {
        fn all<T: serde::de::DeserializeOwned>(values: &[&str]) -> usize {
            values
                .iter()
                .filter(|v| serde_json::from_value::<T>(serde_json::json!(v)).is_ok())
                .count()
        }
        assert_eq!(all::<InventoryType>(KINDS), KINDS.len());
        assert_eq!(
            all::<EntityType>(grid::ENTITY_TYPES),
            grid::ENTITY_TYPES.len()
        );
    }

    #[test]
    fn field_names_are_unique() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
    }
}
