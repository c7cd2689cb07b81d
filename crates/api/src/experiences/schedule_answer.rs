//! The wire form of a schedule item: the item as sent, with what the server knows of its booking
//! (code, guest) and of the inventory item (name, contact, address), and the title and
//! description calendar views show.

use chrono::{DateTime, Utc};
use wink_contract::{BookingAncillaryType, ScheduleItem};
use wink_store::inventory::Kind;
use wink_store::schedule_items::Scheduled;

use crate::error::{ApiError, from_document};

/// `s` as answered; `occurrence` replaces its start and end (one occurrence of a series in a
/// list).
pub fn answer(
    s: &Scheduled,
    occurrence: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<ScheduleItem, ApiError> {
    let item = &s.item;
    let (start, end) = occurrence.unwrap_or((item.starts_at, item.ends_at));
    let full_name = format!("{} {}", s.guest_first_name, s.guest_last_name)
        .trim()
        .to_string();
    let kind = ancillary_type(s.kind);
    let venue = |field: &str| s.venue.0.get(field).cloned();
    Ok(ScheduleItem {
        id: Some(item.id),
        created_date: Some(item.created_at),
        last_update: Some(item.updated_at),
        version: Some(item.version),
        start: Some(start),
        start_timezone: Some(item.start_zone.clone()),
        end: Some(end),
        end_timezone: Some(item.end_zone.clone()),
        is_all_day: Some(item.all_day),
        all_day: Some(item.all_day),
        title: Some(format!(
            "{}: {} - {full_name}",
            kind.as_str(),
            s.booking_code
        )),
        description: Some(format!(
            "Type: {}, Booking code: {}, Email: {}",
            capitalized(s.kind.noun()),
            s.booking_code,
            s.guest_email
        )),
        recurrence_rule: item.recurrence_rule.clone(),
        recurrence_id: item.recurrence_id,
        recurrence_exception: item.recurrence_exceptions.0.clone(),
        owner_identifier: Some(item.inventory_id),
        booking_identifier: Some(item.booking_id),
        booking_owner_identifier: Some(item.property_id),
        hotel_identifier: Some(item.property_id),
        r#type: Some(kind),
        attendees: Some(item.attendees),
        email: s.guest_email.clone(),
        full_name: Some(full_name),
        first_name: Some(s.guest_first_name.clone()),
        last_name: Some(s.guest_last_name.clone()),
        venue_name: Some(s.venue_name.clone()),
        localized_venue_name: None,
        contact: venue("contact")
            .map(|v| from_document("inventory item contact", item.inventory_id, &v))
            .transpose()?,
        address: venue("address")
            .map(|v| from_document("inventory item address", item.inventory_id, &v))
            .transpose()?,
        created: Some(item.created_at),
        last_modified: Some(item.updated_at),
        // iCalendar's SEQUENCE: 0 as created, one more on each change.
        sequence: Some(item.version - 1),
        brand_name: None,
        email_header_logo_url: None,
        logo_identifier: None,
        language: None,
    })
}

/// The contract's type of a scheduled inventory kind.
pub fn ancillary_type(kind: Kind) -> BookingAncillaryType {
    match kind {
        Kind::AddOn => BookingAncillaryType::AddOn,
        Kind::Spa => BookingAncillaryType::Spa,
        Kind::Restaurant => BookingAncillaryType::Restaurant,
        Kind::MeetingRoom => BookingAncillaryType::MeetingRoom,
        Kind::Place => BookingAncillaryType::Place,
        Kind::Attraction => BookingAncillaryType::Attraction,
        Kind::Activity => BookingAncillaryType::Activity,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
