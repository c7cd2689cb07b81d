//! The wire forms of a quoted stay: the offer (`RoomConfigurationPrice`) of the test-availability
//! list, and the price breakdown a booking keeps (`BookingStayRate`), in three currencies.
//!
//! Currencies (see `crate::fx`): every `source…` figure is in the property's currency, exactly as
//! the engine priced it; `internal…` figures are in the internal currency and
//! `userSpecifiedCurrency…` figures in the request's `currency`, each with the quote used
//! (`sourceToInternalCurrencyQuote`, `sourceToUserCurrencyQuote`). A converted breakdown converts
//! each LINE once (a night of one room, a fee of one room, a promotion line) at the quote's rate,
//! rounded to the target's minor unit, and its totals are sums of converted lines, so it adds up
//! like the original; the parts that explain a night (base, occupancy modifiers) are converted on
//! their own the same way.
//!
//! Figures:
//! - a night's `source…Rate`/`sourceTotal` on the nightly list is ONE room's price for the night
//!   after promotions, rounded once; its parts (`sourceBaseRate`, `sourceExtraPaxModifier`,
//!   `sourceExtraChildModifier`, `sourceSingleOccupantModifier`, the latter negative because it
//!   reduces the night) are exact, so `round(base + modifiers) = list price`, and
//!   `list price + sourcePremiumModifier + sourcePromotionalModifier = rate` (the promotional
//!   modifier is negative);
//! - stay totals are for ALL rooms (`quantity`): `price.sourceTotal` = (Σ nights ± the stay-level
//!   promotion lines) × quantity, `extraCharges.sourceTotal` = Σ rate-plan fees × quantity, and the
//!   offer's (or room stay's) `sourceTotal` = both, the amount charged; `price.sourcePromotionalModifier`
//!   and `sourcePremiumModifier` are every promotion line of every room (nights and stay);
//! - `promotionalDiscountPercent` = discount ÷ (list price + premiums) × 100 and `premiumPercent`
//!   = premiums ÷ list price × 100, in percent with two decimals (10 = 10 %), of the stay or of the
//!   night, counting the promotions' discount; `totalDiscountPercent` counts every discount,
//!   the sales channel's too (its line is one of the night's discount lines, so it is in the
//!   promotional modifier amounts: see `wink_domain::pricing::on_channel`);
//! - `promotionalCodes` are the codes the booker entered that unlocked an applied promotion;
//!   `offerDetails` the texts of the applied promotions (a bundle's are its items');
//!   a night's `promotion` is the id of the promotion or bundle that discounted it.

use rust_decimal::Decimal;
use uuid::Uuid;
use wink_contract::{
    BookingDailyRate, BookingStayRateDetails, CustomMonetaryAmount, DailyRate, DailyRateRate,
    ExtraCharge, ExtraCharges, LocalizedDescription, LocalizedPrice, QuoteLightweight,
    ReportingDailyRate, RoomConfiguration, RoomConfigurationPrice, StayRate,
};
use wink_domain::pricing::{Adjustment, AppliedOffer, PricedNight, Quote};
use wink_domain::promotion::PromotionKind;
use wink_domain::stay::Stay;

use super::catalog::Evaluation;
use super::channel::Channel;
use super::wire::rate_plan_of_offer;
use crate::error::ApiError;
use crate::fx::{Currencies, View};

/// One night of ONE room in one currency.
#[derive(Debug, Clone)]
struct NightFigures {
    base: Decimal,
    extra_adults: Decimal,
    extra_children: Decimal,
    /// The reduction, ≥ 0.
    single_occupancy: Decimal,
    premium: Decimal,
    /// The discount, ≥ 0.
    discount: Decimal,
    price: Decimal,
}

/// A quote in one currency: ONE room's lines, each converted once.
#[derive(Debug, Clone)]
struct Figures {
    view: View,
    nights: Vec<NightFigures>,
    fees: Vec<Decimal>,
    stay_premium: Decimal,
    stay_discount: Decimal,
    quantity: u32,
}

