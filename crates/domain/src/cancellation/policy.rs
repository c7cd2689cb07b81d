//! The policy itself: its fields, which combinations make sense, its short code. The
//! decisions on what each field means are documented on the `cancellation` module.

use crate::error::DomainError;

use super::terms::{
    AfterDeadlineCharge, Charge, Deadline, FreeCancellation, NoShowCharge, NonRefundableCharge,
    NonRefundableDeadline, RefundableCharge,
};

/// The contract's cancellation policy (`UpsertCancellationPolicyRequest`), by its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CancellationPolicy {
    pub refundable: bool,
    /// Refundable only (`advanceCancellationFreeOfCharge`).
    pub free_cancellation: Option<FreeCancellation>,
    /// Refundable only (`refundableCancellationCharge`).
    pub refundable_charge: Option<RefundableCharge>,
    /// Refundable only (`noShowCharge`).
    pub no_show: Option<NoShowCharge>,
    /// Non-refundable only (`nonRefundableCancellationCharge`).
    pub non_refundable_charge: Option<NonRefundableCharge>,
    /// Non-refundable only (`nonRefundableDeadline`).
    pub non_refundable_deadline: Option<NonRefundableDeadline>,
    /// Non-refundable only (`nonRefundableAfterDeadlineCancellationCharge`).
    pub after_deadline_charge: Option<AfterDeadlineCharge>,
}

const FREE_CANCELLATION: &str = "advanceCancellationFreeOfCharge";
const REFUNDABLE_CHARGE: &str = "refundableCancellationCharge";
const NO_SHOW: &str = "noShowCharge";
const NON_REFUNDABLE_CHARGE: &str = "nonRefundableCancellationCharge";
const NON_REFUNDABLE_DEADLINE: &str = "nonRefundableDeadline";
const AFTER_DEADLINE_CHARGE: &str = "nonRefundableAfterDeadlineCancellationCharge";

impl CancellationPolicy {
    /// A refundable policy with no rule: free until the arrival day, then 100 %.
    pub fn refundable() -> CancellationPolicy {
        CancellationPolicy {
            refundable: true,
            free_cancellation: None,
            refundable_charge: None,
            no_show: None,
            non_refundable_charge: None,
            non_refundable_deadline: None,
            after_deadline_charge: None,
        }
    }

    /// A non-refundable policy with no rule: 100 % from booking.
    pub fn non_refundable() -> CancellationPolicy {
        CancellationPolicy {
            refundable: false,
            ..CancellationPolicy::refundable()
        }
    }

    /// Refuses, naming the wire field:
    /// - a field of the other kind of policy (a non-refundable charge on a refundable policy,
    ///   a free-cancellation rule on a non-refundable one): stored, it would read as a
    ///   promise the schedule does not keep;
    /// - an after-deadline charge without a deadline: it could never apply;
    /// - an after-deadline percentage below the charge before the deadline: cancelling later
    ///   would cost less, which no property means.
    ///
    /// A refundable charge without a free-cancellation rule is accepted: the free period
    /// then ends with the day before arrival and the charge is what the no-show rule uses.
    pub fn validate(&self) -> Result<(), DomainError> {
        let other_kind = if self.refundable {
            [
                (NON_REFUNDABLE_CHARGE, self.non_refundable_charge.is_some()),
                (
                    NON_REFUNDABLE_DEADLINE,
                    self.non_refundable_deadline.is_some(),
                ),
                (AFTER_DEADLINE_CHARGE, self.after_deadline_charge.is_some()),
            ]
        } else {
            [
                (FREE_CANCELLATION, self.free_cancellation.is_some()),
                (REFUNDABLE_CHARGE, self.refundable_charge.is_some()),
                (NO_SHOW, self.no_show.is_some()),
            ]
        };
        let kind = if self.refundable {
            "refundable"
        } else {
            "non-refundable"
        };
        if let Some((field, _)) = other_kind.iter().find(|(_, set)| *set) {
            return Err(DomainError::invalid(
                *field,
                format!("does not apply to a {kind} policy"),
            ));
        }
        if self.after_deadline_charge.is_some() && self.non_refundable_deadline.is_none() {
            return Err(DomainError::invalid(
                AFTER_DEADLINE_CHARGE,
                format!("needs {NON_REFUNDABLE_DEADLINE}"),
            ));
        }
        if let (Some(before), Some(after)) =
            (self.non_refundable_charge, self.after_deadline_charge)
            && let (Charge::Percent(before), Charge::Percent(after)) = (before.into(), after.into())
            && after < before
        {
            return Err(DomainError::invalid(
                AFTER_DEADLINE_CHARGE,
                format!("{after}% after the deadline is less than {before}% before it"),
            ));
        }
        Ok(())
    }

