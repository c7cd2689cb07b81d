//! Wire types of the contract turned into the domain's rules, once, for every handler that needs
//! them: what the rate-plan, cancellation-policy and daily-rate endpoints store is read back
//! through these same functions when a stay is priced, so a quote and a booking obey one reading.
//!
//! Errors name the offending field as a JSON pointer into the request body.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde_json::Value;
use wink_contract::{
    ChargeType, DowPatternGroup, FeeType, UpsertCancellationPolicyRequest, UpsertRatePlanRequest,
    VariableCharge as WireCharge,
};
use wink_domain::calendar::NightRate;
use wink_domain::cancellation::CancellationPolicy;
use wink_domain::charge::VariableCharge;
use wink_domain::rate_plan::{DaysOfWeek, FeeKind, RatePlanFee, RatePlanRules};

use crate::error::{ApiError, from_document};

/// The keys of a daily rate's `modifiers` document (the contract's field names).
pub const SINGLE_OCCUPANCY: &str = "singleOccupancyRateModifier";
pub const EXTRA_ADULT: &str = "extraPaxRateModifier";
pub const EXTRA_CHILD: &str = "extraChildRateModifier";

/// A contract `VariableCharge` (FIXED needs `fixedAmount` in the property's currency, PERCENTAGE
/// needs `percent`, a fraction: 0.25 = 25 %).
pub fn charge(
    wire: &WireCharge,
    field: &'static str,
    currency: &str,
) -> Result<VariableCharge, ApiError> {
    let pointer = |sub: &str| format!("/{field}/{sub}");
    match wire.r#type {
        ChargeType::Fixed => {
            let amount = wire.fixed_amount.as_ref().ok_or_else(|| {
                ApiError::field(pointer("fixedAmount"), "required when type is FIXED")
            })?;
            if amount.currency != currency {
                return Err(ApiError::field(
                    pointer("fixedAmount/currency"),
                    format!("must be the property's currency, {currency}"),
                ));
            }
            Ok(VariableCharge::fixed(amount.amount, field)?)
        }
        ChargeType::Percentage => {
            let percent = wire.percent.ok_or_else(|| {
                ApiError::field(pointer("percent"), "required when type is PERCENTAGE")
            })?;
            let fraction = Decimal::from_f64(percent)
                .ok_or_else(|| ApiError::field(pointer("percent"), "must be a finite number"))?;
            Ok(VariableCharge::percent(
                fraction.round_dp(6).normalize(),
                field,
            )?)
        }
    }
}

fn optional_charge(
    wire: &Option<WireCharge>,
    field: &'static str,
    currency: &str,
) -> Result<Option<VariableCharge>, ApiError> {
    wire.as_ref()
        .map(|w| charge(w, field, currency))
        .transpose()
}

/// A day-of-week pattern; unset days are not flagged.
pub fn days(wire: &Option<DowPatternGroup>) -> Option<DaysOfWeek> {
    wire.as_ref().map(|d| DaysOfWeek {
        mon: d.mon.unwrap_or(false),
        tue: d.tue.unwrap_or(false),
        wed: d.wed.unwrap_or(false),
        thu: d.thu.unwrap_or(false),
        fri: d.fri.unwrap_or(false),
        sat: d.sat.unwrap_or(false),
        sun: d.sun.unwrap_or(false),
        disabled: d.disabled.unwrap_or(false),
    })
}

/// A non-negative count from the wire (`None` stays "no restriction").
fn count(value: Option<i32>, field: &'static str) -> Result<Option<u32>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) if v >= 0 => Ok(Some(v as u32)),
        Some(_) => Err(ApiError::field(format!("/{field}"), "must not be negative")),
    }
}

