//! Properties (hotels): the managing entities in the API's paths.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Property {
    pub id: Uuid,
    /// The account that registered and manages the property.
    pub account_id: Uuid,
    /// The application (client) that registered it.
    pub registered_by: Uuid,
    pub name: String,
    /// ISO 4217 code of the currency the property sells in.
    pub currency: String,
    /// IANA time zone: dates in the API are calendar dates here, deadlines are computed here.
    pub time_zone: String,
    pub url_name: String,
    pub hotel_code: String,
    pub unique_code: String,
    pub status: String,
    pub lead_id: String,
    /// Descriptive content (addresses, contacts, profile, descriptions...): no rule reads it.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What every request on a property needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PropertyRef {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
}

const COLUMNS: &str = "id, account_id, registered_by, name, currency, time_zone, url_name, hotel_code, unique_code, status, lead_id, document, created_at, updated_at, version";

impl Store {
    /// Stores a new property. A clash on `url_name`, `hotel_code` or `unique_code` is a
    /// [`StoreError::Conflict`]; the caller picks other codes and tries again.
    pub async fn create_property(&self, p: &Property) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO properties (id, account_id, registered_by, name, currency, time_zone, url_name, hotel_code, unique_code, status, lead_id, document, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
            .bind(p.id).bind(p.account_id).bind(p.registered_by).bind(&p.name).bind(&p.currency).bind(&p.time_zone)
            .bind(&p.url_name).bind(&p.hotel_code).bind(&p.unique_code).bind(&p.status).bind(&p.lead_id).bind(&p.document)
            .bind(p.created_at).bind(p.updated_at).bind(p.version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn property(&self, id: Uuid) -> Result<Property, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM properties WHERE id = $1");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Property>(&sql).bind(id).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)
    }

    pub async fn property_ref(&self, id: Uuid) -> Result<PropertyRef, StoreError> {
        on_pool!(&self.read, pool => sqlx::query_as::<_, PropertyRef>(
            "SELECT id, account_id, name, currency, time_zone FROM properties WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?
        .ok_or(StoreError::NotFound)
    }

    /// The properties an account manages, oldest first.
    pub async fn properties_of(&self, account: Uuid) -> Result<Vec<Property>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM properties WHERE account_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Property>(&sql).bind(account).fetch_all(pool).await)?,
        )
    }

    /// Whether the database holds any property at all (the demo seeds only an empty database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_pool!(&self.read, pool => sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(pool).await)?;
        Ok(n == 0)
    }
}
