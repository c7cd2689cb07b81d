//! A property's events: what happened to it that an integrator may learn of (a booking made or
//! cancelled, rates changed...), numbered 1, 2, 3... per property in the order they committed.
//!
//! An event is written in the transaction of the change it reports ([`record_event!`]), so it
//! exists exactly when its change committed: the event feed and the webhook deliveries read
//! these rows and never report a write that rolled back. The number comes from the property's
//! `event_counters` row, which the writing transaction holds until it commits, so numbers follow
//! commit order without gaps (a reader that saw event N has seen every event before it).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

/// A booking was made (its key fields as `data`: [`crate::booking_events`]).
pub const BOOKING_CREATED: &str = "booking.created";
/// A booking was cancelled.
pub const BOOKING_CANCELLED: &str = "booking.cancelled";
/// A refund of a booking was asked for.
pub const BOOKING_REFUND_REQUESTED: &str = "booking.refund_requested";
/// Prices of nights changed (the changed day-cells as `data`).
pub const RATES_CHANGED: &str = "rates.changed";
/// Rooms for sale on nights changed (the changed day-cells as `data`).
pub const AVAILABILITY_CHANGED: &str = "availability.changed";
/// Restrictions of nights changed (the changed day-cells as `data`).
pub const RESTRICTIONS_CHANGED: &str = "restrictions.changed";

/// Every event type, in the order documentation lists them.
pub const EVENT_TYPES: &[&str] = &[
    BOOKING_CREATED,
    BOOKING_CANCELLED,
    BOOKING_REFUND_REQUESTED,
    RATES_CHANGED,
    AVAILABILITY_CHANGED,
    RESTRICTIONS_CHANGED,
];

/// An event as stored.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Event {
    /// Unique across properties; the `webhook-id` of its deliveries.
    pub id: Uuid,
    pub property_id: Uuid,
    /// 1, 2, 3... per property, in commit order, without gaps.
    pub seq: i64,
    /// One of [`EVENT_TYPES`].
    pub event_type: String,
    /// What changed: the event's `data`.
    pub payload: Json<Value>,
    pub occurred_at: DateTime<Utc>,
}

/// An event to record: [`record_event!`] gives it its number.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: Uuid,
    pub property_id: Uuid,
    pub event_type: &'static str,
    pub payload: Value,
    pub occurred_at: DateTime<Utc>,
}

impl NewEvent {
    pub fn new(
        property_id: Uuid,
        event_type: &'static str,
        payload: Value,
        occurred_at: DateTime<Utc>,
    ) -> Self {
        NewEvent {
            id: Uuid::new_v4(),
            property_id,
            event_type,
            payload,
            occurred_at,
        }
    }
}

/// Takes the property's next event number (`$1` the property); the row stays locked until the
/// transaction ends. Public for [`record_event!`] only.
#[doc(hidden)]
pub const NEXT_SEQ_SQL: &str = "INSERT INTO event_counters (property_id, last_seq) VALUES ($1, 1)
     ON CONFLICT (property_id) DO UPDATE SET last_seq = event_counters.last_seq + 1
     RETURNING last_seq";

/// Stores one numbered event. Public for [`record_event!`] only.
#[doc(hidden)]
pub const INSERT_SQL: &str =
    "INSERT INTO events (id, property_id, seq, event_type, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// Gives each active subscription of the property (`$1`) to the event type (`$2`, a `LIKE`
/// pattern `%,type,%`) its next delivery number, answering (subscription, number); the rows stay
/// locked until the transaction ends. Public for [`record_event!`] only.
#[doc(hidden)]
pub const FAN_OUT_SQL: &str = "UPDATE webhook_subscriptions SET last_seq = last_seq + 1
     WHERE property_id = $1 AND active = TRUE AND event_types LIKE $2
     RETURNING id, last_seq";

/// Queues one webhook delivery of an event, due at once. Public for [`record_event!`] only.
#[doc(hidden)]
pub const DELIVERY_SQL: &str = "INSERT INTO webhook_deliveries (id, subscription_id, seq, event_id, event_seq, event_type, payload, occurred_at, status, attempts, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', 0, $8)";

