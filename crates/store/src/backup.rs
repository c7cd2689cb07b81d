//! Backups of an SQLite store, taken while a server runs, and their restore.
//!
//! A backup is `VACUUM INTO` a new file: one read transaction, so the copy is the database as it
//! was at one instant (a booking committed after it started is not in it, one committed before is
//! whole: booking, nights and sold counts together), and it never blocks the server's writer. It
//! is written under a temporary name, synced, then linked to its name, which must not exist.
//!
//! Who uses a database is told by an advisory lock on a file beside it (`FILE-lock`): every
//! process that opens the store (the server for its lifetime, the administration commands while
//! they run, a backup) holds a shared lock; a restore (and the copy to PostgreSQL) takes it
//! exclusively, so it is refused while any of them runs, and a server cannot start while a
//! restore replaces the file. The operating system drops the lock when its holder exits, however
//! it exits, so a crashed server never leaves the database "in use".
//!
//! PostgreSQL has its own tools for both (`pg_dump`, `pg_restore`; see the README).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};

use crate::StoreError;
use crate::pool::SQLITE_MIGRATOR;

/// The file whose lock says who uses the database at `database`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

/// The file of an `sqlite:` URL; `None` for another engine or an in-memory database.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

/// A process's use of a database file, held until dropped (or the process ends).
#[derive(Debug)]
pub struct InUse {
    _file: File,
}

impl InUse {
    /// Shared use (a server, a command, a backup): refused only while a restore holds the file.
    pub fn shared(database: &Path) -> Result<InUse, StoreError> {
        let file = open_lock(database)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(InUse { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Conflict(format!(
                "{} is being restored or copied (its lock {} is held); try again when that is done",
                database.display(),
                lock_path(database).display()
            ))),
            Err(TryLockError::Error(e)) => Err(io(&lock_path(database), e)),
        }
    }

    /// Sole use (a restore, a copy): refused while any other process uses the database.
    pub fn exclusive(database: &Path) -> Result<InUse, StoreError> {
        let file = open_lock(database)?;
        match file.try_lock() {
            Ok(()) => Ok(InUse { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Conflict(format!(
                "{} is in use by another wink-supplier process (a running server, or a command); \
                 stop it first",
                database.display()
            ))),
            Err(TryLockError::Error(e)) => Err(io(&lock_path(database), e)),
        }
    }
}

fn open_lock(database: &Path) -> Result<File, StoreError> {
    let path = lock_path(database);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io(&path, e))
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Config(format!("{}: {e}", path.display()))
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    /// The last migration applied to the copy.
    pub migration: i64,
    pub elapsed: Duration,
}

/// Copies the SQLite database of `url` to `target` (which must not exist), consistently, while
/// other processes keep using it.
pub async fn backup(url: &str, target: &Path) -> Result<BackupReport, StoreError> {
    let started = Instant::now();
    let database = sqlite_file(url).ok_or_else(|| {
        StoreError::Config(
            "backup copies an SQLite database; for PostgreSQL use pg_dump (see the README)".into(),
        )
    })?;
    if !database.exists() {
        return Err(StoreError::Config(format!(
            "there is no database at {}",
            database.display()
        )));
    }
    if target.exists() {
        return Err(StoreError::Config(format!(
            "{} exists; a backup never overwrites a file",
            target.display()
        )));
    }
    let _use = InUse::shared(&database)?;
    let partial = sibling(target, &format!(".partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let written = async {
        let mut conn = SqliteConnectOptions::new()
            .filename(&database)
            .busy_timeout(Duration::from_secs(30))
            .connect()
            .await?;
        sqlx::query("VACUUM INTO ?")
            .bind(partial.to_string_lossy().into_owned())
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(&partial, e))?;
        // A hard link fails if the target appeared meanwhile: never overwrite. Where the file
        // system has no hard links, a rename after one more look.
        match std::fs::hard_link(&partial, target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists || target.exists() => {
                return Err(io(target, e));
            }
            Err(_) => std::fs::rename(&partial, target).map_err(|e| io(target, e))?,
        }
        Ok::<(), StoreError>(())
    }
    .await;
    let _ = std::fs::remove_file(&partial);
    written?;
    sync_dir(target);
    let migration = check(target).await?;
    let bytes = std::fs::metadata(target).map_err(|e| io(target, e))?.len();
    Ok(BackupReport {
        file: target.to_path_buf(),
        bytes,
        migration,
        elapsed: started.elapsed(),
    })
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub database: PathBuf,
    /// Where the database it replaced was moved (none when there was none).
    pub replaced: Option<PathBuf>,
    /// The backup's last migration; the server applies newer ones when it starts.
    pub migration: i64,
}

