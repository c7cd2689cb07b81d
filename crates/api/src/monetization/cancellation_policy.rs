//! Tag "Cancellation Policy": the terms a property's rate plans refer to. A policy is validated
//! by the domain's rules (`rules::policy`) and answered with its `policyCode`; it cannot be
//! deleted while a rate plan uses it, as its policy or in one of its exceptions.

use axum::extract::State;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    CancellationPolicy as WirePolicy, CancellationPolicyLightweight,
    CancellationPolicyRemovableResponse, IdentifierNamePair, UpsertCancellationPolicyRequest,
};
use wink_store::cancellation_policies::CancellationPolicy as StoredPolicy;

use super::rules;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/cancellation-policy/{cancellationPolicyIdentifier}";

/// Create a cancellation policy.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/cancellation-policy",
    operation_id = "create-cancellation-policy", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertCancellationPolicyRequest,
    responses((status = 201, body = WirePolicy), Problems))]
pub async fn create_cancellation_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertCancellationPolicyRequest>,
) -> Result<Resource<WirePolicy>, ApiError> {
    let policy = to_row(Uuid::new_v4(), &ctx, &body.value, state.now())?;
    state.store.create_cancellation_policy(&policy).await?;
    Ok(Resource::created(to_wire(&policy)?, policy.version))
}

/// List the property's cancellation policies, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/cancellation-policy/list",
    operation_id = "show-cancellation-policy-list", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WirePolicy>), Problems))]
pub async fn show_cancellation_policy_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WirePolicy>>, ApiError> {
    let policies = state.store.cancellation_policies(ctx.property.id).await?;
    Ok(axum::Json(
        policies.iter().map(to_wire).collect::<Result<_, _>>()?,
    ))
}

/// Show a cancellation policy.
#[utoipa::path(get, path = ONE, operation_id = "show-cancellation-policy", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path), ("cancellationPolicyIdentifier" = Uuid, Path)),
    responses((status = 200, body = WirePolicy), Problems))]
pub async fn show_cancellation_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WirePolicy>, ApiError> {
    let policy = state
        .store
        .cancellation_policy(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(to_wire(&policy)?, policy.version))
}

/// Replace a cancellation policy's terms; the rate plans using it follow the new terms for
/// bookings made from then on. Send the `version` you read (body or `If-Match`) to have a
/// concurrent change refused instead of overwritten.
#[utoipa::path(put, path = ONE, operation_id = "update-cancellation-policy", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path), ("cancellationPolicyIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertCancellationPolicyRequest,
    responses((status = 200, body = WirePolicy), Problems))]
pub async fn update_cancellation_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertCancellationPolicyRequest>,
) -> Result<Resource<WirePolicy>, ApiError> {
    let policy_id = id(&ids.1)?;
    let existing = state
        .store
        .cancellation_policy(ctx.property.id, policy_id)
        .await?;
    let expected = Expected::new(if_match, body.version);
    let mut row = to_row(policy_id, &ctx, &body.value, state.now())?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_cancellation_policy(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(to_wire(&updated)?, updated.version))
}

/// Delete a cancellation policy. Refused (409, naming them) while rate plans use it.
#[utoipa::path(delete, path = ONE, operation_id = "remove-cancellation-policy", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path), ("cancellationPolicyIdentifier" = Uuid, Path)),
    responses((status = 200, body = WirePolicy), Problems))]
pub async fn remove_cancellation_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WirePolicy>, ApiError> {
    let removed = state
        .store
        .delete_cancellation_policy(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(to_wire(&removed)?, removed.version))
}

/// Whether a cancellation policy can be deleted, and the rate plans that prevent it
/// (`ratePlans` is left out when there are none).
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/cancellation-policy/{cancellationPolicyIdentifier}/removable",
    operation_id = "is-cancellation-policy-removable", tag = "Cancellation Policy",
    params(("managingEntityIdentifier" = Uuid, Path), ("cancellationPolicyIdentifier" = Uuid, Path)),
    responses((status = 200, body = CancellationPolicyRemovableResponse), Problems))]
