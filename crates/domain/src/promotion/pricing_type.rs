//! The contract's `pricingType`: how a promotion's modifier multiplies on a room's bill.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::charge::VariableCharge;
use crate::occupancy::RoomRequest;

/// How a promotion's (or a bundle override's) modifier multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PricingType {
    PerStay,
    PerDay,
    PerNight,
    PerUse,
    PerHour,
    PerPerson,
    PerPersonPerNight,
    PerPersonPerHour,
    PerAdult,
    PerAdultPerNight,
    PerAdultPerHour,
    PerChild,
    PerChildPerNight,
    PerChildPerHour,
}

/// Where a pricing type's amount lands on one room's bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// On each covered night: a line of the night.
    Night,
    /// Once for the stay: a stay-level line of the room.
    Stay,
}

/// Whom a pricing type counts in one room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Room,
    Guests,
    Adults,
    Children,
}

impl PricingType {
    pub const ALL: [PricingType; 14] = [
        PricingType::PerStay,
        PricingType::PerDay,
        PricingType::PerNight,
        PricingType::PerUse,
        PricingType::PerHour,
        PricingType::PerPerson,
        PricingType::PerPersonPerNight,
        PricingType::PerPersonPerHour,
        PricingType::PerAdult,
        PricingType::PerAdultPerNight,
        PricingType::PerAdultPerHour,
        PricingType::PerChild,
        PricingType::PerChildPerNight,
        PricingType::PerChildPerHour,
    ];

    /// `None` for the hourly types: a room night has no hours to count, so they never price
    /// a room (they are for add-ons and day use).
    pub fn scope(self) -> Option<Scope> {
        use PricingType::*;
        match self {
            PerDay | PerNight | PerPersonPerNight | PerAdultPerNight | PerChildPerNight => {
                Some(Scope::Night)
            }
            PerStay | PerUse | PerPerson | PerAdult | PerChild => Some(Scope::Stay),
            PerHour | PerPersonPerHour | PerAdultPerHour | PerChildPerHour => None,
        }
    }

    fn counted(self) -> Counted {
        use PricingType::*;
        match self {
            PerStay | PerDay | PerNight | PerUse | PerHour => Counted::Room,
            PerPerson | PerPersonPerNight | PerPersonPerHour => Counted::Guests,
            PerAdult | PerAdultPerNight | PerAdultPerHour => Counted::Adults,
            PerChild | PerChildPerNight | PerChildPerHour => Counted::Children,
        }
    }

    /// How many times a FIXED amount counts for one room of `room`: 1, or its guests,
    /// adults or children.
    pub fn units(self, room: &RoomRequest) -> u32 {
        match self.counted() {
            Counted::Room => 1,
            Counted::Guests => room.guests(),
            Counted::Adults => room.adults,
            Counted::Children => room.children(),
        }
    }

    /// The unrounded amount of `modifier` for one room of `room`, on `base` (the list price
    /// the promotion covers: one night's, or the covered nights' total for a stay type).
    ///
    /// - FIXED: the amount × [`Self::units`].
    /// - PERCENTAGE: the fraction of `base`, ONCE. Not multiplied by guests: a room's price
    ///   already pays for all its guests, so "10 % per person" can only mean 10 % of what they
    ///   pay, which is also how the contract reports it (`promotionalDiscountPercent`).
    /// - Zero when the type counts nobody in this room (a per-child promotion for a room
    ///   without children), whatever the modifier; never negative. `None` on overflow.
    pub fn amount(
        self,
        modifier: VariableCharge,
        base: Decimal,
        room: &RoomRequest,
    ) -> Option<Decimal> {
        let units = self.units(room);
        if units == 0 {
            return Some(Decimal::ZERO);
        }
        let amount = match modifier {
            VariableCharge::Fixed(amount) => amount.checked_mul(Decimal::from(units))?,
            VariableCharge::Percent(fraction) => base.checked_mul(fraction)?,
        };
        Some(amount.max(Decimal::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    fn family() -> RoomRequest {
        RoomRequest::new(2, vec![4, 9, 12], 1).unwrap()
    }

    #[test]
    fn every_type_has_one_scope_and_hourly_types_none() {
        use PricingType::*;
        let nightly = [
            PerDay,
            PerNight,
            PerPersonPerNight,
            PerAdultPerNight,
            PerChildPerNight,
        ];
        let stay = [PerStay, PerUse, PerPerson, PerAdult, PerChild];
        for kind in PricingType::ALL {
            let expected = if nightly.contains(&kind) {
                Some(Scope::Night)
            } else if stay.contains(&kind) {
                Some(Scope::Stay)
            } else {
                None
            };
            assert_eq!(kind.scope(), expected, "{kind:?}");
        }
        assert_eq!(PerHour.scope(), None);
        assert_eq!(PerChildPerHour.scope(), None);
    }

    #[test]
    fn units_count_the_room_its_guests_adults_or_children() {
        use PricingType::*;
        let room = family();
        for (kind, units) in [
            (PerStay, 1),
            (PerNight, 1),
            (PerDay, 1),
            (PerUse, 1),
            (PerPerson, 5),
            (PerPersonPerNight, 5),
            (PerAdult, 2),
            (PerAdultPerNight, 2),
            (PerChild, 3),
            (PerChildPerNight, 3),
        ] {
            assert_eq!(kind.units(&room), units, "{kind:?}");
        }
    }

    #[test]
    fn fixed_multiplies_by_units_and_percent_takes_the_base_once() {
        let room = family();
        let fixed = VariableCharge::Fixed(dec("7.5"));
        let percent = VariableCharge::Percent(dec("0.1"));
        let base = dec("200");
        assert_eq!(
            PricingType::PerPersonPerNight.amount(fixed, base, &room),
            Some(dec("37.5"))
        );
        assert_eq!(
            PricingType::PerChild.amount(fixed, base, &room),
            Some(dec("22.5"))
        );
        assert_eq!(
            PricingType::PerNight.amount(fixed, base, &room),
            Some(dec("7.5"))
        );
        for kind in [
            PricingType::PerNight,
            PricingType::PerPerson,
            PricingType::PerChildPerNight,
        ] {
            assert_eq!(
                kind.amount(percent, base, &room),
                Some(dec("20")),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn nobody_counted_means_no_amount_and_never_negative() {
        let couple = RoomRequest::new(2, vec![], 1).unwrap();
        let percent = VariableCharge::Percent(dec("0.5"));
        assert_eq!(
            PricingType::PerChild.amount(percent, dec("100"), &couple),
            Some(Decimal::ZERO)
        );
        assert_eq!(
            PricingType::PerChildPerNight.amount(
                VariableCharge::Fixed(dec("9")),
                dec("100"),
                &couple
            ),
            Some(Decimal::ZERO)
        );
        let negative = VariableCharge::Fixed(dec("-5"));
        assert_eq!(
            PricingType::PerStay.amount(negative, dec("100"), &couple),
            Some(Decimal::ZERO)
        );
        let huge = VariableCharge::Percent(dec("10"));
        assert_eq!(
            PricingType::PerStay.amount(huge, Decimal::MAX, &couple),
            None
        );
    }

    #[test]
    fn uses_contract_names() {
        let json = serde_json::to_string(&PricingType::PerPersonPerNight).unwrap();
        assert_eq!(json, "\"PER_PERSON_PER_NIGHT\"");
        let kind: PricingType = serde_json::from_str("\"PER_CHILD_PER_HOUR\"").unwrap();
        assert_eq!(kind, PricingType::PerChildPerHour);
    }
}
