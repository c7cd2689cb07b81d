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

use std::sync::{Mutex, OnceLock};

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

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

/// Whether `secret` matches the stored hash. With no stored hash (unknown client) the work is
/// done anyway against a dummy hash, so a caller cannot tell unknown clients from wrong secrets by
/// timing. The comparison itself is constant-time (argon2's verifier).
pub async fn verify(secret: &str, stored: Option<&str>) -> bool {
    let (secret, stored) = (secret.to_string(), stored.map(str::to_string));
    bounded(move || verify_now(&secret, stored.as_deref())).await
}

/// Runs `work` on the blocking pool once one of the per-core permits is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _permit = permits
        .acquire()
        .await
        .expect("the argon2 semaphore is never closed");
    match tokio::task::spawn_blocking(work).await {
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

fn verify_now(secret: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    static BUFFERS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    let dummy = DUMMY.get_or_init(|| hash_now(&generate()));
    let (phc, known) = match stored {
        Some(phc) => (phc, true),
        None => (dummy.as_str(), false),
    };
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
    matches && known
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
        let secret = generate();
        assert_eq!(secret.len(), 43);
        let stored = hash(&secret).await;
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains(&secret));
        assert!(verify(&secret, Some(&stored)).await);
        assert!(!verify("wrong", Some(&stored)).await);
        assert!(!verify(&secret, None).await);
        // A hash with other parameters (not the defaults) still verifies in the reused buffers.
        let params = Params::new(8 * 1024, 3, 1, Some(24)).unwrap();
        let light = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(secret.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify(&secret, Some(&light)).await);
        assert!(!verify("wrong", Some(&light)).await);
        assert!(verify(&secret, Some(&stored)).await);
    }
}
