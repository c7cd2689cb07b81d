//! Currency exchange reference rates (the ECB's daily euro rates, loaded by the operator): one set
//! per reference date, kept as history. Pricing reads the newest set.
//!
//! The store keeps rates as decimals against the set's base currency and knows nothing of their
//! rules; `wink_domain::fx::ExchangeRates` validates a set before it is saved and after it is read.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::FromRow;

use crate::{Amount, Store, StoreError, on_pool};

/// The rates of one reference date.
#[derive(Debug, Clone, PartialEq)]
pub struct RateSet {
    pub as_of: NaiveDate,
    /// ISO 4217 code of the currency every rate is quoted against (EUR for the ECB).
    pub base: String,
    /// Where the set came from (a file name, for the operator).
    pub source: String,
    pub loaded_at: DateTime<Utc>,
    /// Units of each currency per unit of `base`, in currency order; never the base itself.
    pub rates: Vec<(String, Decimal)>,
}

/// A set without its rates, as a history lists it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RateSetSummary {
    pub as_of: NaiveDate,
    pub base: String,
    pub source: String,
    pub loaded_at: DateTime<Utc>,
    /// Currencies with a rate (the base not counted).
    pub currencies: i64,
}

#[derive(FromRow)]
struct SetRow {
    as_of: NaiveDate,
    base: String,
    source: String,
    loaded_at: DateTime<Utc>,
}

impl Store {
    /// Saves the set of `set.as_of`, replacing any set already loaded for that date, in one
    /// transaction (a reader sees the old set or the new one, never a mix).
    pub async fn save_exchange_rates(&self, set: &RateSet) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM exchange_rate_sets WHERE as_of = $1")
                .bind(set.as_of).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO exchange_rate_sets (as_of, base, source, loaded_at) VALUES ($1, $2, $3, $4)")
                .bind(set.as_of).bind(&set.base).bind(&set.source).bind(set.loaded_at)
                .execute(&mut *tx).await?;
            for (currency, rate) in &set.rates {
                sqlx::query("INSERT INTO exchange_rates (as_of, currency, rate) VALUES ($1, $2, $3)")
                    .bind(set.as_of).bind(currency).bind(Amount(*rate))
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The set of the newest reference date, if any was loaded.
    pub async fn latest_exchange_rates(&self) -> Result<Option<RateSet>, StoreError> {
        let set = on_pool!(&self.read, p => {
            let set = sqlx::query_as::<_, SetRow>(
                "SELECT as_of, base, source, loaded_at FROM exchange_rate_sets ORDER BY as_of DESC LIMIT 1")
                .fetch_optional(p).await?;
            let Some(set) = set else {
                return Ok(None);
            };
            let rates: Vec<(String, Amount)> = sqlx::query_as(
                "SELECT currency, rate FROM exchange_rates WHERE as_of = $1 ORDER BY currency")
                .bind(set.as_of).fetch_all(p).await?;
            Ok::<_, sqlx::Error>(Some((set, rates)))
        })?;
        Ok(set.map(|(set, rates)| RateSet {
            as_of: set.as_of,
            base: set.base,
            source: set.source,
            loaded_at: set.loaded_at,
            rates: rates.into_iter().map(|(c, r)| (c, r.0)).collect(),
        }))
    }

    /// Every loaded set, newest first, without its rates.
    pub async fn exchange_rate_history(&self) -> Result<Vec<RateSetSummary>, StoreError> {
        let sets = on_pool!(&self.read, p => sqlx::query_as::<_, RateSetSummary>(
            "SELECT s.as_of, s.base, s.source, s.loaded_at, COUNT(r.currency) AS currencies
             FROM exchange_rate_sets s LEFT JOIN exchange_rates r ON r.as_of = s.as_of
             GROUP BY s.as_of, s.base, s.source, s.loaded_at ORDER BY s.as_of DESC")
            .fetch_all(p).await)?;
        Ok(sets)
    }
}
