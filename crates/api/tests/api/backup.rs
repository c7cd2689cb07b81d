//! Backups of the SQLite store taken while bookings are being made, and their restore
//! (`wink_store::backup`; the commands are tested end to end in `crates/cli/tests`). SQLite only:
//! PostgreSQL is backed up with its own tools.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use chrono::Days;
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use uuid::Uuid;
use wink_store::StoreError;
use wink_store::backup::{backup, restore};

use crate::bookings::{Shop, day};
use crate::support::TestApp;

/// A folder of its own under the temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("wink-backup-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn open(file: &Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .expect("open the backup")
}

/// The bookings of a backup, after checking that each is whole: all its nights are there, and
/// every night's sold count is what the bookings holding it add up to.
async fn whole_bookings(file: &Path) -> i64 {
    let mut db = open(file).await;
    let partial: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings b
         WHERE (SELECT COUNT(*) FROM booking_nights n WHERE n.booking_id = b.id)
               <> julianday(b.departure) - julianday(b.arrival)",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(partial, 0, "bookings without all their nights in {file:?}");
    let miscounted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM room_availability a
         WHERE a.sold <> COALESCE((
             SELECT SUM(n.quantity) FROM booking_nights n JOIN bookings b ON b.id = n.booking_id
             WHERE n.room_type_id = a.room_type_id AND n.day = a.day AND b.cancelled_at IS NULL), 0)",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(
        miscounted, 0,
        "sold counts that disagree with the nights in {file:?}"
    );
    sqlx::query_scalar("SELECT COUNT(*) FROM bookings")
        .fetch_one(&mut db)
        .await
        .unwrap()
}

async fn book(app: &TestApp, s: &Shop, i: usize) -> String {
    let arrival = day(1 + (i % 12) as u64);
    let query = s.query(arrival, arrival + Days::new(1 + (i % 4) as u64), 2);
    let offer = s.offer(app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = s.book(app, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().unwrap().to_string()
}

async fn bookings_made_during_backups_are_in_them_whole_or_not_at_all() {
    const BOOKINGS: usize = 40;
    let app = TestApp::sqlite().await;
    let s = Shop::new(&app, 500).await;
    let scratch = Scratch::new();
    let booking = async {
        for i in 0..BOOKINGS {
            book(&app, &s, i).await;
        }
    };
    let backups = async {
        let mut files = Vec::new();
        for n in 0..8 {
            let file = scratch.file(&format!("during-{n}.db"));
            backup(&app.url, &file)
                .await
                .expect("a backup while booking");
            files.push(file);
            tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        }
        files
    };
    let ((), mut files) = tokio::join!(booking, backups);
    let after = scratch.file("after.db");
    let report = backup(&app.url, &after).await.unwrap();
    assert!(report.bytes > 0 && report.migration > 0, "{report:?}");
    files.push(after);
    let mut counts = Vec::new();
    for file in &files {
        counts.push(whole_bookings(file).await);
    }
    // Later backups hold at least the bookings of earlier ones; the last holds them all.
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert_eq!(*counts.last().unwrap(), BOOKINGS as i64, "{counts:?}");
}

/// `value` without the exchange quotes' `timestamp`, the time the offer was priced at.
fn without_quote_times(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| k != "timestamp")
                .map(|(k, v)| (k, without_quote_times(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_quote_times).collect()),
        other => other,
    }
}

/// The first place where `a` and `b` differ (a JSON pointer), if any.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                if let Some(d) = first_difference(l, r, &format!("{at}/{k}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} / {b}")),
    }
}

