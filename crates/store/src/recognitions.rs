//! A property's recognitions (awards, publications, third-party review scores).
//!
//! A recognition is part of the property's record: the property answer lists them
//! (`recognitionList`) and the contract's recognition writes answer the property. So every
//! write of a recognition moves the property's `version` and `lastUpdate` in the same
//! transaction (a property read before the change no longer matches its ETag), and a
//! conditional write of a recognition names the property's version: a stale one is refused
//! ([`StoreError::Stale`]) and changes nothing. Recognitions have no version of their own.
//!
//! Lists are ordered by category in the contract's order (THIRD_PARTY_REVIEW, PUBLICATION,
//! AWARD), then oldest first (`wink_domain::recognition`).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::properties::TOUCH_PROPERTY;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Recognition {
    pub id: Uuid,
    pub property_id: Uuid,
    /// The contract's RecognitionCategory value.
    pub category: String,
    /// The contract's RecognitionType value (the column `type`).
    #[sqlx(rename = "type")]
    pub kind: String,
    pub provider: String,
    pub rating: f64,
    /// Resolved: never missing once stored.
    pub max_rating: f64,
    /// When it was given (`date`).
    pub recognized_on: Option<NaiveDate>,
    /// `officialAppointmentInd`.
    pub official: Option<bool>,
    pub rating_symbol: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, property_id, category, type, provider, rating, max_rating, recognized_on, official, rating_symbol, created_at, updated_at";

/// The contract's order of categories, then oldest first.
const ORDER: &str = "ORDER BY CASE category WHEN 'THIRD_PARTY_REVIEW' THEN 0 WHEN 'PUBLICATION' THEN 1 ELSE 2 END, created_at, id";

impl Store {
    /// Stores a new recognition of `r.property_id`, and moves the property's version.
    pub async fn create_recognition(&self, r: &Recognition) -> Result<(), StoreError> {
        let insert = format!(
            "INSERT INTO recognitions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(&insert)
                .bind(r.id).bind(r.property_id).bind(&r.category).bind(&r.kind).bind(&r.provider)
                .bind(r.rating).bind(r.max_rating).bind(r.recognized_on).bind(r.official)
                .bind(&r.rating_symbol).bind(r.created_at).bind(r.updated_at)
                .execute(&mut *tx).await?;
            sqlx::query(TOUCH_PROPERTY).bind(r.property_id).bind(r.updated_at).bind(None::<i64>)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The property's recognitions (of one category when given), in list order.
    pub async fn recognitions(
        &self,
        property: Uuid,
        category: Option<&str>,
    ) -> Result<Vec<Recognition>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM recognitions WHERE property_id = $1 AND ($2 IS NULL OR category = $2) {ORDER}"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Recognition>(&sql)
            .bind(property).bind(category).fetch_all(pool).await)?,
        )
    }

    /// One recognition of the property ([`StoreError::NotFound`] for any other).
    pub async fn recognition(&self, property: Uuid, id: Uuid) -> Result<Recognition, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM recognitions WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Recognition>(&sql)
            .bind(property).bind(id).fetch_optional(pool).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Replaces a recognition's content (all but its id, property and creation time) and moves
    /// the property's version; with `expected`, only while the property is at that version
    /// ([`StoreError::Stale`] with its version otherwise, nothing changed).
    pub async fn update_recognition(
        &self,
        r: &Recognition,
        expected: Option<i64>,
    ) -> Result<Recognition, StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE recognitions SET category = $3, type = $4, provider = $5, rating = $6,
                    max_rating = $7, recognized_on = $8, official = $9, rating_symbol = $10,
                    updated_at = $11
                 WHERE property_id = $1 AND id = $2")
                .bind(r.property_id).bind(r.id).bind(&r.category).bind(&r.kind).bind(&r.provider)
                .bind(r.rating).bind(r.max_rating).bind(r.recognized_on).bind(r.official)
                .bind(&r.rating_symbol).bind(r.updated_at)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let touched = sqlx::query(TOUCH_PROPERTY).bind(r.property_id).bind(r.updated_at)
                .bind(expected).execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                let (current,): (i64,) = sqlx::query_as("SELECT version FROM properties WHERE id = $1")
                    .bind(r.property_id).fetch_one(&mut *tx).await?;
                return Err(StoreError::Stale { current });
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.recognition(r.property_id, r.id).await
    }

    /// Deletes a recognition and moves the property's version; with `expected`, only while the
    /// property is at that version. Answers what was deleted.
    pub async fn delete_recognition(
        &self,
        property: Uuid,
        id: Uuid,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<Recognition, StoreError> {
        let existing = self.recognition(property, id).await?;
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("DELETE FROM recognitions WHERE property_id = $1 AND id = $2")
                .bind(property).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let touched = sqlx::query(TOUCH_PROPERTY).bind(property).bind(at).bind(expected)
                .execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                let (current,): (i64,) = sqlx::query_as("SELECT version FROM properties WHERE id = $1")
                    .bind(property).fetch_one(&mut *tx).await?;
                return Err(StoreError::Stale { current });
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(existing)
    }
}
