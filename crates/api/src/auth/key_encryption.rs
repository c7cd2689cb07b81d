//! The key-encryption key: the configured secret that encrypts the signing keys' private halves
//! at rest (`key_encryption_key` / `WINK_KEY_ENCRYPTION_KEY`, 32 random bytes in base64).
//!
//! ChaCha20-Poly1305 with a random 96-bit nonce per key (a handful of keys per deployment is far
//! from the nonce-collision bound) and the kid as associated data, so a sealed private key moved
//! onto another key's row fails to open instead of signing under the wrong kid. A wrong
//! key-encryption key fails authentication: a clear error, never a garbage key.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

const NONCE_LEN: usize = 12;

/// The configured key-encryption key. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct KeyEncryptionKey([u8; 32]);

impl fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyEncryptionKey(***)")
    }
}

impl FromStr for KeyEncryptionKey {
    type Err = String;

    /// Standard base64 of exactly 32 bytes (`openssl rand -base64 32`), padding optional.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bytes = STANDARD
            .decode(s)
            .or_else(|_| STANDARD_NO_PAD.decode(s))
            .map_err(|_| {
                "key_encryption_key is not base64 (generate one with `openssl rand -base64 32`)"
                    .to_string()
            })?;
        let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "key_encryption_key must be 32 bytes, this one is {} (generate one with `openssl rand -base64 32`)",
                b.len()
            )
        })?;
        Ok(KeyEncryptionKey(key))
    }
}

impl TryFrom<String> for KeyEncryptionKey {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl KeyEncryptionKey {
    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&Key::from(self.0))
    }

    /// `secret` sealed for the key `kid`: nonce followed by ciphertext and tag.
    pub fn seal(&self, kid: &str, secret: &[u8]) -> Result<Vec<u8>, String> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: secret,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| format!("encrypting signing key {kid} failed"))?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// What [`seal`](Self::seal) sealed for `kid`; an error when this is not the key it was
    /// sealed with (or the bytes were altered, or belong to another kid).
    pub fn open(&self, kid: &str, sealed: &[u8]) -> Result<Vec<u8>, String> {
        let wrong = || {
            format!(
                "signing key {kid} cannot be decrypted: the configured key_encryption_key is not the one it was encrypted with (or the stored key was altered)"
            )
        };
        if sealed.len() < NONCE_LEN {
            return Err(wrong());
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| wrong())?;
        self.cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| wrong())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek(byte: u8) -> KeyEncryptionKey {
        STANDARD.encode([byte; 32]).parse().unwrap()
    }

    #[test]
    fn seals_and_opens_with_a_fresh_nonce_each_time() {
        let k = kek(7);
        let a = k.seal("kid1", b"private").unwrap();
        let b = k.seal("kid1", b"private").unwrap();
        assert_ne!(a, b);
        assert!(!a.windows(7).any(|w| w == b"private"));
        assert_eq!(k.open("kid1", &a).unwrap(), b"private");
        assert_eq!(k.open("kid1", &b).unwrap(), b"private");
    }

    #[test]
    fn another_key_another_kid_or_altered_bytes_fail_to_open() {
        let sealed = kek(7).seal("kid1", b"private").unwrap();
        assert!(kek(8).open("kid1", &sealed).unwrap_err().contains("kid1"));
        assert!(kek(7).open("kid2", &sealed).is_err());
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(kek(7).open("kid1", &altered).is_err());
        assert!(kek(7).open("kid1", &sealed[..5]).is_err());
    }

    #[test]
    fn parses_32_bytes_of_base64_and_never_shows_them() {
        let text = STANDARD.encode([9u8; 32]);
        let k: KeyEncryptionKey = text.parse().unwrap();
        assert_eq!(format!("{k:?}"), "KeyEncryptionKey(***)");
        assert_eq!(
            STANDARD_NO_PAD
                .encode([9u8; 32])
                .parse::<KeyEncryptionKey>()
                .unwrap(),
            k
        );
        assert!(
            STANDARD
                .encode([1u8; 16])
                .parse::<KeyEncryptionKey>()
                .unwrap_err()
                .contains("32 bytes, this one is 16")
        );
        assert!(
            "not base64!"
                .parse::<KeyEncryptionKey>()
                .unwrap_err()
                .contains("base64")
        );
    }
}
