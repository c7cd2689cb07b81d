//! Property tests over promotions, through the crate's public API: for generated rates,
//! restrictions, promotions, bundles and bookers, the priced result keeps its invariants
//! and never applies a promotion whose qualifiers an independent oracle says fail.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rust_decimal::Decimal;
use uuid::Uuid;
use wink_domain::cancellation::{local_to_utc, start_of_day};
use wink_domain::promotion::{AdvanceBooking, City, IpRange, LengthOfStay, Period, RoomRange};
use wink_domain::*;

use crate::quoted::run_quoted;

const MASTER_RATE: Uuid = Uuid::from_u128(0xAA);
const RATE_PLAN: Uuid = Uuid::from_u128(0xBB);
const OTHER: Uuid = Uuid::from_u128(0xCC);
/// Chance that a given qualifier is set.
const SET: f64 = 0.12;

fn booked_on() -> NaiveDate {
    "2026-11-02".parse().unwrap()
}

fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(days)).unwrap()
}

fn amount(max_units: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_units * 10_000).prop_map(|raw| Decimal::new(raw, 4))
}

fn modifier() -> impl Strategy<Value = VariableCharge> {
    prop_oneof![
        amount(60).prop_map(VariableCharge::Fixed),
        (0..=120i64).prop_map(|pct| VariableCharge::Percent(Decimal::new(pct, 2))),
    ]
}

fn days_of_week() -> impl Strategy<Value = DaysOfWeek> {
    (any::<[bool; 7]>(), weighted(0.1, Just(()))).prop_map(|(d, disabled)| DaysOfWeek {
        mon: d[0],
        tue: d[1],
        wed: d[2],
        thu: d[3],
        fri: d[4],
        sat: d[5],
        sun: d[6],
        disabled: disabled.is_some(),
    })
}

/// Periods near `anchor` (days from it, length in days).
fn periods(anchor: NaiveDate, from: i64, to: i64) -> impl Strategy<Value = Vec<Period>> {
    prop::collection::vec((from..to, 0..8i64), 1..3).prop_map(move |spans| {
        spans
            .into_iter()
            .map(|(start, len)| Period::new(shift(anchor, start), shift(anchor, start + len)))
            .collect()
    })
}

const CODES: [&str; 3] = ["SUMMER", "winter", "VIP"];
const CONTINENTS: [(&str, &str); 3] = [("AS", "Asia"), ("EU", "Europe"), ("NA", "North America")];
const COUNTRIES: [&str; 3] = ["TH", "FR", "US"];
const ZONES: [&str; 3] = ["Asia/Bangkok", "Europe/Paris", "America/New_York"];

fn cities() -> Vec<City> {
    [
        ("1609350", "Bangkok", "TH"),
        ("2988507", "Paris", "FR"),
        ("5128581", "New York", "US"),
    ]
    .iter()
    .map(|(id, name, country)| City {
        geo_name_id: id.to_string(),
        name: name.to_string(),
        country: country.to_string(),
    })
    .collect()
}

fn ip_ranges() -> Vec<IpRange> {
    [
        ("10.0.0.0", "10.0.0.255"),
        ("203.0.113.0", "203.0.113.127"),
        ("2001:db8::", "2001:db8::ffff"),
    ]
    .iter()
    .map(|(start, end)| IpRange {
        start: start.parse().unwrap(),
        end: end.parse().unwrap(),
    })
    .collect()
}

fn strings(items: Vec<&str>) -> Vec<String> {
    items.into_iter().map(String::from).collect()
}

