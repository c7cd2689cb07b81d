//! Failed-authentication limits: at most `failures` per `window` for one key (a client id, an
//! address), in a table that never holds more than `capacity` keys.
//!
//! Each key is a token bucket in its GCRA form (one instant per key, no timer): a failure pushes
//! the key's instant `window / failures` into the future, and a key whose instant is more than a
//! window minus one interval ahead of now is refused until it is not. So `failures` may come in a
//! burst, then one more every `window / failures`, which is "`failures` per `window`" sustained.
//! A request that is refused does not count: a client that waits `retry_after` gets its attempt.
//! Callers count an attempt as a failure when they admit it and [`FailureLimiter::refund`] it
//! when it succeeds, so a burst of concurrent attempts cannot all be admitted before the first
//! one fails.
//!
//! The table is bounded so that an attacker who sends many keys (client ids, IPv6 addresses)
//! cannot grow it at will: keys whose instant is past hold nothing and are dropped when room is
//! needed; if every tracked key is still limited, a new key is not tracked ([`Recorded::Untracked`])
//! and the caller relies on its other limits. Dropping a limited key instead would let the
//! attacker free its own keys by sending new ones.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// `failures` per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub failures: u32,
    pub window: Duration,
}

impl Limit {
    /// Time one failure takes to be forgotten: `window / failures` (at least 1 ns, so a limit of
    /// `u32::MAX` failures per nanosecond is still a limit).
    fn interval(&self) -> Duration {
        (self.window / self.failures.max(1)).max(Duration::from_nanos(1))
    }

    /// How far ahead of now a key's instant may be and still admit an attempt.
    fn tolerance(&self) -> Duration {
        self.interval() * self.failures.max(1).saturating_sub(1)
    }
}

/// What happened to a recorded failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Counted,
    /// The table was full of keys still limited: this key is not tracked.
    Untracked,
}

/// The failure counts of many keys, bounded.
#[derive(Debug)]
pub struct FailureLimiter<K> {
    limit: Limit,
    capacity: usize,
    /// When each key's failures are all forgotten (the GCRA "theoretical arrival time").
    clear_at: HashMap<K, Instant>,
}

impl<K: Hash + Eq + Clone> FailureLimiter<K> {
    pub fn new(limit: Limit, capacity: usize) -> Self {
        FailureLimiter {
            limit,
            capacity,
            clear_at: HashMap::new(),
        }
    }

    pub fn limit(&self) -> Limit {
        self.limit
    }

    /// `None` when `key` may attempt now; otherwise how long until it may.
    pub fn retry_after(&self, key: &K, now: Instant) -> Option<Duration> {
        if self.limit.failures == 0 {
            return Some(self.limit.window);
        }
        let clear_at = *self.clear_at.get(key)?;
        let ahead = clear_at.checked_duration_since(now)?;
        ahead
            .checked_sub(self.limit.tolerance())
            .filter(|wait| !wait.is_zero())
    }

    /// Counts a failed attempt of `key` at `now`.
    pub fn record_failure(&mut self, key: &K, now: Instant) -> Recorded {
        let interval = self.limit.interval();
        if let Some(clear_at) = self.clear_at.get_mut(key) {
            *clear_at = (*clear_at).max(now) + interval;
            return Recorded::Counted;
        }
        if self.clear_at.len() >= self.capacity {
            self.forget_cleared(now);
            if self.clear_at.len() >= self.capacity {
                return Recorded::Untracked;
            }
        }
        self.clear_at.insert(key.clone(), now + interval);
        Recorded::Counted
    }

    /// Takes back one failure of `key` (an attempt counted on admission that then succeeded).
    pub fn refund(&mut self, key: &K, now: Instant) {
        let interval = self.limit.interval();
        if let Some(clear_at) = self.clear_at.get_mut(key) {
            *clear_at = clear_at.checked_sub(interval).unwrap_or(now);
            if *clear_at <= now {
                self.clear_at.remove(key);
            }
        }
    }

    /// Keys tracked now (never more than the capacity).
    pub fn len(&self) -> usize {
        self.clear_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clear_at.is_empty()
    }

