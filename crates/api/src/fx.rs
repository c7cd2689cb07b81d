//! Exchange rates as the API uses them: the newest set the operator loaded
//! (`wink-supplier fx load`), cached, and the three currencies an offer is shown in.
//!
//! Decisions (the conversion rules themselves are `wink_domain::fx`'s):
//! - The newest reference date in the store is used. It is cached for [`REFRESH`]: a set loaded
//!   while the server runs is used within that time, without a restart. While no set is loaded
//!   the store is asked on every request (a query on an empty table), so the first set loaded is
//!   used at once.
//! - SOURCE is the property's currency, where every price is made. USER is the request's
//!   `currency`: the same currency is rate 1; another needs a loaded rate, otherwise 400 naming
//!   the field ("no exchange rate is loaded ..."), never a made-up 1:1.
//! - INTERNAL is the configured accounting currency (`internal_currency`, EUR by default). When
//!   the loaded rates cannot convert the property's currency to it (none loaded yet, or the
//!   property's currency is not among them), internal figures stay in the property's currency
//!   and `sourceToInternalCurrencyQuote` says so (target = the property's currency, rate 1): the
//!   request is not the client's fault, and a quote always names the currency it converts to.
//! - A real conversion is stamped with the rates' reference date (00:00 UTC); the identity
//!   (same currency) with the pricing instant.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use wink_contract::QuoteLightweight;
use wink_domain::fx::ExchangeRates;
use wink_domain::money::{Currency, Money};
use wink_store::Store;
use wink_store::exchange_rates::RateSet;

use crate::error::ApiError;

/// How long the newest set is kept before the store is asked again.
pub const REFRESH: Duration = Duration::from_secs(30);

/// The internal currency and the cached newest exchange rates.
pub struct FxRates {
    internal: Currency,
    cached: Mutex<Option<(Instant, Arc<ExchangeRates>)>>,
}

impl FxRates {
    /// `internal` must be an ISO 4217 code (the server refuses to start otherwise).
    pub fn new(internal: &str) -> Result<FxRates, String> {
        let internal = Currency::parse(internal.trim()).map_err(|e| {
            format!(
                "internal_currency {internal:?}: {} (an ISO 4217 code such as EUR)",
                e.message()
            )
        })?;
        Ok(FxRates {
            internal,
            cached: Mutex::new(None),
        })
    }

    pub fn internal(&self) -> Currency {
        self.internal
    }

    /// The newest set loaded, `None` while none is.
    pub async fn current(&self, store: &Store) -> Result<Option<Arc<ExchangeRates>>, ApiError> {
        if let Some((at, rates)) = self.cached.lock().map(|c| c.clone()).unwrap_or(None)
            && at.elapsed() < REFRESH
        {
            return Ok(Some(rates));
        }
        let Some(set) = store.latest_exchange_rates().await? else {
            return Ok(None);
        };
        let rates = Arc::new(exchange_rates(&set).map_err(ApiError::Internal)?);
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((Instant::now(), rates.clone()));
        }
        Ok(Some(rates))
    }

    /// Drops the cached set: the next request reads the store (after loading rates in process).
    pub fn forget(&self) {
        if let Ok(mut cached) = self.cached.lock() {
            *cached = None;
        }
    }

    /// The three currencies of a request asking for `user` (the JSON pointer `field` names it in
    /// a refusal), for a property selling in `source`.
    pub async fn currencies(
        &self,
        store: &Store,
        source: Currency,
        user: &str,
        field: &str,
        at: DateTime<Utc>,
    ) -> Result<Currencies, ApiError> {
        let user = Currency::parse(user.trim()).map_err(|_| {
            ApiError::field(field, format!("`{user}` is not an ISO 4217 currency code"))
        })?;
        let rates = if user == source && self.internal == source {
            None
        } else {
            self.current(store).await?
        };
        Currencies::new(rates.as_deref(), source, self.internal, user, field, at)
    }
}

/// A stored set as the domain's rates.
pub fn exchange_rates(set: &RateSet) -> Result<ExchangeRates, String> {
    let currency = |code: &str| {
        Currency::parse(code).map_err(|_| {
            format!(
                "exchange rates of {}: stored currency {code:?} is unknown",
                set.as_of
            )
        })
    };
    let rates = set
        .rates
        .iter()
        .map(|(code, rate)| Ok((currency(code)?, *rate)))
        .collect::<Result<Vec<_>, String>>()?;
    ExchangeRates::new(set.as_of, currency(&set.base)?, rates)
        .map_err(|e| format!("exchange rates of {}: {}", set.as_of, e.message()))
}

/// One conversion from the property's currency: the identity, or a reference rate.
#[derive(Debug, Clone)]
pub struct View {
    pub source: Currency,
    pub target: Currency,
    pub rate: Decimal,
    /// Unix epoch milliseconds (contract `timestamp`).
    pub timestamp: i64,
}

impl View {
    fn identity(currency: Currency, at: DateTime<Utc>) -> View {
        View {
            source: currency,
            target: currency,
            rate: Decimal::ONE,
            timestamp: at.timestamp_millis(),
        }
    }