fn qualifiers() -> impl Strategy<Value = Qualifiers> {
    let stay_anchor = booked_on();
    let dates = (
        weighted(SET, periods(stay_anchor, -2, 45)),
        weighted(SET, periods(booked_on(), -6, 3)),
        weighted(SET, periods(stay_anchor, 0, 45)),
        weighted(SET, (0..30u32, 0..40u32)),
        weighted(SET, 0..3_500_000u64),
        weighted(SET, (0..5u32, 0..7u32)),
    );
    let days = (
        weighted(SET, days_of_week()),
        weighted(SET, days_of_week()),
        weighted(SET, days_of_week()),
        weighted(SET, days_of_week()),
        weighted(SET, (1..4u32, weighted(0.7, 0..5u32))),
        weighted(SET, any::<bool>()),
        weighted(SET, any::<bool>()),
    );
    let booker = (
        weighted(SET, subsequence(CODES.to_vec(), 1..3)),
        weighted(
            SET,
            subsequence(vec!["AS", "Europe", "north america"], 1..3),
        ),
        weighted(SET, subsequence(COUNTRIES.to_vec(), 1..3)),
        weighted(SET, subsequence(cities(), 1..3)),
        weighted(SET, subsequence(ZONES.to_vec(), 1..3)),
        weighted(SET, subsequence(ip_ranges(), 1..3)),
    );
    (dates, days, booker).prop_map(|(dates, days, booker)| Qualifiers {
        stay_dates: dates.0.unwrap_or_default(),
        sell_dates: dates.1.unwrap_or_default(),
        blackout_dates: dates.2.unwrap_or_default(),
        advance_booking: dates
            .3
            .map(|(min_days, max_days)| AdvanceBooking { min_days, max_days }),
        last_minute_seconds: dates.4,
        length_of_stay: dates
            .5
            .map(|(min_los, max_los)| LengthOfStay { min_los, max_los }),
        available_days: days.0,
        arrival_days: days.1,
        departure_days: days.2,
        required_days: days.3,
        room_range: days.4.map(|(min_rooms, max_rooms)| RoomRange {
            min_rooms,
            max_rooms,
        }),
        prepay: days.5,
        refundable: days.6,
        promotion_codes: booker.0.map(strings).unwrap_or_default(),
        continents: booker.1.map(strings).unwrap_or_default(),
        countries: booker.2.map(strings).unwrap_or_default(),
        cities: booker.3.unwrap_or_default(),
        time_zones: booker.4.map(strings).unwrap_or_default(),
        ip_ranges: booker.5.unwrap_or_default(),
    })
}

/// A promotion whose id is filled in by the scenario.
fn promotion() -> impl Strategy<Value = Promotion> {
    let kind = select(vec![PromotionKind::Premium, PromotionKind::Discount]);
    let pricing =
        prop_oneof![12 => select(PricingType::ALL.to_vec()), 8 => Just(PricingType::PerNight)];
    let products = (
        weighted(
            0.1,
            select(vec![
                vec![MASTER_RATE],
                vec![OTHER],
                vec![OTHER, MASTER_RATE],
            ]),
        ),
        weighted(0.1, select(vec![vec![RATE_PLAN], vec![OTHER]])),
    );
    // Half without any qualifier, so that several apply at once and bundles get a chance.
    let qualifiers = prop_oneof![Just(Qualifiers::default()), qualifiers()];
    (
        kind,
        modifier(),
        pricing,
        weighted(0.92, Just(())),
        qualifiers,
        products,
    )
        .prop_map(
            |(kind, modifier, pricing_type, enabled, qualifiers, products)| Promotion {
                enabled: enabled.is_some(),
                qualifiers,
                master_rate_ids: products.0.unwrap_or_default(),
                rate_plan_ids: products.1.unwrap_or_default(),
                ..Promotion::new(Uuid::nil(), "generated", kind, modifier, pricing_type)
            },
        )
}

fn bundle() -> impl Strategy<Value = Bundle> {
    let override_ = weighted(
        0.3,
        (
            select(vec![PromotionKind::Premium, PromotionKind::Discount]),
            select(PricingType::ALL.to_vec()),
            modifier(),
        ),
    );
    (
        prop::collection::vec(1..7u128, 2..4),
        override_,
        weighted(0.95, Just(())),
    )
        .prop_map(|(items, override_, enabled)| Bundle {
            enabled: enabled.is_some(),
            modifier_override: override_.map(|(kind, pricing_type, modifier)| BundleOverride {
                kind,
                pricing_type,
                modifier,
            }),
            ..Bundle::new(
                Uuid::nil(),
                "generated bundle",
                items.into_iter().map(Uuid::from_u128).collect(),
            )
        })
}

