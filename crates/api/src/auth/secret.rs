//! Client secrets and calendar passkeys: generated with the OS RNG (256 bits), shown once, stored
//! only as a keyed hash, HMAC-SHA-256 under the deployment's [`HashKey`], compared in constant
//! time.
//!
//! Not a password hash: nobody chose these secrets, so there is no dictionary to slow down, and
//! 256 random bits cannot be searched whatever the hash costs. A slow hash only made every token
//! request cost ~20 ms of a core (and 19 MiB) and handed anyone who could reach the token
//! endpoint a lever on the server's CPU. The key adds what a plain hash lacks: a stolen table of
//! hashes is useless without the key, which is sealed with the key-encryption key when one is
//! configured (docs/decisions.md, "Client secrets").
//!
//! Argon2id hashes written by earlier versions still verify, through a [`Verifier`]: a bounded
//! queue (a request that finds it full, or waits longer than a short bound for a permit, is
//! refused at once rather than queued behind a flood), one of a few reused buffers per core
//! (Argon2 is memory-hard: 19 MiB per call; allocating per call took the server to 1.9 GB
//! under a burst). A secret that matches its Argon2 hash is answered with its keyed hash, which
//! the caller stores in its place ([`Verified::Rehash`]): each old secret costs one Argon2 run.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::Sha256;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wink_store::Store;
use wink_store::hash_keys::StoredKey;

use super::key_encryption::KeyEncryptionKey;
use crate::error::ApiError;

/// How a keyed hash is written: this prefix, then the MAC in base64 without padding.
const PREFIX: &str = "$hmac-sha256$";

/// The name of the key client secrets and passkeys are hashed under (`hash_keys.name`); also
/// the associated data when it is sealed, so a sealed key moved onto another row fails to open.
const KEY_NAME: &str = "client-secrets";

/// A new client secret: 256 random bits, base64url.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The key secrets are hashed under: 32 random bytes made by the first node to start, kept in
/// the database so that every node sharing it agrees. Its `Debug` never shows it.
#[derive(Clone)]
pub struct HashKey([u8; 32]);

impl fmt::Debug for HashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HashKey(***)")
    }
}

impl From<[u8; 32]> for HashKey {
    fn from(key: [u8; 32]) -> Self {
        HashKey(key)
    }
}

impl HashKey {
    /// The deployment's key, made on the first start. With a key-encryption key it is stored
    /// sealed (a key still in clear is sealed on the way); a sealed key without the
    /// key-encryption key, or with another one, is an error, as for the signing keys.
    pub async fn load(store: &Store, kek: Option<&KeyEncryptionKey>) -> Result<HashKey, ApiError> {
        let stored = match store.hash_key(KEY_NAME).await? {
            Some(stored) => stored,
            None => {
                let mut key = [0u8; 32];
                OsRng.fill_bytes(&mut key);
                let new = match kek {
                    Some(kek) => {
                        StoredKey::Sealed(kek.seal(KEY_NAME, &key).map_err(ApiError::Internal)?)
                    }
                    None => StoredKey::Clear(key.to_vec()),
                };
                store
                    .create_hash_key(KEY_NAME, &new, wink_store::now())
                    .await?;
                // Another node may have made one first: use whichever was stored.
                store.hash_key(KEY_NAME).await?.ok_or_else(|| {
                    ApiError::Internal("the secret-hashing key was not stored".into())
                })?
            }
        };
        let bytes = match (&stored, kek) {
            (StoredKey::Clear(bytes), None) => bytes.clone(),
            (StoredKey::Clear(bytes), Some(kek)) => {
                let sealed = kek.seal(KEY_NAME, bytes).map_err(ApiError::Internal)?;
                if store.seal_hash_key(KEY_NAME, &sealed).await? {
                    tracing::info!("secret-hashing key encrypted at rest");
                }
                bytes.clone()
            }
            (StoredKey::Sealed(sealed), Some(kek)) => {
                kek.open(KEY_NAME, sealed).map_err(ApiError::Internal)?
            }
            (StoredKey::Sealed(_), None) => {
                return Err(ApiError::Internal(
                    "the secret-hashing key is encrypted, but no key_encryption_key is configured"
                        .into(),
                ));
            }
        };
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            ApiError::Internal("the stored secret-hashing key is not 32 bytes".into())
        })?;
        Ok(HashKey(key))
    }

    /// `secret`'s keyed hash, as stored.
    pub fn hash(&self, secret: &str) -> String {
        let mac = self.mac(secret).finalize().into_bytes();
        format!("{PREFIX}{}", STANDARD_NO_PAD.encode(mac))
    }

    fn mac(&self, secret: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(secret.as_bytes());
        mac
    }

    /// Whether `secret` matches the keyed hash `stored` (its text after [`PREFIX`]); the
    /// comparison is constant-time (`Mac::verify_slice`).
    fn matches(&self, secret: &str, stored: &str) -> bool {
        let Ok(expected) = STANDARD_NO_PAD.decode(stored) else {
            return false;
        };
        self.mac(secret).verify_slice(&expected).is_ok()
    }
}

