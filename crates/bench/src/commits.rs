//! The second ceiling: how many small transactions SQLite itself commits per second on this
//! machine's disk, with the server's settings (WAL, `synchronous=FULL`) and nothing else: no
//! HTTP, no pool, one connection, one insert and one update per transaction. A booking is at
//! least that much work, so the ratio of bookings to these commits says how much of the write
//! path is ours and how much the disk's.

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use crate::load::{self, Report};

/// Commits for `duration` (after a warm-up of a tenth of it) into a fresh database in `dir`,
/// which should be on the disk of the server's database; the file is removed afterwards.
pub async fn commits(dir: &Path, duration: Duration) -> anyhow::Result<Report> {
    let file = dir.join(format!("commit-ceiling-{}.db", std::process::id()));
    let report = measure(&file, duration).await;
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.clone().into_os_string();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
    report
}

async fn measure(file: &Path, duration: Duration) -> anyhow::Result<Report> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::query(
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, note TEXT NOT NULL)",
    )
    .execute(&mut conn)
    .await?;
    sqlx::query("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        .execute(&mut conn)
        .await?;
    sqlx::query("INSERT INTO counters (id, n) VALUES (1, 0)")
        .execute(&mut conn)
        .await?;
    let started = Instant::now();
    let measure_from = started + duration / 10;
    let end = measure_from + duration;
    let mut latencies = Vec::new();
    let mut i: i64 = 0;
    loop {
        let t = Instant::now();
        if t >= end {
            break;
        }
        let mut tx = conn.begin().await?;
        sqlx::query("INSERT INTO rows (at, note) VALUES ($1, $2)")
            .bind(i)
            .bind("a booking-sized note")
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE counters SET n = n + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        i += 1;
        if t >= measure_from {
            latencies.push(t.elapsed().as_micros() as u32);
        }
    }
    conn.close().await?;
    Ok(load::summarize(
        "ceiling: bare SQLite commits (WAL, synchronous=FULL, 1 insert + 1 update each, sqlx, one connection)",
        1,
        latencies,
        0,
        duration.as_secs_f64(),
    ))
}
