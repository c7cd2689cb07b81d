//! Client secrets: generated with the OS RNG, shown once, stored only as an Argon2id hash.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;

/// A new client secret: 256 random bits, base64url.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PHC string of `secret`'s Argon2id hash (the crate's defaults: OWASP's recommended minimum).
pub fn hash(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Whether `secret` matches the stored hash. With no stored hash (unknown client) the work is
/// done anyway against a dummy hash, so a caller cannot tell unknown clients from wrong secrets by
/// timing. The comparison itself is constant-time (argon2's verifier).
pub fn verify(secret: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash(&generate()));
    let (phc, known) = match stored {
        Some(phc) => (phc, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok();
    matches && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let secret = generate();
        assert_eq!(secret.len(), 43);
        let stored = hash(&secret);
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains(&secret));
        assert!(verify(&secret, Some(&stored)));
        assert!(!verify("wrong", Some(&stored)));
        assert!(!verify(&secret, None));
    }
}
