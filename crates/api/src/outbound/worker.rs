//! The delivery worker: one per node (started by `serve`), stopping when the server starts to
//! drain. Each round it leases due rows of both queues (see `wink_store::webhooks`), delivers
//! them concurrently (a subscription has at most one due row, so its events stay in order), and
//! records each outcome under its lease: delivered, retried after the backoff of
//! `wink_domain::outbox`, or dead. A node that dies mid-delivery leaves its lease to expire
//! (the receiver's timeout and a margin); another worker then delivers the row again with the
//! same `webhook-id`, which is how a receiver recognises a repeat.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::json;
use uuid::Uuid;
use wink_domain::outbox::AfterFailure;
use wink_store::webhooks::{Finished, Leased};

use super::{DeliveryFailure, address, signing};
use crate::state::AppState;

/// How long past the receiver's timeout a lease lasts: time to record the outcome.
const LEASE_MARGIN: Duration = Duration::from_secs(30);
/// How often the worker deletes what is past the retention period.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Starts the worker on `state`; it ends when the server starts to drain (after the round in
/// progress, whose deliveries are bounded by the receiver timeout).
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(state))
}

async fn run(state: AppState) {
    let client = match client(&state) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "the delivery worker cannot build its HTTP client; nothing will be delivered");
            return;
        }
    };
    let poll = Duration::from_millis(state.config.outbox.poll_interval_ms.max(10));
    let mut last_sweep: Option<std::time::Instant> = None;
    loop {
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            sweep(&state).await;
            last_sweep = Some(std::time::Instant::now());
        }
        let worked = match round(&state, &client).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "the delivery worker could not lease rows; trying again");
                0
            }
        };
        if worked == 0 {
            tokio::select! {
                _ = state.shutdown.draining() => break,
                _ = tokio::time::sleep(poll) => {}
            }
        } else if is_draining(&state) {
            break;
        }
    }
    tracing::info!("delivery worker stopped");
}

fn is_draining(state: &AppState) -> bool {
    futures_util::FutureExt::now_or_never(state.shutdown.draining()).is_some()
}

