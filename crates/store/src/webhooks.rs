//! Webhook subscriptions of a property, and the webhook queue of the outbox: one delivery row
//! per event and subscription, written by [`crate::record_event!`] in the transaction of the
//! change the event reports.
//!
//! A worker **leases** due rows (one statement: `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
//! LOCKED)` on PostgreSQL, so workers on several nodes never take the same row; SQLite's one
//! writer runs it alone), delivers them and **finishes** them with its lease id, so a worker
//! whose lease ran out cannot overwrite what another worker did since. Only a subscription's
//! lowest pending delivery is ever due: its next event waits until the previous one was
//! delivered or died.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

/// Waiting for (another) attempt.
pub const PENDING: &str = "PENDING";
/// The receiver accepted it.
pub const DELIVERED: &str = "DELIVERED";
/// Out of attempts, or refused for good: kept until an operator retries it.
pub const DEAD: &str = "DEAD";

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Subscription {
    pub id: Uuid,
    pub property_id: Uuid,
    pub url: String,
    /// The event types, each between commas (see [`types_column`]); read with
    /// [`Subscription::event_types`].
    pub event_types: String,
    pub active: bool,
    /// `whsec_…`: signs every delivery.
    pub secret: String,
    /// The secret the last rotation replaced, still signing until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// The sequence number of its latest delivery (0: none yet).
    pub last_seq: i64,
    /// The application that created it.
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Subscription {
    pub fn event_types(&self) -> Vec<&str> {
        self.event_types
            .split(',')
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// The stored form of a list of event types: `,a,b,` (so `LIKE '%,a,%'` finds exactly `a`).
pub fn types_column<S: AsRef<str>>(types: &[S]) -> String {
    let mut column = String::from(",");
    for t in types {
        column.push_str(t.as_ref());
        column.push(',');
    }
    column
}

const COLUMNS: &str = "id, property_id, url, event_types, active, secret, previous_secret, previous_secret_until, last_seq, created_by, created_at, updated_at, version";

/// A delivery of one event to one subscription.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub subscription_id: Uuid,
    /// 1, 2, 3... per subscription, in the order of the property's events.
    pub seq: i64,
    /// The `webhook-id`.
    pub event_id: Uuid,
    /// The event's number in the property's feed (`events?after=`).
    pub event_seq: i64,
    pub event_type: String,
    pub payload: Json<Value>,
    pub occurred_at: DateTime<Utc>,
    /// [`PENDING`], [`DELIVERED`] or [`DEAD`].
    pub status: String,
    /// Attempts made so far.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// When it was delivered or died.
    pub done_at: Option<DateTime<Utc>>,
}

const DELIVERY_COLUMNS: &str = "d.id, d.subscription_id, d.seq, d.event_id, d.event_seq, d.event_type, d.payload, d.occurred_at, d.status, d.attempts, d.next_attempt_at, d.last_error, d.done_at";

/// A delivery a worker holds, with where it goes and what signs it.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Leased {
    #[sqlx(flatten)]
    pub delivery: Delivery,
    pub property_id: Uuid,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
}

/// How an attempt ended, for [`Store::finish_webhook_delivery`] and
/// [`Store::finish_notification`].
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    Delivered {
        at: DateTime<Utc>,
    },
    /// Try again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    Dead {
        at: DateTime<Utc>,
        error: String,
    },
}

/// What a change of a subscription sets.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionChange {
    pub url: String,
    pub event_types: String,
    pub active: bool,
    pub at: DateTime<Utc>,
}

/// One row of either outbox queue, as `wink-supplier outbox list` shows it.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct OutboxEntry {
    /// `webhook` or `email`.
    pub queue: String,
    pub id: Uuid,
    pub property_id: Uuid,
    /// The URL or the e-mail address.
    pub target: String,
    /// The event type or the notification kind.
    pub kind: String,
    /// [`PENDING`], [`DELIVERED`] or [`DEAD`].
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

