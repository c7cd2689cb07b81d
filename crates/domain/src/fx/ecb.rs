//! Parsers for the ECB's daily euro reference rates, in both published formats. The shapes
//! are fixed and small, so they are read by hand rather than with CSV and XML crates.
//!
//! - CSV (`eurofxref.csv`): a header `Date, USD, JPY, ...,` then ONE line of values
//!   `17 January 2025, 1.0300, 161.86, ...,`; cells are comma-separated with optional
//!   spaces, both lines may end with a comma, a value may be `N/A`. The date is written
//!   `17 January 2025` (or `2025-01-17`, as in the historical file).
//! - XML (`eurofxref-daily.xml`): one `<Cube time="2025-01-17">` holding
//!   `<Cube currency="USD" rate="1.0300"/>` elements; attributes in single or double
//!   quotes; everything outside `Cube` elements (the envelope, the sender) is ignored.
//!
//! Both refuse more than one day of rates (the historical files): a daily file is what the
//! operator loads, and silently picking one day of a history would be a guess. Rates of
//! currencies missing from our ISO 4217 table (a withdrawn currency such as BGN) and `N/A`
//! values are skipped: nothing is priced in them. Anything else malformed is an error that
//! names the file and says what is wrong. Rates are read as decimals, never floats.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ExchangeRates;
use crate::error::DomainError;
use crate::money::Currency;

const CSV: &str = "eurofxref.csv";
const XML: &str = "eurofxref-daily.xml";

pub(super) fn parse_csv(text: &str) -> Result<ExchangeRates, DomainError> {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty());
    let header = cells(
        lines
            .next()
            .ok_or_else(|| error(CSV, "the file is empty"))?,
    );
    let values = cells(
        lines
            .next()
            .ok_or_else(|| error(CSV, "no line of rates after the header"))?,
    );
    if lines.next().is_some() {
        return Err(error(
            CSV,
            "more than one line of rates: load the daily file, not a history",
        ));
    }
    if !header
        .first()
        .is_some_and(|cell| cell.eq_ignore_ascii_case("Date"))
    {
        return Err(error(CSV, "the header must start with `Date`"));
    }
    if header.len() != values.len() {
        return Err(error(
            CSV,
            format!("{} header cells but {} values", header.len(), values.len()),
        ));
    }
    let as_of =
        date(values[0]).ok_or_else(|| error(CSV, format!("`{}` is not a date", values[0])))?;
    let mut rates = Vec::new();
    for (code, value) in header.iter().zip(&values).skip(1) {
        if let Some(rate) = rate(CSV, code, value)? {
            rates.push(rate);
        }
    }
    build(CSV, as_of, rates)
}

/// The cells of a line, trimmed, without the empty cell a trailing comma leaves.
fn cells(line: &str) -> Vec<&str> {
    let mut cells: Vec<&str> = line.split(',').map(str::trim).collect();
    if cells.last().is_some_and(|cell| cell.is_empty()) {
        cells.pop();
    }
    cells
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d %B %Y"))
        .ok()
}

/// One currency's rate; `None` for `N/A` or a currency outside our ISO 4217 table.
fn rate(
    file: &'static str,
    code: &str,
    value: &str,
) -> Result<Option<(Currency, Decimal)>, DomainError> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(error(file, format!("`{code}` is not a currency code")));
    }
    if value.eq_ignore_ascii_case("N/A") {
        return Ok(None);
    }
    let rate = Decimal::from_str(value).map_err(|_| {
        error(
            file,
            format!("the rate of {code} `{value}` is not a number"),
        )
    })?;
    Ok(Currency::parse(code).ok().map(|currency| (currency, rate)))
}

fn build(
    file: &'static str,
    as_of: NaiveDate,
    rates: Vec<(Currency, Decimal)>,
) -> Result<ExchangeRates, DomainError> {
    let euro = Currency::parse("EUR").expect("EUR is an ISO 4217 currency");
    ExchangeRates::new(as_of, euro, rates).map_err(|err| error(file, err.message()))
}

fn error(file: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(file, message)
}

pub(super) fn parse_xml(text: &str) -> Result<ExchangeRates, DomainError> {
    let mut as_of: Option<NaiveDate> = None;
    let mut rates = Vec::new();
    for attributes in cube_tags(text)? {
        let get = |name: &str| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        if let Some(time) = get("time") {
            let date = date(time).ok_or_else(|| error(XML, format!("`{time}` is not a date")))?;
            if as_of.replace(date).is_some() {
                return Err(error(
                    XML,
                    "more than one day of rates: load the daily file, not a history",
                ));
            }
        }
        match (get("currency"), get("rate")) {
            (Some(code), Some(value)) => {
                if let Some(rate) = rate(XML, code, value)? {
                    rates.push(rate);
                }
            }
            (Some(code), None) => return Err(error(XML, format!("{code} has no rate"))),
            (None, Some(_)) => return Err(error(XML, "a rate without its currency")),
            (None, None) => {}
        }
    }
    let as_of = as_of.ok_or_else(|| error(XML, "no `<Cube time=...>` with the rates' date"))?;
    build(XML, as_of, rates)
}

/// The attributes of every `<Cube ...>` start tag, in document order.
fn cube_tags(text: &str) -> Result<Vec<Vec<(&str, &str)>>, DomainError> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<Cube") {
        let after = &rest[at + "<Cube".len()..];
        let Some(end) = after.find('>') else {
            return Err(error(XML, "a `<Cube` tag is not closed"));
        };
        let inside = &after[..end];
        rest = &after[end + 1..];
        // `<Cubes>` or another element whose name only starts with Cube.
        if inside.starts_with(|c: char| !c.is_whitespace() && c != '/') {
            continue;
        }
        tags.push(attributes(inside.trim_end_matches('/'))?);
    }
    Ok(tags)
}

/// `name="value"` or `name='value'` pairs separated by whitespace.
fn attributes(mut text: &str) -> Result<Vec<(&str, &str)>, DomainError> {
    let mut pairs = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(pairs);
        }
        let malformed = || error(XML, format!("malformed attributes in `<Cube {text}>`"));
        let (name, after) = text.split_once('=').ok_or_else(malformed)?;
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(malformed)?;
        let (value, after) = after[1..].split_once(quote).ok_or_else(malformed)?;
        pairs.push((name.trim(), value.trim()));
        text = after;
    }
}
