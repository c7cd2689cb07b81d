//! Where media files' bytes live: one interface ([`MediaStorage`], over the `object_store`
//! crate) for both backends, a folder under the data directory (default, nothing to install) or
//! an S3-compatible bucket (when several nodes share PostgreSQL, none of them may keep a file on
//! its own disk). Each file is the object `files/<id>`; nothing else is stored.
//!
//! Writes are streamed as multipart uploads of [`MediaStorage::part_bytes`] parts with at most
//! one part in flight besides the one being filled, so an upload holds about two parts in memory
//! whatever its size (S3 needs parts of 5 MiB at least; the folder backend uses 1 MiB). An upload
//! that is not finished is aborted: nothing of it remains.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, WriteMultipart};
use serde::Deserialize;
use uuid::Uuid;

/// `[media]` of the configuration file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// `local` (a folder) or `s3` (an S3-compatible bucket).
    pub backend: Backend,
    /// The folder of the `local` backend (unset: `media/` beside the SQLite database file, or
    /// `data/media`).
    pub directory: Option<PathBuf>,
    /// The S3 endpoint (e.g. `http://127.0.0.1:9000` for a self-hosted server; unset: AWS).
    /// Credentials come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`), never from this file.
    pub endpoint: Option<String>,
    pub bucket: Option<String>,
    pub region: Option<String>,
    /// Largest file accepted, in bytes (a larger one: 413).
    pub max_file_bytes: u64,
    /// Largest upload request, in bytes (all its files together; a larger one: 413).
    pub max_request_bytes: u64,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    #[default]
    Local,
    S3,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            backend: Backend::Local,
            directory: None,
            endpoint: None,
            bucket: None,
            region: None,
            max_file_bytes: 256 * 1024 * 1024,
            max_request_bytes: 512 * 1024 * 1024,
        }
    }
}

/// The object store the media files are kept in.
#[derive(Debug, Clone)]
pub struct MediaStorage {
    objects: Arc<dyn ObjectStore>,
    part_bytes: usize,
}

/// An object of the store, as the sweep sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    pub id: Uuid,
    pub last_modified: DateTime<Utc>,
    pub size: u64,
}

impl MediaStorage {
    /// Opens the configured backend (the folder is created if missing).
    pub fn open(config: &MediaConfig) -> anyhow::Result<MediaStorage> {
        match config.backend {
            Backend::Local => {
                let directory = config
                    .directory
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("data/media"));
                std::fs::create_dir_all(&directory)
                    .map_err(|e| anyhow::anyhow!("media folder {}: {e}", directory.display()))?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(&directory)?;
                Ok(MediaStorage {
                    objects: Arc::new(local),
                    part_bytes: 1024 * 1024,
                })
            }
            Backend::S3 => {
                let bucket = config
                    .bucket
                    .as_deref()
                    .ok_or_else(|| anyhow::anyhow!("[media] backend = \"s3\" needs a bucket"))?;
                let mut builder = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_region(config.region.as_deref().unwrap_or("us-east-1"));
                if let Some(endpoint) = &config.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        // Self-hosted servers answer at <endpoint>/<bucket>.
                        .with_virtual_hosted_style_request(false);
                }
                Ok(MediaStorage {
                    objects: Arc::new(builder.build()?),
                    part_bytes: 5 * 1024 * 1024,
                })
            }
        }
    }

    /// The bytes of a multipart part (also about half of an upload's memory).
    pub fn part_bytes(&self) -> usize {
        self.part_bytes
    }

    fn key(id: Uuid) -> ObjectPath {
        ObjectPath::from(format!("files/{id}"))
    }

    /// Starts writing the object of file `id`.
    pub async fn writer(&self, id: Uuid) -> Result<ObjectWriter, object_store::Error> {
        let upload = self.objects.put_multipart(&Self::key(id)).await?;
        Ok(ObjectWriter {
            inner: WriteMultipart::new_with_chunk_size(upload, self.part_bytes),
        })
    }

    /// The object's bytes (`range`: only those), as a stream.
    pub async fn read(
        &self,
        id: Uuid,
        range: Option<Range<u64>>,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..Default::default()
        };
        Ok(self
            .objects
            .get_opts(&Self::key(id), options)
            .await?
            .into_stream())
    }

    /// Deletes the object (one already gone is not an error).
    pub async fn delete(&self, id: Uuid) -> Result<(), object_store::Error> {
        match self.objects.delete(&Self::key(id)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Every file object (others under the store are ignored).
    pub async fn list(&self) -> Result<Vec<StoredObject>, object_store::Error> {
        let prefix = ObjectPath::from("files");
        let mut listing = self.objects.list(Some(&prefix));
        let mut out = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            let Some(id) = meta
                .location
                .filename()
                .and_then(|name| Uuid::parse_str(name).ok())
            else {
                continue;
            };
            out.push(StoredObject {
                id,
                last_modified: meta.last_modified,
                size: meta.size,
            });
        }
        Ok(out)
    }
}

/// An object being written; [`ObjectWriter::finish`] makes it visible, [`ObjectWriter::abort`]
/// (or an error) leaves nothing.
pub struct ObjectWriter {
    inner: WriteMultipart,
}

impl ObjectWriter {
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), object_store::Error> {
        // One part uploading while the next fills: memory stays at about two parts.
        self.inner.wait_for_capacity(1).await?;
        self.inner.write(bytes);
        Ok(())
    }

    pub async fn finish(self) -> Result<(), object_store::Error> {
        self.inner.finish().await.map(|_| ())
    }

    pub async fn abort(self) {
        if let Err(e) = self.inner.abort().await {
            tracing::warn!(error = %e, "aborting a media upload failed; the sweep removes what is left");
        }
    }
}