    /// A short human code for lists and invoices:
    /// - refundable: `FREE-<deadline>/<charge>` plus `/NS-100%` when a no-show costs the
    ///   total and the charge does not already, e.g. `FREE-1D/50%`, `FREE-18H/1N/NS-100%`;
    /// - non-refundable: `NR-<charge>` plus `/<deadline>/<after-charge>`, e.g. `NR-100%`,
    ///   `NR-10%/7D/100%`.
    ///
    /// `<deadline>` is `ND` for N days before arrival or `HH` for an hour on the arrival day;
    /// `<charge>` is `1N` for the first night or a percentage. Defaults are spelled out, so a
    /// policy that leaves a field unset reads the same as one that sets its default.
    pub fn policy_code(&self) -> String {
        if self.refundable {
            let deadline = match self.free_deadline() {
                Deadline::DaysBefore(days) => format!("{days}D"),
                Deadline::HourOnArrivalDay(hour) => format!("{hour}H"),
            };
            let (late, no_show) = self.refundable_charges();
            let mut code = format!("FREE-{deadline}/{}", late.label());
            if no_show != late {
                code.push_str(&format!("/NS-{}", no_show.label()));
            }
            code
        } else {
            let mut code = format!("NR-{}", self.non_refundable_first_charge().label());
            if let Some(deadline) = self.non_refundable_deadline {
                let after = self.non_refundable_after_charge();
                code.push_str(&format!("/{}D/{}", deadline.days_before(), after.label()));
            }
            code
        }
    }

    pub(super) fn free_deadline(&self) -> Deadline {
        self.free_cancellation
            .map_or(Deadline::DaysBefore(1), FreeCancellation::deadline)
    }

    /// (charge after the free period, no-show charge) of a refundable policy.
    pub(super) fn refundable_charges(&self) -> (Charge, Charge) {
        let late = self.refundable_charge.map_or(Charge::FULL, Charge::from);
        let no_show = match self.no_show {
            Some(NoShowCharge::OneHundredPercentOfTotalCharge) => Charge::FULL,
            Some(NoShowCharge::SameAsCancellationFee) | None => late,
        };
        (late, no_show)
    }

    pub(super) fn non_refundable_first_charge(&self) -> Charge {
        self.non_refundable_charge
            .map_or(Charge::FULL, Charge::from)
    }

