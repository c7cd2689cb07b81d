use chrono::NaiveDate;

use super::*;
use crate::charge::VariableCharge;
use crate::rate_plan::RatePlanFee;
use crate::test_support::{date, dec};

/// A stay and everything around it, open and priced, to be tweaked per test.
struct Fixture {
    stay: Stay,
    room: RoomRequest,
    booked_on: NaiveDate,
    currency: Currency,
    capacity: RoomCapacity,
    room_sellable: bool,
    plan: RatePlanRules,
    master_rate_enabled: bool,
    nights: Vec<NightRate>,
    availability: Vec<NightAvailability>,
}

impl Fixture {
    /// Two adults, arriving 2026-12-01 for one night per rate, 5 rooms left, in EUR.
    fn new(rates: &[&str]) -> Fixture {
        let arrival = date("2026-12-01");
        let stay = Stay::from_nights(arrival, rates.len() as u32).unwrap();
        let nights = stay
            .nights()
            .zip(rates)
            .map(|(d, rate)| NightRate::priced(d, dec(rate)))
            .collect();
        let availability = stay
            .nights()
            .map(|d| NightAvailability { date: d, units: 5 })
            .collect();
        Fixture {
            stay,
            room: RoomRequest::new(2, vec![], 1).unwrap(),
            booked_on: date("2026-11-01"),
            currency: Currency::parse("EUR").unwrap(),
            capacity: RoomCapacity {
                min_occupancy: 1,
                max_occupancy: 6,
                max_adults: 5,
                max_children: 4,
                included_adults: 2,
                included_children: 0,
            },
            room_sellable: true,
            plan: RatePlanRules::unrestricted(),
            master_rate_enabled: true,
            nights,
            availability,
        }
    }

    fn guests(mut self, adults: u32, child_ages: &[u32]) -> Fixture {
        self.room = RoomRequest::new(adults, child_ages.to_vec(), self.room.quantity).unwrap();
        self
    }

    fn quote(&self) -> Result<Quote, Vec<Unavailable>> {
        quote(&QuoteRequest {
            stay: &self.stay,
            room: &self.room,
            booked_on: self.booked_on,
            currency: self.currency,
            capacity: &self.capacity,
            room_sellable: self.room_sellable,
            plan: &self.plan,
            master_rate_enabled: self.master_rate_enabled,
            nights: &self.nights,
            availability: &self.availability,
        })
    }

    /// Prices of the nights of one room, as amounts.
    fn night_prices(&self) -> Vec<Decimal> {
        self.quote()
            .unwrap()
            .nights
            .iter()
            .map(|n| n.price.amount)
            .collect()
    }
}

fn codes(reasons: Vec<Unavailable>) -> Vec<&'static str> {
    reasons.iter().map(Unavailable::code).collect()
}

fn fixed(amount: &str) -> Option<VariableCharge> {
    Some(VariableCharge::Fixed(dec(amount)))
}

fn percent(fraction: &str) -> Option<VariableCharge> {
    Some(VariableCharge::Percent(dec(fraction)))
}

#[test]
fn included_guests_pay_the_daily_rates() {
    let f = Fixture::new(&["100", "120.50", "90"]);
    let q = f.quote().unwrap();
    let dates: Vec<_> = q.nights.iter().map(|n| n.date).collect();
    assert_eq!(
        dates,
        [date("2026-12-01"), date("2026-12-02"), date("2026-12-03")]
    );
    assert_eq!(f.night_prices(), [dec("100"), dec("120.50"), dec("90")]);
    assert_eq!(q.room_total.amount, dec("310.50"));
    assert_eq!(q.total.amount, dec("310.50"));
    assert_eq!(q.nights_total(), q.room_total);
    assert_eq!(q.first_night().amount, dec("100"));
}

