//! Promotions (the contract's "special rates"): premiums and discounts on room nights, the
//! qualifiers that decide whether they apply, bundles, and the rule that decides which of
//! them combine. Pricing applies them in `pricing::quote_with_offers`.
//!
//! # Stacking (which promotions combine)
//! - Every applicable PREMIUM applies, each on its own lines.
//! - DISCOUNTS do not stack. The candidates are each applicable DISCOUNT promotion alone and
//!   each applicable bundle (its override when it has a DISCOUNT one, else its DISCOUNT items
//!   together): a bundle is the property's explicit way to combine discounts. The guest gets
//!   the ONE candidate that takes the most off one room's stay (nights and stay-level lines,
//!   after the caps below), the same candidate on every night, so an offer names one
//!   promotion or bundle. Ties go to a promotion before a bundle, then to the smaller id, so
//!   the choice never depends on the order promotions are listed in.
//! - A bundle is an extra candidate, never a removal: its items still apply (premiums) or
//!   compete (discounts) on their own. Its premium items are not applied a second time
//!   through it; a bundle whose override is a PREMIUM applies as one more premium.
//! - Percentages are fractions of the LIST price (the night before any promotion, or the
//!   covered nights' list prices for a stay-level type), so premiums and discounts never
//!   compound and their order does not matter.
//! - Nothing goes negative: a night's discount is at most its list price plus its premiums;
//!   a stay-level discount at most the room's nights plus its stay-level premiums. Fees are
//!   never discounted. Lines of zero are not shown, and a promotion that moves no price is
//!   not reported as applied.
//!
//! # Where an amount lands ([`PricingType`])
//! - PER_NIGHT and PER_DAY (a room's day is its night), PER_PERSON_PER_NIGHT,
//!   PER_ADULT_PER_NIGHT, PER_CHILD_PER_NIGHT: a line on each covered night of each room.
//! - PER_STAY, PER_USE (a room is used once per stay), PER_PERSON, PER_ADULT, PER_CHILD: one
//!   stay-level line per room.
//! - FIXED amounts count the room's guests, adults or children as the type says; a
//!   PERCENTAGE is taken once (see [`PricingType::amount`]).
//! - The *_PER_HOUR types never apply to rooms (a night has no hours); they stay valid for
//!   add-ons. A bundle with an hourly item or override therefore never applies to rooms.
//!
//! # Qualifiers
//! Each is documented on its [`Qualifiers`] field. In short: stay dates, blackout dates and
//! available days are read PER NIGHT (the promotion covers the nights that pass and applies
//! if one does; a blackout removes only its own nights); every other qualifier is about the
//! whole booking. Last minute counts from the START of the arrival day, property-local
//! midnight (`cancellation::start_of_day`, DST-safe): booked at most `seconds` before it, or
//! later that day. Master-rate and rate-plan lists apply to all when empty; add-on ids are
//! carried for add-on pricing and ignored for rooms. A disabled promotion never applies.

mod applicability;
mod booker;
mod bundle;
mod compatibility;
#[cfg(test)]
pub(crate) mod fixture;
mod offers;
mod pricing_type;
#[cfg(test)]
mod qualifier_tests;
mod qualifiers;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use applicability::{Coverage, NotApplicable};
pub use booker::Booker;
pub use bundle::{Bundle, BundleOverride};
pub use compatibility::Product;
pub use offers::Offers;
pub use pricing_type::{PricingType, Scope};
pub use qualifiers::{AdvanceBooking, City, IpRange, LengthOfStay, Period, Qualifiers, RoomRange};

use crate::charge::VariableCharge;
use crate::error::DomainError;

/// Whether a promotion raises or lowers the price (contract `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PromotionKind {
    Premium,
    Discount,
}

/// One promotion of a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub id: Uuid,
    /// Shown on the breakdown.
    pub name: String,
    pub enabled: bool,
    pub kind: PromotionKind,
    /// A fixed amount in the property's currency, or a fraction of the list price.
    pub modifier: VariableCharge,
    pub pricing_type: PricingType,
    pub qualifiers: Qualifiers,
    /// Master rates it applies to; empty for all.
    pub master_rate_ids: Vec<Uuid>,
    /// Rate plans it applies to; empty for all.
    pub rate_plan_ids: Vec<Uuid>,
    /// Add-ons it applies to. A promotion that names add-ons but no master rate or rate plan
    /// is for those add-ons only and never prices room nights.
    pub add_on_ids: Vec<Uuid>,
}

