//! Whether a bundle can ever apply. A bundle applies only when every one of its items applies
//! to the same stay, booker and booking date, on a common night (see `applicability`), so
//! items whose conditions exclude each other make a bundle that never applies.
//! [`Bundle::never_applies`] finds those contradictions without a stay to quote.
//!
//! The analysis is SOUND, not complete: every reason it reports proves that no stay, booker or
//! booking date can get the bundle; a bundle it passes may still never meet a real booking
//! (say, a stay-date period too short for the items' length-of-stay window). It checks the
//! bundle's distinct items together:
//! - every item is one of the given promotions;
//! - the items and the override price room nights (no hourly pricing type);
//! - some master rate of the property is in every item's master-rate and rate-plan lists;
//! - prepay and refundable qualifiers do not demand opposites;
//! - a single booker can match every continent, country, city, time-zone and IP-range list;
//! - one booking date can be in every item's sell-date periods;
//! - the advance-booking windows overlap, also with the last-minute limits: a booking at most
//!   `seconds` before the arrival day starts is at most ⌈(seconds + 2 h) / 24 h⌉ days ahead
//!   (the 2 h cover any daylight-saving shift in between);
//! - the length-of-stay and room-range windows overlap; the arrival and the departure weekday
//!   patterns share a day;
//! - some night is inside every item's stay-date periods, outside every item's blackout dates,
//!   and on a weekday every item's available days allow.
//!
//! `enabled` is not read: a disabled bundle or item is switched off, not contradictory.

use std::collections::HashSet;
use std::hash::Hash;

use chrono::{Datelike, NaiveDate, Weekday};
use uuid::Uuid;

use super::booker::continent_code;
use super::qualifiers::limit;
use super::{Bundle, NotApplicable, Period, Promotion, Qualifiers};
use crate::rate_plan::DaysOfWeek;

/// Something a promotion can be quoted for: a master rate and the rate plan it sells under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Product {
    pub master_rate_id: Uuid,
    pub rate_plan_id: Uuid,
}

