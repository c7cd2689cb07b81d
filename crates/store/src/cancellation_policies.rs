//! Cancellation policies of a property. Each term is stored as the contract's enum string (NULL
//! when not sent); a policy cannot be deleted while a rate plan uses it, as its policy or in one
//! of its date-bound exceptions.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CancellationPolicy {
    pub id: Uuid,
    pub property_id: Uuid,
    pub refundable: bool,
    /// `advanceCancellationFreeOfCharge`.
    pub free_cancellation: Option<String>,
    /// `refundableCancellationCharge`.
    pub refundable_charge: Option<String>,
    /// `noShowCharge`.
    pub no_show_charge: Option<String>,
    /// `nonRefundableCancellationCharge`.
    pub non_refundable_charge: Option<String>,
    /// `nonRefundableDeadline`.
    pub non_refundable_deadline: Option<String>,
    /// `nonRefundableAfterDeadlineCancellationCharge`.
    pub after_deadline_charge: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A rate plan that uses a policy.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PolicyUser {
    pub id: Uuid,
    pub name: String,
}

const COLUMNS: &str = "id, property_id, refundable, free_cancellation, refundable_charge, no_show_charge, non_refundable_charge, non_refundable_deadline, after_deadline_charge, created_at, updated_at, version";

/// The rate plans using policy $1 as their policy or in an exception, by name.
const USERS: &str = "SELECT p.id, p.name FROM rate_plans p WHERE p.cancellation_policy_id = $1
       OR EXISTS (SELECT 1 FROM rate_plan_policy_exceptions e WHERE e.rate_plan_id = p.id AND e.cancellation_policy_id = $1)
     ORDER BY p.name, p.id";

impl Store {
    pub async fn create_cancellation_policy(
        &self,
        c: &CancellationPolicy,
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO cancellation_policies (id, property_id, refundable, free_cancellation, refundable_charge, no_show_charge, non_refundable_charge, non_refundable_deadline, after_deadline_charge, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(c.id).bind(c.property_id).bind(c.refundable).bind(&c.free_cancellation).bind(&c.refundable_charge)
            .bind(&c.no_show_charge).bind(&c.non_refundable_charge).bind(&c.non_refundable_deadline)
            .bind(&c.after_deadline_charge).bind(c.created_at).bind(c.updated_at).bind(c.version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The property's policies, oldest first.
    pub async fn cancellation_policies(
        &self,
        property: Uuid,
    ) -> Result<Vec<CancellationPolicy>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cancellation_policies WHERE property_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, CancellationPolicy>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    pub async fn cancellation_policy(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<CancellationPolicy, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cancellation_policies WHERE property_id = $1 AND id = $2"
        );
        on_pool!(&self.read, pool => sqlx::query_as::<_, CancellationPolicy>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Replaces a policy's terms. With `expected_version`, refuses ([`StoreError::Stale`]) when
    /// the stored version differs; the version goes up by one either way.
    pub async fn update_cancellation_policy(
        &self,
        c: &CancellationPolicy,
        expected_version: Option<i64>,
    ) -> Result<CancellationPolicy, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE cancellation_policies SET refundable = $3, free_cancellation = $4, refundable_charge = $5, no_show_charge = $6,
                non_refundable_charge = $7, non_refundable_deadline = $8, after_deadline_charge = $9, updated_at = $10,
                version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($11 IS NULL OR version = $11)")
            .bind(c.property_id).bind(c.id).bind(c.refundable).bind(&c.free_cancellation).bind(&c.refundable_charge)
            .bind(&c.no_show_charge).bind(&c.non_refundable_charge).bind(&c.non_refundable_deadline)
            .bind(&c.after_deadline_charge).bind(c.updated_at).bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(
            changed,
            || self.cancellation_policy(c.property_id, c.id),
            |c| c.version,
        )
        .await
    }

    /// The rate plans that use a policy (as their policy or in an exception), by name.
    pub async fn cancellation_policy_users(
        &self,
        policy: Uuid,
    ) -> Result<Vec<PolicyUser>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, PolicyUser>(USERS).bind(policy).fetch_all(pool).await)?,
        )
    }

    /// Deletes a policy. Refused ([`StoreError::Conflict`] naming them) while rate plans use it.
    pub async fn delete_cancellation_policy(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<CancellationPolicy, StoreError> {
        let existing = self.cancellation_policy(property, id).await?;
        let deleted = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let users: Vec<PolicyUser> = sqlx::query_as(USERS).bind(id).fetch_all(&mut *tx).await?;
            if !users.is_empty() {
                let names: Vec<String> = users.iter().map(|u| format!("{} ({})", u.name, u.id)).collect();
                return Err(StoreError::Conflict(format!(
                    "the cancellation policy is used by rate plan(s) {}; give them another policy first",
                    names.join(", ")
                )));
            }
            let n = sqlx::query("DELETE FROM cancellation_policies WHERE property_id = $1 AND id = $2")
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
