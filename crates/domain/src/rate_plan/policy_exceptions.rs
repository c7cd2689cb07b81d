//! A rate plan's cancellation-policy exceptions: periods (inclusive dates) during which another
//! policy applies. Each period runs forwards and no two overlap, so every arrival date has at most
//! one exception and which policy applies never depends on the list's order.

use chrono::NaiveDate;

/// What is wrong with the exception at `index` of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionProblem {
    pub index: usize,
    pub kind: ExceptionProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionProblemKind {
    /// Its end date is before its start date.
    EndsBeforeStart,
    /// It shares at least one date with the earlier exception at `other`.
    Overlaps { other: usize },
}

/// Checks exception periods `(start, end)` in list order; the first problem found is named at
/// the later of the two exceptions involved.
pub fn check_exception_periods(periods: &[(NaiveDate, NaiveDate)]) -> Result<(), ExceptionProblem> {
    for (index, &(start, end)) in periods.iter().enumerate() {
        if end < start {
            return Err(ExceptionProblem {
                index,
                kind: ExceptionProblemKind::EndsBeforeStart,
            });
        }
        if let Some(other) = periods[..index]
            .iter()
            .position(|&(s, e)| s <= end && start <= e)
        {
            return Err(ExceptionProblem {
                index,
                kind: ExceptionProblemKind::Overlaps { other },
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;
    use proptest::prelude::*;

    fn periods(list: &[(&str, &str)]) -> Vec<(NaiveDate, NaiveDate)> {
        list.iter().map(|&(s, e)| (date(s), date(e))).collect()
    }

    #[test]
    fn separate_periods_pass_in_any_order() {
        let list = periods(&[
            ("2030-07-01", "2030-07-31"),
            ("2030-01-01", "2030-01-01"),
            ("2030-08-01", "2030-08-15"),
        ]);
        assert_eq!(check_exception_periods(&list), Ok(()));
        assert_eq!(check_exception_periods(&[]), Ok(()));
    }

    #[test]
    fn a_shared_day_is_an_overlap() {
        let list = periods(&[
            ("2030-07-01", "2030-07-31"),
            ("2030-09-01", "2030-09-30"),
            ("2030-07-31", "2030-08-10"),
        ]);
        assert_eq!(
            check_exception_periods(&list),
            Err(ExceptionProblem {
                index: 2,
                kind: ExceptionProblemKind::Overlaps { other: 0 }
            })
        );
        let inside = periods(&[("2030-07-01", "2030-07-31"), ("2030-07-10", "2030-07-11")]);
        assert_eq!(
            check_exception_periods(&inside).unwrap_err().kind,
            ExceptionProblemKind::Overlaps { other: 0 }
        );
    }

    #[test]
    fn a_period_running_backwards_is_refused() {
        let list = periods(&[("2030-07-01", "2030-07-31"), ("2030-08-02", "2030-08-01")]);
        assert_eq!(
            check_exception_periods(&list),
            Err(ExceptionProblem {
                index: 1,
                kind: ExceptionProblemKind::EndsBeforeStart
            })
        );
    }

    proptest! {
        /// Accepted periods leave every date in at most one exception; refused ones have a date in
        /// two (or a period running backwards).
        #[test]
        fn accepted_exactly_when_no_date_is_in_two_periods(
            raw in proptest::collection::vec((0i64..60, 0i64..10), 0..6),
        ) {
            let base = date("2030-01-01");
            let list: Vec<_> = raw
                .iter()
                .map(|&(s, len)| {
                    let start = base + chrono::Duration::days(s);
                    (start, start + chrono::Duration::days(len))
                })
                .collect();
            let shared_date = (0..80).any(|d| {
                let day = base + chrono::Duration::days(d);
                list.iter().filter(|&&(s, e)| s <= day && day <= e).count() > 1
            });
            prop_assert_eq!(check_exception_periods(&list).is_ok(), !shared_date);
        }
    }
}
