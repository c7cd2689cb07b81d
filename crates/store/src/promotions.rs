//! Promotions (the contract's special rates) and promotion bundles of a property, with what they
//! refer to: a promotion's master rates, rate plans and add-ons, a bundle's promotions. Each
//! request is kept as sent (`document`); the reference rows beside it make a referenced resource
//! undeletable (the delete is refused naming who uses it) and let its usage be counted.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Promotion {
    pub id: Uuid,
    pub property_id: Uuid,
    pub name: String,
    pub enabled: bool,
    /// The `UpsertSpecialRateRequest` as received, after validation.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What a promotion names, stored as rows beside its document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromotionRefs {
    pub master_rates: Vec<Uuid>,
    pub rate_plans: Vec<Uuid>,
    /// Add-ons (inventory items of kind ADD_ON) of the property.
    pub add_ons: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Bundle {
    pub id: Uuid,
    pub property_id: Uuid,
    pub name: String,
    pub enabled: bool,
    /// The `UpsertSpecialRateBundleRequest` as received, after validation.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Its promotions, in request order, without repeats.
    #[sqlx(skip)]
    pub items: Vec<Uuid>,
}

/// A resource that refers to another: its id and name, to name it in a refusal.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct User {
    pub id: Uuid,
    pub name: String,
}

const COLUMNS: &str = "id, property_id, name, enabled, document, created_at, updated_at, version";

/// Promotions naming the rate plan `$1`, directly or through one of its master rates.
pub(crate) const USING_RATE_PLAN: &str = "SELECT p.id, p.name FROM promotions p WHERE p.id IN (
        SELECT promotion_id FROM promotion_rate_plans WHERE rate_plan_id = $1
        UNION SELECT pm.promotion_id FROM promotion_master_rates pm
            JOIN master_rates m ON m.id = pm.master_rate_id WHERE m.rate_plan_id = $1)
    ORDER BY p.created_at, p.id";

/// Promotions naming one of the master rates of the room type `$1`.
pub(crate) const USING_ROOM_TYPE: &str = "SELECT p.id, p.name FROM promotions p WHERE p.id IN (
        SELECT pm.promotion_id FROM promotion_master_rates pm
            JOIN master_rates m ON m.id = pm.master_rate_id WHERE m.room_type_id = $1)
    ORDER BY p.created_at, p.id";

/// Bundles containing the promotion `$1`.
const BUNDLES_USING_PROMOTION: &str = "SELECT b.id, b.name FROM promotion_bundles b WHERE b.id IN (
        SELECT bundle_id FROM promotion_bundle_items WHERE promotion_id = $1)
    ORDER BY b.created_at, b.id";

