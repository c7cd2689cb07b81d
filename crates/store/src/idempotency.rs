//! Idempotency keys: a client's retry of a write gets the first answer instead of doing the work
//! again.
//!
//! A key is the client's (application's) own: another client's identical key is another key. The
//! request claims its key in its own committed statement before doing the work, so a concurrent
//! request with the same key sees the claim at once. Each claim has its own id: only the request
//! holding the claim can complete or release it. The answer is stored with the key either in the
//! transaction of the work itself (a [`Receipt`] given to the write, as test bookings do: the work
//! and its answer commit together or not at all), or right after the work. A claim whose request
//! never finished (the server stopped mid-request) is taken over once it is old enough only when
//! it was claimed `replaceable`; records older than the retention are purged.

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
    Claimed(ClaimRef),
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

/// A request's hold on its key: only the holder of this claim can complete or release it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRef {
    pub client: Uuid,
    pub key: String,
    pub claim_id: Uuid,
}

/// The answer of a claimed request, to be stored with its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub claim: ClaimRef,
    pub status: u16,
    /// The response headers to replay (name → value).
    pub headers: Json<Value>,
    pub body: Vec<u8>,
}

/// Stores a receipt's answer if its claim is still held; binds $1..$6 (see [`Receipt::bind`]).
pub(crate) const COMPLETE: &str =
    "UPDATE idempotency_keys SET completed = TRUE, status = $4, headers = $5, body = $6
     WHERE client_id = $1 AND idem_key = $2 AND claim_id = $3 AND completed = FALSE";

/// Stores `receipt` in the transaction `$tx` (either engine): the write it answers then commits
/// with its answer or not at all. A claim lost meanwhile (taken over) fails the transaction.
macro_rules! keep_receipt {
    ($tx:expr, $receipt:expr) => {{
        let r: &$crate::idempotency::Receipt = $receipt;
        let kept = sqlx::query($crate::idempotency::COMPLETE)
            .bind(r.claim.client)
            .bind(&r.claim.key)
            .bind(r.claim.claim_id)
            .bind(i32::from(r.status))
            .bind(&r.headers)
            .bind(&r.body)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        if kept != 1 {
            return Err($crate::StoreError::Conflict(
                "the Idempotency-Key was taken over by another request; nothing was done".into(),
            ));
        }
    }};
}
pub(crate) use keep_receipt;

impl Store {
    /// Claims `key` of `client` for a request hashing to `hash`. `replaceable`: the claim may be
    /// taken over once abandoned (see the module's documentation).
    pub async fn claim_idempotency_key(
        &self,
        client: Uuid,
        key: &str,
        hash: &str,
        replaceable: bool,
        horizon: KeyHorizon,
    ) -> Result<Claim, StoreError> {
        let claim_id = Uuid::new_v4();
        // A few rounds: the holder may release its claim between our insert and our read.
        for _ in 0..3 {
            let claimed = on_pool!(&self.write, p => {
                sqlx::query("DELETE FROM idempotency_keys WHERE client_id = $1 AND idem_key = $2 AND created_at < $3")
                    .bind(client).bind(key).bind(horizon.expired_before)
                    .execute(p).await?;
                let taken_over = sqlx::query(
                    "UPDATE idempotency_keys SET request_hash = $3, created_at = $4, claim_id = $6, replaceable = $7
                     WHERE client_id = $1 AND idem_key = $2 AND completed = FALSE AND replaceable = TRUE AND created_at < $5")
                    .bind(client).bind(key).bind(hash).bind(horizon.now).bind(horizon.abandoned_before)
                    .bind(claim_id).bind(replaceable)
                    .execute(p).await?.rows_affected();
                if taken_over == 1 {
                    Ok::<_, sqlx::Error>(true)
                } else {
                    let inserted = sqlx::query(
                        "INSERT INTO idempotency_keys (client_id, idem_key, request_hash, completed, created_at, claim_id, replaceable)
                         VALUES ($1, $2, $3, FALSE, $4, $5, $6) ON CONFLICT (client_id, idem_key) DO NOTHING")
                        .bind(client).bind(key).bind(hash).bind(horizon.now).bind(claim_id).bind(replaceable)
                        .execute(p).await?.rows_affected();
                    Ok(inserted == 1)
                }
            })?;
            if claimed {
                return Ok(Claim::Claimed(ClaimRef {
                    client,
                    key: key.to_string(),
                    claim_id,
                }));
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

    /// Stores the answer of the request that holds the claim, after its work.
    pub async fn complete_idempotency_key(&self, receipt: &Receipt) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            keep_receipt!(tx, receipt);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Gives up a claim whose request did nothing that a retry must not repeat. A claim already
    /// completed (its answer stored with its work) stays.
    pub async fn release_idempotency_key(&self, claim: &ClaimRef) -> Result<(), StoreError> {
        on_pool!(&self.write, p => sqlx::query(
            "DELETE FROM idempotency_keys WHERE client_id = $1 AND idem_key = $2 AND claim_id = $3 AND completed = FALSE")
            .bind(claim.client).bind(&claim.key).bind(claim.claim_id)
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
