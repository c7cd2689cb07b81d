//! Money: a decimal amount in an ISO 4217 currency, and the rounding policy.
//!
//! # Rounding policy (a product decision)
//! Every priced line (one room's price for one night, one fee) is rounded ONCE, when it is
//! produced, to the currency's minor units. Totals are exact sums of rounded lines and are
//! never rounded again, so a breakdown always adds up to the cent: a guest who adds the
//! nights on the invoice finds the total, and a refund of "the first night" is a line that
//! exists. Penalties derived from a total (30 % of it) are new lines and are rounded once too.
//!
//! Rounding is commercial (half away from zero, `MidpointAwayFromZero`): 0.125 EUR → 0.13,
//! −0.125 → −0.13, which is what a guest or a property checking with a calculator expects;
//! banker's rounding would make 0.125 → 0.12 and look like an error on an invoice.
//!
//! Amounts are `rust_decimal::Decimal`, never floating point, so 0.1 + 0.2 is 0.3.

mod currency;

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub use currency::Currency;

use crate::error::DomainError;

/// Largest amount accepted from outside for a rate, a fee or a fixed charge. Far above any
/// real room price, and low enough that a year of nights for many rooms and guests stays
/// far inside `Decimal`'s range, so pricing arithmetic cannot overflow on accepted input.
pub const MAX_INPUT_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0); // 1e12

/// An amount in a currency. `amount` may carry more decimals than the currency has until
/// [`Money::round`] is called; see the module's rounding policy for when that happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Rounds to the currency's minor units, half away from zero (see the module docs).
    pub fn round(self) -> Money {
        let amount = self.amount.round_dp_with_strategy(
            self.currency.minor_units(),
            RoundingStrategy::MidpointAwayFromZero,
        );
        Money::new(amount, self.currency)
    }

    /// Whether the amount has no more decimals than the currency's minor units.
    pub fn is_rounded(&self) -> bool {
        self.round().amount == self.amount
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Sum of two amounts of the same currency; mixing currencies is refused, never converted.
    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.amount
            .checked_add(other.amount)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(out_of_range)
    }

    /// Difference of two amounts of the same currency; mixing currencies is refused.
    pub fn checked_sub(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.amount
            .checked_sub(other.amount)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(out_of_range)
    }

    /// The amount times a whole number (identical rooms, nights). Exact: no rounding needed.
    pub fn checked_times(self, factor: u32) -> Result<Money, DomainError> {
        self.amount
            .checked_mul(Decimal::from(factor))
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(out_of_range)
    }

    /// Exact sum of amounts in `currency`; an empty list sums to zero.
    pub fn sum(
        currency: Currency,
        items: impl IntoIterator<Item = Money>,
    ) -> Result<Money, DomainError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |total, item| total.checked_add(item))
    }

    fn same_currency(&self, other: Money) -> Result<(), DomainError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(DomainError::invalid(
                "currencyCode",
                format!(
                    "{} and {} amounts cannot be combined",
                    self.currency, other.currency
                ),
            ))
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

fn out_of_range() -> DomainError {
    DomainError::invalid("amount", "amount is out of range")
}

/// Checks an amount received for a rate, fee or fixed charge: zero or more and at most
/// [`MAX_INPUT_AMOUNT`]. Negative prices are refused at the door; discounts are modelled
/// as modifiers (single occupancy today, promotions later), never as negative rates.
pub fn check_input_amount(field: &'static str, amount: Decimal) -> Result<Decimal, DomainError> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(DomainError::invalid(field, "must not be negative"));
    }
    if amount > MAX_INPUT_AMOUNT {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {MAX_INPUT_AMOUNT}"),
        ));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    fn money(amount: &str, code: &str) -> Money {
        Money::new(dec(amount), Currency::parse(code).unwrap())
    }

    #[test]
    fn rounds_half_away_from_zero_to_minor_units() {
        assert_eq!(money("0.125", "EUR").round(), money("0.13", "EUR"));
        assert_eq!(money("-0.125", "EUR").round(), money("-0.13", "EUR"));
        assert_eq!(money("0.124", "EUR").round(), money("0.12", "EUR"));
        assert_eq!(money("2.5", "JPY").round(), money("3", "JPY"));
        assert_eq!(money("1.0005", "KWD").round(), money("1.001", "KWD"));
        assert_eq!(money("1.00005", "CLF").round(), money("1.0001", "CLF"));
    }

    #[test]
    fn is_rounded_checks_the_currencys_decimals() {
        assert!(money("10.50", "EUR").is_rounded());
        assert!(!money("10.505", "EUR").is_rounded());
        assert!(!money("10.5", "JPY").is_rounded());
    }

    #[test]
    fn adds_and_subtracts_same_currency_only() {
        let a = money("10.10", "EUR");
        let b = money("0.20", "EUR");
        assert_eq!(a.checked_add(b).unwrap(), money("10.30", "EUR"));
        assert_eq!(b.checked_sub(a).unwrap(), money("-9.90", "EUR"));
        let err = a.checked_add(money("1", "USD")).unwrap_err();
        assert_eq!(err.field(), "currencyCode");
        assert!(a.checked_sub(money("1", "USD")).is_err());
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = Money::new(Decimal::MAX, Currency::parse("EUR").unwrap());
        assert!(max.checked_add(max).is_err());
        assert!(max.checked_times(2).is_err());
    }

    #[test]
    fn sums_exactly_and_multiplies_by_whole_numbers() {
        let eur = Currency::parse("EUR").unwrap();
        let lines = [
            money("0.10", "EUR"),
            money("0.20", "EUR"),
            money("99.99", "EUR"),
        ];
        assert_eq!(Money::sum(eur, lines).unwrap(), money("100.29", "EUR"));
        assert_eq!(Money::sum(eur, []).unwrap(), Money::zero(eur));
        assert_eq!(
            money("33.33", "EUR").checked_times(3).unwrap(),
            money("99.99", "EUR")
        );
    }

    #[test]
    fn sign_checks() {
        assert!(money("-0.01", "EUR").is_negative());
        assert!(!money("0", "EUR").is_negative());
        assert!(!money("-0", "EUR").is_negative());
        assert!(money("0.00", "EUR").is_zero());
    }

    #[test]
    fn input_amounts_are_bounded() {
        assert_eq!(MAX_INPUT_AMOUNT, dec("1000000000000"));
        assert!(check_input_amount("rate", dec("0")).is_ok());
        assert!(check_input_amount("rate", MAX_INPUT_AMOUNT).is_ok());
        assert_eq!(
            check_input_amount("rate", dec("-1")).unwrap_err().field(),
            "rate"
        );
        assert!(check_input_amount("rate", MAX_INPUT_AMOUNT + Decimal::ONE).is_err());
    }

    #[test]
    fn displays_amount_and_code() {
        assert_eq!(money("12.50", "THB").to_string(), "12.50 THB");
    }
}
