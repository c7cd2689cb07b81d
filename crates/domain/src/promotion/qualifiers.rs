//! The conditions a booking must meet for a promotion to apply (the contract's
//! `*RateQualifier*` fields and `blackoutDates`), and their validation.
//!
//! What each one means, and whether it is read per night or for the whole stay, is on its
//! field; the checks live in `applicability`. An absent qualifier or an empty list
//! restricts nothing. Where the contract says 0 means "no limit" (`minLOS`, `maxLOS`, the
//! advance offsets, `maxRooms`) the value is kept as sent and read that way.

use std::net::IpAddr;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::booker::continent_code;
use crate::error::DomainError;
use crate::rate_plan::DaysOfWeek;

/// An inclusive date period, `effective ..= expire` (contract `effectiveDate`/`expireDate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub effective: NaiveDate,
    pub expire: NaiveDate,
}

impl Period {
    pub fn new(effective: NaiveDate, expire: NaiveDate) -> Period {
        Period { effective, expire }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.effective <= date && date <= self.expire
    }
}

/// Days between the booking date and the arrival (contract `advanceBookingRateQualifier`);
/// 0 means no limit on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AdvanceBooking {
    pub min_days: u32,
    pub max_days: u32,
}

/// Nights of the stay (contract `lengthOfStayRateQualifier`); 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LengthOfStay {
    pub min_los: u32,
    pub max_los: u32,
}

/// Rooms in the whole booking (contract `roomRangeRateQualifier`); a `max_rooms` of `None`
/// or 0 means no upper limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomRange {
    pub min_rooms: u32,
    pub max_rooms: Option<u32>,
}

/// A city of the booker (contract `cityRateQualifiers[].city`, a GeoNames city).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct City {
    /// GeoNames id: decides when the booker's city id is known too.
    pub geo_name_id: String,
    /// City name and ISO 3166 alpha-2 country: decide when the booker's city id is unknown.
    pub name: String,
    pub country: String,
}

/// Booker addresses `start ..= end`, both of one family (IPv4 or IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    pub start: IpAddr,
    pub end: IpAddr,
}

impl IpRange {
    /// Whether `ip` is inside; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a dual-stack
    /// socket reports for an IPv4 client) counts as the IPv4 address it carries.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.start.to_canonical() <= ip && ip <= self.end.to_canonical()
    }
}

/// Every condition of one promotion. `Default` is "no condition at all".
///
/// NIGHT scope (the promotion covers only the nights that pass; it applies when at least
/// one does): `stay_dates`, `blackout_dates`, `available_days`. Every other qualifier is
/// about the whole booking and either passes or blocks the promotion for the stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qualifiers {
    /// NIGHT scope: a night is covered when it falls inside one of the periods. The contract
    /// words these periods by the stay's start; read per night they agree with it for any
    /// stay inside a period, and a "December" deal does not discount the January nights of a
    /// stay arriving on 30 December.
    pub stay_dates: Vec<Period>,
    /// The booking date (property-local) falls inside one of the periods.
    pub sell_dates: Vec<Period>,
    /// NIGHT scope: a night inside any period is not covered. Only those nights lose the
    /// promotion; the rest of the stay keeps it (a blackout is about dates, not stays).
    pub blackout_dates: Vec<Period>,
    /// Arrival − booking date, in days, within the limits.
    pub advance_booking: Option<AdvanceBooking>,
    /// The booking instant is at most this many seconds before the start of the arrival day
    /// (property-local midnight), or after it (a same-day booking).
    pub last_minute_seconds: Option<u64>,
    pub length_of_stay: Option<LengthOfStay>,
    /// NIGHT scope: a night is covered when its weekday is allowed (a "weekend nights"
    /// deal on a Thursday-to-Sunday stay discounts Friday and Saturday).
    pub available_days: Option<DaysOfWeek>,
    /// The arrival date's weekday is allowed.
    pub arrival_days: Option<DaysOfWeek>,
    /// The departure date's weekday is allowed.
    pub departure_days: Option<DaysOfWeek>,
    /// At least one night falls on an allowed weekday.
    pub required_days: Option<DaysOfWeek>,
    /// Rooms of the whole booking, every room configuration together.
    pub room_range: Option<RoomRange>,
    /// `true`: prepaid rate plans only; `false`: pay-at-property plans only.
    pub prepay: Option<bool>,
    /// `true`: refundable rate plans only; `false`: non-refundable plans only.
    pub refundable: Option<bool>,
    /// The booker entered one of these codes (case-insensitive, surrounding spaces ignored).
    pub promotion_codes: Vec<String>,
    /// Continent codes (`EU`) or names (`Europe`), either matching either.
    pub continents: Vec<String>,
    /// ISO 3166 alpha-2 country codes.
    pub countries: Vec<String>,
    pub cities: Vec<City>,
    /// IANA time-zone names of the booker's location.
    pub time_zones: Vec<String>,
    pub ip_ranges: Vec<IpRange>,
}

