//! The test application: a fresh database per test (an SQLite temp file, or a fresh PostgreSQL
//! database when `WINK_TEST_POSTGRES_URL` is set), personas with real tokens, and requests sent
//! in process through the router.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::Value;
use tower::ServiceExt;
use uuid::Uuid;
use wink_api::auth::{ALL_SCOPES, clients};
use wink_api::{ApiConfig, App, AppState};
use wink_store::{Engine, Store, StoreOptions};

pub const POSTGRES_URL_VAR: &str = "WINK_TEST_POSTGRES_URL";

/// The instant every test server starts at: Wednesday 17 June 2026, 10:00 in Bangkok (where
/// every fixture property is), far from a midnight, a month end and a year end, so that "today",
/// "tomorrow" and the analytics' periods are the same whenever the suite runs.
pub fn start_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 17, 3, 0, 0).unwrap()
}

/// Today at the fixture property (Bangkok) on a test server's clock as it starts.
pub fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 17).unwrap()
}

/// A clock that starts at [`start_instant`] and runs (timestamps stay ordered as in a real
/// server), without reading the wall clock: it adds the time elapsed on the monotonic clock.
#[derive(Debug)]
pub struct RunningClock {
    start: DateTime<Utc>,
    began: std::time::Instant,
}

impl RunningClock {
    pub fn from_start() -> RunningClock {
        RunningClock {
            start: start_instant(),
            began: std::time::Instant::now(),
        }
    }
}

impl wink_api::clock::Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::from_std(self.began.elapsed()).unwrap_or_default()
    }
}

/// The instant tokens and signing keys are handled at. They are the one thing tied to the system
/// clock:
/// `jsonwebtoken` checks `exp` against it (see `wink_api::clock`), so a token issued on the test
/// clock would already have expired.
pub fn token_time() -> DateTime<Utc> {
    Utc::now()
}

/// Runs an `async fn(TestApp)` test on each engine: `name::sqlite` always, `name::postgres` with
/// `--ignored` (it needs a PostgreSQL server: set WINK_TEST_POSTGRES_URL).
#[macro_export]
macro_rules! on_both_engines {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$test($crate::support::TestApp::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[ignore = "needs PostgreSQL: set WINK_TEST_POSTGRES_URL and run with --ignored"]
                async fn postgres() {
                    super::$test($crate::support::TestApp::postgres().await).await;
                }
            }
        )+
    };
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub store: Store,
    pub engine: Engine,
    /// The test database's URL, for tests that open it as another node would.
    pub url: String,
    _database: Database,
    /// The test's media folder (removed when the test ends).
    pub media_dir: MediaDir,
}

/// A test's media folder, removed when the test ends.
pub struct MediaDir(pub std::path::PathBuf);

