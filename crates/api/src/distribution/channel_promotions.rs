//! Tag "Sales Channel", per promotion or bundle: on which of the property's channels it applies,
//! and switching it on or off there. A promotion or bundle applies on every channel unless the
//! property switched it off on it; switched off, it does not apply there (a promotion neither
//! on its own nor as a bundle's item), and still does on the others.

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{
    InventoryUpdateRequest, SalesChannel as WireSalesChannel, SelectableKeyValuePair,
};
use wink_store::sales_channels::OfferKind;

use super::sales_channel::Offers;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::state::AppState;
use crate::validation::ValidJson;

const PROMOTION: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account/rate-modifier/{rateModifierIdentifier}/list";
const BUNDLE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account/rate-modifier-bundle/{rateModifierBundleIdentifier}/list";

/// The property's channels for one promotion: `value` the channel's id, `label` its owner's
/// name, `selected` whether the promotion applies on it.
#[utoipa::path(get, path = PROMOTION,
    operation_id = "show-sales-channel-context-rate-modifier-pairs", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<SelectableKeyValuePair>), Problems))]
pub async fn show_sales_channel_context_rate_modifier_pairs(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<Vec<SelectableKeyValuePair>>, ApiError> {
    let promotion = state.store.promotion(ctx.property.id, id(&ids.1)?).await?;
    pairs(&state, &ctx, OfferKind::Promotion, promotion.id).await
}

/// Switch one promotion on (`enabled` true) or off on channels of the property (`identifier`:
/// the channel), all or nothing. Answers those channels as they now are.
#[utoipa::path(patch, path = PROMOTION,
    operation_id = "toggle-sales-channel-promo-availability", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierIdentifier" = Uuid, Path)),
    request_body = Vec<InventoryUpdateRequest>,
    responses((status = 200, body = Vec<WireSalesChannel>), Problems))]
pub async fn toggle_sales_channel_promo_availability(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<Vec<InventoryUpdateRequest>>,
) -> Result<axum::Json<Vec<WireSalesChannel>>, ApiError> {
    let promotion = state.store.promotion(ctx.property.id, id(&ids.1)?).await?;
    toggle(
        &state,
        &ctx,
        OfferKind::Promotion,
        promotion.id,
        &body.value,
    )
    .await
}

/// The property's channels for one promotion bundle: `value` the channel's id, `label` its
/// owner's name, `selected` whether the bundle applies on it.
#[utoipa::path(get, path = BUNDLE,
    operation_id = "show-sales-channel-context-rate-modifier-bundle-pairs", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierBundleIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<SelectableKeyValuePair>), Problems))]
pub async fn show_sales_channel_context_rate_modifier_bundle_pairs(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<Vec<SelectableKeyValuePair>>, ApiError> {
    let bundle = state.store.bundle(ctx.property.id, id(&ids.1)?).await?;
    pairs(&state, &ctx, OfferKind::Bundle, bundle.id).await
}

/// Switch one promotion bundle on (`enabled` true) or off on channels of the property
/// (`identifier`: the channel), all or nothing. Answers those channels as they now are.
#[utoipa::path(patch, path = BUNDLE,
    operation_id = "toggle-sales-channel-promo-bundle-availability", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("rateModifierBundleIdentifier" = Uuid, Path)),
    request_body = Vec<InventoryUpdateRequest>,
    responses((status = 200, body = Vec<WireSalesChannel>), Problems))]
pub async fn toggle_sales_channel_promo_bundle_availability(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<Vec<InventoryUpdateRequest>>,
) -> Result<axum::Json<Vec<WireSalesChannel>>, ApiError> {
    let bundle = state.store.bundle(ctx.property.id, id(&ids.1)?).await?;
    toggle(&state, &ctx, OfferKind::Bundle, bundle.id, &body.value).await
}

async fn pairs(
    state: &AppState,
    ctx: &PropertyContext,
    kind: OfferKind,
    offer: Uuid,
) -> Result<axum::Json<Vec<SelectableKeyValuePair>>, ApiError> {
    let (channels, off) = tokio::try_join!(
        state.store.sales_channels(ctx.property.id),
        state.store.channels_switched_off(kind, offer)
    )?;
    Ok(axum::Json(
        channels
            .iter()
            .map(|c| SelectableKeyValuePair {
                value: c.id.to_string(),
                label: c.owner_name.clone(),
                selected: !off.contains(&c.id),
            })
            .collect(),
    ))
}

async fn toggle(
    state: &AppState,
    ctx: &PropertyContext,
    kind: OfferKind,
    offer: Uuid,
    toggles: &[InventoryUpdateRequest],
) -> Result<axum::Json<Vec<WireSalesChannel>>, ApiError> {
    let channels = state.store.sales_channels(ctx.property.id).await?;
    // Every channel named must be the property's (another property's or account's is the same
    // unknown id), checked before anything changes.
    for (i, t) in toggles.iter().enumerate() {
        if !channels.iter().any(|c| c.id == t.identifier) {
            return Err(ApiError::field(
                format!("/{i}/identifier"),
                "not a sales channel of this property",
            ));
        }
    }
    let pairs: Vec<(Uuid, bool)> = toggles.iter().map(|t| (t.identifier, t.enabled)).collect();
    state
        .store
        .toggle_on_channels(ctx.property.id, kind, offer, &pairs, state.now())
        .await?;
    let offers = Offers::load(state, ctx).await?;
    let mut answers: Vec<WireSalesChannel> = Vec::new();
    let mut seen: Vec<Uuid> = Vec::new();
    for (channel, _) in &pairs {
        if seen.contains(channel) {
            continue;
        }
        seen.push(*channel);
        let view = state.store.sales_channel(ctx.property.id, *channel).await?;
        answers.push(offers.answer(state, &view).await?);
    }
    Ok(axum::Json(answers))
}
