//! When the outbox tries a delivery again, and when it gives up.
//!
//! A delivery that failed for a reason that may pass (the receiver answered 5xx or 429, timed
//! out, could not be reached) is tried again after an exponentially growing pause: `base`,
//! `2·base`, `4·base`... capped at `cap`, each pause drawn at random between its half and its
//! whole ("equal jitter"), so receivers that come back after an outage are not hit by every
//! sender at the same instant, while a pause never shrinks below half its step. After
//! `max_attempts` attempts the delivery is dead: kept, listed, and sent again only when an
//! operator asks (`wink-supplier outbox retry`).

use std::time::Duration;

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again after this pause.
    RetryIn(Duration),
    /// No attempt is left (or the failure cannot pass): dead-letter it.
    Dead,
}

/// How the outbox retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: u32,
    /// The pause after the first failure.
    pub base: Duration,
    /// No pause is longer.
    pub cap: Duration,
}

/// Ten attempts, 5 s doubling up to an hour: about 40 minutes to 2.5 hours from the first
/// attempt to the dead letter, long enough to ride out a receiver's deployment or a short outage.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;
pub const DEFAULT_BASE: Duration = Duration::from_secs(5);
pub const DEFAULT_CAP: Duration = Duration::from_secs(3600);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base: DEFAULT_BASE,
            cap: DEFAULT_CAP,
        }
    }
}

impl RetryPolicy {
    /// What follows the failure of attempt number `attempts` (1 for the first), `jitter` a
    /// random number in `[0, 1)` (values outside are clamped).
    pub fn after_failure(&self, attempts: u32, jitter: f64) -> AfterFailure {
        if attempts >= self.max_attempts.max(1) {
            return AfterFailure::Dead;
        }
        AfterFailure::RetryIn(self.pause(attempts, jitter))
    }

    /// The pause after the failure of attempt number `attempts`.
    pub fn pause(&self, attempts: u32, jitter: f64) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        let step = self
            .base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.cap)
            .min(self.cap);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        step / 2 + step.div_f64(2.0).mul_f64(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_secs(10),
            cap: Duration::from_secs(60),
        }
    }

    #[test]
    fn pauses_double_from_the_base_up_to_the_cap() {
        let p = policy();
        let whole: Vec<u64> = (1..=6).map(|a| p.pause(a, 1.0).as_secs()).collect();
        assert_eq!(whole, [10, 20, 40, 60, 60, 60]);
        let half: Vec<u64> = (1..=6).map(|a| p.pause(a, 0.0).as_secs()).collect();
        assert_eq!(half, [5, 10, 20, 30, 30, 30]);
    }

    #[test]
    fn jitter_stays_between_half_and_whole_step() {
        let p = policy();
        for attempts in 1..=40 {
            for jitter in [0.0, 0.25, 0.5, 0.999, -3.0, 7.0, f64::NAN] {
                let pause = p.pause(attempts, jitter);
                assert!(
                    pause >= Duration::from_secs(5),
                    "{attempts} {jitter} {pause:?}"
                );
                assert!(pause <= p.cap, "{attempts} {jitter} {pause:?}");
            }
        }
        assert_eq!(p.pause(2, 0.5), Duration::from_secs(15));
    }

    #[test]
    fn the_last_attempt_is_dead() {
        let p = policy();
        assert_eq!(
            p.after_failure(4, 0.0),
            AfterFailure::RetryIn(Duration::from_secs(30))
        );
        assert_eq!(p.after_failure(5, 0.0), AfterFailure::Dead);
        assert_eq!(p.after_failure(9, 0.0), AfterFailure::Dead);
        let once = RetryPolicy {
            max_attempts: 0,
            ..p
        };
        assert_eq!(once.after_failure(1, 0.0), AfterFailure::Dead);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let p = RetryPolicy {
            max_attempts: u32::MAX,
            base: Duration::from_secs(u64::MAX / 2),
            cap: Duration::from_secs(3600),
        };
        assert_eq!(p.pause(u32::MAX - 1, 1.0), Duration::from_secs(3600));
    }
}