impl Drop for MediaDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a test removes when it ends.
enum Database {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for Database {
    fn drop(&mut self) {
        match self {
            Database::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm", "-lock"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Database::Postgres { admin_url, name } => {
                let (url, name) = (admin_url.clone(), name.clone());
                // Drop runs outside async; give the cleanup its own small runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                            .await
                            .ok()?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut c)
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let path = std::env::temp_dir().join(format!("wink-test-{}.db", Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", path.display());
        TestApp::start(&url, Database::Sqlite(path)).await
    }

    /// A test server on an existing SQLite file (removed when the test ends).
    pub async fn sqlite_at(path: std::path::PathBuf) -> TestApp {
        let url = format!("sqlite://{}", path.display());
        TestApp::start(&url, Database::Sqlite(path)).await
    }

    pub async fn postgres() -> TestApp {
        let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VAR} is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
            )
        });
        let name = format!("wink_test_{}", Uuid::new_v4().simple());
        let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("database URL ends with /DBNAME");
        let url = format!("{base}/{name}");
        TestApp::start(&url, Database::Postgres { admin_url, name }).await
    }

    async fn start(url: &str, database: Database) -> TestApp {
        let mut options = StoreOptions::new(url);
        options.max_connections = 8;
        let store = Store::open(&options).await.expect("open the test store");
        // The tests' fixtures name fixed dates (2026 to 2032) that a window around the day the
        // tests run would refuse; the window's own tests use `with_config`.
        let media_dir =
            std::env::temp_dir().join(format!("wink-test-media-{}", Uuid::new_v4().simple()));
        let config = ApiConfig {
            date_window_past_days: 36_500,
            date_window_future_days: 36_500,
            media: wink_api::media::MediaConfig {
                directory: Some(media_dir.clone()),
                ..Default::default()
            },
            ..ApiConfig::default()
        };
        let clock: Arc<dyn wink_api::clock::Clock> = Arc::new(RunningClock::from_start());
        let App { router, state, .. } = wink_api::build_with_clock(store.clone(), config, clock)
            .await
            .expect("build the app");
        let engine = store.engine();
        TestApp {
            router,
            state,
            store,
            engine,
            url: url.to_string(),
            _database: database,
            media_dir: MediaDir(media_dir),
        }
    }

    /// The same database served with `config` (for tests of a setting).
    pub async fn with_config(self, config: ApiConfig) -> TestApp {
        let clock = self.state.clock.clone();
        self.rebuilt(config, clock).await
    }

    /// The same database and configuration, the server on `clock` (see `wink_api::clock`).
    pub async fn with_clock(self, clock: Arc<dyn wink_api::clock::Clock>) -> TestApp {
        let config = self.state.config.as_ref().clone();
        self.rebuilt(config, clock).await
    }

    async fn rebuilt(
        mut self,
        config: ApiConfig,
        clock: Arc<dyn wink_api::clock::Clock>,
    ) -> TestApp {
        let App { router, state, .. } =
            wink_api::build_with_clock(self.store.clone(), config, clock)
                .await
                .expect("build the app");
        self.router = router;
        self.state = state;
        self
    }

    /// A new account with an application holding `scopes` (all twelve when empty) and a token.
    pub async fn persona(&self, scopes: &[&str]) -> Persona {
        let account = clients::create_account(&self.store, "Test Hotels", "HOTEL", None)
            .await
            .expect("account");
        self.persona_of(account.id, scopes).await
    }

    /// Another application of an existing account.
    pub async fn persona_of(&self, account: Uuid, scopes: &[&str]) -> Persona {
        let scopes: Vec<String> = if scopes.is_empty() {
            ALL_SCOPES.iter().map(|s| s.to_string()).collect()
        } else {
            scopes.iter().map(|s| s.to_string()).collect()
        };
        let (app, secret) = clients::create_application(
            &self.store,
            &self.state.hash_key,
            account,
            "tests",
            &scopes,
        )
        .await
        .expect("application");
        let (token, _) = self
            .state
            .tokens
            .issue(app.id, account, &scopes.join(" "), token_time())
            .expect("token");
        Persona {
            account_id: account,
            client_id: app.id,
            secret,
            token,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            json,
            bytes: bytes.to_vec(),
        }
    }

    /// `method path` with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(v).unwrap())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    /// `method path` with a JSON body and, when given, `If-Match: tag` (a conditional write).
    pub async fn send_if(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> TestResponse {
        let mut r = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(tag) = if_match {
            r = r.header(header::IF_MATCH, tag);
        }
        self.send(r.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Registers the fixture property for `persona` and answers its id.
    pub async fn property(&self, persona: &Persona) -> Uuid {
        let r = self
            .post(
                &format!("/api/property?leadId={}", Uuid::new_v4()),
                &persona.token,
                &crate::fixtures::property(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        r.json["id"].as_str().unwrap().parse().unwrap()
    }
}

/// An account's application with a token.
#[derive(Debug, Clone)]
pub struct Persona {
    pub account_id: Uuid,
    pub client_id: Uuid,
    pub secret: String,
    pub token: String,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem-details answer with `status`, and returns the body.
    pub fn problem(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.json);
        assert_eq!(self.content_type(), "application/problem+json");
        assert_eq!(self.json["status"], status.as_u16());
        &self.json
    }

    /// The fields named by a 400 problem.
    pub fn invalid_fields(&self) -> Vec<String> {
        self.problem(StatusCode::BAD_REQUEST)["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn base(property: Uuid) -> String {
    format!("/api/managing-entity/{property}/extranet")
}

#[allow(dead_code)]
pub fn shared<T>(value: T) -> Arc<T> {
    Arc::new(value)
}
