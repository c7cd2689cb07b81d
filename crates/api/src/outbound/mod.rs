//! Everything that leaves the server: webhook deliveries (signed, see [`signing`]) and e-mail
//! notifications, both rows of the outbox written in the transaction of the change they report,
//! and the one worker per node that delivers them ([`worker`]).
//!
//! Also the extension operations of webhooks: the event feed ([`feed`]) and the subscriptions
//! ([`subscriptions`]).

pub mod address;
pub mod feed;
pub mod signing;
pub mod subscriptions;
pub mod wire;
pub mod worker;

use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::Deserialize;
use wink_domain::outbox::RetryPolicy;
use wink_store::notifications::Notification;

use crate::state::AppState;

pub use worker::spawn;

/// Sends one notification of the outbox (an e-mail). The worker calls it for each due row and
/// records the outcome; without one (`AppState::mailer` is `None`) notifications stay in the
/// outbox untouched.
pub trait MailSender: Send + Sync + std::fmt::Debug {
    fn deliver<'a>(
        &'a self,
        state: &'a AppState,
        note: &'a Notification,
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>>;
}

/// Why a delivery did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryFailure {
    /// It may work later (the receiver was down, timed out, answered 5xx): retried with backoff.
    Retry(String),
    /// It will not work as it is (a refused address, a rejected recipient): dead at once.
    Permanent(String),
}

impl std::fmt::Display for DeliveryFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryFailure::Retry(m) | DeliveryFailure::Permanent(m) => f.write_str(m),
        }
    }
}

/// `[webhooks]` of the config file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Deliver to loopback, private and link-local addresses too (tests, a receiver on the
    /// server's own network). Off: such a delivery is refused and dead at once.
    pub allow_private: bool,
    /// How long a receiver has to answer (10).
    pub timeout_seconds: u64,
    /// How long a rotated-out secret keeps signing beside the new one (24).
    pub rotation_overlap_hours: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            allow_private: false,
            timeout_seconds: 10,
            rotation_overlap_hours: 24,
        }
    }
}

/// `[outbox]` of the config file: how the worker retries, for both queues.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxConfig {
    /// Attempts before a delivery is dead (10).
    pub max_attempts: u32,
    /// The pause after the first failure, doubling after each (5000 ms).
    pub backoff_base_ms: u64,
    /// The longest pause (3600 s).
    pub backoff_cap_seconds: u64,
    /// How often an idle worker looks for due rows (1000 ms).
    pub poll_interval_ms: u64,
    /// Rows a worker takes at once per queue (32).
    pub batch: u32,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        let policy = RetryPolicy::default();
        OutboxConfig {
            max_attempts: policy.max_attempts,
            backoff_base_ms: policy.base.as_millis() as u64,
            backoff_cap_seconds: policy.cap.as_secs(),
            poll_interval_ms: 1000,
            batch: 32,
        }
    }
}

impl OutboxConfig {
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            base: Duration::from_millis(self.backoff_base_ms),
            cap: Duration::from_secs(self.backoff_cap_seconds),
        }
    }
}

/// `[events]` of the config file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// Days the event feed keeps events (30); delivered webhook deliveries go with them.
    pub retention_days: u32,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig { retention_days: 30 }
    }
}
