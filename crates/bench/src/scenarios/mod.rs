//! The measured scenarios, each a sequence of real API calls. Each area keeps its scenarios in
//! its own module; `run` dispatches by name.

mod auth;
mod bookings;
mod monetization;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use reqwest::Client;
use serde_json::{Value, json};

use crate::load::{self, Report};

/// Every scenario, in the order `bench/run.sh` runs them.
pub fn all() -> Vec<&'static str> {
    let mut all = vec!["token"];
    all.extend(auth::NAMES);
    all.extend([
        "health",
        "rate-plan-list",
        "rate-plan",
        "rates-year",
        "all-rates-year",
    ]);
    all.extend(monetization::NAMES);
    all.extend(bookings::NAMES);
    all
}

/// The server under test, with a token holding every scope.
pub struct Target {
    pub http: Client,
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub property: String,
    pub token: String,
}

impl Target {
    pub async fn connect(
        base_url: &str,
        client_id: &str,
        client_secret: &str,
        property: &str,
    ) -> anyhow::Result<Target> {
        let http = Client::builder().pool_max_idle_per_host(256).build()?;
        let mut target = Target {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            property: property.to_string(),
            token: String::new(),
        };
        target.token = target.fetch_token().await?;
        Ok(target)
    }

    async fn fetch_token(&self) -> anyhow::Result<String> {
        let r = self
            .http
            .post(format!("{}/oauth2/token", self.base_url))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body("grant_type=client_credentials")
            .send()
            .await?;
        let body: Value = r.json().await?;
        body["access_token"]
            .as_str()
            .map(str::to_string)
            .context("no access_token in the token response")
    }

    pub fn api(&self, path: &str) -> String {
        format!(
            "{}/api/managing-entity/{}/extranet{path}",
            self.base_url, self.property
        )
    }

    pub async fn get_json(&self, path: &str) -> anyhow::Result<Value> {
        let r = self
            .http
            .get(self.api(path))
            .bearer_auth(&self.token)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "GET {path}: {}", r.status());
        Ok(r.json().await?)
    }
}

/// Seeds `count` bookings for the `*-100k` scenarios (see `bookings::seed`).
pub async fn seed_bookings(url: &str, property: uuid::Uuid, count: usize) -> anyhow::Result<()> {
    bookings::seed(url, property, count).await
}

pub async fn ceiling(url: &str, clients: usize, duration: Duration) -> Report {
    let http = Client::new();
    let url = format!("{}/ping", url.trim_end_matches('/'));
    load::run(
        "ceiling: minimal axum GET /ping",
        clients,
        duration,
        move |_, _| {
            let (http, url) = (http.clone(), url.clone());
            async move { matches!(http.get(&url).send().await, Ok(r) if r.status().is_success()) }
        },
    )
    .await
}

pub async fn run(
    target: &Target,
    name: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let http = target.http.clone();
    let token = target.token.clone();
    match name {
        "token" => {
            let url = format!("{}/oauth2/token", target.base_url);
            let (id, secret) = (target.client_id.clone(), target.client_secret.clone());
            Ok(vec![
                load::run("POST /oauth2/token", clients, duration, move |_, _| {
                    let (http, url, id, secret) =
                        (http.clone(), url.clone(), id.clone(), secret.clone());
                    async move {
                        let r = http
                            .post(&url)
                            .basic_auth(&id, Some(&secret))
                            .header(
                                reqwest::header::CONTENT_TYPE,
                                "application/x-www-form-urlencoded",
                            )
                            .body("grant_type=client_credentials")
                            .send()
                            .await;
                        matches!(r, Ok(r) if r.status().is_success())
                    }
                })
                .await,
            ])
        }
        "rate-plan-list" => {
            let url = target.api("/rate-plan/list");
            Ok(vec![
                load::run("GET rate-plan/list", clients, duration, move |_, _| {
                    let (http, url, token) = (http.clone(), url.clone(), token.clone());
                    async move { matches!(http.get(&url).bearer_auth(&token).send().await, Ok(r) if r.status().is_success()) }
                })
                .await,
            ])
        }
        "health" => {
            let url = format!("{}/health", target.base_url);
            Ok(vec![
                load::run(
                    "GET /health (every layer, no token)",
                    clients,
                    duration,
                    move |_, _| {
                        let (http, url) = (http.clone(), url.clone());
                        async move {
                            matches!(http.get(&url).send().await, Ok(r) if r.status().is_success())
                        }
                    },
                )
                .await,
            ])
        }
        "rate-plan" => {
            let plans = target.get_json("/rate-plan/list").await?;
            let plan = plans[0]["id"]
                .as_str()
                .context("the property has no rate plan")?;
            let url = target.api(&format!("/rate-plan/{plan}"));
            Ok(vec![
                load::run("GET rate-plan/{id}", clients, duration, move |_, _| {
                    let (http, url, token) = (http.clone(), url.clone(), token.clone());
                    async move { matches!(http.get(&url).bearer_auth(&token).send().await, Ok(r) if r.status().is_success()) }
                })
                .await,
            ])
        }
        "rates-year" => {
            let master_rates = target.get_json("/master-rate/list").await?;
            let master = master_rates[0]["id"]
                .as_str()
                .context("the property has no master rate")?
                .to_string();
            let url = target.api(&format!("/master-rate/{master}/rates/dates"));
            Ok(vec![
                year_of_rates(
                    target,
                    url,
                    "POST master-rate/{id}/rates/dates (365 days)",
                    clients,
                    duration,
                )
                .await,
            ])
        }
        "all-rates-year" => {
            let count = target
                .get_json("/master-rate/list")
                .await?
                .as_array()
                .map_or(0, Vec::len);
            let url = target.api("/master-rate/rates/dates");
            let name = format!("POST master-rate/rates/dates (365 days x {count} master rates)");
            Ok(vec![
                year_of_rates(target, url, &name, clients, duration).await,
            ])
        }
        other if auth::NAMES.contains(&other) => auth::run(target, other, clients, duration).await,
        other if monetization::NAMES.contains(&other) => {
            monetization::run(target, other, clients, duration).await
        }
        other if bookings::NAMES.contains(&other) => {
            bookings::run(target, other, clients, duration).await
        }
        other => anyhow::bail!("unknown scenario {other:?}; known: {}", all().join(", ")),
    }
}

/// Posts the year from today to `url` (a rates-by-dates operation) and reads the whole answer.
async fn year_of_rates(
    target: &Target,
    url: String,
    name: &str,
    clients: usize,
    duration: Duration,
) -> Report {
    let (http, token) = (target.http.clone(), target.token.clone());
    let today = chrono::Utc::now().date_naive();
    let body =
        Arc::new(json!({ "startDate": today, "endDate": today + chrono::Duration::days(364) }));
    load::run(name, clients, duration, move |_, _| {
        let (http, url, token, body) = (http.clone(), url.clone(), token.clone(), body.clone());
        async move {
            match http
                .post(&url)
                .bearer_auth(&token)
                .json(body.as_ref())
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await
}
