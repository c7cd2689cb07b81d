//! Affiliate invitations: e-mails asking someone to become an affiliate of a property, recorded
//! in the notification outbox (`notifications`, kind [`AFFILIATE_INVITATION`], no booking) for the
//! deployment's mail relay, with what the mail needs in `details`.

use chrono::{DateTime, Utc};
use serde_json::Value as JsonValue;
use sqlx::types::Json;

use crate::notifications::Notification;
use crate::{Store, StoreError, on_pool};

/// An invitation to become an affiliate of the property.
pub const AFFILIATE_INVITATION: &str = "AFFILIATE_INVITATION";

impl Store {
    /// Records `note` (an invitation of its property) with `details` if `allow` agrees, given the
    /// property's invitations (when, to whom) recorded since `since`. The property's row is
    /// locked for the count and the insert, so concurrent requests on any node count each other.
    /// Answers what `allow` answered (nothing is recorded on `Err`).
    pub async fn record_invitation_if<E>(
        &self,
        note: &Notification,
        details: &JsonValue,
        since: DateTime<Utc>,
        allow: impl FnOnce(&[(DateTime<Utc>, String)]) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            // A write that changes nothing, to hold the row (and SQLite's write lock) until commit.
            let locked = sqlx::query("UPDATE properties SET version = version WHERE id = $1")
                .bind(note.property_id).execute(&mut *tx).await?.rows_affected();
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let recorded: Vec<(DateTime<Utc>, String)> = sqlx::query_as(
                "SELECT requested_at, recipient FROM notifications
                 WHERE property_id = $1 AND kind = $2 AND requested_at > $3")
                .bind(note.property_id).bind(&note.kind).bind(since)
                .fetch_all(&mut *tx).await?;
            let outcome = allow(&recorded);
            if outcome.is_ok() {
                sqlx::query(
                    "INSERT INTO notifications (id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at, details)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(note.id).bind(note.property_id).bind(note.booking_id).bind(&note.kind)
                    .bind(&note.recipient).bind(note.requested_by).bind(note.requested_at)
                    .bind(note.sent_at).bind(Json(details))
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// The property's invitations, oldest first, with their details.
    pub async fn affiliate_invitations(
        &self,
        property: uuid::Uuid,
    ) -> Result<Vec<(Notification, Option<Json<JsonValue>>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            note: Notification,
            details: Option<Json<JsonValue>>,
        }
        let rows: Vec<Row> = on_pool!(&self.read, p => sqlx::query_as::<_, Row>(
            "SELECT id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at, details
             FROM notifications WHERE property_id = $1 AND kind = $2 ORDER BY requested_at, id")
            .bind(property).bind(AFFILIATE_INVITATION).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| (r.note, r.details)).collect())
    }
}