/// Verification was refused without being tried: the queue is full, or no permit came in time
/// (Argon2 hashes only; a keyed hash is checked at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// The secret does not match (or there was nothing to match).
    No,
    /// It matches its keyed hash.
    Yes,
    /// It matches an Argon2 hash of an earlier version: store this keyed hash in its place.
    Rehash(String),
}

impl Verified {
    pub fn matches(&self) -> bool {
        !matches!(self, Verified::No)
    }
}

/// Verifies secrets against stored hashes, for one server.
#[derive(Debug)]
pub struct Verifier {
    key: Arc<HashKey>,
    /// Argon2 verifications waiting for a permit or running.
    in_flight: Semaphore,
    /// The longest wait for a permit.
    wait: Duration,
    /// Hashes checked (keyed or Argon2): what tests check an unknown client does not cost.
    checks: AtomicU64,
    /// Argon2 verifications run.
    argon2_runs: AtomicU64,
}

impl Verifier {
    /// At most `queue` Argon2 verifications waiting or running (at least one per core is always
    /// allowed), each waiting at most `wait` for a permit.
    pub fn new(key: Arc<HashKey>, queue: usize, wait: Duration) -> Verifier {
        Verifier {
            key,
            in_flight: Semaphore::new(queue.max(cores())),
            wait,
            checks: AtomicU64::new(0),
            argon2_runs: AtomicU64::new(0),
        }
    }

