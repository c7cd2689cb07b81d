//! The contract's `SpecialRateBundle`: two or more promotions the property offers together.
//! How a bundle competes with its items is the stacking rule in the module docs.

use uuid::Uuid;

use super::{PricingType, PromotionKind, check_modifier};
use crate::charge::VariableCharge;
use crate::error::DomainError;

/// A bundle of promotions. It applies when every item applies, on the nights they all
/// cover; it then gives its items' discounts together, or its override instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub id: Uuid,
    pub name: String,
    pub enabled: bool,
    /// Promotion ids (contract `itemIdentifiers`); a repeated id counts once.
    pub items: Vec<Uuid>,
    pub modifier_override: Option<BundleOverride>,
}

/// A single modifier replacing the items' combined one (contract `modifierOverride` with its
/// `type` and `pricingType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleOverride {
    pub kind: PromotionKind,
    pub pricing_type: PricingType,
    pub modifier: VariableCharge,
}

impl BundleOverride {
    /// The override from the contract's three optional fields: `type` and `pricingType` are
    /// required with a `modifierOverride` (refused naming them otherwise) and ignored
    /// without one. The modifier's amount is checked by [`Bundle::validate`].
    pub fn from_contract(
        modifier: Option<VariableCharge>,
        kind: Option<PromotionKind>,
        pricing_type: Option<PricingType>,
    ) -> Result<Option<BundleOverride>, DomainError> {
        let Some(modifier) = modifier else {
            return Ok(None);
        };
        let required = |field| DomainError::invalid(field, "is required with modifierOverride");
        Ok(Some(BundleOverride {
            kind: kind.ok_or_else(|| required("type"))?,
            pricing_type: pricing_type.ok_or_else(|| required("pricingType"))?,
            modifier,
        }))
    }
}

impl Bundle {
    /// An enabled bundle of `items` without override.
    pub fn new(id: Uuid, name: impl Into<String>, items: Vec<Uuid>) -> Bundle {
        Bundle {
            id,
            name: name.into(),
            enabled: true,
            items,
            modifier_override: None,
        }
    }

    /// Refuses a blank name, fewer than two distinct items (a bundle of one is that
    /// promotion) and an override amount out of range, naming the contract field.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::invalid("name", "must not be blank"));
        }
        if self.distinct_items().len() < 2 {
            return Err(DomainError::invalid(
                "itemIdentifiers",
                "a bundle needs at least two distinct promotions",
            ));
        }
        match self.modifier_override {
            Some(o) => check_modifier(o.kind, o.modifier, "modifierOverride"),
            None => Ok(()),
        }
    }

    /// The item ids without repeats, in their order.
    pub fn distinct_items(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = Vec::with_capacity(self.items.len());
        for id in &self.items {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn needs_two_distinct_items() {
        assert_eq!(
            Bundle::new(id(9), "Pair", vec![id(1), id(2)]).validate(),
            Ok(())
        );
        for items in [vec![], vec![id(1)], vec![id(1), id(1)]] {
            let err = Bundle::new(id(9), "Pair", items).validate().unwrap_err();
            assert_eq!(err.field(), "itemIdentifiers");
        }
        assert_eq!(
            Bundle::new(id(9), "Trio", vec![id(3), id(1), id(3), id(2)]).distinct_items(),
            [id(3), id(1), id(2)]
        );
    }

    #[test]
    fn needs_a_name() {
        let err = Bundle::new(id(9), " ", vec![id(1), id(2)])
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "name");
    }

    #[test]
    fn override_needs_its_type_and_pricing_type() {
        let ten = Some(VariableCharge::Percent(dec("0.1")));
        let kind = Some(PromotionKind::Discount);
        let per_night = Some(PricingType::PerNight);
        assert_eq!(
            BundleOverride::from_contract(None, kind, per_night),
            Ok(None)
        );
        assert_eq!(
            BundleOverride::from_contract(ten, kind, per_night).unwrap(),
            Some(BundleOverride {
                kind: PromotionKind::Discount,
                pricing_type: PricingType::PerNight,
                modifier: VariableCharge::Percent(dec("0.1")),
            })
        );
        let err = BundleOverride::from_contract(ten, None, per_night).unwrap_err();
        assert_eq!(err.field(), "type");
        let err = BundleOverride::from_contract(ten, kind, None).unwrap_err();
        assert_eq!(err.field(), "pricingType");
    }

    #[test]
    fn override_amount_is_checked() {
        let with = |kind, modifier| Bundle {
            modifier_override: Some(BundleOverride {
                kind,
                pricing_type: PricingType::PerStay,
                modifier,
            }),
            ..Bundle::new(id(9), "Pair", vec![id(1), id(2)])
        };
        let over = VariableCharge::Percent(dec("1.5"));
        let err = with(PromotionKind::Discount, over).validate().unwrap_err();
        assert_eq!(err.field(), "modifierOverride.percent");
        assert_eq!(with(PromotionKind::Premium, over).validate(), Ok(()));
        let negative = VariableCharge::Fixed(dec("-1"));
        let err = with(PromotionKind::Discount, negative)
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "modifierOverride.fixedAmount");
    }
}
