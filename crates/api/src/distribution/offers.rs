//! What a sales channel is offered for a stay: every master rate (room type × rate plan) of the
//! property, quoted by the domain's engine (`wink_domain::pricing::quote`), or every reason it is
//! not offered. The test-availability list and the test booking read the same [`Catalog`] and
//! run the same evaluation, so a booking is priced and checked exactly as its offer was.
//!
//! Stored rate plans, cancellation policies and daily rates are turned into the domain's rules
//! with `monetization::rules` (the one reading of what their endpoints store).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;
use wink_contract::{
    CancellationPolicyLightweight, GuestRoomLightweight, RoomConfiguration,
    RoomConfigurationPriceRatePlan, UpsertRatePlanRequest,
};
use wink_domain::calendar::{NightAvailability, NightRate};
use wink_domain::cancellation::CancellationPolicy;
use wink_domain::money::Currency;
use wink_domain::occupancy::{RoomCapacity, RoomRequest};
use wink_domain::pricing::{Quote, QuoteRequest, Unavailable, quote};
use wink_domain::stay::Stay;
use wink_store::Store;
use wink_store::bookings::{MasterRateRow, NightRow, StayInputs};
use wink_store::properties::PropertyRef;
use wink_store::rate_plans::PolicyException;
use wink_store::room_types::RoomType;

use crate::error::ApiError;
use crate::facilities::guest_room;
use crate::monetization::{cancellation_policy, rules};

/// Room configurations one request may ask for: every configuration is quoted with every master
/// rate of the property, so the number bounds the work of a request.
pub const MAX_CONFIGURATIONS: usize = 10;

/// Children one room configuration may list (the sum of their `quantity`): far above any room.
pub const MAX_CHILDREN: i64 = 50;

/// A rate plan as stored: its request, its policy and the date-bound exceptions to it.
pub struct Plan {
    pub id: Uuid,
    pub name: String,
    pub request: UpsertRatePlanRequest,
    policy_id: Uuid,
    exceptions: Vec<PolicyException>,
}

/// A cancellation policy, as a rule and in its wire form.
pub struct Policy {
    pub rules: CancellationPolicy,
    pub wire: CancellationPolicyLightweight,
}

/// Everything the engine reads for one property and one stay, loaded in a few queries.
pub struct Catalog {
    pub property: PropertyRef,
    pub currency: Currency,
    inputs: StayInputs,
    plans: Vec<Plan>,
    policies: HashMap<Uuid, Policy>,
}

/// One master rate evaluated for one stay and one room configuration.
pub struct Evaluation<'a> {
    pub room: &'a RoomType,
    pub plan: &'a Plan,
    pub master_rate: &'a MasterRateRow,
    /// The policy in force for the arrival date.
    pub policy: &'a Policy,
    pub request: RoomRequest,
    /// The stored daily rate of each night of the stay, by date.
    pub nights: HashMap<NaiveDate, &'a NightRow>,
    /// Rooms left on each night of the stay (0 when none was loaded).
    pub units: HashMap<NaiveDate, u32>,
    pub outcome: Result<Quote, Vec<Unavailable>>,
}

impl Evaluation<'_> {
    /// "<room type> - <rate plan>", as master rates are named everywhere.
    pub fn master_rate_name(&self) -> String {
        master_rate_name(self.room, self.plan)
    }
}

pub fn master_rate_name(room: &RoomType, plan: &Plan) -> String {
    format!("{} - {}", room.name, plan.name)
}

