//! The contract's `VariableCharge`: a fixed amount, or a percentage of some base.
//!
//! Percentages are FRACTIONS (0.25 means 25 %), as the contract's examples write them
//! (`"percent": 0.25`). Up to 10 (1000 %) is accepted so a surcharge of several times the
//! base is expressible; more is almost certainly a percent sent as a whole number.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::money::check_input_amount;

/// Largest fraction a percentage charge may carry.
pub const MAX_PERCENT_FRACTION: Decimal = Decimal::TEN;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VariableCharge {
    /// An amount in the rate's currency.
    Fixed(Decimal),
    /// A fraction of the base it applies to (0.25 = 25 %).
    Percent(Decimal),
}

impl VariableCharge {
    /// A fixed charge, `0 ..= MAX_INPUT_AMOUNT`; a refusal names `{field}.fixedAmount`.
    pub fn fixed(amount: Decimal, field: &'static str) -> Result<VariableCharge, DomainError> {
        check_input_amount(field, amount)
            .map(VariableCharge::Fixed)
            .map_err(|err| DomainError::invalid(format!("{field}.fixedAmount"), err.message()))
    }

    /// A percentage as a fraction, `0 ..= 10`; a refusal names `{field}.percent`.
    pub fn percent(fraction: Decimal, field: &'static str) -> Result<VariableCharge, DomainError> {
        if fraction.is_sign_negative() && !fraction.is_zero() || fraction > MAX_PERCENT_FRACTION {
            return Err(DomainError::invalid(
                format!("{field}.percent"),
                format!("must be a fraction between 0 and {MAX_PERCENT_FRACTION} (0.25 = 25 %)"),
            ));
        }
        Ok(VariableCharge::Percent(fraction))
    }

    /// The charge's amount when applied to `base`: the fixed amount itself, or the fraction
    /// of the base. Unrounded: the caller rounds the line it ends up in. Panics only if the
    /// product overflows `Decimal`, which validated input (amounts up to
    /// `MAX_INPUT_AMOUNT`, fractions up to 10) cannot reach; see [`Self::checked_amount_on`].
    pub fn amount_on(&self, base: Decimal) -> Decimal {
        match self {
            VariableCharge::Fixed(amount) => *amount,
            VariableCharge::Percent(fraction) => base * fraction,
        }
    }

    /// [`Self::amount_on`], `None` on overflow.
    pub fn checked_amount_on(&self, base: Decimal) -> Option<Decimal> {
        match self {
            VariableCharge::Fixed(amount) => Some(*amount),
            VariableCharge::Percent(fraction) => base.checked_mul(*fraction),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    #[test]
    fn fixed_ignores_the_base_and_percent_is_a_fraction_of_it() {
        assert_eq!(
            VariableCharge::Fixed(dec("12.5")).amount_on(dec("200")),
            dec("12.5")
        );
        assert_eq!(
            VariableCharge::Percent(dec("0.25")).amount_on(dec("200")),
            dec("50")
        );
        assert_eq!(
            VariableCharge::Percent(dec("0.1")).amount_on(dec("33.33")),
            dec("3.333")
        );
        let huge = VariableCharge::Percent(dec("10"));
        assert_eq!(huge.checked_amount_on(dec("2")), Some(dec("20")));
        assert_eq!(huge.checked_amount_on(Decimal::MAX), None);
        assert_eq!(
            VariableCharge::Fixed(dec("3")).checked_amount_on(Decimal::MAX),
            Some(dec("3"))
        );
    }

    #[test]
    fn fixed_must_be_a_sane_amount() {
        assert_eq!(
            VariableCharge::fixed(dec("0"), "x").unwrap(),
            VariableCharge::Fixed(dec("0"))
        );
        let err = VariableCharge::fixed(dec("-1"), "extraPaxRateModifier").unwrap_err();
        assert_eq!(err.field(), "extraPaxRateModifier.fixedAmount");
        assert!(VariableCharge::fixed(dec("1000000000001"), "x").is_err());
    }

    #[test]
    fn percent_is_between_zero_and_ten() {
        assert!(VariableCharge::percent(dec("0"), "x").is_ok());
        assert!(VariableCharge::percent(dec("10"), "x").is_ok());
        let err = VariableCharge::percent(dec("10.01"), "singleOccupancyRateModifier").unwrap_err();
        assert_eq!(err.field(), "singleOccupancyRateModifier.percent");
        assert!(VariableCharge::percent(dec("-0.1"), "x").is_err());
    }
}
