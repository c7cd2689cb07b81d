//! The contract's cancellation-policy values, spelled exactly as on the wire (including
//! its "TWENTYONE", "FOURTY_TWO" and "NINENTY"), and what each one means.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::Money;

/// How long a refundable booking can be cancelled free of charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FreeCancellation {
    UntilEighteenHundredHoursOnDayOfArrival,
    UntilFourteenHundredHoursOnDayOfArrival,
    OneDayBeforeArrival,
    TwoDaysBeforeArrival,
    ThreeDaysBeforeArrival,
    FiveDaysBeforeArrival,
    SevenDaysBeforeArrival,
    FourteenDaysBeforeArrival,
    TwentyoneDaysBeforeArrival,
    ThirtyDaysBeforeArrival,
    FourtyTwoDaysBeforeArrival,
    SixtyDaysBeforeArrival,
}

/// When a deadline falls, relative to the arrival day, in property-local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// The end of the day `n` days before the arrival day.
    DaysBefore(u32),
    /// This hour (0–23) on the arrival day.
    HourOnArrivalDay(u32),
}

impl FreeCancellation {
    pub(crate) fn deadline(self) -> Deadline {
        use FreeCancellation::*;
        match self {
            UntilEighteenHundredHoursOnDayOfArrival => Deadline::HourOnArrivalDay(18),
            UntilFourteenHundredHoursOnDayOfArrival => Deadline::HourOnArrivalDay(14),
            OneDayBeforeArrival => Deadline::DaysBefore(1),
            TwoDaysBeforeArrival => Deadline::DaysBefore(2),
            ThreeDaysBeforeArrival => Deadline::DaysBefore(3),
            FiveDaysBeforeArrival => Deadline::DaysBefore(5),
            SevenDaysBeforeArrival => Deadline::DaysBefore(7),
            FourteenDaysBeforeArrival => Deadline::DaysBefore(14),
            TwentyoneDaysBeforeArrival => Deadline::DaysBefore(21),
            ThirtyDaysBeforeArrival => Deadline::DaysBefore(30),
            FourtyTwoDaysBeforeArrival => Deadline::DaysBefore(42),
            SixtyDaysBeforeArrival => Deadline::DaysBefore(60),
        }
    }
}

/// When the first charge of a non-refundable booking gives way to the after-deadline one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NonRefundableDeadline {
    OneDayBeforeArrival,
    TwoDaysBeforeArrival,
    ThreeDaysBeforeArrival,
    FiveDaysBeforeArrival,
    SevenDaysBeforeArrival,
    FourteenDaysBeforeArrival,
    TwentyoneDaysBeforeArrival,
    ThirtyDaysBeforeArrival,
    FourtyTwoDaysBeforeArrival,
    SixtyDaysBeforeArrival,
}

impl NonRefundableDeadline {
    pub(crate) fn days_before(self) -> u32 {
        use NonRefundableDeadline::*;
        match self {
            OneDayBeforeArrival => 1,
            TwoDaysBeforeArrival => 2,
            ThreeDaysBeforeArrival => 3,
            FiveDaysBeforeArrival => 5,
            SevenDaysBeforeArrival => 7,
            FourteenDaysBeforeArrival => 14,
            TwentyoneDaysBeforeArrival => 21,
            ThirtyDaysBeforeArrival => 30,
            FourtyTwoDaysBeforeArrival => 42,
            SixtyDaysBeforeArrival => 60,
        }
    }
}

/// What a refundable booking costs to cancel after its free period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefundableCharge {
    FirstNight,
    ThirtyPercent,
    FiftyPercent,
    SixtyPercent,
    SeventyPercent,
    NinentyPercent,
    OneHundredPercent,
}

/// What a no-show of a refundable booking costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoShowCharge {
    SameAsCancellationFee,
    OneHundredPercentOfTotalCharge,
}

/// What a non-refundable booking costs to cancel before its deadline (or at all, without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NonRefundableCharge {
    FirstNight,
    TenPercent,
    ThirtyPercent,
    FiftyPercent,
    SeventyPercent,
}

/// What a non-refundable booking costs to cancel after its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AfterDeadlineCharge {
    FirstNight,
    TenPercent,
    ThirtyPercent,
    FiftyPercent,
    SeventyPercent,
    OneHundredPercent,
}

/// What a penalty is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charge {
    Free,
    /// The first night of every room.
    FirstNight,
    /// A whole percentage of the booking total.
    Percent(u32),
}