fn booker() -> impl Strategy<Value = Booker> {
    (
        subsequence(vec![" summer", "VIP", "nope"], 0..3),
        weighted(0.9, select(CONTINENTS.to_vec())),
        weighted(0.9, (0..3usize, any::<bool>())),
        weighted(0.9, select(ZONES.to_vec())),
        weighted(
            0.9,
            select(vec![
                "10.0.0.7",
                "203.0.113.200",
                "2001:db8::1",
                "::ffff:203.0.113.5",
            ]),
        ),
    )
        .prop_map(|(codes, continent, place, zone, ip)| {
            let city = place.map(|(i, with_id)| (cities()[i].clone(), with_id));
            Booker {
                promotion_codes: strings(codes),
                continent: continent
                    .map(|(code, name)| if code == "AS" { name } else { code }.to_string()),
                country: city.as_ref().map(|(c, _)| c.country.clone()),
                city_geo_name_id: city
                    .as_ref()
                    .filter(|(_, with_id)| *with_id)
                    .map(|(c, _)| c.geo_name_id.clone()),
                city_name: city.as_ref().map(|(c, _)| c.name.clone()),
                time_zone: zone.map(String::from),
                ip: ip.map(|ip| ip.parse().unwrap()),
            }
        })
}

#[derive(Debug, Clone)]
struct Scenario {
    stay: Stay,
    room: RoomRequest,
    currency: Currency,
    capacity: RoomCapacity,
    plan: RatePlanRules,
    nights: Vec<NightRate>,
    availability: Vec<NightAvailability>,
    promotions: Vec<Promotion>,
    bundles: Vec<Bundle>,
    booker: Booker,
    booked_at: DateTime<Utc>,
    zone: Tz,
    rooms_in_booking: u32,
}

