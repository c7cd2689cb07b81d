//! Tag "Promotion Bundle": two or more promotions of the property offered together (how a
//! bundle competes with its items when a stay is priced is the stacking rule of
//! `wink_domain::promotion`).
//!
//! # What the contract's 422 means here
//! A bundle can be wrong in two ways, answered differently:
//! - **The request is wrong** → 400 naming the field, nothing stored: a blank name, fewer than
//!   two DISTINCT promotions (`/itemIdentifiers`), an item that is not a promotion of this
//!   property (`/itemIdentifiers/N`), a `modifierOverride` without its `type` or `pricingType`,
//!   out of range, or in another currency (`Bundle::validate` and `promotion_rules::bundle`).
//! - **The bundle is well formed but can never apply** (`Bundle::never_applies`): an item or
//!   the override has an hourly pricing type (never prices a room night), or its items exclude
//!   each other (no master rate in all their lists, prepay demanded and refused, no country
//!   or IP range in common, advance-booking or last-minute windows that do not meet, stay
//!   dates with no common night, ...). Such a bundle IS stored, answered with **422** and the
//!   stored bundle as the body (its `id`, `version` and `ETag`), and never applied. It is
//!   stored because validity depends on its items, which change on their own: a promotion
//!   edited later can make a stored bundle invalid, or valid again, so the property fixes
//!   either side in whatever order it likes (`PUT` the bundle or its items).
//!
//! Validity is worked out from the items' current conditions, never stored. The contract
//! makes `isValid` write-only, so no answer carries it: the status of a bundle's `POST`/`PUT`
//! is the answer (201/200 valid, 422 not), and re-sending a bundle unchanged is how to ask
//! again after its items changed. Pricing needs no flag: `Bundle::check` never lets a bundle
//! apply whose items cannot all apply to the same stay.
//!
//! `hasFixedDiscountModifier` / `hasPercentDiscountModifier` say
//! whether the discount the bundle gives is (partly) a fixed amount / a percentage: its
//! DISCOUNT override's, or without one, its DISCOUNT items'. `aggregatedItemDescriptions` has
//! one description per language, the items' descriptions in that language one per line.
//! `type` and `pricingType` are kept only with a `modifierOverride` (they mean nothing without).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use uuid::Uuid;
use wink_contract::{
    ChargeType, LocalizedDescription, RateModifierType, SpecialRateBundle,
    UpsertSpecialRateBundleRequest,
};
use wink_domain::promotion::{Product, Promotion as DomainPromotion};
use wink_store::Json as DbJson;
use wink_store::Store;
use wink_store::promotions::{Bundle, Promotion};

use super::{promotion, promotion_rules};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion-bundle/{rateModifierBundleIdentifier}";

/// Create a bundle. 201 when it can apply; 422 (stored all the same) when it never can.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion-bundle",
    operation_id = "create-rate-modifier-bundle", tag = "Promotion Bundle",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertSpecialRateBundleRequest,
    responses((status = 201, body = SpecialRateBundle),
        (status = 422, body = SpecialRateBundle, description = "Stored, but it can never apply (its items exclude each other, or a pricing type is hourly): it is never applied until it or its items change."),
        Problems))]
pub async fn create_rate_modifier_bundle(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertSpecialRateBundleRequest>,
) -> Result<Resource<SpecialRateBundle>, ApiError> {
    let offers = Offers::load(&state.store, &ctx).await?;
    let row = to_row(&ctx, &offers, Uuid::new_v4(), &body.value, state.now())?;
    state.store.create_bundle(&row).await?;
    let (wire, valid) = offers.wire(&row)?;
    Ok(answer(wire, valid, row.version, StatusCode::CREATED))
}

/// List the property's bundles, oldest first.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/promotion-bundle/list",
    operation_id = "show-rate-modifier-bundles", tag = "Promotion Bundle",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<SpecialRateBundle>), Problems))]