#[test]
fn extra_adults_fixed_and_percent() {
    let mut f = Fixture::new(&["100"]).guests(4, &[]);
    f.plan.extra_adult = fixed("20");
    assert_eq!(f.night_prices(), [dec("140")]);
    f.plan.extra_adult = percent("0.25");
    let q = f.quote().unwrap();
    assert_eq!(q.nights[0].extra_adults, dec("50"));
    assert_eq!(q.nights[0].price.amount, dec("150"));
    // Included adults pay nothing extra.
    let f = Fixture {
        plan: RatePlanRules {
            extra_adult: fixed("20"),
            ..RatePlanRules::unrestricted()
        },
        ..Fixture::new(&["100"])
    };
    assert_eq!(f.night_prices(), [dec("100")]);
}

#[test]
fn a_nights_modifier_overrides_the_plans() {
    let mut f = Fixture::new(&["100", "100"]).guests(3, &[]);
    f.plan.extra_adult = fixed("20");
    f.nights[1].extra_adult = percent("0.5");
    assert_eq!(f.night_prices(), [dec("120"), dec("150")]);
}

#[test]
fn extra_children_beyond_the_included_ones() {
    let mut f = Fixture::new(&["100"]).guests(2, &[3, 8, 12]);
    f.capacity.included_children = 1;
    f.plan.extra_child = fixed("15");
    let q = f.quote().unwrap();
    assert_eq!(q.nights[0].extra_children, dec("30"));
    assert_eq!(q.nights[0].price.amount, dec("130"));
    f.nights[0].extra_child = percent("0.1");
    assert_eq!(f.night_prices(), [dec("120")]);
}

#[test]
fn single_occupancy_reduces_the_night() {
    let mut f = Fixture::new(&["100"]).guests(1, &[]);
    f.plan.single_occupancy = percent("0.1");
    let q = f.quote().unwrap();
    assert_eq!(q.nights[0].single_occupancy, dec("10"));
    assert_eq!(q.nights[0].price.amount, dec("90"));
    f.nights[0].single_occupancy = fixed("15");
    assert_eq!(f.night_prices(), [dec("85")]);
}

#[test]
fn single_occupancy_needs_exactly_one_adult_and_no_child() {
    let mut f = Fixture::new(&["100"]).guests(1, &[5]);
    f.plan.single_occupancy = percent("0.1");
    assert_eq!(f.night_prices(), [dec("100")]);
    let mut f = Fixture::new(&["100"]);
    f.plan.single_occupancy = percent("0.1");
    assert_eq!(f.night_prices(), [dec("100")]);
}

#[test]
fn a_night_never_goes_below_zero() {
    let mut f = Fixture::new(&["100", "40"]).guests(1, &[]);
    f.plan.single_occupancy = fixed("60");
    let q = f.quote().unwrap();
    assert_eq!(q.nights[1].single_occupancy, dec("40"));
    assert_eq!(f.night_prices(), [dec("40"), dec("0")]);
    assert_eq!(q.room_total.amount, dec("40"));
    // Negative inputs (never validated in) still floor at zero.
    let mut f = Fixture::new(&["-10"]);
    f.plan.extra_adult = fixed("-5");
    assert_eq!(f.guests(3, &[]).night_prices(), [dec("0")]);
}

#[test]
fn fees_of_each_kind_per_room() {
    let mut f = Fixture::new(&["100", "100", "100"]).guests(2, &[6]);
    let fee = |kind, amount: &str| RatePlanFee {
        kind,
        amount: dec(amount),
        name: format!("{kind:?}"),
    };
    f.plan.fees = vec![
        fee(FeeKind::PerDay, "5"),
        fee(FeeKind::PerStay, "20"),
        fee(FeeKind::PerPersonPerDay, "1.5"),
        fee(FeeKind::PerPersonPerStay, "10"),
    ];
    let q = f.quote().unwrap();
    let fees: Vec<_> = q
        .fees
        .iter()
        .map(|fee| (fee.kind, fee.price.amount))
        .collect();
    assert_eq!(
        fees,
        [
            (FeeKind::PerDay, dec("15")),
            (FeeKind::PerStay, dec("20")),
            (FeeKind::PerPersonPerDay, dec("13.5")),
            (FeeKind::PerPersonPerStay, dec("30")),
        ]
    );
    assert_eq!(q.fees[0].name, "PerDay");
    assert_eq!(q.fees_total().amount, dec("78.5"));
    assert_eq!(q.room_total.amount, dec("378.5"));
}

