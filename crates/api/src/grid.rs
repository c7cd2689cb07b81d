//! The one grid-query engine: every `…/grid` operation and the CSV report read the contract's
//! State (`skip`, `take`, `sort`, `filter`, `group`) through [`parse`], against a per-resource
//! table of the wire field names it allows ([`Field`]: name → store column and type).
//!
//! Everything a client sends is checked, and anything the engine cannot apply is refused with a
//! 400 naming its JSON pointer (e.g. `/filter/filters/1/operator`), never ignored: an unknown
//! field, an operator the field's type does not have, a value of the wrong type, `in`/`nin`
//! without an array, too deep or too many conditions, `group`. Values are always bound
//! parameters and column expressions come only from the table (see `wink_store::grid`).
//!
//! Decisions a client sees:
//! - `filter` is a composite `{logic, filters}` whose `filters` are conditions `{field, operator,
//!   value, ignoreCase}` or, as Kendo-style clients send them, further composites (up to
//!   [`MAX_DEPTH`] levels, [`MAX_CONDITIONS`] conditions in all). `logic` defaults to `and`; a
//!   top-level filter without `filters` filters nothing, a nested one is refused.
//! - Operators by type: every type has `eq`, `neq`, `in`, `nin`, `isnull`, `isnotnull`; text,
//!   numbers, dates and timestamps also `lt`, `lte`, `gt`, `gte` (text by code point); text also
//!   `contains`, `doesnotcontain`, `startswith`, `endswith`, `isempty` (NULL or ""),
//!   `isnotempty`. Enumerations (e.g. `bookingStatus`) take their listed values only.
//! - Values: text and enumerations a JSON string, numbers a JSON number (integers for integer
//!   fields), booleans `true`/`false`, dates `YYYY-MM-DD`, timestamps RFC 3339, identifiers a
//!   UUID string; `in`/`nin` a non-empty array of those (at most [`MAX_IN_VALUES`]);
//!   `isnull`, `isnotnull`, `isempty`, `isnotempty` take no value.
//! - `ignoreCase` makes text and enumeration comparisons case-insensitive (ASCII letters on
//!   SQLite, all letters on PostgreSQL); it does nothing on other types.
//! - Negative operators (`neq`, `doesnotcontain`, `nin`) keep rows whose field is empty (NULL).
//! - `sort`: up to [`MAX_SORTS`] keys, each field once, `dir` `asc` (the default) or `desc`; NULLs
//!   come last ascending, first descending; each resource ends the order with a unique key so
//!   pages are stable. Without `sort`, the resource's default order.
//! - `group` (and its aggregates) is refused (400 naming `/group`): a page answers a flat list of
//!   resources, which cannot carry groups. Group on the client, or use the analytics operation.
//! - Paging: `skip` rows (default 0), then `take` (1 to 180, default 30). The envelope's `number`
//!   is `skip / take`; `first` is `skip == 0`; `last` whether no row follows this page.

use std::collections::HashSet;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wink_contract::{
    FieldError, FilterLogic, FilterOperator, GroupDescriptor, PageMeta, SortDescriptor,
    SortDirection,
};
use wink_domain::DateWindow;
use wink_store::Amount;
use wink_store::grid::{Column, ColumnType, Comparison, Condition, GridQuery, Match, Sort, Value};

use crate::error::ApiError;

pub const DEFAULT_TAKE: u32 = 30;
pub const MAX_TAKE: u32 = 180;
/// Levels of composites, the top-level filter being the first.
pub const MAX_DEPTH: usize = 4;
pub const MAX_CONDITIONS: usize = 50;
pub const MAX_IN_VALUES: usize = 100;
pub const MAX_SORTS: usize = 5;
/// Characters of one text value.
pub const MAX_TEXT: usize = 500;

/// A grid request: the contract's State, whose filters may nest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridState {
    /// Rows to skip (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub skip: Option<i32>,
    /// Rows to answer after them, 1 to 180 (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 180)]
    pub take: Option<i32>,
    /// The order, first key first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sort: Vec<SortDescriptor>,
    /// Which rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<GridFilter>,
    /// Not supported: refused when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<GroupDescriptor>,
}

/// A filter: a condition on one field (`field`, `operator`, `value`, `ignoreCase`) or a
/// composite of filters joined by `logic` (`filters`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GridFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1)]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<FilterOperator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_case: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logic: Option<FilterLogic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(min_items = 1, no_recursion)]
    pub filters: Vec<GridFilter>,
}