/// The contract's "0 means no limit".
pub(super) fn limit(value: u32) -> Option<u32> {
    (value != 0).then_some(value)
}

impl Qualifiers {
    /// Refuses qualifiers that contradict themselves or can never match, naming the contract
    /// field (`lengthOfStayRateQualifier.maxLOS`, `ipRangeRateQualifiers[1].endIPRange`, ...):
    /// such a promotion would be stored fine and then silently never apply.
    pub fn validate(&self) -> Result<(), DomainError> {
        periods("stayDateRateQualifiers", &self.stay_dates)?;
        periods("sellDateRateQualifiers", &self.sell_dates)?;
        periods("blackoutDates", &self.blackout_dates)?;
        if let Some(advance) = self.advance_booking {
            ordered(
                "advanceBookingRateQualifier.maxAdvanceBookingOffset",
                "minAdvanceBookingOffset",
                advance.min_days,
                limit(advance.max_days),
            )?;
        }
        if let Some(los) = self.length_of_stay {
            ordered(
                "lengthOfStayRateQualifier.maxLOS",
                "minLOS",
                los.min_los,
                limit(los.max_los),
            )?;
        }
        if let Some(range) = self.room_range {
            if range.min_rooms == 0 {
                return Err(DomainError::invalid(
                    "roomRangeRateQualifier.minRooms",
                    "must be at least 1",
                ));
            }
            ordered(
                "roomRangeRateQualifier.maxRooms",
                "minRooms",
                range.min_rooms,
                range.max_rooms.and_then(limit),
            )?;
        }
        self.validate_lists()
    }

    fn validate_lists(&self) -> Result<(), DomainError> {
        for (i, code) in self.promotion_codes.iter().enumerate() {
            if code.trim().is_empty() {
                return Err(invalid(
                    "promotionRateQualifiers",
                    i,
                    "promotion",
                    "must not be blank",
                ));
            }
        }
        for (i, continent) in self.continents.iter().enumerate() {
            if continent_code(continent).is_none() {
                return Err(invalid(
                    "continentRateQualifiers",
                    i,
                    "continent",
                    format!(
                        "`{continent}` is not a continent code (AF, AN, AS, EU, NA, OC, SA) or name"
                    ),
                ));
            }
        }
        for (i, country) in self.countries.iter().enumerate() {
            if !is_country_code(country) {
                return Err(invalid(
                    "countryRateQualifiers",
                    i,
                    "country.countryIsoCode",
                    COUNTRY,
                ));
            }
        }
        for (i, city) in self.cities.iter().enumerate() {
            if city.geo_name_id.trim().is_empty() {
                return Err(invalid(
                    "cityRateQualifiers",
                    i,
                    "city.geoNameId",
                    "must not be blank",
                ));
            }
            if city.name.trim().is_empty() {
                return Err(invalid(
                    "cityRateQualifiers",
                    i,
                    "city.cityName",
                    "must not be blank",
                ));
            }
            if !is_country_code(&city.country) {
                return Err(invalid(
                    "cityRateQualifiers",
                    i,
                    "city.countryIsoCode",
                    COUNTRY,
                ));
            }
        }
        for (i, zone) in self.time_zones.iter().enumerate() {
            if zone.parse::<Tz>().is_err() {
                return Err(invalid(
                    "timezoneRateQualifiers",
                    i,
                    "timezone",
                    format!("`{zone}` is not an IANA time-zone name"),
                ));
            }
        }
        for (i, range) in self.ip_ranges.iter().enumerate() {
            let (start, end) = (range.start.to_canonical(), range.end.to_canonical());
            if start.is_ipv4() != end.is_ipv4() {
                return Err(invalid(
                    "ipRangeRateQualifiers",
                    i,
                    "endIPRange",
                    "must be of the same IP version as startIPRange",
                ));
            }
            if end < start {
                return Err(invalid(
                    "ipRangeRateQualifiers",
                    i,
                    "endIPRange",
                    format!("{end} is before startIPRange {start}"),
                ));
            }
        }
        Ok(())
    }
}

