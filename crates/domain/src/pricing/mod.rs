//! The pricing engine: is a room type × rate plan offered for a stay, at what price night by
//! night, or why not.
//!
//! A quote runs in steps:
//! 1. eligibility: every reason the stay is not offered, all collected (`Unavailable`);
//! 2. nights: each night's price for one room, rounded once (`lines::price_night`);
//! 3. adjustments: with [`quote_with_offers`], promotions turn the priced nights into
//!    adjusted ones and add stay-level lines (`promotions::apply`; the rules are the
//!    `promotion` module's), each adjustment a rounded line of its own so the breakdown
//!    still adds up. [`quote`] skips this step;
//! 4. fees: the rate plan's fees for one room, each rounded once (`lines::price_fee`);
//! 5. totals: the rounded lines are summed exactly and multiplied by the number of
//!    identical rooms. No rounding happens here (see `money` for the policy).
//!
//! Promotions never change WHETHER a stay is offered, only its price: both entry points
//! refuse exactly the same stays.

mod adjustment;
mod channel;
mod lines;
#[cfg(test)]
mod promotion_tests;
mod promotions;
mod sent_price;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{NightAvailability, NightRate, check_calendar, index_by_date};
use crate::money::{Currency, Money};
use crate::occupancy::{RoomCapacity, RoomRequest};
use crate::promotion::{Offers, PromotionKind};
use crate::rate_plan::{FeeKind, RatePlanRules};
use crate::stay::Stay;
pub use crate::unavailable::Unavailable;
pub use adjustment::{Adjustment, AppliedOffer, OfferRef};
pub use channel::on_channel;
use promotions::Adjusted;
pub use sent_price::{SentAmount, listed_price_agrees};

/// Everything the engine needs to quote one room type × rate plan for one stay.
#[derive(Debug, Clone, Copy)]
pub struct QuoteRequest<'a> {
    pub stay: &'a Stay,
    pub room: &'a RoomRequest,
    /// Property-local date of the booking instant (sell window and advance days use it).
    pub booked_on: NaiveDate,
    /// The property's currency; every rate and fee amount is in it.
    pub currency: Currency,
    pub capacity: &'a RoomCapacity,
    /// The room type is active and bookable.
    pub room_sellable: bool,
    pub plan: &'a RatePlanRules,
    pub master_rate_enabled: bool,
    /// The master rate's records for each night of the stay, and optionally for the
    /// departure date (only its `closed_to_departure` is read).
    pub nights: &'a [NightRate],
    /// The room type's remaining units for each night of the stay.
    pub availability: &'a [NightAvailability],
}

/// One night's price for ONE room, with the parts it was built from, so a breakdown can
/// show them. `list_price = round(base − single_occupancy + extra_adults + extra_children)`
/// and `price = list_price + Σ premiums − discount` (each adjustment a rounded line), both
/// never below zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedNight {
    pub date: NaiveDate,
    pub base: Decimal,
    /// Reduction granted to a lone adult, ≥ 0, never more than the rest of the night.
    pub single_occupancy: Decimal,
    pub extra_adults: Decimal,
    pub extra_children: Decimal,
    /// The night before promotions, rounded.
    pub list_price: Money,
    /// Promotions on this night: every premium, then at most one discount; on a sales channel
    /// with a discount, the channel's discount last (`on_channel`).
    pub adjustments: Vec<Adjustment>,
    /// What the night costs.
    pub price: Money,
}

impl PricedNight {
    /// Σ premiums on the night.
    pub fn premium(&self) -> Money {
        adjustment::total(
            &self.adjustments,
            PromotionKind::Premium,
            self.price.currency,
        )
    }

    /// The discounts on the night: the promotion's and the channel's.
    pub fn discount(&self) -> Money {
        adjustment::total(
            &self.adjustments,
            PromotionKind::Discount,
            self.price.currency,
        )
    }

    /// The promotion's (or bundle's) discount on the night, without the channel's.
    pub fn promotional_discount(&self) -> Money {
        adjustment::total(
            self.adjustments.iter().filter(|a| a.offer.is_promotional()),
            PromotionKind::Discount,
            self.price.currency,
        )
    }
}

/// One rate-plan fee for ONE room over the whole stay, rounded once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedFee {
    pub name: String,
    pub kind: FeeKind,
    pub price: Money,
}

/// An offered stay: lines for one room, and totals that are exact sums of those lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub nights: Vec<PricedNight>,
    pub fees: Vec<PricedFee>,
    /// Promotions on the room's stay as a whole (stay-level pricing types): every premium,
    /// then at most one discount.
    pub stay_adjustments: Vec<Adjustment>,
    /// Codes the booker entered that unlocked an applied promotion, as the property spelled
    /// them, sorted (contract `promotionalCodes`).
    pub promotion_codes: Vec<String>,
    /// One room: Σ nights + Σ fees ± Σ stay adjustments.
    pub room_total: Money,
    /// Identical rooms booked.
    pub quantity: u32,
    /// `room_total × quantity`.
    pub total: Money,
}

impl Quote {
    /// Builds the totals from rounded lines; `None` if they overflow `Decimal`.
    pub fn assemble(
        currency: Currency,
        nights: Vec<PricedNight>,
        fees: Vec<PricedFee>,
        quantity: u32,
    ) -> Option<Quote> {
        Quote::assemble_adjusted(currency, Adjusted::none(nights), fees, quantity)
    }

