//! What the server's e-mails say about themselves: which language a mail is written in, its
//! subject line, and how dates and amounts read in that language.
//!
//! A booking's mails are in the language the booking was made in when a template exists for it,
//! else in English; a mail nobody chose the language of (the property's notice, an invitation)
//! is in English. A subject is one line: it carries names that clients wrote (the property's,
//! the guest's), so line breaks and control characters become spaces and a long subject is cut,
//! never wrapped into a second header line.
//!
//! A cancellation is mailed to the guest only when the guest was sent the booking's
//! confirmation: a client that booked without `notifyBooker` chose not to write to the guest,
//! and a guest who never heard of a booking should not hear of its end. A no-show is never
//! mailed: the guest did not come, and the property settles the charge with them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::booking::CallOff;

/// The languages the mails are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    German,
    French,
}

impl Language {
    /// The language of `tag` (`de`, `de-AT`, `FR`), if there is one.
    pub fn of_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::English),
            "de" => Some(Language::German),
            "fr" => Some(Language::French),
            _ => None,
        }
    }

    /// The BCP 47 tag of the language (the HTML's `lang`, the `Content-Language` header).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
        }
    }

    /// A calendar date: `10 May 2030`, `10.05.2030`, `10/05/2030`.
    pub fn date(self, day: NaiveDate) -> String {
        match self {
            Language::English => day.format("%-d %B %Y").to_string(),
            Language::German => day.format("%d.%m.%Y").to_string(),
            Language::French => day.format("%d/%m/%Y").to_string(),
        }
    }

    /// An amount with `minor` decimals and its currency code: `1,234.50 EUR`, `1.234,50 EUR`,
    /// `1 234,50 EUR` (French groups with a narrow no-break space).
    pub fn amount(self, value: Decimal, minor: u32, currency: &str) -> String {
        let (group, point) = match self {
            Language::English => (",", "."),
            Language::German => (".", ","),
            Language::French => ("\u{202f}", ","),
        };
        let text = format!("{:.*}", minor as usize, value.round_dp(minor));
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let mut out = String::from(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push_str(group);
            }
            out.push(c);
        }
        if let Some(f) = fraction {
            out.push_str(point);
            out.push_str(f);
        }
        format!("{out} {currency}")
    }
}

/// The mails the server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mail {
    /// A booking's confirmation, for its guest (also when resent).
    Confirmation,
    /// A booking's cancellation, for its guest.
    Cancellation,
    /// A new booking, for the property's reservations desk.
    Notice,
    /// An invitation to become an affiliate of a property.
    Invitation,
}

impl Mail {
    /// The languages this mail has a template in, English first.
    pub fn languages(self) -> &'static [Language] {
        match self {
            Mail::Confirmation | Mail::Cancellation => {
                &[Language::English, Language::German, Language::French]
            }
            Mail::Notice | Mail::Invitation => &[Language::English],
        }
    }

    /// The language to write this mail in for a booking made in `booking_language` (none:
    /// not recorded): that language where this mail has a template in it, else English.
    pub fn language(self, booking_language: Option<&str>) -> Language {
        booking_language
            .and_then(Language::of_tag)
            .filter(|l| self.languages().contains(l))
            .unwrap_or(Language::English)
    }
}

/// Whether calling a booking off (`call_off`) mails its guest, given whether the guest was sent
/// the booking's confirmation.
pub fn cancellation_mailed(call_off: CallOff, guest_was_confirmed: bool) -> bool {
    call_off == CallOff::Cancel && guest_was_confirmed
}

/// The longest subject written, in characters; longer ones are cut with `…`.
pub const MAX_SUBJECT_CHARS: usize = 150;

/// What a subject line names.
#[derive(Debug, Clone, Copy)]
pub struct SubjectOf<'a> {
    pub property: &'a str,
    /// The booking's code (an invitation has none).
    pub code: &'a str,
    /// A test booking's mails say so first, so nobody takes them for a real stay.
    pub test: bool,
    /// The booking is cancelled (a resent confirmation of it says so).
    pub cancelled: bool,
}

/// The subject line of `mail` in `language`.
pub fn subject(mail: Mail, language: Language, of: SubjectOf<'_>) -> String {
    use Language::*;
    let (property, code) = (one_line(of.property), one_line(of.code));
    let text = match (mail, language) {
        (Mail::Confirmation, English) => format!("Booking confirmation {code} – {property}"),
        (Mail::Confirmation, German) => format!("Buchungsbestätigung {code} – {property}"),
        (Mail::Confirmation, French) => {
            format!("Confirmation de réservation {code} – {property}")
        }
        (Mail::Cancellation, English) => format!("Booking {code} cancelled – {property}"),
        (Mail::Cancellation, German) => format!("Buchung {code} storniert – {property}"),
        (Mail::Cancellation, French) => format!("Réservation {code} annulée – {property}"),
        (Mail::Notice, _) => format!("New booking {code} – {property}"),
        (Mail::Invitation, _) => format!("{property} invites you to become an affiliate"),
    };
    let cancelled = match (mail, of.cancelled, language) {
        (Mail::Confirmation, true, English) => " (cancelled)",
        (Mail::Confirmation, true, German) => " (storniert)",
        (Mail::Confirmation, true, French) => " (annulée)",
        _ => "",
    };
    let test = if of.test { "[TEST] " } else { "" };
    cut(&format!("{test}{text}{cancelled}"), MAX_SUBJECT_CHARS)
}

