//! Refund requests of bookings: what the property asked the platform to give back to the guest.
//!
//! A request is recorded PENDING; settling or declining it is the platform's payment side, not
//! this server. A booking has at most one pending request. Recording one is a change of the
//! booking: its version goes up in the same transaction.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::bookings::Booking;
use crate::placeholders;
use crate::{Amount, Store, StoreError, on_pool};

/// Waiting for the platform.
pub const PENDING: &str = "PENDING";
/// Given back.
pub const SUCCEEDED: &str = "SUCCEEDED";

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Refund {
    pub id: Uuid,
    pub booking_id: Uuid,
    /// In `currency`, the booking's.
    pub amount: Amount,
    pub currency: String,
    /// The contract's refund reason (`DUPLICATE`, `GUEST_SICK`, ...).
    pub reason: String,
    pub description: String,
    /// `NONE`, `CANCEL_ON_SUCCESSFUL_REFUND` or `CANCEL_REGARDLESS`: applied when the request is
    /// settled, not when it is made.
    pub cancel_on_refund: String,
    /// The contract's refund status: [`PENDING`], [`SUCCEEDED`], `CANCELED`, `FAILED`...
    pub status: String,
    /// The application that asked.
    pub requested_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
    /// The platform's answer.
    pub response: Option<String>,
}

const COLUMNS: &str = "id, booking_id, amount, currency, reason, description, cancel_on_refund, status, requested_by, created_at, processed_at, response";

impl Store {
    /// Records a refund request of booking `id` of `property`, provided the booking is still at
    /// version `expected` (what the caller checked the request against), bumps the booking's
    /// version and records `booking.refund_requested`, in one transaction. A changed booking is
    /// [`StoreError::Stale`]; a second pending request a [`StoreError::Conflict`].
    pub async fn request_refund(
        &self,
        property: Uuid,
        id: Uuid,
        expected: i64,
        refund: &Refund,
    ) -> Result<Booking, StoreError> {
        let insert = format!(
            "INSERT INTO booking_refunds ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        let read = format!(
            "SELECT {} FROM bookings WHERE property_id = $1 AND id = $2",
            crate::bookings::COLUMNS
        );
        // An async block, so `?` ends the block and the outcome can be mapped below.
        let outcome = on_pool!(&self.write, pool => async {
            let mut tx = pool.begin().await?;
            let pending: Option<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM booking_refunds WHERE booking_id = $1 AND status = 'PENDING'")
                .bind(id).fetch_optional(&mut *tx).await?;
            if pending.is_some() {
                return Err(StoreError::Conflict("a refund request is already pending for this booking".into()));
            }
            let changed = sqlx::query(
                "UPDATE bookings SET version = version + 1, updated_at = $4
                 WHERE property_id = $1 AND id = $2 AND version = $3")
                .bind(property).bind(id).bind(expected).bind(refund.created_at)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                let current: Option<(i64,)> = sqlx::query_as(
                    "SELECT version FROM bookings WHERE property_id = $1 AND id = $2")
                    .bind(property).bind(id).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some((current,)) => StoreError::Stale { current },
                    None => StoreError::NotFound,
                });
            }
            sqlx::query(&insert)
                .bind(refund.id).bind(refund.booking_id).bind(refund.amount).bind(&refund.currency)
                .bind(&refund.reason).bind(&refund.description).bind(&refund.cancel_on_refund)
                .bind(&refund.status).bind(refund.requested_by).bind(refund.created_at)
                .bind(refund.processed_at).bind(&refund.response)
                .execute(&mut *tx).await?;
            let booking: Booking = sqlx::query_as(&read)
                .bind(property).bind(id).fetch_one(&mut *tx).await?;
            let event = crate::booking_events::refund_requested(&booking, refund, refund.created_at);
            crate::record_event!(tx, &event)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }.await);
        match outcome {
            // Two requests racing past the check: the unique index keeps one.
            Err(StoreError::Conflict(m)) if m.contains("already exists") => {
                return Err(StoreError::Conflict(
                    "a refund request is already pending for this booking".into(),
                ));
            }
            other => other?,
        }
        self.booking(property, id).await
    }

    /// The refund requests of these bookings, oldest first.
    pub async fn booking_refunds(&self, bookings: &[Uuid]) -> Result<Vec<Refund>, StoreError> {
        if bookings.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM booking_refunds WHERE booking_id IN ({}) ORDER BY created_at, id",
            placeholders(bookings.len(), 1)
        );
        Ok(on_pool!(&self.read, p => {
            let mut q = sqlx::query_as::<_, Refund>(&sql);
            for id in bookings {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?)
    }
}
