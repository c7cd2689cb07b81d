//! `GET booking/{id}/report/pdf`: the booking confirmation as a PDF a guest can be handed.
//!
//! One A4 document (more pages when the stay is long): the property (name, address, contact), the
//! booking code and status (a cancelled booking or a no-show says so at the top), the guest, the
//! stay (dates, nights, room type and rooms, occupancy, rate plan), every night's price, the fees,
//! the total with its currency, and the cancellation terms of the policy in force when the booking
//! was made: in sentences, then as the dated penalty schedule with each deadline in the property's
//! local time. Drawn by `writer` through `krilla`, in the fonts of [`crate::fonts`] (embedded
//! subsets: Thai, Polish, Russian, Greek and, with a font that has them, CJK names print as
//! written).

mod writer;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde_json::Value;
use wink_contract::{CancellationPolicyLightweight, CustomMonetaryAmount};
use wink_domain::money::Currency;
use wink_domain::{BookingStatus, PenaltySchedule};
use wink_store::bookings::Booking;
use wink_store::properties::Property;

use super::booking_answer::{self, Extras, Snapshot};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::fonts::{Fonts, Weight};
use crate::state::AppState;
use writer::{Info, Page};

/// Download the booking's confirmation as a PDF file (`Content-Disposition: attachment`).
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/{bookingIdentifier}/report/pdf",
    operation_id = "generate-booking-report", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path), ("bookingIdentifier" = Uuid, Path)),
    responses((status = 200, description = "The booking confirmation", content_type = "application/pdf", body = String),
        Problems))]
