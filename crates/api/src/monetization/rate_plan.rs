//! Tag "Rate Plan": what a property sells its rooms under (meals, restrictions, fees, modifiers,
//! cancellation policy with date-bound exceptions). Creating one opens a master rate with each
//! room type; deleting one removes its master rates and daily rates.

use std::collections::HashMap;

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use uuid::Uuid;
use wink_contract::{
    CancellationPolicyException, CancellationPolicyExceptions, RatePlan as WireRatePlan,
    RatePlanLightweight, UpsertRatePlanRequest,
};
use wink_domain::DateWindow;
use wink_domain::rate_plan::{ExceptionProblemKind, check_exception_periods};
use wink_store::Json as DbJson;
use wink_store::Store;
use wink_store::cancellation_policies::CancellationPolicy as StoredPolicy;
use wink_store::rate_plans::{PolicyException, RatePlan};

use super::{cancellation_policy, rules};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/rate-plan/{ratePlanIdentifier}";

/// The property's cancellation policies by id.
type Policies = HashMap<Uuid, StoredPolicy>;

async fn policies(store: &Store, property: Uuid) -> Result<Policies, ApiError> {
    Ok(store
        .cancellation_policies(property)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// Create a rate plan; it opens a master rate with each of the property's room types.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/rate-plan",
    operation_id = "create-rate-plan", tag = "Rate Plan",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertRatePlanRequest,
    responses((status = 201, body = WireRatePlan), Problems))]
pub async fn create_rate_plan(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertRatePlanRequest>,
) -> Result<Resource<WireRatePlan>, ApiError> {
    let policies = policies(&state.store, ctx.property.id).await?;
    let (plan, exceptions) = to_row(
        Uuid::new_v4(),
        &ctx,
        &state.date_window(&ctx.property),
        &body.value,
        &policies,
        state.now(),
    )?;
    state.store.create_rate_plan(&plan, &exceptions).await?;
    Ok(Resource::created(
        to_wire(&plan, &exceptions, &policies)?,
        plan.version,
    ))
}

/// List the property's rate plans, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/rate-plan/list",
    operation_id = "show-rate-plans", tag = "Rate Plan",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WireRatePlan>), Problems))]
