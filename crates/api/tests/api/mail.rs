//! E-mail that leaves (`wink_api::mail`): each kind of notification in the outbox is written as a
//! mail and handed to an SMTP relay — here a minimal SMTP sink the test starts on loopback, which
//! keeps what it received and refuses the recipients it is told to. The mail is read back with
//! an independent MIME parser (`mail-parser`).

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;
use wink_api::mail::{MailConfig, Mailer, TlsMode};
use wink_api::outbound::DeliveryFailure;
use wink_store::Engine;
use wink_store::notifications::Notification;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, base};

/// One mail as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// A minimal SMTP server on loopback: accepts every mail except to the addresses in `refuse`
/// (550 at RCPT), and keeps what it accepted.
struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sink {
    async fn start(refuse: &[&str]) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse: Arc<Vec<String>> = Arc::new(refuse.iter().map(|r| r.to_lowercase()).collect());
        let kept = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, refuse.clone(), kept.clone()));
            }
        });
        Sink {
            port,
            received,
            task,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// The address inside `<...>` of a MAIL FROM or RCPT TO line.
fn angle(line: &str) -> String {
    let start = line.find('<').map(|i| i + 1).unwrap_or(0);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end].to_string()
}

async fn session(stream: TcpStream, refuse: Arc<Vec<String>>, kept: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    if !say(&mut write, "220 sink ESMTP\r\n").await {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") {
            "250-sink\r\n250 8BITMIME\r\n".to_string()
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            "250 OK\r\n".into()
        } else if upper.starts_with("RSET") {
            (from, to) = (String::new(), Vec::new());
            "250 OK\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            (from, to) = (angle(&command), Vec::new());
            "250 OK\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            let address = angle(&command);
            if refuse.contains(&address.to_lowercase()) {
                "550 5.1.1 no such mailbox\r\n".into()
            } else {
                to.push(address);
                "250 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if !say(&mut write, "354 end with <CRLF>.<CRLF>\r\n").await {
                return;
            }
            let mut data = Vec::new();
            loop {
                let mut raw = Vec::new();
                if read.read_until(b'\n', &mut raw).await.unwrap_or(0) == 0 {
                    return;
                }
                if raw == b".\r\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2).
                let raw = if raw.starts_with(b"..") {
                    &raw[1..]
                } else {
                    &raw[..]
                };
                data.extend_from_slice(raw);
            }
            kept.lock().unwrap().push(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            "250 2.0.0 queued\r\n".into()
        } else if upper == "QUIT" {
            let _ = say(&mut write, "221 bye\r\n").await;
            return;
        } else {
            "502 not implemented\r\n".into()
        };
        if !say(&mut write, &answer).await {
            return;
        }
    }
}

async fn say(w: &mut tokio::net::tcp::OwnedWriteHalf, text: &str) -> bool {
    w.write_all(text.as_bytes()).await.is_ok()
}

fn config(port: u16) -> MailConfig {
    MailConfig {
        host: "127.0.0.1".into(),
        port: Some(port),
        tls: TlsMode::None,
        username: None,
        password: None,
        from: "Wink Bookings <bookings@wink.example>".into(),
        reply_to: Some("help@wink.example".into()),
        ca_file: None,
        timeout_seconds: 5,
    }
}

/// What a test reads of a received mail.
struct Read {
    envelope_from: String,
    envelope_to: Vec<String>,
    from: String,
    to: String,
    reply_to: String,
    subject: String,
    message_id: String,
    text: String,
    html: String,
    raw: String,
    /// (file name, content type, bytes)
    attachments: Vec<(String, String, Vec<u8>)>,
}

fn read(r: &Received) -> Read {
    let m = MessageParser::default()
        .parse(&r.data)
        .expect("a MIME message");
    let addr = |a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string()
    };
    Read {
        envelope_from: r.from.clone(),
        envelope_to: r.to.clone(),
        from: addr(m.from()),
        to: addr(m.to()),
        reply_to: addr(m.reply_to()),
        subject: m.subject().unwrap_or_default().to_string(),
        message_id: m.message_id().unwrap_or_default().to_string(),
        text: m.body_text(0).unwrap_or_default().to_string(),
        html: m.body_html(0).unwrap_or_default().to_string(),
        raw: String::from_utf8_lossy(&r.data).to_string(),
        attachments: m
            .attachments()
            .map(|a| {
                let kind = a
                    .content_type()
                    .map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or_default()))
                    .unwrap_or_default();
                (
                    a.attachment_name().unwrap_or_default().to_string(),
                    kind,
                    a.contents().to_vec(),
                )
            })
            .collect(),
    }
}