/// The HTTP client of webhooks: the guarded resolver, the timeout, no redirects (a receiver
/// that redirects could send the request anywhere, past the address check).
fn client(state: &AppState) -> reqwest::Result<reqwest::Client> {
    let webhooks = &state.config.webhooks;
    reqwest::Client::builder()
        .dns_resolver(address::GuardedResolver::shared(webhooks.allow_private))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(webhooks.timeout_seconds.max(1)))
        .user_agent(concat!("wink-supplier/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// One round of both queues; answers how many rows it handled.
async fn round(
    state: &AppState,
    client: &reqwest::Client,
) -> Result<usize, wink_store::StoreError> {
    let config = &state.config;
    let now = state.now();
    let until = now
        + chrono::Duration::from_std(
            Duration::from_secs(config.webhooks.timeout_seconds) + LEASE_MARGIN,
        )
        .unwrap_or_default();
    let lease = Uuid::new_v4();
    let deliveries = state
        .store
        .lease_webhook_deliveries(now, until, lease, config.outbox.batch)
        .await?;
    let mut handled = deliveries.len();
    let sends = deliveries.iter().map(|d| async move {
        let outcome = send(state, client, d).await;
        finish(
            state,
            lease,
            d.delivery.id,
            d.delivery.attempts,
            outcome,
            true,
        )
        .await;
    });
    futures_util::future::join_all(sends).await;

    if let Some(mailer) = state.mailer.clone() {
        let notes = state
            .store
            .lease_notifications(now, until, lease, config.outbox.batch)
            .await?;
        handled += notes.len();
        let sends = notes.iter().map(|(note, attempts)| {
            let mailer = mailer.clone();
            async move {
                let outcome = mailer.deliver(state, note).await;
                finish(state, lease, note.id, *attempts, outcome, false).await;
            }
        });
        futures_util::future::join_all(sends).await;
    }
    Ok(handled)
}

/// The body of a delivery: `{type, timestamp, data}`.
pub fn body(d: &wink_store::webhooks::Delivery) -> Vec<u8> {
    let message = json!({
        "type": d.event_type,
        "timestamp": d.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": d.payload.0,
    });
    serde_json::to_vec(&message).unwrap_or_default()
}

/// One attempt of a webhook delivery.
async fn send(
    state: &AppState,
    client: &reqwest::Client,
    leased: &Leased,
) -> Result<(), DeliveryFailure> {
    let d = &leased.delivery;
    let url = reqwest::Url::parse(&leased.url)
        .map_err(|e| DeliveryFailure::Permanent(format!("the URL is not valid: {e}")))?;
    if let Some(refused) = url
        .host_str()
        .and_then(|h| address::refused_host(h, state.config.webhooks.allow_private))
    {
        return Err(DeliveryFailure::Permanent(refused.to_string()));
    }
    let now = state.now();
    let previous = leased
        .previous_secret
        .as_deref()
        .zip(leased.previous_secret_until);
    let secrets = wink_domain::webhook::signing_secrets(&leased.secret, previous, now);
    let body = body(d);
    let id = d.event_id.to_string();
    let timestamp = now.timestamp();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signing::signature(&secrets, &id, timestamp, &body),
        )
        .header("wink-event-sequence", d.event_seq.to_string())
        .header("wink-webhook-sequence", d.seq.to_string())
        .body(body)
        .send()
        .await;
    match response {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(DeliveryFailure::Retry(format!(
            "the receiver answered {}",
            r.status()
        ))),
        Err(e) => Err(match address::refusal(&e) {
            Some(refused) => DeliveryFailure::Permanent(refused),
            None if e.is_timeout() => {
                DeliveryFailure::Retry("the receiver did not answer in time".into())
            }
            None => DeliveryFailure::Retry(chain(&e)),
        }),
    }
}

/// An error with its causes, as one line (reqwest's own text is only "error sending request").
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Records an attempt's outcome under `lease` (a webhook delivery, or a notification).
async fn finish(
    state: &AppState,
    lease: Uuid,
    id: Uuid,
    attempts_before: i32,
    outcome: Result<(), DeliveryFailure>,
    webhook: bool,
) {
    let at = state.now();
    let finished = match outcome {
        Ok(()) => Finished::Delivered { at },
        Err(DeliveryFailure::Permanent(error)) => Finished::Dead { at, error },
        Err(DeliveryFailure::Retry(error)) => {
            let attempts = u32::try_from(attempts_before).unwrap_or(0) + 1;
            let jitter = rand::thread_rng().r#gen::<f64>();
            match state
                .config
                .outbox
                .retry_policy()
                .after_failure(attempts, jitter)
            {
                AfterFailure::Dead => Finished::Dead { at, error },
                AfterFailure::RetryIn(pause) => Finished::Retry {
                    at: later(at, pause),
                    error,
                },
            }
        }
    };
    let recorded = if webhook {
        state
            .store
            .finish_webhook_delivery(id, lease, &finished)
            .await
    } else {
        state.store.finish_notification(id, lease, &finished).await
    };
    match recorded {
        Ok(true) => {
            if let Finished::Dead { error, .. } = &finished {
                tracing::warn!(%id, webhook, %error, "delivery dead: retry it with `wink-supplier outbox retry`");
            }
        }
        Ok(false) => {
            tracing::warn!(%id, "a delivery's lease expired before its outcome was recorded; it will be delivered again")
        }
        Err(e) => {
            tracing::warn!(%id, error = %e, "recording a delivery's outcome failed; it will be delivered again")
        }
    }
}

fn later(at: DateTime<Utc>, pause: Duration) -> DateTime<Utc> {
    wink_store::stored_precision(at + chrono::Duration::from_std(pause).unwrap_or_default())
}

/// Deletes events past the retention period, and the deliveries delivered before it.
async fn sweep(state: &AppState) {
    let days = i64::from(state.config.events.retention_days);
    let before = state.now() - chrono::Duration::days(days);
    match state.store.delete_events_before(before).await {
        Ok(n) if n > 0 => tracing::info!(deleted = n, days, "events past retention deleted"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "deleting events past retention failed"),
    }
    if let Err(e) = state.store.delete_delivered_webhooks_before(before).await {
        tracing::warn!(error = %e, "deleting delivered webhooks past retention failed");
    }
}
