//! Tag "Sales Channel Request": an owner asks a supplier property for a direct sales channel.
//!
//! Who is who (see docs/distribution-and-bookings.md, "Sales channel requests"):
//! - the **requester** is the property in the path of `create-sales-channel-request`; the request's
//!   owner (`ownerIdentifier`, `ownerName`, `subType`) is the account that manages it, the account
//!   a channel is opened for;
//! - the **supplier** is `supplierIdentifier`, an active property of another account. The list
//!   and the rejection are the supplier's: its path property sees the requests made to it.
//!
//! The supplier accepts a request by opening a sales channel for the owner (`create-sales-channel`
//! with `ownerIdentifier` the requesting account): the contract has no "accept" operation, and the
//! channel is what acceptance produces. The rules (who may ask when, what rejecting does) are
//! `wink_domain::channel_request`.

use axum::extract::State;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    EntityType, SalesChannelRequest as WireRequest, SalesChannelRequestRequestType,
    SalesChannelRequestStatus, UpsertSalesChannelRequestRequest,
};
use wink_domain::channel_request::{self, History, Reject, RequestStatus};
use wink_store::StoreError;
use wink_store::channel_requests::{ChannelRequest, ChannelRequestView};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Longest introductory message kept, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// Ask another account's property (`supplierIdentifier`) for a direct sales channel, for the
/// account that manages the path's property. The supplier must be an active property of another
/// account; any other id, existing or not, is the same 400 naming `/supplierIdentifier`. Refused
/// with 409 while the owner already sells that property, already has a request pending there, or
/// was rejected there less than 30 days ago.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales-channel/request",
    operation_id = "create-sales-channel-request", tag = "Sales Channel Request",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertSalesChannelRequestRequest,
    responses((status = 201, body = WireRequest), Problems))]
pub async fn create_sales_channel_request(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertSalesChannelRequestRequest>,
) -> Result<Resource<WireRequest>, ApiError> {
    let req = &body.value;
    let message = req.introductory_message.trim();
    if message.is_empty() {
        return Err(ApiError::field(
            "/introductoryMessage",
            "must say something besides spaces",
        ));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::field(
            "/introductoryMessage",
            format!("must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let owner = ctx.caller.account_id;
    // The answer names the supplier, so only a property any account may ask (an active one) is
    // found; the caller's own properties need no request (create-sales-channel opens a direct
    // channel). Every other id answers like one that does not exist.
    let supplier = match state.store.visible_supplier(req.supplier_identifier).await {
        Ok(s) if s.account_id != owner => s,
        Ok(_) => {
            return Err(ApiError::field(
                "/supplierIdentifier",
                "is managed by your own account: open a sales channel to it directly",
            ));
        }
        Err(StoreError::NotFound) => {
            return Err(ApiError::field("/supplierIdentifier", "no such property"));
        }
        Err(e) => return Err(e.into()),
    };
    let now = state.now();
    let history = state
        .store
        .channel_request_history(supplier.id, owner)
        .await?;
    channel_request::may_request(
        &History {
            has_channel: history.has_channel,
            pending: history.pending,
            last_rejected_at: history.last_rejected_at,
        },
        now,
    )
    .map_err(|refusal| ApiError::Conflict(refusal.sentence()))?;
    let request = ChannelRequest {
        id: Uuid::new_v4(),
        supplier_property_id: supplier.id,
        owner_account_id: owner,
        requested_from: ctx.property.id,
        request_type: req.request_type.as_str().into(),
        introductory_message: message.into(),
        status: RequestStatus::Requesting.as_str().into(),
        requested_by: ctx.caller.client_id,
        decided_at: None,
        decided_by: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    state.store.create_channel_request(&request).await?;
    let view = state.store.channel_request(supplier.id, request.id).await?;
    Ok(Resource::created(to_wire(&view)?, view.version))
}

/// The requests awaiting the property's decision (REQUESTING), oldest first: those other
/// accounts made to it. Requests the property's account made elsewhere are the other side's.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales-channel/request/list",
    operation_id = "show-sales-channel-requests", tag = "Sales Channel Request",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WireRequest>), Problems))]
