//! Tag "Reports": the property's bookings as a CSV file, filtered and ordered by the request's
//! State through the same grid engine and field table as `booking/grid`.
//!
//! Decisions a client sees:
//! - `reportDataType` BOOKING is the property's bookings; PROPERTY, USER and ACCOUNT are reports
//!   of the platform (inventories, guest profiles, managing entities across properties) that a
//!   supplier's server does not hold: 400 naming `/reportDataType`.
//! - `fieldNames` are the columns in order: `valuePath` is one of the grid's field names (e.g.
//!   `bookingCode`, `user.lastName`, `roomStay.startDate`, `financialBreakdown.sourceAmount`),
//!   `title` its header; an unknown one is a 400 naming `/fieldNames/N/valuePath`. At most
//!   [`MAX_COLUMNS`].
//! - `state.filter` and `state.sort` apply as in the grid (refusals name `/state/...`); a report is
//!   every matching booking, so `skip` and `take` (the grid page the client was on) do not
//!   limit it; `group` is refused.
//! - RFC 4180 (written by the `csv` crate): a header row of the titles, CRLF line ends, fields
//!   holding a comma, a double quote, CR or LF quoted (quotes doubled); UTF-8. A row of a single
//!   empty cell is written `""`, so that it is not an empty line. Values as the JSON API writes them: timestamps RFC
//!   3339 UTC, dates YYYY-MM-DD, decimals as plain numbers, booleans true/false, empty for none.
//!   A text cell starting like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
//!   `'` (OWASP's advice against CSV injection, see [`crate::csv_safety`]); numbers are written
//!   as they are, so a negative amount stays a number.
//! - Streamed: rows are read from one query as the client downloads them, [`BATCH`] at a time,
//!   so the file is never held in memory. At most [`CONCURRENT_REPORTS`] reports are written at
//!   once per server; a request that finds no slot within 10 s is a 503. A storage failure after
//!   the first rows aborts the transfer (the client sees an incomplete response, not a short file).
//! - `Content-Disposition: attachment` with the report name (letters, digits, `-`, `_`, `.`
//!   kept) as `<name>.csv`, and the exact name in `filename*`.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, mpsc};
use utoipa::ToSchema;
use wink_contract::{FieldError, ReportFieldName, ReportQueryReportDataType};
use wink_store::StoreError;
use wink_store::grid::{Column, Value};

use super::grid::FIELDS;
use crate::auth::PropertyContext;
use crate::csv_safety;
use crate::error::{ApiError, Problems};
use crate::grid::{self, GridState};
use crate::state::AppState;
use crate::validation::ValidJson;

/// Rows read and written per chunk.
pub const BATCH: usize = 500;
pub const MAX_COLUMNS: usize = 50;
/// Reports written at the same time (each holds one database connection while it streams).
pub const CONCURRENT_REPORTS: usize = 4;
static REPORTS: Semaphore = Semaphore::const_new(CONCURRENT_REPORTS);

/// What to export: the contract's ReportQuery, with the grid's State.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    /// The file's name (without `.csv`).
    #[schema(min_length = 1)]
    pub report_name: String,
    pub report_data_type: ReportQueryReportDataType,
    /// The columns, in order.
    #[schema(min_items = 1)]
    pub field_names: Vec<ReportFieldName>,
    /// Which bookings and in which order (paging does not apply).
    pub state: GridState,
}

/// The property's bookings as a CSV file (RFC 4180, streamed): the columns `fieldNames` name
/// (grid field names as `valuePath`), the rows the State's filter keeps in its order (newest
/// first by default), every matching booking (`skip`/`take` do not limit a report). Only
/// `reportDataType` BOOKING is a property's report; failed bookings are never included.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/report/csv",
    operation_id = "generate-property-report", tag = "Reports",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = ReportRequest,
    responses((status = 200, description = "The report", content_type = "text/csv", body = String), Problems))]
