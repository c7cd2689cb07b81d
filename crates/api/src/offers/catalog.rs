//! Loading a property's offers for one stay, and evaluating them: every master rate (room type ×
//! rate plan) quoted by the domain's engine with the property's promotions and bundles
//! (`wink_domain::pricing::quote_with_offers`), or every reason it is not offered.
//!
//! Stored rate plans, cancellation policies and daily rates are turned into the domain's rules
//! with `monetization::rules` (the one reading of what their endpoints store), promotions and
//! bundles with `monetization::promotion_rules`. The catalog reads each table once per request
//! and turns every stored row into its rule once (the rate plans' rules for the policy in force
//! at the arrival, each master rate's nights, each room type's availability); evaluating a master
//! rate for a room configuration then only runs the engine.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;
use wink_contract::{
    CancellationPolicyLightweight, LocalizedDescription, UpsertRatePlanRequest, VariableCharge,
};
use wink_domain::calendar::{NightAvailability, NightRate};
use wink_domain::cancellation::CancellationPolicy;
use wink_domain::money::Currency;
use wink_domain::occupancy::{RoomCapacity, RoomRequest};
use wink_domain::pricing::{Quote, QuoteRequest, Unavailable, on_channel, quote_with_offers};
use wink_domain::promotion::{Bundle, Coverage, Offers, Promotion};
use wink_domain::rate_plan::RatePlanRules;
use wink_domain::stay::Stay;
use wink_store::Store;
use wink_store::bookings::{MasterRateRow, NightRow, QuotedFrom, StayInputs};
use wink_store::properties::PropertyRef;
use wink_store::rate_plans::PolicyException;
use wink_store::room_types::RoomType;

use super::channel::Channel;
use super::shopper::Shopper;
use crate::error::{ApiError, from_document};
use crate::monetization::rules::{EXTRA_ADULT, EXTRA_CHILD, SINGLE_OCCUPANCY};
use crate::monetization::{cancellation_policy, promotion_rules, rules};

/// A rate plan as stored: its request, its policy and the date-bound exceptions to it, and its
/// rules for the stay being priced (with the refundability of the policy in force at arrival).
pub struct Plan {
    pub id: Uuid,
    pub name: String,
    pub request: UpsertRatePlanRequest,
    policy_id: Uuid,
    exceptions: Vec<PolicyException>,
    rules: Option<RatePlanRules>,
}

/// A stored night's occupancy modifiers in their wire form (as the daily rate was written),
/// read from its document once per request rather than once per offer and night.
#[derive(Debug, Default)]
pub struct StoredModifiers {
    pub single_occupancy: Option<VariableCharge>,
    pub extra_adult: Option<VariableCharge>,
    pub extra_child: Option<VariableCharge>,
}

impl StoredModifiers {
    fn of(row: &NightRow) -> StoredModifiers {
        let read = |key: &str| {
            row.modifiers
                .0
                .get(key)
                .and_then(|v| VariableCharge::deserialize(v).ok())
        };
        StoredModifiers {
            single_occupancy: read(SINGLE_OCCUPANCY),
            extra_adult: read(EXTRA_ADULT),
            extra_child: read(EXTRA_CHILD),
        }
    }
}

/// A cancellation policy, as a rule and in its wire form.
pub struct Policy {
    pub rules: CancellationPolicy,
    pub wire: CancellationPolicyLightweight,
}

/// A promotion or bundle as offers describe it: its name and its texts (a bundle's are its
/// items', in bundle order).
#[derive(Debug, Clone)]
pub struct OfferText {
    pub name: String,
    pub descriptions: Vec<LocalizedDescription>,
}

/// The property's promotions and bundles, as the engine applies them.
#[derive(Default)]
pub struct PropertyOffers {
    pub promotions: Vec<Promotion>,
    pub bundles: Vec<Bundle>,
    /// By promotion or bundle id.
    pub texts: HashMap<Uuid, OfferText>,
}

/// Everything the engine reads for one property and one stay, loaded in a few queries.
pub struct Catalog {
    pub currency: Currency,
    /// Whether the property sells at all (its status): when not, every master rate is refused
    /// with [`Unavailable::PropertyInactive`] first.
    pub sells: bool,
    pub zone: Tz,
    inputs: StayInputs,
    /// The occupancy modifiers of `inputs.nights`, index for index.
    modifiers: Vec<StoredModifiers>,
    plans: Vec<Plan>,
    policies: HashMap<Uuid, Policy>,
    /// The policy in force at the stay's arrival, by rate plan.
    policy_in_force: HashMap<Uuid, Uuid>,
    /// Each master rate's nights as the engine reads them, and the stored rows by date.
    nights: HashMap<Uuid, (Vec<NightRate>, HashMap<NaiveDate, usize>)>,
    /// Each room type's rooms left per night of the stay.
    availability: HashMap<Uuid, Vec<NightAvailability>>,
    pub offers: PropertyOffers,
}

