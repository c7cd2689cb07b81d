//! Stopping the server (`wink_api::server::serve` with a stop signal, over real TCP): it stops
//! accepting, lets requests in flight finish within the deadline, ends the rest at the deadline,
//! then checkpoints SQLite's write-ahead log and closes the database.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;
use wink_api::server::Stopped;
use wink_store::{Engine, Store, StoreOptions};

use crate::booking_grid::five_guests;
use crate::fixtures;
use crate::on_both_engines;
use crate::reports::{parse_csv, request};
use crate::support::TestApp;

/// The app served on a loopback port until the returned sender fires.
async fn served(
    app: &TestApp,
    deadline: Duration,
) -> (
    std::net::SocketAddr,
    oneshot::Sender<()>,
    JoinHandle<std::io::Result<Stopped>>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(wink_api::server::serve(
        listener,
        app.router.clone(),
        None,
        app.state.clone(),
        async move {
            let _ = stopped.await;
        },
        deadline,
    ));
    (address, stop, server)
}

/// Waits until the server refuses new connections (it has stopped accepting).
async fn refused(address: std::net::SocketAddr) {
    let until = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(address).await.is_ok() {
        assert!(Instant::now() < until, "still accepting connections");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Sends a property registration's head with `Expect: 100-continue` and waits for the server's
/// `100 Continue`: the handler is running and reading the body, so the request is in flight.
async fn in_flight(address: std::net::SocketAddr, token: &str, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/property?leadId={} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        Uuid::new_v4(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !got.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("the server answers 100 Continue")
            .unwrap();
        assert!(n > 0, "closed before 100 Continue");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(
        got.starts_with(b"HTTP/1.1 100 Continue"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    stream
}

/// The size of the SQLite database's write-ahead log (0 when there is none).
fn wal_size(app: &TestApp) -> u64 {
    let file = app.url.trim_start_matches("sqlite://");
    std::fs::metadata(format!("{file}-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

async fn a_request_in_flight_finishes_then_the_database_is_checkpointed(app: TestApp) {
    let p = app.persona(&[]).await;
    let (address, stop, server) = served(&app, Duration::from_secs(30)).await;
    let body = fixtures::property().to_string();
    let mut stream = in_flight(address, &p.token, body.as_bytes()).await;
    // Another connection to the file (a backup tool, an operator's shell) stays open, so
    // closing the server's own connections alone would leave the log as it is.
    let other = match app.engine {
        Engine::Sqlite => {
            assert!(wal_size(&app) > 0, "the tests' writes are in the log");
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            // SQLite opens the log on a connection's first read.
            sqlx::query("SELECT count(*) FROM sqlite_master")
                .execute(&mut c)
                .await
                .unwrap();
            Some(c)
        }
        Engine::Postgres => None,
    };

    stop.send(()).unwrap();
    refused(address).await;
    // The request still completes: the property is registered and answered.
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201 Created\r\n"), "{answer}");
    let (_, json) = answer.split_once("\r\n\r\n").unwrap();
    let created: serde_json::Value = serde_json::from_str(json).unwrap();
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();

    let stopped = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("serve returns")
        .unwrap()
        .unwrap();
    assert_eq!(
        stopped,
        Stopped {
            drained: true,
            checkpointed: true
        }
    );
    // Every connection is closed, and on SQLite the log is empty: the file holds everything.
    assert!(app.store.ping().await.is_err(), "the pools are closed");
    if app.engine == Engine::Sqlite {
        assert_eq!(wal_size(&app), 0, "checkpointed into the database file");
    }
    drop(other);
    let reopened = Store::open(&StoreOptions::new(&app.url)).await.unwrap();
    assert_eq!(reopened.property(id).await.unwrap().id, id);
    reopened.close().await;
}

async fn requests_still_in_flight_at_the_deadline_are_ended(app: TestApp) {
    let p = app.persona(&[]).await;
    let (address, stop, server) = served(&app, Duration::from_millis(300)).await;
    // The body never comes.
    let mut stream = in_flight(address, &p.token, b"{}").await;
    let asked = Instant::now();
    stop.send(()).unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("serve returns")
        .unwrap()
        .unwrap();
    let took = asked.elapsed();
    assert_eq!(
        stopped,
        Stopped {
            drained: false,
            checkpointed: true
        }
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // The request was answered 503 (its work rolled back) and the connection closed.
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest))
        .await
        .expect("the connection is closed")
        .unwrap();
    let rest = String::from_utf8(rest).unwrap();
    assert!(
        rest.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{rest}"
    );
    assert!(
        rest.contains("urn:wink-supplier:problem:unavailable"),
        "{rest}"
    );
}

/// A CSV report whose download started before the stop signal is sent whole.
async fn a_report_in_flight_is_sent_whole(app: TestApp) {
    let (shop, b) = five_guests(&app).await;
    let template = app
        .store
        .booking(shop.property, b[1]["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap();
    let imported: Vec<_> = (0..1_200)
        .map(|i| {
            let mut copy = template.clone();
            copy.id = Uuid::new_v4();
            copy.code = format!("IMP-{i:05}");
            copy
        })
        .collect();
    app.store.import_bookings(&imported).await.unwrap();
    let (address, stop, server) = served(&app, Duration::from_secs(30)).await;
    let body = request(
        &[("Code", "bookingCode"), ("Last", "user.lastName")],
        json!({ "sort": [{ "field": "bookingCode", "dir": "asc" }],
                "filter": { "filters": [{ "field": "bookingCode", "operator": "startswith", "value": "IMP-" }] } }),
    );
    let response = reqwest::Client::new()
        .post(format!("http://{address}{}/report/csv", shop.root()))
        .bearer_auth(&shop.p.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    // The head is here, the rows are not read yet: stop the server.
    stop.send(()).unwrap();
    refused(address).await;
    let bytes = response.bytes().await.expect("the whole report");
    let rows = parse_csv(&bytes);
    assert_eq!(rows.len(), 1 + 1_200);
    assert_eq!(rows[1_200][0], "IMP-01199");
    let stopped = server.await.unwrap().unwrap();
    assert!(stopped.drained);
}

on_both_engines!(
    a_request_in_flight_finishes_then_the_database_is_checkpointed,
    requests_still_in_flight_at_the_deadline_are_ended,
    a_report_in_flight_is_sent_whole
);
