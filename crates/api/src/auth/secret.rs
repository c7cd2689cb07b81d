//! Client secrets and calendar passkeys: generated with the OS RNG, shown once, stored only as an
//! Argon2id hash.
//!
//! Hashing and verifying are the only ways in, and both run on the blocking pool behind one
//! semaphore with a permit per core. Argon2 is memory-hard by design (19 MiB per call with the
//! crate's defaults). Unbounded, with a fresh buffer per call, a burst of token requests ran a
//! verification per request at once and took the server to 1.9 GB resident (16 clients on
//! `POST /oauth2/token`), finishing no sooner since the work is CPU-bound; bounded but still
//! allocating per call, glibc kept the freed buffers (its mmap threshold rises to their size) and
//! the server grew by ~100 MB per burst. So verification runs in one of a few buffers reused
//! across calls: resident memory stays at one buffer per core.
//!
//! Verification is reached by unauthenticated callers, so it goes through a [`Verifier`]: a
//! bounded queue (a request that finds it full, or waits longer than a short bound for a permit,
//! is refused at once rather than queued behind a flood), and no Argon2 run at all without a
//! stored hash (unknown client, revoked application, no passkey), answered after the typical
//! verification time instead.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A new client secret: 256 random bits, base64url.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PHC string of `secret`'s Argon2id hash (the crate's defaults: OWASP's recommended minimum).
pub async fn hash(secret: &str) -> String {
    let secret = secret.to_string();
    bounded(move || hash_now(&secret)).await
}

/// Verification was refused without being tried: the queue is full, or no permit came in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Verifies secrets against stored hashes, for one server.
#[derive(Debug)]
pub struct Verifier {
    /// Verifications waiting for a permit or running.
    in_flight: Semaphore,
    /// The longest wait for a permit.
    wait: Duration,
    /// Recent Argon2 verification time (an exponentially weighted mean, in microseconds).
    typical_micros: AtomicU64,
    /// Argon2 verifications run (what a flood costs, and what tests check is not spent).
    runs: AtomicU64,
}

impl Verifier {
    /// At most `queue` verifications waiting or running (at least one per core is always
    /// allowed), each waiting at most `wait` for a permit.
    pub fn new(queue: usize, wait: Duration) -> Verifier {
        Verifier {
            in_flight: Semaphore::new(queue.max(cores())),
            wait,
            typical_micros: AtomicU64::new(0),
            runs: AtomicU64::new(0),
        }
    }

    /// Whether `secret` matches the stored hash; the comparison is constant-time (argon2's
    /// verifier). Without a stored hash nothing is computed: the answer (no) comes after the
    /// typical verification time, so an unknown client is not told apart by a quick answer
    /// (a timer costs no CPU, an Argon2 run does).
    pub async fn verify(&self, secret: &str, stored: Option<&str>) -> Result<bool, Busy> {
        let Some(stored) = stored else {
            let typical = self.typical_micros.load(Ordering::Relaxed);
            tokio::time::sleep(Duration::from_micros(typical)).await;
            return Ok(false);
        };
        let _slot = self.in_flight.try_acquire().map_err(|_| Busy)?;
        let permit = tokio::time::timeout(self.wait, permits().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .expect("the argon2 semaphore is never closed");
        self.runs.fetch_add(1, Ordering::Relaxed);
        let (secret, stored) = (secret.to_string(), stored.to_string());
        let (matches, took) = run_with(permit, move || {
            let started = Instant::now();
            let matches = verify_now(&secret, &stored);
            (matches, started.elapsed())
        })
        .await;
        let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        // Relaxed read-modify-write races only lose a sample: the mean stays a mean.
        let old = self.typical_micros.load(Ordering::Relaxed);
        let new = if old == 0 { took } else { (old * 7 + took) / 8 };
        self.typical_micros.store(new, Ordering::Relaxed);
        Ok(matches)
    }

    /// Argon2 verifications run so far.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A permit per core, shared by every hash and verification of the process.
fn permits() -> Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS
        .get_or_init(|| Arc::new(Semaphore::new(cores())))
        .clone()
}

/// Runs `work` on the blocking pool once one of the per-core permits is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let permit = permits()
        .acquire_owned()
        .await
        .expect("the argon2 semaphore is never closed");
    run_with(permit, work).await
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

fn hash_now(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// The most memory a stored hash may ask for (64 MiB; ours ask for 19): a hash is only ever
/// written by this module, but a tampered row must not make the server allocate at will.
const MAX_BLOCKS: u32 = 64 * 1024;

fn verify_now(secret: &str, phc: &str) -> bool {
    static BUFFERS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    // At most one buffer per permit exists: whoever holds a permit finds one or makes one.
    let mut blocks = BUFFERS
        .lock()
        .map(|mut b| b.pop())
        .ok()
        .flatten()
        .unwrap_or_default();
    let matches = matches(secret.as_bytes(), phc, &mut blocks);
    if let Ok(mut buffers) = BUFFERS.lock() {
        buffers.push(blocks);
    }
    matches
}

/// Argon2's own verification (the algorithm, version, parameters and salt of the PHC string,
/// then a constant-time comparison of the outputs), computed in `blocks`.
fn matches(secret: &[u8], phc: &str, blocks: &mut Vec<Block>) -> bool {
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
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let verifier = Verifier::new(8, Duration::from_secs(5));
        let secret = generate();
        assert_eq!(secret.len(), 43);
        let stored = hash(&secret).await;
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains(&secret));
        assert_eq!(verifier.verify(&secret, Some(&stored)).await, Ok(true));
        assert_eq!(verifier.verify("wrong", Some(&stored)).await, Ok(false));
        assert_eq!(verifier.runs(), 2);
        // Without a stored hash: no, and no Argon2 run.
        assert_eq!(verifier.verify(&secret, None).await, Ok(false));
        assert_eq!(verifier.runs(), 2);
        // A hash with other parameters (not the defaults) still verifies in the reused buffers.
        let params = Params::new(8 * 1024, 3, 1, Some(24)).unwrap();
        let light = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(secret.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert_eq!(verifier.verify(&secret, Some(&light)).await, Ok(true));
        assert_eq!(verifier.verify("wrong", Some(&light)).await, Ok(false));
        assert_eq!(verifier.verify(&secret, Some(&stored)).await, Ok(true));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_or_a_long_wait_is_refused_at_once() {
        let stored = Arc::new(hash("secret").await);
        // Hold every per-core permit, so no verification can start.
        let held = permits().acquire_many_owned(cores() as u32).await.unwrap();
        let verifier = Arc::new(Verifier::new(cores(), Duration::from_secs(30)));
        let waiting: Vec<_> = (0..cores())
            .map(|_| {
                let (verifier, stored) = (verifier.clone(), stored.clone());
                tokio::spawn(async move { verifier.verify("secret", Some(&stored)).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The queue is full: refused without waiting.
        let started = Instant::now();
        assert_eq!(verifier.verify("secret", Some(&stored)).await, Err(Busy));
        assert!(started.elapsed() < Duration::from_secs(1));
        // Room in the queue, but no permit within the bound: refused after the bound.
        let impatient = Verifier::new(cores(), Duration::from_millis(50));
        assert_eq!(impatient.verify("secret", Some(&stored)).await, Err(Busy));
        assert_eq!(impatient.runs(), 0);
        drop(held);
        for task in waiting {
            assert_eq!(task.await.unwrap(), Ok(true));
        }
    }
}
