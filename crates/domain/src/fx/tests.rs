use super::*;
use crate::test_support::{date, dec};

/// A shortened `eurofxref.csv` as the ECB publishes it: spaces after commas, a trailing
/// comma, a withdrawn currency (BGN) and an unpublished rate.
const DAILY_CSV: &str = "Date, USD, JPY, BGN, GBP, ISK, THB, IDR, \n\
17 January 2025, 1.0300, 161.86, 1.9558, 0.84215, N/A, 35.607, 16889.57, \n";

/// The same day as `eurofxref-daily.xml`, single-quoted like the ECB's file.
const DAILY_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2025-01-17'>
			<Cube currency='USD' rate='1.0300'/>
			<Cube currency='JPY' rate='161.86'/>
			<Cube currency='BGN' rate='1.9558'/>
			<Cube currency='GBP' rate='0.84215'/>
			<Cube currency='THB' rate='35.607'/>
			<Cube currency='IDR' rate='16889.57'/>
		</Cube>
	</Cube>
</gesmes:Envelope>
"#;

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn daily() -> ExchangeRates {
    ExchangeRates::from_ecb_csv(DAILY_CSV).unwrap()
}

fn csv_error(text: &str) -> String {
    let err = ExchangeRates::from_ecb_csv(text).unwrap_err();
    assert_eq!(err.field(), "eurofxref.csv");
    err.message().to_owned()
}

fn xml_error(text: &str) -> String {
    let err = ExchangeRates::from_ecb_xml(text).unwrap_err();
    assert_eq!(err.field(), "eurofxref-daily.xml");
    err.message().to_owned()
}

#[test]
fn csv_gives_the_date_and_euro_rates() {
    let rates = daily();
    assert_eq!(rates.as_of(), date("2025-01-17"));
    assert_eq!(rates.base(), currency("EUR"));
    assert_eq!(rates.rate(currency("EUR")), Some(Decimal::ONE));
    assert_eq!(rates.rate(currency("USD")), Some(dec("1.0300")));
    assert_eq!(rates.rate(currency("IDR")), Some(dec("16889.57")));
    // N/A is no rate, and BGN is not an active currency of ours.
    assert_eq!(rates.rate(currency("ISK")), None);
    let codes: Vec<_> = rates.currencies().map(|c| c.code()).collect();
    assert_eq!(codes, ["EUR", "GBP", "IDR", "JPY", "THB", "USD"]);
}

#[test]
fn csv_and_xml_of_the_same_day_agree() {
    assert_eq!(ExchangeRates::from_ecb_xml(DAILY_XML).unwrap(), daily());
}

#[test]
fn csv_accepts_iso_dates_crlf_a_bom_and_no_trailing_comma() {
    let text = "\u{feff}Date,USD,JPY\r\n2025-01-17,1.03,161.86\r\n\r\n";
    let rates = ExchangeRates::from_ecb_csv(text).unwrap();
    assert_eq!(rates.as_of(), date("2025-01-17"));
    assert_eq!(rates.rate(currency("JPY")), Some(dec("161.86")));
}

#[test]
fn malformed_csv_is_refused_saying_why() {
    assert!(csv_error("").contains("empty"));
    assert!(csv_error("Date, USD,\n").contains("no line of rates"));
    assert!(
        csv_error("Date, USD,\n2025-01-17, 1.03,\n2025-01-16, 1.04,\n").contains("more than one")
    );
    assert!(csv_error("Day, USD,\n2025-01-17, 1.03,\n").contains("Date"));
    assert!(csv_error("Date, USD, JPY,\n2025-01-17, 1.03,\n").contains("2 values"));
    assert!(csv_error("Date, USD,\n17/01/2025, 1.03,\n").contains("not a date"));
    assert!(csv_error("Date, USD,\n2025-01-17, 1,03,\n").contains("2 header cells but 3 values"));
    assert!(csv_error("Date, USD,\n2025-01-17, one,\n").contains("USD"));
    assert!(csv_error("Date, usd,\n2025-01-17, 1.03,\n").contains("not a currency code"));
    assert!(csv_error("Date, USD,\n2025-01-17, 0,\n").contains("positive"));
    assert!(csv_error("Date, USD, USD,\n2025-01-17, 1.03, 1.04,\n").contains("twice"));
    assert!(csv_error("Date, EUR,\n2025-01-17, 1.1,\n").contains("rate 1"));
}