    pub fn is_identity(&self) -> bool {
        self.source == self.target
    }

    /// `amount` of the property's currency in the target: itself for the identity, otherwise
    /// × the rate and rounded once to the target's minor unit. `None` on overflow.
    pub fn convert(&self, amount: Decimal) -> Option<Decimal> {
        if self.is_identity() {
            return Some(amount);
        }
        let converted = amount.checked_mul(self.rate)?;
        Some(Money::new(converted, self.target).round().amount)
    }

    /// The contract's `QuoteLightweight`.
    pub fn wire(&self) -> QuoteLightweight {
        QuoteLightweight {
            source: self.source.code().to_string(),
            target: self.target.code().to_string(),
            exchange_rate: self.rate.normalize(),
            timestamp: self.timestamp,
        }
    }
}

/// The currencies a priced answer shows its amounts in.
#[derive(Debug, Clone)]
pub struct Currencies {
    pub source: View,
    pub internal: View,
    pub user: View,
}

impl Currencies {
    pub fn new(
        rates: Option<&ExchangeRates>,
        source: Currency,
        internal: Currency,
        user: Currency,
        field: &str,
        at: DateTime<Utc>,
    ) -> Result<Currencies, ApiError> {
        let convert = |target: Currency| -> Result<View, String> {
            if target == source {
                return Ok(View::identity(source, at));
            }
            let Some(rates) = rates else {
                return Err(format!(
                    "no exchange rate is loaded from {source} to {target}; ask in {source}"
                ));
            };
            if let Some(missing) = [target, source]
                .into_iter()
                .find(|c| rates.rate(*c).is_none())
            {
                return Err(format!(
                    "no exchange rate is loaded for {missing} (reference rates of {}); ask in {source}",
                    rates.as_of()
                ));
            }
            let quote = rates
                .quote(source, target)
                .map_err(|e| e.message().to_string())?;
            Ok(View {
                source,
                target,
                rate: quote.rate,
                timestamp: quote.timestamp_millis(),
            })
        };
        let user = convert(user).map_err(|message| ApiError::field(field, message))?;
        let internal = convert(internal).unwrap_or_else(|_| View::identity(source, at));
        Ok(Currencies {
            source: View::identity(source, at),
            internal,
            user,
        })
    }

    /// The three views in the order source, internal, user.
    pub fn views(&self) -> [&View; 3] {
        [&self.source, &self.internal, &self.user]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    fn rates() -> ExchangeRates {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        ExchangeRates::new(
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            cur("EUR"),
            [(cur("THB"), d("37.5")), (cur("USD"), d("1.08"))],
        )
        .unwrap()
    }

    #[test]
    fn same_currency_is_rate_one_and_keeps_exact_amounts() {
        let at = Utc::now();
        let c = Currencies::new(None, cur("THB"), cur("THB"), cur("THB"), "/currency", at).unwrap();
        for view in c.views() {
            assert!(view.is_identity());
            assert_eq!(
                view.convert("1600.125".parse().unwrap()),
                Some("1600.125".parse().unwrap())
            );
            assert_eq!(view.timestamp, at.timestamp_millis());
        }
    }

    #[test]
    fn another_currency_needs_a_rate_and_is_rounded_once() {
        let at = Utc::now();
        let err =
            Currencies::new(None, cur("THB"), cur("EUR"), cur("USD"), "/currency", at).unwrap_err();
        let problem = err.problem();
        assert!(format!("{problem:?}").contains("no exchange rate is loaded"));
        let r = rates();
        let c = Currencies::new(
            Some(&r),
            cur("THB"),
            cur("EUR"),
            cur("USD"),
            "/currency",
            at,
        )
        .unwrap();
        assert_eq!(c.user.rate, "0.0288".parse::<Decimal>().unwrap());
        assert_eq!(
            c.user.convert(Decimal::from(4050)),
            Some("116.64".parse().unwrap())
        );
        assert_eq!(
            c.internal.convert(Decimal::from(4050)),
            Some("108".parse().unwrap())
        );
        assert_eq!(
            c.user.timestamp,
            NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis()
        );
        let err = Currencies::new(
            Some(&r),
            cur("THB"),
            cur("EUR"),
            cur("JPY"),
            "/currency",
            at,
        )
        .unwrap_err();
        assert!(format!("{:?}", err.problem()).contains("JPY"));
    }

    #[test]
    fn internal_falls_back_to_the_property_currency_without_a_rate() {
        let at = Utc::now();
        let c = Currencies::new(None, cur("THB"), cur("EUR"), cur("THB"), "/currency", at).unwrap();
        assert_eq!(c.internal.target, cur("THB"));
        assert_eq!(c.internal.rate, Decimal::ONE);
    }

    #[test]
    fn the_internal_currency_must_be_iso_4217() {
        assert!(FxRates::new("EUR").is_ok());
        assert!(matches!(FxRates::new("XYZ"), Err(e) if e.contains("internal_currency")));
    }
}
