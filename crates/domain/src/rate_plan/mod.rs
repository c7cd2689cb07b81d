//! A rate plan's rules: when it may be sold, for which stays and guests, its fees, and the
//! default rate modifiers its master rates fall back on.
//!
//! Every rule's meaning is documented on its field; the checks live in `eligibility`.
//! An absent (`None`) rule restricts nothing, matching the contract's "leave null for no
//! restriction".

mod days_of_week;
mod eligibility;
mod policy_exceptions;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use days_of_week::DaysOfWeek;
pub use policy_exceptions::{ExceptionProblem, ExceptionProblemKind, check_exception_periods};

use crate::charge::VariableCharge;
use crate::error::DomainError;
use crate::money::check_input_amount;

/// How a rate-plan fee multiplies (contract `RatePlanLevelFee.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeeKind {
    /// Once per night.
    PerDay,
    /// Once per stay.
    PerStay,
    /// Once per guest per night.
    PerPersonPerDay,
    /// Once per guest per stay.
    PerPersonPerStay,
}

impl FeeKind {
    /// How many times the fee is charged for one room of `guests` guests over `nights`.
    pub fn units(self, guests: u32, nights: u32) -> u32 {
        match self {
            FeeKind::PerDay => nights,
            FeeKind::PerStay => 1,
            FeeKind::PerPersonPerDay => guests.saturating_mul(nights),
            FeeKind::PerPersonPerStay => guests,
        }
    }
}

/// A fee added to every room booked on the plan (resort fee, cleaning, parking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatePlanFee {
    pub kind: FeeKind,
    /// Amount per unit of `kind`, in the property's currency.
    pub amount: Decimal,
    /// Shown on the breakdown (the fee's English description).
    pub name: String,
}

/// The rules of one rate plan, as the pricing engine needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePlanRules {
    /// A disabled plan sells nothing.
    pub enabled: bool,
    /// Paid at booking; carried for the booking, no rule of its own here.
    pub prepaid: bool,
    /// From its cancellation policy; carried for the booking and offer.
    pub refundable: bool,
    /// The BOOKING date (property-local) must be within `sell_start ..= sell_end`.
    pub sell_start: Option<NaiveDate>,
    pub sell_end: Option<NaiveDate>,
    /// The ARRIVAL date must be within `stay_start ..= stay_end`: the contract calls
    /// `stayEndDate` "the latest date a guest can check in", so a stay may run past it.
    pub stay_start: Option<NaiveDate>,
    pub stay_end: Option<NaiveDate>,
    /// Advance = arrival − booking date, in days (0 for a same-day booking).
    pub min_advance_days: Option<u32>,
    pub max_advance_days: Option<u32>,
    /// Length of stay in nights.
    pub min_los: Option<u32>,
    pub max_los: Option<u32>,
    /// Guests (adults + children) in EACH room, not in the whole booking.
    pub min_total_occupancy: Option<u32>,
    pub max_total_occupancy: Option<u32>,
    /// Only children's ages are known: a child younger than `min_age` blocks (adults-only
    /// plans), a child older than `max_age` blocks. Adults are assumed to satisfy both.
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// Every night's weekday must be allowed.
    pub available_days: Option<DaysOfWeek>,
    /// The arrival date's weekday must be allowed.
    pub arrival_days: Option<DaysOfWeek>,
    /// The departure date's weekday must be allowed.
    pub departure_days: Option<DaysOfWeek>,
    /// At least one night must fall on a flagged weekday.
    pub required_days: Option<DaysOfWeek>,
    pub fees: Vec<RatePlanFee>,
    /// Defaults for the master rates of this plan; a night's own modifier overrides them.
    pub single_occupancy: Option<VariableCharge>,
    pub extra_adult: Option<VariableCharge>,
    pub extra_child: Option<VariableCharge>,
}

impl RatePlanRules {
    /// An enabled, refundable plan with no rule, fee or modifier: the base to build on.
    pub fn unrestricted() -> RatePlanRules {
        RatePlanRules {
            enabled: true,
            prepaid: false,
            refundable: true,
            sell_start: None,
            sell_end: None,
            stay_start: None,
            stay_end: None,
            min_advance_days: None,
            max_advance_days: None,
            min_los: None,
            max_los: None,
            min_total_occupancy: None,
            max_total_occupancy: None,
            min_age: None,
            max_age: None,
            available_days: None,
            arrival_days: None,
            departure_days: None,
            required_days: None,
            fees: Vec::new(),
            single_occupancy: None,
            extra_adult: None,
            extra_child: None,
        }
    }