impl Store {
    pub async fn create_webhook(&self, s: &Subscription) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO webhook_subscriptions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        on_pool!(&self.write, pool => sqlx::query(&sql)
            .bind(s.id).bind(s.property_id).bind(&s.url).bind(&s.event_types).bind(s.active)
            .bind(&s.secret).bind(&s.previous_secret).bind(s.previous_secret_until).bind(s.last_seq)
            .bind(s.created_by).bind(s.created_at).bind(s.updated_at).bind(s.version)
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The property's subscriptions, oldest first; every property's when `property` is `None`.
    pub async fn webhooks(&self, property: Option<Uuid>) -> Result<Vec<Subscription>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_subscriptions WHERE ($1 IS NULL OR property_id = $1) ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, Subscription>(&sql)
            .bind(property).fetch_all(p).await)?,
        )
    }

    pub async fn webhook(&self, property: Uuid, id: Uuid) -> Result<Subscription, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_subscriptions WHERE property_id = $1 AND id = $2"
        );
        on_pool!(&self.read, p => sqlx::query_as::<_, Subscription>(&sql)
            .bind(property).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Sets a subscription's URL, event types and switch, if it is at version `expected` (any
    /// when `None`); a stale version is [`StoreError::Stale`].
    pub async fn update_webhook(
        &self,
        property: Uuid,
        id: Uuid,
        change: &SubscriptionChange,
        expected: Option<i64>,
    ) -> Result<Subscription, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE webhook_subscriptions SET url = $3, event_types = $4, active = $5, updated_at = $6, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($7 IS NULL OR version = $7)")
            .bind(property).bind(id).bind(&change.url).bind(&change.event_types).bind(change.active)
            .bind(change.at).bind(expected)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(changed, || self.webhook(property, id), |s| s.version).await
    }

    /// Makes `secret` the subscription's secret; the one it replaces keeps signing until
    /// `old_until`.
    pub async fn rotate_webhook_secret(
        &self,
        property: Uuid,
        id: Uuid,
        secret: &str,
        old_until: DateTime<Utc>,
        at: DateTime<Utc>,
        expected: Option<i64>,
    ) -> Result<Subscription, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $4, secret = $3,
                updated_at = $5, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($6 IS NULL OR version = $6)")
            .bind(property).bind(id).bind(secret).bind(old_until).bind(at).bind(expected)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(changed, || self.webhook(property, id), |s| s.version).await
    }

    /// Deletes a subscription and its deliveries (pending ones are not sent); answers it as it
    /// was. `property` `None`: whichever property's (the operator's command).
    pub async fn delete_webhook(
        &self,
        property: Option<Uuid>,
        id: Uuid,
        expected: Option<i64>,
    ) -> Result<Subscription, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND ($2 IS NULL OR property_id = $2)"
        );
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let found = sqlx::query_as::<_, Subscription>(&sql)
                .bind(id).bind(property).fetch_optional(&mut *tx).await?
                .ok_or(StoreError::NotFound)?;
            let deleted = sqlx::query(
                "DELETE FROM webhook_subscriptions WHERE id = $1 AND ($2 IS NULL OR version = $2)")
                .bind(id).bind(expected).execute(&mut *tx).await?.rows_affected();
            if deleted == 0 {
                return Err(StoreError::Stale { current: found.version });
            }
            tx.commit().await?;
            Ok(found)
        })
    }

    /// A subscription's deliveries, latest first, at most `limit`.
    pub async fn webhook_deliveries(
        &self,
        subscription: Uuid,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.subscription_id = $1 ORDER BY d.seq DESC LIMIT $2"
        );
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, Delivery>(&sql)
            .bind(subscription).bind(i64::from(limit)).fetch_all(p).await)?,
        )
    }

    /// Takes up to `limit` due deliveries for the worker holding `lease` until `until`: pending,
    /// due at `now`, not held by a live lease, and each its subscription's lowest pending one.
    pub async fn lease_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        lease: Uuid,
        limit: u32,
    ) -> Result<Vec<Leased>, StoreError> {
        let skip = self.write.skip_locked();
        let claim = format!(
            "UPDATE webhook_deliveries SET lease = $3, leased_until = $2
             WHERE id IN (SELECT d.id FROM webhook_deliveries d
                 WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1
                   AND (d.leased_until IS NULL OR d.leased_until < $1)
                   AND d.seq = (SELECT MIN(p.seq) FROM webhook_deliveries p
                                WHERE p.subscription_id = d.subscription_id AND p.status = 'PENDING')
                 ORDER BY d.next_attempt_at LIMIT $4{skip})"
        );
        let read = format!(
            "SELECT {DELIVERY_COLUMNS}, s.property_id, s.url, s.secret, s.previous_secret, s.previous_secret_until
             FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
             WHERE d.lease = $1 AND d.status = 'PENDING' ORDER BY d.next_attempt_at, d.seq"
        );
        on_pool!(&self.write, pool => {
            let claimed = sqlx::query(&claim)
                .bind(now).bind(until).bind(lease).bind(i64::from(limit))
                .execute(pool).await?.rows_affected();
            if claimed == 0 {
                return Ok(Vec::new());
            }
            Ok(sqlx::query_as::<_, Leased>(&read).bind(lease).fetch_all(pool).await?)
        })
    }

    /// Records how an attempt of a delivery held under `lease` ended; `false` when the lease
    /// was lost (another worker took the row after it expired), and nothing is changed.
    pub async fn finish_webhook_delivery(
        &self,
        id: Uuid,
        lease: Uuid,
        finished: &Finished,
    ) -> Result<bool, StoreError> {
        let (status, at, next, error) = finish_columns(finished);
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, done_at = $4,
                next_attempt_at = COALESCE($5, next_attempt_at), last_error = $6, lease = NULL, leased_until = NULL
             WHERE id = $1 AND lease = $2")
            .bind(id).bind(lease).bind(status).bind(at).bind(next).bind(error)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed == 1)
    }

    /// Takes up to `limit` due notifications (the e-mail queue) for the worker holding `lease`;
    /// answers each with the attempts made before.
    pub async fn lease_notifications(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        lease: Uuid,
        limit: u32,
    ) -> Result<Vec<(crate::notifications::Notification, i32)>, StoreError> {
        let skip = self.write.skip_locked();
        let claim = format!(
            "UPDATE notifications SET lease = $3, leased_until = $2
             WHERE id IN (SELECT n.id FROM notifications n
                 WHERE n.sent_at IS NULL AND n.dead_at IS NULL AND COALESCE(n.next_attempt_at, n.requested_at) <= $1
                   AND (n.leased_until IS NULL OR n.leased_until < $1)
                 ORDER BY n.requested_at LIMIT $4{skip})"
        );
        let read = format!(
            "SELECT {}, attempts FROM notifications WHERE lease = $1 AND sent_at IS NULL AND dead_at IS NULL ORDER BY requested_at",
            crate::notifications::COLUMNS
        );
        on_pool!(&self.write, pool => {
            let claimed = sqlx::query(&claim)
                .bind(now).bind(until).bind(lease).bind(i64::from(limit))
                .execute(pool).await?.rows_affected();
            if claimed == 0 {
                return Ok(Vec::new());
            }
            let rows: Vec<NotificationAttempts> = sqlx::query_as(&read).bind(lease).fetch_all(pool).await?;
            Ok(rows.into_iter().map(|r| (r.note, r.attempts)).collect())
        })
    }

    /// [`Store::finish_webhook_delivery`] for a notification.
    pub async fn finish_notification(
        &self,
        id: Uuid,
        lease: Uuid,
        finished: &Finished,
    ) -> Result<bool, StoreError> {
        let (sent, dead, next, error) = match finished {
            Finished::Delivered { at } => (Some(*at), None, None, None),
            Finished::Retry { at, error } => (None, None, Some(*at), Some(error.as_str())),
            Finished::Dead { at, error } => (None, Some(*at), None, Some(error.as_str())),
        };
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE notifications SET sent_at = $3, dead_at = $4, attempts = attempts + 1,
                next_attempt_at = COALESCE($5, next_attempt_at), last_error = $6, lease = NULL, leased_until = NULL
             WHERE id = $1 AND lease = $2")
            .bind(id).bind(lease).bind(sent).bind(dead).bind(next).bind(error)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed == 1)
    }

    /// Both queues' rows that are not delivered (only the dead ones with `dead_only`), oldest
    /// first, at most `limit`.
    pub async fn outbox(
        &self,
        dead_only: bool,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let sql = "SELECT queue, id, property_id, target, kind, status, attempts, last_error FROM (
                SELECT 'webhook' AS queue, d.id, s.property_id, s.url AS target, d.event_type AS kind, d.status,
                       d.attempts, d.last_error, d.occurred_at AS at
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.status = 'DEAD' OR ($1 = FALSE AND d.status = 'PENDING')
                UNION ALL
                SELECT 'email', n.id, n.property_id, n.recipient, n.kind,
                       CASE WHEN n.dead_at IS NULL THEN 'PENDING' ELSE 'DEAD' END, n.attempts, n.last_error, n.requested_at
                FROM notifications n
                WHERE n.sent_at IS NULL AND (n.dead_at IS NOT NULL OR $1 = FALSE)
            ) o ORDER BY at, id LIMIT $2";
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, OutboxEntry>(sql)
            .bind(dead_only).bind(i64::from(limit)).fetch_all(p).await)?,
        )
    }

    /// Makes dead rows of both queues due again at `now` with their attempts reset: the one
    /// with `id`, or every dead one when `id` is `None`. Answers how many.
    pub async fn retry_outbox(
        &self,
        id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let webhooks = sqlx::query(
                "UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = $2, done_at = NULL
                 WHERE status = 'DEAD' AND ($1 IS NULL OR id = $1)")
                .bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
            let mails = sqlx::query(
                "UPDATE notifications SET dead_at = NULL, attempts = 0, next_attempt_at = $2
                 WHERE dead_at IS NOT NULL AND sent_at IS NULL AND ($1 IS NULL OR id = $1)")
                .bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok(webhooks + mails)
        })
    }

    /// Deletes the webhook deliveries delivered before `before`; answers how many. Dead ones
    /// stay until retried or their subscription is deleted.
    pub async fn delete_delivered_webhooks_before(
        &self,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(on_pool!(&self.write, pool => sqlx::query(
            "DELETE FROM webhook_deliveries WHERE status = 'DELIVERED' AND done_at < $1")
            .bind(before).execute(pool).await.map(|r| r.rows_affected()))?)
    }
}

#[derive(FromRow)]
struct NotificationAttempts {
    #[sqlx(flatten)]
    note: crate::notifications::Notification,
    attempts: i32,
}

/// What a finished attempt sets: status, done_at, next_attempt_at, last_error.
type FinishColumns<'a> = (
    &'static str,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<&'a str>,
);

fn finish_columns(f: &Finished) -> FinishColumns<'_> {
    match f {
        Finished::Delivered { at } => (DELIVERED, Some(*at), None, None),
        Finished::Retry { at, error } => (PENDING, None, Some(*at), Some(error)),
        Finished::Dead { at, error } => (DEAD, Some(*at), None, Some(error)),
    }
}