/// What a client reads of the shop: the property, its room types, rate plans, master rates,
/// daily rates, offers and bookings.
async fn answers(app: &TestApp, s: &Shop) -> Vec<Value> {
    let root = s.root();
    let mut out = Vec::new();
    for path in [
        "/property",
        "/facility/room-type/list",
        "/rate-plan/list",
        "/master-rate/list",
        "/booking/list",
    ] {
        let r = app.get(&format!("{root}{path}"), &s.p.token).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json);
        out.push(r.json);
    }
    let r = app
        .post(
            &format!("{root}/master-rate/{}/rates/dates", s.master),
            &s.p.token,
            &json!({ "startDate": day(1), "endDate": day(20) }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    out.push(r.json);
    let r = s.room_list(app, &s.query(day(3), day(6), 2)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    out.push(without_quote_times(r.json));
    out
}

async fn a_restored_backup_serves_the_same_answers() {
    let app = TestApp::sqlite().await;
    let s = Shop::new(&app, 5).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(book(&app, &s, i).await);
    }
    let before = answers(&app, &s).await;
    let scratch = Scratch::new();
    let file = scratch.file("backup.db");
    backup(&app.url, &file).await.unwrap();

    // Changed after the backup: the restored copy must not have it.
    let r = app
        .patch(
            &format!("{}/booking/{}/cancel", s.root(), ids[0]),
            &s.p.token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Plans changed" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_ne!(answers(&app, &s).await, before);

    let target = scratch.file("restored.db");
    let url = format!("sqlite://{}", target.display());
    let report = restore(&url, &file, chrono::Utc::now()).await.unwrap();
    assert!(report.replaced.is_none(), "{report:?}");
    // Served from the restored file, with the token issued before (the signing keys came along).
    let restored = TestApp::sqlite_at(target).await;
    let after = answers(&restored, &s).await;
    let differences = before
        .iter()
        .zip(&after)
        .find_map(|(b, a)| first_difference(b, a, ""));
    assert_eq!(differences, None);
}

async fn restore_is_refused_while_the_database_is_in_use() {
    let app = TestApp::sqlite().await;
    let scratch = Scratch::new();
    let file = scratch.file("backup.db");
    backup(&app.url, &file).await.unwrap();

    // The test server holds the database: a restore over it is refused, and nothing changes.
    let err = restore(&app.url, &file, chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("in use")),
        "{err}"
    );
    let path = wink_store::backup::sqlite_file(&app.url).unwrap();
    let kept: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name().to_string_lossy().starts_with(&format!(
                "{}.replaced",
                path.file_name().unwrap().to_string_lossy()
            ))
        })
        .collect();
    assert!(kept.is_empty(), "the database was moved aside");

    // Once it is free, the restore replaces it and keeps the old file beside it.
    let other = scratch.file("other.db");
    std::fs::copy(&file, &other).unwrap();
    let url = format!("sqlite://{}", other.display());
    let report = restore(&url, &file, chrono::Utc::now()).await.unwrap();
    let replaced = report.replaced.expect("the replaced database is kept");
    assert!(replaced.exists(), "{replaced:?}");
    // And while the restore holds the database, no server can open it.
    let _sole = wink_store::backup::InUse::exclusive(&other).unwrap();
    let opened = wink_store::Store::open(&wink_store::StoreOptions::new(url.clone())).await;
    assert!(matches!(opened, Err(StoreError::Conflict(_))), "{opened:?}");
}

async fn only_wink_supplier_databases_are_restored_and_backups_never_overwrite() {
    let app = TestApp::sqlite().await;
    let scratch = Scratch::new();
    let target = format!("sqlite://{}", scratch.file("target.db").display());

    let text = scratch.file("notes.txt");
    std::fs::write(&text, "not a database").unwrap();
    let err = restore(&target, &text, chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not a wink-supplier database"),
        "{err}"
    );

    // An SQLite database of something else.
    let foreign = scratch.file("foreign.db");
    let mut db = SqliteConnectOptions::new()
        .filename(&foreign)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut db)
        .await
        .unwrap();
    drop(db);
    let err = restore(&target, &foreign, chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no migration history"), "{err}");
    assert!(!scratch.file("target.db").exists());

    let existing = scratch.file("existing.db");
    std::fs::write(&existing, "keep me").unwrap();
    let err = backup(&app.url, &existing).await.unwrap_err();
    assert!(err.to_string().contains("exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");

    let err = backup("postgres://localhost/wink", &scratch.file("pg.db"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("pg_dump"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_bookings_made_during_backups_are_in_them_whole_or_not_at_all() {
    bookings_made_during_backups_are_in_them_whole_or_not_at_all().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_restored_backup_serves_the_same_answers() {
    a_restored_backup_serves_the_same_answers().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restore_is_refused_while_the_database_is_in_use() {
    restore_is_refused_while_the_database_is_in_use().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_only_wink_supplier_databases_are_restored_and_backups_never_overwrite() {
    only_wink_supplier_databases_are_restored_and_backups_never_overwrite().await;
}