/// A wire field a grid allows: its name (dot-notation for nested fields, e.g.
/// `roomStay.startDate`) and the store column behind it; `values` lists an enumeration's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub column: Column,
    pub values: &'static [&'static str],
}

impl Field {
    pub const fn new(name: &'static str, column: Column) -> Field {
        Field {
            name,
            column,
            values: &[],
        }
    }

    /// A text field that holds one of `values`.
    pub const fn one_of(
        name: &'static str,
        column: Column,
        values: &'static [&'static str],
    ) -> Field {
        Field {
            name,
            column,
            values,
        }
    }

    fn is_enum(&self) -> bool {
        !self.values.is_empty()
    }

    fn type_name(&self) -> &'static str {
        if self.is_enum() {
            return "an enumeration";
        }
        match self.column.ty {
            ColumnType::Text => "text",
            ColumnType::Integer => "an integer",
            ColumnType::Decimal => "a number",
            ColumnType::Date => "a date",
            ColumnType::Timestamp => "a timestamp",
            ColumnType::Bool => "a boolean",
            ColumnType::Uuid => "an identifier",
        }
    }
}

/// The field named `name` in `fields`.
pub fn field<'f>(fields: &'f [Field], name: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.name == name)
}

/// The names of `fields`, for messages.
pub fn names(fields: &[Field]) -> String {
    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// A checked grid request.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub query: GridQuery,
    pub skip: u64,
    pub take: u32,
}

impl Grid {
    /// The page envelope of `on_page` rows out of `total`.
    pub fn page(&self, on_page: usize, total: u64) -> PageMeta {
        let number = u32::try_from(self.skip / u64::from(self.take)).unwrap_or(u32::MAX);
        let mut meta = PageMeta::new(number, self.take, on_page, total);
        meta.first = self.skip == 0;
        meta.last = self.skip + u64::from(self.take) >= total;
        meta
    }
}

/// Checks `state` against `fields`; `at` is the JSON pointer of the state in the body ("" when
/// the state is the body). A date compared against must be within `window` (see `crate::dates`).
/// Every problem is reported, each naming its pointer.
pub fn parse(
    state: &GridState,
    fields: &[Field],
    at: &str,
    window: &DateWindow,
) -> Result<Grid, ApiError> {
    let mut p = Parser {
        fields,
        window,
        errors: Vec::new(),
        conditions: 0,
    };
    let skip = match state.skip {
        None => 0,
        Some(n) if n >= 0 => n as u64,
        Some(_) => {
            p.error(format!("{at}/skip"), "must be 0 or more");
            0
        }
    };
    let take = match state.take {
        None => DEFAULT_TAKE,
        Some(n) if (1..=MAX_TAKE as i32).contains(&n) => n as u32,
        Some(_) => {
            p.error(
                format!("{at}/take"),
                format!("must be from 1 to {MAX_TAKE}"),
            );
            DEFAULT_TAKE
        }
    };
    if !state.group.is_empty() {
        p.error(
            format!("{at}/group"),
            "grouping is not supported: a page lists the resources themselves; group on the client",
        );
    }
    let sort = p.sort(&state.sort, &format!("{at}/sort"));
    let filter = match &state.filter {
        None => None,
        Some(f) if is_blank_composite(f) => None,
        Some(f) => p.filter(f, format!("{at}/filter"), 1),
    };
    if !p.errors.is_empty() {
        return Err(ApiError::Invalid(p.errors));
    }
    Ok(Grid {
        query: GridQuery { filter, sort },
        skip,
        take,
    })
}

/// A composite with nothing in it (`{}` or `{"logic": "and"}`): at the top level, no filter.
fn is_blank_composite(f: &GridFilter) -> bool {
    f.field.is_none()
        && f.operator.is_none()
        && f.value.is_none()
        && f.ignore_case.is_none()
        && f.filters.is_empty()
}

struct Parser<'f> {
    fields: &'f [Field],
    window: &'f DateWindow,
    errors: Vec<FieldError>,
    conditions: usize,
}

