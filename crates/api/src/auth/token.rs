//! Access tokens: short-lived JWTs signed with Ed25519 (`EdDSA`, the only algorithm accepted).
//!
//! The signing keys live in the database, so every node of a deployment issues and verifies the
//! same tokens without sharing anything else; `/.well-known/jwks.json` publishes the public keys.
//!
//! Each node holds a [`KeyRing`] and re-reads the keys every `key_reload_interval` (a tiny
//! table: one query), so a key rotated or retired anywhere is used everywhere within that time.
//! A token whose kid the ring does not know triggers one immediate reload (at most one per
//! [`UNKNOWN_KID_RELOAD_EVERY`] per node, so tokens with made-up kids cannot turn into a query
//! each), so a key rotated on another node verifies here at once.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use wink_domain::signing_keys::KeyLifetime;
use wink_store::Store;

use super::key_encryption::KeyEncryptionKey;
use super::signing_keys::{self, KeyRing, LEEWAY_SECONDS};
use crate::error::ApiError;
use crate::state::ApiConfig;

/// The shortest time between two reloads caused by tokens of unknown kids, per node.
pub const UNKNOWN_KID_RELOAD_EVERY: Duration = Duration::from_secs(1);

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
    store: Store,
    issuer: String,
    audience: String,
    ttl_seconds: i64,
    kek: Option<KeyEncryptionKey>,
    lifetime: KeyLifetime,
    reload_interval: Duration,
    ring: RwLock<Arc<KeyRing>>,
    /// When a token of an unknown kid last made this node reload.
    unknown_kid_reload: tokio::sync::Mutex<Option<Instant>>,
}

impl TokenAuthority {
    /// Loads the signing keys (sealing keys still in clear when a key-encryption key is
    /// configured, creating the first key on an empty database). A key-encryption key that does
    /// not open the stored keys, or its absence when they are sealed, is an error.
    pub async fn load(store: &Store, config: &ApiConfig) -> Result<Self, ApiError> {
        let kek = config.key_encryption_key.clone();
        let lifetime = signing_keys::lifetime(config.token_ttl_seconds, config.key_reload_interval);
        let keys = signing_keys::prepare(store, kek.as_ref()).await?;
        let ring = KeyRing::build(&keys, kek.as_ref(), lifetime, Utc::now())?;
        if kek.is_none() {
            tracing::warn!(
                "no key_encryption_key configured: token-signing keys are stored in clear in the database (see README, Signing keys)"
            );
        }
        Ok(TokenAuthority {
            store: store.clone(),
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            ttl_seconds: config.token_ttl_seconds,
            kek,
            lifetime,
            reload_interval: config.key_reload_interval,
            ring: RwLock::new(Arc::new(ring)),
            unknown_kid_reload: tokio::sync::Mutex::new(None),
        })
    }

    /// Re-reads the keys every `key_reload_interval` for as long as the authority is in use.
    pub fn spawn_reloader(self: &Arc<Self>) {
        let authority = Arc::downgrade(self);
        let every = self.reload_interval;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(authority) = authority.upgrade() else {
                    return;
                };
                if let Err(e) = authority.reload().await {
                    tracing::warn!(error = %e, "reloading the signing keys failed; keeping the keys loaded");
                }
            }
        });
    }

    /// Re-reads the keys, rebuilding the ring when they (or their states) changed.
    pub async fn reload(&self) -> Result<(), ApiError> {
        let keys = signing_keys::prepare(&self.store, self.kek.as_ref()).await?;
        let now = Utc::now();
        if self.ring().is_current(&keys, self.lifetime, now) {
            return Ok(());
        }
        let ring = KeyRing::build(&keys, self.kek.as_ref(), self.lifetime, now)?;
        tracing::info!(signing = ?ring.signer().map(|(kid, _)| kid.to_string()), "signing keys reloaded");
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(ring);
        Ok(())
    }

    fn ring(&self) -> Arc<KeyRing> {
        self.ring.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    /// The public keys that verify tokens now (RFC 7517 key set).
    pub fn jwks(&self) -> Value {
        self.ring().jwks().clone()
    }

    /// `kid.signature` of `message` with the signing key: a capability a URL can carry (see
    /// `media`). The caller prefixes `message` with its purpose, so a signature made for one use
    /// is never valid for another (nor as a token's). `None` when every key is retired.
    pub fn sign_detached(&self, message: &[u8]) -> Option<String> {
        self.ring().sign_detached(message)
    }

    /// Whether `signed` is [`Self::sign_detached`] of `message` under any stored key.
    pub fn verify_detached(&self, message: &[u8], signed: &str) -> bool {
        self.ring().verify_detached(message, signed)
    }

    /// The kid new tokens are signed with.
    pub fn signing_kid(&self) -> Option<String> {
        self.ring().signer().map(|(kid, _)| kid.to_string())
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
        let ring = self.ring();
        let (kid, key) = ring.signer().ok_or_else(|| {
            ApiError::Internal(
                "no signing key: every key is retired (run `wink-supplier keys rotate`)".into(),
            )
        })?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.to_string());
        let token = jsonwebtoken::encode(&header, &claims, key)
            .map_err(|e| ApiError::Internal(format!("signing failed: {e}")))?;
        Ok((token, claims))
    }

    /// The claims of a token this server issued, still valid, for this audience; `None` for
    /// anything else (another algorithm, `alg: none`, unknown or expired key, bad signature,
    /// expired, another issuer or audience). Revocation is checked separately, against the
    /// database.
    pub async fn verify(&self, token: &str) -> Option<Claims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::EdDSA {
            return None;
        }
        let kid = header.kid?;
        if !self.ring().knows(&kid) {
            self.reload_for_unknown(&kid).await;
        }
        let ring = self.ring();
        let key = ring.verifier(&kid, Utc::now())?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        jsonwebtoken::decode::<Claims>(token, key, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// Reloads for a token of `kid`, unless another request just did (then its result serves).
    async fn reload_for_unknown(&self, kid: &str) {
        let mut last = self.unknown_kid_reload.lock().await;
        if self.ring().knows(kid) || last.is_some_and(|at| at.elapsed() < UNKNOWN_KID_RELOAD_EVERY)
        {
            return;
        }
        *last = Some(Instant::now());
        if let Err(e) = self.reload().await {
            tracing::warn!(error = %e, "reloading the signing keys for an unknown kid failed");
        }
    }
}
