//! `token-flood`: good clients asking for tokens while others flood the token endpoint with bad
//! secrets, so the good clients' latency shows what the flood costs them.
//!
//! The flood sends wrong secrets for `WINK_FLOOD_CLIENT_ID` (a known client: each miss is an
//! Argon2 run unless limited) or, without it, for random unknown client ids. Each flood task
//! connects from its own loopback address (127.0.0.2, 127.0.0.3, ...; Linux routes all of
//! 127.0.0.0/8 to lo), so the server sees many callers, as it would from a botnet, and the good
//! clients (127.0.0.1) are not limited by the flood's address.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{Client, StatusCode};

use super::Target;
use crate::load::{self, Report};

pub const NAMES: [&str; 1] = ["token-flood"];

/// Flood tasks per good client.
const FLOOD_FACTOR: usize = 2;

pub async fn run(
    target: &Target,
    _name: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let url = Arc::new(format!("{}/oauth2/token", target.base_url));
    let victim = std::env::var("WINK_FLOOD_CLIENT_ID")
        .ok()
        .filter(|id| !id.is_empty());
    let flooders = clients * FLOOD_FACTOR;
    let flood_http = (0..flooders)
        .map(|i| {
            let address = Ipv4Addr::new(127, 0, (2 + i / 250) as u8, (2 + i % 250) as u8);
            Client::builder().local_address(IpAddr::V4(address)).build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let flood_http = Arc::new(flood_http);
    // Answers the flood got: 401, 429, 503, anything else.
    let counts: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());

    let flood_name = format!(
        "flood: wrong secrets for {}",
        if victim.is_some() {
            "one known client"
        } else {
            "unknown clients"
        }
    );
    let flood = {
        let (url, counts) = (url.clone(), counts.clone());
        load::run(&flood_name, flooders, duration, move |client, _| {
            let http = flood_http[client].clone();
            let (url, counts) = (url.clone(), counts.clone());
            let id = victim
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            async move {
                let status = post(&http, &url, &id, "wrong-secret").await;
                let slot = match status {
                    Some(StatusCode::UNAUTHORIZED) => 0,
                    Some(StatusCode::TOO_MANY_REQUESTS) => 1,
                    Some(StatusCode::SERVICE_UNAVAILABLE) => 2,
                    _ => 3,
                };
                counts[slot].fetch_add(1, Ordering::Relaxed);
                slot < 3
            }
        })
    };
    let good = {
        let (http, url) = (target.http.clone(), url.clone());
        let (id, secret) = (target.client_id.clone(), target.client_secret.clone());
        load::run(
            "POST /oauth2/token (good clients, during the flood)",
            clients,
            duration,
            move |_, _| {
                let (http, url, id, secret) =
                    (http.clone(), url.clone(), id.clone(), secret.clone());
                async move { post(&http, &url, &id, &secret).await == Some(StatusCode::OK) }
            },
        )
    };
    let (flood, good) = tokio::join!(flood, good);
    let [unauthorized, limited, busy, other] = counts
        .as_ref()
        .each_ref()
        .map(|c| c.load(Ordering::Relaxed));
    eprintln!(
        "token-flood: the flood got {unauthorized} × 401, {limited} × 429, {busy} × 503, \
         {other} × other (warm-up included)"
    );
    Ok(vec![good, flood])
}

async fn post(http: &Client, url: &str, id: &str, secret: &str) -> Option<StatusCode> {
    let r = http
        .post(url)
        .basic_auth(id, Some(secret))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body("grant_type=client_credentials")
        .send()
        .await
        .ok()?;
    let status = r.status();
    r.bytes().await.ok()?;
    Some(status)
}
