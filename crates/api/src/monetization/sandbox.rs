//! Tag "Daily Rate", test availability: what each sales channel of the property is offered for a
//! stay, and why the rest is not. Every room type × rate plan (master rate) is quoted by the
//! domain's engine with the property's promotions, exactly as a test booking will be, and shown
//! in the property's, the internal and the requested currency.

use std::collections::HashMap;

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use wink_contract::{
    ChannelName, DescriptiveReason, DescriptiveRoom, DescriptiveRoomTypeWithPriceConfigurations,
    RoomConfigurationPrice, VerifyRatesRequest,
};
use wink_domain::cancellation::start_of_day;
use wink_domain::money::Currency;
use wink_domain::pricing::Quote;
use wink_domain::promotion::{NotApplicable, PromotionKind};
use wink_domain::stay::Stay;
use wink_store::properties::PropertyRef;
use wink_store::sales_channels::SalesChannelView;

use crate::auth::PropertyContext;
use crate::distribution::channel_inventory;
use crate::distribution::offers::{self, Catalog, Evaluation, MAX_CONFIGURATIONS, Scope, Shopper};
use crate::distribution::priced::Priced;
use crate::distribution::sales_channel::entity_type;
use crate::error::{ApiError, Problems, StoreResultExt};
use crate::fx::Currencies;
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
/// `accessibleAvailability[].priceConfigurations` (the cheapest as `bestPrice`), priced with the
/// property's promotions for the booker the request describes (`promotion`, `city`, `country`,
/// `continent`, `timezone`, `ipNumber`), and what is not offered with every reason under
/// `inaccessibleRatePlans` (the rate plan's rules), `inaccessibleMasterRates` (master rate or
/// room type switched off) and `inaccessibleAvailability` (calendar, rooms left, occupancy);
/// `map.codes` lists the reasons' machine codes. A promotion or bundle that did not apply to an
/// offered stay is listed under `inaccessibleRatePlans` with `map.kind` PROMOTION or BUNDLE and
/// why. The booking date is today at the property unless `bookingDate` is given. Amounts are in
/// the property's currency, the internal currency and `currency` (which needs a loaded
/// exchange rate).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/room/list",
    operation_id = "show-descriptive-inventory", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = VerifyRatesRequest,
    responses((status = 200, body = Vec<DescriptiveRoom>), Problems))]
pub async fn show_descriptive_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<VerifyRatesRequest>,
) -> Result<
    (
        [(axum::http::HeaderName, String); 1],
        axum::Json<Vec<DescriptiveRoom>>,
    ),
    ApiError,
> {
    let started = std::time::Instant::now();
    let req = &body.value;
    let channel = channel_of(&state, &ctx.property, req, "").await?;
    let now = state.now();
    let currencies = currencies(&state, &ctx.property, &req.currency, "/currency", now).await?;
    let window = state.date_window(&ctx.property);
    let stay = offers::stay(&window, req.stay_start_date, req.stay_end_date, "")?;
    crate::dates::within(
        &window,
        req.booking_date.map(|d| ("/bookingDate".to_string(), d)),
    )?;
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
    let booker = offers::booker(req, "")?;
    let today = state.today_at(&ctx.property);
    let booked_on = req.booking_date.unwrap_or(today);
    let shopper = Shopper {
        booker,
        booked_at: booked_at(&ctx.property, booked_on, today, now),
        booked_on,
        rooms_in_booking: requests.iter().map(|r| r.quantity).sum(),
    };

    let catalog = Catalog::load(&state.store, &ctx.property, &stay).await?;
    // CHANNEL INVENTORY hook (lead: move into the offers module's channel terms on merge).
    let withheld = state.store.master_rates_withheld_from(channel.id).await?;
    let loaded = started.elapsed();
    let direct = channel.owner_account_id == ctx.property.account_id;
    let mut rooms = Vec::with_capacity(catalog.room_types().len());
    for room in catalog.room_types() {
        let mut offered: Vec<RoomConfigurationPrice> = Vec::new();
        let mut accessible_plans = Reasons::default();
        let mut plans = Reasons::default();
        let mut master_rates = Reasons::default();
        let mut availability = Reasons::default();
        let mut promotions = Reasons::default();
        for master_rate in catalog.master_rates_of(room.id) {
            for (configuration, request) in req.room_configurations.iter().zip(&requests) {
                let ev = catalog.evaluate(master_rate, &stay, request, &shopper)?;
                let ids = [
                    ("masterRateIdentifier", master_rate.id),
                    ("ratePlanIdentifier", ev.plan.id),
                    ("roomTypeIdentifier", room.id),
                ];
                // CHANNEL INVENTORY hook: a master rate switched off for this channel.
                if withheld.contains(&master_rate.id) {
                    let (text, code) = (
                        channel_inventory::WITHHELD,
                        channel_inventory::WITHHELD_CODE,
                    );
                    master_rates.add(
                        master_rate.id,
                        &ev.master_rate_name(),
                        &ids,
                        text.into(),
                        code,
                    );
                    continue;
                }
                match &ev.outcome {
                    Ok(quote) => {
                        let priced = Priced::new(&ev, quote, &currencies, "/currency")?;
                        offered.push(priced.offer(&channel, direct, configuration, &stay));
                        accessible_plans.entry(ev.plan.id, &ev.plan.name, &ids[1..2]);
                        not_applied(&ev, quote, &stay, &shopper, &mut promotions);
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
                            list.add(id, &name, map, reason.to_string(), reason.code());
                        }
                    }
                }
            }
        }
        let best_price = offered
            .iter()
            .min_by_key(|o| o.source_total.as_ref().map(|t| t.amount))
            .cloned();
        let mut inaccessible_plans = plans.into_wire();
        inaccessible_plans.extend(promotions.into_wire());
        rooms.push(DescriptiveRoom {
            identifier: Some(room.id.to_string()),
            room_name: Some(room.name.clone()),
            accessible_rate_plans: accessible_plans.into_wire(),
            inaccessible_rate_plans: inaccessible_plans,
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
    // Where the time went, for integrators and benchmarks (Server-Timing, W3C): reading the
    // property's rates and rules, then pricing every offer and building the answer.
    let priced = started.elapsed() - loaded;
    let timing = format!(
        "read;dur={:.2}, price;dur={:.2}",
        loaded.as_secs_f64() * 1000.0,
        priced.as_secs_f64() * 1000.0
    );
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        axum::Json(rooms),
    ))
}

