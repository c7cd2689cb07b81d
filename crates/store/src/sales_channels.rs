//! Sales channels: a property (the supplier) sells to an owner, another account on this server.
//! One channel per owner per property, with the terms the property sets on it (enabled,
//! blacklisted, discount, commission) and the promotions and bundles it switched off there.
//!
//! Removing a channel that bookings point at keeps its row, marked `removed_at` (the bookings
//! stay whole and readable); it is then read by nothing but those bookings. A channel without
//! bookings is deleted. Creating a channel again for the same owner brings the removed one back,
//! with the default terms.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::error::updated;
use crate::{Amount, Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SalesChannel {
    pub id: Uuid,
    pub property_id: Uuid,
    pub owner_account_id: Uuid,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A channel with its terms and what its answers show of the property and the owner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SalesChannelView {
    pub id: Uuid,
    pub property_id: Uuid,
    pub property_name: String,
    pub owner_account_id: Uuid,
    pub owner_name: String,
    /// The owner's managing-entity type (the channel's `subType`).
    pub owner_entity_type: String,
    pub enabled: bool,
    pub blacklisted: bool,
    /// Fraction 0..1.
    pub percent_discount: Amount,
    /// Fraction 0..1.
    pub commission: Amount,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The terms a property sets on a channel. `promotions_off`/`bundles_off`: the promotions and
/// bundles switched off there, replaced when given, unchanged when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelTermsUpdate {
    pub enabled: bool,
    pub blacklisted: bool,
    pub percent_discount: Amount,
    pub commission: Amount,
    pub promotions_off: Option<Vec<Uuid>>,
    pub bundles_off: Option<Vec<Uuid>>,
}

/// What is switched off on channels: a promotion or a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferKind {
    Promotion,
    Bundle,
}

impl OfferKind {
    /// The table of what is switched off, and its column naming the promotion or bundle.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            OfferKind::Promotion => ("sales_channel_promotions_off", "promotion_id"),
            OfferKind::Bundle => ("sales_channel_bundles_off", "bundle_id"),
        }
    }
}

/// What a property switched off on one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwitchedOff {
    pub promotions: Vec<Uuid>,
    pub bundles: Vec<Uuid>,
}

const VIEW: &str = "SELECT c.id, c.property_id, p.name AS property_name, c.owner_account_id, a.name AS owner_name,
        a.entity_type AS owner_entity_type, c.enabled, c.blacklisted, c.percent_discount, c.commission,
        c.created_at, c.updated_at, c.version
     FROM sales_channels c JOIN properties p ON p.id = c.property_id JOIN accounts a ON a.id = c.owner_account_id";

