//! The event feed (`GET …/events?after=SEQ&limit=N`): a property's events in order, so that a
//! consumer that was down (or missed a dead webhook delivery) replays what it missed from the
//! last sequence it saw. Kept for `[events] retention_days` (30).
//!
//! A caller reads the events its scopes read (`wink_domain::webhook::scope_of`): booking events
//! with `booking.read`, rates, availability and restrictions events with `inventory.read`; the
//! operation needs one of the two (403 with neither). Sequence numbers are the property's, so a
//! caller that reads one family sees gaps where the other family's events are.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use wink_store::events::EVENT_TYPES;

use super::wire::{EventPage, FeedEvent};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::Query;
use crate::state::AppState;

pub const FEED: &str = "/api/managing-entity/{managingEntityIdentifier}/events";

/// Events a page answers unless asked for fewer.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Answer the events numbered after this one (default 0: from the oldest kept).
    #[param(value_type = Option<i64>, minimum = 0)]
    pub after: Option<String>,
    /// At most this many events (1 to 1000, default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
}

/// The property's events numbered after `after`, oldest first, at most `limit`, and the `after`
/// of the next page. Only the event types the token's scopes read: booking events with
/// `booking.read`, rates, availability and restrictions events with `inventory.read`.
#[utoipa::path(get, path = FEED, operation_id = "show-events", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), FeedQuery),
    responses((status = 200, body = EventPage), Problems))]
pub async fn show_events(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(query): Query<FeedQuery>,
) -> Result<Json<EventPage>, ApiError> {
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::field("after", "must be a sequence number (0 or more)"))?,
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| ApiError::field("limit", format!("must be 1 to {MAX_LIMIT}")))?,
    };
    let types: Vec<&str> = EVENT_TYPES
        .iter()
        .copied()
        .filter(|t| {
            wink_domain::webhook::scope_of(t).is_some_and(|s| ctx.caller.claims.has_scope(s))
        })
        .collect();
    let events = state
        .store
        .events_of_types_after(ctx.property.id, after, &types, limit)
        .await?;
    let next = events.last().map_or(after, |e| e.seq);
    let has_more = events.len() == limit as usize;
    Ok(Json(EventPage {
        events: events
            .into_iter()
            .map(|e| FeedEvent {
                id: e.id,
                sequence: e.seq,
                r#type: e.event_type,
                timestamp: e.occurred_at,
                data: e.payload.0,
            })
            .collect(),
        next,
        has_more,
    }))
}