impl Parser<'_> {
    fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    fn known(&mut self, name: Option<&str>, at: String) -> Option<Field> {
        let Some(name) = name else {
            self.error(at, "required");
            return None;
        };
        match field(self.fields, name) {
            Some(f) => Some(*f),
            None => {
                let known = names(self.fields);
                self.error(
                    at,
                    format!("unknown field {name:?}; the fields here are: {known}"),
                );
                None
            }
        }
    }

    fn sort(&mut self, sort: &[SortDescriptor], at: &str) -> Vec<Sort> {
        if sort.len() > MAX_SORTS {
            self.error(at, format!("at most {MAX_SORTS} sort keys"));
            return Vec::new();
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, s) in sort.iter().enumerate() {
            let Some(f) = self.known(s.field.as_deref(), format!("{at}/{i}/field")) else {
                continue;
            };
            if !seen.insert(f.name) {
                self.error(
                    format!("{at}/{i}/field"),
                    format!("{} is already a sort key", f.name),
                );
                continue;
            }
            out.push(Sort {
                column: f.column,
                descending: s.dir == Some(SortDirection::Desc),
            });
        }
        out
    }

    fn filter(&mut self, node: &GridFilter, at: String, depth: usize) -> Option<Condition> {
        let leaf = node.field.is_some() || node.operator.is_some() || node.value.is_some();
        let composite = node.logic.is_some() || !node.filters.is_empty();
        match (leaf, composite) {
            (true, true) => {
                self.error(
                    at,
                    "a filter is a condition (field, operator, value) or a composite (logic, filters), not both",
                );
                None
            }
            (false, false) => {
                self.error(
                    format!("{at}/filters"),
                    "an empty filter: give field and operator, or logic and filters",
                );
                None
            }
            (false, true) => self.composite(node, at, depth),
            (true, false) => self.condition(node, at),
        }
    }

    fn composite(&mut self, node: &GridFilter, at: String, depth: usize) -> Option<Condition> {
        if depth > MAX_DEPTH {
            self.error(
                at,
                format!("filters nest at most {MAX_DEPTH} composites deep"),
            );
            return None;
        }
        if node.filters.is_empty() {
            self.error(format!("{at}/filters"), "must hold at least one filter");
            return None;
        }
        let before = self.errors.len();
        let parts: Vec<Condition> = node
            .filters
            .iter()
            .enumerate()
            .filter_map(|(i, f)| self.filter(f, format!("{at}/filters/{i}"), depth + 1))
            .collect();
        if self.errors.len() > before {
            return None;
        }
        Some(match node.logic {
            Some(FilterLogic::Or) => Condition::Any(parts),
            _ => Condition::All(parts),
        })
    }

    fn condition(&mut self, node: &GridFilter, at: String) -> Option<Condition> {
        let field = self.known(node.field.as_deref(), format!("{at}/field"));
        let Some(op) = node.operator else {
            self.error(format!("{at}/operator"), "required");
            return None;
        };
        let field = field?;
        self.conditions += 1;
        if self.conditions == MAX_CONDITIONS + 1 {
            self.error(
                at.clone(),
                format!("at most {MAX_CONDITIONS} conditions in a filter"),
            );
        }
        match condition(
            &field,
            op,
            node.value.as_ref(),
            node.ignore_case.unwrap_or(false),
            &at,
            self.window,
        ) {
            Ok(c) => Some(c),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }
}

fn refuse(at: &str, member: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("{at}{member}"),
        message: message.into(),
    }
}