/// The currencies of a request for `currency` (its JSON pointer is `field`) at a property.
pub async fn currencies(
    state: &AppState,
    property: &PropertyRef,
    currency: &str,
    field: &str,
    at: DateTime<Utc>,
) -> Result<Currencies, ApiError> {
    let source = Currency::parse(&property.currency)
        .map_err(|e| ApiError::Internal(format!("property {} currency: {e:?}", property.id)))?;
    state
        .fx
        .currencies(&state.store, source, currency, field, at)
        .await
}

/// The booking instant for promotions: now, or for another `booked_on` the same wall-clock time
/// at the property on that date (its start when that time does not exist there).
pub fn booked_at(
    property: &PropertyRef,
    booked_on: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    if booked_on == today {
        return now;
    }
    let zone = crate::dates::zone(property);
    let local = booked_on.and_time(now.with_timezone(&zone).time());
    match local.and_local_timezone(zone) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.with_timezone(&Utc)
        }
        chrono::LocalResult::None => start_of_day(zone, booked_on),
    }
}

/// Records why each promotion and bundle left an offered stay unchanged, under the promotion
/// (or bundle), with the rate plans concerned.
fn not_applied(ev: &Evaluation, quote: &Quote, stay: &Stay, shopper: &Shopper, into: &mut Reasons) {
    let offers = &ev.catalog.offers;
    let discounted = quote
        .adjustments()
        .any(|a| a.kind == PromotionKind::Discount);
    for (id, reasons) in &ev.not_applied {
        let bundle = offers.bundles.iter().find(|b| b.id == *id);
        let name = offers.texts.get(id).map_or_else(
            || {
                bundle
                    .map(|b| b.name.clone())
                    .or_else(|| {
                        offers
                            .promotions
                            .iter()
                            .find(|p| p.id == *id)
                            .map(|p| p.name.clone())
                    })
                    .unwrap_or_default()
            },
            |t| t.name.clone(),
        );
        let (kind, key) = match bundle {
            Some(_) => ("BUNDLE", "bundleIdentifier"),
            None => ("PROMOTION", "promotionIdentifier"),
        };
        let is_discount = match bundle {
            Some(b) => b
                .modifier_override
                .is_none_or(|o| o.kind == PromotionKind::Discount),
            None => offers
                .promotions
                .iter()
                .any(|p| p.id == *id && p.kind == PromotionKind::Discount),
        };
        let entry = into.entry_with(*id, &name, || {
            vec![("kind".into(), kind.into()), (key.into(), id.to_string())]
        });
        let plans = entry.0.map.entry("ratePlanIdentifiers".into()).or_default();
        let plan = ev.plan.id.to_string();
        if !plans.split(',').any(|p| p == plan) {
            if !plans.is_empty() {
                plans.push(',');
            }
            plans.push_str(&plan);
        }
        match reasons {
            Some(reasons) => {
                for reason in reasons {
                    let (code, text) = not_applicable(reason, ev, stay, shopper);
                    into.add_to(*id, text, code);
                }
            }
            None if is_discount && discounted => into.add_to(
                *id,
                "another discount takes more off this stay (discounts do not stack)".into(),
                "NOT_BEST_DISCOUNT",
            ),
            None => into.add_to(*id, "it changes no price of this stay".into(), "NO_AMOUNT"),
        }
    }
}

