//! Prometheus metrics (`GET /metrics`, text exposition format), through `prometheus-client`.
//!
//! Off by default. When enabled (`[metrics] listen` in the config file) the CLI serves
//! [`router`] on that address, apart from the API: the API's listener never answers `/metrics`,
//! so the endpoint needs no credentials of its own and is exposed only where the operator binds
//! it (a loopback or private address).
//!
//! What is measured (names as scraped):
//! - `wink_http_request_duration_seconds{operation,method,status}`: a histogram of the time to
//!   the response's head; its `_count` is the number of requests. `operation` is the contract's
//!   operationId (or our own for the OAuth endpoints), else the route's path template, else
//!   `unmatched`; so the label's values are bounded by the route table, whatever paths callers
//!   send;
//! - `wink_tokens_issued_total` and `wink_tokens_refused_total{error}` (the OAuth error code);
//! - `wink_bookings_total{outcome}`: `made`, `cancelled`, `no_show`, and `unavailable` (a
//!   booking refused because the rooms were not available: too few for sale when priced, or
//!   taken by another booking in the meantime);
//! - `wink_db_connections{pool,state}` (`in_use`, `idle`; pools `read` and `write` on SQLite,
//!   `all` on PostgreSQL), `wink_sqlite_wal_bytes` (SQLite only) and
//!   `process_resident_memory_bytes` (Linux), read when scraped.
//!
//! Per request the cost is one lookup of the route in a table built at start, one in the
//! histogram family (a read lock and a hash of three small labels), and one observation: no
//! allocation once a label set has been seen.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds: 1 ms to 10 s.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 7.5, 10.0,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    operation: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ErrorLabels {
    error: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

/// What a booking request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingOutcome {
    Made,
    Cancelled,
    NoShow,
    /// Refused because the rooms were not available.
    Unavailable,
}

impl BookingOutcome {
    fn label(self) -> &'static str {
        match self {
            BookingOutcome::Made => "made",
            BookingOutcome::Cancelled => "cancelled",
            BookingOutcome::NoShow => "no_show",
            BookingOutcome::Unavailable => "unavailable",
        }
    }
}

type HistogramFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// This node's metrics (in [`AppState`]).
pub struct Metrics {
    registry: Registry,
    /// Route template → the operations on it, by method.
    operations: HashMap<&'static str, Vec<(Method, &'static str)>>,
    requests: HistogramFamily,
    tokens_issued: Counter,
    tokens_refused: Family<ErrorLabels, Counter>,
    bookings: Family<OutcomeLabels, Counter>,
    connections: Family<PoolLabels, Gauge>,
    wal_bytes: Gauge,
    resident_bytes: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