    /// Refuses rules that can never be met (a maximum below its minimum, a zero maximum
    /// stay or occupancy) and fee amounts out of range, naming the contract field. Such a
    /// plan would be stored fine and then never sell, which is worse than a 400.
    pub fn validate(&self) -> Result<(), DomainError> {
        ordered(
            "sellEndDate",
            "sellStartDate",
            self.sell_start,
            self.sell_end,
        )?;
        ordered(
            "stayEndDate",
            "stayStartDate",
            self.stay_start,
            self.stay_end,
        )?;
        ordered(
            "maxAdvanceBookingOffset",
            "minAdvanceBookingOffset",
            self.min_advance_days,
            self.max_advance_days,
        )?;
        ordered("maxLOS", "minLOS", self.min_los, self.max_los)?;
        ordered(
            "maxTotalOccupancy",
            "minTotalOccupancy",
            self.min_total_occupancy,
            self.max_total_occupancy,
        )?;
        ordered("maxAge", "minAge", self.min_age, self.max_age)?;
        positive("maxLOS", self.max_los)?;
        positive("maxTotalOccupancy", self.max_total_occupancy)?;
        for (i, fee) in self.fees.iter().enumerate() {
            check_input_amount("fixedAmount", fee.amount).map_err(|err| {
                DomainError::invalid(format!("ratePlanLevelFees[{i}].fixedAmount"), err.message())
            })?;
        }
        Ok(())
    }
}

fn ordered<T: PartialOrd + std::fmt::Display>(
    max_field: &'static str,
    min_field: &'static str,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), DomainError> {
    match (min, max) {
        (Some(min), Some(max)) if max < min => Err(DomainError::invalid(
            max_field,
            format!("{max} is before {min_field} {min}"),
        )),
        _ => Ok(()),
    }
}

fn positive(field: &'static str, value: Option<u32>) -> Result<(), DomainError> {
    match value {
        Some(0) => Err(DomainError::invalid(field, "must be at least 1")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{date, dec};

    #[test]
    fn fee_units_per_kind() {
        assert_eq!(FeeKind::PerDay.units(3, 4), 4);
        assert_eq!(FeeKind::PerStay.units(3, 4), 1);
        assert_eq!(FeeKind::PerPersonPerDay.units(3, 4), 12);
        assert_eq!(FeeKind::PerPersonPerStay.units(3, 4), 3);
    }

    #[test]
    fn fee_kind_uses_contract_names() {
        let json = serde_json::to_string(&FeeKind::PerPersonPerDay).unwrap();
        assert_eq!(json, "\"PER_PERSON_PER_DAY\"");
        let kind: FeeKind = serde_json::from_str("\"PER_STAY\"").unwrap();
        assert_eq!(kind, FeeKind::PerStay);
    }

    #[test]
    fn unrestricted_plan_is_valid_and_enabled() {
        let plan = RatePlanRules::unrestricted();
        assert!(plan.enabled && plan.refundable);
        assert_eq!(plan.validate(), Ok(()));
    }

    #[test]
    fn maxima_below_minima_are_refused_naming_the_max_field() {
        let base = RatePlanRules::unrestricted;
        let cases = [
            (
                RatePlanRules {
                    sell_start: Some(date("2026-02-01")),
                    sell_end: Some(date("2026-01-31")),
                    ..base()
                },
                "sellEndDate",
            ),
            (
                RatePlanRules {
                    stay_start: Some(date("2026-02-01")),
                    stay_end: Some(date("2026-01-31")),
                    ..base()
                },
                "stayEndDate",
            ),
            (
                RatePlanRules {
                    min_advance_days: Some(5),
                    max_advance_days: Some(4),
                    ..base()
                },
                "maxAdvanceBookingOffset",
            ),
            (
                RatePlanRules {
                    min_los: Some(3),
                    max_los: Some(2),
                    ..base()
                },
                "maxLOS",
            ),
            (
                RatePlanRules {
                    min_total_occupancy: Some(3),
                    max_total_occupancy: Some(2),
                    ..base()
                },
                "maxTotalOccupancy",
            ),
            (
                RatePlanRules {
                    min_age: Some(18),
                    max_age: Some(17),
                    ..base()
                },
                "maxAge",
            ),
            (
                RatePlanRules {
                    max_los: Some(0),
                    ..base()
                },
                "maxLOS",
            ),
            (
                RatePlanRules {
                    max_total_occupancy: Some(0),
                    ..base()
                },
                "maxTotalOccupancy",
            ),
        ];
        for (plan, field) in cases {
            assert_eq!(plan.validate().unwrap_err().field(), field);
        }
    }

    #[test]
    fn equal_bounds_are_fine() {
        let plan = RatePlanRules {
            sell_start: Some(date("2026-01-31")),
            sell_end: Some(date("2026-01-31")),
            min_los: Some(2),
            max_los: Some(2),
            ..RatePlanRules::unrestricted()
        };
        assert_eq!(plan.validate(), Ok(()));
    }

    #[test]
    fn fee_amounts_are_checked_with_their_index() {
        let fee = |amount| RatePlanFee {
            kind: FeeKind::PerStay,
            amount: dec(amount),
            name: "Cleaning".into(),
        };
        let plan = RatePlanRules {
            fees: vec![fee("10"), fee("-1")],
            ..RatePlanRules::unrestricted()
        };
        assert_eq!(
            plan.validate().unwrap_err().field(),
            "ratePlanLevelFees[1].fixedAmount"
        );
    }
}
