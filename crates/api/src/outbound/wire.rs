//! The wire types of the webhook and event-feed extensions (not the contract's: ours).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// One event of a property, as the feed answers it; a webhook's body is `type`, `timestamp` and
/// `data` of the same event, its `webhook-id` header the event's `id`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedEvent {
    /// Unique; the `webhook-id` of its deliveries.
    pub id: Uuid,
    /// 1, 2, 3... per property, in the order the changes committed, without gaps.
    pub sequence: i64,
    /// `booking.created`, `booking.cancelled`, `booking.refund_requested`, `rates.changed`,
    /// `availability.changed` or `restrictions.changed`.
    pub r#type: String,
    /// When the change happened.
    pub timestamp: DateTime<Utc>,
    /// What changed.
    #[schema(value_type = Object)]
    pub data: Value,
}

/// A page of the event feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    /// Oldest first.
    pub events: Vec<FeedEvent>,
    /// The `after` of the next request: the last event's sequence (the request's `after` when
    /// there was none).
    pub next: i64,
    /// Whether more events may follow right away (the page is full).
    pub has_more: bool,
}

/// A webhook subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSubscription {
    pub id: Uuid,
    pub url: String,
    pub event_types: Vec<String>,
    pub active: bool,
    /// The signing secret (`whsec_…`): only in the answers of creation and rotation, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Until when the secret replaced by the last rotation still signs beside the current one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// The sequence number of the subscription's latest delivery (0: none yet).
    pub last_sequence: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A subscription to create or replace.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSubscriptionRequest {
    /// Where deliveries are POSTed: `https://` (or `http://`), never to a private, loopback or
    /// link-local address unless the server allows it.
    #[schema(min_length = 1, max_length = 2048)]
    pub url: String,
    /// The event types to receive; booking events need `booking.read`, rates, availability and
    /// restrictions events `inventory.read`.
    #[schema(min_items = 1)]
    pub event_types: Vec<String>,
    /// Off: no deliveries are made for events of the meantime (default on).
    pub active: Option<bool>,
    /// The version the change is based on (or `If-Match`); a stale one is refused.
    pub version: Option<i64>,
}
