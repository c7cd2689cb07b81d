//! The signing keys as the server holds them: made, sealed under the key-encryption key, rotated,
//! retired, listed, and turned into the key ring a [`TokenAuthority`](super::TokenAuthority)
//! signs and verifies with. Which key signs and how long a retired key verifies is
//! `wink_domain::signing_keys`'s rule.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use rand::rngs::OsRng;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wink_domain::signing_keys::{self as rules, KeyFacts, KeyLifetime, KeyState};
use wink_store::Store;
use wink_store::keys::{NewSigningKey, PrivateKey, SigningKey};

use super::key_encryption::KeyEncryptionKey;
use crate::error::ApiError;

/// Clock leeway when checking a token's expiry (seconds).
pub const LEEWAY_SECONDS: u64 = 30;

/// How long keys live for tokens of `token_ttl_seconds`, on nodes that reload every
/// `reload_interval`: a node may sign with a retired key until it reloads, and verifiers allow
/// [`LEEWAY_SECONDS`] of clock skew.
pub fn lifetime(token_ttl_seconds: i64, reload_interval: Duration) -> KeyLifetime {
    let reload = chrono::Duration::from_std(reload_interval).unwrap_or(chrono::Duration::MAX);
    KeyLifetime {
        token_ttl: chrono::Duration::seconds(token_ttl_seconds),
        grace: chrono::Duration::seconds(LEEWAY_SECONDS as i64) + reload,
    }
}

fn facts(keys: &[SigningKey]) -> Vec<KeyFacts> {
    keys.iter()
        .map(|k| KeyFacts {
            generation: k.generation,
            retired_at: k.retired_at,
        })
        .collect()
}

/// A fresh Ed25519 key pair, its id derived from the public key, sealed when a key-encryption
/// key is configured.
pub fn new_key(kek: Option<&KeyEncryptionKey>) -> Result<NewSigningKey, ApiError> {
    let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| ApiError::Internal(format!("key encoding failed: {e}")))?;
    let public = key.verifying_key().to_bytes().to_vec();
    let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&public)[..12]);
    let private_key = match kek {
        Some(kek) => {
            PrivateKey::Sealed(kek.seal(&kid, pem.as_bytes()).map_err(ApiError::Internal)?)
        }
        None => PrivateKey::Clear(pem.to_string()),
    };
    Ok(NewSigningKey {
        kid,
        private_key,
        public_key: public,
        created_at: wink_store::now(),
    })
}

/// Refuses a key-encryption key that does not open every sealed key (or its absence while some
/// are sealed), before anything is written with it.
fn check_kek(keys: &[SigningKey], kek: Option<&KeyEncryptionKey>) -> Result<(), ApiError> {
    for key in keys {
        if let PrivateKey::Sealed(sealed) = &key.private_key {
            let kek = kek.ok_or_else(|| {
                ApiError::Internal(format!(
                    "signing key {} is encrypted: configure key_encryption_key (WINK_KEY_ENCRYPTION_KEY)",
                    key.kid
                ))
            })?;
            kek.open(&key.kid, sealed).map_err(ApiError::Internal)?;
        }
    }
    Ok(())
}

/// The keys as they should be used now: checked against the key-encryption key, any key still
/// in clear sealed when one is configured, and a first key made when none is left to sign.
/// Every node runs this on start and on each reload; all its writes are conditional, so nodes
/// doing it at once agree.
pub async fn prepare(
    store: &Store,
    kek: Option<&KeyEncryptionKey>,
) -> Result<Vec<SigningKey>, ApiError> {
    let mut keys = store.signing_keys().await?;
    if seal_keys_in_clear(store, &keys, kek).await? {
        keys = store.signing_keys().await?;
    }
    if rules::signer(&facts(&keys)).is_none() {
        if store.bootstrap_signing_key(&new_key(kek)?).await? {
            tracing::info!("created the first signing key");
        }
        keys = store.signing_keys().await?;
    }
    Ok(keys)
}

/// Seals the keys still in clear when a key-encryption key is configured (after checking it
/// opens the keys already sealed); answers whether there were any.
async fn seal_keys_in_clear(
    store: &Store,
    keys: &[SigningKey],
    kek: Option<&KeyEncryptionKey>,
) -> Result<bool, ApiError> {
    let Some(kek) = kek else {
        return Ok(false);
    };
    if !keys
        .iter()
        .any(|k| matches!(k.private_key, PrivateKey::Clear(_)))
    {
        return Ok(false);
    }
    check_kek(keys, Some(kek))?;
    for key in keys {
        if let PrivateKey::Clear(pem) = &key.private_key {
            let sealed = kek
                .seal(&key.kid, pem.as_bytes())
                .map_err(ApiError::Internal)?;
            if store.seal_signing_key(&key.kid, &sealed).await? {
                tracing::info!(kid = %key.kid, "signing key encrypted at rest");
            }
        }
    }
    Ok(true)
}