impl Scenario {
    fn request(&self) -> QuoteRequest<'_> {
        QuoteRequest {
            stay: &self.stay,
            room: &self.room,
            booked_on: booked_on(),
            currency: self.currency,
            capacity: &self.capacity,
            room_sellable: true,
            plan: &self.plan,
            master_rate_enabled: true,
            nights: &self.nights,
            availability: &self.availability,
        }
    }

    fn offers(&self) -> Offers<'_> {
        Offers {
            promotions: &self.promotions,
            bundles: &self.bundles,
            booker: &self.booker,
            master_rate_id: MASTER_RATE,
            rate_plan_id: RATE_PLAN,
            booked_at: self.booked_at,
            zone: self.zone,
            rooms_in_booking: self.rooms_in_booking,
            switched_off: &[],
        }
    }

    fn quote(&self) -> Result<Quote, Vec<Unavailable>> {
        quote_with_offers(&self.request(), &self.offers())
    }

    fn plain(&self) -> Result<Quote, Vec<Unavailable>> {
        quote(&self.request())
    }

    fn promotion(&self, id: Uuid) -> &Promotion {
        self.promotions
            .iter()
            .find(|p| p.id == id)
            .expect("an offered promotion")
    }

    /// The scenario with only the promotions `keep` accepts and no bundle.
    fn only(&self, keep: impl Fn(&Promotion) -> bool) -> Scenario {
        Scenario {
            promotions: self
                .promotions
                .iter()
                .filter(|p| keep(p))
                .cloned()
                .collect(),
            bundles: Vec::new(),
            ..self.clone()
        }
    }

    /// The scenario where `keep` (if any) is the only discount worth anything: other
    /// discount promotions still qualify (so bundles keep their items and premium bundles
    /// still apply) but take nothing off, and bundles with a DISCOUNT override are gone.
    fn single_discount(&self, keep: Option<Uuid>) -> Scenario {
        Scenario {
            promotions: self
                .promotions
                .iter()
                .map(|p| match p.kind {
                    PromotionKind::Discount if Some(p.id) != keep => Promotion {
                        modifier: VariableCharge::Fixed(Decimal::ZERO),
                        ..p.clone()
                    },
                    _ => p.clone(),
                })
                .collect(),
            bundles: self
                .bundles
                .iter()
                .filter(|b| {
                    b.modifier_override
                        .is_none_or(|o| o.kind == PromotionKind::Premium)
                })
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let stay = (0..40u64, 1..6u32);
    let guests = (1..4u32, prop::collection::vec(0..18u32, 0..3), 1..3u32);
    let calendar = (
        prop::collection::vec((amount(300), weighted(0.97, Just(()))), 6),
        select(vec!["EUR", "JPY", "KWD"]),
        prop::collection::vec(0..3u32, 0..2),
    );
    let plan = (
        any::<bool>(),
        any::<bool>(),
        weighted(0.3, modifier()),
        weighted(0.3, modifier()),
        prop::collection::vec(amount(20), 0..2),
    );
    let offers = (
        prop::collection::vec(promotion(), 0..6),
        prop::collection::vec(bundle(), 0..4),
        booker(),
        select(vec![
            Tz::UTC,
            Tz::Europe__Paris,
            Tz::Asia__Bangkok,
            Tz::America__New_York,
        ]),
        0..86_400u32,
        0..5u32,
    );
    (stay, guests, calendar, plan, offers).prop_map(|(stay, guests, calendar, plan, offers)| {
        let arrival = booked_on() + Days::new(stay.0);
        let stay = Stay::from_nights(arrival, stay.1).unwrap();
        let (promotions, bundles, booker, zone, second, rooms_in_booking) = offers;
        let promotions: Vec<Promotion> = promotions
            .into_iter()
            .enumerate()
            .map(|(i, p)| Promotion {
                id: Uuid::from_u128(i as u128 + 1),
                name: format!("Promotion {}", i + 1),
                ..p
            })
            .collect();
        // Items point at the generated promotions (ids 1..=n), or at a missing one when
        // there are none.
        let count = promotions.len().max(1) as u128;
        let bundles = bundles
            .into_iter()
            .enumerate()
            .map(|(i, b)| Bundle {
                id: Uuid::from_u128(100 + i as u128),
                items: b
                    .items
                    .iter()
                    .map(|item| Uuid::from_u128((item.as_u128() - 1) % count + 1))
                    .collect(),
                ..b
            })
            .collect();
        let local = booked_on().and_time(NaiveTime::MIN) + TimeDelta::seconds(i64::from(second));
        let fees = plan
            .4
            .into_iter()
            .zip([FeeKind::PerStay, FeeKind::PerPersonPerDay])
            .map(|(amount, kind)| RatePlanFee {
                kind,
                amount,
                name: format!("{kind:?}"),
            })
            .collect();
        Scenario {
            stay,
            room: RoomRequest::new(guests.0, guests.1, guests.2).unwrap(),
            currency: Currency::parse(calendar.1).unwrap(),
            capacity: RoomCapacity {
                min_occupancy: 1,
                max_occupancy: 8,
                max_adults: 4,
                max_children: 3,
                included_adults: 2,
                included_children: 1,
            },
            plan: RatePlanRules {
                prepaid: plan.0,
                refundable: plan.1,
                single_occupancy: plan.2,
                extra_adult: plan.3,
                fees,
                ..RatePlanRules::unrestricted()
            },
            nights: arrival
                .iter_days()
                .zip(calendar.0)
                .map(|(date, (rate, open))| NightRate {
                    open: open.is_some(),
                    ..NightRate::priced(date, rate)
                })
                .collect(),
            availability: arrival
                .iter_days()
                .take(6)
                .enumerate()
                .map(|(i, date)| NightAvailability {
                    date,
                    units: if calendar.2.contains(&(i as u32)) {
                        0
                    } else {
                        5
                    },
                })
                .collect(),
            promotions,
            bundles,
            booker,
            booked_at: local_to_utc(zone, local),
            zone,
            rooms_in_booking,
        }
    })
}

// ---- an independent oracle of the qualifiers ----

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn continent_code(text: &str) -> Option<&'static str> {
    let all = [("AS", "Asia"), ("EU", "Europe"), ("NA", "North America")];
    all.iter()
        .find(|(code, name)| same(code, text) || same(name, text))
        .map(|(code, _)| *code)
}

fn allows(days: Option<DaysOfWeek>, day: Weekday) -> bool {
    let Some(d) = days else { return true };
    let flags = [d.mon, d.tue, d.wed, d.thu, d.fri, d.sat, d.sun];
    d.disabled || !flags.contains(&true) || flags[day.num_days_from_monday() as usize]
}