#[test]
fn xml_accepts_double_quotes_and_spacing() {
    let text =
        r#"<Cube><Cube time = "2025-01-17" ><Cube  currency="USD"  rate="1.03" /></Cube></Cube>"#;
    let rates = ExchangeRates::from_ecb_xml(text).unwrap();
    assert_eq!(rates.rate(currency("USD")), Some(dec("1.03")));
    assert_eq!(rates.as_of(), date("2025-01-17"));
}

#[test]
fn malformed_xml_is_refused_saying_why() {
    assert!(
        xml_error("<Cube><Cube currency='USD' rate='1.03'/></Cube>").contains("no `<Cube time")
    );
    let two_days = "<Cube time='2025-01-17'><Cube currency='USD' rate='1.03'/></Cube>\
                    <Cube time='2025-01-16'><Cube currency='USD' rate='1.04'/></Cube>";
    assert!(xml_error(two_days).contains("more than one day"));
    assert!(
        xml_error("<Cube time='2025-01-17'><Cube currency='USD'/></Cube>")
            .contains("USD has no rate")
    );
    assert!(
        xml_error("<Cube time='2025-01-17'><Cube rate='1.0'/></Cube>")
            .contains("without its currency")
    );
    assert!(
        xml_error("<Cube time='2025-01-17'><Cube currency='USD' rate='x'/></Cube>")
            .contains("not a number")
    );
    assert!(xml_error("<Cube time='17.01.2025'></Cube>").contains("not a date"));
    assert!(
        xml_error("<Cube time='2025-01-17'><Cube currency=USD rate='1'/>").contains("malformed")
    );
    assert!(
        xml_error("<Cube time='2025-01-17'><Cube currency='USD' rate='1'").contains("not closed")
    );
}

#[test]
fn xml_ignores_elements_that_only_start_with_cube() {
    let text = "<Cubes time='1999-01-01'/><Cube time='2025-01-17'><Cube currency='USD' rate='1.03'/></Cube>";
    assert_eq!(
        ExchangeRates::from_ecb_xml(text).unwrap().as_of(),
        date("2025-01-17")
    );
}

#[test]
fn from_the_base_multiplies_and_to_the_base_divides() {
    let rates = daily();
    let (usd, quote) = rates
        .convert(dec("100"), currency("EUR"), currency("USD"))
        .unwrap();
    assert_eq!(usd, dec("103.00"));
    assert_eq!(quote.rate, dec("1.03"));
    assert_eq!(
        (quote.source, quote.target),
        (currency("EUR"), currency("USD"))
    );
    let (eur, quote) = rates
        .convert(dec("103"), currency("USD"), currency("EUR"))
        .unwrap();
    assert_eq!(quote.rate, dec("0.970873786408")); // 1 / 1.03 to 12 digits
    assert_eq!(eur, dec("100.00"));
}

#[test]
fn cross_rates_go_through_the_base_and_keep_twelve_significant_digits() {
    let rates = daily();
    let quote = rates.quote(currency("USD"), currency("JPY")).unwrap();
    assert_eq!(quote.rate, dec("157.145631068")); // 161.86 / 1.03
    let tiny = rates.quote(currency("IDR"), currency("GBP")).unwrap();
    assert_eq!(tiny.rate, dec("0.0000498621338495")); // 0.84215 / 16889.57
    assert_eq!(tiny.rate.scale(), 16);
}