pub async fn show_rate_modifier_bundles(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<SpecialRateBundle>>, ApiError> {
    let offers = Offers::load(&state.store, &ctx).await?;
    let rows = state.store.bundles(ctx.property.id).await?;
    Ok(axum::Json(
        rows.iter()
            .map(|b| offers.wire(b).map(|(wire, _)| wire))
            .collect::<Result<_, _>>()?,
    ))
}

/// Show a bundle.
#[utoipa::path(get, path = ONE, operation_id = "show-rate-modifier-bundle", tag = "Promotion Bundle",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierBundleIdentifier" = Uuid, Path)),
    responses((status = 200, body = SpecialRateBundle), Problems))]
pub async fn show_rate_modifier_bundle(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<SpecialRateBundle>, ApiError> {
    let row = state.store.bundle(ctx.property.id, id(&ids.1)?).await?;
    let offers = Offers::load(&state.store, &ctx).await?;
    Ok(Resource::ok(offers.wire(&row)?.0, row.version))
}

/// Replace a bundle's content. Send the `version` you read (body or `If-Match`) to have a
/// concurrent change refused. 200 when it can apply; 422 (stored all the same) when it never
/// can.
#[utoipa::path(put, path = ONE, operation_id = "update-rate-modifier-bundle", tag = "Promotion Bundle",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierBundleIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertSpecialRateBundleRequest,
    responses((status = 200, body = SpecialRateBundle),
        (status = 422, body = SpecialRateBundle, description = "Stored, but it can never apply (its items exclude each other, or a pricing type is hourly): it is never applied until it or its items change."),
        Problems))]
pub async fn update_rate_modifier_bundle(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertSpecialRateBundleRequest>,
) -> Result<Resource<SpecialRateBundle>, ApiError> {
    let bundle_id = id(&ids.1)?;
    let existing = state.store.bundle(ctx.property.id, bundle_id).await?;
    let expected = Expected::new(if_match, body.version);
    let offers = Offers::load(&state.store, &ctx).await?;
    let mut row = to_row(&ctx, &offers, bundle_id, &body.value, state.now())?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_bundle(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    let (wire, valid) = offers.wire(&updated)?;
    Ok(answer(wire, valid, updated.version, StatusCode::OK))
}

/// Delete a bundle; its promotions stay.
#[utoipa::path(delete, path = ONE, operation_id = "remove-rate-modifier-bundle", tag = "Promotion Bundle",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierBundleIdentifier" = Uuid, Path)),
    responses((status = 200, body = SpecialRateBundle), Problems))]