pub async fn generate_property_report(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<ReportRequest>,
) -> Result<Response, ApiError> {
    let req = &body.value;
    let mut errors: Vec<FieldError> = Vec::new();
    if req.report_data_type != ReportQueryReportDataType::Booking {
        errors.push(FieldError {
            field: "/reportDataType".into(),
            message: format!(
                "{} reports are the platform's; a property's report is BOOKING",
                req.report_data_type.as_str()
            ),
        });
    }
    if req.field_names.len() > MAX_COLUMNS {
        errors.push(FieldError {
            field: "/fieldNames".into(),
            message: format!("at most {MAX_COLUMNS} columns"),
        });
    }
    let mut columns: Vec<Column> = Vec::new();
    for (i, f) in req.field_names.iter().enumerate() {
        match grid::field(FIELDS, &f.value_path) {
            Some(field) => columns.push(field.column),
            None => errors.push(FieldError {
                field: format!("/fieldNames/{i}/valuePath"),
                message: format!(
                    "unknown field {:?}; a booking report has: {}",
                    f.value_path,
                    grid::names(FIELDS)
                ),
            }),
        }
    }
    let query = match grid::parse(
        &req.state,
        FIELDS,
        "/state",
        &state.date_window(&ctx.property),
    ) {
        Ok(grid) => Some(grid.query),
        Err(ApiError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let query = query.unwrap_or_default();

    let permit = tokio::time::timeout(Duration::from_secs(10), REPORTS.acquire())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| {
            ApiError::Unavailable("too many reports are being written; retry shortly".into())
        })?;
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, StoreError>>(2);
    let store = state.store.clone();
    let property = ctx.property.id;
    tokio::spawn(async move {
        let _permit = permit;
        let sent = store
            .booking_report(property, &query, &columns, BATCH, |rows| {
                let tx = tx.clone();
                async move {
                    let chunk = csv_rows(&rows);
                    let written = chunk.is_ok();
                    tx.send(chunk).await.is_ok() && written
                }
            })
            .await;
        if let Err(e) = sent {
            tracing::error!(error = %e, %property, "booking report failed");
            let _ = tx.send(Err(e)).await;
        }
    });

    // The header and the first rows (or the failure to read them) before answering, so a query
    // that fails at once is a problem response, not a broken download.
    let titles: Vec<Option<Value>> = req
        .field_names
        .iter()
        .map(|f| Some(Value::Text(f.title.clone())))
        .collect();
    let mut first = csv_rows(&[titles])?.to_vec();
    match rx.recv().await {
        Some(Ok(chunk)) => first.extend_from_slice(&chunk),
        Some(Err(e)) => return Err(e.into()),
        None => {}
    }
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    // A server stopping lets the report finish within its shutdown deadline; past it the
    // transfer is cut off after the last whole batch of rows.
    let rest = crate::server::until_deadline(Box::pin(rest), state.shutdown.clone(), || {
        StoreError::Unavailable("the server is shutting down".into())
    });
    let stream = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, StoreError>(Bytes::from(first)) }),
        rest,
    );
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition(&req.report_name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `Content-Disposition` for a report named `name`.
pub fn disposition(name: &str) -> String {
    let safe: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_matches(|c| c == '.' || c == '_');
    let safe = if safe.is_empty() { "report" } else { safe };
    let mut encoded = String::new();
    for b in format!("{}.csv", name.trim()).bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{safe}.csv\"; filename*=UTF-8''{encoded}")
}

/// Rows as RFC 4180 CSV (the `csv` crate: CRLF record ends, a field quoted when it holds a comma,
/// a double quote, CR or LF, quotes doubled), text cells neutralised against formulas first.
pub fn csv_rows(rows: &[Vec<Option<Value>>]) -> Result<Bytes, StoreError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(true)
        .from_writer(Vec::with_capacity(rows.len() * 128));
    let failed = |e: String| StoreError::Internal(format!("writing the CSV report: {e}"));
    for row in rows {
        let cells = row
            .iter()
            .map(|cell| cell.as_ref().map(text).unwrap_or_default());
        writer
            .write_record(cells)
            .map_err(|e| failed(e.to_string()))?;
    }
    let bytes = writer.into_inner().map_err(|e| failed(e.to_string()))?;
    Ok(Bytes::from(bytes))
}

/// A value as the JSON API writes it.
fn text(value: &Value) -> String {
    match value {
        Value::Text(s) => csv_safety::neutralise(s).into_owned(),
        Value::Integer(n) => n.to_string(),
        Value::Decimal(a) => a.0.normalize().to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Timestamp(t) => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        Value::Bool(b) => b.to_string(),
        Value::Uuid(u) => u.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal::Decimal;
    use wink_store::Amount;

    #[test]
    fn rfc4180_quoting_and_values() {
        let rows = vec![
            vec![
                Some(Value::Text("plain".into())),
                Some(Value::Text("a, b".into())),
                Some(Value::Text("say \"hi\"".into())),
                Some(Value::Text("two\nlines\r".into())),
                None,
            ],
            vec![
                Some(Value::Text("=1+1".into())),
                Some(Value::Text("-2".into())),
                Some(Value::Integer(-3)),
                Some(Value::Decimal(Amount(Decimal::new(-1250, 2)))),
            ],
            vec![
                Some(Value::Integer(-3)),
                Some(Value::Decimal(Amount(Decimal::new(405000, 2)))),
                Some(Value::Date(NaiveDate::from_ymd_opt(2030, 5, 1).unwrap())),
                Some(Value::Timestamp(
                    Utc.with_ymd_and_hms(2030, 5, 1, 10, 0, 0).unwrap(),
                )),
                Some(Value::Bool(false)),
            ],
        ];
        assert_eq!(
            std::str::from_utf8(&csv_rows(&rows).unwrap()).unwrap(),
            "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\r\",\r\n'=1+1,'-2,-3,-12.5\r\n-3,4050,2030-05-01,2030-05-01T10:00:00Z,false\r\n"
        );
    }

    #[test]
    fn disposition_keeps_a_safe_name_and_the_exact_one() {
        assert_eq!(
            disposition("booking-summary"),
            "attachment; filename=\"booking-summary.csv\"; filename*=UTF-8''booking-summary.csv"
        );
        assert_eq!(
            disposition("Bookings May/2030 \"all\""),
            "attachment; filename=\"Bookings_May_2030__all.csv\"; filename*=UTF-8''Bookings%20May%2F2030%20%22all%22.csv"
        );
        assert_eq!(
            disposition("Réservations"),
            "attachment; filename=\"R_servations.csv\"; filename*=UTF-8''R%C3%A9servations.csv"
        );
        assert_eq!(
            disposition("..."),
            "attachment; filename=\"report.csv\"; filename*=UTF-8''....csv"
        );
    }
}