/// `users` as a refusal names them: `"Early bird" (<id>), "Weekend" (<id>)`.
pub(crate) fn named(users: &[User]) -> String {
    users
        .iter()
        .map(|u| format!("\"{}\" ({})", u.name, u.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The refusal of deleting a rate plan or room type that promotions still name.
pub(crate) fn named_by_promotions(what: &str, users: &[User]) -> StoreError {
    StoreError::Conflict(format!(
        "the {what} is still named by promotion(s) {}, directly or through a master rate; change or delete them first",
        named(users)
    ))
}

impl Store {
    /// Stores a new promotion with the master rates and rate plans it names.
    pub async fn create_promotion(
        &self,
        p: &Promotion,
        refs: &PromotionRefs,
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO promotions (id, property_id, name, enabled, document, created_at, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(p.id).bind(p.property_id).bind(&p.name).bind(p.enabled).bind(&p.document)
                .bind(p.created_at).bind(p.updated_at).bind(p.version)
                .execute(&mut *tx).await?;
            for master in &refs.master_rates {
                sqlx::query("INSERT INTO promotion_master_rates (promotion_id, master_rate_id, property_id) VALUES ($1, $2, $3)")
                    .bind(p.id).bind(master).bind(p.property_id).execute(&mut *tx).await?;
            }
            for plan in &refs.rate_plans {
                sqlx::query("INSERT INTO promotion_rate_plans (promotion_id, rate_plan_id, property_id) VALUES ($1, $2, $3)")
                    .bind(p.id).bind(plan).bind(p.property_id).execute(&mut *tx).await?;
            }
            for add_on in &refs.add_ons {
                sqlx::query("INSERT INTO promotion_add_ons (promotion_id, add_on_id, property_id) VALUES ($1, $2, $3)")
                    .bind(p.id).bind(add_on).bind(p.property_id).execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The property's promotions, oldest first.
    pub async fn promotions(&self, property: Uuid) -> Result<Vec<Promotion>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM promotions WHERE property_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Promotion>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    pub async fn promotion(&self, property: Uuid, id: Uuid) -> Result<Promotion, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM promotions WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Promotion>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Replaces a promotion's content and references. With `expected_version`, refuses
    /// ([`StoreError::Stale`]) when the stored version differs; the version goes up by one.
    pub async fn update_promotion(
        &self,
        p: &Promotion,
        refs: &PromotionRefs,
        expected_version: Option<i64>,
    ) -> Result<Promotion, StoreError> {
        let changed = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE promotions SET name = $3, enabled = $4, document = $5, updated_at = $6, version = version + 1
                 WHERE property_id = $1 AND id = $2 AND ($7 IS NULL OR version = $7)")
                .bind(p.property_id).bind(p.id).bind(&p.name).bind(p.enabled).bind(&p.document)
                .bind(p.updated_at).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                sqlx::query("DELETE FROM promotion_master_rates WHERE promotion_id = $1")
                    .bind(p.id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM promotion_rate_plans WHERE promotion_id = $1")
                    .bind(p.id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM promotion_add_ons WHERE promotion_id = $1")
                    .bind(p.id).execute(&mut *tx).await?;
                for master in &refs.master_rates {
                    sqlx::query("INSERT INTO promotion_master_rates (promotion_id, master_rate_id, property_id) VALUES ($1, $2, $3)")
                        .bind(p.id).bind(master).bind(p.property_id).execute(&mut *tx).await?;
                }
                for plan in &refs.rate_plans {
                    sqlx::query("INSERT INTO promotion_rate_plans (promotion_id, rate_plan_id, property_id) VALUES ($1, $2, $3)")
                        .bind(p.id).bind(plan).bind(p.property_id).execute(&mut *tx).await?;
                }
                for add_on in &refs.add_ons {
                    sqlx::query("INSERT INTO promotion_add_ons (promotion_id, add_on_id, property_id) VALUES ($1, $2, $3)")
                        .bind(p.id).bind(add_on).bind(p.property_id).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Ok::<u64, StoreError>(changed)
        })?;
        updated(
            changed,
            || self.promotion(p.property_id, p.id),
            |p| p.version,
        )
        .await
    }

    /// Deletes a promotion. Refused ([`StoreError::Conflict`], naming them) while a bundle
    /// contains it.
    pub async fn delete_promotion(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<Promotion, StoreError> {
        let existing = self.promotion(property, id).await?;
        let deleted = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let bundles: Vec<User> = sqlx::query_as(BUNDLES_USING_PROMOTION)
                .bind(id).fetch_all(&mut *tx).await?;
            if !bundles.is_empty() {
                return Err(StoreError::Conflict(format!(
                    "the promotion is still in promotion bundle(s) {}; take it out of them or delete them first",
                    named(&bundles)
                )));
            }
            let n = sqlx::query("DELETE FROM promotions WHERE property_id = $1 AND id = $2")
                .bind(property).bind(id).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }

    /// Promotions that name the rate plan, directly or through one of its master rates,
    /// oldest first.
    pub async fn promotions_using_rate_plan(
        &self,
        rate_plan: Uuid,
    ) -> Result<Vec<User>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, User>(USING_RATE_PLAN).bind(rate_plan).fetch_all(pool).await)?,
        )
    }

    /// Promotions that name one of the room type's master rates, oldest first.
    pub async fn promotions_using_room_type(
        &self,
        room_type: Uuid,
    ) -> Result<Vec<User>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, User>(USING_ROOM_TYPE).bind(room_type).fetch_all(pool).await)?,
        )
    }

    /// Stores a new bundle with its items.
    pub async fn create_bundle(&self, b: &Bundle) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO promotion_bundles (id, property_id, name, enabled, document, created_at, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(b.id).bind(b.property_id).bind(&b.name).bind(b.enabled).bind(&b.document)
                .bind(b.created_at).bind(b.updated_at).bind(b.version)
                .execute(&mut *tx).await?;
            for (position, promotion) in b.items.iter().enumerate() {
                sqlx::query("INSERT INTO promotion_bundle_items (bundle_id, position, promotion_id, property_id) VALUES ($1, $2, $3, $4)")
                    .bind(b.id).bind(position as i32).bind(promotion).bind(b.property_id).execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The property's bundles with their items, oldest first.
    pub async fn bundles(&self, property: Uuid) -> Result<Vec<Bundle>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM promotion_bundles WHERE property_id = $1 ORDER BY created_at, id"
        );
        let mut bundles = on_pool!(&self.read, pool => sqlx::query_as::<_, Bundle>(&sql).bind(property).fetch_all(pool).await)?;
        let items: Vec<(Uuid, Uuid)> = on_pool!(&self.read, pool => sqlx::query_as(
            "SELECT i.bundle_id, i.promotion_id FROM promotion_bundle_items i
                JOIN promotion_bundles b ON b.id = i.bundle_id
             WHERE b.property_id = $1 ORDER BY i.bundle_id, i.position")
            .bind(property).fetch_all(pool).await)?;
        for bundle in &mut bundles {
            bundle.items = items
                .iter()
                .filter(|(b, _)| *b == bundle.id)
                .map(|(_, p)| *p)
                .collect();
        }
        Ok(bundles)
    }

    pub async fn bundle(&self, property: Uuid, id: Uuid) -> Result<Bundle, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM promotion_bundles WHERE property_id = $1 AND id = $2");
        let mut bundle = on_pool!(&self.read, pool => sqlx::query_as::<_, Bundle>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)?;
        let items: Vec<(Uuid,)> = on_pool!(&self.read, pool => sqlx::query_as(
            "SELECT promotion_id FROM promotion_bundle_items WHERE bundle_id = $1 ORDER BY position")
            .bind(id).fetch_all(pool).await)?;
        bundle.items = items.into_iter().map(|(p,)| p).collect();
        Ok(bundle)
    }

    /// Replaces a bundle's content and items. With `expected_version`, refuses
    /// ([`StoreError::Stale`]) when the stored version differs; the version goes up by one.
    pub async fn update_bundle(
        &self,
        b: &Bundle,
        expected_version: Option<i64>,
    ) -> Result<Bundle, StoreError> {
        let changed = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE promotion_bundles SET name = $3, enabled = $4, document = $5, updated_at = $6, version = version + 1
                 WHERE property_id = $1 AND id = $2 AND ($7 IS NULL OR version = $7)")
                .bind(b.property_id).bind(b.id).bind(&b.name).bind(b.enabled).bind(&b.document)
                .bind(b.updated_at).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                sqlx::query("DELETE FROM promotion_bundle_items WHERE bundle_id = $1")
                    .bind(b.id).execute(&mut *tx).await?;
                for (position, promotion) in b.items.iter().enumerate() {
                    sqlx::query("INSERT INTO promotion_bundle_items (bundle_id, position, promotion_id, property_id) VALUES ($1, $2, $3, $4)")
                        .bind(b.id).bind(position as i32).bind(promotion).bind(b.property_id).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Ok::<u64, StoreError>(changed)
        })?;
        updated(changed, || self.bundle(b.property_id, b.id), |b| b.version).await
    }

    /// Deletes a bundle (its promotions stay).
    pub async fn delete_bundle(&self, property: Uuid, id: Uuid) -> Result<Bundle, StoreError> {
        let existing = self.bundle(property, id).await?;
        let deleted = on_pool!(&self.write, pool => sqlx::query(
            "DELETE FROM promotion_bundles WHERE property_id = $1 AND id = $2")
            .bind(property).bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
