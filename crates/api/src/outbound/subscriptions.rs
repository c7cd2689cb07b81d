//! Webhook subscriptions of a property (extension operations): create (answers the signing
//! secret once), list, show, replace, delete, rotate the secret.
//!
//! Scopes: every operation needs `booking.read` or `inventory.read`; a subscription may ask only
//! for the event types the caller's scopes read (`wink_domain::webhook::scope_of`: 403 naming
//! the scope otherwise), and a caller sees and manages only the subscriptions whose event types
//! its scopes read (others answer 404, as missing). Writes take the version (`If-Match` → 412, the
//! body's `version` → 409), like every resource.

use axum::Json;
use axum::extract::State;
use uuid::Uuid;
use wink_store::events::EVENT_TYPES;
use wink_store::webhooks::{Subscription, SubscriptionChange, types_column};

use super::wire::{WebhookSubscription, WebhookSubscriptionRequest};
use super::{address, signing};
use crate::auth::{Caller, PropertyContext};
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

pub const LIST: &str = "/api/managing-entity/{managingEntityIdentifier}/webhooks";
pub const ONE: &str =
    "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}";
pub const ROTATE: &str =
    "/api/managing-entity/{managingEntityIdentifier}/webhooks/{webhookIdentifier}/rotate-secret";

/// Longest URL accepted.
const MAX_URL: usize = 2048;

/// Subscribe a URL to events of the property. Answers the subscription with its signing secret
/// (`whsec_…`), shown this once. Deliveries follow Standard Webhooks: headers `webhook-id` (the
/// event's id), `webhook-timestamp`, `webhook-signature` (`v1,` HMAC-SHA256 of
/// `id.timestamp.body`), body `{type, timestamp, data}`.
#[utoipa::path(post, path = LIST, operation_id = "create-webhook", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = WebhookSubscriptionRequest,
    responses((status = 201, body = WebhookSubscription), Problems))]
pub async fn create_webhook(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<WebhookSubscriptionRequest>,
) -> Result<Resource<WebhookSubscription>, ApiError> {
    let change = checked(&state, &ctx.caller, &body.value)?;
    let now = state.now();
    let row = Subscription {
        id: Uuid::new_v4(),
        property_id: ctx.property.id,
        url: change.url,
        event_types: change.event_types,
        active: change.active,
        secret: signing::new_secret(),
        previous_secret: None,
        previous_secret_until: None,
        last_seq: 0,
        created_by: ctx.caller.client_id,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    state.store.create_webhook(&row).await?;
    Ok(Resource::created(wire(&row, true), row.version))
}

/// The property's subscriptions that the token's scopes read, oldest first (no secrets).
#[utoipa::path(get, path = LIST, operation_id = "show-webhooks", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WebhookSubscription>), Problems))]
pub async fn show_webhooks(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Json<Vec<WebhookSubscription>>, ApiError> {
    let rows = state.store.webhooks(Some(ctx.property.id)).await?;
    Ok(Json(
        rows.iter()
            .filter(|s| readable(&ctx.caller, s))
            .map(|s| wire(s, false))
            .collect(),
    ))
}

/// One subscription (no secret).
#[utoipa::path(get, path = ONE, operation_id = "show-webhook", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), ("webhookIdentifier" = Uuid, Path)),
    responses((status = 200, body = WebhookSubscription), Problems))]
pub async fn show_webhook(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WebhookSubscription>, ApiError> {
    let row = find(&state, &ctx, &ids.1).await?;
    Ok(Resource::ok(wire(&row, false), row.version))
}

/// Replace a subscription's URL, event types and switch (`active`, default on). Events that
/// happen while it is off are not delivered to it later (the event feed has them).
#[utoipa::path(put, path = ONE, operation_id = "update-webhook", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), ("webhookIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = WebhookSubscriptionRequest,
    responses((status = 200, body = WebhookSubscription), Problems))]
pub async fn update_webhook(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<WebhookSubscriptionRequest>,
) -> Result<Resource<WebhookSubscription>, ApiError> {
    let existing = find(&state, &ctx, &ids.1).await?;
    let expected = Expected::new(if_match, body.version);
    let change = checked(&state, &ctx.caller, &body.value)?;
    let row = state
        .store
        .update_webhook(ctx.property.id, existing.id, &change, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(wire(&row, false), row.version))
}

/// Delete a subscription; its pending deliveries are dropped. Answers it as it was.
#[utoipa::path(delete, path = ONE, operation_id = "remove-webhook", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), ("webhookIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the deletion is based on")),
    responses((status = 200, body = WebhookSubscription), Problems))]
