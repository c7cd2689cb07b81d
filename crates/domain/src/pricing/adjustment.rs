//! The lines promotions add to a quote, and what produced each one.

use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::{Currency, Money};
use crate::promotion::PromotionKind;

/// A promotion or a bundle as a breakdown names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfferRef {
    pub id: Uuid,
    pub name: String,
}

/// What produced an adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppliedOffer {
    Promotion(OfferRef),
    /// A bundle, with its items in bundle order (their texts make up the offer's details).
    Bundle {
        bundle: OfferRef,
        items: Vec<OfferRef>,
    },
    /// The sales channel's own discount (`pricing::on_channel`), after promotions.
    Channel(OfferRef),
}

impl AppliedOffer {
    /// The promotion's or the bundle's id.
    pub fn id(&self) -> Uuid {
        match self {
            AppliedOffer::Promotion(promotion) => promotion.id,
            AppliedOffer::Bundle { bundle, .. } => bundle.id,
            AppliedOffer::Channel(channel) => channel.id,
        }
    }

    /// The promotion's, the bundle's or the channel's name.
    pub fn name(&self) -> &str {
        match self {
            AppliedOffer::Promotion(promotion) => &promotion.name,
            AppliedOffer::Bundle { bundle, .. } => &bundle.name,
            AppliedOffer::Channel(channel) => &channel.name,
        }
    }

    /// A promotion or a bundle, not the channel's discount.
    pub fn is_promotional(&self) -> bool {
        !matches!(self, AppliedOffer::Channel(_))
    }
}

/// A premium or a discount on one room: a line of its own, rounded once, never negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub kind: PromotionKind,
    pub offer: AppliedOffer,
    /// Added for a premium, taken off for a discount.
    pub amount: Money,
}

impl Adjustment {
    /// The amount with the sign it has on the bill.
    pub fn signed(&self) -> Decimal {
        match self.kind {
            PromotionKind::Premium => self.amount.amount,
            PromotionKind::Discount => -self.amount.amount,
        }
    }
}

/// Σ of the `kind` adjustments, as a positive amount.
pub(super) fn total<'a>(
    adjustments: impl IntoIterator<Item = &'a Adjustment>,
    kind: PromotionKind,
    currency: Currency,
) -> Money {
    let sum = adjustments
        .into_iter()
        .filter(|a| a.kind == kind)
        .map(|a| a.amount.amount)
        .sum();
    Money::new(sum, currency)
}