/// Whether every booking-wide condition of `p` holds (the oracle, written apart from the
/// crate's checks).
fn qualifies_for_stay(p: &Promotion, s: &Scenario) -> bool {
    use PricingType::*;
    let q = &p.qualifiers;
    let b = &s.booker;
    let arrival = s.stay.arrival();
    let nights = s.stay.night_count();
    let advance = (arrival - booked_on()).num_days();
    let before_arrival = (start_of_day(s.zone, arrival) - s.booked_at).num_seconds();
    let rooms = s.rooms_in_booking.max(s.room.quantity);
    let hourly = matches!(
        p.pricing_type,
        PerHour | PerPersonPerHour | PerAdultPerHour | PerChildPerHour
    );
    let listed = |ids: &[Uuid], id| ids.is_empty() || ids.contains(&id);
    p.enabled
        && !hourly
        && listed(&p.master_rate_ids, MASTER_RATE)
        && listed(&p.rate_plan_ids, RATE_PLAN)
        && (q.sell_dates.is_empty()
            || q.sell_dates
                .iter()
                .any(|p| p.effective <= booked_on() && booked_on() <= p.expire))
        && q.advance_booking.is_none_or(|a| {
            advance >= i64::from(a.min_days)
                && (a.max_days == 0 || advance <= i64::from(a.max_days))
        })
        && q.last_minute_seconds
            .is_none_or(|sec| before_arrival <= sec as i64)
        && q.length_of_stay
            .is_none_or(|l| nights >= l.min_los && (l.max_los == 0 || nights <= l.max_los))
        && allows(q.arrival_days, arrival.weekday())
        && allows(q.departure_days, s.stay.departure().weekday())
        && (q.required_days.is_none()
            || s.stay.nights().any(|n| {
                let d = q.required_days.unwrap();
                let unset = d.disabled
                    || ![d.mon, d.tue, d.wed, d.thu, d.fri, d.sat, d.sun].contains(&true);
                unset || allows(Some(d), n.weekday())
            }))
        && q.room_range.is_none_or(|r| {
            rooms >= r.min_rooms && r.max_rooms.is_none_or(|max| max == 0 || rooms <= max)
        })
        && q.prepay.is_none_or(|prepay| prepay == s.plan.prepaid)
        && q.refundable
            .is_none_or(|refundable| refundable == s.plan.refundable)
        && (q.promotion_codes.is_empty()
            || q.promotion_codes
                .iter()
                .any(|c| b.promotion_codes.iter().any(|e| same(c, e))))
        && (q.continents.is_empty()
            || b.continent
                .as_deref()
                .and_then(continent_code)
                .is_some_and(|booker| {
                    q.continents
                        .iter()
                        .any(|c| continent_code(c) == Some(booker))
                }))
        && (q.countries.is_empty()
            || b.country
                .as_deref()
                .is_some_and(|booker| q.countries.iter().any(|c| same(c, booker))))
        && (q.cities.is_empty()
            || match &b.city_geo_name_id {
                Some(id) => q.cities.iter().any(|c| &c.geo_name_id == id),
                None => q.cities.iter().any(|c| {
                    b.city_name.as_deref().is_some_and(|n| same(n, &c.name))
                        && b.country.as_deref().is_some_and(|n| same(n, &c.country))
                }),
            })
        && (q.time_zones.is_empty()
            || b.time_zone
                .as_deref()
                .is_some_and(|booker| q.time_zones.iter().any(|z| same(z, booker))))
        && (q.ip_ranges.is_empty()
            || b.ip.is_some_and(|ip| {
                let ip = ip.to_canonical();
                q.ip_ranges.iter().any(|r| r.start <= ip && ip <= r.end)
            }))
}

/// Whether `p` covers `night` (stay dates, blackouts, available days).
fn covers(p: &Promotion, night: NaiveDate) -> bool {
    let q = &p.qualifiers;
    let inside = |periods: &[Period]| {
        periods
            .iter()
            .any(|p| p.effective <= night && night <= p.expire)
    };
    (q.stay_dates.is_empty() || inside(&q.stay_dates))
        && !inside(&q.blackout_dates)
        && allows(q.available_days, night.weekday())
}

