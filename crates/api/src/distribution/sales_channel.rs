//! Tag "Sales Channel": who a property sells to, and on what terms. A channel links the property
//! (the supplier) to an owner, another account on this server; its `subType` is the owner's
//! managing-entity type. The property sets the channel's terms (enabled, blacklisted, discount,
//! commission, the promotions that apply there); offers and bookings on it follow them (the
//! `offers` module).

use std::collections::HashSet;

use axum::extract::State;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    EntityType, SalesChannel as WireSalesChannel, SalesChannelCreateRequest,
    SalesChannelUpdateRequest, SpecialRateBundleLightweight,
};
use wink_domain::channel::Fraction;
use wink_store::promotions::{Bundle, Promotion};
use wink_store::sales_channels::{ChannelTermsUpdate, SalesChannel, SalesChannelView, SwitchedOff};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::monetization::promotion;
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/account/{salesChannelIdentifier}";

/// Create a sales channel from the property to an owner: the caller's own account (a direct
/// channel), or an account with a pending request to the property (accepting it). Any other id,
/// an existing account or not, is refused alike (400 naming `/ownerIdentifier`). One channel per
/// owner; a second is refused with 409. A channel to an owner that was removed comes back, with
/// the default terms.
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
    let id = state.store.create_sales_channel(&channel).await?;
    if asked {
        super::channel_request::accepted(&state, &ctx, req.owner_identifier).await?;
    }
    let view = state.store.sales_channel(ctx.property.id, id).await?;
    let wire = Offers::load(&state, &ctx)
        .await?
        .answer(&state, &view)
        .await?;
    Ok(Resource::created(wire, view.version))
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
    let offers = Offers::load(&state, &ctx).await?;
    let mut answers = Vec::with_capacity(channels.len());
    for channel in &channels {
        answers.push(offers.answer(&state, channel).await?);
    }
    Ok(axum::Json(answers))
}

/// Show a sales channel of the property, with its terms and the promotions and bundles that
/// apply on it.
#[utoipa::path(get, path = ONE,
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
    let wire = Offers::load(&state, &ctx)
        .await?
        .answer(&state, &view)
        .await?;
    Ok(Resource::ok(wire, view.version))
}

/// Set a channel's terms: `enabled` (false: nothing is offered on it), `blacklisted` (true:
/// likewise), `percentDiscount` (the share taken off every night sold on it, after promotions,
/// 0.1 = 10 %) and `commission` (the share of what the property keeps of a booking the channel
/// earns), both kept to four decimals. `rateModifierIdentifiers` / `rateModifierBundleIdentifiers`,
/// when not empty, are exactly the promotions / bundles that apply on the channel (the
/// property's others are switched off there); absent or empty leaves them as they are (the
/// `rate-modifier…/list` operations switch one at a time). Send `If-Match` with the version you
/// read to have a concurrent change refused (412) instead of overwritten.
#[utoipa::path(patch, path = ONE,
    operation_id = "update-sales-channel", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("salesChannelIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = SalesChannelUpdateRequest,
    responses((status = 200, body = WireSalesChannel), Problems))]
