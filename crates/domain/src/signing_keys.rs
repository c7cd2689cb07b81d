//! The life of a token-signing key: which key signs, which keys verify, when a retired key may be
//! forgotten, and which key may be retired.
//!
//! - Keys are ordered by `generation` (a counter the store makes unique, so two nodes can never
//!   both create "the next" key). The newest key that is not retired signs; every key not retired
//!   verifies, so rotating never breaks a token in flight.
//! - A retired key stops signing at once but keeps verifying until every token it may have signed
//!   has expired: `retired_at + token TTL + grace`, the grace covering the verifier's clock leeway
//!   and the time a node takes to notice the retirement (it may sign with the key until then).
//!   After that it is expired: out of the JWKS, refused.
//! - The last key that is not retired cannot be retired: there would be nothing to sign with.
//!   Rotate first.

use chrono::{DateTime, Duration, Utc};

/// What the rules need to know about one stored key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFacts {
    pub generation: i64,
    pub retired_at: Option<DateTime<Utc>>,
}

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Signs new tokens (and verifies).
    Signing,
    /// Not retired but not the newest: verifies, and signs again if the newer keys are retired.
    Verifying,
    /// Retired: verifies tokens until the instant given, signs nothing.
    Retired { verifies_until: DateTime<Utc> },
    /// Retired long enough that no token it signed is still valid: verifies nothing.
    Expired,
}

impl KeyState {
    /// Whether tokens signed with the key are still accepted (and the key published).
    pub fn verifies(&self) -> bool {
        !matches!(self, KeyState::Expired)
    }

    /// The word `keys list` shows.
    pub fn label(&self) -> &'static str {
        match self {
            KeyState::Signing => "signing",
            KeyState::Verifying => "verifying",
            KeyState::Retired { .. } => "retired",
            KeyState::Expired => "expired",
        }
    }
}

/// How long tokens live, and the grace a retired key keeps on top of that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLifetime {
    pub token_ttl: Duration,
    /// Clock leeway of verification plus the longest a node may keep signing with a key after
    /// it was retired elsewhere (its reload interval).
    pub grace: Duration,
}

impl KeyLifetime {
    /// The last instant a key retired at `retired_at` verifies.
    pub fn verifies_until(&self, retired_at: DateTime<Utc>) -> DateTime<Utc> {
        retired_at + self.token_ttl + self.grace
    }
}

/// The state of each key of `keys` (same order) at `now`.
pub fn states(keys: &[KeyFacts], lifetime: KeyLifetime, now: DateTime<Utc>) -> Vec<KeyState> {
    let signer = signer(keys);
    keys.iter()
        .enumerate()
        .map(|(i, key)| match key.retired_at {
            None if Some(i) == signer => KeyState::Signing,
            None => KeyState::Verifying,
            Some(at) => {
                let verifies_until = lifetime.verifies_until(at);
                if now <= verifies_until {
                    KeyState::Retired { verifies_until }
                } else {
                    KeyState::Expired
                }
            }
        })
        .collect()
}

/// The index of the key that signs: the newest generation not retired; `None` when every key is
/// retired (a new one must be made).
pub fn signer(keys: &[KeyFacts]) -> Option<usize> {
    keys.iter()
        .enumerate()
        .filter(|(_, k)| k.retired_at.is_none())
        .max_by_key(|(_, k)| k.generation)
        .map(|(i, _)| i)
}

/// Why a key may not be retired.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetireRefusal {
    #[error("no signing key has this kid")]
    Unknown,
    #[error("the key was already retired at {0}")]
    AlreadyRetired(DateTime<Utc>),
    #[error("it is the only key that is not retired; rotate first (`wink-supplier keys rotate`)")]
    LastKey,
}

/// Whether the key at `index` of `keys` may be retired.
pub fn check_retire(keys: &[KeyFacts], index: Option<usize>) -> Result<(), RetireRefusal> {
    let key = index
        .and_then(|i| keys.get(i))
        .ok_or(RetireRefusal::Unknown)?;
    if let Some(at) = key.retired_at {
        return Err(RetireRefusal::AlreadyRetired(at));
    }
    if keys.iter().filter(|k| k.retired_at.is_none()).count() < 2 {
        return Err(RetireRefusal::LastKey);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn key(generation: i64, retired: Option<i64>) -> KeyFacts {
        KeyFacts {
            generation,
            retired_at: retired.map(at),
        }
    }

    const LIFE: KeyLifetime = KeyLifetime {
        token_ttl: Duration::seconds(900),
        grace: Duration::seconds(35),
    };

    #[test]
    fn the_newest_key_not_retired_signs_and_the_others_verify() {
        let keys = [key(1, None), key(3, Some(0)), key(2, None)];
        assert_eq!(signer(&keys), Some(2));
        let s = states(&keys, LIFE, at(10));
        assert_eq!(s[0], KeyState::Verifying);
        assert_eq!(
            s[1],
            KeyState::Retired {
                verifies_until: at(935)
            }
        );
        assert_eq!(s[2], KeyState::Signing);
        assert!(s.iter().all(KeyState::verifies));
    }

    #[test]
    fn a_retired_key_verifies_until_its_last_token_expired_then_expires() {
        let keys = [key(1, Some(0)), key(2, None)];
        assert!(states(&keys, LIFE, at(935))[0].verifies());
        assert_eq!(states(&keys, LIFE, at(936))[0], KeyState::Expired);
        assert!(!KeyState::Expired.verifies());
    }

    #[test]
    fn no_key_signs_when_all_are_retired() {
        assert_eq!(signer(&[key(1, Some(0)), key(2, Some(5))]), None);
        assert_eq!(signer(&[]), None);
    }

    #[test]
    fn the_last_key_not_retired_cannot_be_retired() {
        let keys = [key(1, Some(0)), key(2, None)];
        assert_eq!(check_retire(&keys, Some(1)), Err(RetireRefusal::LastKey));
        assert_eq!(
            check_retire(&keys, Some(0)),
            Err(RetireRefusal::AlreadyRetired(at(0)))
        );
        assert_eq!(check_retire(&keys, None), Err(RetireRefusal::Unknown));
        let keys = [key(1, None), key(2, None)];
        assert_eq!(check_retire(&keys, Some(1)), Ok(()));
        assert_eq!(check_retire(&keys, Some(0)), Ok(()));
    }

    fn arb_keys() -> impl Strategy<Value = Vec<KeyFacts>> {
        prop::collection::vec(prop::option::of(-2000i64..2000), 0..8).prop_map(|retired| {
            retired
                .into_iter()
                .enumerate()
                .map(|(i, r)| key(i as i64 + 1, r))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn exactly_one_key_signs_while_any_is_not_retired(keys in arb_keys(), now in -3000i64..3000) {
            let s = states(&keys, LIFE, at(now));
            let signing = s.iter().filter(|s| **s == KeyState::Signing).count();
            let unretired = keys.iter().filter(|k| k.retired_at.is_none()).count();
            prop_assert_eq!(signing, usize::from(unretired > 0));
            for (k, s) in keys.iter().zip(&s) {
                if k.retired_at.is_none() {
                    prop_assert!(s.verifies());
                }
            }
        }

        #[test]
        fn retiring_never_leaves_nothing_to_sign(keys in arb_keys(), index in 0usize..8) {
            if check_retire(&keys, Some(index)).is_ok() {
                let mut after = keys.clone();
                after[index].retired_at = Some(at(0));
                prop_assert!(signer(&after).is_some());
            }
        }
    }
}