const COUNTRY: &str = "must be an ISO 3166 alpha-2 country code";

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic())
}

fn invalid(list: &str, index: usize, field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(format!("{list}[{index}].{field}"), message)
}

fn periods(list: &str, periods: &[Period]) -> Result<(), DomainError> {
    match periods.iter().position(|p| p.expire < p.effective) {
        Some(i) => Err(invalid(
            list,
            i,
            "expireDate",
            format!(
                "{} is before effectiveDate {}",
                periods[i].expire, periods[i].effective
            ),
        )),
        None => Ok(()),
    }
}

fn ordered(
    max_field: &'static str,
    min_field: &str,
    min: u32,
    max: Option<u32>,
) -> Result<(), DomainError> {
    match max {
        Some(max) if max < min => Err(DomainError::invalid(
            max_field,
            format!("{max} is below {min_field} {min} (0 means no maximum)"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;

    fn field(qualifiers: Qualifiers) -> String {
        qualifiers.validate().unwrap_err().field().to_owned()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn no_qualifier_is_valid() {
        assert_eq!(Qualifiers::default().validate(), Ok(()));
    }

    #[test]
    fn periods_must_not_expire_before_they_start() {
        let bad = Period::new(date("2026-02-01"), date("2026-01-31"));
        let good = Period::new(date("2026-01-31"), date("2026-01-31"));
        let q = |periods: Vec<Period>| Qualifiers {
            stay_dates: periods,
            ..Qualifiers::default()
        };
        assert_eq!(q(vec![good]).validate(), Ok(()));
        assert_eq!(
            field(q(vec![good, bad])),
            "stayDateRateQualifiers[1].expireDate"
        );
        let sell = Qualifiers {
            sell_dates: vec![bad],
            ..Qualifiers::default()
        };
        assert_eq!(field(sell), "sellDateRateQualifiers[0].expireDate");
        let blackout = Qualifiers {
            blackout_dates: vec![bad],
            ..Qualifiers::default()
        };
        assert_eq!(field(blackout), "blackoutDates[0].expireDate");
    }

    #[test]
    fn maxima_below_minima_are_refused_but_zero_is_no_maximum() {
        let los = |min_los, max_los| Qualifiers {
            length_of_stay: Some(LengthOfStay { min_los, max_los }),
            ..Qualifiers::default()
        };
        assert_eq!(field(los(3, 2)), "lengthOfStayRateQualifier.maxLOS");
        assert_eq!(los(3, 0).validate(), Ok(()));
        assert_eq!(los(3, 3).validate(), Ok(()));
        let advance = |min_days, max_days| Qualifiers {
            advance_booking: Some(AdvanceBooking { min_days, max_days }),
            ..Qualifiers::default()
        };
        assert_eq!(
            field(advance(10, 9)),
            "advanceBookingRateQualifier.maxAdvanceBookingOffset"
        );
        assert_eq!(advance(10, 0).validate(), Ok(()));
        let rooms = |min_rooms, max_rooms| Qualifiers {
            room_range: Some(RoomRange {
                min_rooms,
                max_rooms,
            }),
            ..Qualifiers::default()
        };
        assert_eq!(field(rooms(3, Some(2))), "roomRangeRateQualifier.maxRooms");
        assert_eq!(field(rooms(0, None)), "roomRangeRateQualifier.minRooms");
        assert_eq!(rooms(3, Some(0)).validate(), Ok(()));
        assert_eq!(rooms(3, None).validate(), Ok(()));
    }

    #[test]
    fn geography_must_be_recognisable() {
        let continents = |names: &[&str]| Qualifiers {
            continents: names.iter().map(|n| n.to_string()).collect(),
            ..Qualifiers::default()
        };
        assert_eq!(
            continents(&["EU", "north america", "oc"]).validate(),
            Ok(())
        );
        assert_eq!(
            field(continents(&["EU", "Atlantis"])),
            "continentRateQualifiers[1].continent"
        );
        let countries = Qualifiers {
            countries: vec!["TH".into(), "THA".into()],
            ..Qualifiers::default()
        };
        assert_eq!(
            field(countries),
            "countryRateQualifiers[1].country.countryIsoCode"
        );
        let city = |id: &str, name: &str, country: &str| Qualifiers {
            cities: vec![City {
                geo_name_id: id.into(),
                name: name.into(),
                country: country.into(),
            }],
            ..Qualifiers::default()
        };
        assert_eq!(city("1609350", "Bangkok", "TH").validate(), Ok(()));
        assert_eq!(
            field(city(" ", "Bangkok", "TH")),
            "cityRateQualifiers[0].city.geoNameId"
        );
        assert_eq!(
            field(city("1", "", "TH")),
            "cityRateQualifiers[0].city.cityName"
        );
        assert_eq!(
            field(city("1", "Bangkok", "")),
            "cityRateQualifiers[0].city.countryIsoCode"
        );
        let zones = Qualifiers {
            time_zones: vec!["Asia/Bangkok".into(), "Mars/Olympus".into()],
            ..Qualifiers::default()
        };
        assert_eq!(field(zones), "timezoneRateQualifiers[1].timezone");
        let codes = Qualifiers {
            promotion_codes: vec!["SUMMER".into(), "  ".into()],
            ..Qualifiers::default()
        };
        assert_eq!(field(codes), "promotionRateQualifiers[1].promotion");
    }

    #[test]
    fn ip_ranges_are_ordered_and_of_one_version() {
        let ranges = |start: &str, end: &str| Qualifiers {
            ip_ranges: vec![IpRange {
                start: ip(start),
                end: ip(end),
            }],
            ..Qualifiers::default()
        };
        assert_eq!(ranges("10.0.0.0", "10.0.0.255").validate(), Ok(()));
        assert_eq!(ranges("10.0.0.7", "10.0.0.7").validate(), Ok(()));
        assert_eq!(ranges("2001:db8::", "2001:db8::ffff").validate(), Ok(()));
        assert_eq!(ranges("::ffff:10.0.0.0", "10.0.0.9").validate(), Ok(()));
        assert_eq!(
            field(ranges("10.0.0.9", "10.0.0.1")),
            "ipRangeRateQualifiers[0].endIPRange"
        );
        assert_eq!(
            field(ranges("10.0.0.1", "2001:db8::")),
            "ipRangeRateQualifiers[0].endIPRange"
        );
    }

    #[test]
    fn ip_range_is_inclusive_and_reads_mapped_ipv4_as_ipv4() {
        let range = IpRange {
            start: ip("192.0.2.10"),
            end: ip("192.0.2.20"),
        };
        assert!(range.contains(ip("192.0.2.10")) && range.contains(ip("192.0.2.20")));
        assert!(!range.contains(ip("192.0.2.9")) && !range.contains(ip("192.0.2.21")));
        assert!(range.contains(ip("::ffff:192.0.2.15")));
        assert!(!range.contains(ip("2001:db8::1")));
        let v6 = IpRange {
            start: ip("2001:db8::"),
            end: ip("2001:db8::ff"),
        };
        assert!(v6.contains(ip("2001:db8::80")) && !v6.contains(ip("2001:db8::100")));
        assert!(!v6.contains(ip("192.0.2.15")));
    }

    #[test]
    fn a_period_contains_both_ends() {
        let p = Period::new(date("2026-12-01"), date("2026-12-03"));
        assert!(p.contains(date("2026-12-01")) && p.contains(date("2026-12-03")));
        assert!(!p.contains(date("2026-11-30")) && !p.contains(date("2026-12-04")));
    }

    #[test]
    fn zero_is_no_limit() {
        assert_eq!(limit(0), None);
        assert_eq!(limit(4), Some(4));
    }
}
