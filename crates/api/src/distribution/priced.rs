//! The wire forms of a quoted stay: the offer (`RoomConfigurationPrice`) of the test-availability
//! list, and the price breakdown a booking keeps (`BookingStayRate`).
//!
//! Only the property's currency is sold for now: the source (hotel), internal and
//! user-specified currency amounts are the same figures in that currency, and every
//! `…CurrencyQuote` is the identity (exchange rate 1) stamped with the pricing instant.
//!
//! Figures:
//! - a night's `source…Rate`/`sourceTotal` on the nightly list is ONE room's price for the night,
//!   rounded once; its parts (`sourceBaseRate`, `sourceExtraPaxModifier`,
//!   `sourceExtraChildModifier`, `sourceSingleOccupantModifier`, the latter negative because it
//!   reduces the night) are exact, so `round(base + modifiers) = rate`;
//! - stay totals are for ALL rooms (`quantity`): `price.sourceTotal` = Σ nights × quantity,
//!   `extraCharges.sourceTotal` = Σ rate-plan fees × quantity, and the offer's (or room stay's)
//!   `sourceTotal` = both, the amount charged.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use wink_contract::{
    BookingDailyRate, BookingStayRateDetails, CustomMonetaryAmount, DailyRate, DailyRateRate,
    ExtraCharge, ExtraCharges, LocalizedPrice, QuoteLightweight, ReportingDailyRate,
    RoomConfiguration, RoomConfigurationPrice, StayRate, VariableCharge,
};
use wink_domain::pricing::{PricedNight, Quote};
use wink_domain::stay::Stay;
use wink_store::bookings::NightRow;
use wink_store::sales_channels::SalesChannelView;

use super::offers::{Evaluation, rate_plan_of_offer};
use crate::monetization::rules::{EXTRA_ADULT, EXTRA_CHILD, SINGLE_OCCUPANCY};

/// Amounts of one pricing instant in the property's currency.
#[derive(Debug, Clone)]
pub struct Pricing {
    pub currency: String,
    pub at: DateTime<Utc>,
}

impl Pricing {
    pub fn amount(&self, amount: Decimal) -> CustomMonetaryAmount {
        CustomMonetaryAmount {
            amount: amount.normalize(),
            currency: self.currency.clone(),
        }
    }

    /// The identity exchange quote (property currency to itself).
    pub fn fx(&self) -> QuoteLightweight {
        QuoteLightweight {
            source: self.currency.clone(),
            target: self.currency.clone(),
            exchange_rate: Decimal::ONE,
            timestamp: self.at.timestamp_millis(),
        }
    }
}

/// A decimal only when it is not zero (a modifier that did not apply is left out).
fn non_zero(value: Decimal) -> Option<Decimal> {
    (!value.is_zero()).then(|| value.normalize())
}

fn times(amount: Decimal, quantity: u32) -> Decimal {
    amount * Decimal::from(quantity)
}

/// Σ of a part over the nights, for all rooms.
fn stay_part(quote: &Quote, part: impl Fn(&PricedNight) -> Decimal) -> Decimal {
    times(quote.nights.iter().map(part).sum(), quote.quantity)
}

