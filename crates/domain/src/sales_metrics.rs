//! Sales figures of a group of bookings (an affiliate's, a property's): how many, what they cost
//! in all and on average, exactly (decimal) in one currency.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::money::Currency;

/// Bookings counted and their totals summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SalesMetrics {
    pub bookings: u64,
    pub total: Decimal,
}

impl SalesMetrics {
    /// Adds `count` bookings that each cost `total` (bookings are read grouped by total).
    pub fn add(&mut self, total: Decimal, count: u64) {
        self.bookings += count;
        self.total += total * Decimal::from(count);
    }

    /// The total per booking, rounded half away from zero to the currency's minor unit; 0 without
    /// bookings.
    pub fn average(&self, currency: Currency) -> Decimal {
        if self.bookings == 0 {
            return Decimal::ZERO;
        }
        (self.total / Decimal::from(self.bookings)).round_dp_with_strategy(
            currency.minor_units(),
            RoundingStrategy::MidpointAwayFromZero,
        )
    }
}

impl std::ops::AddAssign for SalesMetrics {
    fn add_assign(&mut self, other: SalesMetrics) {
        self.bookings += other.bookings;
        self.total += other.total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;
    use proptest::prelude::*;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn sums_exactly_and_averages_to_the_minor_unit() {
        let mut m = SalesMetrics::default();
        m.add(dec("100.10"), 2);
        m.add(dec("0.01"), 1);
        assert_eq!(m.bookings, 3);
        assert_eq!(m.total, dec("200.21"));
        // 66.7366... → 66.74
        assert_eq!(m.average(currency("EUR")), dec("66.74"));
        // Yen has no minor unit; 200.21 / 3 → 67
        assert_eq!(m.average(currency("JPY")), dec("67"));
    }

    #[test]
    fn half_rounds_away_from_zero() {
        let mut m = SalesMetrics::default();
        m.add(dec("0.05"), 1);
        m.add(dec("0"), 1);
        assert_eq!(m.average(currency("EUR")), dec("0.03"));
    }

    #[test]
    fn no_bookings_average_zero() {
        assert_eq!(
            SalesMetrics::default().average(currency("EUR")),
            Decimal::ZERO
        );
    }

    proptest! {
        /// Adding grouped totals gives the sum of every booking's total, whatever the grouping.
        #[test]
        fn grouped_sums_equal_the_plain_sum(cents in proptest::collection::vec(0i64..10_000_000, 0..40)) {
            let mut grouped = std::collections::BTreeMap::new();
            for c in &cents {
                *grouped.entry(*c).or_insert(0u64) += 1;
            }
            let mut m = SalesMetrics::default();
            for (c, n) in grouped {
                m.add(Decimal::new(c, 2), n);
            }
            let plain: Decimal = cents.iter().map(|c| Decimal::new(*c, 2)).sum();
            prop_assert_eq!(m.total, plain);
            prop_assert_eq!(m.bookings, cents.len() as u64);
        }
    }
}