/// `text` on one line: every run of line breaks, control characters and spaces is one space.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{date, dec};

    #[test]
    fn a_booking_mail_is_in_its_language_where_a_template_exists() {
        assert_eq!(Mail::Confirmation.language(Some("de")), Language::German);
        assert_eq!(Mail::Confirmation.language(Some("fr-CA")), Language::French);
        assert_eq!(Mail::Cancellation.language(Some("DE_at")), Language::German);
        assert_eq!(Mail::Confirmation.language(Some("th")), Language::English);
        assert_eq!(Mail::Confirmation.language(Some("")), Language::English);
        assert_eq!(Mail::Confirmation.language(None), Language::English);
        // Only English templates: English whatever the booking's language.
        assert_eq!(Mail::Notice.language(Some("de")), Language::English);
        assert_eq!(Mail::Invitation.language(Some("fr")), Language::English);
    }

    #[test]
    fn only_a_cancellation_of_a_confirmed_guest_is_mailed() {
        assert!(cancellation_mailed(CallOff::Cancel, true));
        assert!(!cancellation_mailed(CallOff::Cancel, false));
        assert!(!cancellation_mailed(CallOff::NoShow, true));
        assert!(!cancellation_mailed(CallOff::NoShow, false));
    }

    #[test]
    fn subjects_name_the_booking_and_the_property() {
        let of = SubjectOf {
            property: "Sunrise Inn",
            code: "WK-7Q2M",
            test: false,
            cancelled: false,
        };
        assert_eq!(
            subject(Mail::Confirmation, Language::English, of),
            "Booking confirmation WK-7Q2M – Sunrise Inn"
        );
        assert_eq!(
            subject(Mail::Confirmation, Language::German, of),
            "Buchungsbestätigung WK-7Q2M – Sunrise Inn"
        );
        assert_eq!(
            subject(Mail::Cancellation, Language::French, of),
            "Réservation WK-7Q2M annulée – Sunrise Inn"
        );
        assert_eq!(
            subject(Mail::Invitation, Language::English, of),
            "Sunrise Inn invites you to become an affiliate"
        );
        let test = SubjectOf {
            test: true,
            cancelled: true,
            ..of
        };
        assert_eq!(
            subject(Mail::Confirmation, Language::English, test),
            "[TEST] Booking confirmation WK-7Q2M – Sunrise Inn (cancelled)"
        );
        assert_eq!(
            subject(Mail::Notice, Language::English, test),
            "[TEST] New booking WK-7Q2M – Sunrise Inn"
        );
    }

    #[test]
    fn a_subject_is_one_line_and_bounded() {
        let of = SubjectOf {
            property: "Evil\r\nBcc: victim@example.com\t Inn",
            code: "C1",
            test: false,
            cancelled: false,
        };
        let s = subject(Mail::Notice, Language::English, of);
        assert_eq!(s, "New booking C1 – Evil Bcc: victim@example.com Inn");
        let long = "x".repeat(400);
        let s = subject(
            Mail::Confirmation,
            Language::English,
            SubjectOf {
                property: &long,
                ..of
            },
        );
        assert_eq!(s.chars().count(), MAX_SUBJECT_CHARS);
        assert!(s.ends_with('…') && !s.contains('\n'));
    }

    #[test]
    fn dates_and_amounts_read_as_in_the_language() {
        let d = date("2030-05-10");
        assert_eq!(Language::English.date(d), "10 May 2030");
        assert_eq!(Language::German.date(d), "10.05.2030");
        assert_eq!(Language::French.date(d), "10/05/2030");
        let v = dec("1234567.5");
        assert_eq!(Language::English.amount(v, 2, "EUR"), "1,234,567.50 EUR");
        assert_eq!(Language::German.amount(v, 2, "EUR"), "1.234.567,50 EUR");
        assert_eq!(
            Language::French.amount(v, 2, "EUR"),
            "1\u{202f}234\u{202f}567,50 EUR"
        );
        assert_eq!(Language::English.amount(dec("4050"), 0, "JPY"), "4,050 JPY");
        assert_eq!(
            Language::English.amount(dec("-12.345"), 2, "USD"),
            "-12.34 USD"
        );
        assert_eq!(Language::English.amount(dec("999"), 2, "USD"), "999.00 USD");
    }
}