#[test]
fn identical_rooms_multiply_the_room_total() {
    let mut f = Fixture::new(&["100", "80"]);
    f.room.quantity = 3;
    f.plan.fees = vec![RatePlanFee {
        kind: FeeKind::PerStay,
        amount: dec("10"),
        name: "Cleaning".into(),
    }];
    let q = f.quote().unwrap();
    assert_eq!(q.quantity, 3);
    assert_eq!(q.room_total.amount, dec("190"));
    assert_eq!(q.total.amount, dec("570"));
    assert_eq!(q.first_night().amount, dec("100"));
    assert_eq!(q.first_night_charge().amount, dec("300"));
}

#[test]
fn zero_decimal_currency_rounds_each_night_once() {
    let mut f = Fixture::new(&["999", "1001"]).guests(1, &[]);
    f.currency = Currency::parse("JPY").unwrap();
    f.plan.single_occupancy = percent("0.15"); // 149.85 and 150.15 off
    assert_eq!(f.night_prices(), [dec("849"), dec("851")]); // 849.15, 850.85
    f.plan.single_occupancy = percent("0.5"); // 499.5 and 500.5 left: half away from zero
    assert_eq!(f.night_prices(), [dec("500"), dec("501")]);
    let q = f.quote().unwrap();
    assert_eq!(q.room_total.amount, dec("1001")); // the sum of rounded nights, not 1000
}

#[test]
fn three_decimal_currency_rounds_each_line_once() {
    let mut f = Fixture::new(&["12.345", "12.345"]).guests(3, &[]);
    f.currency = Currency::parse("KWD").unwrap();
    f.plan.extra_adult = percent("0.1"); // 13.5795 per night
    f.plan.fees = vec![RatePlanFee {
        kind: FeeKind::PerPersonPerDay,
        amount: dec("0.1235"),
        name: "Tax".into(),
    }];
    let q = f.quote().unwrap();
    assert_eq!(f.night_prices(), [dec("13.580"), dec("13.580")]);
    assert_eq!(q.fees[0].price.amount, dec("0.741")); // 0.741 exactly (3 × 2 × 0.1235)
    assert_eq!(q.room_total.amount, dec("27.901"));
    assert!(q.nights.iter().all(|n| n.price.is_rounded()));
}

#[test]
fn switches_and_a_past_arrival_block() {
    let mut f = Fixture::new(&["100"]);
    f.room_sellable = false;
    f.master_rate_enabled = false;
    f.booked_on = date("2026-12-02");
    assert_eq!(
        codes(f.quote().unwrap_err()),
        [
            "ROOM_NOT_SELLABLE",
            "MASTER_RATE_DISABLED",
            "ARRIVAL_IN_PAST"
        ]
    );
    let same_day = Fixture {
        booked_on: date("2026-12-01"),
        ..Fixture::new(&["100"])
    };
    assert!(same_day.quote().is_ok());
}

#[test]
fn reasons_from_plan_room_and_calendar_are_all_collected() {
    let mut f = Fixture::new(&["100", "100"]).guests(3, &[]);
    f.plan.enabled = false;
    f.plan.min_los = Some(3);
    f.capacity.max_adults = 2;
    f.nights[1].open = false;
    f.availability[0].units = 0;
    assert_eq!(
        codes(f.quote().unwrap_err()),
        [
            "RATE_PLAN_DISABLED",
            "PLAN_MIN_LENGTH_OF_STAY",
            "TOO_MANY_ADULTS",
            "NOT_ENOUGH_UNITS",
            "STOP_SELL"
        ]
    );
}

