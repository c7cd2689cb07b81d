//! Tag "Calendar Sync": the property's bookings as an iCalendar feed that calendar apps subscribe
//! to, and the passkey that protects it.
//!
//! - `caldav/auth/regen` creates the property's feed credential, or replaces its passkey: the new
//!   passkey is answered once and stored only as a keyed hash (HMAC-SHA-256, see `auth::secret`); the old one stops working at
//!   once.
//! - `caldav/auth` answers the credential's identifier, the property and the feed URL, never the
//!   passkey (it is not kept); 404 until a passkey was generated.
//! - The feed (`/api/cal/property/{id}/booking/list`) is read with HTTP Basic: user name the
//!   property's identifier (`hotelIdentifier`), password the passkey. Anything else, including an
//!   unknown property, is 401 with `WWW-Authenticate: Basic` (the same answer in about the same
//!   time either way, so the feed does not tell which properties exist). Failures count against
//!   the property and the caller's address: over the limit, 429 with `Retry-After`
//!   ([`crate::auth::limits`]).
//! - The feed (RFC 5545) has one all-day event per booking departing from a year ago on:
//!   DTSTART/DTEND the arrival and departure dates, UID `<booking id>@<host>`, SUMMARY guest, room
//!   type and booking code, STATUS CONFIRMED or CANCELLED (so calendars remove cancelled stays),
//!   SEQUENCE the booking's version less one, DTSTAMP/LAST-MODIFIED its last change.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Days;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property as ICalProperty};
use uuid::Uuid;
use wink_contract::CalDavResponse;
use wink_store::bookings::Booking;
use wink_store::caldav::CaldavCredential;
use wink_store::properties::Property;

use super::booking_answer::{self, Snapshot};
use crate::auth::PropertyContext;
use crate::auth::limits::{ClientAddress, Subject};
use crate::auth::secret::{self, Verified};
use crate::error::{ApiError, Problems};
use crate::extract::Path;
use crate::state::AppState;

pub const FEED: &str = "/api/cal/property/{managingEntityIdentifier}/booking/list";

/// How far back the feed reaches: stays that departed up to this many days ago.
pub const FEED_DAYS_BACK: u64 = 365;

fn answer(credential: &CaldavCredential, base: &str, passkey: Option<String>) -> CalDavResponse {
    CalDavResponse {
        identifier: Some(credential.id),
        hotel_identifier: Some(credential.property_id),
        passkey,
        url: Some(format!(
            "{base}{}",
            FEED.replace(
                "{managingEntityIdentifier}",
                &credential.property_id.to_string()
            )
        )),
    }
}

/// The property's calendar-feed connection: its identifier, the property (the feed's user name)
/// and the feed URL. The passkey is not answered: it is shown once, when generated, and only its
/// hash is kept. 404 while no passkey has been generated (`caldav/auth/regen`).
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/caldav/auth",
    operation_id = "retrieve-cal-dav-auth", tag = "Calendar Sync",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = CalDavResponse), Problems))]
pub async fn retrieve_cal_dav_auth(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<CalDavResponse>, ApiError> {
    let credential = state
        .store
        .caldav_credential(ctx.property.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(axum::Json(answer(
        &credential,
        &state.public_base_url(),
        None,
    )))
}

/// Generate the feed's passkey: the first one, or a new one that replaces the old (calendars
/// subscribed with the old one must be given the new one). The passkey is in this answer only.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/caldav/auth/regen",
    operation_id = "generate-cal-dav-auth", tag = "Calendar Sync",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = CalDavResponse), Problems))]
pub async fn generate_cal_dav_auth(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<CalDavResponse>, ApiError> {
    let passkey = format!("pkey_{}", secret::generate());
    let hash = state.hash_key.hash(&passkey);
    let credential = state
        .store
        .rotate_caldav_passkey(ctx.property.id, &hash, ctx.caller.client_id, state.now())
        .await?;
    Ok(axum::Json(answer(
        &credential,
        &state.public_base_url(),
        Some(passkey),
    )))
}

/// The user name and password of an `Authorization: Basic` header.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// The property's bookings as an iCalendar feed (text/calendar), for calendar apps. HTTP Basic:
/// the property's identifier and its CalDAV passkey.
#[utoipa::path(get, path = "/api/cal/property/{managingEntityIdentifier}/booking/list",
    operation_id = "caldav", tag = "Calendar Sync",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, description = "The iCalendar feed (RFC 5545)",
        content_type = "text/calendar", body = String), Problems))]
