//! Media files and the property's own media (migration 0020).
//!
//! A file's bytes live in object storage (the API's `media::storage`), written before the row
//! here; the row is written with what references it, in one transaction. A file is referenced
//! by a `property_media` row (`file_id`) or by an inventory item's or room type's document that
//! names its id (their `multimedias` carry the file's URL, which holds the id): a duplicated room
//! type shares its files without any bookkeeping. [`Store::forget_media_file`] deletes a row only
//! when nothing refers to it, in one statement, so a reference written at the same time keeps it.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

/// One stored file.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct MediaFile {
    pub id: Uuid,
    pub property_id: Uuid,
    /// What its bytes are (`wink_domain::media::MediaType::as_str`).
    pub media_type: String,
    pub byte_size: i64,
    pub width: i64,
    pub height: i64,
    /// The file name the client sent (kept for the record, never trusted).
    pub original_name: String,
    pub created_at: DateTime<Utc>,
}

/// The two places a property's own media appear in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The property's gallery (the contract's Media operations).
    Gallery,
    /// The general manager's profile picture (at most one).
    GeneralManager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Gallery => "GALLERY",
            Role::GeneralManager => "GENERAL_MANAGER",
        }
    }
}

/// One medium of the property: its SimpleMultimedia as answered (`document`), the file it shows
/// (none for a reference the client wrote itself).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct PropertyMedia {
    pub id: Uuid,
    pub property_id: Uuid,
    pub role: String,
    pub file_id: Option<Uuid>,
    pub sort: i64,
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const FILE_COLUMNS: &str =
    "id, property_id, media_type, byte_size, width, height, original_name, created_at";
const MEDIA_COLUMNS: &str =
    "id, property_id, role, file_id, sort, document, created_at, updated_at";

/// Nothing refers to the file `$1` (whose id as text is `$2`, a LIKE pattern).
const UNREFERENCED: &str = "NOT EXISTS (SELECT 1 FROM property_media WHERE file_id = $1)
     AND NOT EXISTS (SELECT 1 FROM inventory_items WHERE CAST(document AS TEXT) LIKE $2)
     AND NOT EXISTS (SELECT 1 FROM room_types WHERE CAST(document AS TEXT) LIKE $2)";

fn pattern(id: Uuid) -> String {
    format!("%{}%", id.hyphenated())
}

/// A change to a property's media.
#[derive(Debug, Clone, Default)]
pub struct MediaChange {
    /// Files written to storage for this change, to record (and reference) now.
    pub new_files: Vec<MediaFile>,
    /// Media to insert.
    pub insert: Vec<PropertyMedia>,
    /// Media to replace (same id): sort, document, file.
    pub update: Vec<PropertyMedia>,
    /// Media to delete (ids not found are ignored: see [`MediaOutcome::missing`]).
    pub delete: Vec<Uuid>,
    /// Delete every medium of this role first (a replaced list, a new profile picture).
    pub clear: Option<Role>,
}

/// What a [`MediaChange`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaOutcome {
    /// Files the deleted or replaced media showed: candidates for [`Store::forget_media_file`].
    pub released: Vec<Uuid>,
    /// Ids in `delete` or `update` that were not the property's.
    pub missing: Vec<Uuid>,
}

