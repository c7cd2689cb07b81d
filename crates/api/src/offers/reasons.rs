//! Why a stay is not offered, and why a promotion or bundle left an offered stay unchanged, as
//! the test-availability answer lists them: sentences for people and stable machine codes
//! (`map.codes`) for clients, collected per rate plan, master rate or promotion.

use std::collections::HashMap;

use uuid::Uuid;
use wink_contract::{
    DescriptiveReason, DescriptiveRoom, DescriptiveRoomTypeWithPriceConfigurations,
    RoomConfigurationPrice,
};
use wink_domain::pricing::{Quote, Unavailable};
use wink_domain::promotion::{NotApplicable, PromotionKind};
use wink_domain::stay::Stay;
use wink_store::room_types::RoomType;

use super::catalog::Evaluation;
use super::shopper::Shopper;
use super::wire::guest_room_lightweight;
use crate::error::ApiError;

/// One room type's entry of the test-availability answer, as its master rates are evaluated:
/// the offers, the rate plans offered, and every reason for what is not.
#[derive(Default)]
pub struct RoomAnswer {
    offered: Vec<RoomConfigurationPrice>,
    accessible_plans: Reasons,
    plans: Reasons,
    master_rates: Reasons,
    availability: Reasons,
    promotions: Reasons,
}

impl RoomAnswer {
    /// An offered stay: its offer, its rate plan, and the promotions that did not apply to it.
    pub fn offered(
        &mut self,
        ev: &Evaluation,
        quote: &Quote,
        offer: RoomConfigurationPrice,
        stay: &Stay,
        shopper: &Shopper,
    ) {
        self.offered.push(offer);
        self.accessible_plans.entry(
            ev.plan.id,
            &ev.plan.name,
            &[("ratePlanIdentifier", ev.plan.id)],
        );
        not_applied(ev, quote, stay, shopper, &mut self.promotions);
    }

    /// A stay not offered: each reason under the rate plan or the master rate it is about.
    pub fn refused(&mut self, ev: &Evaluation, reasons: &[Unavailable]) {
        let master_rate = ev.master_rate.id;
        let ids = [
            ("masterRateIdentifier", master_rate),
            ("ratePlanIdentifier", ev.plan.id),
            ("roomTypeIdentifier", ev.room.id),
        ];
        for reason in reasons {
            let (list, id, name, map) = match scope(reason) {
                Scope::RatePlan => (&mut self.plans, ev.plan.id, ev.plan.name.clone(), &ids[1..]),
                Scope::MasterRate => (
                    &mut self.master_rates,
                    master_rate,
                    ev.master_rate_name(),
                    &ids[..],
                ),
                Scope::Availability => (
                    &mut self.availability,
                    master_rate,
                    ev.master_rate_name(),
                    &ids[..],
                ),
            };
            list.add(id, &name, map, reason.to_string(), reason.code());
        }
    }

    /// The room's entry: offers (the cheapest as `bestPrice`), then what is not offered; the
    /// promotions that did not apply follow the rate plans' own entries.
    pub fn into_wire(self, room: &RoomType) -> Result<DescriptiveRoom, ApiError> {
        let best_price = self
            .offered
            .iter()
            .min_by_key(|o| o.source_total.as_ref().map(|t| t.amount))
            .cloned();
        let mut inaccessible_plans = self.plans.into_wire();
        inaccessible_plans.extend(self.promotions.into_wire());
        Ok(DescriptiveRoom {
            identifier: Some(room.id.to_string()),
            room_name: Some(room.name.clone()),
            accessible_rate_plans: self.accessible_plans.into_wire(),
            inaccessible_rate_plans: inaccessible_plans,
            inaccessible_master_rates: self.master_rates.into_wire(),
            accessible_availability: vec![DescriptiveRoomTypeWithPriceConfigurations {
                room: Some(guest_room_lightweight(room)?),
                available: Some(!self.offered.is_empty()),
                best_price,
                price_configurations: self.offered,
                inaccessible_availability_reason: None,
            }],
            inaccessible_availability: self.availability.into_wire(),
            ..Default::default()
        })
    }
}

/// Where a reason a stay is not offered belongs in the test-availability answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The rate plan's own rules (switched off, sell and stay windows, advance, length of stay,
    /// guests, days of the week): `inaccessibleRatePlans`.
    RatePlan,
    /// The room type × rate plan switches (master rate disabled, room type not sellable):
    /// `inaccessibleMasterRates`.
    MasterRate,
    /// The calendar and the room (no rate, stop-sell, closed to arrival/departure, daily
    /// minimum/maximum stay, rooms left, occupancy, arrival in the past):
    /// `inaccessibleAvailability`.
    Availability,
}

pub fn scope(reason: &Unavailable) -> Scope {
    use Unavailable::*;
    match reason {
        RatePlanDisabled
        | OutsideSellWindow { .. }
        | OutsideStayWindow { .. }
        | AdvanceTooShort { .. }
        | AdvanceTooLong { .. }
        | PlanStayTooShort { .. }
        | PlanStayTooLong { .. }
        | PlanOccupancyTooLow { .. }
        | PlanOccupancyTooHigh { .. }
        | ChildTooYoung { .. }
        | ChildTooOld { .. }
        | DayNotAvailable { .. }
        | ArrivalDayNotAllowed { .. }
        | DepartureDayNotAllowed { .. }
        | RequiredDayMissing => Scope::RatePlan,
        PropertyInactive
        | RoomNotSellable
        | MasterRateDisabled
        | SalesChannelDisabled
        | SalesChannelBlacklisted
        | ChannelInventoryDisabled => Scope::MasterRate,
        _ => Scope::Availability,
    }
}

/// Records why each promotion and bundle left an offered stay unchanged, under the promotion
/// (or bundle), with the rate plans concerned.
fn not_applied(ev: &Evaluation, quote: &Quote, stay: &Stay, shopper: &Shopper, into: &mut Reasons) {
    let offers = &ev.catalog.offers;
    // The channel's own discount is no promotion: it never makes a promotion lose.
    let discounted = quote
        .adjustments()
        .any(|a| a.kind == PromotionKind::Discount && a.offer.is_promotional());
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
        SalesChannel => (
            "SALES_CHANNEL",
            "it is switched off on this sales channel".to_string(),
        ),
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
