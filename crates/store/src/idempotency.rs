//! Idempotency keys: a client's retry of a write gets the first answer instead of doing the work
//! again.
//!
//! A key is the client's (application's) own: another client's identical key is another key. The
//! request claims its key in its own committed statement before doing the work, so a concurrent
//! request with the same key sees the claim at once; the answer is stored with the key after the
//! work. A claim whose request never finished (the server stopped mid-request) can be taken over
//! once it is old enough; records older than the retention are purged.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

/// What is stored under a key.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct IdempotencyRecord {
    /// SHA-256 (hex) of the request the key was first used with.
    pub request_hash: String,
    /// Whether the first request finished and its answer is stored.
    pub completed: bool,
    pub status: Option<i32>,
    /// The response headers to replay (name → value).
    pub headers: Option<Json<Value>>,
    pub body: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is this request's: do the work, then complete or release it.
    Claimed,
    /// Someone used the key first (finished or still running).
    Held(IdempotencyRecord),
}

/// When records and claims stop counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHorizon {
    pub now: DateTime<Utc>,
    /// A record created before this is forgotten (the retention has passed).
    pub expired_before: DateTime<Utc>,
    /// An unfinished claim created before this belongs to a request that will never finish.
    pub abandoned_before: DateTime<Utc>,
}

impl Store {
    /// Claims `key` of `client` for a request hashing to `hash`.
    pub async fn claim_idempotency_key(
        &self,
        client: Uuid,
        key: &str,
        hash: &str,
        horizon: KeyHorizon,
    ) -> Result<Claim, StoreError> {
        // A few rounds: the holder may release its claim between our insert and our read.
        for _ in 0..3 {
            let claimed = on_pool!(&self.write, p => {
                sqlx::query("DELETE FROM idempotency_keys WHERE client_id = $1 AND idem_key = $2 AND created_at < $3")
                    .bind(client).bind(key).bind(horizon.expired_before)
                    .execute(p).await?;
                let taken_over = sqlx::query(
                    "UPDATE idempotency_keys SET request_hash = $3, created_at = $4
                     WHERE client_id = $1 AND idem_key = $2 AND completed = FALSE AND created_at < $5")
                    .bind(client).bind(key).bind(hash).bind(horizon.now).bind(horizon.abandoned_before)
                    .execute(p).await?.rows_affected();
                if taken_over == 1 {
                    Ok::<_, sqlx::Error>(true)
                } else {
                    let inserted = sqlx::query(
                        "INSERT INTO idempotency_keys (client_id, idem_key, request_hash, completed, created_at)
                         VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (client_id, idem_key) DO NOTHING")
                        .bind(client).bind(key).bind(hash).bind(horizon.now)
                        .execute(p).await?.rows_affected();
                    Ok(inserted == 1)
                }
            })?;
            if claimed {
                return Ok(Claim::Claimed);
            }
            let held = on_pool!(&self.write, p => sqlx::query_as::<_, IdempotencyRecord>(
                "SELECT request_hash, completed, status, headers, body, created_at FROM idempotency_keys
                 WHERE client_id = $1 AND idem_key = $2")
                .bind(client).bind(key).fetch_optional(p).await)?;
            if let Some(record) = held {
                return Ok(Claim::Held(record));
            }
        }
        Err(StoreError::Unavailable(
            "the idempotency key keeps changing hands; retry".into(),
        ))
    }

    /// Stores the answer of the request that claimed `key`.
    pub async fn complete_idempotency_key(
        &self,
        client: Uuid,
        key: &str,
        hash: &str,
        status: u16,
        headers: &Json<Value>,
        body: &[u8],
    ) -> Result<(), StoreError> {
        let stored = on_pool!(&self.write, p => sqlx::query(
            "UPDATE idempotency_keys SET completed = TRUE, status = $4, headers = $5, body = $6
             WHERE client_id = $1 AND idem_key = $2 AND request_hash = $3 AND completed = FALSE")
            .bind(client).bind(key).bind(hash).bind(i32::from(status)).bind(headers).bind(body)
            .execute(p).await.map(|r| r.rows_affected()))?;
        if stored == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(
                "the idempotency key was released or taken over before its answer was stored"
                    .into(),
            ))
        }
    }

    /// Gives up the claim on `key` (the request did nothing that a retry must not repeat).
    pub async fn release_idempotency_key(
        &self,
        client: Uuid,
        key: &str,
        hash: &str,
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, p => sqlx::query(
            "DELETE FROM idempotency_keys WHERE client_id = $1 AND idem_key = $2 AND request_hash = $3 AND completed = FALSE")
            .bind(client).bind(key).bind(hash)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Forgets every key created before `before`; answers how many.
    pub async fn purge_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(
            on_pool!(&self.write, p => sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }
}
