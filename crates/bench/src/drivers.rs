//! `wink-bench sqlite-drivers`: sqlx's SQLite driver against a synchronous driver (rusqlite, on
//! the same libsqlite3-sys) run on dedicated threads, on the store's kinds of work: a point
//! read, a list, a year of one master rate's daily rates (365 rows), a booking-like transaction
//! and a 7,300-row upsert (a year of 20 master rates). Both drivers open the same kind of file
//! (WAL, `synchronous=FULL`) with the same schema and data and run the same SQL; reads use a
//! pool of connections, writes one connection (as the store does). The figures decided
//! docs/decisions.md ("The SQLite driver").

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::oneshot;

use crate::load;

const ROOM_TYPES: usize = 20;
const DAYS: usize = 365;

const SCHEMA: &str = "
    CREATE TABLE room_types (id TEXT PRIMARY KEY, property_id TEXT NOT NULL, name TEXT NOT NULL,
        document TEXT NOT NULL, version INTEGER NOT NULL);
    CREATE INDEX room_types_property ON room_types (property_id);
    CREATE TABLE daily_rates (master_rate_id TEXT NOT NULL, day TEXT NOT NULL, rate TEXT,
        open INTEGER NOT NULL, min_los INTEGER, modifiers TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (master_rate_id, day));
    CREATE TABLE room_availability (room_type_id TEXT NOT NULL, day TEXT NOT NULL,
        capacity INTEGER NOT NULL, sold INTEGER NOT NULL, PRIMARY KEY (room_type_id, day));
    CREATE TABLE bookings (id INTEGER PRIMARY KEY, room_type_id TEXT NOT NULL, day TEXT NOT NULL,
        total TEXT NOT NULL, document TEXT NOT NULL);";

const POINT: &str = "SELECT id, property_id, name, document, version FROM room_types WHERE id = ?1";
const LIST: &str = "SELECT id, property_id, name, document, version FROM room_types WHERE property_id = ?1 ORDER BY name";
const YEAR: &str =
    "SELECT master_rate_id, day, rate, open, min_los, modifiers, updated_at FROM daily_rates
    WHERE master_rate_id = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day";
const PARENT: &str = "SELECT version FROM room_types WHERE id = ?1";
const TAKE: &str = "UPDATE room_availability SET sold = sold + 1 WHERE room_type_id = ?1 AND day = ?2 AND capacity - sold >= 1";
const BOOK: &str =
    "INSERT INTO bookings (room_type_id, day, total, document) VALUES (?1, ?2, ?3, ?4)";
const UPSERT: &str = "INSERT INTO daily_rates (master_rate_id, day, rate, open, min_los, modifiers, updated_at)
    VALUES (?1, ?2, ?3, 1, NULL, '{}', ?4)
    ON CONFLICT (master_rate_id, day) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at";

const DOCUMENT: &str = r#"{"name":"Deluxe","descriptions":[{"language":"en","description":"A quiet room with a view of the garden."}],"maxOccupancy":3,"bedrooms":[{"type":"MASTER","beds":[{"code":"KING","quantity":1}]}]}"#;

