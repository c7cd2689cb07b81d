//! A closed-loop load generator: `clients` tasks each send one request at a time for `duration`,
//! and every latency is kept, so percentiles are exact.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one measured run produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub clients: usize,
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn line(&self) -> String {
        format!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            self.name,
            self.clients,
            self.per_second(),
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.errors
        )
    }
}

pub const HEADER: &str = "| scenario | clients | req/s | p50 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|";

/// Runs `request(client_index, iteration)` from `clients` tasks for `duration` after a warm-up of
/// a tenth of it. A request returning `false` counts as an error (and still as a request).
pub async fn run<F, Fut>(name: &str, clients: usize, duration: Duration, request: F) -> Report
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let warmup = duration / 10;
    let started = Instant::now();
    let measure_from = started + warmup;
    let end = measure_from + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut i = 0usize;
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let ok = request(client, i).await;
                i += 1;
                if t >= measure_from {
                    latencies.push(t.elapsed().as_micros() as u32);
                    if !ok {
                        errors += 1;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await.expect("load task");
        all.extend(l);
        errors += e;
    }
    summarize(name, clients, all, errors, duration.as_secs_f64())
}

pub fn summarize(
    name: &str,
    clients: usize,
    mut latencies: Vec<u32>,
    errors: usize,
    seconds: f64,
) -> Report {
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[i] as f64 / 1000.0
    };
    Report {
        name: name.to_string(),
        clients,
        requests: latencies.len(),
        errors,
        seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: latencies.last().map(|m| *m as f64 / 1000.0).unwrap_or(0.0),
    }
}
