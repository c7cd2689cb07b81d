//! Currency conversion with published reference rates (the ECB's daily euro foreign
//! exchange reference rates, loaded by the operator; parsers in `ecb`).
//!
//! An offer shows each amount three times: in the property's currency (SOURCE, where every
//! price is made), in the server's accounting currency (INTERNAL, configurable, EUR by
//! default: [`DEFAULT_INTERNAL_CURRENCY`]) and in the currency the request asked for
//! (USER-specified), each with the quote used (contract `QuoteLightweight`).
//!
//! # Decisions
//! - Rates are quoted against one base (EUR for the ECB): `rate(X)` is units of X per base.
//!   The rate from A to B is the cross rate `rate(B) / rate(A)`; between a currency and
//!   itself it is exactly 1, with or without a published rate.
//! - A missing rate is an error naming the currency, never a silent 1:1.
//! - A cross rate keeps [`CROSS_RATE_SIGNIFICANT_DIGITS`] (12) significant digits, half
//!   away from zero: SIGNIFICANT digits, not decimal places, so its relative precision
//!   (better than 5·10⁻¹²) is the same for 157.145631068 (USD → JPY) as for
//!   0.0000498621338495 (IDR → GBP) or a rial → dinar cross of 10⁻⁷, where a fixed number of
//!   places would keep only a few digits. The ECB publishes five or six significant digits,
//!   so nothing the data holds is lost, and the quote reported is EXACTLY the rate used: a
//!   client multiplying by `exchangeRate` and rounding finds the same amount.
//! - An amount is converted in one multiplication by that rate and rounded ONCE, at the
//!   end, to the target currency's minor unit (half away from zero, as in `money`); the
//!   amount in the base currency is never rounded on the way. A breakdown converts each of
//!   its lines that way and sums the converted lines for its totals, so a converted
//!   breakdown adds up like the original (its total may differ by a few minor units from
//!   converting the original total in one go, as any line-by-line invoice does).
//! - The quote's timestamp is the rates' reference date at 00:00 UTC: the ECB publishes one
//!   set per working day, so the date is all a quote can truthfully say.

mod ecb;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::DomainError;
use crate::money::{Currency, Money};

/// Significant digits a cross rate keeps (see the module's decisions).
pub const CROSS_RATE_SIGNIFICANT_DIGITS: u32 = 12;

/// The server's accounting currency unless configured otherwise.
pub const DEFAULT_INTERNAL_CURRENCY: &str = "EUR";

/// The field a missing or unusable rate is reported under (the request's display currency).
const FIELD: &str = "currency";

/// One day's reference rates against a base currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRates {
    as_of: NaiveDate,
    base: Currency,
    /// Units of each currency per unit of `base`; never the base itself.
    rates: BTreeMap<Currency, Decimal>,
}

/// The rate one conversion used (contract `QuoteLightweight`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FxQuote {
    pub source: Currency,
    pub target: Currency,
    /// Units of `target` per unit of `source`.
    pub rate: Decimal,
    /// Reference date of the rates.
    pub as_of: NaiveDate,
}

/// An amount in the property's currency, with its internal and user-currency equivalents
/// and the quotes used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized {
    pub source: Money,
    pub internal: Money,
    pub user: Money,
    pub source_to_internal: FxQuote,
    pub source_to_user: FxQuote,
}

/// The default accounting currency, [`DEFAULT_INTERNAL_CURRENCY`].
pub fn default_internal_currency() -> Currency {
    Currency::parse(DEFAULT_INTERNAL_CURRENCY).expect("EUR is an ISO 4217 currency")
}

impl ExchangeRates {
    /// Rates of `base` on `as_of`: each strictly positive; the base's own rate, if listed,
    /// must be 1; a currency listed twice is refused.
    pub fn new(
        as_of: NaiveDate,
        base: Currency,
        rates: impl IntoIterator<Item = (Currency, Decimal)>,
    ) -> Result<ExchangeRates, DomainError> {
        let mut table = BTreeMap::new();
        for (currency, rate) in rates {
            if rate <= Decimal::ZERO {
                return Err(DomainError::invalid(
                    "rate",
                    format!("the rate of {currency} must be positive, got {rate}"),
                ));
            }
            if currency == base {
                if rate != Decimal::ONE {
                    return Err(DomainError::invalid(
                        "rate",
                        format!("the base currency {base} has rate 1, got {rate}"),
                    ));
                }
                continue;
            }
            if table.insert(currency, rate).is_some() {
                return Err(DomainError::invalid(
                    "rate",
                    format!("{currency} is listed twice"),
                ));
            }
        }
        Ok(ExchangeRates {
            as_of,
            base,
            rates: table,
        })
    }

