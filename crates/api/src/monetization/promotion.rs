//! Tag "Promotion": premiums and discounts on room nights with the qualifiers that decide when
//! they apply (the contract's special rates). The request is validated by the domain
//! (`promotion_rules::promotion`) and its references by the property's own resources: every
//! master rate, rate plan and add-on named must be the property's. A promotion in a bundle
//! cannot be deleted (409 naming the bundles); a rate plan, room type or add-on a promotion
//! names cannot be deleted either.

use std::collections::HashSet;

use axum::extract::State;
use serde_json::json;
use uuid::Uuid;
use wink_contract::{SpecialRate, SpecialRateLightweight, UpsertSpecialRateRequest};
use wink_store::Json as DbJson;
use wink_store::inventory::Kind;
use wink_store::promotions::{Promotion, PromotionRefs};

use super::promotion_rules;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion/{rateModifierIdentifier}";

/// Create a promotion.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion",
    operation_id = "create-promotion", tag = "Promotion",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertSpecialRateRequest,
    responses((status = 201, body = SpecialRate), Problems))]
pub async fn create_promotion(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertSpecialRateRequest>,
) -> Result<Resource<SpecialRate>, ApiError> {
    let (row, refs) = to_row(&state, &ctx, Uuid::new_v4(), &body.value).await?;
    state.store.create_promotion(&row, &refs).await?;
    Ok(Resource::created(to_wire(&row)?, row.version))
}

/// List the property's promotions, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion/list",
    operation_id = "show-promotions", tag = "Promotion",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<SpecialRate>), Problems))]
pub async fn show_promotions(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<SpecialRate>>, ApiError> {
    let rows = state.store.promotions(ctx.property.id).await?;
    Ok(axum::Json(
        rows.iter().map(to_wire).collect::<Result<_, _>>()?,
    ))
}

/// Show a promotion.
#[utoipa::path(get, path = ONE, operation_id = "show-promotion", tag = "Promotion",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierIdentifier" = Uuid, Path)),
    responses((status = 200, body = SpecialRate), Problems))]
pub async fn show_promotion(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<SpecialRate>, ApiError> {
    let row = state.store.promotion(ctx.property.id, id(&ids.1)?).await?;
    Ok(Resource::ok(to_wire(&row)?, row.version))
}

/// Replace a promotion's content. Send the `version` you read (body or `If-Match`) to have a
/// concurrent change refused instead of overwritten. The bundles containing it follow: their
/// `isValid` is worked out from their items' current conditions.
#[utoipa::path(put, path = ONE, operation_id = "update-promotion", tag = "Promotion",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertSpecialRateRequest,
    responses((status = 200, body = SpecialRate), Problems))]
pub async fn update_promotion(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertSpecialRateRequest>,
) -> Result<Resource<SpecialRate>, ApiError> {
    let promotion_id = id(&ids.1)?;
    let existing = state.store.promotion(ctx.property.id, promotion_id).await?;
    let expected = Expected::new(if_match, body.version);
    let (mut row, refs) = to_row(&state, &ctx, promotion_id, &body.value).await?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_promotion(&row, &refs, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(to_wire(&updated)?, updated.version))
}

/// Delete a promotion. Refused (409, naming them) while a promotion bundle contains it.
#[utoipa::path(delete, path = ONE, operation_id = "remove-rate-modifier", tag = "Promotion",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierIdentifier" = Uuid, Path)),
    responses((status = 200, body = SpecialRate), Problems))]
pub async fn remove_rate_modifier(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<SpecialRate>, ApiError> {
    let removed = state
        .store
        .delete_promotion(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(to_wire(&removed)?, removed.version))
}

/// The stored row and references of a request: the domain's rules hold, every master rate,
/// rate plan and add-on named is the property's. Repeated identifiers count once.
async fn to_row(
    state: &AppState,
    ctx: &PropertyContext,
    id: Uuid,
    req: &UpsertSpecialRateRequest,
) -> Result<(Promotion, PromotionRefs), ApiError> {
    crate::dates::within(
        &state.date_window(&ctx.property),
        promotion_rules::dates(req),
    )?;
    let promotion = promotion_rules::promotion(id, req, &ctx.property.currency)?;
    let property = ctx.property.id;
    if !req.master_rate_identifiers.is_empty() {
        let ours: HashSet<Uuid> = state
            .store
            .master_rates(property)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        check_ours(
            &req.master_rate_identifiers,
            &ours,
            "masterRateIdentifiers",
            "a master rate",
        )?;
    }
    if !req.rate_plan_identifiers.is_empty() {
        let ours: HashSet<Uuid> = state
            .store
            .rate_plans(property)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        check_ours(
            &req.rate_plan_identifiers,
            &ours,
            "ratePlanIdentifiers",
            "a rate plan",
        )?;
    }
    if !req.add_on_identifiers.is_empty() {
        let ours: HashSet<Uuid> = state
            .store
            .inventory_items(property, Kind::AddOn)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        check_ours(
            &req.add_on_identifiers,
            &ours,
            "addOnIdentifiers",
            "an add-on",
        )?;
    }
    let mut document = serde_json::to_value(req).map_err(|e| ApiError::Internal(e.to_string()))?;
    document["name"] = json!(promotion.name);
    for (key, ids) in [
        ("masterRateIdentifiers", &promotion.master_rate_ids),
        ("ratePlanIdentifiers", &promotion.rate_plan_ids),
        ("addOnIdentifiers", &promotion.add_on_ids),
    ] {
        if !ids.is_empty() {
            document[key] = json!(ids);
        }
    }
    let now = state.now();
    Ok((
        Promotion {
            id,
            property_id: property,
            name: promotion.name,
            enabled: promotion.enabled,
            document: DbJson(document),
            created_at: now,
            updated_at: now,
            version: 1,
        },
        PromotionRefs {
            master_rates: promotion.master_rate_ids,
            rate_plans: promotion.rate_plan_ids,
            add_ons: promotion.add_on_ids,
        },
    ))
}

fn check_ours(ids: &[Uuid], ours: &HashSet<Uuid>, field: &str, what: &str) -> Result<(), ApiError> {
    match ids.iter().position(|id| !ours.contains(id)) {
        Some(i) => Err(ApiError::field(
            format!("/{field}/{i}"),
            format!("{} is not {what} of this property", ids[i]),
        )),
        None => Ok(()),
    }
}

/// The wire form of a stored promotion: the content as accepted, with its bookkeeping.
pub fn to_wire(row: &Promotion) -> Result<SpecialRate, ApiError> {
    let mut value = row.document.0.clone();
    let object = value.as_object_mut().ok_or_else(|| {
        ApiError::Internal(format!("promotion {} document is not an object", row.id))
    })?;
    object.insert("id".into(), json!(row.id));
    object.insert("hotelIdentifier".into(), json!(row.property_id));
    object.insert("createdDate".into(), json!(row.created_at));
    object.insert("lastUpdate".into(), json!(row.updated_at));
    object.insert("version".into(), json!(row.version));
    from_document("promotion", row.id, &value)
}

/// A stored promotion as bundles show their items: the same content, named by `identifier`.
pub fn lightweight(row: &Promotion) -> Result<SpecialRateLightweight, ApiError> {
    let mut value = row.document.0.clone();
    if let Some(object) = value.as_object_mut() {
        object.insert("identifier".into(), json!(row.id));
        object.insert("hotelIdentifier".into(), json!(row.property_id));
    }
    from_document("promotion (lightweight)", row.id, &value)
}
