//! Tag "Daily Rate", test availability: what each sales channel of the property is offered for a
//! stay, and why the rest is not. Every room type × rate plan (master rate) is quoted by the
//! domain's engine, exactly as a test booking will be.

use std::collections::HashMap;

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{
    ChannelName, DescriptiveReason, DescriptiveRoom, DescriptiveRoomTypeWithPriceConfigurations,
    RoomConfigurationPrice, VerifyRatesRequest,
};
use wink_domain::pricing::Unavailable;
use wink_store::StoreError;
use wink_store::properties::PropertyRef;
use wink_store::sales_channels::SalesChannelView;

use crate::auth::PropertyContext;
use crate::distribution::offers::{self, Catalog, MAX_CONFIGURATIONS, Scope};
use crate::distribution::priced::{self, Pricing};
use crate::distribution::sales_channel::entity_type;
use crate::error::{ApiError, Problems};
use crate::state::AppState;
use crate::validation::ValidJson;

/// The property's sales channels, to pick the one to test availability with: one entry per
/// channel, named after its owner.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/channel/list",
    operation_id = "show-channels", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<ChannelName>), Problems))]
pub async fn show_channels(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<ChannelName>>, ApiError> {
    let channels = state.store.sales_channels(ctx.property.id).await?;
    let names = channels
        .iter()
        .map(|c| {
            Ok(ChannelName {
                property_identifier: c.property_id.to_string(),
                sub_type: entity_type(c)?,
                owner_identifier: Some(c.owner_account_id.to_string()),
                name: c.owner_name.clone(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(axum::Json(names))
}

/// Test availability for a sales channel (`channel.ownerIdentifier` names its owner): one entry
/// per room type, its offers for each rate plan and room configuration under
/// `accessibleAvailability[].priceConfigurations` (the cheapest as `bestPrice`), and what is not
/// offered with every reason under `inaccessibleRatePlans` (the rate plan's rules),
/// `inaccessibleMasterRates` (master rate or room type switched off) and
/// `inaccessibleAvailability` (calendar, rooms left, occupancy); `map.codes` lists the reasons'
/// machine codes. The booking date is today at the property unless `bookingDate` is given.
/// Prices are in the property's currency; another `currency` is refused.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/room/list",
    operation_id = "show-descriptive-inventory", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = VerifyRatesRequest,
    responses((status = 200, body = Vec<DescriptiveRoom>), Problems))]
pub async fn show_descriptive_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<VerifyRatesRequest>,
) -> Result<axum::Json<Vec<DescriptiveRoom>>, ApiError> {
    let req = &body.value;
    let channel = channel_of(&state, &ctx.property, req, "").await?;
    check_currency(&ctx.property, &req.currency, "/currency")?;
    let stay = offers::stay(req.stay_start_date, req.stay_end_date, "")?;
    if req.room_configurations.len() > MAX_CONFIGURATIONS {
        return Err(ApiError::field(
            "/roomConfigurations",
            format!("at most {MAX_CONFIGURATIONS} room configurations"),
        ));
    }
    let requests = req
        .room_configurations
        .iter()
        .enumerate()
        .map(|(i, c)| offers::room_request(c, None, &format!("/roomConfigurations/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let booked_on = req
        .booking_date
        .unwrap_or_else(|| crate::dates::today_at(&ctx.property));

    let catalog = Catalog::load(&state.store, &ctx.property, &stay).await?;
    let pricing = Pricing {
        currency: ctx.property.currency.clone(),
        at: wink_store::now(),
    };
    let direct = channel.owner_account_id == ctx.property.account_id;
    let mut rooms = Vec::with_capacity(catalog.room_types().len());
    for room in catalog.room_types() {
        let mut offered: Vec<RoomConfigurationPrice> = Vec::new();
        let mut accessible_plans = Reasons::default();
        let mut plans = Reasons::default();
        let mut master_rates = Reasons::default();
        let mut availability = Reasons::default();
        for master_rate in catalog.master_rates_of(room.id) {
            for (configuration, request) in req.room_configurations.iter().zip(&requests) {
                let ev = catalog.evaluate(master_rate, &stay, request, booked_on)?;
                let ids = [
                    ("masterRateIdentifier", master_rate.id),
                    ("ratePlanIdentifier", ev.plan.id),
                    ("roomTypeIdentifier", room.id),
                ];
                match &ev.outcome {
                    Ok(quote) => {
                        offered.push(priced::offer(
                            &ev,
                            quote,
                            &channel,
                            direct,
                            configuration,
                            &stay,
                            &pricing,
                        ));
                        accessible_plans.entry(ev.plan.id, &ev.plan.name, &ids[1..2]);
                    }
                    Err(reasons) => {
                        for reason in reasons {
                            let (list, id, name, map) = match offers::scope(reason) {
                                Scope::RatePlan => {
                                    (&mut plans, ev.plan.id, ev.plan.name.clone(), &ids[1..])
                                }
                                Scope::MasterRate => (
                                    &mut master_rates,
                                    master_rate.id,
                                    ev.master_rate_name(),
                                    &ids[..],
                                ),
                                Scope::Availability => (
                                    &mut availability,
                                    master_rate.id,
                                    ev.master_rate_name(),
                                    &ids[..],
                                ),
                            };
                            list.add(id, &name, map, reason);
                        }
                    }
                }
            }
        }
        let best_price = offered
            .iter()
            .min_by_key(|o| o.source_total.as_ref().map(|t| t.amount))
            .cloned();
        rooms.push(DescriptiveRoom {
            identifier: Some(room.id.to_string()),
            room_name: Some(room.name.clone()),
            accessible_rate_plans: accessible_plans.into_wire(),
            inaccessible_rate_plans: plans.into_wire(),
            inaccessible_master_rates: master_rates.into_wire(),
            accessible_availability: vec![DescriptiveRoomTypeWithPriceConfigurations {
                room: Some(offers::guest_room_lightweight(room)?),
                available: Some(!offered.is_empty()),
                best_price,
                price_configurations: offered,
                inaccessible_availability_reason: None,
            }],
            inaccessible_availability: availability.into_wire(),
            ..Default::default()
        });
    }
    Ok(axum::Json(rooms))
}

/// The sales channel a test names: `channel.propertyIdentifier` must be the path's property and
/// `channel.ownerIdentifier` the owner of one of its channels. `prefix` is where the channel sits
/// in the body (`""` or `"/query"`).
pub async fn channel_of(
    state: &AppState,
    property: &PropertyRef,
    req: &VerifyRatesRequest,
    prefix: &str,
) -> Result<SalesChannelView, ApiError> {
    if req.channel.property_identifier != property.id.to_string() {
        return Err(ApiError::field(
            format!("{prefix}/channel/propertyIdentifier"),
            "must be the property in the path",
        ));
    }
    let field = format!("{prefix}/channel/ownerIdentifier");
    let owner = req.channel.owner_identifier.as_deref().ok_or_else(|| {
        ApiError::field(&field, "required: the owner of the sales channel to test")
    })?;
    let no_channel = || ApiError::field(&field, "the property has no sales channel for this owner");
    let owner = Uuid::parse_str(owner).map_err(|_| no_channel())?;
    match state.store.sales_channel_of_owner(property.id, owner).await {
        Ok(channel) => Ok(channel),
        Err(StoreError::NotFound) => Err(no_channel()),
        Err(e) => Err(e.into()),
    }
}

/// Only the property's own currency is sold until exchange rates are loaded: another one is
/// refused rather than converted at a made-up rate.
pub fn check_currency(property: &PropertyRef, currency: &str, field: &str) -> Result<(), ApiError> {
    if currency == property.currency {
        return Ok(());
    }
    Err(ApiError::field(
        field,
        format!(
            "no exchange rate is loaded from {} to {currency}; ask in {}",
            property.currency, property.currency
        ),
    ))
}

/// Reasons collected per identifier, in first-seen order, each reason once.
#[derive(Default)]
struct Reasons {
    order: Vec<String>,
    by_id: HashMap<String, (DescriptiveReason, Vec<&'static str>)>,
}

impl Reasons {
    fn entry(
        &mut self,
        id: Uuid,
        name: &str,
        map: &[(&str, Uuid)],
    ) -> &mut (DescriptiveReason, Vec<&'static str>) {
        let key = id.to_string();
        if !self.by_id.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.by_id.entry(key.clone()).or_insert_with(|| {
            (
                DescriptiveReason {
                    identifier: Some(key),
                    name: Some(name.to_string()),
                    map: map
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    reasons: Vec::new(),
                },
                Vec::new(),
            )
        })
    }

    fn add(&mut self, id: Uuid, name: &str, map: &[(&str, Uuid)], reason: &Unavailable) {
        let (entry, codes) = self.entry(id, name, map);
        let text = reason.to_string();
        if !entry.reasons.contains(&text) {
            entry.reasons.push(text);
        }
        if !codes.contains(&reason.code()) {
            codes.push(reason.code());
        }
    }

    fn into_wire(mut self) -> Vec<DescriptiveReason> {
        self.order
            .iter()
            .filter_map(|key| self.by_id.remove(key))
            .map(|(mut reason, codes)| {
                if !codes.is_empty() {
                    reason.map.insert("codes".into(), codes.join(","));
                }
                reason
            })
            .collect()
    }
}
