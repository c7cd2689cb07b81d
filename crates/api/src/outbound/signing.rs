//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>): a secret is `whsec_` and
//! the base64 of its key; a delivery is signed with HMAC-SHA256 over `id.timestamp.body`,
//! answered as `v1,` and the base64 of the MAC, one per secret, space-separated.
//!
//! HMAC through `hmac` and `sha2` (both already in the dependency tree) rather than the
//! `standardwebhooks` crate: that crate brings a second base64 (0.21), a second SHA-256
//! implementation (`hmac-sha256`) and `time`, to compute these few lines, and signs with one
//! secret where a rotation needs several.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The prefix of a webhook secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 256 random bits.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-signature` header of a delivery with `id`, `timestamp` (Unix seconds) and
/// `body`, one `v1,` signature per secret. A secret that is not `whsec_` and base64 (never the
/// case of one made by [`new_secret`]) is skipped.
pub fn signature(secrets: &[&str], id: &str, timestamp: i64, body: &[u8]) -> String {
    let timestamp = timestamp.to_string();
    secrets
        .iter()
        .filter_map(|secret| {
            let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
            mac.update(id.as_bytes());
            mac.update(b".");
            mac.update(timestamp.as_bytes());
            mac.update(b".");
            mac.update(body);
            Some(format!(
                "v1,{}",
                STANDARD.encode(mac.finalize().into_bytes())
            ))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn signs_as_the_reference_implementation() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&[secret], id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn one_signature_per_secret() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.starts_with("whsec_") && a != b);
        let both = signature(&[&a, &b], "id", 1, b"{}");
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], signature(&[&a], "id", 1, b"{}"));
        assert_eq!(parts[1], signature(&[&b], "id", 1, b"{}"));
        assert_eq!(signature(&["nope"], "id", 1, b"{}"), "");
    }
}
