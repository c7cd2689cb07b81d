//! Exchange rates: how they are stored (history by date, the newest used) and how offers and
//! test bookings show their amounts in the property's, the internal and the requested currency.

use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use wink_domain::fx::ExchangeRates;
use wink_store::exchange_rates::RateSet;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

/// One ECB day (CSV): EUR base, THB 37.25, USD 1.085, GBP 0.856.
pub const RATES: &str = "Date, USD, JPY, GBP, THB,\n2 March 2026, 1.0850, 162.30, 0.8560, 37.25,\n";

/// Stores an ECB daily file's rates as the CLI's `fx load` does, and makes the server read them
/// on its next request.
pub async fn load_rates(app: &TestApp, csv: &str) -> ExchangeRates {
    let rates = ExchangeRates::from_ecb_csv(csv).expect("an ECB day");
    let set = RateSet {
        as_of: rates.as_of(),
        base: rates.base().code().to_string(),
        source: "eurofxref.csv".into(),
        loaded_at: app.state.now(),
        rates: rates
            .currencies()
            .filter(|c| *c != rates.base())
            .map(|c| (c.code().to_string(), rates.rate(c).unwrap()))
            .collect(),
    };
    app.store.save_exchange_rates(&set).await.expect("saved");
    app.state.fx.forget();
    rates
}

pub fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Epoch milliseconds of a date's midnight UTC (a reference-rate quote's timestamp).
pub fn midnight(date: &str) -> i64 {
    date.parse::<NaiveDate>()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

pub fn money(amount: f64, currency: &str) -> Value {
    json!({ "amount": amount, "currency": currency })
}

async fn rates_are_kept_by_date_and_the_newest_is_used(app: TestApp) {
    assert_eq!(app.store.latest_exchange_rates().await.unwrap(), None);
    load_rates(&app, RATES).await;
    load_rates(&app, "Date, USD, THB,\n27 February 2026, 1.0800, 37.00,\n").await;
    // Loading the same date again replaces its set.
    load_rates(&app, "Date, USD, THB,\n2 March 2026, 1.0900, 37.25,\n").await;
    let newest = app.store.latest_exchange_rates().await.unwrap().unwrap();
    assert_eq!(newest.as_of.to_string(), "2026-03-02");
    assert_eq!(newest.base, "EUR");
    assert_eq!(
        newest.rates,
        [
            ("THB".to_string(), dec("37.25")),
            ("USD".to_string(), dec("1.09"))
        ]
    );
    let history = app.store.exchange_rate_history().await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.as_of.to_string(), h.currencies))
            .collect::<Vec<_>>(),
        [("2026-03-02".to_string(), 2), ("2026-02-27".to_string(), 2)]
    );

    // The offers use the newest set: THB → USD at 1.09 / 37.25.
    let s = Shop::new(&app, 3).await;
    let mut query = s.query(day(10), day(12), 2);
    query["currency"] = json!("USD");
    let offer = s.offer(&app, &query).await;
    assert_eq!(
        offer["price"]["sourceToUserCurrencyQuote"],
        json!({ "source": "THB", "target": "USD", "exchangeRate": 0.0292617449664, "timestamp": midnight("2026-03-02") })
    );
}

