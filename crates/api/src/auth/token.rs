//! Access tokens: short-lived JWTs signed with Ed25519 (`EdDSA`, the only algorithm accepted).
//!
//! The signing keys live in the database, so every node of a deployment issues and verifies the
//! same tokens without sharing anything else; `/.well-known/jwks.json` publishes the public keys.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wink_store::Store;
use wink_store::keys::SigningKey;

use crate::error::ApiError;

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The application (client) the token was issued to.
    pub sub: String,
    /// The account the application belongs to.
    pub acct: Uuid,
    /// Granted scopes, space-separated (RFC 8693 `scope` claim).
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

impl Claims {
    pub fn client_id(&self) -> Option<Uuid> {
        self.sub.parse().ok()
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split_whitespace().any(|s| s == scope)
    }
}

/// Issues and verifies access tokens.
pub struct TokenAuthority {
    issuer: String,
    audience: String,
    ttl_seconds: i64,
    kid: String,
    signer: EncodingKey,
    verifiers: HashMap<String, DecodingKey>,
    jwks: Value,
    /// The newest key and every active public key again, for detached signatures.
    detached_signer: ed25519_dalek::SigningKey,
    detached_verifiers: HashMap<String, ed25519_dalek::VerifyingKey>,
}

impl TokenAuthority {
    /// Loads the active signing keys, creating the first one on an empty database.
    pub async fn load(
        store: &Store,
        issuer: String,
        audience: String,
        ttl_seconds: i64,
    ) -> Result<Self, ApiError> {
        let mut keys = store.signing_keys().await?;
        if keys.is_empty() {
            keys = store.ensure_signing_key(&new_key()?).await?;
        }
        let newest = keys
            .first()
            .ok_or_else(|| ApiError::Internal("no signing key".into()))?;
        let unreadable = |e: ed25519_dalek::pkcs8::Error| {
            ApiError::Internal(format!("signing key {} unreadable: {e}", newest.kid))
        };
        let detached_signer = ed25519_dalek::SigningKey::from_pkcs8_pem(&newest.private_key_pem)
            .map_err(unreadable)?;
        let signer = detached_signer
            .to_pkcs8_der()
            .map(|der| EncodingKey::from_ed_der(der.as_bytes()))
            .map_err(unreadable)?;
        let mut detached_verifiers = HashMap::new();
        let mut verifiers = HashMap::new();
        let mut jwk_list = Vec::new();
        for key in &keys {
            let x = URL_SAFE_NO_PAD.encode(&key.public_key);
            let decoding = DecodingKey::from_ed_components(&x).map_err(|e| {
                ApiError::Internal(format!("public key {} unreadable: {e}", key.kid))
            })?;
            verifiers.insert(key.kid.clone(), decoding);
            let public = <[u8; 32]>::try_from(key.public_key.as_slice())
                .ok()
                .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
                .ok_or_else(|| ApiError::Internal(format!("public key {} unreadable", key.kid)))?;
            detached_verifiers.insert(key.kid.clone(), public);
            jwk_list.push(json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": key.kid, "alg": "EdDSA", "use": "sig"}));
        }
        Ok(TokenAuthority {
            issuer,
            audience,
            ttl_seconds,
            kid: newest.kid.clone(),
            signer,
            verifiers,
            jwks: json!({ "keys": jwk_list }),
            detached_signer,
            detached_verifiers,
        })
    }

    /// `kid.signature` (base64url) of `message` with the newest key: a capability a URL can
    /// carry (see `media`). The caller prefixes `message` with its purpose, so a signature made
    /// for one use is never valid for another (nor as a token's).
    pub fn sign_detached(&self, message: &[u8]) -> String {
        use ed25519_dalek::Signer as _;
        let signature = self.detached_signer.sign(message);
        format!(
            "{}.{}",
            self.kid,
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Whether `signed` is [`Self::sign_detached`] of `message` under a key still active.
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

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// A new token for `client` of `account` carrying `scope`.
    pub fn issue(
        &self,
        client: Uuid,
        account: Uuid,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, Claims), ApiError> {
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: client.to_string(),
            acct: account,
            scope: scope.to_string(),
            iat: now.timestamp(),
            exp: now.timestamp() + self.ttl_seconds,
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.signer)
            .map_err(|e| ApiError::Internal(format!("signing failed: {e}")))?;
        Ok((token, claims))
    }

    /// The claims of a token this server issued, still valid, for this audience; `None` for
    /// anything else (another algorithm, `alg: none`, unknown key, bad signature, expired,
    /// another issuer or audience). Revocation is checked separately, against the database.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::EdDSA {
            return None;
        }
        let key = self.verifiers.get(header.kid.as_deref()?)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 30;
        jsonwebtoken::decode::<Claims>(token, key, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// A fresh Ed25519 key pair, its id derived from the public key.
fn new_key() -> Result<SigningKey, ApiError> {
    let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| ApiError::Internal(format!("key encoding failed: {e}")))?;
    let public = key.verifying_key().to_bytes().to_vec();
    let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&public)[..12]);
    Ok(SigningKey {
        kid,
        private_key_pem: pem.to_string(),
        public_key: public,
        created_at: wink_store::now(),
    })
}
