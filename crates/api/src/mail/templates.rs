//! The words of each mail, in each language it has, and one renderer that writes them as plain
//! text and as HTML.
//!
//! A template is a list of [`Block`]s (paragraphs and label/value tables), so the text and HTML
//! parts always say the same thing, and every value that a client wrote (names, the property's
//! contact) passes through the HTML escape in one place.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use wink_domain::mail::{Language, Mail, SubjectOf, subject};

use crate::markup::escape;

/// A mail's subject and its two bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub language: Language,
    pub text: String,
    pub html: String,
}

/// What a booking's mails tell, gathered from the booking, its snapshot and the property.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingFacts {
    pub code: String,
    pub property: String,
    /// How the guest reaches the property (reservations e-mail, phone), as the property wrote
    /// them.
    pub property_contact: Vec<String>,
    /// "First Last".
    pub guest: String,
    pub guest_email: String,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub nights: i64,
    pub room: String,
    pub rooms: i32,
    pub rate_plan: String,
    /// Per room.
    pub adults: i32,
    pub children: i32,
    pub total: Decimal,
    pub currency: String,
    /// The currency's decimals.
    pub minor: u32,
    /// The sales channel it was booked through.
    pub channel: String,
    pub test: bool,
    pub cancelled: bool,
    /// What the cancellation charged (none: not cancelled, or nothing recorded).
    pub penalty: Option<Decimal>,
}

/// What an affiliate invitation tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationFacts {
    pub property: String,
    pub affiliate: String,
}