/// One master rate evaluated for one stay and one room configuration.
pub struct Evaluation<'a> {
    pub catalog: &'a Catalog,
    pub room: &'a RoomType,
    pub plan: &'a Plan,
    pub master_rate: &'a MasterRateRow,
    /// The policy in force for the arrival date.
    pub policy: &'a Policy,
    pub request: RoomRequest,
    pub outcome: Result<Quote, Vec<Unavailable>>,
    /// For an offered stay, why each promotion or bundle that changes nothing did not apply
    /// (`None` inside: it qualified, but another discount took more off, or it moves no price).
    pub not_applied: Vec<(Uuid, Option<Vec<wink_domain::promotion::NotApplicable>>)>,
}

impl Evaluation<'_> {
    /// "<room type> - <rate plan>", as master rates are named everywhere.
    pub fn master_rate_name(&self) -> String {
        master_rate_name(self.room, self.plan)
    }

    /// The stored daily rate of a night of the stay.
    pub fn night(&self, date: NaiveDate) -> Option<&NightRow> {
        let (_, by_date) = self.catalog.nights.get(&self.master_rate.id)?;
        by_date
            .get(&date)
            .and_then(|i| self.catalog.inputs.nights.get(*i))
    }

    /// The stored occupancy modifiers of a night of the stay.
    pub fn stored_modifiers(&self, date: NaiveDate) -> Option<&StoredModifiers> {
        let (_, by_date) = self.catalog.nights.get(&self.master_rate.id)?;
        by_date
            .get(&date)
            .and_then(|i| self.catalog.modifiers.get(*i))
    }

    /// Rooms left on a night of the stay (0 when none was loaded).
    pub fn units(&self, date: NaiveDate) -> u32 {
        self.catalog
            .availability
            .get(&self.room.id)
            .and_then(|nights| nights.iter().find(|n| n.date == date))
            .map_or(0, |n| n.units)
    }
}

pub fn master_rate_name(room: &RoomType, plan: &Plan) -> String {
    format!("{} - {}", room.name, plan.name)
}

impl Catalog {
    /// The stored rows the quotes of `master_rate` were made of, for the booking to check again
    /// inside its transaction.
    pub fn quoted_from(&self, master_rate: Uuid) -> QuotedFrom {
        QuotedFrom {
            nights: self
                .inputs
                .nights
                .iter()
                .filter(|n| n.master_rate_id == master_rate)
                .cloned()
                .collect(),
        }
    }

    pub async fn load(
        store: &Store,
        property: &PropertyRef,
        stay: &Stay,
    ) -> Result<Catalog, ApiError> {
        let currency = Currency::parse(&property.currency)
            .map_err(|e| ApiError::Internal(format!("property {} currency: {e:?}", property.id)))?;
        let zone = crate::dates::zone(property);
        let (inputs, offers) = tokio::try_join!(
            async {
                store
                    .stay_inputs(property.id, stay.arrival(), stay.departure())
                    .await
                    .map_err(ApiError::from)
            },
            load_offers(store, property),
        )?;
        let mut policies = HashMap::new();
        for row in &inputs.policies {
            let request = cancellation_policy::request_of(row)?;
            let rules = rules::policy(&request).map_err(|e| {
                ApiError::Internal(format!(
                    "stored cancellation policy {} is invalid: {e:?}",
                    row.id
                ))
            })?;
            let wire = cancellation_policy::lightweight(row)?;
            policies.insert(row.id, Policy { rules, wire });
        }
        let code = property.currency.as_str();
        let mut plans = Vec::with_capacity(inputs.rate_plans.len());
        let mut policy_in_force = HashMap::new();
        for row in &inputs.rate_plans {
            let request: UpsertRatePlanRequest =
                from_document("rate plan", row.id, &row.document.0)?;
            let exceptions: Vec<PolicyException> = inputs
                .exceptions
                .iter()
                .filter(|e| e.rate_plan_id == row.id)
                .cloned()
                .collect();
            let arrival = stay.arrival();
            let policy_id = exceptions
                .iter()
                .find(|e| e.start_date <= arrival && arrival <= e.end_date)
                .map_or(row.cancellation_policy_id, |e| e.cancellation_policy_id);
            // A plan whose policy is missing is refused when one of its master rates is quoted.
            let rules = match policies.get(&policy_id) {
                Some(policy) => Some(
                    rules::plan_rules(&request, policy.rules.refundable, code).map_err(|e| {
                        ApiError::Internal(format!("stored rate plan {} is invalid: {e:?}", row.id))
                    })?,
                ),
                None => None,
            };
            policy_in_force.insert(row.id, policy_id);
            plans.push(Plan {
                id: row.id,
                name: row.name.clone(),
                request,
                policy_id: row.cancellation_policy_id,
                exceptions,
                rules,
            });
        }
        let mut nights: HashMap<Uuid, (Vec<NightRate>, HashMap<NaiveDate, usize>)> = HashMap::new();
        for (i, row) in inputs.nights.iter().enumerate() {
            let (rates, by_date) = nights.entry(row.master_rate_id).or_default();
            rates.push(night_rate(row, code)?);
            if row.day < stay.departure() {
                by_date.insert(row.day, i);
            }
        }
        let modifiers = inputs.nights.iter().map(StoredModifiers::of).collect();
        let mut availability: HashMap<Uuid, Vec<NightAvailability>> = HashMap::new();
        for a in inputs
            .availability
            .iter()
            .filter(|a| stay.contains_night(a.day))
        {
            availability
                .entry(a.room_type_id)
                .or_default()
                .push(NightAvailability {
                    date: a.day,
                    units: u32::try_from(a.units).unwrap_or(0),
                });
        }
        Ok(Catalog {
            currency,
            sells: wink_domain::property_record::sells(&property.status),
            zone,
            inputs,
            modifiers,
            plans,
            policies,
            policy_in_force,
            nights,
            availability,
            offers,
        })
    }