/// The promotions whose qualifiers an adjustment relies on.
fn sources<'a>(s: &'a Scenario, offer: &AppliedOffer) -> Vec<&'a Promotion> {
    match offer {
        AppliedOffer::Promotion(p) => vec![s.promotion(p.id)],
        AppliedOffer::Bundle { items, .. } => items.iter().map(|i| s.promotion(i.id)).collect(),
        // Scenarios are quoted without a sales channel: no channel line to explain.
        AppliedOffer::Channel(_) => Vec::new(),
    }
}

fn total(result: &Result<Quote, Vec<Unavailable>>) -> Decimal {
    result.as_ref().map(|q| q.room_total.amount).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn promotions_never_change_whether_a_stay_is_offered(s in scenario()) {
        let (with, without) = (s.quote(), s.plain());
        match (&with, &without) {
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (Ok(q), Ok(plain)) => {
                let lists: Vec<_> = q.nights.iter().map(|n| n.list_price).collect();
                let prices: Vec<_> = plain.nights.iter().map(|n| n.price).collect();
                prop_assert_eq!(lists, prices);
                prop_assert_eq!(&q.fees, &plain.fees);
            }
            _ => prop_assert!(false, "{:?} vs {:?}", with, without),
        }
    }





    #[test]
    fn the_result_does_not_depend_on_the_order_of_offers(s in scenario()) {
        let mut reversed = s.clone();
        reversed.promotions.reverse();
        reversed.bundles.reverse();
        prop_assert_eq!(s.quote(), reversed.quote());
    }
}

/// The share of generated scenarios that must be quoted for the properties about quotes to
/// mean something (about half are).
const MIN_QUOTED_PERCENT: u32 = 30;

#[test]
fn the_breakdown_adds_up_and_nothing_is_negative() {
    run_quoted(
        file!(),
        "the_breakdown_adds_up_and_nothing_is_negative",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(q) = s.quote() else { return Ok(false) };
            let mut nights = Decimal::ZERO;
            for night in &q.nights {
                let change: Decimal = night.adjustments.iter().map(Adjustment::signed).sum();
                prop_assert_eq!(night.price.amount, night.list_price.amount + change);
                prop_assert_eq!(
                    night.price.amount,
                    night.list_price.amount + night.premium().amount - night.discount().amount
                );
                prop_assert!(!night.price.is_negative(), "{}", night.price);
                prop_assert!(
                    night
                        .adjustments
                        .iter()
                        .filter(|a| a.kind == PromotionKind::Discount)
                        .count()
                        <= 1
                );
                nights += night.price.amount;
            }
            let stay: Decimal = q.stay_adjustments.iter().map(Adjustment::signed).sum();
            let fees: Decimal = q.fees.iter().map(|f| f.price.amount).sum();
            prop_assert!(
                nights + stay >= Decimal::ZERO,
                "nights {} stay {}",
                nights,
                stay
            );
            prop_assert_eq!(q.room_total.amount, nights + fees + stay);
            prop_assert_eq!(
                q.total.amount,
                q.room_total.amount * Decimal::from(s.room.quantity)
            );
            prop_assert_eq!(
                q.discount_total().amount - q.premium_total().amount,
                q.nights
                    .iter()
                    .map(|n| n.list_price.amount)
                    .sum::<Decimal>()
                    - nights
                    - stay
            );
            for adjustment in q.adjustments() {
                prop_assert!(adjustment.amount.amount > Decimal::ZERO);
                prop_assert!(
                    adjustment.amount.is_rounded() && adjustment.amount.currency == s.currency
                );
            }
            // One discount offer for the whole stay.
            let mut discount_offers: Vec<_> = q
                .adjustments()
                .filter(|a| a.kind == PromotionKind::Discount)
                .map(|a| a.offer.id())
                .collect();
            discount_offers.dedup();
            prop_assert!(discount_offers.len() <= 1, "{:?}", discount_offers);
            prop_assert!(
                q.stay_adjustments
                    .iter()
                    .filter(|a| a.kind == PromotionKind::Discount)
                    .count()
                    <= 1
            );
            Ok(true)
        },
    );
}

