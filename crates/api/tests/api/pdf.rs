//! The booking confirmation PDF, read back with independent parsers (lopdf with our reading of
//! the fonts' ToUnicode maps, and poppler's `pdftotext` where installed): its text holds the
//! code, the guest, the dates, every night's price, the total and the cancellation terms;
//! guests' names in Thai, Polish, Russian, Greek and Chinese come back exactly as written.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::HashMap;
use std::process::Command;

use chrono::{Days, NaiveDate};
use serde_json::json;
use uuid::Uuid;
use wink_api::fonts::Weight;

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

async fn report(app: &TestApp, s: &Shop, id: &str, accept: Option<&str>) -> TestResponse {
    let mut r = Request::builder()
        .method(Method::GET)
        .uri(format!("{}/booking/{id}/report/pdf", s.root()))
        .header(header::AUTHORIZATION, format!("Bearer {}", s.p.token));
    if let Some(accept) = accept {
        r = r.header(header::ACCEPT, accept);
    }
    app.send(r.body(Body::empty()).unwrap()).await
}

/// Every object the cross-reference table names starts at its offset.
fn check_xref(pdf: &[u8]) {
    let find = |needle: &[u8]| {
        pdf.windows(needle.len())
            .rposition(|w| w == needle)
            .expect("present")
    };
    let tail = std::str::from_utf8(&pdf[find(b"startxref")..]).unwrap();
    let xref: usize = tail.lines().nth(1).unwrap().trim().parse().unwrap();
    let table = std::str::from_utf8(&pdf[xref..]).unwrap();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("xref"));
    let count: usize = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    for (n, entry) in lines.take(count).enumerate().skip(1) {
        let offset: usize = entry[..10].parse().unwrap();
        let header = format!("{n} 0 obj");
        assert!(
            pdf[offset..].starts_with(header.as_bytes()),
            "object {n} at {offset}"
        );
    }
}

/// A font's ToUnicode map: character code (two bytes, Identity-H) → text.
fn to_unicode(doc: &lopdf::Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let id = font
        .get(b"ToUnicode")
        .and_then(|o| o.as_reference())
        .expect("every font has a ToUnicode map");
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    let data = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let cmap = String::from_utf8_lossy(&data).into_owned();
    let hex = |h: &str| -> Vec<u16> {
        (0..h.len() / 4)
            .map(|i| u16::from_str_radix(&h[4 * i..4 * i + 4], 16).unwrap())
            .collect()
    };
    let tokens = |body: &str| -> Vec<String> {
        body.split(['<', '>'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut map = HashMap::new();
    for section in cmap.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap();
        for pair in tokens(body).chunks(2) {
            let text = String::from_utf16(&hex(&pair[1])).unwrap();
            map.insert(hex(&pair[0])[0], text);
        }
    }
    for section in cmap.split("beginbfrange").skip(1) {
        let body = section.split("endbfrange").next().unwrap();
        for triple in tokens(body).chunks(3) {
            let (low, high) = (hex(&triple[0])[0], hex(&triple[1])[0]);
            let first = hex(&triple[2]);
            for (i, code) in (low..=high).enumerate() {
                let mut units = first.clone();
                *units.last_mut().unwrap() += i as u16;
                map.insert(code, String::from_utf16(&units).unwrap());
            }
        }
    }
    map
}

/// The PDF's pages and its text, one line per text object (`BT` … `ET`: a run of one font),
/// decoded through each font's ToUnicode map (lopdf reads the file's structure and streams).
fn read(pdf: &[u8]) -> (usize, Vec<String>) {
    check_xref(pdf);
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf parses the confirmation");
    let pages = doc.get_pages();
    let mut lines = Vec::new();
    for page in pages.values() {
        let maps: HashMap<Vec<u8>, HashMap<u16, String>> = doc
            .get_page_fonts(*page)
            .unwrap()
            .into_iter()
            .map(|(name, font)| (name, to_unicode(&doc, font)))
            .collect();
        let content =
            lopdf::content::Content::decode(&doc.get_page_content(*page).unwrap()).unwrap();
        let mut font: Option<&HashMap<u16, String>> = None;
        let mut line = String::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => font = maps.get(op.operands[0].as_name().unwrap()),
                "Tj" | "TJ" => {
                    let mut strings: Vec<&[u8]> = Vec::new();
                    for operand in &op.operands {
                        match operand {
                            lopdf::Object::String(bytes, _) => strings.push(bytes),
                            lopdf::Object::Array(items) => {
                                strings.extend(items.iter().filter_map(|i| i.as_str().ok()))
                            }
                            _ => {}
                        }
                    }
                    let map = font.expect("a font is set before text");
                    for bytes in strings {
                        for code in bytes.chunks(2) {
                            let code = u16::from_be_bytes([code[0], code[1]]);
                            line.push_str(map.get(&code).map_or("\u{fffd}", |t| t.as_str()));
                        }
                    }
                }
                "ET" => {
                    let text = std::mem::take(&mut line);
                    if !text.trim().is_empty() {
                        lines.push(text.trim().to_string());
                    }
                }
                _ => {}
            }
        }
    }
    (pages.len(), lines)
}

