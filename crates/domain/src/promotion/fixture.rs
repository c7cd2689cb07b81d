//! A priced stay with promotions, for the unit tests of `promotion` and `pricing`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{Booker, Bundle, Coverage, Offers, PricingType, Promotion, PromotionKind};
use crate::calendar::{NightAvailability, NightRate};
use crate::charge::VariableCharge;
use crate::money::Currency;
use crate::occupancy::{RoomCapacity, RoomRequest};
use crate::pricing::{Quote, QuoteRequest, quote, quote_with_offers};
use crate::rate_plan::RatePlanRules;
use crate::stay::Stay;
use crate::test_support::{date, dec};

pub const MASTER_RATE: Uuid = Uuid::from_u128(0xAA);
pub const RATE_PLAN: Uuid = Uuid::from_u128(0xBB);

/// A stay, everything to price it, and the property's promotions, to tweak per test.
pub struct Scene {
    pub stay: Stay,
    pub room: RoomRequest,
    pub booked_on: NaiveDate,
    pub currency: Currency,
    pub capacity: RoomCapacity,
    pub plan: RatePlanRules,
    pub nights: Vec<NightRate>,
    pub availability: Vec<NightAvailability>,
    pub promotions: Vec<Promotion>,
    pub bundles: Vec<Bundle>,
    pub booker: Booker,
    pub booked_at: DateTime<Utc>,
    pub zone: Tz,
    pub rooms_in_booking: u32,
    /// Promotions and bundles switched off on the sales channel quoted.
    pub switched_off: Vec<Uuid>,
}

impl Scene {
    /// Two adults arriving Friday 2026-12-04, one night per rate, in EUR, at a property in
    /// Paris; booked on Sunday 2026-11-01 at 11:00 Paris time by a Bangkok booker who entered
    /// the code `SUMMER`.
    pub fn new(rates: &[&str]) -> Scene {
        let stay = Stay::from_nights(date("2026-12-04"), rates.len() as u32).unwrap();
        Scene {
            nights: stay
                .nights()
                .zip(rates)
                .map(|(d, rate)| NightRate::priced(d, dec(rate)))
                .collect(),
            availability: stay
                .nights()
                .map(|d| NightAvailability { date: d, units: 5 })
                .collect(),
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
                included_children: 4,
            },
            plan: RatePlanRules::unrestricted(),
            promotions: Vec::new(),
            bundles: Vec::new(),
            booker: Booker {
                promotion_codes: vec!["SUMMER ".into()],
                continent: Some("AS".into()),
                country: Some("TH".into()),
                city_geo_name_id: Some("1609350".into()),
                city_name: Some("Bangkok".into()),
                time_zone: Some("Asia/Bangkok".into()),
                ip: Some("203.0.113.7".parse().unwrap()),
            },
            booked_at: "2026-11-01T10:00:00Z".parse().unwrap(),
            zone: Tz::Europe__Paris,
            rooms_in_booking: 1,
            switched_off: Vec::new(),
        }
    }

    pub fn with(mut self, promotion: Promotion) -> Scene {
        self.promotions.push(promotion);
        self
    }

    pub fn guests(mut self, adults: u32, child_ages: &[u32]) -> Scene {
        self.room = RoomRequest::new(adults, child_ages.to_vec(), self.room.quantity).unwrap();
        self
    }

    pub fn request(&self) -> QuoteRequest<'_> {
        QuoteRequest {
            stay: &self.stay,
            room: &self.room,
            booked_on: self.booked_on,
            currency: self.currency,
            capacity: &self.capacity,
            room_sellable: true,
            plan: &self.plan,
            master_rate_enabled: true,
            nights: &self.nights,
            availability: &self.availability,
        }
    }

    pub fn offers(&self) -> Offers<'_> {
        Offers {
            promotions: &self.promotions,
            bundles: &self.bundles,
            booker: &self.booker,
            master_rate_id: MASTER_RATE,
            rate_plan_id: RATE_PLAN,
            booked_at: self.booked_at,
            zone: self.zone,
            rooms_in_booking: self.rooms_in_booking,
            switched_off: &self.switched_off,
        }
    }

    pub fn quote(&self) -> Quote {
        quote_with_offers(&self.request(), &self.offers()).unwrap()
    }

    pub fn quote_without_offers(&self) -> Quote {
        quote(&self.request()).unwrap()
    }

    /// Each night's price for one room.
    pub fn night_prices(&self) -> Vec<Decimal> {
        self.quote().nights.iter().map(|n| n.price.amount).collect()
    }

    pub fn room_total(&self) -> Decimal {
        self.quote().room_total.amount
    }

    /// Ids of the promotions and bundles with a line on the quote, without repeats.
    pub fn applied(&self) -> Vec<Uuid> {
        let mut ids = Vec::new();
        for adjustment in self.quote().adjustments() {
            let id = adjustment.offer.id();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Whether the `index`th promotion applies, and on which nights.
    pub fn check(&self, index: usize) -> Coverage {
        self.promotions[index].check(&self.request(), &self.offers())
    }
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn percent(fraction: &str) -> VariableCharge {
    VariableCharge::Percent(dec(fraction))
}

pub fn fixed(amount: &str) -> VariableCharge {
    VariableCharge::Fixed(dec(amount))
}

/// A per-night discount promotion of id `n`.
pub fn discount(n: u128, modifier: VariableCharge) -> Promotion {
    Promotion::new(
        id(n),
        format!("Discount {n}"),
        PromotionKind::Discount,
        modifier,
        PricingType::PerNight,
    )
}

/// A per-night premium promotion of id `n`.
pub fn premium(n: u128, modifier: VariableCharge) -> Promotion {
    Promotion::new(
        id(n),
        format!("Premium {n}"),
        PromotionKind::Premium,
        modifier,
        PricingType::PerNight,
    )
}

/// `promotion` with another pricing type.
pub fn priced(promotion: Promotion, pricing_type: PricingType) -> Promotion {
    Promotion {
        pricing_type,
        ..promotion
    }
}