pub async fn generate_booking_report(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let row = state.store.booking(ctx.property.id, id(&ids.1)?).await?;
    let property = state.store.property(ctx.property.id).await?;
    let extras = Extras::of(&state.store, row.id).await?;
    let zone = crate::dates::zone(&ctx.property);
    let (fonts, now, code) = (state.fonts.clone(), state.now(), row.code.clone());
    // Shaping and subsetting fonts is CPU work (and the first document that needs a font
    // directory scans it): off the async workers.
    let pdf = tokio::task::spawn_blocking(move || {
        confirmation(&row, &property, &extras, zone, now, &fonts)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("writing the confirmation: {e}")))??;
    let mut response = pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    let disposition = format!("attachment; filename=\"booking-{code}.pdf\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;
const TOP: f32 = 792.0;
const BOTTOM: f32 = 72.0;
const LINE: f32 = 14.0;
const BODY: f32 = 10.0;
const VALUE_X: f32 = 160.0;

/// Pages being filled from the top.
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Page>,
    y: f32,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Layout<'f> {
        Layout {
            fonts,
            pages: vec![Page::default()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a layout has a page")
    }

    /// Starts a new page unless `height` still fits on this one; answers whether it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.pages.push(Page::default());
            self.y = TOP;
            return true;
        }
        false
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn text(&mut self, weight: Weight, size: f32, text: &str) {
        self.ensure(LINE);
        let y = self.y;
        self.page().text(LEFT, y, weight, size, text);
        self.y -= size.max(BODY) * 1.4;
    }

    fn paragraph(&mut self, text: &str) {
        for line in self.fonts.wrap(text, Weight::Regular, BODY, RIGHT - LEFT) {
            self.text(Weight::Regular, BODY, &line);
        }
    }

    fn heading(&mut self, text: &str) {
        self.ensure(LINE * 3.0);
        self.gap(8.0);
        let y = self.y;
        self.page().text(LEFT, y, Weight::Bold, 12.0, text);
        self.page().rule(LEFT, RIGHT, y - 4.0, 0.5);
        self.y -= LINE + 6.0;
    }

    /// A label and its value (wrapped under itself).
    fn pair(&mut self, label: &str, value: &str) {
        let lines = self
            .fonts
            .wrap(value, Weight::Regular, BODY, RIGHT - VALUE_X);
        self.ensure(LINE * lines.len().max(1) as f32);
        let y = self.y;
        self.page().text(LEFT, y, Weight::Bold, BODY, label);
        for line in lines {
            let y = self.y;
            self.page().text(VALUE_X, y, Weight::Regular, BODY, &line);
            self.y -= LINE;
        }
    }

    /// One row of the prices table: text at the left, amounts right-aligned at their columns.
    fn row(&mut self, weight: Weight, left: &str, right: &[(f32, String)]) {
        let y = self.y;
        self.page().text(LEFT, y, weight, BODY, left);
        for (x, text) in right {
            self.page().text_right(*x, y, weight, BODY, text);
        }
        self.y -= LINE;
    }
}

/// A decimal with `minor` decimals and thousands separators: `4,050.00`.
fn number(value: Decimal, minor: u32) -> String {
    let text = format!("{:.*}", minor as usize, value.round_dp(minor));
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money of the booking's currency: `4,050.00 THB`.
struct Amounts {
    code: String,
    minor: u32,
}

impl Amounts {
    fn of(row: &Booking) -> Amounts {
        let minor = Currency::parse(&row.currency)
            .map(|c| c.minor_units())
            .unwrap_or(2);
        Amounts {
            code: row.currency.clone(),
            minor,
        }
    }

    fn bare(&self, value: Decimal) -> String {
        number(value, self.minor)
    }

    fn money(&self, value: Decimal) -> String {
        format!("{} {}", self.bare(value), self.code)
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

fn short_day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The policy's charges in words.
fn charge_words(code: Option<&str>) -> String {
    match code {
        None | Some("ONE_HUNDRED_PERCENT") | Some("ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE") => {
            "100% of the total".into()
        }
        Some("FIRST_NIGHT") => "the first night".into(),
        Some(other) => {
            let percent = match other {
                "TEN_PERCENT" => "10",
                "THIRTY_PERCENT" => "30",
                "FIFTY_PERCENT" => "50",
                "SIXTY_PERCENT" => "60",
                "SEVENTY_PERCENT" => "70",
                "NINENTY_PERCENT" => "90",
                _ => return other.to_lowercase().replace('_', " "),
            };
            format!("{percent}% of the total")
        }
    }
}

/// "N days before arrival" from the contract's spelling.
fn days_before(code: &str) -> Option<u32> {
    Some(match code.strip_suffix("_BEFORE_ARRIVAL")? {
        "ONE_DAY" => 1,
        "TWO_DAYS" => 2,
        "THREE_DAYS" => 3,
        "FIVE_DAYS" => 5,
        "SEVEN_DAYS" => 7,
        "FOURTEEN_DAYS" => 14,
        "TWENTYONE_DAYS" => 21,
        "THIRTY_DAYS" => 30,
        "FOURTY_TWO_DAYS" => 42,
        "SIXTY_DAYS" => 60,
        _ => return None,
    })
}

fn deadline_words(days: u32) -> String {
    format!(
        "until the end of the day {} before arrival",
        plural(i64::from(days), "day", "days")
    )
}

/// The policy in force when the booking was made, in sentences.
fn policy_sentences(p: &CancellationPolicyLightweight) -> Vec<String> {
    let code = p
        .policy_code
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    if p.refundable {
        let free = p.advance_cancellation_free_of_charge.map(|f| f.as_str());
        let late = charge_words(p.refundable_cancellation_charge.map(|c| c.as_str()));
        let no_show = match p.no_show_charge.map(|c| c.as_str()) {
            Some("ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE") => "100% of the total".to_string(),
            _ => late.clone(),
        };
        let hour = match free {
            Some("UNTIL_EIGHTEEN_HUNDRED_HOURS_ON_DAY_OF_ARRIVAL") => Some(18),
            Some("UNTIL_FOURTEEN_HUNDRED_HOURS_ON_DAY_OF_ARRIVAL") => Some(14),
            _ => None,
        };
        let mut sentences = vec![format!("Refundable rate{code}.")];
        match hour {
            Some(h) => {
                sentences.push(format!(
                    "Cancellation is free of charge until {h}:00 on the day of arrival."
                ));
                sentences.push(format!(
                    "After that, and if the guest does not arrive, the charge is {no_show}."
                ));
            }
            None => {
                let days = free.and_then(days_before).unwrap_or(1);
                sentences.push(format!(
                    "Cancellation is free of charge {}.",
                    deadline_words(days)
                ));
                if days > 1 {
                    sentences.push(format!(
                        "After that, cancelling before the day of arrival costs {late}."
                    ));
                }
                sentences.push(format!(
                    "From the day of arrival, and if the guest does not arrive, the charge is {no_show}."
                ));
            }
        }
        sentences
    } else {
        let first = charge_words(p.non_refundable_cancellation_charge.map(|c| c.as_str()));
        let mut sentences = vec![format!("Non-refundable rate{code}.")];
        match p
            .non_refundable_deadline
            .map(|d| d.as_str())
            .and_then(days_before)
        {
            Some(days) => {
                let after = charge_words(
                    p.non_refundable_after_deadline_cancellation_charge
                        .map(|c| c.as_str()),
                );
                sentences.push(format!(
                    "Cancelling costs {first} {}; after that, and if the guest does not arrive, {after}.",
                    deadline_words(days)
                ));
            }
            None => sentences.push(format!(
                "Cancelling, or not arriving, costs {first} at any time."
            )),
        }
        sentences
    }
}

/// The dated schedule, one line per tier, deadlines in the property's local time.
fn schedule_lines(schedule: &PenaltySchedule, amounts: &Amounts, zone: Tz) -> Vec<String> {
    let tiers = schedule.tiers();
    tiers
        .iter()
        .enumerate()
        .map(|(i, tier)| {
            let penalty = if tier.penalty.is_zero() {
                format!("free of charge ({})", amounts.money(Decimal::ZERO))
            } else {
                amounts.money(tier.penalty.amount)
            };
            match (i, tier.until) {
                (0, Some(until)) => format!("Until {}: {penalty}", local(until, zone)),
                (0, None) => format!("From booking on: {penalty}"),
                (_, Some(until)) => format!(
                    "From {} until {}: {penalty}",
                    local(tier.from, zone),
                    local(until, zone)
                ),
                (_, None) => format!(
                    "From {} on, and for a no-show: {penalty}",
                    local(tier.from, zone)
                ),
            }
        })
        .collect()
}

fn text_of(doc: &Value, pointer: &str) -> Option<String> {
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The confirmation of `row` as PDF bytes.
pub fn confirmation(
    row: &Booking,
    property: &Property,
    extras: &Extras,
    zone: Tz,
    now: DateTime<Utc>,
    fonts: &Fonts,
) -> Result<Vec<u8>, ApiError> {
    let snapshot = Snapshot::of(row)?;
    let state = booking_answer::state(row, &extras.refunds)?;
    let amounts = Amounts::of(row);
    let stay = &snapshot.room_stay;
    let nights = (row.departure - row.arrival).num_days();
    let mut l = Layout::new(fonts);

    // The title, and the status where nobody can miss it.
    let y = l.y;
    l.page()
        .text(LEFT, y, Weight::Bold, 20.0, "Booking confirmation");
    l.page().text_right(RIGHT, y, Weight::Bold, 14.0, &row.code);
    l.gap(30.0);
    match state.status {
        BookingStatus::Cancelled => l.text(Weight::Bold, 14.0, "THIS BOOKING IS CANCELLED"),
        BookingStatus::NoShow => l.text(
            Weight::Bold,
            14.0,
            "NO-SHOW: THE GUEST DID NOT ARRIVE, THE BOOKING IS CANCELLED",
        ),
        _ => {}
    }

    // The property.
    let doc = &property.document.0;
    l.text(Weight::Bold, 12.0, &property.name);
    let mut address: Vec<String> = Vec::new();
    for pointer in [
        "/address/address1",
        "/address/address2",
        "/address/postalCode",
        "/addressLocal/city",
        "/address/state",
    ] {
        if let Some(part) = text_of(doc, pointer).filter(|p| !address.contains(p)) {
            address.push(part);
        }
    }
    if !address.is_empty() {
        l.text(Weight::Regular, BODY, &address.join(", "));
    }
    let contact: Vec<String> = [
        "/reservation/email",
        "/reservation/phoneNumber",
        "/accountPhoneNumber",
    ]
    .iter()
    .filter_map(|p| text_of(doc, p))
    .collect();
    if !contact.is_empty() {
        l.text(Weight::Regular, BODY, &contact.join("  ·  "));
    }

    l.heading("Booking");
    l.pair("Booking code", &row.code);
    let status = match state.status {
        BookingStatus::Confirmed if row.creation == "TEST" => {
            "Confirmed (test booking: no payment was taken)".to_string()
        }
        BookingStatus::Confirmed => "Confirmed".to_string(),
        BookingStatus::Cancelled | BookingStatus::NoShow => {
            let what = if state.status == BookingStatus::NoShow {
                "No-show recorded"
            } else {
                "Cancelled"
            };
            let at = row
                .cancelled_at
                .map(|at| format!(" on {}", local(at, zone)))
                .unwrap_or_default();
            let reason = row
                .cancel_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            format!("{what}{at}{reason}")
        }
        other => other.to_string(),
    };
    l.pair("Status", &status);
    l.pair(
        "Booked on",
        &format!("{} ({zone})", local(row.created_at, zone)),
    );
    let user = &snapshot.user;
    l.pair("Guest", &format!("{} {}", user.first_name, user.last_name));
    let mut reach = vec![user.email.clone()];
    reach.extend(user.telephone.clone());
    l.pair("Contact", &reach.join(", "));
    l.pair("Booked through", &snapshot.customization.name);

    l.heading("Stay");
    l.pair("Arrival", &day(row.arrival));
    l.pair("Departure", &day(row.departure));
    l.pair("Nights", &nights.to_string());
    let plan = &stay.rate_plan;
    let meals: Vec<&str> = [
        (plan.breakfast, "breakfast"),
        (plan.brunch, "brunch"),
        (plan.lunch, "lunch"),
        (plan.dinner, "dinner"),
        (plan.all_inclusive, "all inclusive"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    let meals = if meals.is_empty() {
        "room only".to_string()
    } else {
        format!("{} included", meals.join(", "))
    };
    l.pair(
        "Room",
        &format!(
            "{} x {}",
            plural(i64::from(row.quantity), "room", "rooms"),
            stay.room.name
        ),
    );
    l.pair("Rate plan", &format!("{} ({meals})", plan.name));
    let children: Vec<String> = snapshot
        .user_session
        .itinerary
        .items
        .first()
        .map(|item| {
            item.children
                .iter()
                .flat_map(|c| {
                    let age = c.age.unwrap_or(0);
                    std::iter::repeat_n(format!("{age}"), c.quantity.unwrap_or(1).max(0) as usize)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut occupancy = plural(i64::from(stay.adults), "adult", "adults");
    if stay.children > 0 {
        let ages = if children.is_empty() {
            String::new()
        } else {
            format!(" (aged {})", children.join(", "))
        };
        occupancy.push_str(&format!(
            ", {}{ages}",
            plural(i64::from(stay.children), "child", "children")
        ));
    }
    if row.quantity > 1 {
        occupancy.push_str(" in each room");
    }
    l.pair("Guests", &occupancy);

    // Prices: every night, the fees, the total.
    l.heading(&format!("Prices ({})", amounts.code));
    let (rate_x, rooms_x, amount_x) = (370.0, 440.0, RIGHT);
    let header = |l: &mut Layout| {
        l.row(
            Weight::Bold,
            "Night",
            &[
                (rate_x, "Per room".to_string()),
                (rooms_x, "Rooms".to_string()),
                (amount_x, "Amount".to_string()),
            ],
        );
    };
    header(&mut l);
    let gross: std::collections::HashMap<NaiveDate, Decimal> = snapshot
        .reporting_daily_rate_list
        .iter()
        .filter_map(|r| Some((r.date?, r.gross_amount?)))
        .collect();
    for night in &stay.price.list {
        if l.ensure(LINE) {
            l.text(Weight::Regular, BODY, "Prices (continued)");
            header(&mut l);
        }
        let Some(date) = night.date else { continue };
        let per_room = night
            .source_rate
            .as_ref()
            .map(|m: &CustomMonetaryAmount| m.amount)
            .unwrap_or_default();
        let all = gross
            .get(&date)
            .copied()
            .unwrap_or(per_room * Decimal::from(row.quantity));
        l.row(
            Weight::Regular,
            &short_day(date),
            &[
                (rate_x, amounts.bare(per_room)),
                (rooms_x, row.quantity.to_string()),
                (amount_x, amounts.bare(all)),
            ],
        );
    }
    for fee in stay.extra_charges.iter().flat_map(|c| c.items.iter()) {
        l.ensure(LINE);
        let Some(level) = &fee.rate_plan_level_fee else {
            continue;
        };
        let name = level
            .descriptions
            .iter()
            .find(|d| d.language.starts_with("en"))
            .or(level.descriptions.first())
            .map(|d| d.description.clone())
            .unwrap_or_else(|| "Fee".into());
        let kind = level.r#type.as_str().to_lowercase().replace('_', " ");
        let amount = fee
            .price
            .as_ref()
            .and_then(|p| p.source_total.as_ref())
            .map(|m| m.amount)
            .unwrap_or(level.fixed_amount.amount);
        l.row(
            Weight::Regular,
            &format!("{name} ({kind})"),
            &[(amount_x, amounts.bare(amount))],
        );
    }
    l.ensure(LINE * 2.0);
    let y = l.y + LINE - 3.0;
    l.page().rule(rate_x - 60.0, RIGHT, y, 0.8);
    l.row(
        Weight::Bold,
        "Total",
        &[(amount_x, amounts.money(row.total.0))],
    );

    // Cancellation terms, as sold.
    l.heading("Cancellation terms");
    if let Some(policy) = &stay.active_cancellation_policy {
        for sentence in policy_sentences(policy) {
            l.paragraph(&sentence);
        }
    }
    let (_, schedule) = booking_answer::schedule(row, zone)?;
    l.gap(4.0);
    l.text(
        Weight::Bold,
        BODY,
        &format!("Penalty schedule (local time at the property, {zone})"),
    );
    for line in schedule_lines(&schedule, &amounts, zone) {
        l.paragraph(&format!("•  {line}"));
    }
    if let (Some(at), Some(penalty)) = (row.cancelled_at, row.penalty) {
        l.gap(4.0);
        let back = (row.total.0 - penalty.0).max(Decimal::ZERO);
        l.paragraph(&format!(
            "{} on {}: the property keeps {}; {} is not charged.",
            if state.status == BookingStatus::NoShow {
                "No-show recorded"
            } else {
                "Cancelled"
            },
            local(at, zone),
            amounts.money(penalty.0),
            amounts.money(back)
        ));
    }
    for refund in &extras.refunds {
        l.paragraph(&format!(
            "Refund of {} requested on {} ({}): {}.",
            amounts.money(refund.amount.0),
            local(refund.created_at, zone),
            refund.reason.to_lowercase().replace('_', " "),
            refund.status.to_lowercase()
        ));
    }

    // Footers, now that the pages are counted.
    let count = l.pages.len();
    let generated = now.format("%Y-%m-%d %H:%M UTC").to_string();
    for (i, page) in l.pages.iter_mut().enumerate() {
        page.rule(LEFT, RIGHT, 52.0, 0.5);
        page.text(
            LEFT,
            40.0,
            Weight::Regular,
            8.0,
            &format!(
                "{} · booking {} · generated {generated}",
                property.name, row.code
            ),
        );
        page.text_right(
            RIGHT,
            40.0,
            Weight::Regular,
            8.0,
            &format!("Page {} of {count}", i + 1),
        );
    }
    let title = format!("Booking {} - {}", row.code, property.name);
    writer::render(
        &l.pages,
        &Info {
            title: &title,
            created: now,
        },
        fonts,
    )
    .map_err(ApiError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(number(Decimal::new(405_000, 2), 2), "4,050.00");
        assert_eq!(number(Decimal::new(12_345_678, 1), 0), "1,234,568");
        assert_eq!(number(Decimal::new(-12345, 2), 2), "-123.45");
        assert_eq!(number(Decimal::from(999), 2), "999.00");
    }

    #[test]
    fn charges_in_words() {
        assert_eq!(charge_words(Some("FIFTY_PERCENT")), "50% of the total");
        assert_eq!(charge_words(Some("FIRST_NIGHT")), "the first night");
        assert_eq!(charge_words(None), "100% of the total");
        assert_eq!(days_before("FOURTY_TWO_DAYS_BEFORE_ARRIVAL"), Some(42));
        assert_eq!(days_before("ONE_DAY_BEFORE_ARRIVAL"), Some(1));
    }
}