    /// Drops the keys whose failures are all forgotten: they would admit an attempt anyway.
    pub fn forget_cleared(&mut self, now: Instant) {
        self.clear_at.retain(|_, clear_at| *clear_at > now);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn limiter(failures: u32, window_secs: u64, capacity: usize) -> FailureLimiter<u32> {
        FailureLimiter::new(
            Limit {
                failures,
                window: Duration::from_secs(window_secs),
            },
            capacity,
        )
    }

    #[test]
    fn a_burst_up_to_the_limit_then_one_per_interval() {
        let mut l = limiter(10, 60, 100);
        let t0 = Instant::now();
        for _ in 0..10 {
            assert_eq!(l.retry_after(&1, t0), None);
            l.record_failure(&1, t0);
        }
        assert_eq!(l.retry_after(&1, t0), Some(Duration::from_secs(6)));
        assert_eq!(
            l.retry_after(&1, t0 + Duration::from_secs(2)),
            Some(Duration::from_secs(4))
        );
        // Another key is not affected.
        assert_eq!(l.retry_after(&2, t0), None);
        // One interval later, one more attempt; failing it refuses again for an interval.
        let t1 = t0 + Duration::from_secs(6);
        assert_eq!(l.retry_after(&1, t1), None);
        l.record_failure(&1, t1);
        assert_eq!(l.retry_after(&1, t1), Some(Duration::from_secs(6)));
        // A whole window after the last failure, everything is forgotten.
        let t2 = t1 + Duration::from_secs(60);
        assert_eq!(l.retry_after(&1, t2), None);
        l.forget_cleared(t2);
        assert!(l.is_empty());
    }

    #[test]
    fn spread_failures_never_lock_out() {
        let mut l = limiter(10, 60, 100);
        let t0 = Instant::now();
        for i in 0..100 {
            let now = t0 + Duration::from_secs(6 * i);
            assert_eq!(l.retry_after(&1, now), None, "attempt {i}");
            l.record_failure(&1, now);
        }
    }

    #[test]
    fn a_refund_takes_back_one_failure() {
        let mut l = limiter(2, 60, 100);
        let t0 = Instant::now();
        l.record_failure(&1, t0);
        l.record_failure(&1, t0);
        assert!(l.retry_after(&1, t0).is_some());
        l.refund(&1, t0);
        assert_eq!(l.retry_after(&1, t0), None);
        l.refund(&1, t0);
        assert!(l.is_empty());
        // Refunding a key that has nothing to refund changes nothing.
        l.refund(&1, t0);
        l.refund(&2, t0);
        assert!(l.is_empty());
    }

    #[test]
    fn zero_failures_refuses_everything() {
        let l = limiter(0, 60, 100);
        assert_eq!(
            l.retry_after(&1, Instant::now()),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn a_full_table_drops_cleared_keys_and_never_limited_ones() {
        let mut l = limiter(1, 60, 2);
        let t0 = Instant::now();
        assert_eq!(l.record_failure(&1, t0), Recorded::Counted);
        assert_eq!(l.record_failure(&2, t0), Recorded::Counted);
        // Both still limited: a third key is not tracked, and the first two stay limited.
        assert_eq!(l.record_failure(&3, t0), Recorded::Untracked);
        assert_eq!(l.len(), 2);
        assert!(l.retry_after(&1, t0).is_some());
        assert!(l.retry_after(&2, t0).is_some());
        // Once they are cleared, room is made for new keys.
        let later = t0 + Duration::from_secs(61);
        assert_eq!(l.record_failure(&3, later), Recorded::Counted);
        assert_eq!(l.len(), 1);
        assert!(l.retry_after(&3, later).is_some());
    }

    proptest! {
        /// Whatever the keys and times, the table stays within its capacity, a refusal never asks
        /// to wait longer than the window, and no key gets more than `failures` attempts within
        /// the first interval.
        #[test]
        fn bounded_and_never_longer_than_a_window(
            failures in 1u32..20,
            capacity in 1usize..50,
            events in proptest::collection::vec((0u32..100, 0u64..5_000), 1..300),
        ) {
            let mut l = limiter(failures, 60, capacity);
            let t0 = Instant::now();
            let mut now = t0;
            let mut admitted_at_t0: HashMap<u32, u32> = HashMap::new();
            for (key, step_ms) in events {
                now += Duration::from_millis(step_ms);
                match l.retry_after(&key, now) {
                    Some(wait) => prop_assert!(wait <= Duration::from_secs(60)),
                    None => {
                        if l.record_failure(&key, now) == Recorded::Counted && now == t0 {
                            *admitted_at_t0.entry(key).or_default() += 1;
                        }
                    }
                }
                prop_assert!(l.len() <= capacity);
            }
            for count in admitted_at_t0.values() {
                prop_assert!(*count <= failures);
            }
        }
    }
}