/// The booking's notifications of `kind`, oldest first.
async fn notes(app: &TestApp, booking: Uuid, kind: &str) -> Vec<Notification> {
    app.store
        .booking_notifications(&[booking])
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == kind)
        .collect()
}

/// Books one room from day 4 to day 6 for `guest`, asking for the guest's confirmation and the
/// property's notice when `notify`; answers the booking's id and code.
async fn book(app: &TestApp, s: &Shop, guest: (&str, &str, &str), notify: bool) -> (Uuid, String) {
    let query = s.query(day(4), day(6), 2);
    let offer = s.offer(app, &query).await;
    let mut body = s.booking_request(&query, &offer, guest);
    body["notification"]["notifyBooker"] = json!(notify);
    body["notification"]["notifyProperty"] = json!(notify);
    let r = s.book(app, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    (
        r.json["id"].as_str().unwrap().parse().unwrap(),
        r.json["bookingCode"].as_str().unwrap().to_string(),
    )
}

/// A booking's confirmation (with its PDF), the property's notice and a resent confirmation
/// leave as mail: recipients, subject, both parts, the attachment; guest text is escaped in HTML.
async fn a_booking_mails_its_guest_and_its_property(app: TestApp) {
    let sink = Sink::start(&[]).await;
    let mailer = Mailer::new(&config(sink.port)).unwrap();
    let s = Shop::new(&app, 3).await;
    let (id, code) = book(&app, &s, ("Ann", "Lee <b>&", "ann@example.com"), true).await;

    let confirmation = notes(&app, id, "BOOKING_CONFIRMATION").await;
    let notice = notes(&app, id, "BOOKING_NOTICE").await;
    assert_eq!((confirmation.len(), notice.len()), (1, 1));
    mailer.deliver(&app.state, &confirmation[0]).await.unwrap();
    mailer.deliver(&app.state, &notice[0]).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 2, "one mail per notification");

    let guest = read(&got[0]);
    assert_eq!(guest.envelope_from, "bookings@wink.example");
    assert_eq!(guest.envelope_to, ["ann@example.com"]);
    assert_eq!(guest.from, "bookings@wink.example");
    assert_eq!(guest.to, "ann@example.com");
    // The guest's replies reach the property's reservations desk.
    assert_eq!(guest.reply_to, "reservations@test-hotel.example");
    assert_eq!(
        guest.subject,
        format!("[TEST] Booking confirmation {code} – Test Hotel Bangkok")
    );
    assert!(guest.message_id.contains(&confirmation[0].id.to_string()));
    assert!(guest.raw.contains("multipart/alternative") && guest.raw.contains("multipart/mixed"));
    for part in [
        code.as_str(),
        "Dear Ann Lee <b>&,",
        "Arrival:",
        "1 × Deluxe",
        "attached as a PDF",
    ] {
        assert!(guest.text.contains(part), "{part} in {}", guest.text);
    }
    assert!(
        guest.html.contains("Dear Ann Lee &lt;b&gt;&amp;,"),
        "{}",
        guest.html
    );
    assert!(!guest.html.contains("<b>&"), "{}", guest.html);
    assert!(guest.html.contains(&code) && guest.html.contains("lang=\"en\""));
    assert_eq!(guest.attachments.len(), 1);
    let (name, kind, pdf) = &guest.attachments[0];
    assert_eq!(name, &format!("booking-{code}.pdf"));
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF"), "the attachment is a PDF");

    let desk = read(&got[1]);
    assert_eq!(desk.envelope_to, ["reservations@test-hotel.example"]);
    assert_eq!(
        desk.subject,
        format!("[TEST] New booking {code} – Test Hotel Bangkok")
    );
    // The desk's replies reach the guest.
    assert_eq!(desk.reply_to, "ann@example.com");
    assert!(desk.text.contains("Guest e-mail:") && desk.text.contains("ann@example.com"));
    assert!(desk.attachments.is_empty());

    // Resend: one more confirmation, the same mail again.
    let r = app
        .patch(
            &format!("{}/booking/{id}/resend", s.root()),
            &s.p.token,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let again = notes(&app, id, "BOOKING_CONFIRMATION").await;
    assert_eq!(again.len(), 2);
    mailer.deliver(&app.state, &again[1]).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 3);
    let resent = read(&got[2]);
    assert_eq!(resent.envelope_to, ["ann@example.com"]);
    assert_eq!(resent.subject, guest.subject);
    assert!(resent.attachments[0].2.starts_with(b"%PDF"));
    assert_ne!(resent.message_id, guest.message_id);
}

