//! A sales channel's terms of sale: whether the property sells through it at all, the discount
//! its bookers get and the commission it earns. The property sets them on the channel; every
//! offer and booking made on the channel follows them (the discount is priced by
//! `pricing::on_channel`).

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use crate::money::Money;
use crate::unavailable::Unavailable;

/// A share between 0 and 1 (0.1 = 10 %), kept to four decimals (0.01 %), as the contract's
/// `percentDiscount` and `commission` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Fraction(Decimal);

/// Decimals a [`Fraction`] keeps: a hundredth of a percent.
pub const FRACTION_DECIMALS: u32 = 4;

impl Fraction {
    pub const ZERO: Fraction = Fraction(Decimal::ZERO);

    /// A stored or exact share; `None` outside 0..=1. Rounded to [`FRACTION_DECIMALS`].
    pub fn new(value: Decimal) -> Option<Fraction> {
        let value =
            value.round_dp_with_strategy(FRACTION_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
        (Decimal::ZERO..=Decimal::ONE)
            .contains(&value)
            .then(|| Fraction(value.normalize()))
    }

    /// The wire's float (`0.1`): its nearest share of four decimals, so the float's binary
    /// noise (0.1000000000000000055…) never reaches a price. `None` when it is not a number
    /// between 0 and 1.
    pub fn from_wire(value: f64) -> Option<Fraction> {
        if !value.is_finite() {
            return None;
        }
        Fraction::new(Decimal::from_f64(value)?)
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    pub fn to_wire(self) -> f64 {
        self.0.to_f64().unwrap_or(0.0)
    }

    /// In percent (0.1 → 10).
    pub fn percent(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// This share of `amount`, rounded once to the currency's minor unit (half away from zero).
    pub fn of(self, amount: Money) -> Money {
        Money::new(amount.amount * self.0, amount.currency).round()
    }
}

/// What the property decided about selling through one sales channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelTerms {
    pub id: Uuid,
    /// How the channel is named on a bill (its owner's name).
    pub name: String,
    /// The property sells through it (`enabled`).
    pub enabled: bool,
    /// The property refuses to send it anything (`blacklisted`).
    pub blacklisted: bool,
    /// Taken off every night sold on it, after promotions (`percentDiscount`).
    pub discount: Fraction,
    /// What the channel earns of what the property keeps of a booking (`commission`).
    pub commission: Fraction,
}

impl ChannelTerms {
    /// A channel that sells at the property's prices, without commission.
    pub fn open(id: Uuid, name: impl Into<String>) -> ChannelTerms {
        ChannelTerms {
            id,
            name: name.into(),
            enabled: true,
            blacklisted: false,
            discount: Fraction::ZERO,
            commission: Fraction::ZERO,
        }
    }

    /// Why nothing is offered on the channel: none when it sells.
    pub fn check(&self) -> Vec<Unavailable> {
        let mut reasons = Vec::new();
        if !self.enabled {
            reasons.push(Unavailable::SalesChannelDisabled);
        }
        if self.blacklisted {
            reasons.push(Unavailable::SalesChannelBlacklisted);
        }
        reasons
    }

    /// Bookings on it earn it a commission.
    pub fn commissionable(&self) -> bool {
        !self.commission.is_zero()
    }

    /// The channel's commission on `kept` (what the property keeps of a booking), rounded once;
    /// the property's net is `kept` minus it.
    pub fn commission_on(&self, kept: Money) -> Money {
        self.commission.of(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::test_support::dec;

    #[test]
    fn wire_floats_become_shares_of_four_decimals() {
        assert_eq!(Fraction::from_wire(0.1).unwrap().value(), dec("0.1"));
        assert_eq!(Fraction::from_wire(0.12345).unwrap().value(), dec("0.1235"));
        assert_eq!(Fraction::from_wire(0.0).unwrap(), Fraction::ZERO);
        assert_eq!(Fraction::from_wire(1.0).unwrap().value(), Decimal::ONE);
        assert_eq!(Fraction::from_wire(0.1).unwrap().percent(), dec("10"));
        assert_eq!(Fraction::from_wire(0.15).unwrap().to_wire(), 0.15);
    }

    #[test]
    fn shares_outside_zero_to_one_are_refused() {
        for value in [-0.01, 1.01, f64::NAN, f64::INFINITY, -f64::INFINITY] {
            assert_eq!(Fraction::from_wire(value), None, "{value}");
        }
        assert_eq!(
            Fraction::new(dec("1.00001")),
            Some(Fraction::new(Decimal::ONE).unwrap())
        );
    }

    #[test]
    fn a_share_of_money_is_rounded_once() {
        let eur = Currency::parse("EUR").unwrap();
        let f = Fraction::new(dec("0.15")).unwrap();
        assert_eq!(f.of(Money::new(dec("99.99"), eur)).amount, dec("15.00"));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(f.of(Money::new(dec("1003"), jpy)).amount, dec("150"));
    }

    #[test]
    fn a_disabled_or_blacklisted_channel_sells_nothing() {
        let open = ChannelTerms::open(Uuid::nil(), "Agency");
        assert!(open.check().is_empty());
        assert!(!open.commissionable());
        let closed = ChannelTerms {
            enabled: false,
            blacklisted: true,
            ..open.clone()
        };
        assert_eq!(
            closed.check(),
            vec![
                Unavailable::SalesChannelDisabled,
                Unavailable::SalesChannelBlacklisted
            ]
        );
        assert_eq!(
            Unavailable::SalesChannelDisabled.code(),
            "SALES_CHANNEL_DISABLED"
        );
    }

    #[test]
    fn commission_is_a_share_of_what_the_property_keeps() {
        let eur = Currency::parse("EUR").unwrap();
        let terms = ChannelTerms {
            commission: Fraction::new(dec("0.15")).unwrap(),
            ..ChannelTerms::open(Uuid::nil(), "Agency")
        };
        assert!(terms.commissionable());
        assert_eq!(
            terms.commission_on(Money::new(dec("200"), eur)).amount,
            dec("30.00")
        );
    }
}