pub async fn show_rate_plans(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WireRatePlan>>, ApiError> {
    Ok(axum::Json(all(&state.store, ctx.property.id).await?))
}

/// Show a rate plan.
#[utoipa::path(get, path = ONE, operation_id = "show-rate-plan", tag = "Rate Plan",
    params(("managingEntityIdentifier" = Uuid, Path), ("ratePlanIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireRatePlan), Problems))]
pub async fn show_rate_plan(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireRatePlan>, ApiError> {
    let plan = state.store.rate_plan(ctx.property.id, id(&ids.1)?).await?;
    let wire = one(&state.store, &plan).await?;
    Ok(Resource::ok(wire, plan.version))
}

/// Replace a rate plan's content. Send the `version` you read (body or `If-Match`) to have a
/// concurrent change refused instead of overwritten.
#[utoipa::path(put, path = ONE, operation_id = "update-rate-plan", tag = "Rate Plan",
    params(("managingEntityIdentifier" = Uuid, Path), ("ratePlanIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertRatePlanRequest,
    responses((status = 200, body = WireRatePlan), Problems))]
pub async fn update_rate_plan(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertRatePlanRequest>,
) -> Result<Resource<WireRatePlan>, ApiError> {
    let plan_id = id(&ids.1)?;
    let existing = state.store.rate_plan(ctx.property.id, plan_id).await?;
    let expected = Expected::new(if_match, body.version);
    let policies = policies(&state.store, ctx.property.id).await?;
    let window = state.date_window(&ctx.property);
    let (mut row, exceptions) =
        to_row(plan_id, &ctx, &window, &body.value, &policies, state.now())?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_rate_plan(&row, &exceptions, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(
        to_wire(&updated, &exceptions, &policies)?,
        updated.version,
    ))
}

/// Delete a rate plan with its master rates and their daily rates. Refused (409) while a
/// booking that is not cancelled holds one of its nights today or later.
#[utoipa::path(delete, path = ONE, operation_id = "remove-rate-plan", tag = "Rate Plan",
    params(("managingEntityIdentifier" = Uuid, Path), ("ratePlanIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireRatePlan), Problems))]
pub async fn remove_rate_plan(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireRatePlan>, ApiError> {
    let plan = state.store.rate_plan(ctx.property.id, id(&ids.1)?).await?;
    let wire = one(&state.store, &plan).await?;
    let today = state.today_at(&ctx.property);
    let removed = state
        .store
        .delete_rate_plan(ctx.property.id, plan.id, today)
        .await?;
    Ok(Resource::ok(wire, removed.version))
}

/// Every rate plan of the property in its wire form, oldest first.
pub async fn all(store: &Store, property: Uuid) -> Result<Vec<WireRatePlan>, ApiError> {
    let plans = store.rate_plans(property).await?;
    let policies = policies(store, property).await?;
    let mut exceptions: HashMap<Uuid, Vec<PolicyException>> = HashMap::new();
    for e in store.rate_plan_exceptions(property).await? {
        exceptions.entry(e.rate_plan_id).or_default().push(e);
    }
    plans
        .iter()
        .map(|p| {
            to_wire(
                p,
                exceptions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                &policies,
            )
        })
        .collect()
}

/// Every date a rate plan request names (sell and stay windows, policy exceptions), with its
/// JSON pointer.
fn plan_dates(req: &UpsertRatePlanRequest) -> Vec<(String, NaiveDate)> {
    let windows = [
        ("/sellStartDate", req.sell_start_date),
        ("/sellEndDate", req.sell_end_date),
        ("/stayStartDate", req.stay_start_date),
        ("/stayEndDate", req.stay_end_date),
    ];
    let mut out: Vec<(String, NaiveDate)> = windows
        .into_iter()
        .filter_map(|(field, date)| Some((field.to_string(), date?)))
        .collect();
    let exceptions = req
        .cancellation_policy_exceptions
        .iter()
        .flat_map(|e| &e.list);
    for (i, e) in exceptions.enumerate() {
        let field = |name: &str| format!("/cancellationPolicyExceptions/list/{i}/{name}");
        out.push((field("startDate"), e.start_date));
        out.push((field("endDate"), e.end_date));
    }
    out
}

/// One stored rate plan in its wire form.
async fn one(store: &Store, plan: &RatePlan) -> Result<WireRatePlan, ApiError> {
    let policies = policies(store, plan.property_id).await?;
    let exceptions = store.rate_plan_exceptions_of(plan.id).await?;
    to_wire(plan, &exceptions, &policies)
}

/// The stored row and exceptions of a request, after the rules a schema cannot express: every
/// date is within `window`, the policies are the property's, exceptions are ordered ranges that
/// do not overlap, and the plan's rules hold (`rules::plan_rules`, refundable as its policy says).
fn to_row(
    id: Uuid,
    ctx: &PropertyContext,
    window: &DateWindow,
    req: &UpsertRatePlanRequest,
    policies: &Policies,
    now: DateTime<Utc>,
) -> Result<(RatePlan, Vec<PolicyException>), ApiError> {
    crate::dates::within(window, plan_dates(req))?;
    let not_ours =
        |field: String| ApiError::field(field, "is not a cancellation policy of this property");
    let policy = policies
        .get(&req.cancellation_policy_identifier)
        .ok_or_else(|| not_ours("/cancellationPolicyIdentifier".into()))?;
    let list = req
        .cancellation_policy_exceptions
        .as_ref()
        .map(|e| e.list.as_slice())
        .unwrap_or(&[]);
    let field = |i: usize, name: &str| format!("/cancellationPolicyExceptions/list/{i}/{name}");
    if let Some(i) = list
        .iter()
        .position(|e| !policies.contains_key(&e.cancellation_policy_identifier))
    {
        return Err(not_ours(field(i, "cancellationPolicyIdentifier")));
    }
    let periods: Vec<_> = list.iter().map(|e| (e.start_date, e.end_date)).collect();
    check_exception_periods(&periods).map_err(|problem| {
        let (i, e) = (problem.index, &list[problem.index]);
        match problem.kind {
            ExceptionProblemKind::EndsBeforeStart => {
                ApiError::field(field(i, "endDate"), "must not be before startDate")
            }
            ExceptionProblemKind::Overlaps { other: j } => ApiError::field(
                field(i, "startDate"),
                format!(
                    "{}..{} overlaps exception {j} ({}..{})",
                    e.start_date, e.end_date, list[j].start_date, list[j].end_date
                ),
            ),
        }
    })?;
    let mut exceptions = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        exceptions.push(PolicyException {
            rate_plan_id: id,
            position: i as i32,
            cancellation_policy_id: e.cancellation_policy_identifier,
            start_date: e.start_date,
            end_date: e.end_date,
        });
    }
    rules::plan_rules(req, policy.refundable, &ctx.property.currency)?;
    let mut document = serde_json::to_value(req).map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = req.name.trim().to_string();
    document["name"] = json!(name);
    Ok((
        RatePlan {
            id,
            property_id: ctx.property.id,
            name,
            enabled: req.enabled,
            cancellation_policy_id: req.cancellation_policy_identifier,
            document: DbJson(document),
            created_at: now,
            updated_at: now,
            version: 1,
        },
        exceptions,
    ))
}

/// The wire form of a stored rate plan: the content as sent, with its bookkeeping, its policy
/// and its exceptions (each with its policy).
pub fn to_wire(
    plan: &RatePlan,
    exceptions: &[PolicyException],
    policies: &Policies,
) -> Result<WireRatePlan, ApiError> {
    let policy_of = |policy: Uuid| {
        policies
            .get(&policy)
            .ok_or_else(|| {
                ApiError::Internal(format!(
                    "rate plan {} names missing policy {policy}",
                    plan.id
                ))
            })
            .and_then(cancellation_policy::lightweight)
    };
    let mut value = plan.document.0.clone();
    let object = value.as_object_mut().ok_or_else(|| {
        ApiError::Internal(format!("rate plan {} document is not an object", plan.id))
    })?;
    object.remove("cancellationPolicyIdentifier");
    object.remove("cancellationPolicyExceptions");
    object.insert("id".into(), json!(plan.id));
    object.insert("hotelIdentifier".into(), json!(plan.property_id));
    object.insert("createdDate".into(), json!(plan.created_at));
    object.insert("lastUpdate".into(), json!(plan.updated_at));
    object.insert("version".into(), json!(plan.version));
    let mut wire: WireRatePlan = from_document("rate plan", plan.id, &value)?;
    wire.cancellation_policy = Some(policy_of(plan.cancellation_policy_id)?);
    wire.cancellation_policy_exceptions = if exceptions.is_empty() {
        None
    } else {
        Some(CancellationPolicyExceptions {
            list: exceptions
                .iter()
                .map(|e| {
                    Ok(CancellationPolicyException {
                        cancellation_policy_identifier: e.cancellation_policy_id,
                        cancellation_policy: policy_of(e.cancellation_policy_id)?,
                        start_date: e.start_date,
                        end_date: e.end_date,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        })
    };
    Ok(wire)
}

/// A rate plan as master rates show it: the same content, named by `identifier`.
pub fn lightweight(plan: &WireRatePlan) -> Result<RatePlanLightweight, ApiError> {
    let mut value = serde_json::to_value(plan).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("identifier".into(), json!(plan.id));
    }
    from_document(
        "rate plan (lightweight)",
        plan.id.map(|id| id.to_string()).unwrap_or_default(),
        &value,
    )
}