/// Cancelling a booking whose guest was confirmed records one BOOKING_CANCELLATION in the
/// cancellation's transaction, which leaves as the guest's cancellation mail; a guest never
/// confirmed, a repeated cancellation and a no-show record none.
async fn a_cancellation_mails_the_confirmed_guest(app: TestApp) {
    let sink = Sink::start(&[]).await;
    let mailer = Mailer::new(&config(sink.port)).unwrap();
    let s = Shop::new(&app, 3).await;
    let cancel = |id: Uuid, kind: &'static str| {
        let (app, s) = (&app, &s);
        async move {
            let r = app
                .patch(
                    &format!("{}/booking/{id}/cancel", s.root()),
                    &s.p.token,
                    &json!({ "cancellationType": kind, "reason": "Plans changed" }),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
            r.json
        }
    };
    let (id, code) = book(&app, &s, ("Ann", "Lee", "ann@example.com"), true).await;
    let answer = cancel(id, "CANCELLATION").await;
    let recorded = notes(&app, id, "BOOKING_CANCELLATION").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (
            recorded[0].recipient.as_str(),
            recorded[0].requested_by,
            recorded[0].sent_at
        ),
        ("ann@example.com", s.p.client_id, None)
    );
    let listed = answer["metadata"]["notifications"].as_array().unwrap();
    assert_eq!(listed.last().unwrap()["kind"], "BOOKING_CANCELLATION");
    // Repeating the cancellation changes nothing and records nothing.
    cancel(id, "CANCELLATION").await;
    assert_eq!(notes(&app, id, "BOOKING_CANCELLATION").await.len(), 1);

    mailer.deliver(&app.state, &recorded[0]).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let mail = read(&got[0]);
    assert_eq!(mail.envelope_to, ["ann@example.com"]);
    assert_eq!(
        mail.subject,
        format!("[TEST] Booking {code} cancelled – Test Hotel Bangkok")
    );
    assert!(mail.text.contains(&format!(
        "Your booking {code} at Test Hotel Bangkok is cancelled."
    )));
    assert!(mail.text.contains("Cancellation charge:"), "{}", mail.text);
    assert!(mail.html.contains("is cancelled.") && mail.attachments.is_empty());
    // A confirmation of a cancelled booking says so.
    let confirmation = notes(&app, id, "BOOKING_CONFIRMATION").await;
    mailer.deliver(&app.state, &confirmation[0]).await.unwrap();
    let resent = read(&sink.received()[1]);
    assert!(
        resent.subject.ends_with("(cancelled)"),
        "{}",
        resent.subject
    );
    assert!(
        resent.text.starts_with("This booking is cancelled."),
        "{}",
        resent.text
    );

    // The client did not ask to write to this guest: no cancellation mail either.
    let (quiet, _) = book(&app, &s, ("Bob", "Quiet", "bob@example.com"), false).await;
    cancel(quiet, "CANCELLATION").await;
    assert!(
        app.store
            .booking_notifications(&[quiet])
            .await
            .unwrap()
            .is_empty()
    );

    // A no-show is not mailed.
    s.rates(
        &app,
        day(0),
        day(0),
        json!({ "rate": { "amount": 2000, "currency": "THB" }, "numberOfUnits": 3 }),
    )
    .await;
    let query = s.query(day(0), day(2), 2);
    let offer = s.offer(&app, &query).await;
    let mut body = s.booking_request(&query, &offer, ("Cy", "Absent", "cy@example.com"));
    body["notification"]["notifyBooker"] = json!(true);
    let r = s.book(&app, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let absent: Uuid = r.json["id"].as_str().unwrap().parse().unwrap();
    cancel(absent, "NO_SHOW").await;
    assert!(notes(&app, absent, "BOOKING_CANCELLATION").await.is_empty());
}

/// Sets the language a booking was made in (the snapshot's `userSession.language`), as a booking
/// imported from the platform carries it.
async fn set_language(app: &TestApp, s: &Shop, booking: Uuid, language: &str) {
    use sqlx::Connection;
    let row = app.store.booking(s.property, booking).await.unwrap();
    let mut document = row.document.0.clone();
    document["userSession"]["language"] = json!(language);
    let sql = "UPDATE bookings SET document = $1 WHERE id = $2";
    let document = sqlx::types::Json(document);
    let changed = match app.engine {
        Engine::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.url).await.unwrap();
            let q = sqlx::query(sql).bind(document).bind(booking);
            q.execute(&mut c).await.unwrap().rows_affected()
        }
        Engine::Postgres => {
            let mut c = sqlx::PgConnection::connect(&app.url).await.unwrap();
            let q = sqlx::query(sql).bind(document).bind(booking);
            q.execute(&mut c).await.unwrap().rows_affected()
        }
    };
    assert_eq!(changed, 1);
}