enum Block {
    Paragraph(String),
    /// Said first and in bold: the booking is cancelled, a test.
    Notice(String),
    Table(Vec<(&'static str, String)>),
}

/// The labels of the booking tables.
struct Labels {
    code: &'static str,
    arrival: &'static str,
    departure: &'static str,
    nights: &'static str,
    room: &'static str,
    rate_plan: &'static str,
    guests: &'static str,
    total: &'static str,
    charge: &'static str,
    no_charge: &'static str,
}

fn labels(language: Language) -> Labels {
    match language {
        Language::English => Labels {
            code: "Booking code",
            arrival: "Arrival",
            departure: "Departure",
            nights: "Nights",
            room: "Room",
            rate_plan: "Rate plan",
            guests: "Guests",
            total: "Total",
            charge: "Cancellation charge",
            no_charge: "none",
        },
        Language::German => Labels {
            code: "Buchungsnummer",
            arrival: "Anreise",
            departure: "Abreise",
            nights: "Nächte",
            room: "Zimmer",
            rate_plan: "Rate",
            guests: "Gäste",
            total: "Gesamtbetrag",
            charge: "Stornogebühr",
            no_charge: "keine",
        },
        Language::French => Labels {
            code: "Numéro de réservation",
            arrival: "Arrivée",
            departure: "Départ",
            nights: "Nuits",
            room: "Chambre",
            rate_plan: "Tarif",
            guests: "Personnes",
            total: "Total",
            charge: "Frais d'annulation",
            no_charge: "aucuns",
        },
    }
}

fn count(n: i32, language: Language, one: [&str; 3], many: [&str; 3]) -> String {
    let i = match language {
        Language::English => 0,
        Language::German => 1,
        Language::French => 2,
    };
    format!("{n} {}", if n == 1 { one[i] } else { many[i] })
}

fn guests(f: &BookingFacts, language: Language) -> String {
    let mut text = count(
        f.adults,
        language,
        ["adult", "Erwachsener", "adulte"],
        ["adults", "Erwachsene", "adultes"],
    );
    if f.children > 0 {
        text.push_str(", ");
        text.push_str(&count(
            f.children,
            language,
            ["child", "Kind", "enfant"],
            ["children", "Kinder", "enfants"],
        ));
    }
    text
}

fn stay_table(
    f: &BookingFacts,
    language: Language,
    with_price: bool,
) -> Vec<(&'static str, String)> {
    let l = labels(language);
    let mut rows = vec![
        (l.code, f.code.clone()),
        (l.arrival, language.date(f.arrival)),
        (l.departure, language.date(f.departure)),
        (l.nights, f.nights.to_string()),
        (l.room, format!("{} × {}", f.rooms, f.room)),
    ];
    if with_price {
        rows.push((l.rate_plan, f.rate_plan.clone()));
        rows.push((l.guests, guests(f, language)));
        rows.push((l.total, language.amount(f.total, f.minor, &f.currency)));
    }
    rows
}

fn of_booking(f: &BookingFacts) -> SubjectOf<'_> {
    SubjectOf {
        property: &f.property,
        code: &f.code,
        test: f.test,
        cancelled: f.cancelled,
    }
}

/// The booking's confirmation for its guest (the PDF goes with it).
pub fn confirmation(f: &BookingFacts, language: Language) -> Letter {
    let (p, contact) = (&f.property, f.property_contact.join(", "));
    let mut blocks = Vec::new();
    if f.cancelled {
        blocks.push(Block::Notice(
            match language {
                Language::English => "This booking is cancelled.",
                Language::German => "Diese Buchung ist storniert.",
                Language::French => "Cette réservation est annulée.",
            }
            .into(),
        ));
    }
    if f.test {
        blocks.push(Block::Notice(test_words(language).into()));
    }
    let (greeting, thanks, questions, closing) = match language {
        Language::English => (
            format!("Dear {},", f.guest),
            format!(
                "Thank you for your booking at {p}. Here are its details; the full \
                 confirmation, with the price of every night and the cancellation terms, is \
                 attached as a PDF."
            ),
            format!("Questions about your stay? Contact {p}: {contact}."),
            "We look forward to welcoming you.",
        ),
        Language::German => (
            format!("Guten Tag {},", f.guest),
            format!(
                "vielen Dank für Ihre Buchung bei {p}. Hier sind die Einzelheiten; die \
                 vollständige Bestätigung mit den Preisen jeder Nacht und den \
                 Stornierungsbedingungen finden Sie im angehängten PDF."
            ),
            format!("Fragen zu Ihrem Aufenthalt? Wenden Sie sich an {p}: {contact}."),
            "Wir freuen uns auf Ihren Besuch.",
        ),
        Language::French => (
            format!("Bonjour {},", f.guest),
            format!(
                "Merci pour votre réservation auprès de {p}. En voici le détail ; la \
                 confirmation complète, avec le prix de chaque nuit et les conditions \
                 d'annulation, est jointe en PDF."
            ),
            format!("Une question sur votre séjour ? Contactez {p} : {contact}."),
            "Au plaisir de vous accueillir.",
        ),
    };
    blocks.push(Block::Paragraph(greeting));
    blocks.push(Block::Paragraph(thanks));
    blocks.push(Block::Table(stay_table(f, language, true)));
    if !f.property_contact.is_empty() {
        blocks.push(Block::Paragraph(questions));
    }
    blocks.push(Block::Paragraph(closing.into()));
    blocks.push(Block::Paragraph(p.clone()));
    letter(
        subject(Mail::Confirmation, language, of_booking(f)),
        language,
        &blocks,
    )
}

/// The booking's cancellation, for its guest.
pub fn cancellation(f: &BookingFacts, language: Language) -> Letter {
    let (p, code, contact) = (&f.property, &f.code, f.property_contact.join(", "));
    let l = labels(language);
    let mut blocks = Vec::new();
    if f.test {
        blocks.push(Block::Notice(test_words(language).into()));
    }
    let (greeting, cancelled, not_you) = match language {
        Language::English => (
            format!("Dear {},", f.guest),
            format!("Your booking {code} at {p} is cancelled."),
            format!("If you did not ask for this cancellation, contact {p}: {contact}."),
        ),
        Language::German => (
            format!("Guten Tag {},", f.guest),
            format!("Ihre Buchung {code} bei {p} wurde storniert."),
            format!(
                "Falls Sie diese Stornierung nicht veranlasst haben, wenden Sie sich bitte an \
                 {p}: {contact}."
            ),
        ),
        Language::French => (
            format!("Bonjour {},", f.guest),
            format!("Votre réservation {code} auprès de {p} est annulée."),
            format!("Si vous n'avez pas demandé cette annulation, contactez {p} : {contact}."),
        ),
    };
    blocks.push(Block::Paragraph(greeting));
    blocks.push(Block::Paragraph(cancelled));
    let mut table = stay_table(f, language, false);
    let charge = match f.penalty {
        Some(p) if !p.is_zero() => language.amount(p, f.minor, &f.currency),
        _ => l.no_charge.into(),
    };
    table.push((l.charge, charge));
    blocks.push(Block::Table(table));
    if !f.property_contact.is_empty() {
        blocks.push(Block::Paragraph(not_you));
    }
    blocks.push(Block::Paragraph(p.clone()));
    letter(
        subject(Mail::Cancellation, language, of_booking(f)),
        language,
        &blocks,
    )
}

/// A new booking, for the property's reservations desk (English only).
pub fn notice(f: &BookingFacts) -> Letter {
    let language = Language::English;
    let mut blocks = Vec::new();
    if f.test {
        blocks.push(Block::Notice(test_words(language).into()));
    }
    blocks.push(Block::Paragraph(format!(
        "{} booked a stay at {} through {}.",
        f.guest, f.property, f.channel
    )));
    let mut table = stay_table(f, language, true);
    table.insert(1, ("Guest", f.guest.clone()));
    table.insert(2, ("Guest e-mail", f.guest_email.clone()));
    table.push(("Booked through", f.channel.clone()));
    blocks.push(Block::Table(table));
    blocks.push(Block::Paragraph(
        "Replying to this e-mail writes to the guest.".into(),
    ));
    letter(
        subject(Mail::Notice, language, of_booking(f)),
        language,
        &blocks,
    )
}

/// An invitation to become an affiliate of the property (English only); replies go to the
/// property.
pub fn invitation(i: &InvitationFacts) -> Letter {
    let language = Language::English;
    let blocks = [
        Block::Paragraph(format!("Dear {},", i.affiliate)),
        Block::Paragraph(format!(
            "{} invites you to become one of its affiliates. Reply to this e-mail to reach the \
             property.",
            i.property
        )),
        Block::Paragraph(i.property.clone()),
    ];
    let of = SubjectOf {
        property: &i.property,
        code: "",
        test: false,
        cancelled: false,
    };
    letter(subject(Mail::Invitation, language, of), language, &blocks)
}

fn test_words(language: Language) -> &'static str {
    match language {
        Language::English => "This is a test booking: no payment was taken.",
        Language::German => "Dies ist eine Testbuchung: Es wurde keine Zahlung erhoben.",
        Language::French => "Ceci est une réservation de test : aucun paiement n'a été encaissé.",
    }
}

