//! Media the server keeps and serves (issue 11): where files live ([`storage`]), how uploads are
//! read, typed and streamed there ([`upload`]), how they are served ([`serve`]), and how files
//! nothing refers to any more are deleted ([`release`], [`sweep`]). Also the cover card the server
//! draws itself ([`cover`]). The operations that attach media to the property and its items are
//! in their areas (`property::media`, ...); these routes take no token.

mod cover;
pub mod serve;
pub mod storage;
pub mod upload;

use axum::Router;
use axum::routing::get;
use uuid::Uuid;

pub use cover::{cover_url, svg};
pub use storage::{MediaConfig, MediaStorage};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/media/property/{id}/cover.svg", get(cover::cover))
        .route("/media/files/{name}", get(serve::file))
}

/// After a change that dropped references to `files`: deletes each one nothing refers to any
/// more (its row, then its object). Failures are logged, never the caller's: the sweep retries.
pub async fn release(state: &AppState, files: &[Uuid]) {
    for &id in files {
        match state.store.forget_media_file(id).await {
            Ok(true) => {
                if let Err(e) = state.media.delete(id).await {
                    tracing::warn!(file = %id, error = %e, "deleting a released media file failed; the sweep will");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(file = %id, error = %e, "releasing a media file failed"),
        }
    }
}

/// What a sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    /// Files recorded but referenced by nothing, deleted (row and object).
    pub unreferenced: usize,
    /// Objects with no row (a crash between storage and database), deleted.
    pub orphans: usize,
}

/// Deletes what nothing refers to: recorded files without references, and objects without a
/// row, in both cases older than `before` (an upload in progress has written its object but not
/// yet its row: give it time).
pub async fn sweep(
    store: &wink_store::Store,
    media: &MediaStorage,
    before: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Swept> {
    let mut swept = Swept::default();
    for id in store.unreferenced_media_files(before).await? {
        if store.forget_media_file(id).await? {
            media.delete(id).await?;
            swept.unreferenced += 1;
        }
    }
    for object in media.list().await? {
        if object.last_modified < before && !store.media_file_exists(object.id).await? {
            media.delete(object.id).await?;
            swept.orphans += 1;
        }
    }
    Ok(swept)
}