impl Metrics {
    /// The metrics of a server whose routes `openapi` documents.
    pub fn new(openapi: &Value) -> Metrics {
        let mut registry = Registry::default();
        let requests: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "wink_http_request_duration_seconds",
            "Time to the response head, by operation, method and status",
            requests.clone(),
        );
        let tokens_issued = Counter::default();
        registry.register(
            "wink_tokens_issued",
            "Access tokens issued",
            tokens_issued.clone(),
        );
        let tokens_refused = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "wink_tokens_refused",
            "Token requests refused, by OAuth error code",
            tokens_refused.clone(),
        );
        let bookings = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "wink_bookings",
            "Bookings made, cancelled, marked no-show, and refused for availability",
            bookings.clone(),
        );
        let connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "wink_db_connections",
            "Database connections by pool, in use or idle",
            connections.clone(),
        );
        let wal_bytes = Gauge::default();
        registry.register(
            "wink_sqlite_wal_bytes",
            "Size of the SQLite write-ahead log",
            wal_bytes.clone(),
        );
        let resident_bytes = Gauge::default();
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of the process",
            resident_bytes.clone(),
        );
        Metrics {
            registry,
            operations: operations(openapi),
            requests,
            tokens_issued,
            tokens_refused,
            bookings,
            connections,
            wal_bytes,
            resident_bytes,
        }
    }

    pub fn token_issued(&self) {
        self.tokens_issued.inc();
    }

    /// A refused token request, by its OAuth error code.
    pub fn token_refused(&self, error: &'static str) {
        self.tokens_refused
            .get_or_create(&ErrorLabels { error })
            .inc();
    }

    pub fn booking(&self, outcome: BookingOutcome) {
        self.bookings
            .get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            })
            .inc();
    }

    /// The operation a request on route `template` with `method` is.
    fn operation(&self, template: &str, method: &Method) -> &'static str {
        if let Some(ops) = self.operations.get(template) {
            let wanted = if method == Method::HEAD {
                &Method::GET
            } else {
                method
            };
            if let Some((_, id)) = ops.iter().find(|(m, _)| m == wanted) {
                return id;
            }
        }
        intern(template)
    }

    /// The text exposition of every metric, with the database and process gauges read now.
    fn scrape(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        for (pool, in_use, idle) in state.store.pool_usage() {
            for (label, value) in [("in_use", in_use), ("idle", idle)] {
                self.connections
                    .get_or_create(&PoolLabels { pool, state: label })
                    .set(i64::from(value));
            }
        }
        if let Some(bytes) = state.store.wal_bytes() {
            self.wal_bytes.set(i64::try_from(bytes).unwrap_or(i64::MAX));
        }
        if let Some(bytes) = resident_memory() {
            self.resident_bytes
                .set(i64::try_from(bytes).unwrap_or(i64::MAX));
        }
        let mut out = String::with_capacity(16 * 1024);
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Route template → (method, operationId) from the OpenAPI document.
fn operations(openapi: &Value) -> HashMap<&'static str, Vec<(Method, &'static str)>> {
    let mut table: HashMap<&'static str, Vec<(Method, &'static str)>> = HashMap::new();
    let Some(paths) = openapi["paths"].as_object() else {
        return table;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let (Ok(method), Some(id)) = (
                Method::from_bytes(method.to_ascii_uppercase().as_bytes()),
                op["operationId"].as_str(),
            ) else {
                continue;
            };
            table
                .entry(intern(path))
                .or_default()
                .push((method, intern(id)));
        }
    }
    table
}

/// A process-wide copy of `text` that lives as long as the process: label values are route
/// templates and operationIds, a set bounded by the route table, stored once however many
/// requests (or test servers) use them.
fn intern(text: &str) -> &'static str {
    static STRINGS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut strings = STRINGS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(s) = strings.get(text) {
        return s;
    }
    let s: &'static str = Box::leak(text.to_owned().into_boxed_str());
    strings.insert(s);
    s
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The middleware that times every request (installed only when metrics are enabled).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let operation = match request.extensions().get::<MatchedPath>() {
        Some(matched) => state.metrics.operation(matched.as_str(), &method),
        None => "unmatched",
    };
    let response = next.run(request).await;
    let labels = RequestLabels {
        operation,
        method: method_label(&method),
        status: response.status().as_u16(),
    };
    state
        .metrics
        .requests
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, for the metrics listener.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    match state.metrics.scrape(&state) {
        Ok(text) => {
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        Err(_) => ApiError::Internal("encoding the metrics failed".into()).into_response(),
    }
}

/// The process's resident set size, from `/proc/self/status` (Linux; `None` elsewhere).
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_come_from_the_document_and_unknown_routes_by_template() {
        let doc = json!({ "paths": {
            "/api/x/{id}": { "get": { "operationId": "show-x" }, "delete": { "operationId": "remove-x" } }
        }});
        let m = Metrics::new(&doc);
        assert_eq!(m.operation("/api/x/{id}", &Method::GET), "show-x");
        assert_eq!(m.operation("/api/x/{id}", &Method::HEAD), "show-x");
        assert_eq!(m.operation("/api/x/{id}", &Method::DELETE), "remove-x");
        assert_eq!(m.operation("/health", &Method::GET), "/health");
        // Interned once: the same &'static str each time.
        assert!(std::ptr::eq(
            m.operation("/health", &Method::GET),
            m.operation("/health", &Method::GET)
        ));
    }

    #[test]
    fn resident_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(resident_memory().unwrap() > 1024 * 1024);
        }
    }
}