/// THB offers shown in EUR (internal) and USD (asked for): every line converted once, totals
/// summed from converted lines, with the quotes used; a booking keeps the same figures.
async fn offers_and_bookings_in_three_currencies(app: TestApp) {
    load_rates(&app, RATES).await;
    let s = Shop::new(&app, 3).await;
    let (a, d) = (day(10), day(12));
    let mut query = s.query(a, d, 2);
    query["currency"] = json!("USD");
    let offer = s.offer(&app, &query).await;
    let stamp = midnight("2026-03-02");
    // THB → USD = 1.085 / 37.25 and THB → EUR = 1 / 37.25, 12 significant digits.
    let to_usd = json!({ "source": "THB", "target": "USD", "exchangeRate": 0.0291275167785, "timestamp": stamp });
    let to_eur = json!({ "source": "THB", "target": "EUR", "exchangeRate": 0.0268456375839, "timestamp": stamp });
    // A night of 2000 THB is 58.26 USD (58.255...) and 53.69 EUR; the 50 THB tax 1.46 USD, 1.34 EUR.
    assert_eq!(offer["sourceTotal"], money(4050.0, "THB"));
    assert_eq!(offer["userSpecifiedCurrencyTotal"], money(117.98, "USD"));
    assert_eq!(offer["internalTotal"], money(108.72, "EUR"));
    let price = &offer["price"];
    assert_eq!(price["sourceToUserCurrencyQuote"], to_usd);
    assert_eq!(price["sourceToInternalCurrencyQuote"], to_eur);
    assert_eq!(price["sourceTotal"], money(4000.0, "THB"));
    assert_eq!(price["userSpecifiedCurrencyTotal"], money(116.52, "USD"));
    assert_eq!(price["internalTotal"], money(107.38, "EUR"));
    assert_eq!(
        price["userSpecifiedCurrencyBaseTotal"],
        money(116.52, "USD")
    );
    assert_eq!(
        price["userSpecifiedCurrencyAveragePricePerNight"],
        money(58.26, "USD")
    );
    let night = &price["list"][0];
    assert_eq!(night["sourceToUserCurrencyQuote"], to_usd);
    assert_eq!(night["sourceToInternalCurrencyQuote"], to_eur);
    assert_eq!(night["sourceRate"], money(2000.0, "THB"));
    assert_eq!(night["userSpecifiedCurrencyRate"], money(58.26, "USD"));
    assert_eq!(night["internalRate"], money(53.69, "EUR"));
    assert_eq!(night["userSpecifiedCurrencyBaseRate"], money(58.26, "USD"));
    // The stored daily rate stays in the property's currency.
    assert_eq!(night["rate"]["rate"], money(2000.0, "THB"));
    let fees = &offer["extraCharges"];
    assert_eq!(fees["userSpecifiedCurrencyTotal"], money(1.46, "USD"));
    assert_eq!(fees["internalTotal"], money(1.34, "EUR"));
    assert_eq!(
        fees["items"][0]["price"]["sourceToUserCurrencyQuote"],
        to_usd
    );

    // One adult: the single-occupancy reduction (80 % of 2000) converted on its own.
    let mut solo = s.query(a, d, 1);
    solo["currency"] = json!("USD");
    let offer1 = s.offer(&app, &solo).await;
    let night = &offer1["price"]["list"][0];
    assert_eq!(night["sourceSingleOccupantModifier"], -1600.0);
    assert_eq!(night["userSpecifiedCurrencySingleOccupantModifier"], -46.6);
    assert_eq!(night["userSpecifiedCurrencyRate"], money(11.65, "USD"));

    // The property's own currency is rate 1, stamped with the pricing instant.
    let before = app.state.now().timestamp_millis();
    let thb = s.offer(&app, &s.query(a, d, 2)).await;
    let after = app.state.now().timestamp_millis();
    let quote = &thb["price"]["sourceToUserCurrencyQuote"];
    assert_eq!(
        (&quote["source"], &quote["target"], &quote["exchangeRate"]),
        (&json!("THB"), &json!("THB"), &json!(1.0))
    );
    let stamp = quote["timestamp"].as_i64().unwrap();
    assert!(
        before <= stamp && stamp <= after,
        "{before} <= {stamp} <= {after}"
    );
    assert_eq!(thb["userSpecifiedCurrencyTotal"], money(4050.0, "THB"));
    assert_eq!(thb["internalTotal"], money(108.72, "EUR"));

    // The booking keeps the offer's figures and quotes in all three currencies.
    let request = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = s.book(&app, &request).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let stay = &r.json["roomStay"];
    assert_eq!(stay["sourceTotal"], offer["sourceTotal"]);
    assert_eq!(stay["internalTotal"], offer["internalTotal"]);
    assert_eq!(
        stay["userSpecifiedCurrencyTotal"],
        offer["userSpecifiedCurrencyTotal"]
    );
    for key in [
        "sourceTotal",
        "internalTotal",
        "userSpecifiedCurrencyTotal",
        "sourceToUserCurrencyQuote",
        "sourceToInternalCurrencyQuote",
    ] {
        assert_eq!(stay["price"][key], offer["price"][key], "{key}");
        assert_eq!(
            stay["price"]["list"][1][key], offer["price"]["list"][1][key],
            "{key}"
        );
    }
    assert_eq!(r.json["userSession"]["currency"], "USD");
    let id = r.json["id"].as_str().unwrap();
    let shown = app
        .get(&format!("{}/booking/{id}", s.root()), &s.p.token)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(
        shown.json["roomStay"]["userSpecifiedCurrencyTotal"],
        money(117.98, "USD")
    );
    assert_eq!(
        shown.json["roomStay"]["price"]["sourceToUserCurrencyQuote"],
        to_usd
    );
}