/// A booking's mails are in its language where a template exists, else English; the property's
/// notice is in English.
async fn mails_are_in_the_booking_language(app: TestApp) {
    let sink = Sink::start(&[]).await;
    let mailer = Mailer::new(&config(sink.port)).unwrap();
    let s = Shop::new(&app, 3).await;
    let (id, code) = book(&app, &s, ("Anna", "Müller", "anna@example.com"), true).await;
    set_language(&app, &s, id, "de-AT").await;
    let confirmation = notes(&app, id, "BOOKING_CONFIRMATION").await;
    let notice = notes(&app, id, "BOOKING_NOTICE").await;
    mailer.deliver(&app.state, &confirmation[0]).await.unwrap();
    mailer.deliver(&app.state, &notice[0]).await.unwrap();
    let got = sink.received();
    let guest = read(&got[0]);
    assert_eq!(
        guest.subject,
        format!("[TEST] Buchungsbestätigung {code} – Test Hotel Bangkok")
    );
    assert!(
        guest.text.starts_with("Dies ist eine Testbuchung"),
        "{}",
        guest.text
    );
    assert!(guest.text.contains("Guten Tag Anna Müller,") && guest.text.contains("Anreise:"));
    assert!(guest.html.contains("lang=\"de\"") && guest.html.contains("Müller"));
    assert!(read(&got[1]).subject.starts_with("[TEST] New booking"));

    set_language(&app, &s, id, "fr").await;
    mailer.deliver(&app.state, &confirmation[0]).await.unwrap();
    let french = read(&sink.received()[2]);
    assert!(
        french.subject.contains("Confirmation de réservation"),
        "{}",
        french.subject
    );

    // No Thai template: English.
    set_language(&app, &s, id, "th").await;
    mailer.deliver(&app.state, &confirmation[0]).await.unwrap();
    let english = read(&sink.received()[3]);
    assert!(
        english.subject.contains("Booking confirmation"),
        "{}",
        english.subject
    );
}