/// A subscription and its delivery number, as [`FAN_OUT_SQL`] answers them. Public for
/// [`record_event!`] only.
#[doc(hidden)]
pub type Subscriber = (Uuid, i64);

/// A new delivery's id. Public for [`record_event!`] only.
#[doc(hidden)]
pub fn delivery_id() -> Uuid {
    Uuid::new_v4()
}

/// Records a [`NewEvent`] (an expression) in the open transaction `$tx` (a
/// `sqlx::Transaction` of either engine, inside an `on_pool!` body) and evaluates to its number
/// (`Result<i64, sqlx::Error>`), with one webhook delivery per active subscription of the
/// property to its type (see [`crate::webhooks`]): the outbox row is written with the change, so
/// a delivery never happens for a write that rolled back. Call it last in the transaction, just
/// before commit: the property's counter row (and its subscriptions' rows) are held from here
/// to the end of the transaction, and every other writer of an event on the property waits for
/// it.
#[macro_export]
#[doc(hidden)]
macro_rules! record_event {
    ($tx:expr, $event:expr) => {{
        let event: &$crate::events::NewEvent = $event;
        async {
            let (seq,): (i64,) = sqlx::query_as($crate::events::NEXT_SEQ_SQL)
                .bind(event.property_id)
                .fetch_one(&mut *$tx)
                .await?;
            sqlx::query($crate::events::INSERT_SQL)
                .bind(event.id)
                .bind(event.property_id)
                .bind(seq)
                .bind(event.event_type)
                .bind(sqlx::types::Json(&event.payload))
                .bind(event.occurred_at)
                .execute(&mut *$tx)
                .await?;
            let subscribers: Vec<$crate::events::Subscriber> =
                sqlx::query_as($crate::events::FAN_OUT_SQL)
                    .bind(event.property_id)
                    .bind(format!("%,{},%", event.event_type))
                    .fetch_all(&mut *$tx)
                    .await?;
            for (subscription, number) in subscribers {
                sqlx::query($crate::events::DELIVERY_SQL)
                    .bind($crate::events::delivery_id())
                    .bind(subscription)
                    .bind(number)
                    .bind(event.id)
                    .bind(seq)
                    .bind(event.event_type)
                    .bind(sqlx::types::Json(&event.payload))
                    .bind(event.occurred_at)
                    .execute(&mut *$tx)
                    .await?;
            }
            Ok::<i64, sqlx::Error>(seq)
        }
        .await
    }};
}

const COLUMNS: &str = "id, property_id, seq, event_type, payload, occurred_at";

impl Store {
    /// Records `event` in a transaction of its own (for changes that have none to join) and
    /// answers its number.
    pub async fn record_event(&self, event: &NewEvent) -> Result<i64, StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let seq = record_event!(tx, event)?;
            tx.commit().await?;
            Ok(seq)
        })
    }

    /// The property's events numbered after `after`, oldest first, at most `limit`.
    pub async fn events_after(
        &self,
        property: Uuid,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE property_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        );
        let rows = on_pool!(&self.read, pool => sqlx::query_as::<_, Event>(&sql)
            .bind(property).bind(after).bind(i64::from(limit))
            .fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The property's events of `types` numbered after `after`, oldest first, at most `limit`
    /// (none when `types` is empty).
    pub async fn events_of_types_after(
        &self,
        property: Uuid,
        after: i64,
        types: &[&str],
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        if types.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE property_id = $1 AND seq > $2 AND event_type IN ({})
             ORDER BY seq LIMIT $3",
            crate::placeholders(types.len(), 4)
        );
        let rows = on_pool!(&self.read, pool => {
            let mut q = sqlx::query_as::<_, Event>(&sql)
                .bind(property).bind(after).bind(i64::from(limit));
            for t in types {
                q = q.bind(*t);
            }
            q.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Deletes the events that occurred before `before` (the retention period's start) and
    /// answers how many. A property's counter is kept, so numbers are never reused.
    pub async fn delete_events_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let deleted = on_pool!(&self.write, pool => sqlx::query(
            "DELETE FROM events WHERE occurred_at < $1")
            .bind(before).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(deleted)
    }
}