/// A reason a promotion or bundle does not apply: its stable code and a sentence naming the
/// promotion's field.
fn not_applicable(
    reason: &NotApplicable,
    ev: &Evaluation,
    stay: &Stay,
    shopper: &Shopper,
) -> (&'static str, String) {
    use NotApplicable::*;
    let field = reason.field();
    let item = |id: &Uuid| {
        ev.catalog
            .offers
            .texts
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    };
    let (code, text) = match reason {
        Disabled => ("DISABLED", "it is disabled".to_string()),
        HourlyPricing => (
            "HOURLY_PRICING",
            "an hourly pricing type never prices room nights".to_string(),
        ),
        MasterRate => (
            "MASTER_RATE",
            "not for this room type and rate plan".to_string(),
        ),
        RatePlan => ("RATE_PLAN", "not for this rate plan".to_string()),
        AddOnsOnly => (
            "ADD_ONS_ONLY",
            "it prices the add-ons it names, not rooms".to_string(),
        ),
        SellDates => (
            "SELL_DATES",
            format!("booked on {}, outside its sell dates", shopper.booked_on),
        ),
        AdvanceBooking => (
            "ADVANCE_BOOKING",
            format!(
                "booked {} days before arrival, outside its advance booking",
                (stay.arrival() - shopper.booked_on).num_days()
            ),
        ),
        LastMinute => (
            "LAST_MINUTE",
            "booked earlier than its last-minute window".to_string(),
        ),
        LengthOfStay => (
            "LENGTH_OF_STAY",
            format!(
                "a stay of {} nights is outside its length of stay",
                stay.night_count()
            ),
        ),
        ArrivalDays => (
            "ARRIVAL_DAYS",
            format!(
                "arrival on a {} is not one of its arrival days",
                stay.arrival().format("%A")
            ),
        ),
        DepartureDays => (
            "DEPARTURE_DAYS",
            format!(
                "departure on a {} is not one of its departure days",
                stay.departure().format("%A")
            ),
        ),
        RequiredDays => (
            "REQUIRED_DAYS",
            "no night of the stay falls on one of its required days".to_string(),
        ),
        RoomRange => (
            "ROOM_RANGE",
            format!(
                "{} room(s) booked, outside its room range",
                shopper.rooms_in_booking.max(ev.request.quantity)
            ),
        ),
        Prepay => (
            "PREPAY",
            if ev.plan.request.prepaid {
                "the rate plan is prepaid; it is for pay-at-property plans"
            } else {
                "the rate plan is paid at the property; it is for prepaid plans"
            }
            .to_string(),
        ),
        Refundable => (
            "REFUNDABLE",
            if ev.policy.rules.refundable {
                "the rate plan is refundable; it is for non-refundable plans"
            } else {
                "the rate plan is non-refundable; it is for refundable plans"
            }
            .to_string(),
        ),
        PromotionCode => (
            "PROMOTION_CODE",
            "none of its promotion codes was entered".to_string(),
        ),
        Continent => (
            "CONTINENT",
            "the booker's continent is not one of its continents".to_string(),
        ),
        Country => (
            "COUNTRY",
            "the booker's country is not one of its countries".to_string(),
        ),
        City => (
            "CITY",
            "the booker's city is not one of its cities".to_string(),
        ),
        TimeZone => (
            "TIME_ZONE",
            "the booker's time zone is not one of its time zones".to_string(),
        ),
        IpRange => (
            "IP_RANGE",
            "the booker's IP address is not in its IP ranges".to_string(),
        ),
        StayDates => (
            "STAY_DATES",
            "no night of the stay is inside its stay dates".to_string(),
        ),
        BlackoutDates => (
            "BLACKOUT_DATES",
            "every night of the stay inside its stay dates is blacked out".to_string(),
        ),
        AvailableDays => (
            "AVAILABLE_DAYS",
            "no night of the stay falls on one of its available days".to_string(),
        ),
        BundleItems => (
            "BUNDLE_ITEMS",
            "a bundle needs at least two distinct promotions".to_string(),
        ),
        BundleItemMissing { id } => (
            "BUNDLE_ITEM_MISSING",
            format!("item {id} is not a promotion of the property"),
        ),
        BundleItemNotApplicable { id } => (
            "BUNDLE_ITEM_NOT_APPLICABLE",
            format!("item {} does not apply", item(id)),
        ),
        NoCommonNight => (
            "NO_COMMON_NIGHT",
            "its items apply on no common night".to_string(),
        ),
    };
    (code, format!("{text} ({field})"))
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
    state
        .store
        .sales_channel_of_owner(property.id, owner)
        .await
        .not_found_as(no_channel)
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
        self.entry_with(id, name, || {
            map.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
    }

    fn entry_with(
        &mut self,
        id: Uuid,
        name: &str,
        map: impl FnOnce() -> Vec<(String, String)>,
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
                    map: map().into_iter().collect(),
                    reasons: Vec::new(),
                },
                Vec::new(),
            )
        })
    }

    fn add(
        &mut self,
        id: Uuid,
        name: &str,
        map: &[(&str, Uuid)],
        text: String,
        code: &'static str,
    ) {
        self.entry(id, name, map);
        self.add_to(id, text, code);
    }

    /// Adds a reason to an entry made before.
    fn add_to(&mut self, id: Uuid, text: String, code: &'static str) {
        if let Some((entry, codes)) = self.by_id.get_mut(&id.to_string()) {
            if !entry.reasons.contains(&text) {
                entry.reasons.push(text);
            }
            if !codes.contains(&code) {
                codes.push(code);
            }
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