/// An affiliate invitation leaves addressed to the affiliate, replying to the property.
async fn an_invitation_replies_to_the_property(app: TestApp) {
    let sink = Sink::start(&[]).await;
    let mailer = Mailer::new(&config(sink.port)).unwrap();
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let body = json!({ "hotelEmail": "desk@hotel.example.com",
                       "affiliateEmail": "agent@travel.example.com", "affiliateName": "Jane <Agent>" });
    let r = app
        .post(
            &format!("{}/sales/affiliate/invite", base(property)),
            &p.token,
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let (note, _) = app
        .store
        .affiliate_invitations(property)
        .await
        .unwrap()
        .remove(0);
    mailer.deliver(&app.state, &note).await.unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let mail = read(&got[0]);
    assert_eq!(mail.envelope_to, ["agent@travel.example.com"]);
    assert_eq!(mail.reply_to, "desk@hotel.example.com");
    assert_eq!(
        mail.subject,
        "Test Hotel Bangkok invites you to become an affiliate"
    );
    assert!(mail.text.starts_with("Dear Jane <Agent>,"), "{}", mail.text);
    assert!(
        mail.html.contains("Dear Jane &lt;Agent&gt;,"),
        "{}",
        mail.html
    );
}

/// What cannot be delivered says whether trying again can help: a refused recipient, a missing
/// booking, an unknown kind or a recipient that is no address is permanent; a relay that cannot
/// be reached is worth a retry.
async fn failures_say_whether_to_retry(app: TestApp) {
    let sink = Sink::start(&["refused@example.com"]).await;
    let mailer = Mailer::new(&config(sink.port)).unwrap();
    let s = Shop::new(&app, 3).await;
    let (id, _) = book(&app, &s, ("Rex", "Refused", "refused@example.com"), true).await;
    let confirmation = notes(&app, id, "BOOKING_CONFIRMATION").await.remove(0);
    let refused = mailer.deliver(&app.state, &confirmation).await;
    assert!(
        matches!(&refused, Err(DeliveryFailure::Permanent(why)) if why.contains("550")),
        "{refused:?}"
    );
    assert!(sink.received().is_empty());

    let missing = Notification {
        booking_id: Some(Uuid::new_v4()),
        ..confirmation.clone()
    };
    let gone = mailer.deliver(&app.state, &missing).await;
    assert!(
        matches!(&gone, Err(DeliveryFailure::Permanent(why)) if why.contains("gone")),
        "{gone:?}"
    );
    let unknown = Notification {
        kind: "SMOKE_SIGNAL".into(),
        ..confirmation.clone()
    };
    assert!(matches!(
        mailer.deliver(&app.state, &unknown).await,
        Err(DeliveryFailure::Permanent(_))
    ));
    let nobody = Notification {
        recipient: "not an address".into(),
        ..confirmation.clone()
    };
    assert!(matches!(
        mailer.deliver(&app.state, &nobody).await,
        Err(DeliveryFailure::Permanent(_))
    ));

    // The relay is down: nothing listens on the port any more.
    let down = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let offline = Mailer::new(&config(down)).unwrap();
    let ok = Notification {
        recipient: "ann@example.com".into(),
        ..confirmation.clone()
    };
    let retry = offline.deliver(&app.state, &ok).await;
    assert!(matches!(retry, Err(DeliveryFailure::Retry(_))), "{retry:?}");
    // The same notification goes once the relay is back.
    mailer.deliver(&app.state, &ok).await.unwrap();
    assert_eq!(sink.received().len(), 1);
}

/// `[smtp]` gives the server a mailer at startup; without it there is none.
async fn the_mailer_is_built_from_the_configuration(app: TestApp) {
    assert!(app.state.mailer.is_none(), "off by default");
    let with_smtp = wink_api::ApiConfig {
        smtp: Some(config(2525)),
        ..app.state.config.as_ref().clone()
    };
    let app = app.with_config(with_smtp).await;
    let mailer = app.state.mailer.as_ref().expect("a mailer");
    assert!(format!("{mailer:?}").contains("127.0.0.1:2525"));
    let bad = wink_api::ApiConfig {
        smtp: Some(MailConfig {
            from: "not an address".into(),
            ..config(2525)
        }),
        ..wink_api::ApiConfig::default()
    };
    let err = wink_api::build(app.store.clone(), bad).await.err().unwrap();
    assert!(err.to_string().contains("[smtp] from"), "{err}");
}

/// End to end: the outbox's worker mails a booking's confirmation (with its PDF) and the
/// property's notice exactly once each, and marks them sent.
async fn the_worker_mails_each_notification_once(app: TestApp) {
    let sink = Sink::start(&[]).await;
    let config = wink_api::ApiConfig {
        smtp: Some(config(sink.port)),
        outbox: wink_api::outbound::OutboxConfig {
            poll_interval_ms: 50,
            ..Default::default()
        },
        ..app.state.config.as_ref().clone()
    };
    let app = app.with_config(config).await;
    let s = Shop::new(&app, 3).await;
    let worker = wink_api::outbound::spawn(app.state.clone());
    let (id, code) = book(&app, &s, ("Ann", "Lee", "ann@example.com"), true).await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sink.received().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A few more polls: nothing is sent twice.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    worker.abort();
    let got = sink.received();
    let to: Vec<Vec<String>> = got.iter().map(|r| read(r).envelope_to).collect();
    assert_eq!(got.len(), 2, "{to:?}");
    let guest = got
        .iter()
        .map(read)
        .find(|m| m.envelope_to == ["ann@example.com"])
        .expect("the guest's confirmation");
    assert!(guest.subject.contains(&code), "{}", guest.subject);
    assert_eq!(guest.attachments.len(), 1);
    assert!(guest.attachments[0].2.starts_with(b"%PDF"));
    assert!(
        to.contains(&vec!["reservations@test-hotel.example".to_string()]),
        "{to:?}"
    );
    for kind in ["BOOKING_CONFIRMATION", "BOOKING_NOTICE"] {
        let sent = notes(&app, id, kind).await;
        assert_eq!(sent.len(), 1);
        assert!(sent[0].sent_at.is_some(), "{kind} marked sent");
    }
}

on_both_engines!(
    a_booking_mails_its_guest_and_its_property,
    the_worker_mails_each_notification_once,
    a_cancellation_mails_the_confirmed_guest,
    mails_are_in_the_booking_language,
    an_invitation_replies_to_the_property,
    failures_say_whether_to_retry,
    the_mailer_is_built_from_the_configuration,
);