/// One condition on `field`, checked; `at` is the condition's pointer.
fn condition(
    field: &Field,
    op: FilterOperator,
    value: Option<&serde_json::Value>,
    ignore_case: bool,
    at: &str,
    window: &DateWindow,
) -> Result<Condition, FieldError> {
    use FilterOperator as Op;
    let column = field.column;
    let text = column.ty == ColumnType::Text && !field.is_enum();
    let not_for = || {
        refuse(
            at,
            "/operator",
            format!(
                "{} does not apply to {}, which is {}",
                op.as_str(),
                field.name,
                field.type_name()
            ),
        )
    };
    let no_value = || match value {
        None | Some(serde_json::Value::Null) => Ok(()),
        Some(_) => Err(refuse(
            at,
            "/value",
            format!("{} takes no value", op.as_str()),
        )),
    };
    // Case folding applies to free text only: an enumeration's value is matched case-insensitively
    // when asked and then compared exactly.
    let fold = ignore_case && text;
    Ok(match op {
        Op::Isnull | Op::Isnotnull => {
            no_value()?;
            Condition::Null {
                column,
                negated: op == Op::Isnotnull,
            }
        }
        Op::Isempty | Op::Isnotempty => {
            if !text {
                return Err(not_for());
            }
            no_value()?;
            Condition::Empty {
                column,
                negated: op == Op::Isnotempty,
            }
        }
        Op::Eq | Op::Neq | Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
            let ordered = !matches!(op, Op::Eq | Op::Neq);
            if ordered
                && (field.is_enum() || matches!(column.ty, ColumnType::Bool | ColumnType::Uuid))
            {
                return Err(not_for());
            }
            let value = typed(field, value, ignore_case, &format!("{at}/value"), window)?;
            let op = match op {
                Op::Eq => Comparison::Eq,
                Op::Neq => Comparison::Neq,
                Op::Lt => Comparison::Lt,
                Op::Lte => Comparison::Lte,
                Op::Gt => Comparison::Gt,
                _ => Comparison::Gte,
            };
            Condition::Compare {
                column,
                op,
                value,
                ignore_case: fold,
            }
        }
        Op::Contains | Op::Doesnotcontain | Op::Startswith | Op::Endswith => {
            if !text {
                return Err(not_for());
            }
            let needle = match value {
                Some(serde_json::Value::String(s)) => text_value(s, &format!("{at}/value"))?,
                _ => {
                    return Err(refuse(
                        at,
                        "/value",
                        format!("{} needs a text value", op.as_str()),
                    ));
                }
            };
            let kind = match op {
                Op::Startswith => Match::StartsWith,
                Op::Endswith => Match::EndsWith,
                _ => Match::Contains,
            };
            Condition::Like {
                column,
                kind,
                needle,
                ignore_case: fold,
                negated: op == Op::Doesnotcontain,
            }
        }
        Op::In | Op::Nin => {
            let items = match value {
                Some(serde_json::Value::Array(items)) => items,
                _ => {
                    return Err(refuse(
                        at,
                        "/value",
                        format!("{} needs an array of values", op.as_str()),
                    ));
                }
            };
            if items.is_empty() || items.len() > MAX_IN_VALUES {
                return Err(refuse(
                    at,
                    "/value",
                    format!("{} needs 1 to {MAX_IN_VALUES} values", op.as_str()),
                ));
            }
            let values = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    typed(
                        field,
                        Some(v),
                        ignore_case,
                        &format!("{at}/value/{i}"),
                        window,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            Condition::In {
                column,
                values,
                ignore_case: fold,
                negated: op == Op::Nin,
            }
        }
    })
}

fn text_value(s: &str, at: &str) -> Result<String, FieldError> {
    if s.chars().count() > MAX_TEXT {
        return Err(refuse(at, "", format!("at most {MAX_TEXT} characters")));
    }
    Ok(s.to_string())
}

/// `value` as a value of `field`'s type; `at` is its pointer.
fn typed(
    field: &Field,
    value: Option<&serde_json::Value>,
    ignore_case: bool,
    at: &str,
    window: &DateWindow,
) -> Result<Value, FieldError> {
    use serde_json::Value as J;
    let wrong = |what: &str| {
        refuse(
            at,
            "",
            format!("{} is {}: {what}", field.name, field.type_name()),
        )
    };
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Err(refuse(at, "", "required"));
    };
    if field.is_enum() {
        let s = value
            .as_str()
            .ok_or_else(|| wrong(&format!("one of {}", field.values.join(", "))))?;
        return field
            .values
            .iter()
            .find(|v| **v == s || (ignore_case && v.eq_ignore_ascii_case(s)))
            .map(|v| Value::Text(v.to_string()))
            .ok_or_else(|| wrong(&format!("one of {}", field.values.join(", "))));
    }
    Ok(match field.column.ty {
        ColumnType::Text => match value {
            J::String(s) => Value::Text(text_value(s, at)?),
            _ => return Err(wrong("send a string")),
        },
        ColumnType::Integer => match value.as_i64() {
            Some(n) => Value::Integer(n),
            None => return Err(wrong("send a whole number")),
        },
        ColumnType::Decimal => match value {
            J::Number(n) => Decimal::from_str(&n.to_string())
                .or_else(|_| Decimal::from_scientific(&n.to_string()))
                .map(|d| Value::Decimal(Amount(d)))
                .map_err(|_| wrong("the number is out of range"))?,
            _ => return Err(wrong("send a number")),
        },
        ColumnType::Date => match value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            Some(d) => match crate::dates::outside(window, at.to_string(), d) {
                Some(refused) => return Err(refused),
                None => Value::Date(d),
            },
            None => return Err(wrong("send a date as YYYY-MM-DD")),
        },
        ColumnType::Timestamp => match value
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        {
            Some(t) => Value::Timestamp(t.with_timezone(&Utc)),
            None => {
                return Err(wrong(
                    "send an RFC 3339 date-time, e.g. 2030-05-01T10:00:00Z",
                ));
            }
        },
        ColumnType::Bool => match value {
            J::Bool(b) => Value::Bool(*b),
            _ => return Err(wrong("send true or false")),
        },
        ColumnType::Uuid => match value.as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()) {
            Some(u) => Value::Uuid(u),
            None => return Err(wrong("send a UUID")),
        },
    })
}