#[test]
fn converted_amounts_are_rounded_once_to_the_targets_minor_unit() {
    let rates = daily();
    // 12.34 USD × 157.145631068 = 1939.177087...: JPY has no decimals.
    let (jpy, _) = rates
        .convert(dec("12.34"), currency("USD"), currency("JPY"))
        .unwrap();
    assert_eq!(jpy, dec("1939"));
    // 700 IDR × 0.00958342929986 = 6.708 JPY → 7; rounding the euros on the way
    // (0.041 → 0.04 EUR = 6.47 JPY) would give 6.
    let (jpy, _) = rates
        .convert(dec("700"), currency("IDR"), currency("JPY"))
        .unwrap();
    assert_eq!(jpy, dec("7"));
    let (thb, _) = rates
        .convert(dec("1000"), currency("JPY"), currency("THB"))
        .unwrap();
    assert_eq!(thb, dec("219.99")); // × 0.219986408007 = 219.986...
}

#[test]
fn the_reported_rate_is_the_rate_used() {
    let rates = daily();
    for (from, to) in [
        ("USD", "JPY"),
        ("IDR", "GBP"),
        ("THB", "EUR"),
        ("EUR", "IDR"),
    ] {
        let (converted, quote) = rates
            .convert(dec("987.65"), currency(from), currency(to))
            .unwrap();
        let by_hand = Money::new(dec("987.65") * quote.rate, currency(to)).round();
        assert_eq!(converted, by_hand.amount, "{from} → {to}");
    }
}

#[test]
fn same_currency_is_one_even_without_a_published_rate() {
    let rates = daily();
    let (amount, quote) = rates
        .convert(dec("10.005"), currency("KWD"), currency("KWD"))
        .unwrap();
    assert_eq!(quote.rate, Decimal::ONE);
    assert_eq!(amount, dec("10.005"));
    let (amount, _) = rates
        .convert(dec("10.005"), currency("USD"), currency("USD"))
        .unwrap();
    assert_eq!(amount, dec("10.01"));
}

#[test]
fn a_missing_rate_is_an_error_naming_the_currency_never_one_to_one() {
    let rates = daily();
    for (from, to) in [("KWD", "EUR"), ("EUR", "KWD"), ("USD", "ISK")] {
        let err = rates
            .convert(dec("10"), currency(from), currency(to))
            .unwrap_err();
        assert_eq!(err.field(), "currency");
        let missing = if from == "EUR" || from == "USD" {
            to
        } else {
            from
        };
        assert!(err.message().contains(missing), "{}", err.message());
        assert!(err.message().contains("2025-01-17"));
    }
}

#[test]
fn localize_gives_the_three_amounts_and_both_quotes() {
    let rates = daily();
    let source = Money::new(dec("1000"), currency("THB"));
    let offer = rates
        .localize(source, default_internal_currency(), currency("USD"))
        .unwrap();
    assert_eq!(offer.source, source);
    assert_eq!(offer.internal, Money::new(dec("28.08"), currency("EUR"))); // 1000 / 35.607
    assert_eq!(offer.user, Money::new(dec("28.93"), currency("USD"))); // × 1.03 / 35.607
    assert_eq!(offer.source_to_internal.target, currency("EUR"));
    assert_eq!(offer.source_to_user.rate, dec("0.0289268963968"));
    assert!(
        rates
            .localize(source, currency("KWD"), currency("USD"))
            .is_err()
    );
}

#[test]
fn quote_timestamp_is_the_reference_date_at_midnight_utc() {
    let quote = daily().quote(currency("USD"), currency("GBP")).unwrap();
    assert_eq!(quote.as_of, date("2025-01-17"));
    assert_eq!(quote.timestamp_millis(), 1_737_072_000_000);
}

#[test]
fn rates_must_be_positive_listed_once_and_one_for_the_base() {
    let eur = currency("EUR");
    let day = date("2025-01-17");
    assert!(ExchangeRates::new(day, eur, [(currency("USD"), dec("-1"))]).is_err());
    assert!(ExchangeRates::new(day, eur, [(eur, dec("1"))]).is_ok());
    let usd_base = ExchangeRates::new(day, currency("USD"), [(eur, dec("0.5"))]).unwrap();
    let (eur_amount, _) = usd_base.convert(dec("10"), currency("USD"), eur).unwrap();
    assert_eq!(eur_amount, dec("5.00"));
}

#[test]
fn default_internal_currency_is_euro() {
    assert_eq!(default_internal_currency().code(), "EUR");
}
