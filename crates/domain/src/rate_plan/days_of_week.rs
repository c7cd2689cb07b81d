//! The contract's `DowPatternGroup`: a set of weekdays.

use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// Days flagged in a day-of-week pattern.
///
/// Decision: a pattern that is `disabled`, or that flags no day, imposes NO restriction. The
/// contract's defaults are all `false`, so an untouched pattern would otherwise forbid every
/// day and silently make the rate plan unsellable; a property that wants a plan closed
/// disables the plan, it does not empty a day pattern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DaysOfWeek {
    pub mon: bool,
    pub tue: bool,
    pub wed: bool,
    pub thu: bool,
    pub fri: bool,
    pub sat: bool,
    pub sun: bool,
    pub disabled: bool,
}

impl DaysOfWeek {
    /// A pattern flagging exactly `days`.
    pub fn only(days: &[Weekday]) -> DaysOfWeek {
        let mut pattern = DaysOfWeek::default();
        for day in days {
            *pattern.flag_mut(*day) = true;
        }
        pattern
    }

    /// Whether the pattern restricts anything (see the type's decision).
    pub fn is_set(&self) -> bool {
        !self.disabled && self.flags().iter().any(|flag| *flag)
    }

    /// Whether `day` passes: always when the pattern is not set, else when `day` is flagged.
    pub fn allows(&self, day: Weekday) -> bool {
        !self.is_set() || self.flags()[day.num_days_from_monday() as usize]
    }

    fn flags(&self) -> [bool; 7] {
        [
            self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun,
        ]
    }

    fn flag_mut(&mut self, day: Weekday) -> &mut bool {
        match day {
            Weekday::Mon => &mut self.mon,
            Weekday::Tue => &mut self.tue,
            Weekday::Wed => &mut self.wed,
            Weekday::Thu => &mut self.thu,
            Weekday::Fri => &mut self.fri,
            Weekday::Sat => &mut self.sat,
            Weekday::Sun => &mut self.sun,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    const WEEK: [Weekday; 7] = [Mon, Tue, Wed, Thu, Fri, Sat, Sun];

    #[test]
    fn flagged_days_pass_and_others_do_not() {
        let weekend = DaysOfWeek::only(&[Sat, Sun]);
        assert!(weekend.is_set());
        for day in WEEK {
            assert_eq!(weekend.allows(day), matches!(day, Sat | Sun), "{day}");
        }
        let each = WEEK.map(|day| DaysOfWeek::only(&[day]));
        for (i, pattern) in each.iter().enumerate() {
            for (j, day) in WEEK.iter().enumerate() {
                assert_eq!(pattern.allows(*day), i == j, "{pattern:?} {day}");
            }
        }
    }

    #[test]
    fn empty_pattern_restricts_nothing() {
        let empty = DaysOfWeek::default();
        assert!(!empty.is_set());
        assert!(WEEK.iter().all(|day| empty.allows(*day)));
    }

    #[test]
    fn disabled_pattern_restricts_nothing() {
        let disabled = DaysOfWeek {
            disabled: true,
            ..DaysOfWeek::only(&[Mon])
        };
        assert!(!disabled.is_set());
        assert!(WEEK.iter().all(|day| disabled.allows(*day)));
    }
}