fn short(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

async fn confirmation_of_a_long_stay(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let thb = |amount: f64| json!({ "rate": { "amount": amount, "currency": "THB" }, "numberOfUnits": 3 });
    s.rates(&app, day(15), day(24), thb(2150.25)).await;
    s.rates(&app, day(25), day(33), thb(1899.5)).await;
    let (a, d) = (day(5), day(33));
    let b = booked(&app, &s, a, d, ("Zoë", "Dupont", "zoe@example.com")).await;
    let id = b["id"].as_str().unwrap().to_string();
    let code = b["bookingCode"].as_str().unwrap().to_string();

    let r = report(&app, &s, &id, Some("application/pdf")).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.bytes)
    );
    assert_eq!(r.content_type(), "application/pdf");
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"booking-{code}.pdf\"")
    );
    assert!(r.bytes.starts_with(b"%PDF-1."));
    let (pages, lines) = read(&r.bytes);
    assert_eq!(pages, 2, "28 nights do not fit on one page");
    let all = lines.join(" ");
    // Labels and their values, each on its own line: the nights, and when it was booked (the
    // server's clock, at the property).
    let after = |label: &str| {
        let at = lines
            .iter()
            .position(|l| l.as_str() == label)
            .unwrap_or_else(|| panic!("no {label:?} in {lines:?}"));
        lines[at + 1].clone()
    };
    assert_eq!(after("Nights"), "28");
    assert_eq!(after("Booked on"), "Wed 17 Jun 2026, 10:00 (Asia/Bangkok)");
    for expected in [
        "Booking confirmation",
        code.as_str(),
        "Test Hotel Bangkok",
        "1 Sukhumvit Road, 10110",
        "reservations@test-hotel.example",
        "Zoë Dupont",
        "zoe@example.com",
        "Globetrotter Travel",
        "Confirmed (test booking: no payment was taken)",
        "1 room x Deluxe",
        "Flexible (breakfast included)",
        "2 adults",
        "City tax (per stay)",
        "Total",
        "56,748.50 THB",
        "Refundable rate (FREE-2D/50%/NS-100%).",
        "Cancellation is free of charge until the end of the day 2 days before arrival.",
        "After that, cancelling before the day of arrival costs 50% of the total.",
        "From the day of arrival, and if the guest does not arrive, the charge is 100% of the total.",
        "Penalty schedule (local time at the property, Asia/Bangkok)",
        "Page 1 of 2",
        "Page 2 of 2",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from {all}");
    }
    let when = |date: NaiveDate| format!("{}, 00:00", short(date));
    for expected in [
        format!(
            "Until {}: free of charge (0.00 THB)",
            when(a - Days::new(1))
        ),
        format!(
            "From {} until {}: 28,374.25 THB",
            when(a - Days::new(1)),
            when(a)
        ),
        format!("From {} on, and for a no-show: 56,748.50 THB", when(a)),
        a.format("%A %-d %B %Y").to_string(),
        d.format("%A %-d %B %Y").to_string(),
    ] {
        assert!(all.contains(&expected), "{expected:?} missing from {all}");
    }
    // Every night, with its price per room, the rooms and the amount, in order.
    for (i, night) in a.iter_days().take_while(|n| *n < d).enumerate() {
        let price = match i {
            0..10 => "2,000.00",
            10..20 => "2,150.25",
            _ => "1,899.50",
        };
        let at = lines
            .iter()
            .position(|l| *l == short(night))
            .unwrap_or_else(|| panic!("{night} missing"));
        assert_eq!(lines[at + 1..at + 4], [price, "1", price], "{night}");
    }
    assert!(!all.contains("CANCELLED"));

    // Accept: the operation answers its PDF whatever the client asks for (the platform's SDKs
    // send application/json); see content_negotiation.rs.
    let r = report(&app, &s, &id, Some("application/json")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "application/pdf");
    assert_eq!(report(&app, &s, &id, None).await.status, StatusCode::OK);
    // Missing and foreign bookings: 404.
    let other = Shop::new(&app, 1).await;
    report(&app, &s, &Uuid::new_v4().to_string(), None)
        .await
        .problem(StatusCode::NOT_FOUND);
    report(&app, &other, &id, None)
        .await
        .problem(StatusCode::NOT_FOUND);
}