/// The rules of a rate plan as sent in an upsert request (and stored as its document).
/// `refundable` comes from its cancellation policy.
pub fn plan_rules(
    req: &UpsertRatePlanRequest,
    refundable: bool,
    currency: &str,
) -> Result<RatePlanRules, ApiError> {
    let mut fees = Vec::with_capacity(req.rate_plan_level_fees.len());
    for (i, fee) in req.rate_plan_level_fees.iter().enumerate() {
        if fee.fixed_amount.currency != currency {
            return Err(ApiError::field(
                format!("/ratePlanLevelFees/{i}/fixedAmount/currency"),
                format!("must be the property's currency, {currency}"),
            ));
        }
        let amount =
            wink_domain::money::check_input_amount("ratePlanLevelFees", fee.fixed_amount.amount)
                .map_err(|e| {
                    ApiError::field(
                        format!("/ratePlanLevelFees/{i}/fixedAmount/amount"),
                        e.message().to_string(),
                    )
                })?;
        if amount.is_sign_negative() {
            return Err(ApiError::field(
                format!("/ratePlanLevelFees/{i}/fixedAmount/amount"),
                "must not be negative",
            ));
        }
        let name = fee
            .descriptions
            .iter()
            .find(|d| d.language == "en")
            .or(fee.descriptions.first())
            .map(|d| d.description.clone())
            .unwrap_or_default();
        let kind = match fee.r#type {
            FeeType::PerDay => FeeKind::PerDay,
            FeeType::PerStay => FeeKind::PerStay,
            FeeType::PerPersonPerDay => FeeKind::PerPersonPerDay,
            FeeType::PerPersonPerStay => FeeKind::PerPersonPerStay,
        };
        fees.push(RatePlanFee { kind, amount, name });
    }
    let rules = RatePlanRules {
        enabled: req.enabled,
        prepaid: req.prepaid,
        refundable,
        sell_start: req.sell_start_date,
        sell_end: req.sell_end_date,
        stay_start: req.stay_start_date,
        stay_end: req.stay_end_date,
        min_advance_days: count(req.min_advance_booking_offset, "minAdvanceBookingOffset")?,
        max_advance_days: count(req.max_advance_booking_offset, "maxAdvanceBookingOffset")?,
        min_los: count(req.min_los, "minLOS")?,
        max_los: count(req.max_los, "maxLOS")?,
        min_total_occupancy: count(req.min_total_occupancy, "minTotalOccupancy")?,
        max_total_occupancy: count(req.max_total_occupancy, "maxTotalOccupancy")?,
        min_age: count(req.min_age, "minAge")?,
        max_age: count(req.max_age, "maxAge")?,
        available_days: days(&req.available_days_of_week),
        arrival_days: days(&req.arrival_days_of_week),
        departure_days: days(&req.departure_days_of_week),
        required_days: days(&req.required_days_of_week),
        fees,
        single_occupancy: optional_charge(
            &req.single_occupancy_rate_modifier,
            SINGLE_OCCUPANCY,
            currency,
        )?,
        extra_adult: optional_charge(&req.extra_pax_rate_modifier, EXTRA_ADULT, currency)?,
        extra_child: optional_charge(&req.extra_child_rate_modifier, EXTRA_CHILD, currency)?,
    };
    rules.validate()?;
    optional_charge(&req.early_check_in_charge, "earlyCheckInCharge", currency)?;
    optional_charge(&req.late_check_out_charge, "lateCheckOutCharge", currency)?;
    Ok(rules)
}

/// A cancellation policy as sent in an upsert request (and stored, field by field).
pub fn policy(req: &UpsertCancellationPolicyRequest) -> Result<CancellationPolicy, ApiError> {
    fn term<T: serde::de::DeserializeOwned>(
        wire: Option<&'static str>,
        field: &str,
    ) -> Result<Option<T>, ApiError> {
        wire.map(|w| {
            serde_json::from_value(Value::String(w.to_string()))
                .map_err(|_| ApiError::field(format!("/{field}"), format!("{w} is not supported")))
        })
        .transpose()
    }
    let policy = CancellationPolicy {
        refundable: req.refundable,
        free_cancellation: term(
            req.advance_cancellation_free_of_charge.map(|v| v.as_str()),
            "advanceCancellationFreeOfCharge",
        )?,
        refundable_charge: term(
            req.refundable_cancellation_charge.map(|v| v.as_str()),
            "refundableCancellationCharge",
        )?,
        no_show: term(req.no_show_charge.map(|v| v.as_str()), "noShowCharge")?,
        non_refundable_charge: term(
            req.non_refundable_cancellation_charge.map(|v| v.as_str()),
            "nonRefundableCancellationCharge",
        )?,
        non_refundable_deadline: term(
            req.non_refundable_deadline.map(|v| v.as_str()),
            "nonRefundableDeadline",
        )?,
        after_deadline_charge: term(
            req.non_refundable_after_deadline_cancellation_charge
                .map(|v| v.as_str()),
            "nonRefundableAfterDeadlineCancellationCharge",
        )?,
    };
    policy.validate()?;
    Ok(policy)
}