    /// The property's room types, oldest first.
    pub fn room_types(&self) -> &[RoomType] {
        &self.inputs.room_types
    }

    /// The master rates of a room type, in the order of their rate plans (oldest first).
    pub fn master_rates_of(&self, room_type: Uuid) -> Vec<&MasterRateRow> {
        let mut rates: Vec<(usize, &MasterRateRow)> = self
            .inputs
            .master_rates
            .iter()
            .filter(|m| m.room_type_id == room_type)
            .filter_map(|m| {
                let at = self.plans.iter().position(|p| p.id == m.rate_plan_id)?;
                Some((at, m))
            })
            .collect();
        rates.sort_by_key(|(at, _)| *at);
        rates.into_iter().map(|(_, m)| m).collect()
    }

    /// A master rate of the property whose room type and rate plan were both read.
    pub fn master_rate(&self, id: Uuid) -> Option<&MasterRateRow> {
        self.inputs.master_rates.iter().find(|m| {
            m.id == id
                && self
                    .inputs
                    .room_types
                    .iter()
                    .any(|r| r.id == m.room_type_id)
                && self.plans.iter().any(|p| p.id == m.rate_plan_id)
        })
    }

    fn plan(&self, id: Uuid) -> Result<&Plan, ApiError> {
        self.plans
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::Internal(format!("rate plan {id} vanished while pricing")))
    }

    /// The plan's policy for the stay's arrival: its own, or the first of its exceptions (in
    /// their order) covering the arrival.
    pub fn policy_in_force(&self, plan: &Plan) -> Result<&Policy, ApiError> {
        let id = self
            .policy_in_force
            .get(&plan.id)
            .copied()
            .unwrap_or(plan.policy_id);
        self.policies.get(&id).ok_or_else(|| {
            ApiError::Internal(format!(
                "cancellation policy {id} of rate plan {} is missing (exceptions: {})",
                plan.id,
                plan.exceptions.len()
            ))
        })
    }

    /// Quotes a master rate for `stay` and one room configuration, with the property's
    /// promotions for `shopper`, as sold on `channel`.
    pub fn evaluate<'a>(
        &'a self,
        master_rate: &'a MasterRateRow,
        stay: &Stay,
        request: &RoomRequest,
        shopper: &Shopper,
        channel: &Channel,
    ) -> Result<Evaluation<'a>, ApiError> {
        let room = self
            .inputs
            .room_types
            .iter()
            .find(|r| r.id == master_rate.room_type_id)
            .ok_or_else(|| {
                ApiError::Internal(format!(
                    "room type of master rate {} vanished",
                    master_rate.id
                ))
            })?;
        let plan = self.plan(master_rate.rate_plan_id)?;
        let policy = self.policy_in_force(plan)?;
        let plan_rules = plan.rules.as_ref().ok_or_else(|| {
            ApiError::Internal(format!("rate plan {} has no policy in force", plan.id))
        })?;
        let capacity = capacity(room);
        let no_nights = (Vec::new(), HashMap::new());
        let (night_rates, _) = self.nights.get(&master_rate.id).unwrap_or(&no_nights);
        let availability = self
            .availability
            .get(&room.id)
            .map_or(&[][..], Vec::as_slice);
        let req = QuoteRequest {
            stay,
            room: request,
            booked_on: shopper.booked_on,
            currency: self.currency,
            capacity: &capacity,
            room_sellable: room.active && room.bookable,
            plan: plan_rules,
            master_rate_enabled: master_rate.enabled,
            nights: night_rates,
            availability,
        };
        let offers = Offers {
            promotions: &self.offers.promotions,
            bundles: &self.offers.bundles,
            booker: &shopper.booker,
            master_rate_id: master_rate.id,
            rate_plan_id: plan.id,
            booked_at: shopper.booked_at,
            zone: self.zone,
            rooms_in_booking: shopper.rooms_in_booking,
            switched_off: &channel.switched_off,
        };
        // The channel's terms, the one place they apply: its switched-off promotions and
        // bundles just above, then whether it sells at all and its discount, then whether this
        // master rate is offered on it.
        let mut outcome = on_channel(quote_with_offers(&req, &offers), &channel.terms);
        if channel.withheld.contains(&master_rate.id) {
            let mut reasons = outcome.err().unwrap_or_default();
            reasons.insert(0, Unavailable::ChannelInventoryDisabled);
            outcome = Err(reasons);
        }
        // A property that is not active sells nothing, whatever else holds.
        if !self.sells {
            let mut reasons = outcome.err().unwrap_or_default();
            reasons.insert(0, Unavailable::PropertyInactive);
            outcome = Err(reasons);
        }
        let not_applied = match &outcome {
            Ok(quote) => not_applied(&req, &offers, quote),
            Err(_) => Vec::new(),
        };
        Ok(Evaluation {
            catalog: self,
            room,
            plan,
            master_rate,
            policy,
            request: request.clone(),
            outcome,
            not_applied,
        })
    }
}