/// The managing-entity types (an account's `type`, a channel's `subType`): the values grids
/// accept for fields holding one.
pub const ENTITY_TYPES: &[&str] = &[
    "TRIP_PAY",
    "FACILITATOR",
    "DIRECT",
    "APPLICATION",
    "HOTEL",
    "TRAVELIKO",
    "CORPORATE",
    "TRAVEL_AGENT",
    "INFLUENCER",
    "BLOGGER",
    "DESTINATION",
    "CHANNEL_MANAGER",
    "PROPERTY_MANAGEMENT_SYSTEM",
    "CENTRAL_RESERVATION_SYSTEM",
    "GOOGLE_HOTEL_API",
    "MANAGEMENT_COMPANY",
    "CHAIN",
    "BRAND",
    "EVENT_ORGANIZER",
    "OTHER",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wink_store::grid::ColumnType as T;

    const FIELDS: &[Field] = &[
        Field::new("code", Column::new("b.code", T::Text)),
        Field::one_of(
            "status",
            Column::new("b.status", T::Text),
            &["CONFIRMED", "CANCELLED"],
        ),
        Field::new("nights", Column::new("b.nights", T::Integer)),
        Field::new("total", Column::new("b.total", T::Decimal)),
        Field::new("arrival", Column::new("b.arrival", T::Date)),
        Field::new("created", Column::new("b.created_at", T::Timestamp)),
        Field::new("cancelled", Column::new("b.cancelled", T::Bool)),
        Field::new("channel", Column::new("b.channel", T::Uuid)),
        Field::new("reason", Column::new("b.reason", T::Text).nullable()),
    ];

    fn state(v: serde_json::Value) -> GridState {
        serde_json::from_value(v).unwrap()
    }

    /// Every date: these tests are about the grammar, not the window.
    fn any_date() -> DateWindow {
        DateWindow::around(
            NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            u32::MAX,
            u32::MAX,
        )
    }

    fn ok(v: serde_json::Value) -> Grid {
        parse(&state(v), FIELDS, "", &any_date()).unwrap()
    }

    /// The pointers a refused state names.
    fn refused(v: serde_json::Value) -> Vec<String> {
        match parse(&state(v), FIELDS, "", &any_date()) {
            Err(ApiError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    fn leaf(field: &str, op: &str, value: serde_json::Value) -> serde_json::Value {
        json!({ "filter": { "logic": "and", "filters": [{ "field": field, "operator": op, "value": value }] } })
    }

    fn only(g: Grid) -> Condition {
        match g.query.filter {
            Some(Condition::All(mut parts)) if parts.len() == 1 => parts.remove(0),
            other => panic!("{other:?}"),
        }
    }

    fn col(name: &str) -> Column {
        field(FIELDS, name).unwrap().column
    }

    #[test]
    fn defaults() {
        let g = ok(json!({}));
        assert_eq!((g.skip, g.take), (0, 30));
        assert_eq!(g.query, GridQuery::default());
        let g = ok(json!({ "skip": 60, "take": 20, "filter": { "logic": "and" } }));
        assert_eq!((g.skip, g.take, g.query.filter), (60, 20, None));
    }

    #[test]
    fn dates_outside_the_window_are_refused_at_their_pointer() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let window = DateWindow::around(day("2030-05-01"), 1, 1);
        let parse_in = |v| parse(&state(v), FIELDS, "", &window);
        assert!(parse_in(leaf("arrival", "gte", json!("2030-04-30"))).is_ok());
        assert!(parse_in(leaf("arrival", "lte", json!("2030-05-02"))).is_ok());
        for (value, pointer) in [
            (json!("2030-04-29"), "/filter/filters/0/value"),
            (json!("9999-12-31"), "/filter/filters/0/value"),
            (
                json!(["2030-05-01", "0001-01-01"]),
                "/filter/filters/0/value/1",
            ),
        ] {
            let op = if value.is_array() { "in" } else { "eq" };
            match parse_in(leaf("arrival", op, value)) {
                Err(ApiError::Invalid(e)) => {
                    assert_eq!(e[0].field, pointer);
                    assert!(
                        e[0].message.contains("2030-04-30 to 2030-05-02"),
                        "{}",
                        e[0].message
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn every_operator_maps_to_its_condition() {
        let compare =
            |name: &str, op: Comparison, value: Value, ignore_case: bool| Condition::Compare {
                column: col(name),
                op,
                value,
                ignore_case,
            };
        let day = NaiveDate::from_ymd_opt(2030, 5, 1).unwrap();
        for (op, cmp) in [
            ("eq", Comparison::Eq),
            ("neq", Comparison::Neq),
            ("lt", Comparison::Lt),
            ("lte", Comparison::Lte),
            ("gt", Comparison::Gt),
            ("gte", Comparison::Gte),
        ] {
            assert_eq!(
                only(ok(leaf("arrival", op, json!("2030-05-01")))),
                compare("arrival", cmp, Value::Date(day), false)
            );
        }
        assert_eq!(
            only(ok(leaf("total", "gt", json!(99.5)))),
            compare(
                "total",
                Comparison::Gt,
                Value::Decimal(Amount(Decimal::new(995, 1))),
                false
            )
        );
        assert_eq!(
            only(ok(leaf("nights", "eq", json!(3)))),
            compare("nights", Comparison::Eq, Value::Integer(3), false)
        );
        let at = "2030-05-01T12:00:00+07:00";
        assert_eq!(
            only(ok(leaf("created", "lt", json!(at)))),
            compare(
                "created",
                Comparison::Lt,
                Value::Timestamp(DateTime::parse_from_rfc3339(at).unwrap().to_utc()),
                false
            )
        );
        assert_eq!(
            only(ok(leaf("cancelled", "eq", json!(true)))),
            compare("cancelled", Comparison::Eq, Value::Bool(true), false)
        );
        let id = uuid::Uuid::new_v4();
        assert_eq!(
            only(ok(leaf("channel", "neq", json!(id)))),
            compare("channel", Comparison::Neq, Value::Uuid(id), false)
        );
        for (op, kind, negated) in [
            ("contains", Match::Contains, false),
            ("doesnotcontain", Match::Contains, true),
            ("startswith", Match::StartsWith, false),
            ("endswith", Match::EndsWith, false),
        ] {
            assert_eq!(
                only(ok(leaf("code", op, json!("WB-")))),
                Condition::Like {
                    column: col("code"),
                    kind,
                    needle: "WB-".into(),
                    ignore_case: false,
                    negated
                }
            );
        }
        for (op, negated) in [("isnull", false), ("isnotnull", true)] {
            assert_eq!(
                only(ok(leaf("reason", op, json!(null)))),
                Condition::Null {
                    column: col("reason"),
                    negated
                }
            );
        }
        for (op, negated) in [("isempty", false), ("isnotempty", true)] {
            let g = ok(json!({ "filter": { "filters": [{ "field": "reason", "operator": op }] } }));
            assert_eq!(
                only(g),
                Condition::Empty {
                    column: col("reason"),
                    negated
                }
            );
        }
        for (op, negated) in [("in", false), ("nin", true)] {
            assert_eq!(
                only(ok(leaf("nights", op, json!([1, 2])))),
                Condition::In {
                    column: col("nights"),
                    values: vec![Value::Integer(1), Value::Integer(2)],
                    ignore_case: false,
                    negated
                }
            );
        }
    }

    #[test]
    fn ignore_case_folds_text_and_matches_enumerations() {
        let g = ok(json!({ "filter": { "filters": [
            { "field": "code", "operator": "eq", "value": "wb-a", "ignoreCase": true },
            { "field": "status", "operator": "eq", "value": "cancelled", "ignoreCase": true },
            { "field": "nights", "operator": "eq", "value": 2, "ignoreCase": true } ] } }));
        assert_eq!(
            g.query.filter,
            Some(Condition::All(vec![
                Condition::Compare {
                    column: col("code"),
                    op: Comparison::Eq,
                    value: Value::Text("wb-a".into()),
                    ignore_case: true
                },
                Condition::Compare {
                    column: col("status"),
                    op: Comparison::Eq,
                    value: Value::Text("CANCELLED".into()),
                    ignore_case: false
                },
                Condition::Compare {
                    column: col("nights"),
                    op: Comparison::Eq,
                    value: Value::Integer(2),
                    ignore_case: false
                },
            ]))
        );
        assert_eq!(
            refused(leaf("status", "eq", json!("cancelled"))),
            ["/filter/filters/0/value"]
        );
    }

    #[test]
    fn composites_nest() {
        let g = ok(json!({ "filter": { "logic": "or", "filters": [
            { "field": "nights", "operator": "gt", "value": 3 },
            { "logic": "and", "filters": [
                { "field": "code", "operator": "startswith", "value": "WB" },
                { "field": "cancelled", "operator": "eq", "value": false } ] } ] } }));
        match g.query.filter {
            Some(Condition::Any(parts)) => {
                assert_eq!(parts.len(), 2);
                assert!(matches!(&parts[1], Condition::All(inner) if inner.len() == 2));
            }
            other => panic!("{other:?}"),
        }
        // A bare condition at the top level is a filter too.
        let g = ok(json!({ "filter": { "field": "nights", "operator": "gt", "value": 3 } }));
        assert!(matches!(g.query.filter, Some(Condition::Compare { .. })));
    }

    #[test]
    fn sorts_in_order_with_direction() {
        let g = ok(
            json!({ "sort": [{ "field": "total", "dir": "desc" }, { "field": "code" }, { "field": "arrival", "dir": "asc" }] }),
        );
        assert_eq!(
            g.query.sort,
            vec![
                Sort {
                    column: col("total"),
                    descending: true
                },
                Sort {
                    column: col("code"),
                    descending: false
                },
                Sort {
                    column: col("arrival"),
                    descending: false
                },
            ]
        );
    }

    #[test]
    fn refusals_name_their_pointer() {
        let cases: Vec<(serde_json::Value, Vec<&str>)> = vec![
            (
                leaf("nope", "eq", json!(1)),
                vec!["/filter/filters/0/field"],
            ),
            (
                json!({ "filter": { "filters": [{ "operator": "eq", "value": 1 }] } }),
                vec!["/filter/filters/0/field"],
            ),
            (
                json!({ "filter": { "filters": [{ "field": "code", "value": "x" }] } }),
                vec!["/filter/filters/0/operator"],
            ),
            // Operators a type does not have.
            (
                leaf("nights", "contains", json!("1")),
                vec!["/filter/filters/0/operator"],
            ),
            (
                leaf("status", "startswith", json!("C")),
                vec!["/filter/filters/0/operator"],
            ),
            (
                leaf("status", "lt", json!("CANCELLED")),
                vec!["/filter/filters/0/operator"],
            ),
            (
                leaf("cancelled", "gt", json!(true)),
                vec!["/filter/filters/0/operator"],
            ),
            (
                leaf("channel", "lte", json!(uuid::Uuid::nil())),
                vec!["/filter/filters/0/operator"],
            ),
            (
                leaf("arrival", "isempty", json!(null)),
                vec!["/filter/filters/0/operator"],
            ),
            // Values of the wrong type.
            (
                leaf("nights", "eq", json!("3")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("nights", "eq", json!(2.5)),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("total", "eq", json!("10")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("arrival", "eq", json!("01/05/2030")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("arrival", "eq", json!("2030-05-01T00:00:00Z")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("created", "gt", json!("2030-05-01")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("cancelled", "eq", json!("true")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("channel", "eq", json!("abc")),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("code", "eq", json!(5)),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("code", "eq", json!(null)),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("code", "contains", json!(["a"])),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("code", "eq", json!("x".repeat(501))),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("reason", "isnull", json!("x")),
                vec!["/filter/filters/0/value"],
            ),
            // in/nin need a non-empty array of typed values.
            (
                leaf("nights", "in", json!(3)),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("nights", "nin", json!([])),
                vec!["/filter/filters/0/value"],
            ),
            (
                leaf("nights", "in", json!([1, "2"])),
                vec!["/filter/filters/0/value/1"],
            ),
            (
                leaf("nights", "in", json!((0..101).collect::<Vec<_>>())),
                vec!["/filter/filters/0/value"],
            ),
            // Shapes.
            (
                json!({ "filter": { "filters": [{ "field": "code", "operator": "eq", "value": "x", "logic": "and" }] } }),
                vec!["/filter/filters/0"],
            ),
            (
                json!({ "filter": { "filters": [{}] } }),
                vec!["/filter/filters/0/filters"],
            ),
            (
                json!({ "filter": { "filters": [{ "logic": "or" }] } }),
                vec!["/filter/filters/0/filters"],
            ),
            (json!({ "group": [{ "field": "code" }] }), vec!["/group"]),
            (json!({ "sort": [{ "dir": "asc" }] }), vec!["/sort/0/field"]),
            (
                json!({ "sort": [{ "field": "nope" }] }),
                vec!["/sort/0/field"],
            ),
            (
                json!({ "sort": [{ "field": "code" }, { "field": "code", "dir": "desc" }] }),
                vec!["/sort/1/field"],
            ),
            (
                json!({ "sort": (0..6).map(|_| json!({ "field": "code" })).collect::<Vec<_>>() }),
                vec!["/sort"],
            ),
            (json!({ "take": 181 }), vec!["/take"]),
            (json!({ "take": 0 }), vec!["/take"]),
            (json!({ "skip": -1 }), vec!["/skip"]),
        ];
        for (body, expected) in cases {
            assert_eq!(refused(body.clone()), expected, "{body}");
        }
        // Every problem at once, in a nested filter.
        let body = json!({ "group": [{}], "filter": { "logic": "and", "filters": [
            { "field": "code", "operator": "eq", "value": "ok" },
            { "logic": "or", "filters": [
                { "field": "nights", "operator": "eq", "value": "x" },
                { "field": "code", "operator": "gt" } ] } ] } });
        assert_eq!(
            refused(body),
            [
                "/group",
                "/filter/filters/1/filters/0/value",
                "/filter/filters/1/filters/1/value"
            ]
        );
    }

    #[test]
    fn limits_depth_and_size() {
        let mut f = json!({ "field": "code", "operator": "eq", "value": "x" });
        for _ in 0..4 {
            f = json!({ "logic": "and", "filters": [f] });
        }
        // Four composites: the deepest allowed.
        assert!(
            parse(
                &state(json!({ "filter": f.clone() })),
                FIELDS,
                "",
                &any_date()
            )
            .is_ok()
        );
        let deeper = json!({ "filter": { "logic": "and", "filters": [f] } });
        assert_eq!(
            refused(deeper),
            ["/filter/filters/0/filters/0/filters/0/filters/0"]
        );
        let many: Vec<_> = (0..51)
            .map(|_| json!({ "field": "code", "operator": "eq", "value": "x" }))
            .collect();
        assert_eq!(
            refused(json!({ "filter": { "filters": many } })),
            ["/filter/filters/50"]
        );
        // Under another pointer (the report's state).
        match parse(&state(json!({ "take": 0 })), FIELDS, "/state", &any_date()) {
            Err(ApiError::Invalid(e)) => assert_eq!(e[0].field, "/state/take"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn page_envelope_from_skip_and_take() {
        let g = |skip, take| Grid {
            query: GridQuery::default(),
            skip,
            take,
        };
        let m = g(0, 10).page(10, 25);
        assert_eq!(
            (m.number, m.first, m.last, m.total_pages),
            (0, true, false, 3)
        );
        let m = g(20, 10).page(5, 25);
        assert_eq!((m.number, m.first, m.last, m.size), (2, false, true, 10));
        let m = g(5, 10).page(10, 25);
        assert_eq!((m.number, m.first, m.last), (0, false, false));
        let m = g(30, 10).page(0, 25);
        assert_eq!((m.number, m.number_of_elements, m.last), (3, 0, true));
        let m = g(0, 30).page(0, 0);
        assert_eq!((m.first, m.last, m.total_pages), (true, true, 0));
    }
}