/// A daily-rate length-of-stay limit: the contract writes "no limit" as -1 (or leaves it out).
pub fn stay_limit(value: Option<i32>) -> Option<u32> {
    value.filter(|v| *v > 0).map(|v| v as u32)
}

/// One stored daily rate as the pricing engine reads it. `modifiers` is the stored document of
/// contract `VariableCharge`s under [`SINGLE_OCCUPANCY`], [`EXTRA_ADULT`] and [`EXTRA_CHILD`];
/// they were validated when written, so an unreadable one is a corrupt row.
#[allow(clippy::too_many_arguments)]
pub fn night_rate(
    date: NaiveDate,
    rate: Option<Decimal>,
    open: bool,
    closed_to_arrival: bool,
    closed_to_departure: bool,
    min_los: Option<i32>,
    max_los: Option<i32>,
    modifiers: &Value,
    currency: &str,
) -> Result<NightRate, ApiError> {
    let modifier = |key: &'static str| -> Result<Option<VariableCharge>, ApiError> {
        match modifiers.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                let wire: WireCharge = from_document("daily rate modifier", key, v)?;
                charge(&wire, key, currency).map(Some)
            }
        }
    };
    Ok(NightRate {
        date,
        rate,
        open,
        closed_to_arrival,
        closed_to_departure,
        min_los: stay_limit(min_los),
        max_los: stay_limit(max_los),
        single_occupancy: modifier(SINGLE_OCCUPANCY)?,
        extra_adult: modifier(EXTRA_ADULT)?,
        extra_child: modifier(EXTRA_CHILD)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire(v: Value) -> WireCharge {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn charges() {
        let c = charge(
            &wire(json!({"type": "PERCENTAGE", "percent": 0.1})),
            EXTRA_ADULT,
            "THB",
        )
        .unwrap();
        assert_eq!(c, VariableCharge::Percent(Decimal::new(1, 1)));
        let c = charge(
            &wire(json!({"type": "FIXED", "fixedAmount": {"amount": 250, "currency": "THB"}})),
            EXTRA_ADULT,
            "THB",
        )
        .unwrap();
        assert_eq!(c, VariableCharge::Fixed(Decimal::from(250)));
        let e = charge(&wire(json!({"type": "FIXED"})), EXTRA_ADULT, "THB").unwrap_err();
        assert!(
            matches!(e, ApiError::Invalid(ref f) if f[0].field == "/extraPaxRateModifier/fixedAmount")
        );
        let e = charge(
            &wire(json!({"type": "FIXED", "fixedAmount": {"amount": 1, "currency": "EUR"}})),
            EXTRA_ADULT,
            "THB",
        )
        .unwrap_err();
        assert!(
            matches!(e, ApiError::Invalid(ref f) if f[0].field == "/extraPaxRateModifier/fixedAmount/currency")
        );
        assert!(
            charge(
                &wire(json!({"type": "PERCENTAGE", "percent": -0.5})),
                EXTRA_ADULT,
                "THB"
            )
            .is_err()
        );
    }

    #[test]
    fn stay_limits() {
        assert_eq!(stay_limit(Some(-1)), None);
        assert_eq!(stay_limit(Some(0)), None);
        assert_eq!(stay_limit(Some(3)), Some(3));
    }
}