impl Figures {
    fn new(quote: &Quote, view: &View) -> Option<Figures> {
        let c = |amount: Decimal| view.convert(amount);
        let kind_sum = |adjustments: &[Adjustment], kind: PromotionKind| -> Option<Decimal> {
            adjustments
                .iter()
                .filter(|a| a.kind == kind)
                .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(c(a.amount.amount)?))
        };
        let nights = quote
            .nights
            .iter()
            .map(|n| {
                Some(NightFigures {
                    base: c(n.base)?,
                    extra_adults: c(n.extra_adults)?,
                    extra_children: c(n.extra_children)?,
                    single_occupancy: c(n.single_occupancy)?,
                    premium: kind_sum(&n.adjustments, PromotionKind::Premium)?,
                    discount: kind_sum(&n.adjustments, PromotionKind::Discount)?,
                    price: c(n.price.amount)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let fees = quote
            .fees
            .iter()
            .map(|f| c(f.price.amount))
            .collect::<Option<Vec<_>>>()?;
        let figures = Figures {
            view: view.clone(),
            nights,
            fees,
            stay_premium: kind_sum(&quote.stay_adjustments, PromotionKind::Premium)?,
            stay_discount: kind_sum(&quote.stay_adjustments, PromotionKind::Discount)?,
            quantity: quote.quantity,
        };
        // Every total below is a sum of these lines times the rooms: check it fits once.
        figures
            .room_total()
            .checked_mul(Decimal::from(quote.quantity))?;
        Some(figures)
    }

    fn money(&self, amount: Decimal) -> CustomMonetaryAmount {
        CustomMonetaryAmount {
            amount: amount.normalize(),
            currency: self.view.target.code().to_string(),
        }
    }

    /// All rooms.
    fn times(&self, amount: Decimal) -> Decimal {
        amount * Decimal::from(self.quantity)
    }

    fn sum(&self, part: impl Fn(&NightFigures) -> Decimal) -> Decimal {
        self.nights.iter().map(part).sum()
    }

    /// ONE room's nights and stay-level promotion lines (the stay's price without fees).
    fn stay_total(&self) -> Decimal {
        self.sum(|n| n.price) + self.stay_premium - self.stay_discount
    }

    fn fees_total(&self) -> Decimal {
        self.fees.iter().sum()
    }

    /// ONE room: what it costs.
    fn room_total(&self) -> Decimal {
        self.stay_total() + self.fees_total()
    }

    /// ONE room's premiums, nights and stay.
    fn premium(&self) -> Decimal {
        self.sum(|n| n.premium) + self.stay_premium
    }

    /// ONE room's discounts, nights and stay.
    fn discount(&self) -> Decimal {
        self.sum(|n| n.discount) + self.stay_discount
    }

    fn average_per_night(&self) -> Decimal {
        let nights = Decimal::from(self.nights.len().max(1) as u64);
        (self.stay_total() / nights).round_dp_with_strategy(
            self.view.target.minor_units(),
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        )
    }
}

/// A quoted stay with its figures in the three currencies.
pub struct Priced<'a> {
    pub ev: &'a Evaluation<'a>,
    pub quote: &'a Quote,
    source: Figures,
    internal: Figures,
    user: Figures,
}

/// A stay's discount and premium percentages.
struct StayPercents {
    promotional: Option<Decimal>,
    premium: Option<Decimal>,
    total: Option<Decimal>,
}

/// A decimal only when it is not zero (a modifier that did not apply is left out).
fn non_zero(value: Decimal) -> Option<Decimal> {
    (!value.is_zero()).then(|| value.normalize())
}

/// `part` of `whole` in percent with two decimals; `None` when either is zero.
fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if part.is_zero() || whole.is_zero() {
        return None;
    }
    part.checked_div(whole)
        .and_then(|f| f.checked_mul(Decimal::ONE_HUNDRED))
        .map(|p| {
            p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
}

/// A stored length-of-stay limit on the wire: -1 for none.
fn stay_limit(value: Option<i32>) -> i32 {
    value.filter(|v| *v > 0).unwrap_or(-1)
}

/// A daily rate is identified by its master rate and date (it has no id of its own).
fn rate_identifier(ev: &Evaluation, date: chrono::NaiveDate) -> String {
    format!("{}:{date}", ev.master_rate.id)
}

impl<'a> Priced<'a> {
    /// The quote's figures in the three currencies. Refused under `field` (the request's
    /// currency) only if a converted amount cannot be represented.
    pub fn new(
        ev: &'a Evaluation<'a>,
        quote: &'a Quote,
        currencies: &Currencies,
        field: &str,
    ) -> Result<Priced<'a>, ApiError> {
        let figures = |view: &View| {
            Figures::new(quote, view).ok_or_else(|| {
                ApiError::field(
                    field,
                    format!("the price is out of range in {}", view.target),
                )
            })
        };
        Ok(Priced {
            ev,
            quote,
            source: figures(&currencies.source)?,
            internal: figures(&currencies.internal)?,
            user: figures(&currencies.user)?,
        })
    }

    fn internal_fx(&self) -> QuoteLightweight {
        self.internal.view.wire()
    }

    fn user_fx(&self) -> QuoteLightweight {
        self.user.view.wire()
    }

    /// The offer's texts of `offers`, each once, in order.
    fn details<'o>(
        &self,
        offers: impl Iterator<Item = &'o AppliedOffer>,
    ) -> Vec<LocalizedDescription> {
        let mut seen: Vec<Uuid> = Vec::new();
        let mut details = Vec::new();
        for offer in offers {
            if seen.contains(&offer.id()) {
                continue;
            }
            seen.push(offer.id());
            let texts = &self.ev.catalog.offers.texts;
            match texts
                .get(&offer.id())
                .filter(|t| !t.descriptions.is_empty())
            {
                Some(text) => details.extend(text.descriptions.iter().cloned()),
                None => {
                    let description = match offer {
                        AppliedOffer::Channel(c) => format!("Sales channel discount ({})", c.name),
                        _ => offer.name().to_string(),
                    };
                    details.push(LocalizedDescription {
                        description,
                        language: "en".into(),
                        ..Default::default()
                    });
                }
            }
        }
        details
    }

    /// The id of the promotion or bundle that discounted a night (not the channel).
    fn discounted_by(night: &PricedNight) -> Option<String> {
        night
            .adjustments
            .iter()
            .find(|a| a.kind == PromotionKind::Discount && a.offer.is_promotional())
            .map(|a| a.offer.id().to_string())
    }

    /// Percentages of ONE room's stay, from the source figures: the promotions' discount, the
    /// premiums, and every discount (the promotions' and the channel's).
    fn stay_percents(&self) -> StayPercents {
        let s = &self.source;
        let list: Decimal = self.quote.nights.iter().map(|n| n.list_price.amount).sum();
        let promotional: Decimal = self
            .quote
            .nights
            .iter()
            .map(|n| n.promotional_discount().amount)
            .sum::<Decimal>()
            + s.stay_discount;
        StayPercents {
            promotional: percent(promotional, list + s.premium()),
            premium: percent(s.premium(), list),
            total: percent(s.discount(), list + s.premium()),
        }
    }

    /// The nightly list of an offer: one entry per night, ONE room's figures.
    fn daily_rates(&self) -> Vec<DailyRate> {
        let ev = self.ev;
        let room = ev.room;
        let (s, i, u) = (&self.source, &self.internal, &self.user);
        let last = self.quote.nights.len().saturating_sub(1);
        self.quote
            .nights
            .iter()
            .enumerate()
            .map(|(k, night)| {
                let (sn, inn, un) = (&s.nights[k], &i.nights[k], &u.nights[k]);
                let row = ev.night(night.date);
                let modifiers = ev.stored_modifiers(night.date);
                let rate_source = row.map(|r| r.rate_source.clone());
                let identifier = rate_identifier(ev, night.date);
                let list = night.list_price.amount;
                DailyRate {
                    source_base_rate: Some(s.money(sn.base)),
                    internal_base_rate: Some(i.money(inn.base)),
                    user_specified_currency_base_rate: Some(u.money(un.base)),
                    source_extra_pax_modifier: non_zero(sn.extra_adults),
                    internal_extra_pax_modifier: non_zero(inn.extra_adults),
                    user_specified_currency_extra_pax_modifier: non_zero(un.extra_adults),
                    source_extra_child_modifier: non_zero(sn.extra_children),
                    internal_extra_child_modifier: non_zero(inn.extra_children),
                    user_specified_currency_extra_child_modifier: non_zero(un.extra_children),
                    source_single_occupant_modifier: non_zero(-sn.single_occupancy),
                    internal_single_occupant_modifier: non_zero(-inn.single_occupancy),
                    user_specified_currency_single_occupant_modifier: non_zero(
                        -un.single_occupancy,
                    ),
                    source_promotional_modifier: non_zero(-sn.discount),
                    internal_promotional_modifier: non_zero(-inn.discount),
                    user_specified_currency_promotional_modifier: non_zero(-un.discount),
                    source_premium_modifier: non_zero(sn.premium),
                    internal_premium_modifier: non_zero(inn.premium),
                    user_specified_currency_premium_modifier: non_zero(un.premium),
                    available: Some(true),
                    is_start_date: Some(k == 0),
                    is_last_night: Some(k == last),
                    offer_details: self.details(night.adjustments.iter().map(|a| &a.offer)),
                    has_modification: Some(!night.adjustments.is_empty()),
                    is_bundled_modifier: Some(
                        night
                            .adjustments
                            .iter()
                            .any(|a| matches!(a.offer, AppliedOffer::Bundle { .. })),
                    ),
                    promotional_discount_percent: percent(
                        night.promotional_discount().amount,
                        list + night.premium().amount,
                    ),
                    premium_percent: percent(night.premium().amount, list),
                    total_discount_percent: percent(
                        night.discount().amount,
                        list + night.premium().amount,
                    ),
                    promotion: Self::discounted_by(night),
                    adults: Some(ev.request.adults as i32),
                    children: Some(ev.request.children() as i32),
                    rate: DailyRateRate {
                        identifier: identifier.clone(),
                        hotel_identifier: room.property_id,
                        rate_source: rate_source.clone().unwrap_or_else(|| "TRAVELIKO".into()),
                        rate_plan_identifier: ev.plan.id,
                        guest_room_identifier: room.id,
                        rate: s.money(night.base),
                        master: row.is_none_or(|r| r.open),
                        closed_on_arrival: row.is_some_and(|r| r.closed_to_arrival),
                        closed_on_departure: row.is_some_and(|r| r.closed_to_departure),
                        date: night.date,
                        quantity: Some(ev.units(night.date) as i32),
                        min_occupancy: room.min_occupancy,
                        max_occupancy: room.max_occupancy,
                        min_length_of_stay: Some(stay_limit(row.and_then(|r| r.min_los))),
                        max_length_of_stay: Some(stay_limit(row.and_then(|r| r.max_los))),
                        single_occupancy_rate_modifier: modifiers
                            .and_then(|m| m.single_occupancy.clone()),
                        extra_pax_rate_modifier: modifiers.and_then(|m| m.extra_adult.clone()),
                        extra_child_rate_modifier: modifiers.and_then(|m| m.extra_child.clone()),
                    },
                    max_adult_occupancy: room.max_adults,
                    max_child_occupancy: room.max_children,
                    included_adult_occupancy: room.included_adults,
                    included_child_occupancy: room.included_children,
                    source_to_user_currency_quote: self.user_fx(),
                    source_to_internal_currency_quote: self.internal_fx(),
                    phantom: false,
                    source_total: Some(s.money(sn.price)),
                    internal_total: Some(i.money(inn.price)),
                    user_specified_currency_total: Some(u.money(un.price)),
                    rate_identifier: Some(identifier),
                    source_rate: Some(s.money(sn.price)),
                    internal_rate: Some(i.money(inn.price)),
                    user_specified_currency_rate: Some(u.money(un.price)),
                    base_rate: Some(s.money(night.base)),
                    max_occupancy: Some(room.max_occupancy),
                    min_occupancy: Some(room.min_occupancy),
                    min_los: row.and_then(|r| r.min_los).filter(|v| *v > 0),
                    max_los: row.and_then(|r| r.max_los).filter(|v| *v > 0),
                    close_on_arrival: Some(row.is_some_and(|r| r.closed_to_arrival)),
                    close_on_departure: Some(row.is_some_and(|r| r.closed_to_departure)),
                    inventory_available: Some(true),
                    master_availability: Some(row.is_none_or(|r| r.open)),
                    source: rate_source,
                    date: Some(night.date),
                    ..Default::default()
                }
            })
            .collect()
    }

    /// The rate plan's fees of the stay, for all rooms; `None` without fees.
    pub fn extra_charges(&self) -> Option<ExtraCharges> {
        let quote = self.quote;
        if quote.fees.is_empty() {
            return None;
        }
        let (s, i, u) = (&self.source, &self.internal, &self.user);
        let localized = |amounts: [Decimal; 3], quantity: Option<i64>| LocalizedPrice {
            source_to_user_currency_quote: self.user_fx(),
            source_to_internal_currency_quote: self.internal_fx(),
            user_specified_currency_base_total: u.money(amounts[2]),
            source_base_total: s.money(amounts[0]),
            internal_base_total: i.money(amounts[1]),
            quantity,
            has_promotion: Some(false),
            has_premium: Some(false),
            source_total: Some(s.money(amounts[0])),
            internal_total: Some(i.money(amounts[1])),
            user_specified_currency_total: Some(u.money(amounts[2])),
            ..Default::default()
        };
        let items = quote
            .fees
            .iter()
            .enumerate()
            .map(|(k, _)| {
                let wire = self.ev.plan.request.rate_plan_level_fees.get(k).cloned();
                let unit = wire.as_ref().and_then(|w| {
                    let amount = w.fixed_amount.amount;
                    let converted = [amount, i.view.convert(amount)?, u.view.convert(amount)?];
                    Some(localized(converted, None))
                });
                ExtraCharge {
                    unit_price: unit,
                    rate_plan_level_fee: wire,
                    price: Some(localized(
                        [s.times(s.fees[k]), i.times(i.fees[k]), u.times(u.fees[k])],
                        Some(i64::from(quote.quantity)),
                    )),
                }
            })
            .collect();
        Some(ExtraCharges {
            items,
            user_specified_currency_total: Some(u.money(u.times(u.fees_total()))),
            source_total: Some(s.money(s.times(s.fees_total()))),
            internal_total: Some(i.money(i.times(i.fees_total()))),
        })
    }

    /// The first night's rate source (every night of a master rate normally shares it).
    pub fn rate_source(&self) -> Option<String> {
        self.quote
            .nights
            .first()
            .and_then(|n| self.ev.night(n.date))
            .map(|r| r.rate_source.clone())
    }

    /// The stay's nights for all rooms, with their parts and the nightly list.
    fn stay_rate(&self) -> StayRate {
        let ev = self.ev;
        let (s, i, u) = (&self.source, &self.internal, &self.user);
        let all = |f: &Figures, part: &dyn Fn(&NightFigures) -> Decimal| f.times(f.sum(part));
        let percents = self.stay_percents();
        StayRate {
            user_specified_currency_base_total: Some(u.money(all(u, &|n| n.base))),
            source_base_total: Some(s.money(all(s, &|n| n.base))),
            internal_base_total: Some(i.money(all(i, &|n| n.base))),
            source_extra_pax_modifier: non_zero(all(s, &|n| n.extra_adults)),
            internal_extra_pax_modifier: non_zero(all(i, &|n| n.extra_adults)),
            user_specified_currency_extra_pax_modifier: non_zero(all(u, &|n| n.extra_adults)),
            source_extra_child_modifier: non_zero(all(s, &|n| n.extra_children)),
            internal_extra_child_modifier: non_zero(all(i, &|n| n.extra_children)),
            user_specified_currency_extra_child_modifier: non_zero(all(u, &|n| n.extra_children)),
            source_single_occupant_modifier: non_zero(-all(s, &|n| n.single_occupancy)),
            internal_single_occupant_modifier: non_zero(-all(i, &|n| n.single_occupancy)),
            user_specified_currency_single_occupant_modifier: non_zero(-all(u, &|n| {
                n.single_occupancy
            })),
            source_promotional_modifier: non_zero(-s.times(s.discount())),
            internal_promotional_modifier: non_zero(-i.times(i.discount())),
            user_specified_currency_promotional_modifier: non_zero(-u.times(u.discount())),
            source_premium_modifier: non_zero(s.times(s.premium())),
            internal_premium_modifier: non_zero(i.times(i.premium())),
            user_specified_currency_premium_modifier: non_zero(u.times(u.premium())),
            promotional_discount_percent: percents.promotional,
            premium_percent: percents.premium,
            total_discount_percent: percents.total,
            offer_details: self.details(self.quote.adjustments().map(|a| &a.offer)),
            promotional_codes: self.quote.promotion_codes.clone(),
            quantity: Some(self.quote.quantity as i32),
            min_occupancy: Some(ev.room.min_occupancy),
            max_occupancy: Some(ev.room.max_occupancy),
            rate_source: self.rate_source(),
            available: Some(true),
            source_to_user_currency_quote: Some(self.user_fx()),
            source_to_internal_currency_quote: Some(self.internal_fx()),
            list: self.daily_rates(),
            user_specified_currency_total: Some(u.money(u.times(u.stay_total()))),
            source_total: Some(s.money(s.times(s.stay_total()))),
            internal_total: Some(i.money(i.times(i.stay_total()))),
            internal_average_price_per_night: Some(i.money(i.average_per_night())),
            source_average_price_per_night: Some(s.money(s.average_per_night())),
            user_specified_currency_average_price_per_night: Some(u.money(u.average_per_night())),
            ..Default::default()
        }
    }

    /// ALL rooms: what the stay costs in each currency (source, internal, user).
    pub fn totals(&self) -> [CustomMonetaryAmount; 3] {
        [&self.source, &self.internal, &self.user].map(|f| f.money(f.times(f.room_total())))
    }

    /// The offer of an offered stay, as the test-availability list answers it and the test
    /// booking takes it back. `configuration` is echoed with its quantity made explicit.
    pub fn offer(
        &self,
        channel: &Channel,
        direct: bool,
        configuration: &RoomConfiguration,
        stay: &Stay,
    ) -> RoomConfigurationPrice {
        let ev = self.ev;
        let [source, internal, user] = self.totals();
        RoomConfigurationPrice {
            channel_inventory_identifier: channel.view.id.to_string(),
            commissionable: channel.terms.commissionable(),
            commission: channel.terms.commission.to_wire(),
            direct,
            adults: ev.request.adults as i32,
            children: Some(ev.request.children() as i32),
            start_date: stay.arrival(),
            end_date: stay.departure(),
            room_rate_identifier: ev.master_rate.id.to_string(),
            room_rate_internal_name: ev.master_rate_name(),
            rate_plan: rate_plan_of_offer(ev.plan),
            price: self.stay_rate(),
            extra_charges: self.extra_charges(),
            configuration: RoomConfiguration {
                quantity: Some(self.quote.quantity as i32),
                ..configuration.clone()
            },
            active_cancellation_policy: ev.policy.wire.clone(),
            room_nights: stay.night_count() as i32,
            rate_source: self.rate_source(),
            source_total: Some(source),
            internal_total: Some(internal),
            available: Some(true),
            user_specified_currency_total: Some(user),
            ..Default::default()
        }
    }

    /// The price breakdown a booking keeps: the nights of all rooms, each night per room and for
    /// all rooms, with the quotes used.
    pub fn booking_stay_rate(&self) -> BookingStayRateDetails {
        let rate = self.stay_rate();
        let ev = self.ev;
        let (s, i, u) = (&self.source, &self.internal, &self.user);
        let last = self.quote.nights.len().saturating_sub(1);
        let list = self
            .quote
            .nights
            .iter()
            .enumerate()
            .map(|(k, night)| {
                let (sn, inn, un) = (&s.nights[k], &i.nights[k], &u.nights[k]);
                let list_price = night.list_price.amount;
                BookingDailyRate {
                    date: Some(night.date),
                    rate_plan_identifier: Some(ev.plan.id),
                    guest_room_identifier: Some(ev.room.id),
                    rate_source: ev.night(night.date).map(|r| r.rate_source.clone()),
                    source_base_rate: Some(s.money(sn.base)),
                    internal_base_rate: Some(i.money(inn.base)),
                    user_specified_currency_base_rate: Some(u.money(un.base)),
                    source_rate: Some(s.money(sn.price)),
                    internal_rate: Some(i.money(inn.price)),
                    user_specified_currency_rate: Some(u.money(un.price)),
                    quantity: Some(self.quote.quantity as i32),
                    source_total: Some(s.money(s.times(sn.price))),
                    internal_total: Some(i.money(i.times(inn.price))),
                    user_specified_currency_total: Some(u.money(u.times(un.price))),
                    promotional_discount_percent: percent(
                        night.promotional_discount().amount,
                        list_price + night.premium().amount,
                    ),
                    premium_percent: percent(night.premium().amount, list_price),
                    offer_details: self.details(night.adjustments.iter().map(|a| &a.offer)),
                    is_start_date: Some(k == 0),
                    is_end_date: Some(false),
                    is_last_night: Some(k == last),
                    adults: Some(ev.request.adults as i32),
                    children: Some(ev.request.children() as i32),
                    source_to_user_currency_quote: Some(self.user_fx()),
                    source_to_internal_currency_quote: Some(self.internal_fx()),
                    ..Default::default()
                }
            })
            .collect();
        BookingStayRateDetails {
            user_specified_currency_base_total: rate.user_specified_currency_base_total,
            source_base_total: rate.source_base_total,
            internal_base_total: rate.internal_base_total,
            source_extra_pax_modifier: rate.source_extra_pax_modifier,
            internal_extra_pax_modifier: rate.internal_extra_pax_modifier,
            user_specified_currency_extra_pax_modifier: rate
                .user_specified_currency_extra_pax_modifier,
            source_extra_child_modifier: rate.source_extra_child_modifier,
            internal_extra_child_modifier: rate.internal_extra_child_modifier,
            user_specified_currency_extra_child_modifier: rate
                .user_specified_currency_extra_child_modifier,
            source_single_occupant_modifier: rate.source_single_occupant_modifier,
            internal_single_occupant_modifier: rate.internal_single_occupant_modifier,
            user_specified_currency_single_occupant_modifier: rate
                .user_specified_currency_single_occupant_modifier,
            source_promotional_modifier: rate.source_promotional_modifier,
            internal_promotional_modifier: rate.internal_promotional_modifier,
            user_specified_currency_promotional_modifier: rate
                .user_specified_currency_promotional_modifier,
            source_premium_modifier: rate.source_premium_modifier,
            internal_premium_modifier: rate.internal_premium_modifier,
            user_specified_currency_premium_modifier: rate.user_specified_currency_premium_modifier,
            promotional_discount_percent: rate.promotional_discount_percent,
            premium_percent: rate.premium_percent,
            total_discount_percent: rate.total_discount_percent,
            offer_details: rate.offer_details,
            promotional_codes: rate.promotional_codes,
            quantity: rate.quantity,
            min_occupancy: rate.min_occupancy,
            max_occupancy: rate.max_occupancy,
            rate_source: rate.rate_source,
            available: Some(true),
            source_to_user_currency_quote: rate.source_to_user_currency_quote,
            source_to_internal_currency_quote: rate.source_to_internal_currency_quote,
            list,
            user_specified_currency_total: rate.user_specified_currency_total,
            source_total: rate.source_total,
            internal_total: rate.internal_total,
            ..Default::default()
        }
    }

    /// The booking's nights as the reporting list shows them, for all rooms, in the property's
    /// currency: `baseAmount` the base rates, `grossAmount` the prices charged.
    pub fn reporting_nights(&self) -> Vec<ReportingDailyRate> {
        let quote = self.quote;
        let times = |amount: Decimal| (amount * Decimal::from(quote.quantity)).normalize();
        quote
            .nights
            .iter()
            .map(|n| ReportingDailyRate {
                date: Some(n.date),
                base_amount: Some(times(n.base)),
                gross_amount: Some(times(n.price.amount)),
                currency: Some(quote.currency().code().to_string()),
                ..Default::default()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_two_decimals_and_skip_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(percent(d("200"), d("2000")), Some(d("10")));
        assert_eq!(percent(d("1"), d("3")), Some(d("33.33")));
        assert_eq!(percent(d("0"), d("3")), None);
        assert_eq!(percent(d("1"), d("0")), None);
    }
}