fn letter(subject: String, language: Language, blocks: &[Block]) -> Letter {
    Letter {
        text: text(blocks),
        html: html(&subject, language, blocks),
        subject,
        language,
    }
}

fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) | Block::Notice(p) => out.push_str(p),
            Block::Table(rows) => {
                let width = rows
                    .iter()
                    .map(|(l, _)| l.chars().count())
                    .max()
                    .unwrap_or(0);
                for (i, (label, value)) in rows.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let pad = width - label.chars().count();
                    out.push_str(&format!("{label}:{}  {value}", " ".repeat(pad)));
                }
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn html(subject: &str, language: Language, blocks: &[Block]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family: Helvetica, Arial, sans-serif; color: #222; line-height: 1.4\">\n",
        language.tag(),
        escape(subject)
    );
    for block in blocks {
        match block {
            Block::Paragraph(p) => out.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::Notice(p) => out.push_str(&format!("<p><strong>{}</strong></p>\n", escape(p))),
            Block::Table(rows) => {
                out.push_str("<table cellpadding=\"4\" style=\"border-collapse: collapse\">\n");
                for (label, value) in rows {
                    out.push_str(&format!(
                        "<tr><th align=\"left\" style=\"padding-right: 16px\">{}</th><td>{}</td></tr>\n",
                        escape(label),
                        escape(value)
                    ));
                }
                out.push_str("</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> BookingFacts {
        BookingFacts {
            code: "WK-7Q2M".into(),
            property: "Tom & Jerry's <Inn>".into(),
            property_contact: vec!["desk@inn.example".into(), "+4930123456".into()],
            guest: "Ann <script>alert(1)</script> Lee".into(),
            guest_email: "ann@example.com".into(),
            arrival: "2030-05-10".parse().unwrap(),
            departure: "2030-05-12".parse().unwrap(),
            nights: 2,
            room: "Deluxe Double".into(),
            rooms: 1,
            rate_plan: "Flexible".into(),
            adults: 2,
            children: 1,
            total: "4050.5".parse().unwrap(),
            currency: "EUR".into(),
            minor: 2,
            channel: "Direct".into(),
            test: false,
            cancelled: false,
            penalty: None,
        }
    }

    #[test]
    fn guest_text_is_escaped_in_html_and_kept_in_text() {
        let l = confirmation(&facts(), Language::English);
        assert!(!l.html.contains("<script>"), "{}", l.html);
        assert!(
            l.html
                .contains("Ann &lt;script&gt;alert(1)&lt;/script&gt; Lee")
        );
        assert!(l.html.contains("Tom &amp; Jerry&apos;s &lt;Inn&gt;"));
        assert!(l.text.contains("Dear Ann <script>alert(1)</script> Lee,"));
        assert!(l.html.starts_with("<!DOCTYPE html>") && l.html.contains("lang=\"en\""));
    }

    #[test]
    fn a_confirmation_tells_the_stay_in_its_language() {
        let f = facts();
        let en = confirmation(&f, Language::English);
        assert_eq!(
            en.subject,
            "Booking confirmation WK-7Q2M – Tom & Jerry's <Inn>"
        );
        for part in [
            "10 May 2030",
            "12 May 2030",
            "1 × Deluxe Double",
            "2 adults, 1 child",
            "4,050.50 EUR",
            "attached as a PDF",
            "desk@inn.example, +4930123456",
        ] {
            assert!(en.text.contains(part), "{part} in {}", en.text);
            assert!(en.html.contains(&escape(part)), "{part} in {}", en.html);
        }
        let de = confirmation(&f, Language::German);
        assert!(de.subject.starts_with("Buchungsbestätigung WK-7Q2M"));
        for part in [
            "Guten Tag Ann",
            "Anreise:",
            "10.05.2030",
            "2 Erwachsene, 1 Kind",
            "4.050,50 EUR",
            "angehängten PDF",
        ] {
            assert!(de.text.contains(part), "{part} in {}", de.text);
        }
        assert!(de.html.contains("lang=\"de\""));
        let fr = confirmation(&f, Language::French);
        for part in [
            "Bonjour Ann",
            "Arrivée",
            "10/05/2030",
            "2 adultes, 1 enfant",
            "4\u{202f}050,50 EUR",
        ] {
            assert!(fr.text.contains(part), "{part} in {}", fr.text);
        }
    }

    #[test]
    fn cancelled_and_test_bookings_say_so_first() {
        let f = BookingFacts {
            cancelled: true,
            test: true,
            penalty: Some("100".parse().unwrap()),
            ..facts()
        };
        let c = confirmation(&f, Language::English);
        assert!(
            c.text
                .starts_with("This booking is cancelled.\n\nThis is a test booking"),
            "{}",
            c.text
        );
        assert!(c.subject.starts_with("[TEST] ") && c.subject.ends_with("(cancelled)"));
        let x = cancellation(&f, Language::English);
        assert!(
            x.text
                .contains("Your booking WK-7Q2M at Tom & Jerry's <Inn> is cancelled.")
        );
        assert!(
            x.text.contains("Cancellation charge:  100.00 EUR"),
            "{}",
            x.text
        );
        let free = cancellation(
            &BookingFacts {
                penalty: Some(Decimal::ZERO),
                ..facts()
            },
            Language::German,
        );
        assert!(
            free.text.contains("Stornogebühr:    keine"),
            "{}",
            free.text
        );
    }

    #[test]
    fn the_notice_names_the_guest_and_the_channel() {
        let n = notice(&facts());
        assert_eq!(n.subject, "New booking WK-7Q2M – Tom & Jerry's <Inn>");
        assert!(n.text.contains("Guest e-mail:"), "{}", n.text);
        assert!(n.text.contains("ann@example.com") && n.text.contains("Booked through:"));
    }

    #[test]
    fn an_invitation_names_both_sides() {
        let i = invitation(&InvitationFacts {
            property: "Sunrise Inn".into(),
            affiliate: "Travel <Blog>".into(),
        });
        assert_eq!(i.subject, "Sunrise Inn invites you to become an affiliate");
        assert!(i.text.starts_with("Dear Travel <Blog>,"));
        assert!(i.html.contains("Dear Travel &lt;Blog&gt;,"));
    }
}