impl Charge {
    pub(crate) const FULL: Charge = Charge::Percent(100);

    /// The penalty for a booking of `total` whose first nights cost `first_night`: rounded
    /// once, never below zero, never above the total.
    pub(crate) fn amount(self, total: Money, first_night: Money) -> Money {
        let raw = match self {
            Charge::Free => Decimal::ZERO,
            Charge::FirstNight => first_night.amount,
            Charge::Percent(percent) => {
                total.amount * Decimal::from(percent) / Decimal::ONE_HUNDRED
            }
        };
        let penalty = Money::new(raw, total.currency).round();
        Money::new(
            penalty
                .amount
                .clamp(Decimal::ZERO, total.amount.max(Decimal::ZERO)),
            total.currency,
        )
    }

    /// Short label for policy codes: `1N` for the first night, `50%` for a percentage.
    pub(crate) fn label(self) -> String {
        match self {
            Charge::Free => "0%".to_string(),
            Charge::FirstNight => "1N".to_string(),
            Charge::Percent(percent) => format!("{percent}%"),
        }
    }
}

impl From<RefundableCharge> for Charge {
    fn from(charge: RefundableCharge) -> Charge {
        use RefundableCharge::*;
        match charge {
            FirstNight => Charge::FirstNight,
            ThirtyPercent => Charge::Percent(30),
            FiftyPercent => Charge::Percent(50),
            SixtyPercent => Charge::Percent(60),
            SeventyPercent => Charge::Percent(70),
            NinentyPercent => Charge::Percent(90),
            OneHundredPercent => Charge::FULL,
        }
    }
}

impl From<NonRefundableCharge> for Charge {
    fn from(charge: NonRefundableCharge) -> Charge {
        use NonRefundableCharge::*;
        match charge {
            FirstNight => Charge::FirstNight,
            TenPercent => Charge::Percent(10),
            ThirtyPercent => Charge::Percent(30),
            FiftyPercent => Charge::Percent(50),
            SeventyPercent => Charge::Percent(70),
        }
    }
}

impl From<AfterDeadlineCharge> for Charge {
    fn from(charge: AfterDeadlineCharge) -> Charge {
        use AfterDeadlineCharge::*;
        match charge {
            FirstNight => Charge::FirstNight,
            TenPercent => Charge::Percent(10),
            ThirtyPercent => Charge::Percent(30),
            FiftyPercent => Charge::Percent(50),
            SeventyPercent => Charge::Percent(70),
            OneHundredPercent => Charge::FULL,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::money::Currency;
    use crate::test_support::dec;

    fn wire<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T, name: &str) {
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            format!("\"{name}\"")
        );
        assert_eq!(
            serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(),
            value
        );
    }

    #[test]
    fn wire_names_are_the_contracts() {
        use FreeCancellation as F;
        wire(
            F::UntilEighteenHundredHoursOnDayOfArrival,
            "UNTIL_EIGHTEEN_HUNDRED_HOURS_ON_DAY_OF_ARRIVAL",
        );
        wire(
            F::UntilFourteenHundredHoursOnDayOfArrival,
            "UNTIL_FOURTEEN_HUNDRED_HOURS_ON_DAY_OF_ARRIVAL",
        );
        wire(F::OneDayBeforeArrival, "ONE_DAY_BEFORE_ARRIVAL");
        wire(
            F::TwentyoneDaysBeforeArrival,
            "TWENTYONE_DAYS_BEFORE_ARRIVAL",
        );
        wire(
            F::FourtyTwoDaysBeforeArrival,
            "FOURTY_TWO_DAYS_BEFORE_ARRIVAL",
        );
        wire(F::SixtyDaysBeforeArrival, "SIXTY_DAYS_BEFORE_ARRIVAL");
        wire(
            NonRefundableDeadline::TwentyoneDaysBeforeArrival,
            "TWENTYONE_DAYS_BEFORE_ARRIVAL",
        );
        wire(
            NonRefundableDeadline::FourtyTwoDaysBeforeArrival,
            "FOURTY_TWO_DAYS_BEFORE_ARRIVAL",
        );
        wire(RefundableCharge::NinentyPercent, "NINENTY_PERCENT");
        wire(RefundableCharge::OneHundredPercent, "ONE_HUNDRED_PERCENT");
        wire(RefundableCharge::FirstNight, "FIRST_NIGHT");
        wire(
            NoShowCharge::SameAsCancellationFee,
            "SAME_AS_CANCELLATION_FEE",
        );
        wire(
            NoShowCharge::OneHundredPercentOfTotalCharge,
            "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE",
        );
        wire(NonRefundableCharge::TenPercent, "TEN_PERCENT");
        wire(AfterDeadlineCharge::SeventyPercent, "SEVENTY_PERCENT");
        assert!(serde_json::from_str::<RefundableCharge>("\"NINETY_PERCENT\"").is_err());
    }