impl Store {
    /// Stores a new channel and answers its id. A channel to the same owner that was removed
    /// comes back (same id, default terms, nothing switched off); one still there is a
    /// [`StoreError::Conflict`]. The owner must exist (checked by the caller, enforced here too).
    pub async fn create_sales_channel(&self, c: &SalesChannel) -> Result<Uuid, StoreError> {
        let id = on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let removed: Option<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM sales_channels
                 WHERE property_id = $1 AND owner_account_id = $2 AND removed_at IS NOT NULL")
                .bind(c.property_id).bind(c.owner_account_id).fetch_optional(&mut *tx).await?;
            let id = match removed {
                Some((id,)) => {
                    sqlx::query(
                        "UPDATE sales_channels SET removed_at = NULL, enabled = $2, blacklisted = FALSE,
                            percent_discount = $3, commission = $3, updated_at = $4, version = version + 1
                         WHERE id = $1")
                        .bind(id).bind(c.enabled).bind(Amount::default()).bind(c.updated_at)
                        .execute(&mut *tx).await?;
                    for kind in [OfferKind::Promotion, OfferKind::Bundle] {
                        let (table, _) = kind.table();
                        sqlx::query(&format!("DELETE FROM {table} WHERE sales_channel_id = $1"))
                            .bind(id).execute(&mut *tx).await?;
                    }
                    Some(id)
                }
                None => {
                    let inserted = sqlx::query(
                        "INSERT INTO sales_channels (id, property_id, owner_account_id, enabled, created_at, updated_at, version)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (property_id, owner_account_id) DO NOTHING")
                        .bind(c.id).bind(c.property_id).bind(c.owner_account_id).bind(c.enabled)
                        .bind(c.created_at).bind(c.updated_at).bind(c.version)
                        .execute(&mut *tx).await?.rows_affected();
                    (inserted == 1).then_some(c.id)
                }
            };
            tx.commit().await?;
            Ok::<Option<Uuid>, StoreError>(id)
        })?;
        id.ok_or_else(|| {
            StoreError::Conflict("the property already has a sales channel for this owner".into())
        })
    }

    /// The property's channels, oldest first (removed ones are not listed).
    pub async fn sales_channels(
        &self,
        property: Uuid,
    ) -> Result<Vec<SalesChannelView>, StoreError> {
        let sql = format!(
            "{VIEW} WHERE c.property_id = $1 AND c.removed_at IS NULL ORDER BY c.created_at, c.id"
        );
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).fetch_all(p).await)?,
        )
    }

    pub async fn sales_channel(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<SalesChannelView, StoreError> {
        let sql = format!("{VIEW} WHERE c.property_id = $1 AND c.id = $2 AND c.removed_at IS NULL");
        on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).bind(id).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// The property's channel to `owner`.
    pub async fn sales_channel_of_owner(
        &self,
        property: Uuid,
        owner: Uuid,
    ) -> Result<SalesChannelView, StoreError> {
        let sql = format!(
            "{VIEW} WHERE c.property_id = $1 AND c.owner_account_id = $2 AND c.removed_at IS NULL"
        );
        on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).bind(owner).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// What the property switched off on the channel.
    pub async fn switched_off(&self, channel: Uuid) -> Result<SwitchedOff, StoreError> {
        let ids = |kind: OfferKind| {
            let (table, column) = kind.table();
            format!("SELECT {column} FROM {table} WHERE sales_channel_id = $1 ORDER BY {column}")
        };
        let (promotions, bundles) = (ids(OfferKind::Promotion), ids(OfferKind::Bundle));
        let (promotions, bundles): (Vec<(Uuid,)>, Vec<(Uuid,)>) = on_pool!(&self.read, p => {
            let promotions = sqlx::query_as(&promotions).bind(channel).fetch_all(p).await?;
            let bundles = sqlx::query_as(&bundles).bind(channel).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((promotions, bundles))
        })?;
        Ok(SwitchedOff {
            promotions: promotions.into_iter().map(|(id,)| id).collect(),
            bundles: bundles.into_iter().map(|(id,)| id).collect(),
        })
    }

    /// The property's channels a promotion or bundle is switched off on.
    pub async fn channels_switched_off(
        &self,
        kind: OfferKind,
        offer: Uuid,
    ) -> Result<Vec<Uuid>, StoreError> {
        let (table, column) = kind.table();
        let sql = format!("SELECT sales_channel_id FROM {table} WHERE {column} = $1");
        let rows: Vec<(Uuid,)> =
            on_pool!(&self.read, p => sqlx::query_as(&sql).bind(offer).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Sets a channel's terms. With `expected_version`, refuses ([`StoreError::Stale`]) when the
    /// stored version differs; the version goes up by one.
    pub async fn update_sales_channel(
        &self,
        property: Uuid,
        id: Uuid,
        terms: &ChannelTermsUpdate,
        expected_version: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<SalesChannelView, StoreError> {
        let changed = on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let changed = sqlx::query(
                "UPDATE sales_channels SET enabled = $3, blacklisted = $4, percent_discount = $5,
                    commission = $6, updated_at = $7, version = version + 1
                 WHERE property_id = $1 AND id = $2 AND removed_at IS NULL
                    AND ($8 IS NULL OR version = $8)")
                .bind(property).bind(id).bind(terms.enabled).bind(terms.blacklisted)
                .bind(terms.percent_discount).bind(terms.commission).bind(now).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                for (kind, off) in [
                    (OfferKind::Promotion, &terms.promotions_off),
                    (OfferKind::Bundle, &terms.bundles_off),
                ] {
                    let Some(off) = off else { continue };
                    let (table, column) = kind.table();
                    sqlx::query(&format!("DELETE FROM {table} WHERE sales_channel_id = $1"))
                        .bind(id).execute(&mut *tx).await?;
                    for offer in off {
                        sqlx::query(&format!(
                            "INSERT INTO {table} (sales_channel_id, {column}) VALUES ($1, $2)"))
                            .bind(id).bind(offer).execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
            Ok::<u64, StoreError>(changed)
        })?;
        updated(changed, || self.sales_channel(property, id), |c| c.version).await
    }

    /// Switches a promotion or bundle on or off on channels of the property, in one
    /// transaction: `toggles` are (channel, applies there). A channel whose setting changes
    /// goes up one version. Every channel must be the property's (else
    /// [`StoreError::NotFound`], and nothing changes).
    pub async fn toggle_on_channels(
        &self,
        property: Uuid,
        kind: OfferKind,
        offer: Uuid,
        toggles: &[(Uuid, bool)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (table, column) = kind.table();
        on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            for (channel, applies) in toggles {
                let ours: Option<(Uuid,)> = sqlx::query_as(
                    "SELECT id FROM sales_channels WHERE property_id = $1 AND id = $2 AND removed_at IS NULL")
                    .bind(property).bind(channel).fetch_optional(&mut *tx).await?;
                if ours.is_none() {
                    return Err(StoreError::NotFound);
                }
                let changed = if *applies {
                    sqlx::query(&format!(
                        "DELETE FROM {table} WHERE sales_channel_id = $1 AND {column} = $2"))
                        .bind(channel).bind(offer).execute(&mut *tx).await?.rows_affected()
                } else {
                    sqlx::query(&format!(
                        "INSERT INTO {table} (sales_channel_id, {column}) VALUES ($1, $2)
                         ON CONFLICT DO NOTHING"))
                        .bind(channel).bind(offer).execute(&mut *tx).await?.rows_affected()
                };
                if changed > 0 {
                    sqlx::query(
                        "UPDATE sales_channels SET updated_at = $2, version = version + 1 WHERE id = $1")
                        .bind(channel).bind(now).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(())
    }

    /// Removes a channel and answers it as it was: marked removed when bookings point at it
    /// (they keep it), deleted otherwise (with what was switched off on it).
    pub async fn remove_sales_channel(
        &self,
        property: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<SalesChannelView, StoreError> {
        let existing = self.sales_channel(property, id).await?;
        let removed = on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let booked: Option<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM bookings WHERE sales_channel_id = $1 LIMIT 1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let n = if booked.is_some() {
                sqlx::query(
                    "UPDATE sales_channels SET removed_at = $3, enabled = FALSE, updated_at = $3,
                        version = version + 1
                     WHERE property_id = $1 AND id = $2 AND removed_at IS NULL")
                    .bind(property).bind(id).bind(now).execute(&mut *tx).await?.rows_affected()
            } else {
                sqlx::query("DELETE FROM sales_channels WHERE property_id = $1 AND id = $2 AND removed_at IS NULL")
                    .bind(property).bind(id).execute(&mut *tx).await?.rows_affected()
            };
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
