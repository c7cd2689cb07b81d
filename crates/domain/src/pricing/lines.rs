//! Pricing of single lines: one room's night, one room's fee. Each line is rounded once,
//! here, where it is produced.
//!
//! Arithmetic is checked: an overflow yields `None` (reported as `PRICE_OUT_OF_RANGE`)
//! instead of a panic, whatever the input.

use rust_decimal::Decimal;

use super::{PricedFee, PricedNight};
use crate::calendar::NightRate;
use crate::charge::VariableCharge;
use crate::money::{Currency, Money};
use crate::occupancy::{RoomCapacity, RoomRequest};
use crate::rate_plan::{RatePlanFee, RatePlanRules};

/// One night for one room of `room`, before promotions (`price` = `list_price`).
///
/// - The base rate covers `included_adults` adults and `included_children` children.
/// - Each adult beyond them adds the extra-adult charge, each child beyond them the
///   extra-child charge; the night's own modifier wins over the plan's; a percentage is a
///   fraction of the base.
/// - Exactly one adult and no children is "single occupancy": the single-occupancy
///   modifier REDUCES the night (the contract's example is "a 10% discount for solo
///   travelers"). The reduction is capped at the rest of the night, so the price is never
///   negative and the parts still explain it.
///
/// `None` if the night has no rate (eligibility prevents it) or on overflow.
pub(super) fn price_night(
    night: &NightRate,
    plan: &RatePlanRules,
    room: &RoomRequest,
    capacity: &RoomCapacity,
    currency: Currency,
) -> Option<PricedNight> {
    let base = night.rate?;
    let extra_adult = night.extra_adult.or(plan.extra_adult);
    let extra_child = night.extra_child.or(plan.extra_child);
    let extra_adults = extra_charge(
        extra_adult,
        base,
        room.adults.saturating_sub(capacity.included_adults),
    )?;
    let extra_children = extra_charge(
        extra_child,
        base,
        room.children().saturating_sub(capacity.included_children),
    )?;
    let gross = base
        .checked_add(extra_adults)?
        .checked_add(extra_children)?
        .max(Decimal::ZERO);

    let single_occupancy = match night.single_occupancy.or(plan.single_occupancy) {
        Some(modifier) if room.adults == 1 && room.children() == 0 => modifier
            .checked_amount_on(base)?
            .clamp(Decimal::ZERO, gross),
        _ => Decimal::ZERO,
    };
    let price = Money::new(gross.checked_sub(single_occupancy)?, currency).round();
    Some(PricedNight {
        date: night.date,
        base,
        single_occupancy,
        extra_adults,
        extra_children,
        list_price: price,
        adjustments: Vec::new(),
        price,
    })
}

/// `count` guests' worth of `charge` on `base`; zero without a charge or extra guests.
fn extra_charge(charge: Option<VariableCharge>, base: Decimal, count: u32) -> Option<Decimal> {
    match charge {
        Some(charge) if count > 0 => charge
            .checked_amount_on(base)?
            .checked_mul(Decimal::from(count)),
        _ => Some(Decimal::ZERO),
    }
}

/// One fee for one room: amount × the fee kind's units, rounded once.
pub(super) fn price_fee(
    fee: &RatePlanFee,
    guests: u32,
    nights: u32,
    currency: Currency,
) -> Option<PricedFee> {
    let units = Decimal::from(fee.kind.units(guests, nights));
    let amount = fee.amount.checked_mul(units)?;
    Some(PricedFee {
        name: fee.name.clone(),
        kind: fee.kind,
        price: Money::new(amount, currency).round(),
    })
}