async fn currencies_without_a_rate_are_refused(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let ask = |currency: &str| {
        let mut q = s.query(day(10), day(12), 2);
        q["currency"] = json!(currency);
        q
    };
    // No rates loaded: only THB is sold, and internal figures stay in THB (rate 1).
    let r = s.room_list(&app, &ask("USD")).await;
    assert_eq!(r.invalid_fields(), ["/currency"]);
    assert_eq!(
        r.json["errors"][0]["message"],
        "no exchange rate is loaded from THB to USD; ask in THB"
    );
    let offer = s.offer(&app, &ask("THB")).await;
    assert_eq!(offer["internalTotal"], money(4050.0, "THB"));
    assert_eq!(
        offer["price"]["sourceToInternalCurrencyQuote"]["target"],
        "THB"
    );

    load_rates(&app, RATES).await;
    let r = s.room_list(&app, &ask("CHF")).await;
    assert_eq!(r.invalid_fields(), ["/currency"]);
    assert_eq!(
        r.json["errors"][0]["message"],
        "no exchange rate is loaded for CHF (reference rates of 2026-03-02); ask in THB"
    );
    let r = s.room_list(&app, &ask("ABC")).await;
    assert_eq!(r.invalid_fields(), ["/currency"]);
    assert_eq!(
        r.json["errors"][0]["message"],
        "`ABC` is not an ISO 4217 currency code"
    );
    // A test booking in a currency without a rate is refused the same way, and takes nothing.
    let mut query = ask("USD");
    let offer = s.offer(&app, &query).await;
    query["currency"] = json!("CHF");
    let r = s
        .book(
            &app,
            &s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/query/currency"]);
    assert_eq!(s.units(&app, day(10), day(11)).await, [3, 3]);
    // GBP works once loaded: 4050 THB at 0.856 / 37.25, rounded to pence once.
    let offer = s.offer(&app, &ask("GBP")).await;
    assert_eq!(offer["userSpecifiedCurrencyTotal"], money(93.07, "GBP"));
    assert_eq!(offer["price"]["sourceToUserCurrencyQuote"]["target"], "GBP");
    // JPY has no minor unit.
    let offer = s.offer(&app, &ask("JPY")).await;
    assert_eq!(offer["userSpecifiedCurrencyTotal"]["currency"], "JPY");
    assert_eq!(
        offer["price"]["list"][0]["userSpecifiedCurrencyRate"],
        money(8714.0, "JPY")
    );
}

on_both_engines!(
    rates_are_kept_by_date_and_the_newest_is_used,
    offers_and_bookings_in_three_currencies,
    currencies_without_a_rate_are_refused
);