    fn assemble_adjusted(
        currency: Currency,
        adjusted: Adjusted,
        fees: Vec<PricedFee>,
        quantity: u32,
    ) -> Option<Quote> {
        let Adjusted {
            nights,
            stay: stay_adjustments,
            codes: promotion_codes,
        } = adjusted;
        let lines = nights
            .iter()
            .map(|n| n.price)
            .chain(fees.iter().map(|f| f.price))
            .chain(
                stay_adjustments
                    .iter()
                    .map(|a| Money::new(a.signed(), a.amount.currency)),
            );
        let room_total = Money::sum(currency, lines).ok()?;
        let total = room_total.checked_times(quantity).ok()?;
        Some(Quote {
            nights,
            fees,
            stay_adjustments,
            promotion_codes,
            room_total,
            quantity,
            total,
        })
    }

    pub fn currency(&self) -> Currency {
        self.total.currency
    }

    /// The first night's price of ONE room (zero for a quote without nights).
    pub fn first_night(&self) -> Money {
        self.nights
            .first()
            .map_or(Money::zero(self.currency()), |night| night.price)
    }

    /// The first night of EVERY room: what a "first night" cancellation charge takes.
    pub fn first_night_charge(&self) -> Money {
        let first = self.first_night();
        // Cannot overflow: a night is at most the room total, and room_total × quantity fit.
        Money::new(first.amount * Decimal::from(self.quantity), first.currency)
    }

    /// Σ nights of ONE room, without fees.
    pub fn nights_total(&self) -> Money {
        Money::new(
            self.nights.iter().map(|night| night.price.amount).sum(),
            self.currency(),
        )
    }

    /// Σ fees of ONE room.
    pub fn fees_total(&self) -> Money {
        Money::new(
            self.fees.iter().map(|fee| fee.price.amount).sum(),
            self.currency(),
        )
    }

    /// Every adjustment of ONE room: the nights' in night order, then the stay's.
    pub fn adjustments(&self) -> impl Iterator<Item = &Adjustment> {
        self.nights
            .iter()
            .flat_map(|night| &night.adjustments)
            .chain(&self.stay_adjustments)
    }

    /// Σ premiums of ONE room, nights and stay (contract `sourcePremiumModifier`).
    pub fn premium_total(&self) -> Money {
        adjustment::total(self.adjustments(), PromotionKind::Premium, self.currency())
    }

    /// Σ discounts of ONE room, nights and stay (contract `sourcePromotionalModifier`).
    pub fn discount_total(&self) -> Money {
        adjustment::total(self.adjustments(), PromotionKind::Discount, self.currency())
    }
}

/// Quotes the stay without promotions, or returns EVERY reason it is not offered.
pub fn quote(req: &QuoteRequest) -> Result<Quote, Vec<Unavailable>> {
    price(req, None)
}

/// Quotes the stay with the property's promotions and bundles applied (see `promotion` for
/// which apply and how they combine), or returns EVERY reason it is not offered: the same
/// reasons as [`quote`], since promotions only change prices.
pub fn quote_with_offers(req: &QuoteRequest, offers: &Offers) -> Result<Quote, Vec<Unavailable>> {
    price(req, Some(offers))
}

fn price(req: &QuoteRequest, offers: Option<&Offers>) -> Result<Quote, Vec<Unavailable>> {
    let reasons = eligibility(req);
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let out_of_range = || vec![Unavailable::PriceOutOfRange];
    let rates = index_by_date(req.nights, |night| night.date);
    let mut nights = Vec::with_capacity(req.stay.night_count() as usize);
    for date in req.stay.nights() {
        // Eligibility passed, so every night has a record with a rate.
        let night = rates
            .get(&date)
            .ok_or_else(|| vec![Unavailable::NoRate { date }])?;
        let priced = lines::price_night(night, req.plan, req.room, req.capacity, req.currency);
        nights.push(priced.ok_or_else(out_of_range)?);
    }
    let adjusted = match offers {
        Some(offers) => promotions::apply(req, offers, nights).ok_or_else(out_of_range)?,
        None => Adjusted::none(nights),
    };
    let (guests, night_count) = (req.room.guests(), req.stay.night_count());
    let fees = req
        .plan
        .fees
        .iter()
        .map(|fee| lines::price_fee(fee, guests, night_count, req.currency))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(out_of_range)?;
    Quote::assemble_adjusted(req.currency, adjusted, fees, req.room.quantity)
        .ok_or_else(out_of_range)
}

/// Every reason the stay is not offered, in a stable order: the product's switches, the
/// rate plan's rules, the room's capacity, then the calendar night by night.
pub fn eligibility(req: &QuoteRequest) -> Vec<Unavailable> {
    let mut reasons = Vec::new();
    if !req.room_sellable {
        reasons.push(Unavailable::RoomNotSellable);
    }
    if !req.master_rate_enabled {
        reasons.push(Unavailable::MasterRateDisabled);
    }
    if req.stay.arrival() < req.booked_on {
        reasons.push(Unavailable::ArrivalInPast {
            arrival: req.stay.arrival(),
            booked_on: req.booked_on,
        });
    }
    reasons.extend(req.plan.check(req.stay, req.room, req.booked_on));
    reasons.extend(req.capacity.check(req.room));
    reasons.extend(check_calendar(
        req.stay,
        req.room.quantity,
        req.nights,
        req.availability,
    ));
    reasons
}