pub async fn remove_webhook(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
) -> Result<Resource<WebhookSubscription>, ApiError> {
    let existing = find(&state, &ctx, &ids.1).await?;
    let expected = Expected::new(if_match, None);
    let row = state
        .store
        .delete_webhook(Some(ctx.property.id), existing.id, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(wire(&row, false), row.version))
}

/// Give a subscription a new signing secret, answered this once. The old one keeps signing
/// beside it (a second `v1,` signature) for `[webhooks] rotation_overlap_hours` (24), so the
/// receiver can switch without losing a delivery.
#[utoipa::path(post, path = ROTATE, operation_id = "rotate-webhook-secret", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), ("webhookIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the rotation is based on")),
    responses((status = 200, body = WebhookSubscription), Problems))]
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
) -> Result<Resource<WebhookSubscription>, ApiError> {
    let existing = find(&state, &ctx, &ids.1).await?;
    let expected = Expected::new(if_match, None);
    let now = state.now();
    // At most a year: a longer overlap is no rotation.
    let hours = state.config.webhooks.rotation_overlap_hours.min(24 * 366) as i64;
    let until = now + chrono::Duration::hours(hours);
    let row = state
        .store
        .rotate_webhook_secret(
            ctx.property.id,
            existing.id,
            &signing::new_secret(),
            until,
            now,
            expected.version(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(wire(&row, true), row.version))
}

/// The subscription named by the path, if the caller's scopes read all its event types.
async fn find(
    state: &AppState,
    ctx: &PropertyContext,
    raw: &str,
) -> Result<Subscription, ApiError> {
    let row = state.store.webhook(ctx.property.id, id(raw)?).await?;
    if !readable(&ctx.caller, &row) {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

fn readable(caller: &Caller, s: &Subscription) -> bool {
    wink_domain::webhook::missing_scopes(s.event_types(), |scope| caller.claims.has_scope(scope))
        .is_empty()
}

/// The request's change, checked: a URL the worker may call, known event types (each once) that
/// the caller's scopes read.
fn checked(
    state: &AppState,
    caller: &Caller,
    req: &WebhookSubscriptionRequest,
) -> Result<SubscriptionChange, ApiError> {
    let (url, types) = validated(
        &req.url,
        &req.event_types,
        state.config.webhooks.allow_private,
    )?;
    let missing =
        wink_domain::webhook::missing_scopes(types.iter().copied(), |s| caller.claims.has_scope(s));
    if let Some(scope) = missing.first() {
        return Err(ApiError::Forbidden(scope));
    }
    Ok(SubscriptionChange {
        url,
        event_types: types_column(&types),
        active: req.active.unwrap_or(true),
        at: state.now(),
    })
}

/// `url` and `event_types` as a subscription keeps them (the URL trimmed, each known type once),
/// or a 400 naming the field. Also the CLI's check.
pub fn validated<S: AsRef<str>>(
    url: &str,
    event_types: &[S],
    allow_private: bool,
) -> Result<(String, Vec<&'static str>), ApiError> {
    let url = url.trim();
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ApiError::field("/url", format!("must be an absolute URL: {e}")))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(ApiError::field(
            "/url",
            "must be an http:// or https:// URL with a host",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ApiError::field(
            "/url",
            "must not carry credentials; receivers check the signature instead",
        ));
    }
    if url.len() > MAX_URL {
        return Err(ApiError::field(
            "/url",
            format!("at most {MAX_URL} characters"),
        ));
    }
    if let Some(refused) = parsed
        .host_str()
        .and_then(|h| address::refused_host(h, allow_private))
    {
        return Err(ApiError::field("/url", refused.to_string()));
    }
    let mut types: Vec<&'static str> = Vec::new();
    for (i, t) in event_types.iter().enumerate() {
        let Some(known) = EVENT_TYPES.iter().find(|k| **k == t.as_ref()) else {
            return Err(ApiError::field(
                format!("/eventTypes/{i}"),
                format!("unknown event type; one of {}", EVENT_TYPES.join(", ")),
            ));
        };
        if !types.contains(known) {
            types.push(known);
        }
    }
    if types.is_empty() {
        return Err(ApiError::field(
            "/eventTypes",
            "name at least one event type",
        ));
    }
    Ok((url.to_string(), types))
}

fn wire(s: &Subscription, with_secret: bool) -> WebhookSubscription {
    WebhookSubscription {
        id: s.id,
        url: s.url.clone(),
        event_types: s.event_types().into_iter().map(str::to_string).collect(),
        active: s.active,
        secret: with_secret.then(|| s.secret.clone()),
        previous_secret_expires_at: s.previous_secret_until,
        last_sequence: s.last_seq,
        created_at: s.created_at,
        updated_at: s.updated_at,
        version: s.version,
    }
}