/// The stored daily rate's modifier of `key`, as the contract's VariableCharge.
fn stored_modifier(row: Option<&NightRow>, key: &str) -> Option<VariableCharge> {
    row.and_then(|r| r.modifiers.0.get(key))
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// A stored length-of-stay limit on the wire: -1 for none.
fn stay_limit(value: Option<i32>) -> i32 {
    value.filter(|v| *v > 0).unwrap_or(-1)
}

/// The nightly list of an offer: one entry per night, ONE room's figures.
fn daily_rates(ev: &Evaluation, quote: &Quote, p: &Pricing) -> Vec<DailyRate> {
    let room = ev.room;
    let last = quote.nights.len().saturating_sub(1);
    quote
        .nights
        .iter()
        .enumerate()
        .map(|(i, night)| {
            let row = ev.nights.get(&night.date).copied();
            let units = ev.units.get(&night.date).copied().unwrap_or(0);
            let rate_source = row.map(|r| r.rate_source.clone());
            let identifier = rate_identifier(ev, night.date);
            DailyRate {
                source_base_rate: Some(p.amount(night.base)),
                internal_base_rate: Some(p.amount(night.base)),
                user_specified_currency_base_rate: Some(p.amount(night.base)),
                source_extra_pax_modifier: non_zero(night.extra_adults),
                internal_extra_pax_modifier: non_zero(night.extra_adults),
                user_specified_currency_extra_pax_modifier: non_zero(night.extra_adults),
                source_extra_child_modifier: non_zero(night.extra_children),
                internal_extra_child_modifier: non_zero(night.extra_children),
                user_specified_currency_extra_child_modifier: non_zero(night.extra_children),
                source_single_occupant_modifier: non_zero(-night.single_occupancy),
                internal_single_occupant_modifier: non_zero(-night.single_occupancy),
                user_specified_currency_single_occupant_modifier: non_zero(-night.single_occupancy),
                available: Some(true),
                is_start_date: Some(i == 0),
                is_last_night: Some(i == last),
                adults: Some(ev.request.adults as i32),
                children: Some(ev.request.children() as i32),
                rate: DailyRateRate {
                    identifier: identifier.clone(),
                    hotel_identifier: room.property_id,
                    rate_source: rate_source.clone().unwrap_or_else(|| "TRAVELIKO".into()),
                    rate_plan_identifier: ev.plan.id,
                    guest_room_identifier: room.id,
                    rate: p.amount(night.base),
                    master: row.is_none_or(|r| r.open),
                    closed_on_arrival: row.is_some_and(|r| r.closed_to_arrival),
                    closed_on_departure: row.is_some_and(|r| r.closed_to_departure),
                    date: night.date,
                    quantity: Some(units as i32),
                    min_occupancy: room.min_occupancy,
                    max_occupancy: room.max_occupancy,
                    min_length_of_stay: Some(stay_limit(row.and_then(|r| r.min_los))),
                    max_length_of_stay: Some(stay_limit(row.and_then(|r| r.max_los))),
                    single_occupancy_rate_modifier: stored_modifier(row, SINGLE_OCCUPANCY),
                    extra_pax_rate_modifier: stored_modifier(row, EXTRA_ADULT),
                    extra_child_rate_modifier: stored_modifier(row, EXTRA_CHILD),
                },
                max_adult_occupancy: room.max_adults,
                max_child_occupancy: room.max_children,
                included_adult_occupancy: room.included_adults,
                included_child_occupancy: room.included_children,
                source_to_user_currency_quote: p.fx(),
                source_to_internal_currency_quote: p.fx(),
                phantom: false,
                source_total: Some(p.amount(night.price.amount)),
                internal_total: Some(p.amount(night.price.amount)),
                user_specified_currency_total: Some(p.amount(night.price.amount)),
                rate_identifier: Some(identifier),
                source_rate: Some(p.amount(night.price.amount)),
                internal_rate: Some(p.amount(night.price.amount)),
                user_specified_currency_rate: Some(p.amount(night.price.amount)),
                base_rate: Some(p.amount(night.base)),
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

/// A daily rate is identified by its master rate and date (it has no id of its own).
fn rate_identifier(ev: &Evaluation, date: NaiveDate) -> String {
    format!("{}:{date}", ev.master_rate.id)
}

/// The rate plan's fees of the stay, for all rooms; `None` without fees.
pub fn extra_charges(ev: &Evaluation, quote: &Quote, p: &Pricing) -> Option<ExtraCharges> {
    if quote.fees.is_empty() {
        return None;
    }
    let localized = |amount: Decimal, quantity: Option<i64>| LocalizedPrice {
        source_to_user_currency_quote: p.fx(),
        source_to_internal_currency_quote: p.fx(),
        user_specified_currency_base_total: p.amount(amount),
        source_base_total: p.amount(amount),
        internal_base_total: p.amount(amount),
        quantity,
        source_total: Some(p.amount(amount)),
        internal_total: Some(p.amount(amount)),
        user_specified_currency_total: Some(p.amount(amount)),
        ..Default::default()
    };
    let items = quote
        .fees
        .iter()
        .enumerate()
        .map(|(i, fee)| {
            let wire = ev.plan.request.rate_plan_level_fees.get(i).cloned();
            ExtraCharge {
                unit_price: wire
                    .as_ref()
                    .map(|w| localized(w.fixed_amount.amount, None)),
                rate_plan_level_fee: wire,
                price: Some(localized(
                    times(fee.price.amount, quote.quantity),
                    Some(i64::from(quote.quantity)),
                )),
            }
        })
        .collect();
    let total = times(quote.fees_total().amount, quote.quantity);
    Some(ExtraCharges {
        items,
        user_specified_currency_total: Some(p.amount(total)),
        source_total: Some(p.amount(total)),
        internal_total: Some(p.amount(total)),
    })
}

/// The first night's rate source (every night of a master rate normally shares it).
pub fn rate_source(ev: &Evaluation, quote: &Quote) -> Option<String> {
    quote
        .nights
        .first()
        .and_then(|n| ev.nights.get(&n.date))
        .map(|r| r.rate_source.clone())
}

/// The stay's nights for all rooms, with their parts and the nightly list.
fn stay_rate(ev: &Evaluation, quote: &Quote, p: &Pricing) -> StayRate {
    let nights_total = times(quote.nights_total().amount, quote.quantity);
    let base = stay_part(quote, |n| n.base);
    let extra_adults = stay_part(quote, |n| n.extra_adults);
    let extra_children = stay_part(quote, |n| n.extra_children);
    let single = -stay_part(quote, |n| n.single_occupancy);
    let average = (quote.nights_total().amount / Decimal::from(quote.nights.len().max(1) as u64))
        .round_dp_with_strategy(
            quote.currency().minor_units(),
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
    StayRate {
        user_specified_currency_base_total: Some(p.amount(base)),
        source_base_total: Some(p.amount(base)),
        internal_base_total: Some(p.amount(base)),
        source_extra_pax_modifier: non_zero(extra_adults),
        internal_extra_pax_modifier: non_zero(extra_adults),
        user_specified_currency_extra_pax_modifier: non_zero(extra_adults),
        source_extra_child_modifier: non_zero(extra_children),
        internal_extra_child_modifier: non_zero(extra_children),
        user_specified_currency_extra_child_modifier: non_zero(extra_children),
        source_single_occupant_modifier: non_zero(single),
        internal_single_occupant_modifier: non_zero(single),
        user_specified_currency_single_occupant_modifier: non_zero(single),
        quantity: Some(quote.quantity as i32),
        min_occupancy: Some(ev.room.min_occupancy),
        max_occupancy: Some(ev.room.max_occupancy),
        rate_source: rate_source(ev, quote),
        available: Some(true),
        source_to_user_currency_quote: Some(p.fx()),
        source_to_internal_currency_quote: Some(p.fx()),
        list: daily_rates(ev, quote, p),
        user_specified_currency_total: Some(p.amount(nights_total)),
        source_total: Some(p.amount(nights_total)),
        internal_total: Some(p.amount(nights_total)),
        internal_average_price_per_night: Some(p.amount(average)),
        source_average_price_per_night: Some(p.amount(average)),
        user_specified_currency_average_price_per_night: Some(p.amount(average)),
        ..Default::default()
    }
}

/// The offer of an offered stay, as the test-availability list answers it and the test booking
/// takes it back. `configuration` is echoed with its quantity made explicit.
pub fn offer(
    ev: &Evaluation,
    quote: &Quote,
    channel: &SalesChannelView,
    direct: bool,
    configuration: &RoomConfiguration,
    stay: &Stay,
    p: &Pricing,
) -> RoomConfigurationPrice {
    let total = p.amount(quote.total.amount);
    RoomConfigurationPrice {
        channel_inventory_identifier: channel.id.to_string(),
        commissionable: false,
        commission: 0.0,
        direct,
        adults: ev.request.adults as i32,
        children: Some(ev.request.children() as i32),
        start_date: stay.arrival(),
        end_date: stay.departure(),
        room_rate_identifier: ev.master_rate.id.to_string(),
        room_rate_internal_name: ev.master_rate_name(),
        rate_plan: rate_plan_of_offer(ev.plan),
        price: stay_rate(ev, quote, p),
        extra_charges: extra_charges(ev, quote, p),
        configuration: RoomConfiguration {
            quantity: Some(quote.quantity as i32),
            ..configuration.clone()
        },
        active_cancellation_policy: ev.policy.wire.clone(),
        room_nights: stay.night_count() as i32,
        rate_source: rate_source(ev, quote),
        source_total: Some(total.clone()),
        internal_total: Some(total.clone()),
        available: Some(true),
        user_specified_currency_total: Some(total),
        ..Default::default()
    }
}

/// The price breakdown a booking keeps: the nights of all rooms, each night per room and for
/// all rooms.
pub fn booking_stay_rate(ev: &Evaluation, quote: &Quote, p: &Pricing) -> BookingStayRateDetails {
    let rate = stay_rate(ev, quote, p);
    let last = quote.nights.len().saturating_sub(1);
    let list = quote
        .nights
        .iter()
        .enumerate()
        .map(|(i, night)| {
            let all = times(night.price.amount, quote.quantity);
            BookingDailyRate {
                date: Some(night.date),
                rate_plan_identifier: Some(ev.plan.id),
                guest_room_identifier: Some(ev.room.id),
                rate_source: ev.nights.get(&night.date).map(|r| r.rate_source.clone()),
                source_base_rate: Some(p.amount(night.base)),
                internal_base_rate: Some(p.amount(night.base)),
                user_specified_currency_base_rate: Some(p.amount(night.base)),
                source_rate: Some(p.amount(night.price.amount)),
                internal_rate: Some(p.amount(night.price.amount)),
                user_specified_currency_rate: Some(p.amount(night.price.amount)),
                quantity: Some(quote.quantity as i32),
                source_total: Some(p.amount(all)),
                internal_total: Some(p.amount(all)),
                user_specified_currency_total: Some(p.amount(all)),
                is_start_date: Some(i == 0),
                is_end_date: Some(false),
                is_last_night: Some(i == last),
                adults: Some(ev.request.adults as i32),
                children: Some(ev.request.children() as i32),
                source_to_user_currency_quote: Some(p.fx()),
                source_to_internal_currency_quote: Some(p.fx()),
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
        user_specified_currency_extra_pax_modifier: rate.user_specified_currency_extra_pax_modifier,
        source_extra_child_modifier: rate.source_extra_child_modifier,
        internal_extra_child_modifier: rate.internal_extra_child_modifier,
        user_specified_currency_extra_child_modifier: rate
            .user_specified_currency_extra_child_modifier,
        source_single_occupant_modifier: rate.source_single_occupant_modifier,
        internal_single_occupant_modifier: rate.internal_single_occupant_modifier,
        user_specified_currency_single_occupant_modifier: rate
            .user_specified_currency_single_occupant_modifier,
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

/// The booking's nights as the reporting list shows them, for all rooms: `baseAmount` the base
/// rates, `grossAmount` the prices charged.
pub fn reporting_nights(quote: &Quote) -> Vec<ReportingDailyRate> {
    quote
        .nights
        .iter()
        .map(|n| ReportingDailyRate {
            date: Some(n.date),
            base_amount: Some(times(n.base, quote.quantity).normalize()),
            gross_amount: Some(times(n.price.amount, quote.quantity).normalize()),
            currency: Some(quote.currency().code().to_string()),
            ..Default::default()
        })
        .collect()
}