    #[test]
    fn deadlines_match_their_names() {
        use FreeCancellation as F;
        assert_eq!(
            F::UntilEighteenHundredHoursOnDayOfArrival.deadline(),
            Deadline::HourOnArrivalDay(18)
        );
        assert_eq!(
            F::UntilFourteenHundredHoursOnDayOfArrival.deadline(),
            Deadline::HourOnArrivalDay(14)
        );
        let free = [
            (F::OneDayBeforeArrival, 1),
            (F::TwoDaysBeforeArrival, 2),
            (F::ThreeDaysBeforeArrival, 3),
            (F::FiveDaysBeforeArrival, 5),
            (F::SevenDaysBeforeArrival, 7),
            (F::FourteenDaysBeforeArrival, 14),
            (F::TwentyoneDaysBeforeArrival, 21),
            (F::ThirtyDaysBeforeArrival, 30),
            (F::FourtyTwoDaysBeforeArrival, 42),
            (F::SixtyDaysBeforeArrival, 60),
        ];
        for (rule, days) in free {
            assert_eq!(rule.deadline(), Deadline::DaysBefore(days), "{rule:?}");
            let name = serde_json::to_string(&rule).unwrap();
            let same: NonRefundableDeadline = serde_json::from_str(&name).unwrap();
            assert_eq!(same.days_before(), days, "{name}");
        }
    }

    #[test]
    fn charges_match_their_names() {
        use AfterDeadlineCharge as A;
        use NonRefundableCharge as N;
        use RefundableCharge as R;
        let refundable = [
            (R::ThirtyPercent, 30),
            (R::FiftyPercent, 50),
            (R::SixtyPercent, 60),
            (R::SeventyPercent, 70),
            (R::NinentyPercent, 90),
            (R::OneHundredPercent, 100),
        ];
        for (charge, percent) in refundable {
            assert_eq!(Charge::from(charge), Charge::Percent(percent));
        }
        for (charge, percent) in [
            (N::TenPercent, 10),
            (N::ThirtyPercent, 30),
            (N::FiftyPercent, 50),
            (N::SeventyPercent, 70),
        ] {
            assert_eq!(Charge::from(charge), Charge::Percent(percent));
        }
        let after = [
            (A::TenPercent, 10),
            (A::ThirtyPercent, 30),
            (A::FiftyPercent, 50),
            (A::SeventyPercent, 70),
            (A::OneHundredPercent, 100),
        ];
        for (charge, percent) in after {
            assert_eq!(Charge::from(charge), Charge::Percent(percent));
        }
        assert_eq!(Charge::from(R::FirstNight), Charge::FirstNight);
        assert_eq!(Charge::from(N::FirstNight), Charge::FirstNight);
        assert_eq!(Charge::from(A::FirstNight), Charge::FirstNight);
    }

    #[test]
    fn amounts_are_rounded_once_and_capped_at_the_total() {
        let eur = Currency::parse("EUR").unwrap();
        let total = Money::new(dec("333.35"), eur);
        let first = Money::new(dec("120.00"), eur);
        assert_eq!(Charge::Free.amount(total, first).amount, dec("0"));
        assert_eq!(
            Charge::Percent(30).amount(total, first).amount,
            dec("100.01")
        ); // 100.005
        assert_eq!(Charge::FULL.amount(total, first).amount, dec("333.35"));
        assert_eq!(
            Charge::FirstNight.amount(total, first).amount,
            dec("120.00")
        );
        let more_than_total = Money::new(dec("500"), eur);
        assert_eq!(
            Charge::FirstNight.amount(total, more_than_total).amount,
            dec("333.35")
        );
        let jpy = Currency::parse("JPY").unwrap();
        let yen = Money::new(dec("12345"), jpy);
        assert_eq!(Charge::Percent(10).amount(yen, yen).amount, dec("1235")); // 1234.5
    }
}