impl Promotion {
    /// An enabled promotion with no qualifier, for every master rate and rate plan.
    pub fn new(
        id: Uuid,
        name: impl Into<String>,
        kind: PromotionKind,
        modifier: VariableCharge,
        pricing_type: PricingType,
    ) -> Promotion {
        Promotion {
            id,
            name: name.into(),
            enabled: true,
            kind,
            modifier,
            pricing_type,
            qualifiers: Qualifiers::default(),
            master_rate_ids: Vec::new(),
            rate_plan_ids: Vec::new(),
            add_on_ids: Vec::new(),
        }
    }

    /// Refuses a blank name, a modifier out of range and contradictory qualifiers, naming
    /// the contract field (`modifier.percent`, `lengthOfStayRateQualifier.maxLOS`, ...).
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::invalid("name", "must not be blank"));
        }
        check_modifier(self.kind, self.modifier, "modifier")?;
        self.qualifiers.validate()
    }
}

/// A modifier's amount: fixed amounts as any input amount; percentages as fractions up to
/// `charge::MAX_PERCENT_FRACTION`, and at most 1 (100 %) for a discount, since more could
/// only be capped away.
pub(crate) fn check_modifier(
    kind: PromotionKind,
    modifier: VariableCharge,
    field: &'static str,
) -> Result<(), DomainError> {
    match modifier {
        VariableCharge::Fixed(amount) => VariableCharge::fixed(amount, field).map(drop),
        VariableCharge::Percent(fraction) => {
            VariableCharge::percent(fraction, field)?;
            if kind == PromotionKind::Discount && fraction > Decimal::ONE {
                return Err(DomainError::invalid(
                    format!("{field}.percent"),
                    "a discount is at most 1 (100 %)",
                ));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    fn promotion(kind: PromotionKind, modifier: VariableCharge) -> Promotion {
        Promotion::new(
            Uuid::from_u128(1),
            "Early bird",
            kind,
            modifier,
            PricingType::PerNight,
        )
    }

    #[test]
    fn a_new_promotion_is_enabled_unrestricted_and_valid() {
        let p = promotion(PromotionKind::Discount, VariableCharge::Percent(dec("0.1")));
        assert!(p.enabled);
        assert_eq!(p.qualifiers, Qualifiers::default());
        assert!(p.master_rate_ids.is_empty() && p.rate_plan_ids.is_empty());
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn percentages_are_fractions_and_a_discount_stops_at_100_percent() {
        let discount =
            |f: &str| promotion(PromotionKind::Discount, VariableCharge::Percent(dec(f)));
        let premium = |f: &str| promotion(PromotionKind::Premium, VariableCharge::Percent(dec(f)));
        assert_eq!(discount("1").validate(), Ok(()));
        assert_eq!(
            discount("1.01").validate().unwrap_err().field(),
            "modifier.percent"
        );
        assert_eq!(
            discount("-0.1").validate().unwrap_err().field(),
            "modifier.percent"
        );
        assert_eq!(premium("2.5").validate(), Ok(()));
        assert_eq!(
            premium("10.5").validate().unwrap_err().field(),
            "modifier.percent"
        );
    }

    #[test]
    fn fixed_amounts_are_input_amounts() {
        let fixed = |a: &str| promotion(PromotionKind::Premium, VariableCharge::Fixed(dec(a)));
        assert_eq!(fixed("25").validate(), Ok(()));
        assert_eq!(
            fixed("-1").validate().unwrap_err().field(),
            "modifier.fixedAmount"
        );
        assert_eq!(
            fixed("1000000000001").validate().unwrap_err().field(),
            "modifier.fixedAmount"
        );
    }

    #[test]
    fn name_and_qualifiers_are_validated() {
        let mut p = promotion(PromotionKind::Discount, VariableCharge::Fixed(dec("5")));
        p.name = "  ".into();
        assert_eq!(p.validate().unwrap_err().field(), "name");
        p.name = "Long stay".into();
        p.qualifiers.length_of_stay = Some(LengthOfStay {
            min_los: 7,
            max_los: 3,
        });
        assert_eq!(
            p.validate().unwrap_err().field(),
            "lengthOfStayRateQualifier.maxLOS"
        );
    }

    #[test]
    fn kind_uses_contract_names() {
        assert_eq!(
            serde_json::to_string(&PromotionKind::Premium).unwrap(),
            "\"PREMIUM\""
        );
        let kind: PromotionKind = serde_json::from_str("\"DISCOUNT\"").unwrap();
        assert_eq!(kind, PromotionKind::Discount);
    }
}
