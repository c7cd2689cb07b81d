//! ISO 4217 currencies and their minor units.
//!
//! The table is ISO 4217 List One as published on 2026-01-01 (so BGN, HRK, ANG, SLL, ZWL and
//! CUC are gone; XCG, SLE, VED and ZWG are in), restricted to the money of countries and
//! territories, fund codes included (CLF and UYW carry four decimals). Left out on purpose:
//! units of account (XDR, XSU, XUA, XAD), precious metals, bond-market units, XTS and XXX, because
//! no property prices a room in them. When ISO amends the list, edit [`ISO_4217`]; the tests keep it
//! sorted and free of duplicates.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

/// Active alphabetic codes with their minor units, sorted by code for binary search.
#[rustfmt::skip]
const ISO_4217: &[(&str, u32)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2),
    ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BHD", 3), ("BIF", 0),
    ("BMD", 2), ("BND", 2), ("BOB", 2), ("BOV", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2),
    ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHE", 2), ("CHF", 2),
    ("CHW", 2), ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 2), ("COU", 2), ("CRC", 2),
    ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2),
    ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2), ("GBP", 2),
    ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2),
    ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2),
    ("IQD", 3), ("IRR", 2), ("ISK", 0), ("JMD", 2), ("JOD", 3), ("JPY", 0), ("KES", 2),
    ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2),
    ("KZT", 2), ("LAK", 2), ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3),
    ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2),
    ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MXV", 2), ("MYR", 2),
    ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2),
    ("OMR", 3), ("PAB", 2), ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2),
    ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0), ("SAR", 2),
    ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2),
    ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2),
    ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2),
    ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 0),
    ("UYU", 2), ("UYW", 4), ("UZS", 2), ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0),
    ("WST", 2), ("XAF", 0), ("XCD", 2), ("XCG", 2), ("XOF", 0), ("XPF", 0), ("YER", 2),
    ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// Wire name used when a currency code arrives without a more specific field.
const DEFAULT_FIELD: &str = "currencyCode";

/// An active ISO 4217 currency. Only [`Currency::parse`] makes one, so holding a `Currency`
/// proves the code is in the table and its minor units are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

impl Currency {
    /// Parses a code reported, if refused, under the field `currencyCode`.
    pub fn parse(code: &str) -> Result<Currency, DomainError> {
        Currency::parse_field(code, DEFAULT_FIELD)
    }

    /// Parses a code and reports a refusal under `field`. Codes are upper case exactly as
    /// the contract's pattern `^[A-Z]{3}$` says; `usd` is refused rather than guessed.
    pub fn parse_field(code: &str, field: &'static str) -> Result<Currency, DomainError> {
        ISO_4217
            .binary_search_by(|(candidate, _)| (*candidate).cmp(code))
            .map(|at| {
                let (code, minor_units) = ISO_4217[at];
                Currency { code, minor_units }
            })
            .map_err(|_| {
                DomainError::invalid(
                    field,
                    format!("`{code}` is not an active ISO 4217 currency code"),
                )
            })
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Decimal places of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD.
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl FromStr for Currency {
    type Err = DomainError;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::parse(code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        for pair in ISO_4217.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, units) in ISO_4217 {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(*units <= 4, "{code}");
        }
    }

    #[test]
    fn minor_units_follow_iso() {
        let units = |code| Currency::parse(code).unwrap().minor_units();
        for code in ["EUR", "USD", "THB", "GBP", "CHF"] {
            assert_eq!(units(code), 2, "{code}");
        }
        for code in [
            "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG", "RWF", "KMF",
            "GNF", "DJF", "BIF", "VUV",
        ] {
            assert_eq!(units(code), 0, "{code}");
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] {
            assert_eq!(units(code), 3, "{code}");
        }
        assert_eq!(units("CLF"), 4);
        assert_eq!(units("UYW"), 4);
    }

    #[test]
    fn refuses_unknown_withdrawn_and_non_monetary_codes() {
        for code in [
            "", "US", "USDX", "usd", "Eur", "ABC", "BGN", "HRK", "ANG", "XAU", "XXX",
        ] {
            let err = Currency::parse(code).unwrap_err();
            assert_eq!(err.field(), "currencyCode", "{code}");
        }
        let err = Currency::parse_field("ZZZ", "fixedAmount.currency").unwrap_err();
        assert_eq!(err.field(), "fixedAmount.currency");
        assert!(err.message().contains("ZZZ"));
    }

    #[test]
    fn displays_and_parses_as_its_code() {
        let thb: Currency = "THB".parse().unwrap();
        assert_eq!(thb.code(), "THB");
        assert_eq!(thb.to_string(), "THB");
    }

    #[test]
    fn serde_uses_the_code_string() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(serde_json::to_string(&eur).unwrap(), "\"EUR\"");
        assert_eq!(serde_json::from_str::<Currency>("\"EUR\"").unwrap(), eur);
        assert!(serde_json::from_str::<Currency>("\"EURO\"").is_err());
    }
}