    /// Parses the ECB's daily CSV (`eurofxref.csv`); see `ecb` for the accepted shape.
    pub fn from_ecb_csv(text: &str) -> Result<ExchangeRates, DomainError> {
        ecb::parse_csv(text)
    }

    /// Parses the ECB's daily XML (`eurofxref-daily.xml`); see `ecb` for the accepted shape.
    pub fn from_ecb_xml(text: &str) -> Result<ExchangeRates, DomainError> {
        ecb::parse_xml(text)
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    pub fn base(&self) -> Currency {
        self.base
    }

    /// Units of `currency` per unit of the base: 1 for the base, `None` when not published.
    pub fn rate(&self, currency: Currency) -> Option<Decimal> {
        if currency == self.base {
            Some(Decimal::ONE)
        } else {
            self.rates.get(&currency).copied()
        }
    }

    /// Currencies with a rate, the base included, in code order.
    pub fn currencies(&self) -> impl Iterator<Item = Currency> + '_ {
        let mut all: Vec<Currency> = self.rates.keys().copied().collect();
        all.push(self.base);
        all.sort();
        all.into_iter()
    }

    /// The rate from `from` to `to` (see the module's decisions for its precision).
    pub fn quote(&self, from: Currency, to: Currency) -> Result<FxQuote, DomainError> {
        let rate = if from == to {
            Decimal::ONE
        } else {
            let (from_rate, to_rate) = (self.required(from)?, self.required(to)?);
            to_rate
                .checked_div(from_rate)
                .and_then(|rate| {
                    rate.round_sf_with_strategy(
                        CROSS_RATE_SIGNIFICANT_DIGITS,
                        RoundingStrategy::MidpointAwayFromZero,
                    )
                })
                .map(|rate| rate.normalize())
                .filter(|rate| !rate.is_zero())
                .ok_or_else(|| {
                    DomainError::invalid(FIELD, format!("no usable rate from {from} to {to}"))
                })?
        };
        Ok(FxQuote {
            source: from,
            target: to,
            rate,
            as_of: self.as_of,
        })
    }

    /// `amount` of `from` in `to`, rounded once to `to`'s minor unit, with the quote used.
    pub fn convert(
        &self,
        amount: Decimal,
        from: Currency,
        to: Currency,
    ) -> Result<(Decimal, FxQuote), DomainError> {
        let quote = self.quote(from, to)?;
        Ok((quote.apply(amount)?.amount, quote))
    }

    /// `source` also in the `internal` and `user` currencies, with both quotes.
    pub fn localize(
        &self,
        source: Money,
        internal: Currency,
        user: Currency,
    ) -> Result<Localized, DomainError> {
        let source_to_internal = self.quote(source.currency, internal)?;
        let source_to_user = self.quote(source.currency, user)?;
        Ok(Localized {
            source,
            internal: source_to_internal.apply(source.amount)?,
            user: source_to_user.apply(source.amount)?,
            source_to_internal,
            source_to_user,
        })
    }

    fn required(&self, currency: Currency) -> Result<Decimal, DomainError> {
        self.rate(currency).ok_or_else(|| {
            DomainError::invalid(
                FIELD,
                format!(
                    "no exchange rate for {currency} in the reference rates of {}",
                    self.as_of
                ),
            )
        })
    }
}

impl FxQuote {
    /// `amount` of the source in the target: × the rate, rounded once to the target's minor
    /// unit.
    pub fn apply(&self, amount: Decimal) -> Result<Money, DomainError> {
        amount
            .checked_mul(self.rate)
            .map(|converted| Money::new(converted, self.target).round())
            .ok_or_else(|| DomainError::invalid("amount", "amount is out of range"))
    }

    /// Unix epoch milliseconds of the reference date at 00:00 UTC (contract `timestamp`).
    pub fn timestamp_millis(&self) -> i64 {
        self.as_of
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp_millis()
    }
}