/// How far a day can be from 24 hours long (a daylight-saving change), with room to spare.
const DST_SLACK_SECONDS: u64 = 2 * 3600;
const DAY_SECONDS: u64 = 24 * 3600;

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl Bundle {
    /// Every reason the bundle can never apply (empty when some stay could get it), with its
    /// items looked up in `promotions` and the property's master rates as `products`. See the
    /// module documentation for what is checked.
    pub fn never_applies(
        &self,
        promotions: &[Promotion],
        products: &[Product],
    ) -> Vec<NotApplicable> {
        use NotApplicable::*;
        let mut reasons = Vec::new();
        let ids = self.distinct_items();
        if ids.len() < 2 {
            reasons.push(BundleItems);
        }
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            match promotions.iter().find(|p| p.id == id) {
                Some(item) => items.push(item),
                None => reasons.push(BundleItemMissing { id }),
            }
        }
        let hourly_override = self
            .modifier_override
            .is_some_and(|o| o.pricing_type.scope().is_none());
        if hourly_override || items.iter().any(|p| p.pricing_type.scope().is_none()) {
            reasons.push(HourlyPricing);
        }
        if let Some(reason) = no_common_product(&items, products) {
            reasons.push(reason);
        }
        let qualifiers: Vec<&Qualifiers> = items.iter().map(|p| &p.qualifiers).collect();
        let checks = [
            (opposite(qualifiers.iter().filter_map(|q| q.prepay)), Prepay),
            (
                opposite(qualifiers.iter().filter_map(|q| q.refundable)),
                Refundable,
            ),
            (
                disjoint(qualifiers.iter().map(|q| {
                    q.continents
                        .iter()
                        .filter_map(|c| continent_code(c))
                        .collect()
                })),
                Continent,
            ),
            (
                disjoint(
                    qualifiers
                        .iter()
                        .map(|q| q.countries.iter().map(|c| folded(c)).collect()),
                ),
                Country,
            ),
            (
                disjoint(qualifiers.iter().map(|q| {
                    q.cities
                        .iter()
                        .map(|c| folded(&c.geo_name_id))
                        .collect::<HashSet<_>>()
                })) && disjoint(qualifiers.iter().map(|q| {
                    q.cities
                        .iter()
                        .map(|c| (folded(&c.name), folded(&c.country)))
                        .collect::<HashSet<_>>()
                })),
                City,
            ),
            (
                disjoint(
                    qualifiers
                        .iter()
                        .map(|q| q.time_zones.iter().map(|z| folded(z)).collect()),
                ),
                TimeZone,
            ),
            (
                qualifiers.iter().any(|q| !q.ip_ranges.is_empty())
                    && common(
                        qualifiers
                            .iter()
                            .filter(|q| !q.ip_ranges.is_empty())
                            .map(|q| {
                                q.ip_ranges
                                    .iter()
                                    .map(|r| (r.start.to_canonical(), r.end.to_canonical()))
                                    .collect()
                            }),
                    )
                    .is_empty(),
                IpRange,
            ),
            (
                qualifiers.iter().any(|q| !q.sell_dates.is_empty())
                    && common(
                        qualifiers
                            .iter()
                            .filter(|q| !q.sell_dates.is_empty())
                            .map(|q| spans(&q.sell_dates)),
                    )
                    .is_empty(),
                SellDates,
            ),
            (
                empty_window(
                    qualifiers
                        .iter()
                        .filter_map(|q| q.advance_booking.map(|a| (a.min_days, limit(a.max_days)))),
                ),
                AdvanceBooking,
            ),
            (
                empty_window(
                    qualifiers
                        .iter()
                        .filter_map(|q| q.advance_booking.map(|a| (a.min_days, limit(a.max_days))))
                        .chain(qualifiers.iter().filter_map(|q| {
                            q.last_minute_seconds
                                .map(|s| (0, Some(last_minute_days(s))))
                        })),
                ),
                LastMinute,
            ),
            (
                empty_window(
                    qualifiers
                        .iter()
                        .filter_map(|q| q.length_of_stay.map(|l| (l.min_los, limit(l.max_los))))
                        .chain([(1, None)]),
                ),
                LengthOfStay,
            ),
            (
                empty_window(
                    qualifiers
                        .iter()
                        .filter_map(|q| {
                            q.room_range
                                .map(|r| (r.min_rooms, r.max_rooms.and_then(limit)))
                        })
                        .chain([(1, None)]),
                ),
                RoomRange,
            ),
            (
                no_weekday(qualifiers.iter().filter_map(|q| q.arrival_days)),
                ArrivalDays,
            ),
            (
                no_weekday(qualifiers.iter().filter_map(|q| q.departure_days)),
                DepartureDays,
            ),
        ];
        // The last-minute check includes the advance windows: report it only when they alone
        // leave a common window.
        let advance_failed = checks.iter().any(|(f, r)| *f && *r == AdvanceBooking);
        reasons.extend(
            checks
                .into_iter()
                .filter(|(fails, reason)| *fails && !(advance_failed && *reason == LastMinute))
                .map(|(_, reason)| reason),
        );
        if !items.is_empty() && !common_night(&items) {
            reasons.push(NoCommonNight);
        }
        reasons
    }
}

/// `None` when some product is in every item's lists (an empty list takes all).
fn no_common_product(items: &[&Promotion], products: &[Product]) -> Option<NotApplicable> {
    let open = |ids: &[Uuid], id: Uuid| ids.is_empty() || ids.contains(&id);
    if items
        .iter()
        .all(|p| p.master_rate_ids.is_empty() && p.rate_plan_ids.is_empty())
    {
        return None;
    }
    let fits = products.iter().any(|product| {
        items.iter().all(|p| {
            open(&p.master_rate_ids, product.master_rate_id)
                && open(&p.rate_plan_ids, product.rate_plan_id)
        })
    });
    match fits {
        true => None,
        false if items.iter().any(|p| !p.master_rate_ids.is_empty()) => {
            Some(NotApplicable::MasterRate)
        }
        false => Some(NotApplicable::RatePlan),
    }
}

/// Text as the booker qualifiers compare it: surrounding spaces and ASCII case ignored.
fn folded(text: &str) -> String {
    text.trim().to_ascii_lowercase()
}

