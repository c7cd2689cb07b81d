use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::StoreError;
use crate::backup::InUse;

/// This build's migrations, per engine.
pub(crate) static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATOR: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/postgres");

/// Runs the same code on whichever engine a pool belongs to: `$body` is compiled once per engine
/// with `$p` bound to that engine's pool, so one query string and one set of binds serve both.
#[macro_export]
#[doc(hidden)]
macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::pool::Pool::Sqlite($p) => $body,
            $crate::pool::Pool::Postgres($p) => $body,
        }
    };
}

#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// Row-lock clauses for a `SELECT` inside a write transaction. PostgreSQL needs them: under
    /// read committed, a row read without a lock may be deleted or changed before the reader
    /// commits. SQLite has no row locks and needs none: its one writer runs write transactions
    /// one after another.
    pub(crate) fn for_share(&self) -> &'static str {
        match self {
            Pool::Sqlite(_) => "",
            Pool::Postgres(_) => " FOR SHARE",
        }
    }

    pub(crate) fn for_update(&self) -> &'static str {
        match self {
            Pool::Sqlite(_) => "",
            Pool::Postgres(_) => " FOR UPDATE",
        }
    }

    /// For a queue: rows another transaction holds are passed over instead of waited for, so
    /// workers on several nodes take different rows. SQLite's one writer takes rows alone.
    pub(crate) fn skip_locked(&self) -> &'static str {
        match self {
            Pool::Sqlite(_) => "",
            Pool::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// Which storage engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Connections for reads (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    /// How long a request waits for a connection, or for SQLite's write lock, before it gives up.
    pub acquire_timeout: Duration,
}

impl StoreOptions {
    pub fn new(url: impl Into<String>) -> Self {
        StoreOptions {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// The storage of one wink-supplier deployment.
///
/// On SQLite, writes go through a pool of exactly one connection: SQLite allows one writer at a
/// time, and queueing writers in the pool (instead of letting them collide on the file lock)
/// keeps every write transaction free of `SQLITE_BUSY`. Reads use the other pool, concurrently
/// with the writer thanks to WAL. On PostgreSQL both are the same pool.
/// Rows sqlx's SQLite worker thread may hand over before the reading task takes them. At its
/// default (50) a read of a stay's 1,500 daily rates made the worker and the task wake each other
/// every few rows; measured on `sandbox/room/list` (see docs/benchmarks.md).
const ROW_BUFFER: usize = 4096;

#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) read: Pool,
    pub(crate) write: Pool,
    /// On SQLite, this process's shared use of the file (see [`crate::backup`]), held as long
    /// as any clone of the store lives.
    _in_use: Option<std::sync::Arc<InUse>>,
    /// Changes to authentication answers committed through this store (see
    /// [`crate::auth_revision`]).
    pub(crate) auth_changes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates the store at `options.url`.
    pub async fn open(options: &StoreOptions) -> Result<Store, StoreError> {
        let store = Store::connect(options).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the store without migrating it.
    pub async fn connect(options: &StoreOptions) -> Result<Store, StoreError> {
        let url = options.url.as_str();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url).map_err(StoreError::from)?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            let pool = Pool::Postgres(pool);
            Ok(Store {
                read: pool.clone(),
                write: pool,
                _in_use: None,
                auth_changes: Default::default(),
            })
        } else if url.starts_with("sqlite:") {
            // Before the first connection: a restore replacing the file refuses us, and we it.
            let in_use = match crate::backup::sqlite_file(url) {
                Some(file) => Some(std::sync::Arc::new(InUse::shared(&file)?)),
                None => None,
            };
            // FULL synchronous: an acknowledged write survives a power cut, not only a crash.
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(StoreError::from)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(options.acquire_timeout)
                .foreign_keys(true)
                .row_buffer_size(ROW_BUFFER);
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            Ok(Store {
                read: Pool::Sqlite(read),
                write: Pool::Sqlite(write),
                _in_use: in_use,
                auth_changes: Default::default(),
            })
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {url:?}: use sqlite://FILE or postgres://USER@HOST/DB"
            )))
        }
    }

    /// Applies the engine's pending migrations (safe to run from several nodes at once: sqlx
    /// takes a lock first).
    ///
    /// On SQLite they run with foreign keys OFF on the (one) write connection, then ON again:
    /// SQLite cannot add a constraint to a table, so a migration rebuilds the table (new table,
    /// copy, drop, rename), and with foreign keys on, dropping the old table would delete (and
    /// cascade to) every row that refers to it. Such a migration checks every foreign key itself
    /// before it commits (`pragma_foreign_key_check`), as SQLite's documented procedure does.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.write {
            Pool::Sqlite(p) => {
                let mut conn = p.acquire().await?;
                sqlx::query("PRAGMA foreign_keys = OFF")
                    .execute(&mut *conn)
                    .await?;
                let migrated = SQLITE_MIGRATOR.run(&mut *conn).await;
                // ON again whatever happened: the connection goes back to the pool.
                sqlx::query("PRAGMA foreign_keys = ON")
                    .execute(&mut *conn)
                    .await?;
                migrated?;
            }
            Pool::Postgres(p) => POSTGRES_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        match self.write {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Whether the database answers (the readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(&self.read, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        for pool in [&self.read, &self.write] {
            on_pool!(pool, p => p.close().await);
        }
    }

    /// Copies SQLite's write-ahead log into the database file and empties it
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), so the file alone holds every committed write: what a
    /// stopping server does before it closes, and what makes a copy of the bare file complete.
    /// The read connections are closed first (a reader's snapshot would keep the log in use).
    /// Answers whether the log was emptied (false when another process still reads or writes
    /// it). Nothing to do on PostgreSQL (true).
    pub async fn checkpoint_and_close(&self) -> Result<bool, StoreError> {
        let done = match (&self.read, &self.write) {
            (Pool::Sqlite(read), Pool::Sqlite(write)) => {
                read.close().await;
                let (busy, _log, _copied): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(write)
                        .await?;
                busy == 0
            }
            _ => true,
        };
        self.close().await;
        Ok(done)
    }

    /// Connections of each pool, for metrics: `(pool, in use, idle)`. SQLite has a `read` and a
    /// `write` pool (of one connection); PostgreSQL one pool, `all`.
    pub fn pool_usage(&self) -> Vec<(&'static str, u32, u32)> {
        fn usage<DB: sqlx::Database>(p: &sqlx::Pool<DB>) -> (u32, u32) {
            let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX);
            (p.size().saturating_sub(idle), idle)
        }
        match (&self.read, &self.write) {
            (Pool::Sqlite(read), Pool::Sqlite(write)) => {
                let (r_used, r_idle) = usage(read);
                let (w_used, w_idle) = usage(write);
                vec![("read", r_used, r_idle), ("write", w_used, w_idle)]
            }
            (_, Pool::Postgres(p)) | (Pool::Postgres(p), _) => {
                let (used, idle) = usage(p);
                vec![("all", used, idle)]
            }
        }
    }

    /// The size in bytes of SQLite's write-ahead log (`FILE-wal`; 0 when there is none), or
    /// `None` on PostgreSQL or an in-memory database.
    pub fn wal_bytes(&self) -> Option<u64> {
        let Pool::Sqlite(write) = &self.write else {
            return None;
        };
        let file = write.connect_options().get_filename().to_path_buf();
        if file.as_os_str().is_empty() || file.as_os_str() == ":memory:" {
            return None;
        }
        let mut wal = file.into_os_string();
        wal.push("-wal");
        Some(std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0))
    }
}