pub async fn update_sales_channel(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<SalesChannelUpdateRequest>,
) -> Result<Resource<WireSalesChannel>, ApiError> {
    let channel = id(&ids.1)?;
    let req = &body.value;
    // Unknown channel first: a 404 says more than a 400 about a body it would never apply to.
    state.store.sales_channel(ctx.property.id, channel).await?;
    let fraction = |value: f64, field: &str| {
        Fraction::from_wire(value)
            .ok_or_else(|| ApiError::field(field, "must be a share between 0 and 1 (0.1 = 10 %)"))
    };
    let offers = Offers::load(&state, &ctx).await?;
    let terms = ChannelTermsUpdate {
        enabled: req.enabled,
        blacklisted: req.blacklisted,
        percent_discount: fraction(req.percent_discount, "/percentDiscount")?
            .value()
            .into(),
        commission: fraction(req.commission, "/commission")?.value().into(),
        promotions_off: switched_off(
            &req.rate_modifier_identifiers,
            offers.promotions.iter().map(|p| p.id),
            "/rateModifierIdentifiers",
            "a promotion",
        )?,
        bundles_off: switched_off(
            &req.rate_modifier_bundle_identifiers,
            offers.bundles.iter().map(|b| b.id),
            "/rateModifierBundleIdentifiers",
            "a promotion bundle",
        )?,
    };
    let expected = Expected::new(if_match, None);
    let view = state
        .store
        .update_sales_channel(
            ctx.property.id,
            channel,
            &terms,
            expected.version(),
            state.now(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    let wire = offers.answer(&state, &view).await?;
    Ok(Resource::ok(wire, view.version))
}

/// Remove a sales channel: it stops selling at once and is listed no more. A channel that
/// bookings were made on is kept for them (they stay readable, with their channel); one without
/// bookings is deleted. Answers the channel as it was.
#[utoipa::path(delete, path = ONE,
    operation_id = "remove-sales-channel", tag = "Sales Channel",
    params(("managingEntityIdentifier" = Uuid, Path), ("salesChannelIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireSalesChannel), Problems))]
pub async fn remove_sales_channel(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireSalesChannel>, ApiError> {
    let channel = id(&ids.1)?;
    let offers = Offers::load(&state, &ctx).await?;
    let view = state.store.sales_channel(ctx.property.id, channel).await?;
    let wire = offers.answer(&state, &view).await?;
    state
        .store
        .remove_sales_channel(ctx.property.id, channel, state.now())
        .await?;
    Ok(Resource::ok(wire, view.version))
}

/// The promotions (or bundles) switched off when `on` names the ones that apply: `None` (no
/// change) for an empty list; every id must be one of the property's (`ours`).
fn switched_off(
    on: &[Uuid],
    ours: impl Iterator<Item = Uuid>,
    field: &str,
    what: &str,
) -> Result<Option<Vec<Uuid>>, ApiError> {
    if on.is_empty() {
        return Ok(None);
    }
    let ours: Vec<Uuid> = ours.collect();
    if let Some(i) = on.iter().position(|id| !ours.contains(id)) {
        return Err(ApiError::field(
            format!("{field}/{i}"),
            format!("not {what} of this property"),
        ));
    }
    let on: HashSet<&Uuid> = on.iter().collect();
    Ok(Some(
        ours.into_iter().filter(|id| !on.contains(id)).collect(),
    ))
}

/// The property's promotions and bundles, to show which apply on a channel.
pub struct Offers {
    pub promotions: Vec<Promotion>,
    pub bundles: Vec<Bundle>,
}

impl Offers {
    pub async fn load(state: &AppState, ctx: &PropertyContext) -> Result<Offers, ApiError> {
        let (promotions, bundles) = tokio::try_join!(
            state.store.promotions(ctx.property.id),
            state.store.bundles(ctx.property.id)
        )?;
        Ok(Offers {
            promotions,
            bundles,
        })
    }

    /// The channel's answer, with the promotions and bundles not switched off on it.
    pub async fn answer(
        &self,
        state: &AppState,
        view: &SalesChannelView,
    ) -> Result<WireSalesChannel, ApiError> {
        let off = state.store.switched_off(view.id).await?;
        self.to_wire(view, &off)
    }

    pub fn to_wire(
        &self,
        view: &SalesChannelView,
        off: &SwitchedOff,
    ) -> Result<WireSalesChannel, ApiError> {
        let rate_modifiers = self
            .promotions
            .iter()
            .filter(|p| !off.promotions.contains(&p.id))
            .map(promotion::lightweight)
            .collect::<Result<_, _>>()?;
        let rate_modifier_bundles = self
            .bundles
            .iter()
            .filter(|b| !off.bundles.contains(&b.id))
            .map(|b| self.bundle_lightweight(b))
            .collect::<Result<_, _>>()?;
        Ok(WireSalesChannel {
            rate_modifiers,
            rate_modifier_bundles,
            ..to_wire(view)?
        })
    }

    fn bundle_lightweight(
        &self,
        bundle: &Bundle,
    ) -> Result<SpecialRateBundleLightweight, ApiError> {
        let items = bundle
            .items
            .iter()
            .filter_map(|item| self.promotions.iter().find(|p| p.id == *item))
            .map(promotion::lightweight)
            .collect::<Result<_, _>>()?;
        Ok(SpecialRateBundleLightweight {
            identifier: bundle.id,
            hotel_identifier: bundle.property_id,
            name: bundle.name.clone(),
            enabled: bundle.enabled,
            items,
            ..Default::default()
        })
    }
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

/// The wire form of a channel and its terms, without its promotions. `channelDisabled` (the
/// platform's override) is never set on this server, and the supplier is always available.
pub fn to_wire(view: &SalesChannelView) -> Result<WireSalesChannel, ApiError> {
    let fraction = |value: rust_decimal::Decimal| {
        Fraction::new(value).map(Fraction::to_wire).ok_or_else(|| {
            ApiError::Internal(format!("sales channel {} has a share out of 0..1", view.id))
        })
    };
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
        blacklisted: view.blacklisted,
        percent_discount: Some(fraction(view.percent_discount.0)?),
        commission: Some(fraction(view.commission.0)?),
        ..Default::default()
    })
}
