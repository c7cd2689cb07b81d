//! The keys that sign access tokens.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SigningKey {
    pub kid: String,
    /// PKCS#8 PEM of the Ed25519 private key.
    pub private_key_pem: String,
    /// The raw 32-byte Ed25519 public key.
    pub public_key: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Keys not retired, newest first: the first signs, all verify.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        Ok(on_pool!(&self.read, p => sqlx::query_as::<_, SigningKey>(
            "SELECT kid, private_key_pem, public_key, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid")
            .fetch_all(p).await)?)
    }

    /// Stores a new key unless one is already active, and answers the active keys. Several nodes
    /// starting together on an empty database may each propose a key; all of them end up using the
    /// same newest set.
    pub async fn ensure_signing_key(
        &self,
        proposed: &SigningKey,
    ) -> Result<Vec<SigningKey>, StoreError> {
        on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let (active,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL")
                .fetch_one(&mut *tx).await?;
            if active == 0 {
                sqlx::query("INSERT INTO signing_keys (kid, private_key_pem, public_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING")
                    .bind(&proposed.kid).bind(&proposed.private_key_pem).bind(&proposed.public_key).bind(proposed.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        self.signing_keys().await
    }
}
