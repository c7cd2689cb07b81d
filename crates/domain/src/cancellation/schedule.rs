//! A booking's dated penalty schedule, built from its policy (decisions in the module above).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::CancellationPolicy;
use super::local_time::{local_to_utc, start_of_day};
use super::terms::{Charge, Deadline};
use crate::money::Money;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod zone_tests;

/// From `from` (inclusive) until `until` (exclusive; `None` = from then on), cancelling
/// costs `penalty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenaltyTier {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub penalty: Money,
}

/// At least one tier; tiers are contiguous from the booking instant on, the last one
/// open-ended; penalties never decrease and consecutive tiers differ in penalty. Only
/// [`CancellationPolicy::schedule`] builds one, which is what keeps these true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltySchedule {
    tiers: Vec<PenaltyTier>,
}

impl PenaltySchedule {
    pub fn tiers(&self) -> &[PenaltyTier] {
        &self.tiers
    }

    pub fn into_tiers(self) -> Vec<PenaltyTier> {
        self.tiers
    }

    /// What cancelling at `instant` costs. An instant before the booking is treated as the
    /// booking instant.
    pub fn penalty_at(&self, instant: DateTime<Utc>) -> Money {
        let tier = self.tiers.iter().rev().find(|tier| tier.from <= instant);
        tier.unwrap_or(&self.tiers[0]).penalty
    }

    /// The highest penalty, charged from the last deadline on (the tiers never decrease, and
    /// there is at least one).
    pub fn final_penalty(&self) -> Money {
        self.tiers[self.tiers.len() - 1].penalty
    }

    /// The end of the free period, if the booking starts with one that ends. `None` when
    /// cancelling costs something from the start, or costs nothing ever (a zero total).
    pub fn free_until(&self) -> Option<DateTime<Utc>> {
        self.tiers
            .first()
            .filter(|tier| tier.penalty.is_zero())
            .and_then(|tier| tier.until)
    }
}

impl CancellationPolicy {
    /// The penalty schedule of a booking arriving on `arrival` at a property in `tz`, made
    /// at `booked_at`, of `total`, whose first nights (of every room) cost `first_night`
    /// (`Quote::first_night_charge`). `first_night` is taken in `total`'s currency.
    pub fn schedule(
        &self,
        arrival: NaiveDate,
        tz: Tz,
        booked_at: DateTime<Utc>,
        total: Money,
        first_night: Money,
    ) -> PenaltySchedule {
        // The policy's whole timeline: (start, charge), the first starting "ever".
        let steps = self.timeline(arrival, tz);
        let mut priced: Vec<(Option<DateTime<Utc>>, Money)> = Vec::with_capacity(steps.len());
        for (i, (start, charge)) in steps.iter().enumerate() {
            // A window closed before it opens (two steps starting together) never applies.
            if steps.get(i + 1).is_some_and(|(next, _)| next == start) {
                continue;
            }
            let mut penalty = charge.amount(total, first_night);
            if let Some((_, previous)) = priced.last() {
                if penalty.amount < previous.amount {
                    penalty = *previous; // cancelling later never costs less
                }
                if penalty == *previous {
                    continue; // same penalty: the previous tier goes on
                }
            }
            priced.push((*start, penalty));
        }

        // Keep the tier in force at booking and those after, starting from the booking.
        let current = priced
            .iter()
            .rposition(|(start, _)| start.is_none_or(|start| start <= booked_at));
        let kept = &priced[current.unwrap_or(0)..];
        let tiers = kept
            .iter()
            .enumerate()
            .map(|(i, (start, penalty))| PenaltyTier {
                from: if i == 0 {
                    booked_at
                } else {
                    start.unwrap_or(booked_at)
                },
                until: kept.get(i + 1).and_then(|(next, _)| *next),
                penalty: *penalty,
            })
            .collect();
        PenaltySchedule { tiers }
    }

    /// (start, charge) steps in time order, the first with no start.
    fn timeline(&self, arrival: NaiveDate, tz: Tz) -> Vec<(Option<DateTime<Utc>>, Charge)> {
        if self.refundable {
            let arrival_day = start_of_day(tz, arrival);
            let free_until = deadline_instant(self.free_deadline(), arrival, tz);
            let (late, no_show) = self.refundable_charges();
            let mut steps = vec![(None, Charge::Free)];
            if free_until < arrival_day {
                steps.push((Some(free_until), late));
            }
            steps.push((Some(free_until.max(arrival_day)), no_show));
            steps
        } else {
            let mut steps = vec![(None, self.non_refundable_first_charge())];
            if let Some(deadline) = self.non_refundable_deadline {
                let at =
                    deadline_instant(Deadline::DaysBefore(deadline.days_before()), arrival, tz);
                steps.push((Some(at), self.non_refundable_after_charge()));
            }
            steps
        }
    }
}

/// The instant a deadline falls for an arrival on `arrival` in `tz`.
fn deadline_instant(deadline: Deadline, arrival: NaiveDate, tz: Tz) -> DateTime<Utc> {
    match deadline {
        // The end of day `arrival − days` is the start of day `arrival − (days − 1)`.
        Deadline::DaysBefore(days) => {
            let day = arrival.checked_sub_days(Days::new(u64::from(days.saturating_sub(1))));
            start_of_day(tz, day.unwrap_or(NaiveDate::MIN))
        }
        Deadline::HourOnArrivalDay(hour) => {
            let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
            local_to_utc(tz, arrival.and_time(time))
        }
    }
}
