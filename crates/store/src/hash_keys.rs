//! The keys secrets are hashed under (HMAC), one per purpose, shared by every node. What the
//! key is for and how it is sealed is the API's; the store keeps it in clear or sealed as given.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{Store, StoreError, on_pool};

/// A key as stored.
#[derive(Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// The raw key (stored while no key-encryption key was configured).
    Clear(Vec<u8>),
    /// Nonce and AEAD ciphertext of the key under the key-encryption key.
    Sealed(Vec<u8>),
}

// A key never reaches a log through `{:?}`.
impl fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredKey::Clear(_) => f.write_str("Clear(***)"),
            StoredKey::Sealed(bytes) => write!(f, "Sealed({} bytes)", bytes.len()),
        }
    }
}

/// `key_clear` and `key_sealed` of a row.
type Row = (Option<Vec<u8>>, Option<Vec<u8>>);

impl Store {
    /// The key named `name`, if one was made.
    pub async fn hash_key(&self, name: &str) -> Result<Option<StoredKey>, StoreError> {
        let row: Option<Row> = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT key_clear, key_sealed FROM hash_keys WHERE name = $1")
            .bind(name).fetch_optional(p).await)?;
        row.map(|row| match row {
            (Some(clear), None) => Ok(StoredKey::Clear(clear)),
            (None, Some(sealed)) => Ok(StoredKey::Sealed(sealed)),
            _ => Err(StoreError::Internal(format!(
                "hash key {name} is stored both or neither in clear and sealed"
            ))),
        })
        .transpose()
    }

    /// Stores `key` as `name` unless a key of that name exists (another node made it first);
    /// answers whether this one was stored. Read the key back either way.
    pub async fn create_hash_key(
        &self,
        name: &str,
        key: &StoredKey,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (clear, sealed) = match key {
            StoredKey::Clear(k) => (Some(k.as_slice()), None),
            StoredKey::Sealed(k) => (None, Some(k.as_slice())),
        };
        let done = on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO hash_keys (name, key_clear, key_sealed, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING")
            .bind(name).bind(clear).bind(sealed).bind(at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Replaces the key `name` kept in clear by its sealed form; answers whether it was still in
    /// clear (another node may have sealed it first).
    pub async fn seal_hash_key(&self, name: &str, sealed: &[u8]) -> Result<bool, StoreError> {
        let done = on_pool!(&self.write, p => sqlx::query(
            "UPDATE hash_keys SET key_sealed = $2, key_clear = NULL WHERE name = $1 AND key_clear IS NOT NULL")
            .bind(name).bind(sealed)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }
}
