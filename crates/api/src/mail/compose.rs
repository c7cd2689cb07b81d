//! From a notification row to what its mail says: the recipient, where replies go, the letter
//! and the attachment, read from the booking (or the invitation's details) as they are now.

use lettre::Address;
use lettre::message::Mailbox;
use serde_json::Value;
use wink_domain::Currency;
use wink_domain::mail::Mail;
use wink_store::affiliate_invitations::AFFILIATE_INVITATION;
use wink_store::bookings::Booking;
use wink_store::notifications::{
    BOOKING_CANCELLATION, BOOKING_CONFIRMATION, BOOKING_NOTICE, Notification,
};
use wink_store::properties::Property;

use super::templates::{self, BookingFacts, InvitationFacts, Letter};
use crate::bookings::booking_answer::{Extras, Snapshot};
use crate::bookings::resend::property_email;
use crate::error::ApiError;
use crate::outbound::DeliveryFailure;
use crate::state::AppState;

/// A notification written as a mail, before its envelope.
#[derive(Debug, Clone)]
pub struct Composed {
    pub to: Mailbox,
    /// Where replies go (none: the configured `reply_to`, else the sender).
    pub reply_to: Option<Mailbox>,
    pub letter: Letter,
    /// A file name and its PDF bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

pub async fn compose(state: &AppState, note: &Notification) -> Result<Composed, DeliveryFailure> {
    let to = mailbox(None, &note.recipient)?;
    match note.kind.as_str() {
        BOOKING_CONFIRMATION | BOOKING_CANCELLATION | BOOKING_NOTICE => {
            booking_mail(state, note, to).await
        }
        AFFILIATE_INVITATION => invitation(state, note, to).await,
        other => Err(DeliveryFailure::Permanent(format!(
            "notification {}: no mail is written for kind {other}",
            note.id
        ))),
    }
}

async fn booking_mail(
    state: &AppState,
    note: &Notification,
    to: Mailbox,
) -> Result<Composed, DeliveryFailure> {
    let missing =
        || DeliveryFailure::Permanent(format!("notification {}: its booking is gone", note.id));
    let booking = note.booking_id.ok_or_else(missing)?;
    let row = state
        .store
        .booking(note.property_id, booking)
        .await
        .map_err(|e| failure(e.into(), "reading the booking"))
        .map_err(|f| {
            if matches!(f, DeliveryFailure::Permanent(_)) {
                missing()
            } else {
                f
            }
        })?;
    let property = state
        .store
        .property(note.property_id)
        .await
        .map_err(|e| failure(e.into(), "reading the property"))?;
    let snapshot = Snapshot::of(&row).map_err(|e| failure(e, "reading the booking"))?;
    let facts = facts(&row, &property, &snapshot);
    let language = snapshot.user_session.language.as_deref();
    let desk = property_email(&property).and_then(|e| mailbox(Some(&property.name), &e).ok());
    match note.kind.as_str() {
        BOOKING_CONFIRMATION => {
            let letter = templates::confirmation(&facts, Mail::Confirmation.language(language));
            let pdf = confirmation_pdf(state, row, property).await?;
            Ok(Composed {
                to: named(to, &facts.guest),
                reply_to: desk,
                letter,
                attachment: Some((format!("booking-{}.pdf", facts.code), pdf)),
            })
        }
        BOOKING_CANCELLATION => Ok(Composed {
            to: named(to, &facts.guest),
            reply_to: desk,
            letter: templates::cancellation(&facts, Mail::Cancellation.language(language)),
            attachment: None,
        }),
        _ => Ok(Composed {
            to,
            // The desk answers the guest.
            reply_to: mailbox(Some(&facts.guest), &facts.guest_email).ok(),
            letter: templates::notice(&facts),
            attachment: None,
        }),
    }
}

fn facts(row: &Booking, property: &Property, snapshot: &Snapshot) -> BookingFacts {
    let stay = &snapshot.room_stay;
    let doc = &property.document.0;
    let property_contact = ["/reservation/email", "/reservation/phoneNumber"]
        .iter()
        .filter_map(|p| doc.pointer(p).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    BookingFacts {
        code: row.code.clone(),
        property: property.name.clone(),
        property_contact,
        guest: format!("{} {}", row.guest_first_name, row.guest_last_name),
        guest_email: row.guest_email.clone(),
        arrival: row.arrival,
        departure: row.departure,
        nights: (row.departure - row.arrival).num_days(),
        room: stay.room.name.clone(),
        rooms: row.quantity,
        rate_plan: stay.rate_plan.name.clone(),
        adults: stay.adults,
        children: stay.children,
        total: row.total.0,
        currency: row.currency.clone(),
        minor: Currency::parse(&row.currency)
            .map(|c| c.minor_units())
            .unwrap_or(2),
        channel: snapshot.customization.name.clone(),
        test: row.creation == "TEST",
        cancelled: row.status == "CANCELLED",
        penalty: row.penalty.map(|p| p.0),
    }
}

async fn confirmation_pdf(
    state: &AppState,
    row: Booking,
    property: Property,
) -> Result<Vec<u8>, DeliveryFailure> {
    let extras = Extras::of(&state.store, row.id)
        .await
        .map_err(|e| failure(e, "reading the booking"))?;
    let zone = crate::dates::zone_named(&property.time_zone);
    let (fonts, now) = (state.fonts.clone(), state.now());
    // Shaping and subsetting fonts is CPU work: off the async workers.
    tokio::task::spawn_blocking(move || {
        crate::bookings::pdf::confirmation(&row, &property, &extras, zone, now, &fonts)
    })
    .await
    .map_err(|e| DeliveryFailure::Retry(format!("writing the confirmation PDF: {e}")))?
    .map_err(|e| failure(e, "writing the confirmation PDF"))
}

async fn invitation(
    state: &AppState,
    note: &Notification,
    to: Mailbox,
) -> Result<Composed, DeliveryFailure> {
    let details = state
        .store
        .notification_details(note.id)
        .await
        .map_err(|e| failure(e.into(), "reading the invitation"))?
        .unwrap_or(Value::Null);
    let text = |key: &str| details.get(key).and_then(Value::as_str).map(str::trim);
    let affiliate = text("affiliateName").unwrap_or_default().to_string();
    let property = match text("propertyName") {
        Some(name) => name.to_string(),
        None => {
            state
                .store
                .property(note.property_id)
                .await
                .map_err(|e| failure(e.into(), "reading the property"))?
                .name
        }
    };
    // Replies reach the property that sent the invitation.
    let reply_to = text("replyTo").and_then(|r| mailbox(Some(&property), r).ok());
    Ok(Composed {
        to: named(to, &affiliate),
        reply_to,
        letter: templates::invitation(&InvitationFacts {
            property,
            affiliate,
        }),
        attachment: None,
    })
}

/// `address` as a mailbox, named `name` (none or blank: the bare address). An address that is
/// not one can never be delivered.
fn mailbox(name: Option<&str>, address: &str) -> Result<Mailbox, DeliveryFailure> {
    let email: Address = address.trim().parse().map_err(|e| {
        DeliveryFailure::Permanent(format!("{address:?} is not an e-mail address: {e}"))
    })?;
    let name = name
        .map(wink_domain::mail::one_line)
        .filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, email))
}

fn named(to: Mailbox, name: &str) -> Mailbox {
    let name = wink_domain::mail::one_line(name);
    Mailbox::new((!name.is_empty()).then_some(name), to.email)
}

/// What an error reading what the mail needs means for it: storage that was busy or a
/// failure of ours may pass; anything gone or refused stays so.
fn failure(e: ApiError, doing: &str) -> DeliveryFailure {
    match e {
        ApiError::Unavailable(why) | ApiError::Internal(why) => {
            DeliveryFailure::Retry(format!("{doing}: {why}"))
        }
        other => DeliveryFailure::Permanent(format!("{doing}: {other}")),
    }
}