/// The promotions and bundles (enabled ones) that change nothing on an offered stay, and why.
fn not_applied(
    req: &QuoteRequest,
    offers: &Offers,
    quote: &Quote,
) -> Vec<(Uuid, Option<Vec<wink_domain::promotion::NotApplicable>>)> {
    let applied: Vec<Uuid> = quote.adjustments().map(|a| a.offer.id()).collect();
    let coverage =
        |id: Uuid, coverage: Coverage| (!applied.contains(&id)).then(|| (id, coverage.err()));
    let promotions = offers
        .promotions
        .iter()
        .filter(|p| p.enabled)
        .filter_map(|p| coverage(p.id, p.check(req, offers)));
    let bundles = offers
        .bundles
        .iter()
        .filter(|b| b.enabled)
        .filter_map(|b| coverage(b.id, b.check(req, offers)));
    promotions.chain(bundles).collect()
}

/// The property's promotions and bundles as the engine reads them (through
/// `promotion_rules`, the one reading of what the promotion endpoints store), with the texts
/// offers show: a promotion's descriptions, and for a bundle its items' in bundle order.
async fn load_offers(store: &Store, property: &PropertyRef) -> Result<PropertyOffers, ApiError> {
    let (promotion_rows, bundle_rows) =
        tokio::try_join!(store.promotions(property.id), store.bundles(property.id))?;
    let currency = property.currency.as_str();
    let mut offers = PropertyOffers::default();
    for row in &promotion_rows {
        let promotion = promotion_rules::stored_promotion(row, currency)?;
        let descriptions = row
            .document
            .0
            .get("descriptions")
            .and_then(|d| serde_json::from_value::<Vec<LocalizedDescription>>(d.clone()).ok())
            .unwrap_or_default();
        offers.texts.insert(
            row.id,
            OfferText {
                name: promotion.name.clone(),
                descriptions,
            },
        );
        offers.promotions.push(promotion);
    }
    for row in &bundle_rows {
        let bundle = promotion_rules::stored_bundle(row, currency)?;
        let descriptions = bundle
            .distinct_items()
            .iter()
            .filter_map(|item| offers.texts.get(item))
            .flat_map(|text| text.descriptions.iter().cloned())
            .collect();
        offers.texts.insert(
            row.id,
            OfferText {
                name: bundle.name.clone(),
                descriptions,
            },
        );
        offers.bundles.push(bundle);
    }
    Ok(offers)
}

/// What one room of a room type holds.
pub fn capacity(room: &RoomType) -> RoomCapacity {
    let count = |v: i32| u32::try_from(v).unwrap_or(0);
    RoomCapacity {
        min_occupancy: count(room.min_occupancy),
        max_occupancy: count(room.max_occupancy),
        max_adults: count(room.max_adults),
        max_children: count(room.max_children),
        included_adults: count(room.included_adults),
        included_children: count(room.included_children),
    }
}

fn night_rate(row: &NightRow, currency: &str) -> Result<NightRate, ApiError> {
    rules::night_rate(
        row.day,
        row.rate.map(|a| a.0),
        row.open,
        row.closed_to_arrival,
        row.closed_to_departure,
        row.min_los,
        row.max_los,
        &row.modifiers.0,
        currency,
    )
}
