use sqlx::error::ErrorKind;

/// What went wrong in storage, in terms the API can answer with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row (or not one the caller may see).
    #[error("not found")]
    NotFound,
    /// The write named a version that is no longer the stored one.
    #[error("stale version: the resource is at version {current}")]
    Stale { current: i64 },
    /// The write contradicts stored data: a duplicate, a row still referenced, nothing left.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database could not be reached or was too busy; the request may be retried.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The store was configured wrongly (bad URL).
    #[error("storage configuration: {0}")]
    Config(String),
    /// Anything else: a bug or a corrupt row.
    #[error("storage error: {0}")]
    Internal(String),
}

/// The answer to a conditional update (`… AND ($n IS NULL OR version = $n)`) that changed
/// `changed` rows: the row as it now is, read back with `read`; when nothing changed, `NotFound`
/// if the row is gone, else `Stale` with the version it is at (`version` reads it).
pub(crate) async fn updated<T, Fut>(
    changed: u64,
    read: impl FnOnce() -> Fut,
    version: impl FnOnce(&T) -> i64,
) -> Result<T, StoreError>
where
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let current = read().await?;
    if changed == 0 {
        return Err(StoreError::Stale {
            current: version(&current),
        });
    }
    Ok(current)
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => {
                    StoreError::Conflict("a resource with these values already exists".into())
                }
                ErrorKind::ForeignKeyViolation => StoreError::Conflict(
                    "the resource is referenced by, or refers to, another one".into(),
                ),
                ErrorKind::CheckViolation => {
                    StoreError::Conflict("the change would break a stored invariant".into())
                }
                _ if is_retryable(db.code().as_deref()) => {
                    StoreError::Unavailable(db.message().to_string())
                }
                _ => StoreError::Internal(e.to_string()),
            },
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
            sqlx::Error::Configuration(_) => StoreError::Config(e.to_string()),
            _ => StoreError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Internal(format!("migration failed: {e}"))
    }
}

/// SQLite busy/locked (5, 6 and their extended codes) and PostgreSQL serialization failures and
/// deadlocks (40001, 40P01): nothing is wrong with the request, it met contention.
fn is_retryable(code: Option<&str>) -> bool {
    match code {
        Some(c) => matches!(
            c,
            "40001" | "40P01" | "5" | "6" | "261" | "262" | "517" | "773"
        ),
        None => false,
    }
}