#[test]
fn a_departure_record_only_counts_for_closed_to_departure() {
    let mut f = Fixture::new(&["100"]);
    let departure = f.stay.departure();
    f.nights.push(NightRate {
        rate: None,
        open: false,
        ..NightRate::priced(departure, dec("0"))
    });
    assert_eq!(f.night_prices(), [dec("100")]);
    f.nights[1].closed_to_departure = true;
    assert_eq!(codes(f.quote().unwrap_err()), ["CLOSED_TO_DEPARTURE"]);
}

#[test]
fn overflowing_prices_are_refused_not_panicking() {
    let mut f = Fixture::new(&["79228162514264337593543950335"]).guests(3, &[]);
    f.plan.extra_adult = percent("10");
    assert_eq!(codes(f.quote().unwrap_err()), ["PRICE_OUT_OF_RANGE"]);
    let mut f = Fixture::new(&["79228162514264337593543950335"]);
    f.room.quantity = 2;
    assert_eq!(codes(f.quote().unwrap_err()), ["PRICE_OUT_OF_RANGE"]);
}

fn channel(discount: &str) -> crate::channel::ChannelTerms {
    crate::channel::ChannelTerms {
        discount: crate::channel::Fraction::new(dec(discount)).unwrap(),
        ..crate::channel::ChannelTerms::open(uuid::Uuid::from_u128(7), "Agency")
    }
}

#[test]
fn a_channel_discount_takes_its_share_off_every_night_rounded_once() {
    let mut f = Fixture::new(&["100", "120.55"]);
    f.room = RoomRequest::new(2, vec![], 2).unwrap();
    let q = on_channel(f.quote(), &channel("0.1")).unwrap();
    let prices: Vec<_> = q.nights.iter().map(|n| n.price.amount).collect();
    // 12.055 rounds half away from zero to 12.06.
    assert_eq!(prices, [dec("90.00"), dec("108.49")]);
    assert_eq!(q.room_total.amount, dec("198.49"));
    assert_eq!(q.total.amount, dec("396.98"));
    let night = &q.nights[1];
    assert_eq!(night.list_price.amount, dec("120.55"));
    assert_eq!(night.discount().amount, dec("12.06"));
    // The channel's line is not a promotion's.
    assert!(night.promotional_discount().is_zero());
    assert!(!night.adjustments[0].offer.is_promotional());
    assert_eq!(night.adjustments[0].offer.name(), "Agency");
    assert_eq!(q.discount_total().amount, dec("22.06"));
}

#[test]
fn a_channel_without_discount_leaves_the_quote_as_it_was() {
    let f = Fixture::new(&["100", "120.55"]);
    assert_eq!(on_channel(f.quote(), &channel("0")), f.quote());
}

#[test]
fn fees_are_not_discounted_by_a_channel() {
    let mut f = Fixture::new(&["100"]);
    f.plan.fees = vec![RatePlanFee {
        name: "cleaning".into(),
        kind: FeeKind::PerStay,
        amount: dec("20"),
    }];
    let q = on_channel(f.quote(), &channel("0.5")).unwrap();
    assert_eq!(q.fees_total().amount, dec("20"));
    assert_eq!(q.room_total.amount, dec("70.00"));
}

#[test]
fn a_channel_that_does_not_sell_refuses_every_stay_first() {
    let f = Fixture::new(&["100"]);
    let closed = crate::channel::ChannelTerms {
        enabled: false,
        ..channel("0")
    };
    assert_eq!(
        codes(on_channel(f.quote(), &closed).unwrap_err()),
        ["SALES_CHANNEL_DISABLED"]
    );
    let mut g = Fixture::new(&["100"]);
    g.master_rate_enabled = false;
    let blacklisted = crate::channel::ChannelTerms {
        blacklisted: true,
        ..channel("0")
    };
    assert_eq!(
        codes(on_channel(g.quote(), &blacklisted).unwrap_err()),
        ["SALES_CHANNEL_BLACKLISTED", "MASTER_RATE_DISABLED"]
    );
}