impl Store {
    /// Applies `change` to `property`'s media in one transaction, and moves the property's
    /// version and `updated_at` on. A file of another property cannot be referenced (NotFound).
    pub async fn change_property_media(
        &self,
        property: Uuid,
        change: &MediaChange,
        now: DateTime<Utc>,
    ) -> Result<MediaOutcome, StoreError> {
        let mut outcome = MediaOutcome::default();
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query("UPDATE properties SET version = version + 1, updated_at = $2 WHERE id = $1")
                .bind(property).bind(now).execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                return Err(StoreError::NotFound);
            }
            for f in &change.new_files {
                sqlx::query(&format!("INSERT INTO media_files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                    .bind(f.id).bind(f.property_id).bind(&f.media_type).bind(f.byte_size).bind(f.width)
                    .bind(f.height).bind(&f.original_name).bind(f.created_at)
                    .execute(&mut *tx).await?;
            }
            if let Some(role) = change.clear {
                let gone: Vec<(Option<Uuid>,)> = sqlx::query_as("SELECT file_id FROM property_media WHERE property_id = $1 AND role = $2")
                    .bind(property).bind(role.as_str()).fetch_all(&mut *tx).await?;
                outcome.released.extend(gone.into_iter().filter_map(|(f,)| f));
                sqlx::query("DELETE FROM property_media WHERE property_id = $1 AND role = $2")
                    .bind(property).bind(role.as_str()).execute(&mut *tx).await?;
            }
            for id in &change.delete {
                let gone: Option<(Option<Uuid>,)> = sqlx::query_as("SELECT file_id FROM property_media WHERE property_id = $1 AND id = $2")
                    .bind(property).bind(id).fetch_optional(&mut *tx).await?;
                match gone {
                    None => outcome.missing.push(*id),
                    Some((file,)) => {
                        outcome.released.extend(file);
                        sqlx::query("DELETE FROM property_media WHERE property_id = $1 AND id = $2")
                            .bind(property).bind(id).execute(&mut *tx).await?;
                    }
                }
            }
            for m in change.insert.iter().chain(&change.update) {
                if let Some(file) = m.file_id {
                    let owner: Option<(Uuid,)> = sqlx::query_as("SELECT property_id FROM media_files WHERE id = $1")
                        .bind(file).fetch_optional(&mut *tx).await?;
                    if owner.map(|(p,)| p) != Some(property) {
                        return Err(StoreError::NotFound);
                    }
                }
            }
            for m in &change.update {
                let old: Option<(Option<Uuid>,)> = sqlx::query_as("SELECT file_id FROM property_media WHERE property_id = $1 AND id = $2")
                    .bind(property).bind(m.id).fetch_optional(&mut *tx).await?;
                let Some((old,)) = old else {
                    outcome.missing.push(m.id);
                    continue;
                };
                if old != m.file_id {
                    outcome.released.extend(old);
                }
                sqlx::query("UPDATE property_media SET file_id = $3, sort = $4, document = $5, updated_at = $6 WHERE property_id = $1 AND id = $2")
                    .bind(property).bind(m.id).bind(m.file_id).bind(m.sort).bind(&m.document).bind(now)
                    .execute(&mut *tx).await?;
            }
            for m in &change.insert {
                sqlx::query(&format!("INSERT INTO property_media ({MEDIA_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                    .bind(m.id).bind(property).bind(&m.role).bind(m.file_id).bind(m.sort).bind(&m.document)
                    .bind(m.created_at).bind(m.updated_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(outcome)
    }

    /// The property's media of `role`, by `sort` then age.
    pub async fn property_media(
        &self,
        property: Uuid,
        role: Role,
    ) -> Result<Vec<PropertyMedia>, StoreError> {
        let sql = format!(
            "SELECT {MEDIA_COLUMNS} FROM property_media WHERE property_id = $1 AND role = $2 ORDER BY sort, created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, PropertyMedia>(&sql)
            .bind(property).bind(role.as_str()).fetch_all(pool).await)?,
        )
    }

    /// A stored file, whoever owns it (files are public once referenced).
    pub async fn media_file(&self, id: Uuid) -> Result<MediaFile, StoreError> {
        let sql = format!("SELECT {FILE_COLUMNS} FROM media_files WHERE id = $1");
        on_pool!(&self.read, pool => sqlx::query_as::<_, MediaFile>(&sql).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Records files written to storage (in one transaction).
    pub async fn record_media_files(&self, files: &[MediaFile]) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            for f in files {
                sqlx::query(&format!("INSERT INTO media_files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                    .bind(f.id).bind(f.property_id).bind(&f.media_type).bind(f.byte_size).bind(f.width)
                    .bind(f.height).bind(&f.original_name).bind(f.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Deletes the file's row if nothing refers to it (one statement); true when it did, and the
    /// caller then deletes the object.
    pub async fn forget_media_file(&self, id: Uuid) -> Result<bool, StoreError> {
        let sql = format!("DELETE FROM media_files WHERE id = $1 AND {UNREFERENCED}");
        let n = on_pool!(&self.write, pool => sqlx::query(&sql).bind(id).bind(pattern(id))
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Files recorded before `before` that nothing refers to (for the sweep).
    pub async fn unreferenced_media_files(
        &self,
        before: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, StoreError> {
        let ids: Vec<(Uuid,)> = on_pool!(&self.read, pool => sqlx::query_as(
            "SELECT id FROM media_files WHERE created_at < $1 ORDER BY created_at")
            .bind(before).fetch_all(pool).await)?;
        let mut out = Vec::new();
        for (id,) in ids {
            let sql = format!("SELECT 1 WHERE {UNREFERENCED}");
            let row: Option<(i32,)> = on_pool!(&self.read, pool => sqlx::query_as(&sql)
                .bind(id).bind(pattern(id)).fetch_optional(pool).await)?;
            if row.is_some() {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Whether a file row exists (the sweep keeps objects that have one).
    pub async fn media_file_exists(&self, id: Uuid) -> Result<bool, StoreError> {
        let row: Option<(i32,)> = on_pool!(&self.read, pool => sqlx::query_as(
            "SELECT 1 FROM media_files WHERE id = $1").bind(id).fetch_optional(pool).await)?;
        Ok(row.is_some())
    }
}

/// Where an item's `multimedias` live: an inventory item of a kind, or a room type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemRef {
    Inventory(crate::inventory::Kind, Uuid),
    RoomType(Uuid),
}

impl Store {
    /// Records `files` and edits the item's document with `edit`, in one transaction (the item
    /// locked meanwhile); the item's version goes up by one. `edit` refusing (`Err`) rolls it all
    /// back and is answered as `Ok(Err(..))`. NotFound when the item is not the property's.
    pub async fn change_item_media<E>(
        &self,
        property: Uuid,
        item: ItemRef,
        files: &[MediaFile],
        now: DateTime<Utc>,
        edit: impl FnOnce(&mut Value) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        let (table, kind, id) = match item {
            ItemRef::Inventory(kind, id) => ("inventory_items", Some(kind.as_str()), id),
            ItemRef::RoomType(id) => ("room_types", None, id),
        };
        let filter = if kind.is_some() {
            "property_id = $1 AND id = $2 AND kind = $3"
        } else {
            "property_id = $1 AND id = $2 AND $3 IS NULL"
        };
        let lock = self.write.for_update();
        let select = format!("SELECT document FROM {table} WHERE {filter}{lock}");
        let update = format!(
            "UPDATE {table} SET document = $4, updated_at = $5, version = version + 1 WHERE {filter}"
        );
        let outcome = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<(Json<Value>,)> = sqlx::query_as(&select)
                .bind(property).bind(id).bind(kind).fetch_optional(&mut *tx).await?;
            let Some((Json(mut document),)) = row else {
                return Err(StoreError::NotFound);
            };
            match edit(&mut document) {
                Err(refused) => Ok::<_, sqlx::Error>(Err(refused)),
                Ok(()) => {
                    for f in files {
                        sqlx::query(&format!("INSERT INTO media_files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                            .bind(f.id).bind(f.property_id).bind(&f.media_type).bind(f.byte_size).bind(f.width)
                            .bind(f.height).bind(&f.original_name).bind(f.created_at)
                            .execute(&mut *tx).await?;
                    }
                    sqlx::query(&update)
                        .bind(property).bind(id).bind(kind).bind(Json(&document)).bind(now)
                        .execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok(Ok(()))
                }
            }
        })?;
        Ok(outcome)
    }
}