pub async fn show_sales_channel_requests(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WireRequest>>, ApiError> {
    let pending = state
        .store
        .pending_channel_requests(ctx.property.id)
        .await?;
    Ok(axum::Json(
        pending.iter().map(to_wire).collect::<Result<_, _>>()?,
    ))
}

/// Reject a request made to the property; answers it REJECTED. Rejecting a rejected request
/// answers it unchanged; an accepted one (its channel is open) is a 409: remove the channel
/// instead. `If-Match` is honoured (412 when stale). A request made to another property, or by
/// the property's own account elsewhere, is 404.
#[utoipa::path(delete, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales-channel/request/{salesChannelRequestIdentifier}",
    operation_id = "remove-sales-channel-request", tag = "Sales Channel Request",
    params(("managingEntityIdentifier" = Uuid, Path), ("salesChannelRequestIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireRequest), Problems))]
pub async fn remove_sales_channel_request(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
) -> Result<Resource<WireRequest>, ApiError> {
    let request_id = id(&ids.1)?;
    let current = state
        .store
        .channel_request(ctx.property.id, request_id)
        .await?;
    let expected = Expected::new(if_match, None);
    if let Some(v) = expected.version()
        && v != current.version
    {
        return Err(expected.refuse_stale(current.version));
    }
    let decision = channel_request::reject(status(&current)?).map_err(|_| {
        ApiError::Conflict(
            "the request was accepted: its sales channel is open; remove the channel instead"
                .into(),
        )
    })?;
    let view = match decision {
        Reject::Unchanged => current,
        Reject::Reject => state
            .store
            .reject_channel_request(
                ctx.property.id,
                request_id,
                current.version,
                state.now(),
                ctx.caller.client_id,
            )
            .await
            .map_err(|e| expected.refuse(e))?,
    };
    Ok(Resource::ok(to_wire(&view)?, view.version))
}

/// Whether the property may open a sales channel for `owner` because `owner` asked for one (a
/// pending request): how the supplier accepts a request.
pub async fn owner_has_asked(
    state: &AppState,
    property: Uuid,
    owner: Uuid,
) -> Result<bool, ApiError> {
    Ok(state
        .store
        .has_pending_channel_request(property, owner)
        .await?)
}

/// Marks `owner`'s pending request to the property accepted, once its channel is open.
pub async fn accepted(
    state: &AppState,
    ctx: &PropertyContext,
    owner: Uuid,
) -> Result<(), ApiError> {
    state
        .store
        .accept_channel_request(ctx.property.id, owner, state.now(), ctx.caller.client_id)
        .await?;
    Ok(())
}

fn status(view: &ChannelRequestView) -> Result<RequestStatus, ApiError> {
    RequestStatus::parse(&view.status).ok_or_else(|| {
        ApiError::Internal(format!(
            "sales channel request {} has an unknown status {:?}",
            view.id, view.status
        ))
    })
}

fn wire_enum<T: serde::de::DeserializeOwned>(
    view: &ChannelRequestView,
    what: &str,
    value: &str,
) -> Result<T, ApiError> {
    serde_json::from_value(Value::String(value.into())).map_err(|_| {
        ApiError::Internal(format!(
            "sales channel request {} has an unknown {what} {value:?}",
            view.id
        ))
    })
}

/// The wire form of a request. Only pending and rejected requests are ever answered (an accepted
/// one is its channel).
pub fn to_wire(view: &ChannelRequestView) -> Result<WireRequest, ApiError> {
    let status: SalesChannelRequestStatus = wire_enum(view, "status", &view.status)?;
    let request_type: SalesChannelRequestRequestType =
        wire_enum(view, "request type", &view.request_type)?;
    let sub_type: EntityType = wire_enum(view, "owner type", &view.owner_entity_type)?;
    Ok(WireRequest {
        id: Some(view.id),
        created_date: Some(view.created_at),
        last_update: Some(view.updated_at),
        version: Some(view.version),
        status,
        request_type,
        supplier_identifier: view.supplier_property_id,
        supplier_name: view.supplier_name.clone(),
        sub_type,
        owner_identifier: view.owner_account_id,
        owner_name: view.owner_name.clone(),
        introductory_message: view.introductory_message.clone(),
    })
}
