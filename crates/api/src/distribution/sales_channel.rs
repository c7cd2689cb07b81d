//! Tag "Sales Channel": who a property sells to. A channel links the property (the supplier) to
//! an owner, another account on this server; its `subType` is the owner's managing-entity type.

use axum::extract::State;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{EntityType, SalesChannel as WireSalesChannel, SalesChannelCreateRequest};
use wink_store::sales_channels::{SalesChannel, SalesChannelView};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Create a sales channel from the property to an owner: the caller's own account (a direct
/// channel), or an account with a pending request to the property (accepting it). Any other id,
/// an existing account or not, is refused alike (400 naming `/ownerIdentifier`). One channel per
/// owner; a second is refused with 409.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account",
    operation_id = "create-sales-channel", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = SalesChannelCreateRequest,
    responses((status = 201, body = WireSalesChannel), Problems))]
pub async fn create_sales_channel(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<SalesChannelCreateRequest>,
) -> Result<Resource<WireSalesChannel>, ApiError> {
    let req = &body.value;
    if req.supplier_identifier != ctx.property.id {
        return Err(ApiError::field(
            "/supplierIdentifier",
            "must be the property in the path",
        ));
    }
    // The answer shows the owner's name and type, so only an owner the caller may know is
    // accepted: its own account, or an account that asked this property for a channel (this
    // accepts its request). Any other account gets the answer of an id that does not exist, so
    // ids cannot be probed for names.
    let asked = req.owner_identifier != ctx.caller.account_id
        && super::channel_request::owner_has_asked(&state, ctx.property.id, req.owner_identifier)
            .await?;
    if req.owner_identifier != ctx.caller.account_id && !asked {
        return Err(ApiError::field("/ownerIdentifier", "no such account"));
    }
    let now = state.now();
    let channel = SalesChannel {
        id: Uuid::new_v4(),
        property_id: ctx.property.id,
        owner_account_id: req.owner_identifier,
        enabled: true,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    state.store.create_sales_channel(&channel).await?;
    if asked {
        super::channel_request::accepted(&state, &ctx, req.owner_identifier).await?;
    }
    let view = state
        .store
        .sales_channel(ctx.property.id, channel.id)
        .await?;
    Ok(Resource::created(to_wire(&view)?, view.version))
}

/// List the property's sales channels, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account/list",
    operation_id = "show-accounts", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WireSalesChannel>), Problems))]
pub async fn show_accounts(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WireSalesChannel>>, ApiError> {
    let channels = state.store.sales_channels(ctx.property.id).await?;
    Ok(axum::Json(
        channels.iter().map(to_wire).collect::<Result<_, _>>()?,
    ))
}

/// Show a sales channel of the property.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account/{salesChannelIdentifier}",
    operation_id = "show-sales-channel", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("salesChannelIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireSalesChannel), Problems))]
pub async fn show_sales_channel(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireSalesChannel>, ApiError> {
    let view = state
        .store
        .sales_channel(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(to_wire(&view)?, view.version))
}

/// The owner's managing-entity type as the wire enum.
pub fn entity_type(view: &SalesChannelView) -> Result<EntityType, ApiError> {
    serde_json::from_value(Value::String(view.owner_entity_type.clone())).map_err(|_| {
        ApiError::Internal(format!(
            "account {} has an unknown entity type {:?}",
            view.owner_account_id, view.owner_entity_type
        ))
    })
}

/// The wire form of a channel. Neither the property nor the platform can disable or blacklist a
/// channel here yet, so it is enabled, not disabled, not blacklisted, and the supplier available.
pub fn to_wire(view: &SalesChannelView) -> Result<WireSalesChannel, ApiError> {
    Ok(WireSalesChannel {
        id: Some(view.id),
        created_date: Some(view.created_at),
        last_update: Some(view.updated_at),
        version: Some(view.version),
        supplier_identifier: view.property_id,
        supplier_name: view.property_name.clone(),
        supplier_available: true,
        sub_type: entity_type(view)?,
        owner_identifier: Some(view.owner_account_id),
        owner_name: Some(view.owner_name.clone()),
        enabled: Some(view.enabled),
        channel_disabled: Some(false),
        blacklisted: false,
        ..Default::default()
    })
}