impl Catalog {
    pub async fn load(
        store: &Store,
        property: &PropertyRef,
        stay: &Stay,
    ) -> Result<Catalog, ApiError> {
        let currency = Currency::parse(&property.currency)
            .map_err(|e| ApiError::Internal(format!("property {} currency: {e:?}", property.id)))?;
        let inputs = store
            .stay_inputs(property.id, stay.arrival(), stay.departure())
            .await?;
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
        let mut plans = Vec::with_capacity(inputs.rate_plans.len());
        for row in &inputs.rate_plans {
            let request: UpsertRatePlanRequest = serde_json::from_value(row.document.0.clone())
                .map_err(|e| {
                    ApiError::Internal(format!("rate plan {} document unreadable: {e}", row.id))
                })?;
            let exceptions = inputs
                .exceptions
                .iter()
                .filter(|e| e.rate_plan_id == row.id)
                .cloned()
                .collect();
            plans.push(Plan {
                id: row.id,
                name: row.name.clone(),
                request,
                policy_id: row.cancellation_policy_id,
                exceptions,
            });
        }
        Ok(Catalog {
            property: property.clone(),
            currency,
            inputs,
            plans,
            policies,
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

    /// The plan's policy, or the first of its exceptions (in their order) covering `arrival`.
    pub fn policy_in_force(&self, plan: &Plan, arrival: NaiveDate) -> Result<&Policy, ApiError> {
        let id = plan
            .exceptions
            .iter()
            .find(|e| e.start_date <= arrival && arrival <= e.end_date)
            .map_or(plan.policy_id, |e| e.cancellation_policy_id);
        self.policies.get(&id).ok_or_else(|| {
            ApiError::Internal(format!(
                "cancellation policy {id} of rate plan {} is missing",
                plan.id
            ))
        })
    }

    /// Quotes a master rate for `stay` and one room configuration, booked on `booked_on`
    /// (property-local).
    pub fn evaluate<'a>(
        &'a self,
        master_rate: &'a MasterRateRow,
        stay: &Stay,
        request: &RoomRequest,
        booked_on: NaiveDate,
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
        let policy = self.policy_in_force(plan, stay.arrival())?;
        let code = self.property.currency.as_str();
        let plan_rules =
            rules::plan_rules(&plan.request, policy.rules.refundable, code).map_err(|e| {
                ApiError::Internal(format!("stored rate plan {} is invalid: {e:?}", plan.id))
            })?;
        let capacity = capacity(room);

        let mut nights = HashMap::new();
        let mut night_rates = Vec::new();
        for row in self
            .inputs
            .nights
            .iter()
            .filter(|n| n.master_rate_id == master_rate.id)
        {
            if row.day < stay.departure() {
                nights.insert(row.day, row);
            }
            night_rates.push(night_rate(row, code)?);
        }
        let units: HashMap<NaiveDate, u32> = self
            .inputs
            .availability
            .iter()
            .filter(|a| a.room_type_id == room.id && stay.contains_night(a.day))
            .map(|a| (a.day, u32::try_from(a.units).unwrap_or(0)))
            .collect();
        let availability: Vec<NightAvailability> = units
            .iter()
            .map(|(date, units)| NightAvailability {
                date: *date,
                units: *units,
            })
            .collect();
        let outcome = quote(&QuoteRequest {
            stay,
            room: request,
            booked_on,
            currency: self.currency,
            capacity: &capacity,
            room_sellable: room.active && room.bookable,
            plan: &plan_rules,
            master_rate_enabled: master_rate.enabled,
            nights: &night_rates,
            availability: &availability,
        });
        Ok(Evaluation {
            room,
            plan,
            master_rate,
            policy,
            request: request.clone(),
            nights,
            units,
            outcome,
        })
    }
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

/// The guests of a wire room configuration, refused under `pointer` (e.g.
/// `/roomConfigurations/0`) when they cannot be a booking: no adult, a child older than a child,
/// absurd counts. `quantity` overrides the configuration's own.
pub fn room_request(
    configuration: &RoomConfiguration,
    quantity: Option<i32>,
    pointer: &str,
) -> Result<RoomRequest, ApiError> {
    let children: i64 = configuration
        .children
        .iter()
        .map(|c| i64::from(c.quantity.max(0)))
        .sum();
    if children > MAX_CHILDREN {
        return Err(ApiError::field(
            format!("{pointer}/children"),
            format!("at most {MAX_CHILDREN} children per room configuration"),
        ));
    }
    let mut ages = Vec::new();
    for (i, child) in configuration.children.iter().enumerate() {
        let age = u32::try_from(child.age).map_err(|_| {
            ApiError::field(
                format!("{pointer}/children/{i}/age"),
                "must not be negative",
            )
        })?;
        ages.extend(std::iter::repeat_n(age, child.quantity.max(0) as usize));
    }
    let adults = u32::try_from(configuration.adults)
        .map_err(|_| ApiError::field(format!("{pointer}/adults"), "must not be negative"))?;
    let quantity = quantity.or(configuration.quantity).unwrap_or(1);
    let quantity = u32::try_from(quantity)
        .map_err(|_| ApiError::field(format!("{pointer}/quantity"), "must be at least 1"))?;
    RoomRequest::new(adults, ages, quantity)
        .map_err(|e| ApiError::field(format!("{pointer}/{}", e.field()), e.message().to_string()))
}

/// A stay from the wire's arrival and departure, refused under `pointer` + `/stayEndDate`.
pub fn stay(start: NaiveDate, end: NaiveDate, pointer: &str) -> Result<Stay, ApiError> {
    Stay::new(start, end)
        .map_err(|e| ApiError::field(format!("{pointer}/stayEndDate"), e.message().to_string()))
}

/// The wire's room type in the lightweight form offers and bookings show.
pub fn guest_room_lightweight(room: &RoomType) -> Result<GuestRoomLightweight, ApiError> {
    let wire = guest_room::to_wire(room)?;
    let mut value = serde_json::to_value(wire).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("identifier".into(), serde_json::json!(room.id));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::Internal(format!("room type {} as lightweight: {e}", room.id)))
}

/// The rate plan as an offer names it: its meals and check-in/out charges.
pub fn rate_plan_of_offer(plan: &Plan) -> RoomConfigurationPriceRatePlan {
    let r = &plan.request;
    RoomConfigurationPriceRatePlan {
        identifier: plan.id,
        name: plan.name.clone(),
        breakfast: r.breakfast,
        brunch: r.brunch,
        lunch: r.lunch,
        dinner: r.dinner,
        all_inclusive: r.all_inclusive,
        all_inclusive_plus_alcohol: r.all_inclusive_plus_alcohol,
        early_check_in_charge: r.early_check_in_charge.clone(),
        late_check_out_charge: r.late_check_out_charge.clone(),
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
        RoomNotSellable | MasterRateDisabled => Scope::MasterRate,
        _ => Scope::Availability,
    }
}
