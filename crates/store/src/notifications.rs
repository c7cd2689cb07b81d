//! The notification outbox: what the API was asked to tell someone (a booking confirmation for
//! the guest, a notice for the property), recorded with its recipient and when it was asked for.
//!
//! The delivery worker (`wink_api::outbound`) sends them through the configured mail sender and
//! sets `sent_at` (see [`crate::webhooks`] for the leases, retries and dead letters); without a
//! mail sender they stay here, unsent.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

/// The confirmation of a booking, for its guest.
pub const BOOKING_CONFIRMATION: &str = "BOOKING_CONFIRMATION";
/// A new booking, for the property's reservations desk.
pub const BOOKING_NOTICE: &str = "BOOKING_NOTICE";
/// The cancellation of a booking, for its guest (recorded by [`Store::cancel_booking`]).
pub const BOOKING_CANCELLATION: &str = "BOOKING_CANCELLATION";

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Notification {
    pub id: Uuid,
    pub property_id: Uuid,
    pub booking_id: Option<Uuid>,
    /// [`BOOKING_CONFIRMATION`], [`BOOKING_NOTICE`], [`BOOKING_CANCELLATION`] or
    /// [`crate::affiliate_invitations::AFFILIATE_INVITATION`].
    pub kind: String,
    /// An e-mail address.
    pub recipient: String,
    /// The application that asked for it.
    pub requested_by: Uuid,
    pub requested_at: DateTime<Utc>,
    /// Set by the worker that delivered it.
    pub sent_at: Option<DateTime<Utc>>,
}

pub(crate) const COLUMNS: &str =
    "id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at";

/// Records one notification; binds the [`COLUMNS`] in order.
pub(crate) const INSERT: &str = "INSERT INTO notifications (id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

impl Store {
    /// Records `note`, a notification of its booking, if `allow` agrees, given when the booking's
    /// notifications of the same kind were recorded since `since`. The booking's row is locked
    /// for the count and the insert, so concurrent requests on any node count each other.
    /// Answers what `allow` answered (nothing is recorded on `Err`).
    pub async fn record_notification_if<E>(
        &self,
        note: &Notification,
        since: DateTime<Utc>,
        allow: impl FnOnce(&[DateTime<Utc>]) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        let booking = note.booking_id.ok_or(StoreError::NotFound)?;
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            // A write that changes nothing, to hold the row (and SQLite's write lock) until commit.
            let locked = sqlx::query("UPDATE bookings SET version = version WHERE id = $1")
                .bind(booking).execute(&mut *tx).await?.rows_affected();
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let recorded: Vec<(DateTime<Utc>,)> = sqlx::query_as(
                "SELECT requested_at FROM notifications WHERE booking_id = $1 AND kind = $2 AND requested_at > $3")
                .bind(booking).bind(&note.kind).bind(since)
                .fetch_all(&mut *tx).await?;
            let times: Vec<DateTime<Utc>> = recorded.into_iter().map(|(t,)| t).collect();
            let outcome = allow(&times);
            if outcome.is_ok() {
                sqlx::query(INSERT)
                    .bind(note.id).bind(note.property_id).bind(note.booking_id).bind(&note.kind)
                    .bind(&note.recipient).bind(note.requested_by).bind(note.requested_at)
                    .bind(note.sent_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// The notifications of these bookings, oldest first.
    pub async fn booking_notifications(
        &self,
        bookings: &[Uuid],
    ) -> Result<Vec<Notification>, StoreError> {
        if bookings.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications WHERE booking_id IN ({}) ORDER BY requested_at, id",
            crate::placeholders(bookings.len(), 1)
        );
        Ok(on_pool!(&self.read, p => {
            let mut q = sqlx::query_as::<_, Notification>(&sql);
            for id in bookings {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?)
    }
}

impl Store {
    /// What the notification's mail needs beyond its row (an invitation's names and reply-to),
    /// if anything was recorded. [`StoreError::NotFound`] when there is no such notification.
    pub async fn notification_details(
        &self,
        id: Uuid,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let row: Option<(Option<Json<serde_json::Value>>,)> = on_pool!(&self.read, p =>
            sqlx::query_as("SELECT details FROM notifications WHERE id = $1")
                .bind(id).fetch_optional(p).await)?;
        let (details,) = row.ok_or(StoreError::NotFound)?;
        Ok(details.map(|d| d.0))
    }
}