pub async fn caldav(
    State(state): State<AppState>,
    address: ClientAddress,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let property_id = Uuid::parse_str(&raw).ok();
    let attempt = state
        .auth_limits
        .attempt(property_id.map(Subject::CalendarFeed), address)?;
    let credential = match property_id {
        Some(id) => state.store.caldav_credential(id).await?,
        None => None,
    };
    let (user, password) = basic(&headers).unwrap_or_default();
    let user_ok = property_id.is_some_and(|id| user.eq_ignore_ascii_case(&id.to_string()));
    // Only a passkey that could match is hashed, and every miss counts against the feed and
    // the address.
    let stored = credential
        .as_ref()
        .filter(|_| user_ok)
        .map(|c| c.passkey_hash.as_str());
    let verified = attempt.verify(&password, stored).await?;
    let (Some(property_id), true) = (property_id, verified.matches()) else {
        return Err(ApiError::PasskeyRequired);
    };
    if let (Verified::Rehash(new), Some(old)) = (&verified, stored) {
        // An earlier version's Argon2 hash: the keyed hash takes its place, once.
        if let Err(e) = state
            .store
            .rehash_caldav_passkey(property_id, old, new)
            .await
        {
            tracing::warn!(property = %property_id, error = %e, "storing the passkey's keyed hash failed; it stays under Argon2 for now");
        }
    }
    let property = state.store.property(property_id).await?;
    let today = state.today_in(crate::dates::zone_named(&property.time_zone));
    let from = today - Days::new(FEED_DAYS_BACK);
    let bookings = state.store.calendar_bookings(property_id, from).await?;
    let base = state.public_base_url();
    let host = host_of(&base);
    let body = feed(&property, &bookings, &host)?;
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// The host of a base URL (`http://example.org:8080` → `example.org`).
fn host_of(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    host.trim_matches(['[', ']']).to_string()
}

/// Text as iCalendar takes it before escaping: line breaks (CRLF, CR, LF) as one LF, which the
/// writer escapes as `\\n`, and no other control characters (a TEXT value may not hold them, and
/// `icalendar` escapes only backslash, comma, semicolon and LF).
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The feed's text, written by the `icalendar` crate (escaping TEXT values, folding lines at 75
/// octets on character boundaries, CRLF line ends).
pub fn feed(property: &Property, bookings: &[Booking], host: &str) -> Result<String, ApiError> {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(ICalProperty::new("VERSION", "2.0"))
        .append_property(ICalProperty::new(
            "PRODID",
            "-//wink-supplier//Calendar Sync//EN",
        ))
        .append_property(ICalProperty::new("CALSCALE", "GREGORIAN"))
        .append_property(ICalProperty::new("METHOD", "PUBLISH"))
        .append_property(ICalProperty::new(
            "X-WR-CALNAME",
            clean_text(&format!("{} bookings", property.name)),
        ))
        .append_property(ICalProperty::new("X-WR-TIMEZONE", &property.time_zone))
        .append_property(
            ICalProperty::new("REFRESH-INTERVAL", "PT15M")
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(ICalProperty::new("X-PUBLISHED-TTL", "PT15M"));
    for b in bookings {
        let snapshot = Snapshot::of(b)?;
        let status = booking_answer::status(b)?;
        let room = &snapshot.room_stay.room.name;
        let rooms = if b.quantity == 1 {
            room.clone()
        } else {
            format!("{room} x{}", b.quantity)
        };
        let summary = format!(
            "{} {}, {rooms}, {}",
            b.guest_first_name, b.guest_last_name, b.code
        );
        let stay = &snapshot.room_stay;
        let mut description = vec![
            format!("Booking {}", b.code),
            format!(
                "{} adult(s), {} child(ren), {} room(s)",
                stay.adults, stay.children, b.quantity
            ),
            format!("Rate plan: {}", stay.rate_plan.name),
            format!("Total: {} {}", b.total.0.normalize(), b.currency),
            format!("Guest: {}", b.guest_email),
            format!("Booked through: {}", snapshot.customization.name),
            format!("Status: {}", b.status),
        ];
        if let Some(reason) = &b.cancel_reason {
            description.push(format!("Cancelled: {reason}"));
        }
        let event = Event::new()
            .uid(&format!("{}@{host}", b.id))
            .timestamp(b.updated_at)
            .created(b.created_at)
            .last_modified(b.updated_at)
            .starts(b.arrival)
            .ends(b.departure)
            .summary(&clean_text(&summary))
            .description(&clean_text(&description.join("\n")))
            .status(if status.is_cancelled() {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            })
            .sequence(u32::try_from((b.version - 1).max(0)).unwrap_or(u32::MAX))
            .add_property("TRANSP", "TRANSPARENT")
            .done();
        calendar.push(event);
    }
    Ok(calendar.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned_then_escaped_and_folded_by_icalendar() {
        assert_eq!(clean_text("a\r\nb\rc\nd\u{7}e"), "a\nb\nc\nde");
        let event = Event::new()
            .uid("x@h")
            .timestamp(chrono::DateTime::UNIX_EPOCH)
            .summary(&clean_text(&format!("a,b;c\\d\r\n{}", "é".repeat(60))))
            .done();
        let mut calendar = Calendar::empty();
        calendar.push(event);
        let text = calendar.to_string();
        for physical in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
            assert!(!physical.contains(['\r', '\n']));
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains(&format!("SUMMARY:a\\,b\\;c\\\\d\\n{}\r\n", "é".repeat(60))),
            "{unfolded}"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://localhost"), "localhost");
        assert_eq!(host_of("https://api.example.org:8443/x"), "api.example.org");
        assert_eq!(host_of("http://[::1]:80"), "::1");
    }
}