    pub(super) fn non_refundable_after_charge(&self) -> Charge {
        self.after_deadline_charge
            .map_or(Charge::FULL, Charge::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refundable(
        free: Option<FreeCancellation>,
        charge: Option<RefundableCharge>,
        no_show: Option<NoShowCharge>,
    ) -> CancellationPolicy {
        CancellationPolicy {
            free_cancellation: free,
            refundable_charge: charge,
            no_show,
            ..CancellationPolicy::refundable()
        }
    }

    fn non_refundable(
        charge: Option<NonRefundableCharge>,
        deadline: Option<NonRefundableDeadline>,
        after: Option<AfterDeadlineCharge>,
    ) -> CancellationPolicy {
        CancellationPolicy {
            non_refundable_charge: charge,
            non_refundable_deadline: deadline,
            after_deadline_charge: after,
            ..CancellationPolicy::non_refundable()
        }
    }

    #[test]
    fn sensible_policies_validate() {
        let good = [
            CancellationPolicy::refundable(),
            CancellationPolicy::non_refundable(),
            refundable(
                Some(FreeCancellation::OneDayBeforeArrival),
                Some(RefundableCharge::FiftyPercent),
                None,
            ),
            refundable(
                None,
                Some(RefundableCharge::FirstNight),
                Some(NoShowCharge::OneHundredPercentOfTotalCharge),
            ),
            non_refundable(
                Some(NonRefundableCharge::TenPercent),
                Some(NonRefundableDeadline::SevenDaysBeforeArrival),
                None,
            ),
            non_refundable(
                Some(NonRefundableCharge::FirstNight),
                Some(NonRefundableDeadline::OneDayBeforeArrival),
                Some(AfterDeadlineCharge::TenPercent),
            ),
        ];
        for policy in good {
            assert_eq!(policy.validate(), Ok(()), "{policy:?}");
        }
    }

    #[test]
    fn fields_of_the_other_kind_are_refused() {
        let nr_on_refundable = CancellationPolicy {
            non_refundable_deadline: Some(NonRefundableDeadline::TwoDaysBeforeArrival),
            ..CancellationPolicy::refundable()
        };
        assert_eq!(
            nr_on_refundable.validate().unwrap_err().field(),
            "nonRefundableDeadline"
        );
        let charge_on_refundable = CancellationPolicy {
            non_refundable_charge: Some(NonRefundableCharge::TenPercent),
            ..CancellationPolicy::refundable()
        };
        assert_eq!(
            charge_on_refundable.validate().unwrap_err().field(),
            "nonRefundableCancellationCharge"
        );
        let after_on_refundable = CancellationPolicy {
            after_deadline_charge: Some(AfterDeadlineCharge::TenPercent),
            ..CancellationPolicy::refundable()
        };
        assert_eq!(
            after_on_refundable.validate().unwrap_err().field(),
            AFTER_DEADLINE_CHARGE
        );
        // The contract's own example: refundable false with refundable fields set.
        let mixed = CancellationPolicy {
            free_cancellation: Some(FreeCancellation::UntilEighteenHundredHoursOnDayOfArrival),
            refundable_charge: Some(RefundableCharge::FiftyPercent),
            no_show: Some(NoShowCharge::SameAsCancellationFee),
            ..non_refundable(
                Some(NonRefundableCharge::SeventyPercent),
                Some(NonRefundableDeadline::SevenDaysBeforeArrival),
                Some(AfterDeadlineCharge::OneHundredPercent),
            )
        };
        assert_eq!(
            mixed.validate().unwrap_err().field(),
            "advanceCancellationFreeOfCharge"
        );
        let no_show_on_nr = CancellationPolicy {
            no_show: Some(NoShowCharge::SameAsCancellationFee),
            ..CancellationPolicy::non_refundable()
        };
        assert_eq!(
            no_show_on_nr.validate().unwrap_err().field(),
            "noShowCharge"
        );
        let charge_on_nr = CancellationPolicy {
            refundable_charge: Some(RefundableCharge::FirstNight),
            ..CancellationPolicy::non_refundable()
        };
        assert_eq!(
            charge_on_nr.validate().unwrap_err().field(),
            "refundableCancellationCharge"
        );
    }

    #[test]
    fn after_deadline_charge_needs_a_deadline_and_must_not_drop() {
        let orphan = non_refundable(None, None, Some(AfterDeadlineCharge::OneHundredPercent));
        assert_eq!(
            orphan.validate().unwrap_err().field(),
            AFTER_DEADLINE_CHARGE
        );
        let drops = non_refundable(
            Some(NonRefundableCharge::FiftyPercent),
            Some(NonRefundableDeadline::ThreeDaysBeforeArrival),
            Some(AfterDeadlineCharge::ThirtyPercent),
        );
        let err = drops.validate().unwrap_err();
        assert_eq!(err.field(), AFTER_DEADLINE_CHARGE);
        assert!(err.message().contains("30%") && err.message().contains("50%"));
    }

    #[test]
    fn policy_codes() {
        use FreeCancellation as F;
        assert_eq!(
            CancellationPolicy::refundable().policy_code(),
            "FREE-1D/100%"
        );
        assert_eq!(
            refundable(
                Some(F::OneDayBeforeArrival),
                Some(RefundableCharge::FiftyPercent),
                None
            )
            .policy_code(),
            "FREE-1D/50%"
        );
        assert_eq!(
            refundable(
                Some(F::UntilEighteenHundredHoursOnDayOfArrival),
                Some(RefundableCharge::FirstNight),
                Some(NoShowCharge::OneHundredPercentOfTotalCharge)
            )
            .policy_code(),
            "FREE-18H/1N/NS-100%"
        );
        assert_eq!(
            refundable(
                Some(F::FourtyTwoDaysBeforeArrival),
                None,
                Some(NoShowCharge::OneHundredPercentOfTotalCharge)
            )
            .policy_code(),
            "FREE-42D/100%"
        );
        assert_eq!(
            CancellationPolicy::non_refundable().policy_code(),
            "NR-100%"
        );
        assert_eq!(
            non_refundable(
                Some(NonRefundableCharge::TenPercent),
                Some(NonRefundableDeadline::SevenDaysBeforeArrival),
                Some(AfterDeadlineCharge::OneHundredPercent)
            )
            .policy_code(),
            "NR-10%/7D/100%"
        );
        assert_eq!(
            non_refundable(
                Some(NonRefundableCharge::FirstNight),
                Some(NonRefundableDeadline::TwentyoneDaysBeforeArrival),
                None
            )
            .policy_code(),
            "NR-1N/21D/100%"
        );
    }
}