/// Both `true` and `false` are demanded.
fn opposite(values: impl Iterator<Item = bool>) -> bool {
    let values: HashSet<bool> = values.collect();
    values.len() == 2
}

/// Some items restrict the value to a set (an empty set restricts nothing) and no value is in
/// all of them.
fn disjoint<T: Eq + Hash>(sets: impl Iterator<Item = HashSet<T>>) -> bool {
    let mut common: Option<HashSet<T>> = None;
    for set in sets.filter(|s| !s.is_empty()) {
        common = Some(match common {
            None => set,
            Some(common) => common.into_iter().filter(|v| set.contains(v)).collect(),
        });
    }
    common.is_some_and(|c| c.is_empty())
}

/// Windows `min ..= max` (`None`: no maximum) that no value satisfies together.
fn empty_window(windows: impl Iterator<Item = (u32, Option<u32>)>) -> bool {
    let (mut low, mut high) = (0u32, None::<u32>);
    for (min, max) in windows {
        low = low.max(min);
        high = match (high, max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    high.is_some_and(|high| high < low)
}

/// The most days ahead of the arrival a booking within the last-minute limit can be made.
fn last_minute_days(seconds: u64) -> u32 {
    let days = seconds
        .saturating_add(DST_SLACK_SECONDS)
        .div_ceil(DAY_SECONDS);
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// The weekdays every set pattern allows.
fn allowed_weekdays(patterns: impl Iterator<Item = DaysOfWeek>) -> Vec<Weekday> {
    let patterns: Vec<DaysOfWeek> = patterns.collect();
    WEEK.into_iter()
        .filter(|day| patterns.iter().all(|p| p.allows(*day)))
        .collect()
}

fn no_weekday(patterns: impl Iterator<Item = DaysOfWeek>) -> bool {
    allowed_weekdays(patterns).is_empty()
}

/// Whether some night is inside every item's stay-date periods (when it has any), outside
/// every blackout, on a weekday all available-day patterns allow.
fn common_night(items: &[&Promotion]) -> bool {
    let weekdays = allowed_weekdays(items.iter().filter_map(|p| p.qualifiers.available_days));
    if weekdays.is_empty() {
        return false;
    }
    let stays = if items.iter().all(|p| p.qualifiers.stay_dates.is_empty()) {
        vec![(NaiveDate::MIN, NaiveDate::MAX)]
    } else {
        common(
            items
                .iter()
                .filter(|p| !p.qualifiers.stay_dates.is_empty())
                .map(|p| spans(&p.qualifiers.stay_dates)),
        )
    };
    let blackouts = normalized(
        items
            .iter()
            .flat_map(|p| spans(&p.qualifiers.blackout_dates))
            .collect(),
    );
    without(&stays, &blackouts).into_iter().any(|(from, to)| {
        // Seven consecutive nights hold every weekday.
        (to - from).num_days() >= 6
            || from
                .iter_days()
                .take_while(|night| *night <= to)
                .any(|night| weekdays.contains(&night.weekday()))
    })
}

fn spans(periods: &[Period]) -> Vec<(NaiveDate, NaiveDate)> {
    normalized(periods.iter().map(|p| (p.effective, p.expire)).collect())
}

/// Closed intervals sorted and merged where they overlap (empty ones dropped).
fn normalized<T: Ord + Copy>(mut spans: Vec<(T, T)>) -> Vec<(T, T)> {
    spans.retain(|(from, to)| from <= to);
    spans.sort();
    let mut merged: Vec<(T, T)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// The values inside one interval of EVERY list (each a union of closed intervals); empty for
/// no list.
fn common<T: Ord + Copy>(lists: impl Iterator<Item = Vec<(T, T)>>) -> Vec<(T, T)> {
    let mut result: Option<Vec<(T, T)>> = None;
    for list in lists {
        let list = normalized(list);
        result = Some(match result {
            None => list,
            Some(current) => intersection(&current, &list),
        });
    }
    result.unwrap_or_default()
}

/// Two normalized unions intersected (a sweep over both).
fn intersection<T: Ord + Copy>(a: &[(T, T)], b: &[(T, T)]) -> Vec<(T, T)> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let from = a[i].0.max(b[j].0);
        let to = a[i].1.min(b[j].1);
        if from <= to {
            out.push((from, to));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The dates of normalized `spans` outside normalized `removed`.
fn without(
    spans: &[(NaiveDate, NaiveDate)],
    removed: &[(NaiveDate, NaiveDate)],
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    for &(from, to) in spans {
        let mut start = Some(from);
        for &(cut_from, cut_to) in removed {
            let Some(current) = start else { break };
            if cut_to < current || cut_from > to {
                continue;
            }
            if cut_from > current {
                out.push((current, cut_from.pred_opt().unwrap_or(current)));
            }
            start = cut_to.succ_opt().filter(|next| *next <= to);
        }
        if let Some(current) = start {
            out.push((current, to));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charge::VariableCharge;
    use crate::promotion::{
        AdvanceBooking, BundleOverride, City, IpRange, LengthOfStay, PricingType, PromotionKind,
        RoomRange,
    };
    use crate::test_support::{date, dec};
    use Weekday::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn item(n: u128) -> Promotion {
        Promotion::new(
            id(n),
            format!("Item {n}"),
            PromotionKind::Discount,
            VariableCharge::Percent(dec("0.1")),
            PricingType::PerNight,
        )
    }

    fn pair() -> Bundle {
        Bundle::new(id(9), "Pair", vec![id(1), id(2)])
    }

    fn reasons(a: Promotion, b: Promotion) -> Vec<NotApplicable> {
        pair().never_applies(&[a, b], &[])
    }

    fn period(from: &str, to: &str) -> Period {
        Period::new(date(from), date(to))
    }

    #[test]
    fn unrestricted_items_always_combine() {
        assert_eq!(reasons(item(1), item(2)), []);
    }

    #[test]
    fn items_must_exist_and_be_two() {
        let bundle = Bundle::new(id(9), "One", vec![id(1), id(1)]);
        assert_eq!(
            bundle.never_applies(&[item(1)], &[]),
            [NotApplicable::BundleItems]
        );
        assert_eq!(
            pair().never_applies(&[item(1)], &[]),
            [NotApplicable::BundleItemMissing { id: id(2) }]
        );
    }

    #[test]
    fn hourly_items_or_override_never_price_rooms() {
        let mut hourly = item(2);
        hourly.pricing_type = PricingType::PerHour;
        assert_eq!(reasons(item(1), hourly), [NotApplicable::HourlyPricing]);
        let mut bundle = pair();
        bundle.modifier_override = Some(BundleOverride {
            kind: PromotionKind::Discount,
            pricing_type: PricingType::PerPersonPerHour,
            modifier: VariableCharge::Percent(dec("0.2")),
        });
        assert_eq!(
            bundle.never_applies(&[item(1), item(2)], &[]),
            [NotApplicable::HourlyPricing]
        );
    }

    #[test]
    fn some_product_must_be_in_every_list() {
        let products = [
            Product {
                master_rate_id: id(0xA1),
                rate_plan_id: id(0xB1),
            },
            Product {
                master_rate_id: id(0xA2),
                rate_plan_id: id(0xB2),
            },
        ];
        let (mut a, mut b) = (item(1), item(2));
        a.master_rate_ids = vec![id(0xA1)];
        b.rate_plan_ids = vec![id(0xB1), id(0xB2)];
        assert_eq!(pair().never_applies(&[a.clone(), b.clone()], &products), []);
        b.rate_plan_ids = vec![id(0xB2)];
        assert_eq!(
            pair().never_applies(&[a, b.clone()], &products),
            [NotApplicable::MasterRate]
        );
        let mut c = item(1);
        c.rate_plan_ids = vec![id(0xB1)];
        assert_eq!(
            pair().never_applies(&[c, b], &products),
            [NotApplicable::RatePlan]
        );
    }

    #[test]
    fn opposite_demands_and_disjoint_bookers() {
        let (mut a, mut b) = (item(1), item(2));
        a.qualifiers.prepay = Some(true);
        b.qualifiers.prepay = Some(false);
        a.qualifiers.refundable = Some(true);
        b.qualifiers.refundable = Some(true);
        a.qualifiers.continents = vec!["Europe".into()];
        b.qualifiers.continents = vec!["eu".into(), "AS".into()];
        a.qualifiers.countries = vec!["FR".into()];
        b.qualifiers.countries = vec!["TH".into()];
        a.qualifiers.time_zones = vec!["Asia/Bangkok".into()];
        b.qualifiers.time_zones = vec!["asia/bangkok".into()];
        let city = |id: &str, name: &str| City {
            geo_name_id: id.into(),
            name: name.into(),
            country: "US".into(),
        };
        a.qualifiers.cities = vec![city("4250542", "Springfield")];
        b.qualifiers.cities = vec![city("4409896", "springfield")];
        let ip = |s: &str| s.parse().unwrap();
        a.qualifiers.ip_ranges = vec![IpRange {
            start: ip("10.0.0.0"),
            end: ip("10.0.0.255"),
        }];
        b.qualifiers.ip_ranges = vec![IpRange {
            start: ip("::ffff:10.0.1.0"),
            end: ip("10.0.1.9"),
        }];
        assert_eq!(
            reasons(a.clone(), b.clone()),
            [
                NotApplicable::Prepay,
                NotApplicable::Country,
                NotApplicable::IpRange
            ]
        );
        b.qualifiers.cities = vec![City {
            country: "AU".into(),
            ..city("4409896", "Springfield")
        }];
        b.qualifiers.countries.clear();
        b.qualifiers.prepay = None;
        b.qualifiers.ip_ranges[0].end = ip("10.0.0.0");
        b.qualifiers.ip_ranges[0].start = ip("9.0.0.0");
        assert_eq!(reasons(a, b), [NotApplicable::City]);
    }

    #[test]
    fn windows_must_overlap() {
        let (mut a, mut b) = (item(1), item(2));
        a.qualifiers.advance_booking = Some(AdvanceBooking {
            min_days: 30,
            max_days: 0,
        });
        b.qualifiers.last_minute_seconds = Some(7 * 24 * 3600);
        assert_eq!(reasons(a.clone(), b.clone()), [NotApplicable::LastMinute]);
        // 29 days and 22 hours before the arrival day may still be 30 days ahead.
        b.qualifiers.last_minute_seconds = Some(29 * 24 * 3600 + 22 * 3600);
        assert_eq!(reasons(a.clone(), b.clone()), []);
        b.qualifiers.advance_booking = Some(AdvanceBooking {
            min_days: 0,
            max_days: 29,
        });
        assert_eq!(reasons(a.clone(), b), [NotApplicable::AdvanceBooking]);
        let mut c = item(2);
        c.qualifiers.length_of_stay = Some(LengthOfStay {
            min_los: 0,
            max_los: 3,
        });
        a.qualifiers.length_of_stay = Some(LengthOfStay {
            min_los: 4,
            max_los: 0,
        });
        a.qualifiers.advance_booking = None;
        c.qualifiers.room_range = Some(RoomRange {
            min_rooms: 5,
            max_rooms: Some(0),
        });
        a.qualifiers.room_range = Some(RoomRange {
            min_rooms: 1,
            max_rooms: Some(4),
        });
        c.qualifiers.arrival_days = Some(DaysOfWeek::only(&[Fri]));
        a.qualifiers.arrival_days = Some(DaysOfWeek::only(&[Sat, Sun]));
        a.qualifiers.departure_days = Some(DaysOfWeek::only(&[Sun]));
        c.qualifiers.departure_days = Some(DaysOfWeek::default());
        assert_eq!(
            reasons(a, c),
            [
                NotApplicable::LengthOfStay,
                NotApplicable::RoomRange,
                NotApplicable::ArrivalDays
            ]
        );
    }

    #[test]
    fn sell_dates_must_share_a_day() {
        let (mut a, mut b) = (item(1), item(2));
        a.qualifiers.sell_dates = vec![
            period("2026-01-01", "2026-01-31"),
            period("2026-03-01", "2026-03-31"),
        ];
        b.qualifiers.sell_dates = vec![period("2026-02-01", "2026-02-28")];
        assert_eq!(reasons(a.clone(), b.clone()), [NotApplicable::SellDates]);
        b.qualifiers
            .sell_dates
            .push(period("2026-03-31", "2026-04-30"));
        assert_eq!(reasons(a, b), []);
    }

    #[test]
    fn a_night_must_survive_stay_dates_blackouts_and_weekdays() {
        let (mut a, mut b) = (item(1), item(2));
        a.qualifiers.stay_dates = vec![period("2026-12-01", "2026-12-31")];
        b.qualifiers.stay_dates = vec![period("2027-01-01", "2027-01-31")];
        assert_eq!(
            reasons(a.clone(), b.clone()),
            [NotApplicable::NoCommonNight]
        );
        // Overlap on Thursday 2026-12-31 and Friday 2027-01-01 only.
        a.qualifiers.stay_dates = vec![period("2026-12-01", "2027-01-01")];
        b.qualifiers.stay_dates = vec![period("2026-12-31", "2027-01-31")];
        assert_eq!(reasons(a.clone(), b.clone()), []);
        b.qualifiers.available_days = Some(DaysOfWeek::only(&[Fri, Sat]));
        assert_eq!(reasons(a.clone(), b.clone()), []);
        a.qualifiers.blackout_dates = vec![period("2027-01-01", "2027-01-01")];
        assert_eq!(
            reasons(a.clone(), b.clone()),
            [NotApplicable::NoCommonNight]
        );
        // Without stay dates, blackouts can never cover every night; weekdays still must meet.
        let (mut c, mut d) = (item(1), item(2));
        c.qualifiers.blackout_dates = vec![period("2026-01-01", "2030-12-31")];
        c.qualifiers.available_days = Some(DaysOfWeek::only(&[Sat, Sun]));
        assert_eq!(reasons(c.clone(), d.clone()), []);
        d.qualifiers.available_days = Some(DaysOfWeek::only(&[Mon]));
        assert_eq!(reasons(c, d), [NotApplicable::NoCommonNight]);
    }

    #[test]
    fn interval_helpers() {
        assert_eq!(normalized(vec![(5, 9), (1, 3), (2, 6), (8, 7)]), [(1, 9)]);
        assert_eq!(
            intersection(&[(1, 3), (5, 9)], &[(2, 6), (9, 12)]),
            [(2, 3), (5, 6), (9, 9)]
        );
        let d = |s: &str| date(s);
        assert_eq!(
            without(
                &[(d("2026-01-01"), d("2026-01-10"))],
                &[
                    (d("2025-12-01"), d("2026-01-02")),
                    (d("2026-01-05"), d("2026-01-05"))
                ]
            ),
            [
                (d("2026-01-03"), d("2026-01-04")),
                (d("2026-01-06"), d("2026-01-10"))
            ]
        );
        assert_eq!(last_minute_days(0), 1);
        assert_eq!(last_minute_days(DAY_SECONDS - DST_SLACK_SECONDS), 1);
        assert_eq!(last_minute_days(DAY_SECONDS), 2);
    }

    mod soundness {
        //! Whatever the items, stay, booking time and booker: when the bundle applies to a
        //! quote, `never_applies` must not have said it never does.

        use chrono::{TimeDelta, TimeZone, Utc};
        use proptest::option::weighted;
        use proptest::prelude::*;
        use proptest::sample::{select, subsequence};

        use super::*;
        use crate::promotion::fixture::{MASTER_RATE, RATE_PLAN, Scene};
        use crate::promotion::{AdvanceBooking, LengthOfStay, Qualifiers, RoomRange};

        const OTHER_MASTER: Uuid = Uuid::from_u128(0xCC);
        const OTHER_PLAN: Uuid = Uuid::from_u128(0xDD);
        const SET: f64 = 0.15;

        fn arrival() -> NaiveDate {
            date("2026-12-04")
        }

        fn shift(day: NaiveDate, days: i64) -> NaiveDate {
            day.checked_add_signed(TimeDelta::days(days)).unwrap()
        }

        fn days() -> impl Strategy<Value = DaysOfWeek> {
            any::<[bool; 7]>().prop_map(|d| DaysOfWeek {
                mon: d[0],
                tue: d[1],
                wed: d[2],
                thu: d[3],
                fri: d[4],
                sat: d[5],
                sun: d[6],
                disabled: false,
            })
        }

        fn periods() -> impl Strategy<Value = Vec<Period>> {
            let spans = prop::collection::vec((-12..12i64, 0..6i64), 1..3).prop_map(|spans| {
                spans
                    .into_iter()
                    .map(|(start, len)| {
                        Period::new(shift(arrival(), start), shift(arrival(), start + len))
                    })
                    .collect()
            });
            weighted(SET, spans).prop_map(Option::unwrap_or_default)
        }

        fn some_of(ids: [Uuid; 2]) -> impl Strategy<Value = Vec<Uuid>> {
            weighted(SET, subsequence(ids.to_vec(), 1..=2)).prop_map(Option::unwrap_or_default)
        }

        fn qualifiers() -> impl Strategy<Value = Qualifiers> {
            (
                (
                    periods(),
                    periods(),
                    weighted(SET, (0..40u32, 0..40u32)),
                    weighted(SET, 0..40u64 * 86_400),
                    weighted(SET, (0..5u32, 0..5u32)),
                    weighted(SET, (1..3u32, 0..3u32)),
                ),
                (
                    weighted(SET, days()),
                    weighted(SET, days()),
                    weighted(SET, days()),
                    weighted(SET, any::<bool>()),
                    weighted(SET, any::<bool>()),
                    weighted(SET, subsequence(vec!["TH", "FR"], 1..=2)),
                ),
            )
                .prop_map(
                    |(
                        (stay, blackout, advance, last_minute, los, rooms),
                        (available, arrival_days, departure_days, prepay, refundable, countries),
                    )| Qualifiers {
                        stay_dates: stay,
                        blackout_dates: blackout,
                        advance_booking: advance
                            .map(|(min_days, max_days)| AdvanceBooking { min_days, max_days }),
                        last_minute_seconds: last_minute,
                        length_of_stay: los
                            .map(|(min_los, max_los)| LengthOfStay { min_los, max_los }),
                        room_range: rooms.map(|(min_rooms, max)| RoomRange {
                            min_rooms,
                            max_rooms: Some(max),
                        }),
                        available_days: available,
                        arrival_days,
                        departure_days,
                        prepay,
                        refundable,
                        countries: countries
                            .unwrap_or_default()
                            .into_iter()
                            .map(String::from)
                            .collect(),
                        ..Qualifiers::default()
                    },
                )
        }

        fn promotion(n: u128) -> impl Strategy<Value = Promotion> {
            (
                qualifiers(),
                some_of([MASTER_RATE, OTHER_MASTER]),
                some_of([RATE_PLAN, OTHER_PLAN]),
            )
                .prop_map(move |(qualifiers, masters, plans)| Promotion {
                    qualifiers,
                    master_rate_ids: masters,
                    rate_plan_ids: plans,
                    ..item(n)
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn a_bundle_that_applies_was_not_called_impossible(
                a in promotion(1),
                b in promotion(2),
                nights in 1..5usize,
                ahead in 0..45i64,
                hour in 0..24u32,
                rooms in 1..3u32,
                prepaid in any::<bool>(),
                refundable in any::<bool>(),
                country in select(vec!["TH", "FR"]),
            ) {
                let mut scene = Scene::new(&vec!["100"; nights]);
                scene.booked_on = shift(arrival(), -ahead);
                scene.booked_at = scene
                    .zone
                    .from_local_datetime(&scene.booked_on.and_hms_opt(hour, 0, 0).unwrap())
                    .earliest()
                    .unwrap()
                    .with_timezone(&Utc);
                scene.rooms_in_booking = rooms;
                scene.plan.prepaid = prepaid;
                scene.plan.refundable = refundable;
                scene.booker.country = Some(country.into());
                scene.promotions = vec![a, b];
                let products = [
                    Product { master_rate_id: MASTER_RATE, rate_plan_id: RATE_PLAN },
                    Product { master_rate_id: OTHER_MASTER, rate_plan_id: OTHER_PLAN },
                ];
                let bundle = pair();
                if bundle.check(&scene.request(), &scene.offers()).is_ok() {
                    prop_assert_eq!(bundle.never_applies(&scene.promotions, &products), vec![]);
                }
            }
        }
    }
}