#[test]
fn nothing_is_applied_that_breaks_a_qualifier() {
    run_quoted(
        file!(),
        "nothing_is_applied_that_breaks_a_qualifier",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(q) = s.quote() else { return Ok(false) };
            for night in &q.nights {
                for adjustment in &night.adjustments {
                    for p in sources(&s, &adjustment.offer) {
                        prop_assert!(
                            qualifies_for_stay(p, &s),
                            "{:?} applied to {:?}",
                            p,
                            night.date
                        );
                        prop_assert!(covers(p, night.date), "{:?} on {}", p, night.date);
                    }
                }
            }
            for adjustment in &q.stay_adjustments {
                for p in sources(&s, &adjustment.offer) {
                    prop_assert!(qualifies_for_stay(p, &s), "{:?}", p);
                    prop_assert!(s.stay.nights().any(|n| covers(p, n)));
                }
            }
            for adjustment in q.adjustments() {
                if let AppliedOffer::Bundle { bundle, items } = &adjustment.offer {
                    let b = s.bundles.iter().find(|b| b.id == bundle.id).unwrap();
                    prop_assert!(b.enabled && items.len() >= 2);
                    prop_assert_eq!(items.len(), b.distinct_items().len());
                }
            }
            // A code is reported only when the booker entered it and it unlocked an applied promotion.
            for code in &q.promotion_codes {
                prop_assert!(s.booker.promotion_codes.iter().any(|e| same(e, code)));
                let unlocked = q
                    .adjustments()
                    .flat_map(|a| sources(&s, &a.offer))
                    .any(|p| p.qualifiers.promotion_codes.contains(code));
                prop_assert!(unlocked, "{}", code);
            }
            Ok(true)
        },
    );
}

#[test]
fn a_discount_never_raises_a_price_and_a_premium_never_lowers_it() {
    run_quoted(
        file!(),
        "a_discount_never_raises_a_price_and_a_premium_never_lowers_it",
        (scenario(), promotion()),
        MIN_QUOTED_PERCENT,
        |(s, extra)| {
            let Ok(plain) = s.plain() else {
                return Ok(false);
            };
            let discounts = s
                .only(|p| p.kind == PromotionKind::Discount)
                .quote()
                .unwrap();
            let premiums = s
                .only(|p| p.kind == PromotionKind::Premium)
                .quote()
                .unwrap();
            for ((d, p), n) in discounts
                .nights
                .iter()
                .zip(&premiums.nights)
                .zip(&plain.nights)
            {
                prop_assert!(d.price.amount <= n.price.amount);
                prop_assert!(p.price.amount >= n.price.amount);
            }
            prop_assert!(discounts.room_total.amount <= plain.room_total.amount);
            prop_assert!(premiums.room_total.amount >= plain.room_total.amount);
            // Adding one more promotion moves the total only its way.
            let before = total(&s.quote());
            let mut more = s.clone();
            more.promotions.push(Promotion {
                id: Uuid::from_u128(99),
                ..extra.clone()
            });
            let after = total(&more.quote());
            match extra.kind {
                PromotionKind::Discount => prop_assert!(after <= before, "{} > {}", after, before),
                PromotionKind::Premium => prop_assert!(after >= before, "{} < {}", after, before),
            }
            Ok(true)
        },
    );
}

#[test]
fn the_stacking_choice_is_never_worse_than_any_single_discount() {
    run_quoted(
        file!(),
        "the_stacking_choice_is_never_worse_than_any_single_discount",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(chosen) = s.quote() else {
                return Ok(false);
            };
            let no_discount = s.single_discount(None).quote().unwrap();
            prop_assert!(chosen.room_total.amount <= no_discount.room_total.amount);
            prop_assert_eq!(chosen.premium_total(), no_discount.premium_total());
            for discount in s
                .promotions
                .iter()
                .filter(|p| p.kind == PromotionKind::Discount)
            {
                let single = s.single_discount(Some(discount.id)).quote().unwrap();
                prop_assert!(
                    chosen.room_total.amount <= single.room_total.amount,
                    "{} with everything, {} with {} alone",
                    chosen.room_total.amount,
                    single.room_total.amount,
                    discount.id
                );
            }
            Ok(true)
        },
    );
}
