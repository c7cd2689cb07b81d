//! The `backup`, `restore` and `copy` commands, end to end: the real binary serving its demo,
//! the commands run beside it, and a client comparing what the server answers before and after.
//! The copy needs PostgreSQL (`WINK_TEST_POSTGRES_URL`, run with `--ignored`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use chrono::{Days, Utc};
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_wink-supplier");

fn wink(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("WINK_DATABASE_URL")
        .env_remove("WINK_CONFIG")
        .output()
        .expect("run wink-supplier")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A running `wink-supplier serve`, stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    base: String,
    /// What `--demo` printed (WINK_CLIENT_ID, …).
    env: HashMap<String, String>,
}

impl Server {
    /// On `port`: the answers name the address the server listens on (without `public_url`).
    fn start(database_url: &str, demo: bool, port: u16) -> Server {
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec!["serve", "--listen", &listen, "--database-url", database_url];
        if demo {
            args.push("--demo");
        }
        let mut child = Command::new(BIN)
            .args(&args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut base = None;
        let mut seen = String::new();
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(rest) = line.split("listening on ").nth(1) {
                base = rest.split_whitespace().next().map(str::to_string);
                break;
            }
            seen.push_str(&line);
            line.clear();
        }
        let base = base.unwrap_or_else(|| panic!("the server did not start: {seen}"));
        // Keep reading its log so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in stderr.lines() {});
        let mut env = HashMap::new();
        if demo {
            let mut stdout = BufReader::new(child.stdout.take().unwrap());
            while env.len() < 4 {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some((k, v)) = line.trim().split_once('=') {
                    env.insert(k.to_string(), v.to_string());
                }
            }
        }
        Server { child, base, env }
    }

    fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}

/// A port free now (the servers of a test take turns on it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The demo's client, as `serve --demo` printed it, with a token.
struct Client {
    http: reqwest::Client,
    property: String,
    token: String,
}

impl Client {
    async fn of(server: &Server) -> Client {
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{}/oauth2/token", server.base))
            .basic_auth(
                &server.env["WINK_CLIENT_ID"],
                Some(&server.env["WINK_CLIENT_SECRET"]),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        let body: Value = r.json().await.unwrap();
        Client {
            http,
            property: server.env["WINK_MANAGING_ENTITY"].clone(),
            token: body["access_token"].as_str().unwrap().to_string(),
        }
    }

    async fn call(&self, server: &Server, path: &str, body: Option<&Value>) -> Value {
        let url = format!(
            "{}/api/managing-entity/{}/extranet{path}",
            server.base, self.property
        );
        let request = match body {
            Some(b) => self.http.post(url).json(b),
            None => self.http.get(url),
        };
        let r = request.bearer_auth(&self.token).send().await.unwrap();
        let status = r.status();
        let json: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {json}");
        json
    }

    /// What a client reads of the demo property: the property, room types, rate plans, master
    /// rates with two months of daily rates, offers for a stay, and the bookings, each in full.
    async fn answers(&self, server: &Server) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for path in [
            "/property",
            "/facility/room-type/list",
            "/rate-plan/list",
            "/master-rate/list",
            "/booking/list",
        ] {
            out.push((path.to_string(), self.call(server, path, None).await));
        }
        let today = Utc::now().date_naive();
        let masters = out[3].1.as_array().expect("master rates").clone();
        for m in &masters {
            let path = format!("/master-rate/{}/rates/dates", m["id"].as_str().unwrap());
            let body = json!({ "startDate": today, "endDate": today + Days::new(60) });
            out.push((path.clone(), self.call(server, &path, Some(&body)).await));
        }
        let channel = self.call(server, "/sandbox/channel/list", None).await[0].clone();
        let query = json!({
            "channel": channel, "stayStartDate": today + Days::new(20),
            "stayEndDate": today + Days::new(23),
            "roomConfigurations": [{ "adults": 2, "quantity": 1 }], "currency": "THB"
        });
        let offers = self.call(server, "/sandbox/room/list", Some(&query)).await;
        out.push(("/sandbox/room/list".into(), without_quote_times(offers)));
        let list = &out[4].1;
        let bookings = list["content"].as_array().or(list.as_array()).cloned();
        for b in bookings.unwrap_or_default() {
            let path = format!("/booking/{}", b["id"].as_str().unwrap());
            out.push((path.clone(), self.call(server, &path, None).await));
        }
        out
    }
}

/// `value` without the exchange quotes' `timestamp`, the time an offer was priced at.
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
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            let (l, r) = (
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            );
            first_difference(l, r, &format!("{at}/{k}"))
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} / {b}")),
    }
}

