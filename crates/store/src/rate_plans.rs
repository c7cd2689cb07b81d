//! Rate plans of a property. The request is kept as sent (`document`); the columns beside it are
//! what queries need. Creating one opens a master rate with every room type of its property;
//! deleting one removes its master rates and their daily rates with it.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct RatePlan {
    pub id: Uuid,
    pub property_id: Uuid,
    pub name: String,
    pub enabled: bool,
    pub cancellation_policy_id: Uuid,
    /// The `UpsertRatePlanRequest` as received, after validation.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A date-bound override of a rate plan's cancellation policy (`start_date ..= end_date`).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PolicyException {
    pub rate_plan_id: Uuid,
    /// Order in the request, from 0.
    pub position: i32,
    pub cancellation_policy_id: Uuid,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

const COLUMNS: &str = "id, property_id, name, enabled, cancellation_policy_id, document, created_at, updated_at, version";
const EXCEPTION_COLUMNS: &str =
    "e.rate_plan_id, e.position, e.cancellation_policy_id, e.start_date, e.end_date";

impl Store {
    /// Stores a new rate plan with its exceptions, and a master rate for it with each of the
    /// property's room types, in one transaction.
    pub async fn create_rate_plan(
        &self,
        r: &RatePlan,
        exceptions: &[PolicyException],
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO rate_plans (id, property_id, name, enabled, cancellation_policy_id, document, created_at, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(r.id).bind(r.property_id).bind(&r.name).bind(r.enabled).bind(r.cancellation_policy_id)
                .bind(&r.document).bind(r.created_at).bind(r.updated_at).bind(r.version)
                .execute(&mut *tx).await?;
            for e in exceptions {
                sqlx::query(
                    "INSERT INTO rate_plan_policy_exceptions (rate_plan_id, position, cancellation_policy_id, start_date, end_date, property_id)
                     VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(r.id).bind(e.position).bind(e.cancellation_policy_id).bind(e.start_date).bind(e.end_date).bind(r.property_id)
                    .execute(&mut *tx).await?;
            }
            let rooms: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM room_types WHERE property_id = $1 ORDER BY created_at, id")
                .bind(r.property_id).fetch_all(&mut *tx).await?;
            for (room,) in rooms {
                sqlx::query(crate::master_rates::INSERT_MASTER_RATE)
                    .bind(Uuid::new_v4()).bind(r.property_id).bind(room).bind(r.id).bind(r.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The property's rate plans, oldest first.
    pub async fn rate_plans(&self, property: Uuid) -> Result<Vec<RatePlan>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM rate_plans WHERE property_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, RatePlan>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    pub async fn rate_plan(&self, property: Uuid, id: Uuid) -> Result<RatePlan, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM rate_plans WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, RatePlan>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// The exceptions of every rate plan of the property, by rate plan and position.
    pub async fn rate_plan_exceptions(
        &self,
        property: Uuid,
    ) -> Result<Vec<PolicyException>, StoreError> {
        let sql = format!(
            "SELECT {EXCEPTION_COLUMNS} FROM rate_plan_policy_exceptions e JOIN rate_plans p ON p.id = e.rate_plan_id
             WHERE p.property_id = $1 ORDER BY e.rate_plan_id, e.position"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, PolicyException>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    /// The exceptions of one rate plan, by position.
    pub async fn rate_plan_exceptions_of(
        &self,
        rate_plan: Uuid,
    ) -> Result<Vec<PolicyException>, StoreError> {
        let sql = format!(
            "SELECT {EXCEPTION_COLUMNS} FROM rate_plan_policy_exceptions e WHERE e.rate_plan_id = $1 ORDER BY e.position"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, PolicyException>(&sql).bind(rate_plan).fetch_all(pool).await)?,
        )
    }

    /// Replaces a rate plan's content and exceptions. With `expected_version`, refuses
    /// ([`StoreError::Stale`]) when the stored version differs; the version goes up by one.
    pub async fn update_rate_plan(
        &self,
        r: &RatePlan,
        exceptions: &[PolicyException],
        expected_version: Option<i64>,
    ) -> Result<RatePlan, StoreError> {
        let changed = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE rate_plans SET name = $3, enabled = $4, cancellation_policy_id = $5, document = $6, updated_at = $7,
                    version = version + 1
                 WHERE property_id = $1 AND id = $2 AND ($8 IS NULL OR version = $8)")
                .bind(r.property_id).bind(r.id).bind(&r.name).bind(r.enabled).bind(r.cancellation_policy_id)
                .bind(&r.document).bind(r.updated_at).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                sqlx::query("DELETE FROM rate_plan_policy_exceptions WHERE rate_plan_id = $1")
                    .bind(r.id).execute(&mut *tx).await?;
                for e in exceptions {
                    sqlx::query(
                        "INSERT INTO rate_plan_policy_exceptions (rate_plan_id, position, cancellation_policy_id, start_date, end_date, property_id)
                         VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(r.id).bind(e.position).bind(e.cancellation_policy_id).bind(e.start_date).bind(e.end_date).bind(r.property_id)
                        .execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Ok::<u64, StoreError>(changed)
        })?;
        updated(
            changed,
            || self.rate_plan(r.property_id, r.id),
            |r| r.version,
        )
        .await
    }

    /// Deletes a rate plan with its exceptions, master rates and their daily rates. Refused
    /// ([`StoreError::Conflict`]) while a booking that is not cancelled holds one of its nights
    /// today or later, while a promotion names it or one of its master rates, or while an add-on
    /// is restricted to it.
    pub async fn delete_rate_plan(
        &self,
        property: Uuid,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<RatePlan, StoreError> {
        let existing = self.rate_plan(property, id).await?;
        // The row is locked before bookings are counted: a booking locks it (FOR SHARE) in its
        // own transaction, so either the booking commits first and is counted here, or it waits
        // and then finds the rate plan gone.
        let lock = format!(
            "SELECT id FROM rate_plans WHERE property_id = $1 AND id = $2{}",
            self.write.for_update()
        );
        let deleted = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            if sqlx::query(&lock).bind(property).bind(id).fetch_optional(&mut *tx).await?.is_none() {
                return Err(StoreError::NotFound);
            }
            let (held,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM booking_nights n JOIN bookings b ON b.id = n.booking_id
                 WHERE b.rate_plan_id = $1 AND n.day >= $2 AND b.status <> 'CANCELLED'")
                .bind(id).bind(today).fetch_one(&mut *tx).await?;
            if held > 0 {
                return Err(StoreError::Conflict(format!("the rate plan still has {held} booked night(s) from {today} on; cancel those bookings first")));
            }
            let promotions: Vec<crate::promotions::User> = sqlx::query_as(crate::promotions::USING_RATE_PLAN)
                .bind(id).fetch_all(&mut *tx).await?;
            if !promotions.is_empty() {
                return Err(crate::promotions::named_by_promotions("rate plan", &promotions));
            }
            let add_ons: Vec<crate::promotions::User> = sqlx::query_as(crate::inventory::ADD_ONS_USING_RATE_PLAN)
                .bind(id).fetch_all(&mut *tx).await?;
            if !add_ons.is_empty() {
                return Err(StoreError::Conflict(format!(
                    "the rate plan is still the rate plan of add-on(s) {}; change or delete them first",
                    crate::promotions::named(&add_ons)
                )));
            }
            let n = sqlx::query("DELETE FROM rate_plans WHERE property_id = $1 AND id = $2")
                .bind(property).bind(id).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