fn room_type(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

fn day(i: usize) -> String {
    (chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date") + chrono::Days::new(i as u64))
        .to_string()
}

/// Runs every measurement in a fresh database under `dir` (removed afterwards) and prints a
/// Markdown table.
pub async fn compare(
    dir: &Path,
    clients: usize,
    readers: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    let file = dir.join(format!("drivers-{}.db", std::process::id()));
    let result = run_all(&file, clients, readers, duration).await;
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.clone().into_os_string();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
    result
}

async fn run_all(
    file: &Path,
    clients: usize,
    readers: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    seed(file)?;
    let sqlx_driver = Arc::new(SqlxDriver::open(file, readers).await?);
    let threads = Arc::new(ThreadDriver::open(file, readers)?);
    println!("{}", load::HEADER);
    for work in Work::ALL {
        // The upsert is one writer's work: one client, as a bulk rate write is.
        let clients = if work == Work::Upsert { 1 } else { clients };
        let s = sqlx_driver.clone();
        let report = load::run(
            &format!("{} (sqlx, {readers} readers)", work.name()),
            clients,
            duration,
            move |c, i| {
                let s = s.clone();
                async move { s.run(work, c, i).await.is_ok() }
            },
        )
        .await;
        println!("{}", report.line());
        let t = threads.clone();
        let report = load::run(
            &format!("{} (rusqlite on {readers} threads)", work.name()),
            clients,
            duration,
            move |c, i| {
                let t = t.clone();
                async move { t.run(work, c, i).await.is_ok() }
            },
        )
        .await;
        println!("{}", report.line());
    }
    Ok(())
}

/// The database both drivers use: 20 room types, a year of 20 master rates' daily rates and
/// rooms, written once with rusqlite.
fn seed(file: &Path) -> anyhow::Result<()> {
    let mut conn = open_rusqlite(file)?;
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    for r in 0..ROOM_TYPES {
        tx.execute(
            "INSERT INTO room_types (id, property_id, name, document, version) VALUES (?1, 'p', ?2, ?3, 1)",
            (room_type(r), format!("Room type {r:02}"), DOCUMENT),
        )?;
        for d in 0..DAYS {
            tx.execute(
                UPSERT,
                (room_type(r), day(d), "1800.00", "2027-01-01T00:00:00Z"),
            )?;
            tx.execute(
                "INSERT INTO room_availability (room_type_id, day, capacity, sold) VALUES (?1, ?2, 1000000000, 0)",
                (room_type(r), day(d)),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn open_rusqlite(file: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(file)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    Point,
    List,
    Year,
    Booking,
    Upsert,
}

impl Work {
    const ALL: [Work; 5] = [
        Work::Point,
        Work::List,
        Work::Year,
        Work::Booking,
        Work::Upsert,
    ];

    fn name(self) -> &'static str {
        match self {
            Work::Point => "point read (1 room type)",
            Work::List => "list (20 room types)",
            Work::Year => "365-row read (a master rate's year)",
            Work::Booking => "booking transaction (1 read, 1 conditional update, 1 insert)",
            Work::Upsert => "7,300-row upsert (a year of 20 master rates, one transaction)",
        }
    }
}

/// A room type's fields as a handler would take them.
#[derive(sqlx::FromRow)]
#[allow(dead_code)]
struct RoomRow {
    id: String,
    property_id: String,
    name: String,
    document: String,
    version: i64,
}

#[derive(sqlx::FromRow)]
#[allow(dead_code)]
struct RateRow {
    master_rate_id: String,
    day: String,
    rate: Option<String>,
    open: bool,
    min_los: Option<i64>,
    modifiers: String,
    updated_at: String,
}

struct SqlxDriver {
    read: sqlx::SqlitePool,
    write: sqlx::SqlitePool,
}

impl SqlxDriver {
    async fn open(file: &Path, readers: usize) -> anyhow::Result<SqlxDriver> {
        let options = SqliteConnectOptions::new()
            .filename(file)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .row_buffer_size(4096);
        let pool = |n: usize| {
            SqlitePoolOptions::new()
                .max_connections(n as u32)
                .min_connections(n as u32)
                .connect_with(options.clone())
        };
        Ok(SqlxDriver {
            read: pool(readers).await?,
            write: pool(1).await?,
        })
    }

    async fn run(&self, work: Work, client: usize, i: usize) -> anyhow::Result<()> {
        let room = room_type((client + i) % ROOM_TYPES);
        match work {
            Work::Point => {
                let row: RoomRow = sqlx::query_as(POINT)
                    .bind(&room)
                    .fetch_one(&self.read)
                    .await?;
                anyhow::ensure!(row.version == 1);
            }
            Work::List => {
                let rows: Vec<RoomRow> =
                    sqlx::query_as(LIST).bind("p").fetch_all(&self.read).await?;
                anyhow::ensure!(rows.len() == ROOM_TYPES);
            }
            Work::Year => {
                let rows: Vec<RateRow> = sqlx::query_as(YEAR)
                    .bind(&room)
                    .bind(day(0))
                    .bind(day(DAYS - 1))
                    .fetch_all(&self.read)
                    .await?;
                anyhow::ensure!(rows.len() == DAYS);
            }
            Work::Booking => {
                let night = day((client * 7 + i) % DAYS);
                let mut tx = self.write.begin().await?;
                let (version,): (i64,) = sqlx::query_as(PARENT)
                    .bind(&room)
                    .fetch_one(&mut *tx)
                    .await?;
                anyhow::ensure!(version == 1);
                let taken = sqlx::query(TAKE)
                    .bind(&room)
                    .bind(&night)
                    .execute(&mut *tx)
                    .await?;
                anyhow::ensure!(taken.rows_affected() == 1);
                sqlx::query(BOOK)
                    .bind(&room)
                    .bind(&night)
                    .bind("1800.00")
                    .bind(DOCUMENT)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Work::Upsert => {
                let at = format!("2027-01-01T00:00:{:02}Z", i % 60);
                let mut tx = self.write.begin().await?;
                for r in 0..ROOM_TYPES {
                    let master = room_type(r);
                    for d in 0..DAYS {
                        sqlx::query(UPSERT)
                            .bind(&master)
                            .bind(day(d))
                            .bind("1900.00")
                            .bind(&at)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

type Job = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

/// rusqlite connections each owned by a thread of its own; a request hands its work to a free
/// thread and awaits the answer, so the async runtime never blocks on SQLite.
struct ThreadDriver {
    read: mpsc::Sender<Job>,
    write: mpsc::Sender<Job>,
}

impl ThreadDriver {
    fn open(file: &Path, readers: usize) -> anyhow::Result<ThreadDriver> {
        Ok(ThreadDriver {
            read: Self::threads(file.to_path_buf(), readers)?,
            write: Self::threads(file.to_path_buf(), 1)?,
        })
    }

    fn threads(file: PathBuf, n: usize) -> anyhow::Result<mpsc::Sender<Job>> {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..n {
            let mut conn = open_rusqlite(&file)?;
            conn.set_prepared_statement_cache_capacity(64);
            let rx = rx.clone();
            std::thread::spawn(move || {
                loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(&mut conn),
                        Err(_) => return,
                    }
                }
            });
        }
        Ok(tx)
    }

    async fn call<T: Send + 'static>(
        pool: &mpsc::Sender<Job>,
        f: impl FnOnce(&mut rusqlite::Connection) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let (tx, rx) = oneshot::channel();
        pool.send(Box::new(move |conn| {
            let _ = tx.send(f(conn));
        }))
        .map_err(|_| anyhow::anyhow!("the driver's threads stopped"))?;
        rx.await?
    }

    async fn run(&self, work: Work, client: usize, i: usize) -> anyhow::Result<()> {
        let room = room_type((client + i) % ROOM_TYPES);
        let room_row = |r: &rusqlite::Row| {
            Ok(RoomRow {
                id: r.get(0)?,
                property_id: r.get(1)?,
                name: r.get(2)?,
                document: r.get(3)?,
                version: r.get(4)?,
            })
        };
        match work {
            Work::Point => {
                let row = Self::call(&self.read, move |c| {
                    Ok(c.prepare_cached(POINT)?.query_row([&room], room_row)?)
                })
                .await?;
                anyhow::ensure!(row.version == 1);
            }
            Work::List => {
                let rows = Self::call(&self.read, move |c| {
                    let mut s = c.prepare_cached(LIST)?;
                    let rows = s
                        .query_map(["p"], room_row)?
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(rows)
                })
                .await?;
                anyhow::ensure!(rows.len() == ROOM_TYPES);
            }
            Work::Year => {
                let rows = Self::call(&self.read, move |c| {
                    let mut s = c.prepare_cached(YEAR)?;
                    let rows = s
                        .query_map((&room, day(0), day(DAYS - 1)), |r| {
                            Ok(RateRow {
                                master_rate_id: r.get(0)?,
                                day: r.get(1)?,
                                rate: r.get(2)?,
                                open: r.get(3)?,
                                min_los: r.get(4)?,
                                modifiers: r.get(5)?,
                                updated_at: r.get(6)?,
                            })
                        })?
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(rows)
                })
                .await?;
                anyhow::ensure!(rows.len() == DAYS);
            }
            Work::Booking => {
                let night = day((client * 7 + i) % DAYS);
                Self::call(&self.write, move |c| {
                    let tx = c.transaction()?;
                    let version: i64 = tx
                        .prepare_cached(PARENT)?
                        .query_row([&room], |r| r.get(0))?;
                    anyhow::ensure!(version == 1);
                    let taken = tx.prepare_cached(TAKE)?.execute((&room, &night))?;
                    anyhow::ensure!(taken == 1);
                    tx.prepare_cached(BOOK)?
                        .execute((&room, &night, "1800.00", DOCUMENT))?;
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            }
            Work::Upsert => {
                let at = format!("2027-01-01T00:00:{:02}Z", i % 60);
                Self::call(&self.write, move |c| {
                    let tx = c.transaction()?;
                    {
                        let mut s = tx.prepare_cached(UPSERT)?;
                        for r in 0..ROOM_TYPES {
                            let master = room_type(r);
                            for d in 0..DAYS {
                                s.execute((&master, day(d), "1900.00", &at))?;
                            }
                        }
                    }
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            }
        }
        Ok(())
    }
}
