//! A property's announcements: notices for guests with a window of dates (calendar dates at the
//! property, either side open) or shown always. Which are current is the domain's rule
//! (`wink_domain::announcement`), applied on the list the store answers oldest first.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Announcement {
    pub id: Uuid,
    pub property_id: Uuid,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub show_title: Option<bool>,
    pub show_always: bool,
    /// The contract's SimpleDescription list, as validated.
    pub descriptions: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str = "id, property_id, start_date, end_date, show_title, show_always, descriptions, created_at, updated_at, version";

impl Store {
    pub async fn create_announcement(&self, a: &Announcement) -> Result<(), StoreError> {
        let insert = format!(
            "INSERT INTO announcements ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        on_pool!(&self.write, pool => sqlx::query(&insert)
            .bind(a.id).bind(a.property_id).bind(a.start_date).bind(a.end_date).bind(a.show_title)
            .bind(a.show_always).bind(&a.descriptions).bind(a.created_at).bind(a.updated_at)
            .bind(a.version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The property's announcements, oldest first.
    pub async fn announcements(&self, property: Uuid) -> Result<Vec<Announcement>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM announcements WHERE property_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Announcement>(&sql)
            .bind(property).fetch_all(pool).await)?,
        )
    }

    /// One announcement of the property ([`StoreError::NotFound`] for any other).
    pub async fn announcement(&self, property: Uuid, id: Uuid) -> Result<Announcement, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM announcements WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Announcement>(&sql)
            .bind(property).bind(id).fetch_optional(pool).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Replaces an announcement's content. With `expected`, refuses ([`StoreError::Stale`]) when
    /// the stored version differs; the version goes up by one.
    pub async fn update_announcement(
        &self,
        a: &Announcement,
        expected: Option<i64>,
    ) -> Result<Announcement, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE announcements SET start_date = $3, end_date = $4, show_title = $5,
                show_always = $6, descriptions = $7, updated_at = $8, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($9 IS NULL OR version = $9)")
            .bind(a.property_id).bind(a.id).bind(a.start_date).bind(a.end_date).bind(a.show_title)
            .bind(a.show_always).bind(&a.descriptions).bind(a.updated_at).bind(expected)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(
            changed,
            || self.announcement(a.property_id, a.id),
            |a| a.version,
        )
        .await
    }

    /// Deletes an announcement; answers what was deleted.
    pub async fn delete_announcement(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<Announcement, StoreError> {
        let existing = self.announcement(property, id).await?;
        let deleted = on_pool!(&self.write, pool => sqlx::query(
            "DELETE FROM announcements WHERE property_id = $1 AND id = $2")
            .bind(property).bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
