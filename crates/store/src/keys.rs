//! The keys that sign access tokens. Which key signs and which verify is
//! `wink_domain::signing_keys`'s rule; encrypting the private keys is the API's (the store only
//! keeps what it is given, in clear or sealed).

use std::fmt;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::{Store, StoreError, on_pool};

/// A private key as stored.
#[derive(Clone, PartialEq, Eq)]
pub enum PrivateKey {
    /// PKCS#8 PEM in clear (stored while no key-encryption key was configured).
    Clear(String),
    /// Nonce and AEAD ciphertext of the PEM under the key-encryption key.
    Sealed(Vec<u8>),
}

// A private key never reaches a log through `{:?}`.
impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivateKey::Clear(_) => f.write_str("Clear(***)"),
            PrivateKey::Sealed(bytes) => write!(f, "Sealed({} bytes)", bytes.len()),
        }
    }
}

/// A stored signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    pub private_key: PrivateKey,
    /// The raw 32-byte Ed25519 public key.
    pub public_key: Vec<u8>,
    /// 1 for the first key, one more for each later one: the newest not retired signs.
    pub generation: i64,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// A key to add; its generation is the store's to give.
#[derive(Debug, Clone)]
pub struct NewSigningKey {
    pub kid: String,
    pub private_key: PrivateKey,
    pub public_key: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    kid: String,
    private_key_pem: Option<String>,
    private_key_sealed: Option<Vec<u8>>,
    public_key: Vec<u8>,
    generation: i64,
    created_at: DateTime<Utc>,
    retired_at: Option<DateTime<Utc>>,
}

impl TryFrom<Row> for SigningKey {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self, StoreError> {
        let private_key = match (row.private_key_pem, row.private_key_sealed) {
            (None, Some(sealed)) => PrivateKey::Sealed(sealed),
            (Some(pem), None) => PrivateKey::Clear(pem),
            _ => {
                return Err(StoreError::Internal(format!(
                    "signing key {} holds its private key both or neither in clear and sealed",
                    row.kid
                )));
            }
        };
        Ok(SigningKey {
            kid: row.kid,
            private_key,
            public_key: row.public_key,
            generation: row.generation,
            created_at: row.created_at,
            retired_at: row.retired_at,
        })
    }
}

/// The two private-key columns of `key`: (clear PEM, sealed bytes).
fn columns(key: &PrivateKey) -> (Option<&str>, Option<&[u8]>) {
    match key {
        PrivateKey::Clear(pem) => (Some(pem), None),
        PrivateKey::Sealed(bytes) => (None, Some(bytes)),
    }
}

/// A new key's generation collides only with a key another node added at the same instant: try
/// again on top of it, a few times.
const ADD_ATTEMPTS: usize = 5;

impl Store {
    /// Every key, retired or not, newest generation first.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let rows = on_pool!(&self.read, p => sqlx::query_as::<_, Row>(
            "SELECT kid, private_key_pem, private_key_sealed, public_key, generation, created_at, retired_at
             FROM signing_keys ORDER BY generation DESC")
            .fetch_all(p).await)?;
        rows.into_iter().map(SigningKey::try_from).collect()
    }

    /// Adds `key` unless a key that is not retired exists; answers whether it was added. Several
    /// nodes booting together on an empty database each propose a key: one statement that the
    /// unique `generation` settles, so exactly one is stored (a concurrent proposal finds the
    /// generation taken and adds nothing), on either engine.
    pub async fn bootstrap_signing_key(&self, key: &NewSigningKey) -> Result<bool, StoreError> {
        let (pem, sealed) = columns(&key.private_key);
        let done = on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO signing_keys (kid, private_key_pem, private_key_sealed, public_key, generation, created_at)
             SELECT $1, $2, $3, $4, (SELECT COALESCE(MAX(generation), 0) + 1 FROM signing_keys), $5
             WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE retired_at IS NULL)
             ON CONFLICT DO NOTHING")
            .bind(&key.kid).bind(pem).bind(sealed).bind(&key.public_key).bind(key.created_at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Adds `key` as the newest generation (it signs from then on); answers its generation.
    pub async fn add_signing_key(&self, key: &NewSigningKey) -> Result<i64, StoreError> {
        let (pem, sealed) = columns(&key.private_key);
        for _ in 0..ADD_ATTEMPTS {
            let added: Option<(i64,)> = on_pool!(&self.write, p => sqlx::query_as(
                "INSERT INTO signing_keys (kid, private_key_pem, private_key_sealed, public_key, generation, created_at)
                 SELECT $1, $2, $3, $4, (SELECT COALESCE(MAX(generation), 0) + 1 FROM signing_keys), $5
                 WHERE true
                 ON CONFLICT DO NOTHING RETURNING generation")
                .bind(&key.kid).bind(pem).bind(sealed).bind(&key.public_key).bind(key.created_at)
                .fetch_optional(p).await)?;
            if let Some((generation,)) = added {
                return Ok(generation);
            }
        }
        Err(StoreError::Conflict(format!(
            "signing key {}: other keys kept being added at the same time; try again",
            key.kid
        )))
    }

    /// Retires `kid` at `at` unless it is already retired or it is the last key not retired
    /// (the caller checks the rule first; this keeps it under concurrent retirements). Answers
    /// whether it was retired.
    pub async fn retire_signing_key(
        &self,
        kid: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(&self.write, p => sqlx::query(
            "UPDATE signing_keys SET retired_at = $2
             WHERE kid = $1 AND retired_at IS NULL
               AND EXISTS (SELECT 1 FROM signing_keys other WHERE other.retired_at IS NULL AND other.kid <> $1)")
            .bind(kid).bind(at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Replaces the clear private key of `kid` with `sealed` (a no-op when another node sealed it
    /// first). Answers whether this call sealed it.
    pub async fn seal_signing_key(&self, kid: &str, sealed: &[u8]) -> Result<bool, StoreError> {
        let done = on_pool!(&self.write, p => sqlx::query(
            "UPDATE signing_keys SET private_key_sealed = $2, private_key_pem = NULL
             WHERE kid = $1 AND private_key_pem IS NOT NULL")
            .bind(kid).bind(sealed)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }
}