pub async fn remove_rate_modifier_bundle(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<SpecialRateBundle>, ApiError> {
    let offers = Offers::load(&state.store, &ctx).await?;
    let removed = state
        .store
        .delete_bundle(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(offers.wire(&removed)?.0, removed.version))
}

/// `ok` for a bundle that can apply, 422 for one that never can (stored all the same).
fn answer(
    wire: SpecialRateBundle,
    valid: bool,
    version: i64,
    ok: StatusCode,
) -> Resource<SpecialRateBundle> {
    let status = if valid {
        ok
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Resource {
        status,
        body: wire,
        version,
    }
}

/// The property's promotions (stored and as the domain's) and master rates: what a bundle's
/// items and validity are read from.
struct Offers {
    rows: HashMap<Uuid, Promotion>,
    promotions: Vec<DomainPromotion>,
    products: Vec<Product>,
    currency: String,
}

impl Offers {
    async fn load(store: &Store, ctx: &PropertyContext) -> Result<Offers, ApiError> {
        let rows = store.promotions(ctx.property.id).await?;
        let promotions = rows
            .iter()
            .map(|row| promotion_rules::stored_promotion(row, &ctx.property.currency))
            .collect::<Result<_, _>>()?;
        let products = store
            .master_rates(ctx.property.id)
            .await?
            .into_iter()
            .map(|m| Product {
                master_rate_id: m.id,
                rate_plan_id: m.rate_plan_id,
            })
            .collect();
        Ok(Offers {
            rows: rows.into_iter().map(|r| (r.id, r)).collect(),
            promotions,
            products,
            currency: ctx.property.currency.clone(),
        })
    }

    /// The wire form of a stored bundle, and whether it can ever apply (worked out from its
    /// items as they are).
    fn wire(&self, row: &Bundle) -> Result<(SpecialRateBundle, bool), ApiError> {
        let bundle = promotion_rules::stored_bundle(row, &self.currency)?;
        let items: Vec<&Promotion> = row
            .items
            .iter()
            .map(|id| {
                self.rows.get(id).ok_or_else(|| {
                    ApiError::Internal(format!("bundle {} names missing promotion {id}", row.id))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut value = row.document.0.clone();
        let object = value.as_object_mut().ok_or_else(|| {
            ApiError::Internal(format!("bundle {} document is not an object", row.id))
        })?;
        object.remove("itemIdentifiers");
        object.insert("items".into(), json!([]));
        object.insert("id".into(), json!(row.id));
        object.insert("hotelIdentifier".into(), json!(row.property_id));
        object.insert("createdDate".into(), json!(row.created_at));
        object.insert("lastUpdate".into(), json!(row.updated_at));
        object.insert("version".into(), json!(row.version));
        let mut wire: SpecialRateBundle = from_document("bundle", row.id, &value)?;
        wire.items = items
            .iter()
            .map(|p| promotion::lightweight(p))
            .collect::<Result<_, _>>()?;
        let discounts: Vec<ChargeType> = match (&wire.modifier_override, wire.r#type) {
            (Some(m), Some(RateModifierType::Discount)) => vec![m.r#type],
            (Some(_), _) => Vec::new(),
            (None, _) => wire
                .items
                .iter()
                .filter(|i| i.r#type == RateModifierType::Discount)
                .map(|i| i.modifier.r#type)
                .collect(),
        };
        wire.has_fixed_discount_modifier = Some(discounts.contains(&ChargeType::Fixed));
        wire.has_percent_discount_modifier = Some(discounts.contains(&ChargeType::Percentage));
        wire.aggregated_item_descriptions = aggregated(&wire);
        let valid = bundle
            .never_applies(&self.promotions, &self.products)
            .is_empty();
        Ok((wire, valid))
    }
}

/// One description per language (in the order languages first appear), the items'
/// descriptions in it one per line.
fn aggregated(wire: &SpecialRateBundle) -> Vec<LocalizedDescription> {
    let mut out: Vec<LocalizedDescription> = Vec::new();
    for d in wire.items.iter().flat_map(|i| &i.descriptions) {
        match out.iter_mut().find(|o| o.language == d.language) {
            Some(o) => {
                o.description.push('\n');
                o.description.push_str(&d.description);
            }
            None => out.push(LocalizedDescription {
                description: d.description.clone(),
                language: d.language.clone(),
                ..LocalizedDescription::default()
            }),
        }
    }
    out
}

/// The stored row of a request: the domain's rules hold and every item is a promotion of the
/// property. Repeated items count once; `type`/`pricingType` are kept only with an override.
fn to_row(
    ctx: &PropertyContext,
    offers: &Offers,
    id: Uuid,
    req: &UpsertSpecialRateBundleRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Bundle, ApiError> {
    if let Some(i) = req
        .item_identifiers
        .iter()
        .position(|item| !offers.rows.contains_key(item))
    {
        return Err(ApiError::field(
            format!("/itemIdentifiers/{i}"),
            format!(
                "{} is not a promotion of this property",
                req.item_identifiers[i]
            ),
        ));
    }
    let bundle = promotion_rules::bundle(id, req, &ctx.property.currency)?;
    let items = bundle.distinct_items();
    let mut document = serde_json::to_value(req).map_err(|e| ApiError::Internal(e.to_string()))?;
    document["name"] = json!(bundle.name);
    document["itemIdentifiers"] = json!(items);
    if bundle.modifier_override.is_none()
        && let Some(object) = document.as_object_mut()
    {
        object.remove("type");
        object.remove("pricingType");
    }
    Ok(Bundle {
        id,
        property_id: ctx.property.id,
        name: bundle.name,
        enabled: bundle.enabled,
        document: DbJson(document),
        created_at: now,
        updated_at: now,
        version: 1,
        items,
    })
}