    /// Whether `secret` matches the stored hash. Without a stored hash (unknown client, revoked
    /// application, no passkey) nothing is computed and the answer is no: a keyed hash costs a
    /// microsecond, so answering at once tells a caller nothing a known client's answer would
    /// not.
    pub async fn verify(&self, secret: &str, stored: Option<&str>) -> Result<Verified, Busy> {
        let Some(stored) = stored else {
            return Ok(Verified::No);
        };
        self.checks.fetch_add(1, Ordering::Relaxed);
        if let Some(keyed) = stored.strip_prefix(PREFIX) {
            return Ok(if self.key.matches(secret, keyed) {
                Verified::Yes
            } else {
                Verified::No
            });
        }
        let _slot = self.in_flight.try_acquire().map_err(|_| Busy)?;
        let permit = tokio::time::timeout(self.wait, permits().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .expect("the argon2 semaphore is never closed");
        self.argon2_runs.fetch_add(1, Ordering::Relaxed);
        let (owned, stored) = (secret.to_string(), stored.to_string());
        let matches = run_with(permit, move || verify_argon2(&owned, &stored)).await;
        Ok(if matches {
            Verified::Rehash(self.key.hash(secret))
        } else {
            Verified::No
        })
    }

    /// Stored hashes checked so far.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// Argon2 verifications run so far.
    pub fn argon2_runs(&self) -> u64 {
        self.argon2_runs.load(Ordering::Relaxed)
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A permit per core, shared by every Argon2 verification of the process.
fn permits() -> Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS
        .get_or_init(|| Arc::new(Semaphore::new(cores())))
        .clone()
}

/// Runs `work` on the blocking pool holding `permit` until the work ends: a caller that gives
/// up (timeout, client gone) does not free the permit while its computation still runs.
async fn run_with<T: Send + 'static>(
    permit: OwnedSemaphorePermit,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match task.await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The most memory a stored hash may ask for (64 MiB; ours asked for 19): a tampered row must
/// not make the server allocate at will.
const MAX_BLOCKS: u32 = 64 * 1024;

fn verify_argon2(secret: &str, phc: &str) -> bool {
    static BUFFERS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    // At most one buffer per permit exists: whoever holds a permit finds one or makes one.
    let mut blocks = BUFFERS
        .lock()
        .map(|mut b| b.pop())
        .ok()
        .flatten()
        .unwrap_or_default();
    let matches = argon2_matches(secret.as_bytes(), phc, &mut blocks);
    if let Ok(mut buffers) = BUFFERS.lock() {
        buffers.push(blocks);
    }
    matches
}

/// Argon2's own verification (the algorithm, version, parameters and salt of the PHC string,
/// then a constant-time comparison of the outputs), computed in `blocks`.
fn argon2_matches(secret: &[u8], phc: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if params.m_cost() > MAX_BLOCKS {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let count = params.block_count();
    if blocks.len() < count {
        blocks.resize(count, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(secret, salt, &mut out, &mut blocks[..count])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::PasswordHasher;
    use argon2::password_hash::SaltString;

    use super::*;

    fn key(byte: u8) -> Arc<HashKey> {
        Arc::new(HashKey([byte; 32]))
    }

    fn argon2_hash(secret: &str, params: Params) -> String {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(secret.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    }

    #[tokio::test]
    async fn keyed_hashes_verify_under_their_key_only() {
        let verifier = Verifier::new(key(1), 8, Duration::from_secs(5));
        let secret = generate();
        assert_eq!(secret.len(), 43);
        let stored = key(1).hash(&secret);
        assert!(stored.starts_with(PREFIX));
        assert!(!stored.contains(&secret));
        assert_eq!(stored, key(1).hash(&secret));
        assert_ne!(stored, key(2).hash(&secret));
        assert_eq!(
            verifier.verify(&secret, Some(&stored)).await,
            Ok(Verified::Yes)
        );
        assert_eq!(
            verifier.verify("wrong", Some(&stored)).await,
            Ok(Verified::No)
        );
        let other_key = key(2).hash(&secret);
        assert_eq!(
            verifier.verify(&secret, Some(&other_key)).await,
            Ok(Verified::No)
        );
        assert_eq!(
            verifier.verify(&secret, Some("$hmac-sha256$!!")).await,
            Ok(Verified::No)
        );
        // Without a stored hash: no, and nothing checked.
        assert_eq!(verifier.verify(&secret, None).await, Ok(Verified::No));
        assert_eq!((verifier.checks(), verifier.argon2_runs()), (4, 0));
    }

    #[tokio::test]
    async fn argon2_hashes_still_verify_and_are_answered_rehashed() {
        let verifier = Verifier::new(key(1), 8, Duration::from_secs(5));
        let secret = generate();
        let old = argon2_hash(&secret, Params::default());
        assert_eq!(
            verifier.verify(&secret, Some(&old)).await,
            Ok(Verified::Rehash(key(1).hash(&secret)))
        );
        assert_eq!(verifier.verify("wrong", Some(&old)).await, Ok(Verified::No));
        // Other parameters (not the defaults) verify in the reused buffers.
        let light = argon2_hash(&secret, Params::new(8 * 1024, 3, 1, Some(24)).unwrap());
        assert!(
            verifier
                .verify(&secret, Some(&light))
                .await
                .unwrap()
                .matches()
        );
        assert_eq!(
            verifier.verify("wrong", Some(&light)).await,
            Ok(Verified::No)
        );
        assert!(
            verifier
                .verify(&secret, Some(&old))
                .await
                .unwrap()
                .matches()
        );
        assert_eq!(verifier.argon2_runs(), 5);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_or_a_long_wait_is_refused_at_once() {
        let stored = Arc::new(argon2_hash(
            "secret",
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        ));
        // Hold every per-core permit, so no Argon2 verification can start.
        let held = permits().acquire_many_owned(cores() as u32).await.unwrap();
        let verifier = Arc::new(Verifier::new(key(1), cores(), Duration::from_secs(30)));
        let waiting: Vec<_> = (0..cores())
            .map(|_| {
                let (verifier, stored) = (verifier.clone(), stored.clone());
                tokio::spawn(async move { verifier.verify("secret", Some(&stored)).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The queue is full: refused without waiting.
        let started = std::time::Instant::now();
        assert_eq!(verifier.verify("secret", Some(&stored)).await, Err(Busy));
        assert!(started.elapsed() < Duration::from_secs(1));
        // A keyed hash does not queue: checked at once.
        let keyed = key(1).hash("secret");
        assert_eq!(
            verifier.verify("secret", Some(&keyed)).await,
            Ok(Verified::Yes)
        );
        // Room in the queue, but no permit within the bound: refused after the bound.
        let impatient = Verifier::new(key(1), cores(), Duration::from_millis(50));
        assert_eq!(impatient.verify("secret", Some(&stored)).await, Err(Busy));
        assert_eq!(impatient.argon2_runs(), 0);
        drop(held);
        for task in waiting {
            assert!(task.await.unwrap().unwrap().matches());
        }
    }
}