/// Where two sets of answers differ, if they do.
fn difference(before: &[(String, Value)], after: &[(String, Value)]) -> Option<String> {
    if before.len() != after.len() {
        return Some(format!("{} answers, then {}", before.len(), after.len()));
    }
    before
        .iter()
        .zip(after)
        .find_map(|((p, b), (_, a))| first_difference(b, a, p))
}

/// A folder of its own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("wink-cli-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_restore_only_when_stopped_and_the_restored_copy_answers_the_same() {
    let scratch = Scratch::new();
    let db = sqlite_url(&scratch.path("wink.db"));
    let port = free_port();
    let server = Server::start(&db, true, port);
    let client = Client::of(&server).await;
    let before = client.answers(&server).await;

    let backup = scratch.path("backup.db");
    let out = wink(&["--database-url", &db, "backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("backed up"), "{}", text(&out));
    // Never over an existing file.
    let out = wink(&["--database-url", &db, "backup", backup.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));

    // A change after the backup: the restore takes it away.
    let booking = before
        .iter()
        .filter(|(p, b)| p != "/booking/list" && b["cancelled"] == false)
        .find_map(|(p, _)| p.strip_prefix("/booking/"))
        .expect("the demo has bookings not cancelled")
        .to_string();
    let url = format!(
        "{}/api/managing-entity/{}/extranet/booking/{booking}/cancel",
        server.base, client.property
    );
    let r = client
        .http
        .patch(url)
        .bearer_auth(&client.token)
        .json(&json!({ "cancellationType": "CANCELLATION", "reason": "Plans changed" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert!(difference(&before, &client.answers(&server).await).is_some());

    // Refused while the server runs.
    let out = wink(&["--database-url", &db, "restore", backup.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("in use"), "{}", text(&out));

    let env = server.env.clone();
    server.stop();
    let out = wink(&["--database-url", &db, "restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("kept as"), "{}", text(&out));

    let mut server = Server::start(&db, false, port);
    server.env = env;
    // The token issued before the backup still works: the signing keys are in it.
    assert_eq!(difference(&before, &client.answers(&server).await), None);
}

/// Every table of an SQLite database with its row count.
async fn sqlite_counts(url: &str) -> Vec<(String, i64)> {
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(&mut db)
            .await
            .unwrap()
            .get(0);
        out.push((t, n));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set WINK_TEST_POSTGRES_URL and run with --ignored"]
async fn the_demo_copied_to_postgres_answers_the_same_with_the_same_tokens() {
    let admin = std::env::var("WINK_TEST_POSTGRES_URL")
        .expect("WINK_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
    let name = format!("wink_copy_{}", Uuid::new_v4().simple());
    let mut pg = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut pg)
        .await
        .unwrap();
    let target = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);

    let scratch = Scratch::new();
    let db = sqlite_url(&scratch.path("wink.db"));
    let port = free_port();
    let server = Server::start(&db, true, port);
    let client = Client::of(&server).await;
    let before = client.answers(&server).await;

    // Refused while the server uses the SQLite file (later writes would be lost).
    let out = wink(&["copy", "--from", &db, "--to", &target]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("in use"), "{}", text(&out));
    let env = server.env.clone();
    server.stop();

    let out = wink(&["copy", "--from", &db, "--to", &target]);
    assert!(out.status.success(), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let reported: HashMap<&str, i64> = report
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(t, n)| Some((t, n.parse().ok()?)))
        .collect();
    // Every table of the schema, with as many rows on both sides.
    let mut copied = sqlx::PgConnection::connect(&target).await.unwrap();
    let counts = sqlite_counts(&db).await;
    assert!(counts.len() >= 30, "{counts:?}");
    for (table, rows) in &counts {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM \"{table}\""))
            .fetch_one(&mut copied)
            .await
            .unwrap()
            .get(0);
        assert_eq!((table, n), (table, *rows));
        assert_eq!(reported.get(table.as_str()), Some(rows), "{report}");
    }
    for table in ["bookings", "booking_nights", "signing_keys", "daily_rates"] {
        let rows = counts.iter().find(|(t, _)| t == table).unwrap().1;
        assert!(rows > 0, "the demo has {table}");
    }
    drop(copied);

    // Never into a database that holds data.
    let out = wink(&["copy", "--from", &db, "--to", &target]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not empty"), "{}", text(&out));

    let mut server = Server::start(&target, false, port);
    server.env = env;
    // The token issued by the SQLite server works here: the signing keys were copied.
    assert_eq!(difference(&before, &client.answers(&server).await), None);
    server.stop();

    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut pg)
        .await
        .unwrap();
}
