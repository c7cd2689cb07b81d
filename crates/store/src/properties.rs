//! Properties (hotels): the managing entities in the API's paths.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
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
    /// `ACTIVE` (sells) or `INACTIVE` (offered nothing, takes no bookings; still editable).
    pub status: String,
    pub lead_id: String,
    /// The registration request as sent (addresses, contacts, profile, descriptions...): no rule
    /// reads it.
    pub document: Json<Value>,
    /// Where the property stands (WGS 84 degrees); `time_zone` is the zone at this point.
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// What the owner wrote after registration (profile, contacts, policy, socials...), each
    /// part absent until set: descriptive content no rule reads across rows.
    pub content: Json<Value>,
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
    /// `ACTIVE` or `INACTIVE` (see [`Property::status`]).
    pub status: String,
}

const COLUMNS: &str = "id, account_id, registered_by, name, currency, time_zone, url_name, hotel_code, unique_code, status, lead_id, document, longitude, latitude, content, created_at, updated_at, version";

/// Moves the property's version and lastUpdate (`$1` the property, `$2` the time), when its
/// version is `$3` (any when NULL): run in the transaction of a change kept beside the property
/// row (recognitions, the rate provider) that the property answer shows.
pub(crate) const TOUCH_PROPERTY: &str =
    "UPDATE properties SET version = version + 1, updated_at = $2
     WHERE id = $1 AND ($3 IS NULL OR version = $3)";

impl Store {
    /// Stores a new property. A clash on `url_name`, `hotel_code` or `unique_code` is a
    /// [`StoreError::Conflict`]; the caller picks other codes and tries again.
    pub async fn create_property(&self, p: &Property) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO properties (id, account_id, registered_by, name, currency, time_zone, url_name, hotel_code, unique_code, status, lead_id, document, created_at, updated_at, version, longitude, latitude, content)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)")
            .bind(p.id).bind(p.account_id).bind(p.registered_by).bind(&p.name).bind(&p.currency).bind(&p.time_zone)
            .bind(&p.url_name).bind(&p.hotel_code).bind(&p.unique_code).bind(&p.status).bind(&p.lead_id).bind(&p.document)
            .bind(p.created_at).bind(p.updated_at).bind(p.version).bind(p.longitude).bind(p.latitude).bind(&p.content)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn property(&self, id: Uuid) -> Result<Property, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM properties WHERE id = $1");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Property>(&sql).bind(id).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)
    }

    pub async fn property_ref(&self, id: Uuid) -> Result<PropertyRef, StoreError> {
        on_pool!(&self.read, pool => sqlx::query_as::<_, PropertyRef>(
            "SELECT id, account_id, name, currency, time_zone, status FROM properties WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Writes what an owner may change of a property (status, time zone, point, registration
    /// document, content) when it is still at `expected_version`, stepping the version by one;
    /// answers the row as stored. [`StoreError::Stale`] with the current version when another
    /// write came first, [`StoreError::NotFound`] when it is gone. The codes, currency, owner
    /// and creation stamp never change here.
    pub async fn update_property(
        &self,
        p: &Property,
        expected_version: i64,
    ) -> Result<Property, StoreError> {
        // A new status or time zone changes what every node holds of the property (see
        // [`crate::auth_revision`]): the revision moves with it.
        let (changed, moved) = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<(String, String)> = sqlx::query_as(&format!(
                "SELECT status, time_zone FROM properties WHERE id = $1{}", self.write.for_update()))
                .bind(p.id).fetch_optional(&mut *tx).await?;
            let changed = sqlx::query(
                "UPDATE properties SET status = $3, time_zone = $4, longitude = $5, latitude = $6, document = $7,
                    content = $8, updated_at = $9, version = version + 1
                 WHERE id = $1 AND version = $2")
                .bind(p.id).bind(expected_version).bind(&p.status).bind(&p.time_zone).bind(p.longitude)
                .bind(p.latitude).bind(&p.document).bind(&p.content).bind(p.updated_at)
                .execute(&mut *tx).await?.rows_affected();
            let moved = changed > 0
                && before.is_some_and(|(status, zone)| status != p.status || zone != p.time_zone);
            if moved {
                sqlx::query(crate::auth_revision::BUMP).execute(&mut *tx).await?;
            }
            tx.commit().await.map(|_| (changed, moved))
        })?;
        if moved {
            self.auth_changed_here();
        }
        updated(changed, || self.property(p.id), |p| p.version).await
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