/// A key a ring verifies with.
struct Verifier {
    key: DecodingKey,
    /// Set for a retired key: tokens are refused after this instant.
    until: Option<DateTime<Utc>>,
}

/// The keys one node signs and verifies with, built from the stored keys at one instant.
pub struct KeyRing {
    signer: Option<(String, EncodingKey)>,
    /// The signing key again, for detached signatures (URLs that carry a capability).
    detached_signer: Option<(String, ed25519_dalek::SigningKey)>,
    /// Every stored key's public half, retired and expired ones too: a detached signature
    /// (a link in a booking's answer or e-mail) outlives the tokens of its key.
    detached_verifiers: HashMap<String, ed25519_dalek::VerifyingKey>,
    verifiers: HashMap<String, Verifier>,
    jwks: Value,
    /// Each stored key's kid and state when built: a reload that finds the same rebuilds nothing.
    fingerprint: Vec<(String, &'static str)>,
}

impl KeyRing {
    /// The ring for `keys` at `now`; only the signing key's private half is decrypted.
    pub fn build(
        keys: &[SigningKey],
        kek: Option<&KeyEncryptionKey>,
        lifetime: KeyLifetime,
        now: DateTime<Utc>,
    ) -> Result<KeyRing, ApiError> {
        let states = rules::states(&facts(keys), lifetime, now);
        let mut signer = None;
        let mut detached_signer = None;
        let mut detached_verifiers = HashMap::new();
        let mut verifiers = HashMap::new();
        let mut jwk_list = Vec::new();
        for (key, state) in keys.iter().zip(&states) {
            if *state == KeyState::Signing {
                let private = private_key(key, kek)?;
                signer = Some((key.kid.clone(), encoding_key(key, &private)?));
                detached_signer = Some((key.kid.clone(), private));
            }
            if let Some(public) = <[u8; 32]>::try_from(key.public_key.as_slice())
                .ok()
                .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
            {
                detached_verifiers.insert(key.kid.clone(), public);
            }
            if !state.verifies() {
                continue;
            }
            let x = URL_SAFE_NO_PAD.encode(&key.public_key);
            let decoding = DecodingKey::from_ed_components(&x).map_err(|e| {
                ApiError::Internal(format!("public key {} unreadable: {e}", key.kid))
            })?;
            let until = match state {
                KeyState::Retired { verifies_until } => Some(*verifies_until),
                _ => None,
            };
            verifiers.insert(
                key.kid.clone(),
                Verifier {
                    key: decoding,
                    until,
                },
            );
            jwk_list.push(json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": key.kid, "alg": "EdDSA", "use": "sig"}));
        }
        Ok(KeyRing {
            signer,
            detached_signer,
            detached_verifiers,
            verifiers,
            jwks: json!({ "keys": jwk_list }),
            fingerprint: fingerprint(keys, &states),
        })
    }

    /// `kid.signature` (base64url) of `message` with the signing key; `None` when every key is
    /// retired.
    pub fn sign_detached(&self, message: &[u8]) -> Option<String> {
        use ed25519_dalek::Signer as _;
        let (kid, key) = self.detached_signer.as_ref()?;
        Some(format!(
            "{kid}.{}",
            URL_SAFE_NO_PAD.encode(key.sign(message).to_bytes())
        ))
    }

    /// Whether `signed` is [`Self::sign_detached`] of `message` under any stored key.
    pub fn verify_detached(&self, message: &[u8], signed: &str) -> bool {
        let Some((kid, signature)) = signed.split_once('.') else {
            return false;
        };
        let (Some(key), Ok(bytes)) = (
            self.detached_verifiers.get(kid),
            URL_SAFE_NO_PAD.decode(signature),
        ) else {
            return false;
        };
        let Ok(signature) = ed25519_dalek::Signature::from_slice(&bytes) else {
            return false;
        };
        key.verify_strict(message, &signature).is_ok()
    }

    /// The kid and key new tokens are signed with.
    pub fn signer(&self) -> Option<(&str, &EncodingKey)> {
        self.signer.as_ref().map(|(kid, key)| (kid.as_str(), key))
    }

    /// The key that verifies tokens of `kid` at `now`; `None` when unknown or expired.
    pub fn verifier(&self, kid: &str, now: DateTime<Utc>) -> Option<&DecodingKey> {
        self.verifiers
            .get(kid)
            .filter(|v| v.until.is_none_or(|until| now <= until))
            .map(|v| &v.key)
    }

    /// Whether `kid` is one of the ring's keys (expired or not): a reload would not change it.
    pub fn knows(&self, kid: &str) -> bool {
        self.verifiers.contains_key(kid)
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// Whether `keys` at `now` are the keys this ring was built from, in the same states.
    pub fn is_current(
        &self,
        keys: &[SigningKey],
        lifetime: KeyLifetime,
        now: DateTime<Utc>,
    ) -> bool {
        self.fingerprint == fingerprint(keys, &rules::states(&facts(keys), lifetime, now))
    }
}

fn fingerprint(keys: &[SigningKey], states: &[KeyState]) -> Vec<(String, &'static str)> {
    keys.iter()
        .zip(states)
        .map(|(k, s)| (k.kid.clone(), s.label()))
        .collect()
}

/// The private half of `key`, decrypted if sealed, checked against its public half.
/// The private half of `key`, decrypted with `kek` when sealed, checked against its public half.
fn private_key(
    key: &SigningKey,
    kek: Option<&KeyEncryptionKey>,
) -> Result<ed25519_dalek::SigningKey, ApiError> {
    let pem = match &key.private_key {
        PrivateKey::Clear(pem) => pem.clone(),
        PrivateKey::Sealed(sealed) => {
            let kek = kek.ok_or_else(|| {
                ApiError::Internal(format!(
                    "signing key {} is encrypted: configure key_encryption_key (WINK_KEY_ENCRYPTION_KEY)",
                    key.kid
                ))
            })?;
            let bytes = kek.open(&key.kid, sealed).map_err(ApiError::Internal)?;
            String::from_utf8(bytes).map_err(|_| {
                ApiError::Internal(format!("signing key {} decrypts to no PEM", key.kid))
            })?
        }
    };
    let unreadable =
        |e: String| ApiError::Internal(format!("signing key {} unreadable: {e}", key.kid));
    let private =
        ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).map_err(|e| unreadable(e.to_string()))?;
    if private.verifying_key().to_bytes().as_slice() != key.public_key.as_slice() {
        return Err(unreadable(
            "its private half does not match its public key".into(),
        ));
    }
    Ok(private)
}

fn encoding_key(
    key: &SigningKey,
    private: &ed25519_dalek::SigningKey,
) -> Result<EncodingKey, ApiError> {
    let unreadable =
        |e: String| ApiError::Internal(format!("signing key {} unreadable: {e}", key.kid));
    let der = private
        .to_pkcs8_der()
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(EncodingKey::from_ed_der(der.as_bytes()))
}

/// Makes a new key that signs from then on (on every node once it reloads); answers its kid.
pub async fn rotate(store: &Store, kek: Option<&KeyEncryptionKey>) -> Result<String, ApiError> {
    let keys = store.signing_keys().await?;
    check_kek(&keys, kek)?;
    seal_keys_in_clear(store, &keys, kek).await?;
    let key = new_key(kek)?;
    store.add_signing_key(&key).await?;
    Ok(key.kid)
}

/// Retires `kid` at `now`: it stops signing and verifies until its last token has expired.
pub async fn retire(store: &Store, kid: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let refused = |keys: &[SigningKey]| {
        let index = keys.iter().position(|k| k.kid == kid);
        rules::check_retire(&facts(keys), index)
            .map_err(|refusal| ApiError::Conflict(format!("cannot retire {kid}: {refusal}")))
    };
    refused(&store.signing_keys().await?)?;
    if !store.retire_signing_key(kid, now).await? {
        // Another retirement won the race: say why this one no longer applies.
        refused(&store.signing_keys().await?)?;
        return Err(ApiError::Conflict(format!(
            "cannot retire {kid}: try again"
        )));
    }
    Ok(())
}

/// One key as `keys list` shows it (never its private half).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub kid: String,
    pub generation: i64,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
    pub state: KeyState,
    pub encrypted: bool,
}

/// Every stored key, newest first, with its state at `now`.
pub async fn list(
    store: &Store,
    lifetime: KeyLifetime,
    now: DateTime<Utc>,
) -> Result<Vec<KeyInfo>, ApiError> {
    let keys = store.signing_keys().await?;
    let states = rules::states(&facts(&keys), lifetime, now);
    Ok(keys
        .into_iter()
        .zip(states)
        .map(|(k, state)| KeyInfo {
            encrypted: matches!(k.private_key, PrivateKey::Sealed(_)),
            kid: k.kid,
            generation: k.generation,
            created_at: k.created_at,
            retired_at: k.retired_at,
            state,
        })
        .collect())
}
