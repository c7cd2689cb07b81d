//! A property's rate provider (the contract's channel manager): the one other account whose
//! clients may read and write the property's rates, restrictions and availability.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::properties::TOUCH_PROPERTY;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RateProvider {
    pub property_id: Uuid,
    pub account_id: Uuid,
    /// The name the owner gave the provider.
    pub label: String,
    /// The application that set it.
    pub set_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// The property's rate provider, if it has one.
    pub async fn rate_provider(&self, property: Uuid) -> Result<Option<RateProvider>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, RateProvider>(
            "SELECT property_id, account_id, label, set_by, created_at FROM property_rate_providers WHERE property_id = $1")
            .bind(property).fetch_optional(pool).await)?,
        )
    }

    /// Makes `p.account_id` the property's rate provider (in place of any other), or removes
    /// the provider when `p` is `None`, and moves the property's version and the auth revision
    /// (see [`crate::auth_revision`]) in the same transaction; with `expected`, only while the property is at that version
    /// ([`StoreError::Stale`] with its version otherwise, nothing changed).
    pub async fn set_rate_provider(
        &self,
        property: Uuid,
        p: Option<&RateProvider>,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(TOUCH_PROPERTY).bind(property).bind(at).bind(expected)
                .execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                let (current,): (i64,) = sqlx::query_as("SELECT version FROM properties WHERE id = $1")
                    .bind(property).fetch_one(&mut *tx).await?;
                return Err(StoreError::Stale { current });
            }
            match p {
                Some(p) => sqlx::query(
                    "INSERT INTO property_rate_providers (property_id, account_id, label, set_by, created_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (property_id) DO UPDATE SET account_id = excluded.account_id,
                        label = excluded.label, set_by = excluded.set_by, created_at = excluded.created_at")
                    .bind(property).bind(p.account_id).bind(&p.label).bind(p.set_by).bind(p.created_at)
                    .execute(&mut *tx).await?,
                None => sqlx::query("DELETE FROM property_rate_providers WHERE property_id = $1")
                    .bind(property).execute(&mut *tx).await?,
            };
            sqlx::query(crate::auth_revision::BUMP).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.auth_changed_here();
        Ok(())
    }
}
