//! Property tests over currency conversion, through the crate's public API: for generated
//! reference-rate tables, conversions round-trip within what rounding allows, the quote
//! reported is the rate used, and both ECB formats read back the table they were written from.

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rust_decimal::Decimal;
use wink_domain::*;

/// Currencies of the generated tables: 0, 2, 3 and 4 decimals.
const POOL: [&str; 8] = ["USD", "JPY", "GBP", "KWD", "IDR", "THB", "CLF", "CHF"];

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn day() -> NaiveDate {
    "2026-03-05".parse().unwrap()
}

/// A rate with five or six significant digits, like the ECB's, from 0.0001 to 999 999 (a
/// rial or a dong against the euro), so crosses span ten orders of magnitude.
fn rate() -> impl Strategy<Value = Decimal> {
    (10_000..1_000_000i64, 0..9u32).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn table() -> impl Strategy<Value = Vec<(Currency, Decimal)>> {
    subsequence(POOL.to_vec(), 2..=POOL.len()).prop_flat_map(|codes| {
        let n = codes.len();
        prop::collection::vec(rate(), n)
            .prop_map(move |rates| codes.iter().map(|c| currency(c)).zip(rates).collect())
    })
}

fn rates(table: &[(Currency, Decimal)]) -> ExchangeRates {
    ExchangeRates::new(day(), currency("EUR"), table.iter().copied()).unwrap()
}

/// A table, and two of its currencies or the euro.
fn table_and_pair() -> impl Strategy<Value = (Vec<(Currency, Decimal)>, (Currency, Currency))> {
    table().prop_flat_map(|table| {
        let mut all: Vec<Currency> = table.iter().map(|(c, _)| *c).collect();
        all.push(currency("EUR"));
        (Just(table), (select(all.clone()), select(all)))
    })
}

/// An amount already rounded to `currency`'s minor unit, up to about 10⁹.
fn amount_in(currency: Currency, raw: i64) -> Decimal {
    Decimal::new(raw, currency.minor_units())
}

/// Half of one minor unit.
fn half_unit(currency: Currency) -> Decimal {
    Decimal::new(5, currency.minor_units() + 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn conversion_round_trips_within_rounding(
        (table, (from, to)) in table_and_pair(),
        raw in 0..1_000_000_000i64,
    ) {
        let rates = rates(&table);
        let amount = amount_in(from, raw);
        let (there, forth) = rates.convert(amount, from, to).unwrap();
        let (back, back_quote) = rates.convert(there, to, from).unwrap();
        // back − amount = amount·(r·r' − 1) + r'·(rounding in `to`) + (rounding in `from`).
        let drift = (forth.rate * back_quote.rate - Decimal::ONE).abs();
        prop_assert!(drift <= Decimal::new(1, 11), "rates {} and {} drift {}", forth.rate, back_quote.rate, drift);
        let bound = amount * drift + back_quote.rate * half_unit(to) + half_unit(from);
        prop_assert!((back - amount).abs() <= bound, "{} {} → {} {} → {} {}", amount, from, there, to, back, from);
        prop_assert!(there >= Decimal::ZERO && there.scale() <= to.minor_units());
    }

    #[test]
    fn the_quote_is_the_cross_rate_used_to_twelve_significant_digits(
        (table, (from, to)) in table_and_pair(),
        raw in 0..1_000_000_000i64,
    ) {
        let rates = rates(&table);
        let amount = amount_in(from, raw);
        let (converted, quote) = rates.convert(amount, from, to).unwrap();
        prop_assert_eq!((quote.source, quote.target, quote.as_of), (from, to, day()));
        prop_assert_eq!(converted, Money::new(amount * quote.rate, to).round().amount);
        // Twelve significant digits: off by at most half a unit of the twelfth.
        let exact = rates.rate(to).unwrap() / rates.rate(from).unwrap();
        prop_assert!((quote.rate - exact).abs() <= exact * Decimal::new(5, 12));
        if from == to {
            prop_assert_eq!(quote.rate, Decimal::ONE);
            prop_assert_eq!(converted, amount);
        }
    }

    #[test]
    fn a_currency_without_a_rate_is_an_error_never_one_to_one(table in table(), raw in 1..1_000_000i64) {
        let rates = rates(&table);
        let nok = currency("NOK");
        let eur = currency("EUR");
        let err = rates.convert(Decimal::new(raw, 2), eur, nok).unwrap_err();
        prop_assert!(err.message().contains("NOK"));
        prop_assert!(rates.convert(Decimal::new(raw, 2), nok, eur).is_err());
    }

    #[test]
    fn both_ecb_formats_read_back_the_table_they_were_written_from(table in table()) {
        let codes: Vec<&str> = table.iter().map(|(c, _)| c.code()).collect();
        let values: Vec<String> = table.iter().map(|(_, r)| r.to_string()).collect();
        let csv = format!("Date, {}, \n5 March 2026, {}, \n", codes.join(", "), values.join(", "));
        let cubes: String = table
            .iter()
            .map(|(c, r)| format!("\n\t\t\t<Cube currency='{c}' rate='{r}'/>"))
            .collect();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gesmes:Envelope>\n\t<Cube>\n\t\t<Cube time='2026-03-05'>{cubes}\n\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>\n"
        );
        let expected = rates(&table);
        prop_assert_eq!(ExchangeRates::from_ecb_csv(&csv).unwrap(), expected.clone());
        prop_assert_eq!(ExchangeRates::from_ecb_xml(&xml).unwrap(), expected);
    }
}