/// Replaces the SQLite database of `url` by the backup `source`, after checking that `source` is
/// a wink-supplier database this build can serve; refused while any process uses the database.
/// The database it replaces is kept beside it as `FILE.replaced-TIMESTAMP`.
pub async fn restore(
    url: &str,
    source: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RestoreReport, StoreError> {
    let database = sqlite_file(url).ok_or_else(|| {
        StoreError::Config(
            "restore replaces an SQLite database; for PostgreSQL use pg_restore (see the README)"
                .into(),
        )
    })?;
    let migration = check(source).await?;
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let _sole = InUse::exclusive(&database)?;
    let incoming = sibling(&database, &format!(".restoring-{}", std::process::id()));
    std::fs::copy(source, &incoming).map_err(|e| io(&incoming, e))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(&incoming, e))?;
    let replaced = if database.exists() {
        let kept = sibling(
            &database,
            &format!(".replaced-{}", now.format("%Y%m%dT%H%M%SZ")),
        );
        std::fs::rename(&database, &kept).map_err(|e| io(&database, e))?;
        // A WAL left by a crash holds committed writes: it goes with its database.
        let wal = sibling(&database, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, sibling(&kept, "-wal")).map_err(|e| io(&wal, e))?;
        }
        let _ = std::fs::remove_file(sibling(&database, "-shm"));
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, &database).map_err(|e| io(&database, e))?;
    sync_dir(&database);
    Ok(RestoreReport {
        database,
        replaced,
        migration,
    })
}

/// Checks that `file` is an intact wink-supplier SQLite database whose migrations are all this
/// build's (so it can serve it, applying any newer ones); answers its last migration.
pub async fn check(file: &Path) -> Result<i64, StoreError> {
    let not_ours = |why: String| {
        StoreError::Config(format!(
            "{} is not a wink-supplier database this build can serve: {why}",
            file.display()
        ))
    };
    if !file.is_file() {
        return Err(not_ours("no such file".into()));
    }
    // Immutable: nothing is written to the file, not even a WAL index.
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    if verdict != "ok" {
        return Err(not_ours(format!("integrity check: {verdict}")));
    }
    let applied = sqlx::query("SELECT version, checksum, success FROM _sqlx_migrations")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| not_ours("it has no migration history".into()))?;
    let _ = conn.close().await;
    let applied = applied
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<i64, _>(0)?,
                r.try_get::<Vec<u8>, _>(1)?,
                r.try_get::<bool, _>(2)?,
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    migration_level(&SQLITE_MIGRATOR, &applied).map_err(not_ours)
}

/// The last of `applied` (version, checksum, success) if every one is `migrator`'s own.
pub(crate) fn migration_level(
    migrator: &Migrator,
    applied: &[(i64, Vec<u8>, bool)],
) -> Result<i64, String> {
    let first = migrator.iter().next().map(|m| m.version);
    if first.is_none() || !applied.iter().any(|(v, _, _)| Some(*v) == first) {
        return Err("it lacks wink-supplier's first migration".into());
    }
    let mut level = 0;
    for (version, checksum, success) in applied {
        let Some(ours) = migrator.iter().find(|m| m.version == *version) else {
            return Err(format!(
                "migration {version} is unknown to this build (made by a newer wink-supplier?)"
            ));
        };
        if ours.checksum.as_ref() != checksum.as_slice() {
            return Err(format!("migration {version} differs from this build's"));
        }
        if !success {
            return Err(format!("migration {version} did not complete"));
        }
        level = level.max(*version);
    }
    Ok(level)
}

/// `path` with `suffix` appended to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes a rename or a new name in `path`'s folder durable (best effort: not every platform
/// can open a folder).
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(version: i64) -> (i64, Vec<u8>, bool) {
        let m = SQLITE_MIGRATOR
            .iter()
            .find(|m| m.version == version)
            .unwrap();
        (version, m.checksum.to_vec(), true)
    }

    #[test]
    fn a_history_of_our_migrations_is_served_at_its_level() {
        assert_eq!(
            migration_level(&SQLITE_MIGRATOR, &[ours(1), ours(2)]),
            Ok(2)
        );
    }

    #[test]
    fn other_histories_are_refused() {
        let newer = (i64::MAX, vec![0; 48], true);
        let err = migration_level(&SQLITE_MIGRATOR, &[ours(1), newer]).unwrap_err();
        assert!(err.contains("unknown to this build"), "{err}");
        let mut changed = ours(2);
        changed.1[0] ^= 1;
        let err = migration_level(&SQLITE_MIGRATOR, &[ours(1), changed]).unwrap_err();
        assert!(err.contains("differs"), "{err}");
        let mut failed = ours(2);
        failed.2 = false;
        let err = migration_level(&SQLITE_MIGRATOR, &[ours(1), failed]).unwrap_err();
        assert!(err.contains("did not complete"), "{err}");
        let err = migration_level(&SQLITE_MIGRATOR, &[ours(2)]).unwrap_err();
        assert!(err.contains("first migration"), "{err}");
    }

    #[test]
    fn the_lock_sits_beside_the_database() {
        assert_eq!(
            sqlite_file("sqlite://data/wink-supplier.db?mode=rwc"),
            Some(PathBuf::from("data/wink-supplier.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/wink"), None);
        assert_eq!(
            lock_path(Path::new("data/wink-supplier.db")),
            PathBuf::from("data/wink-supplier.db-lock")
        );
    }

    #[test]
    fn a_shared_use_and_a_sole_use_exclude_each_other() {
        let db = std::env::temp_dir().join(format!("wink-lock-{}.db", std::process::id()));
        let shared = InUse::shared(&db).unwrap();
        let also = InUse::shared(&db).unwrap();
        assert!(matches!(
            InUse::exclusive(&db),
            Err(StoreError::Conflict(_))
        ));
        drop((shared, also));
        let sole = InUse::exclusive(&db).unwrap();
        assert!(matches!(InUse::shared(&db), Err(StoreError::Conflict(_))));
        drop(sole);
        let _ = std::fs::remove_file(lock_path(&db));
    }
}