async fn a_cancelled_booking_says_so(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let b = booked(&app, &s, day(1), day(2), ("Ann", "Lee", "ann@example.com")).await;
    let id = b["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Guest changed plans"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = report(&app, &s, id, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let (pages, lines) = read(&r.bytes);
    assert_eq!(pages, 1);
    let all = lines.join(" ");
    for expected in [
        "THIS BOOKING IS CANCELLED",
        "Guest changed plans",
        "the property keeps 1,025.00 THB; 1,025.00 THB is not charged.",
        "Total",
        "2,050.00 THB",
        "Page 1 of 1",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from {all}");
    }
}

/// The fonts the PDF embeds (their base names, subset tags removed); every one is a Type 0 font
/// with its program embedded and a ToUnicode map, so any reader can extract the text.
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf parses the confirmation");
    let name = |d: &lopdf::Dictionary, key: &[u8]| {
        d.get(key)
            .and_then(|o| o.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    let mut fonts = Vec::new();
    let mut programs = 0;
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        match name(d, b"Type").as_str() {
            "Font" if name(d, b"Subtype") == "Type0" => {
                let base = name(d, b"BaseFont");
                assert!(d.has(b"ToUnicode"), "{base} has no ToUnicode map");
                let (tag, family) = base.split_once('+').expect("a subset tag");
                assert_eq!(tag.len(), 6, "{base}");
                fonts.push(family.to_string());
            }
            // The CID fonts under the Type 0 ones; anything else would not be embedded.
            "Font" => assert!(
                name(d, b"Subtype").starts_with("CIDFontType"),
                "a font that is not embedded as Type 0: {d:?}"
            ),
            "FontDescriptor" => {
                assert!(
                    d.has(b"FontFile2") || d.has(b"FontFile3"),
                    "no embedded program: {d:?}"
                );
                programs += 1;
            }
            _ => {}
        }
    }
    assert_eq!(programs, fonts.len(), "one embedded program per font");
    fonts.sort();
    fonts
}

/// The text of the PDF as poppler's `pdftotext` reads it, or `None` (with a note) where it is
/// not installed.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("NOTE: pdftotext (poppler-utils) is not installed: text extraction skipped");
        return None;
    }
    let path = std::env::temp_dir().join(format!("wink-confirmation-{}.pdf", Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("UTF-8 text"))
}

/// Guests' names in five scripts print as written, in embedded fonts.
async fn names_in_every_script(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let cjk = app.state.fonts.face_for('王', Weight::Regular);
    let guests = [
        ("สมชาย", "Müller-Łukasiewicz 王"),
        ("Małgorzata", "Wróblewska-Żółć"),
        ("Анна", "Щербакова-Ёлкина"),
        ("Αλέξανδρος", "Παπαδόπουλος"),
    ];
    for (i, (first, last)) in guests.into_iter().enumerate() {
        let (a, d) = (day(1 + 2 * i as u64), day(2 + 2 * i as u64));
        let b = booked(&app, &s, a, d, (first, last, "guest@example.com")).await;
        let r = report(&app, &s, b["id"].as_str().unwrap(), None).await;
        assert_eq!(r.status, StatusCode::OK);
        let fonts = embedded_fonts(&r.bytes);
        assert!(fonts.contains(&"NotoSans-Bold".to_string()), "{fonts:?}");
        assert!(fonts.contains(&"NotoSans-Regular".to_string()), "{fonts:?}");
        if i == 0 {
            assert!(
                fonts.contains(&"NotoSansThai-Regular".to_string()),
                "{fonts:?}"
            );
            assert_eq!(fonts.len(), 3 + usize::from(cjk.is_some()), "{fonts:?}");
        } else {
            assert_eq!(fonts.len(), 2, "{fonts:?}");
        }
        let Some(text) = pdftotext(&r.bytes) else {
            continue;
        };
        let full = format!("{first} {last}");
        let expected = match (&cjk, i) {
            (None, 0) => {
                println!("NOTE: no font in the font directories has 王: CJK not checked");
                full.trim_end_matches(" 王").to_string()
            }
            _ => full,
        };
        assert!(
            text.lines().any(|l| l.trim() == expected),
            "{expected:?} does not come back from the PDF:\n{text}"
        );
        // The rest of the page is still there around it.
        for label in [
            "Booking confirmation",
            "Guest",
            "Cancellation terms",
            "Total",
        ] {
            assert!(text.contains(label), "{label:?} missing:\n{text}");
        }
    }
}

/// Without a font that has a character, it prints as the missing-glyph box, never as `?`; the
/// rest of the line is intact.
async fn a_character_no_font_has(app: TestApp) {
    let config = wink_api::ApiConfig {
        font_dirs: vec![],
        ..app.state.config.as_ref().clone()
    };
    let app = app.with_config(config).await;
    let s = Shop::new(&app, 3).await;
    assert!(app.state.fonts.face_for('王', Weight::Regular).is_none());
    let b = booked(
        &app,
        &s,
        day(1),
        day(2),
        ("Wang", "王 Fang", "w@example.com"),
    )
    .await;
    let r = report(&app, &s, b["id"].as_str().unwrap(), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        embedded_fonts(&r.bytes),
        ["NotoSans-Bold", "NotoSans-Regular"]
    );
    if let Some(text) = pdftotext(&r.bytes) {
        let line = text
            .lines()
            .find(|l| l.starts_with("Wang "))
            .unwrap_or_else(|| panic!("no guest line in\n{text}"));
        assert!(line.ends_with(" Fang"), "{line:?}");
        assert!(!line.contains('?'), "{line:?}");
    }
}

on_both_engines!(
    confirmation_of_a_long_stay,
    a_cancelled_booking_says_so,
    names_in_every_script,
    a_character_no_font_has
);
