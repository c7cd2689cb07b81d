//! Who is booking, as the geography, code and network qualifiers see them, and how each of
//! those qualifiers matches.
//!
//! Text is compared ignoring ASCII case and surrounding spaces, because it comes from
//! geo-IP databases, browsers and people typing codes, none of which agree on case. A
//! qualifier that needs something the booker did not give (no IP, no country...) does not
//! match: a promotion restricted to Thai bookers is not given to a booker of unknown origin.

use std::net::IpAddr;

use super::qualifiers::{City, IpRange};

/// What the request says about the booker (contract `VerifyRatesRequest`: `promotion`,
/// `continent`, `country`, `city`, `timezone`, `ipNumber`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Booker {
    /// Promotion codes the booker entered.
    pub promotion_codes: Vec<String>,
    /// Continent code (`AS`) or name (`Asia`).
    pub continent: Option<String>,
    /// ISO 3166 alpha-2 country code.
    pub country: Option<String>,
    /// GeoNames id of the booker's city.
    pub city_geo_name_id: Option<String>,
    pub city_name: Option<String>,
    /// IANA time-zone name.
    pub time_zone: Option<String>,
    pub ip: Option<IpAddr>,
}

/// The seven GeoNames continents: code and name.
const CONTINENTS: [(&str, &str); 7] = [
    ("AF", "Africa"),
    ("AN", "Antarctica"),
    ("AS", "Asia"),
    ("EU", "Europe"),
    ("NA", "North America"),
    ("OC", "Oceania"),
    ("SA", "South America"),
];

/// The continent code for a code or a name, `None` for anything else.
pub(super) fn continent_code(text: &str) -> Option<&'static str> {
    CONTINENTS
        .iter()
        .find(|(code, name)| same(code, text) || same(name, text))
        .map(|(code, _)| *code)
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Booker {
    /// The first of `codes` (as the property wrote it) that the booker entered.
    pub(crate) fn entered<'c>(&self, codes: &'c [String]) -> Option<&'c String> {
        codes.iter().find(|code| {
            self.promotion_codes
                .iter()
                .any(|entered| same(entered, code))
        })
    }

    pub(super) fn in_continent(&self, continents: &[String]) -> bool {
        let Some(booker) = given(&self.continent).and_then(continent_code) else {
            return false;
        };
        continents
            .iter()
            .any(|continent| continent_code(continent) == Some(booker))
    }

    pub(super) fn in_country(&self, countries: &[String]) -> bool {
        given(&self.country).is_some_and(|booker| countries.iter().any(|c| same(c, booker)))
    }

    /// By GeoNames id when the booker's is known (two Springfields share a name and a
    /// country, never an id); otherwise by city name and country.
    pub(super) fn in_city(&self, cities: &[City]) -> bool {
        match given(&self.city_geo_name_id) {
            Some(id) => cities.iter().any(|city| same(&city.geo_name_id, id)),
            None => match (given(&self.city_name), given(&self.country)) {
                (Some(name), Some(country)) => cities
                    .iter()
                    .any(|city| same(&city.name, name) && same(&city.country, country)),
                _ => false,
            },
        }
    }

    /// IANA names compared as text: links such as `Asia/Saigon` are not resolved to
    /// `Asia/Ho_Chi_Minh`; list both if both occur.
    pub(super) fn in_time_zone(&self, zones: &[String]) -> bool {
        given(&self.time_zone).is_some_and(|booker| zones.iter().any(|z| same(z, booker)))
    }

    pub(super) fn in_ip_range(&self, ranges: &[IpRange]) -> bool {
        self.ip
            .is_some_and(|ip| ranges.iter().any(|range| range.contains(ip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn city(id: &str, name: &str, country: &str) -> City {
        City {
            geo_name_id: id.into(),
            name: name.into(),
            country: country.into(),
        }
    }

    #[test]
    fn codes_match_ignoring_case_and_spaces_and_report_the_propertys_spelling() {
        let booker = Booker {
            promotion_codes: strings(&[" summer26 "]),
            ..Booker::default()
        };
        let codes = strings(&["WINTER", "Summer26"]);
        assert_eq!(booker.entered(&codes).map(String::as_str), Some("Summer26"));
        assert_eq!(booker.entered(&strings(&["SUMMER"])), None);
        assert_eq!(Booker::default().entered(&codes), None);
    }

    #[test]
    fn continents_match_by_code_or_name_either_way() {
        let by_code = Booker {
            continent: Some("na".into()),
            ..Booker::default()
        };
        let by_name = Booker {
            continent: Some("North America".into()),
            ..Booker::default()
        };
        for booker in [&by_code, &by_name] {
            assert!(booker.in_continent(&strings(&["NA"])));
            assert!(booker.in_continent(&strings(&["EU", "north america"])));
            assert!(!booker.in_continent(&strings(&["SA", "South America"])));
        }
        assert!(!Booker::default().in_continent(&strings(&["NA"])));
        let unknown = Booker {
            continent: Some("Atlantis".into()),
            ..Booker::default()
        };
        assert!(!unknown.in_continent(&strings(&["Atlantis"])));
        assert_eq!(continent_code(" oceania "), Some("OC"));
    }

    #[test]
    fn countries_match_iso_codes() {
        let booker = Booker {
            country: Some("th".into()),
            ..Booker::default()
        };
        assert!(booker.in_country(&strings(&["FR", "TH"])));
        assert!(!booker.in_country(&strings(&["FR"])));
        assert!(!Booker::default().in_country(&strings(&["TH"])));
    }

    #[test]
    fn cities_match_by_id_when_known_else_by_name_and_country() {
        let springfield_il = city("4250542", "Springfield", "US");
        let with_id = Booker {
            city_geo_name_id: Some("4409896".into()), // Springfield, Missouri
            city_name: Some("Springfield".into()),
            country: Some("US".into()),
            ..Booker::default()
        };
        assert!(!with_id.in_city(std::slice::from_ref(&springfield_il)));
        assert!(with_id.in_city(&[city("4409896", "Springfield", "US")]));
        let by_name = Booker {
            city_name: Some("springfield".into()),
            country: Some("us".into()),
            ..Booker::default()
        };
        assert!(by_name.in_city(std::slice::from_ref(&springfield_il)));
        let other_country = Booker {
            country: Some("AU".into()),
            ..by_name.clone()
        };
        assert!(!other_country.in_city(std::slice::from_ref(&springfield_il)));
        let name_only = Booker {
            country: None,
            ..by_name
        };
        assert!(!name_only.in_city(&[springfield_il]));
    }

    #[test]
    fn time_zones_and_ips_need_the_bookers_value() {
        let booker = Booker {
            time_zone: Some("asia/bangkok".into()),
            ip: Some("203.0.113.7".parse().unwrap()),
            ..Booker::default()
        };
        assert!(booker.in_time_zone(&strings(&["Asia/Bangkok"])));
        assert!(!booker.in_time_zone(&strings(&["Asia/Ho_Chi_Minh"])));
        assert!(!Booker::default().in_time_zone(&strings(&["Asia/Bangkok"])));
        let range = |start: &str, end: &str| IpRange {
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
        };
        assert!(booker.in_ip_range(&[
            range("10.0.0.0", "10.0.0.9"),
            range("203.0.113.0", "203.0.113.7")
        ]));
        assert!(!booker.in_ip_range(&[range("203.0.113.8", "203.0.113.255")]));
        assert!(!Booker::default().in_ip_range(&[range("0.0.0.0", "255.255.255.255")]));
    }
}