pub async fn is_cancellation_policy_removable(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<CancellationPolicyRemovableResponse>, ApiError> {
    let policy = state
        .store
        .cancellation_policy(ctx.property.id, id(&ids.1)?)
        .await?;
    let users = state.store.cancellation_policy_users(policy.id).await?;
    Ok(axum::Json(CancellationPolicyRemovableResponse {
        removable: Some(users.is_empty()),
        rate_plans: users
            .into_iter()
            .map(|u| IdentifierNamePair {
                identifier: u.id,
                name: u.name,
            })
            .collect(),
    }))
}

/// The stored row of a request, after the domain's rules.
fn to_row(
    id: Uuid,
    ctx: &PropertyContext,
    req: &UpsertCancellationPolicyRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<StoredPolicy, ApiError> {
    rules::policy(req)?;
    let text = |v: Option<&'static str>| v.map(str::to_string);
    Ok(StoredPolicy {
        id,
        property_id: ctx.property.id,
        refundable: req.refundable,
        free_cancellation: text(req.advance_cancellation_free_of_charge.map(|v| v.as_str())),
        refundable_charge: text(req.refundable_cancellation_charge.map(|v| v.as_str())),
        no_show_charge: text(req.no_show_charge.map(|v| v.as_str())),
        non_refundable_charge: text(req.non_refundable_cancellation_charge.map(|v| v.as_str())),
        non_refundable_deadline: text(req.non_refundable_deadline.map(|v| v.as_str())),
        after_deadline_charge: text(
            req.non_refundable_after_deadline_cancellation_charge
                .map(|v| v.as_str()),
        ),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// A stored policy read back as the request that made it.
pub fn request_of(row: &StoredPolicy) -> Result<UpsertCancellationPolicyRequest, ApiError> {
    fn term<T: DeserializeOwned>(
        row: &StoredPolicy,
        v: &Option<String>,
    ) -> Result<Option<T>, ApiError> {
        v.as_ref()
            .map(|s| {
                serde_json::from_value(Value::String(s.clone())).map_err(|_| {
                    ApiError::Internal(format!(
                        "cancellation policy {} holds unknown term {s}",
                        row.id
                    ))
                })
            })
            .transpose()
    }
    Ok(UpsertCancellationPolicyRequest {
        refundable: row.refundable,
        advance_cancellation_free_of_charge: term(row, &row.free_cancellation)?,
        refundable_cancellation_charge: term(row, &row.refundable_charge)?,
        no_show_charge: term(row, &row.no_show_charge)?,
        non_refundable_cancellation_charge: term(row, &row.non_refundable_charge)?,
        non_refundable_deadline: term(row, &row.non_refundable_deadline)?,
        non_refundable_after_deadline_cancellation_charge: term(row, &row.after_deadline_charge)?,
    })
}

/// The short code of a stored policy (see `CancellationPolicy::policy_code`).
fn policy_code(
    row: &StoredPolicy,
    req: &UpsertCancellationPolicyRequest,
) -> Result<String, ApiError> {
    rules::policy(req).map(|p| p.policy_code()).map_err(|e| {
        ApiError::Internal(format!(
            "stored cancellation policy {} is invalid: {e:?}",
            row.id
        ))
    })
}

pub fn to_wire(row: &StoredPolicy) -> Result<WirePolicy, ApiError> {
    let req = request_of(row)?;
    Ok(WirePolicy {
        id: Some(row.id),
        created_date: Some(row.created_at),
        last_update: Some(row.updated_at),
        version: Some(row.version),
        hotel_identifier: row.property_id,
        refundable: req.refundable,
        policy_code: Some(policy_code(row, &req)?),
        advance_cancellation_free_of_charge: req.advance_cancellation_free_of_charge,
        refundable_cancellation_charge: req.refundable_cancellation_charge,
        no_show_charge: req.no_show_charge,
        non_refundable_cancellation_charge: req.non_refundable_cancellation_charge,
        non_refundable_deadline: req.non_refundable_deadline,
        non_refundable_after_deadline_cancellation_charge: req
            .non_refundable_after_deadline_cancellation_charge,
    })
}

/// The policy as rate plans show it.
pub fn lightweight(row: &StoredPolicy) -> Result<CancellationPolicyLightweight, ApiError> {
    let req = request_of(row)?;
    Ok(CancellationPolicyLightweight {
        identifier: row.id,
        hotel_identifier: row.property_id,
        refundable: req.refundable,
        policy_code: Some(policy_code(row, &req)?),
        advance_cancellation_free_of_charge: req.advance_cancellation_free_of_charge,
        refundable_cancellation_charge: req.refundable_cancellation_charge,
        no_show_charge: req.no_show_charge,
        non_refundable_cancellation_charge: req.non_refundable_cancellation_charge,
        non_refundable_deadline: req.non_refundable_deadline,
        non_refundable_after_deadline_cancellation_charge: req
            .non_refundable_after_deadline_cancellation_charge,
    })
}
