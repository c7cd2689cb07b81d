//! Tag "Analytics": the property's bookings as line charts over the last periods, computed from
//! the stored bookings.
//!
//! Decisions a client sees:
//! - Periods are the last `units` hours, days, months or years (`type`) up to and including the
//!   current one, in the property's time zone; `units` defaults to 24 hours, 30 days, 12 months
//!   or 5 years and may be at most 168, 366, 120 or 20 (400 naming `/units` otherwise). Axis
//!   labels: `2030-05-01T14:00`, `2030-05-01`, `2030-05`, `2030`.
//! - A booking counts in the period it was made; a cancellation in the period it was cancelled.
//!   Cancelled bookings are counted separately, never netted out of the bookings made:
//!   - "Bookings": `Bookings` made (those later cancelled included) and `Cancellations`;
//!   - "Revenue (CUR)": `Revenue`, the totals of the bookings made that still hold, and
//!     `Cancellation penalties`, what the cancellations of the period kept;
//!   - "Room nights": nights × rooms of the bookings made that still hold;
//!   - "Bookings by channel": bookings made, one series per channel owner (sums to `Bookings`);
//!   - "Revenue by room type (CUR)": `Revenue` split by room type.
//!
//!   The last two are left out when no booking was made in the window (a chart needs a series).
//!   Test bookings count: they are this server's sales. Amounts in the property's currency.
//! - Series and channel/room-type names are those the newest booking was sold under; each chart
//!   keeps the same `identifier` from one call to the next.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::{Uuid, uuid};
use wink_contract::{
    BookingAnalytics, BookingOverviewRequest, BookingOverviewRequestType as Kind,
    ChartCategoryAxis, ChartLegend, ChartSeries, ChartTitle, LineChart,
};
use wink_store::booking_queries::{BookedBy, BookingFact};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::state::AppState;
use crate::validation::ValidJson;

const BOOKINGS: Uuid = uuid!("6f0f4d1e-2b7a-4c55-9a61-0d3c8e2b7a01");
const REVENUE: Uuid = uuid!("6f0f4d1e-2b7a-4c55-9a61-0d3c8e2b7a02");
const NIGHTS: Uuid = uuid!("6f0f4d1e-2b7a-4c55-9a61-0d3c8e2b7a03");
const BY_CHANNEL: Uuid = uuid!("6f0f4d1e-2b7a-4c55-9a61-0d3c8e2b7a04");
const BY_ROOM_TYPE: Uuid = uuid!("6f0f4d1e-2b7a-4c55-9a61-0d3c8e2b7a05");

/// The property's bookings, cancellations, revenue and room nights over the last periods, with
/// bookings by channel and revenue by room type; cancellations counted separately (see the
/// module's decisions).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/analytics",
    operation_id = "show-property-booking-analytics", tag = "Analytics",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = BookingOverviewRequest,
    responses((status = 200, body = BookingAnalytics), Problems))]
pub async fn show_property_booking_analytics(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<BookingOverviewRequest>,
) -> Result<axum::Json<BookingAnalytics>, ApiError> {
    let zone = crate::dates::zone(&ctx.property);
    let axis = Axis::new(body.value.r#type, body.value.units, state.now(), zone)?;
    let mut totals = Totals::new(axis.len());
    state
        .store
        .booking_facts(ctx.property.id, axis.since(), |fact| {
            totals.add(&axis, &fact)
        })
        .await?;
    let mut channels = HashMap::new();
    let mut rooms = HashMap::new();
    if !totals.by_channel.is_empty() {
        channels = names(
            &state,
            ctx.property.id,
            BookedBy::SalesChannel,
            "/customization/ownerName",
        )
        .await?;
        rooms = names(
            &state,
            ctx.property.id,
            BookedBy::RoomType,
            "/roomStay/room/name",
        )
        .await?;
    }
    let currency = &ctx.property.currency;
    Ok(axum::Json(BookingAnalytics {
        charts: totals.charts(&axis.labels(), currency, &channels, &rooms),
    }))
}

async fn names(
    state: &AppState,
    property: Uuid,
    by: BookedBy,
    pointer: &str,
) -> Result<HashMap<Uuid, String>, ApiError> {
    Ok(state
        .store
        .booked(property, by)
        .await?
        .into_iter()
        .filter_map(|(id, doc)| {
            doc.0
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(|s| (id, s.to_string()))
        })
        .collect())
}

/// The periods of a request: bucket keys from `first` to `last` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    kind: Kind,
    zone: Tz,
    first: i64,
    last: i64,
}

impl Axis {
    pub fn new(
        kind: Kind,
        units: Option<i64>,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<Axis, ApiError> {
        let (default, max) = match kind {
            Kind::Hour => (24, 168),
            Kind::Day => (30, 366),
            Kind::Month => (12, 120),
            Kind::Year => (5, 20),
        };
        let units = units.unwrap_or(default);
        if !(1..=max).contains(&units) {
            return Err(ApiError::field(
                "/units",
                format!("must be from 1 to {max} for {}", kind.as_str()),
            ));
        }
        let last = key(kind, now.with_timezone(&zone).naive_local());
        Ok(Axis {
            kind,
            zone,
            first: last - (units - 1),
            last,
        })
    }

    pub fn len(&self) -> usize {
        (self.last - self.first + 1) as usize
    }

    /// Where the window of an instant is, if inside.
    pub fn index(&self, at: DateTime<Utc>) -> Option<usize> {
        let k = key(self.kind, at.with_timezone(&self.zone).naive_local());
        (self.first..=self.last)
            .contains(&k)
            .then(|| (k - self.first) as usize)
    }

    /// An instant at or before the window's start (a day's margin covers every zone offset).
    pub fn since(&self) -> DateTime<Utc> {
        let start = start(self.kind, self.first);
        (start - chrono::Duration::days(1)).and_utc()
    }

    pub fn labels(&self) -> Vec<String> {
        (self.first..=self.last)
            .map(|k| label(self.kind, k))
            .collect()
    }
}

/// The period a local time falls in, as a number that grows by one per period.
fn key(kind: Kind, local: NaiveDateTime) -> i64 {
    match kind {
        Kind::Hour => local.and_utc().timestamp().div_euclid(3600),
        Kind::Day => i64::from(local.date().num_days_from_ce()),
        Kind::Month => i64::from(local.year()) * 12 + i64::from(local.month0()),
        Kind::Year => i64::from(local.year()),
    }
}

/// The local time a period starts at.
fn start(kind: Kind, key: i64) -> NaiveDateTime {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    let first_of = |y: i64, m: u32| {
        NaiveDate::from_ymd_opt(y as i32, m, 1)
            .map(midnight)
            .unwrap_or_default()
    };
    match kind {
        Kind::Hour => DateTime::from_timestamp(key * 3600, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default(),
        Kind::Day => NaiveDate::from_num_days_from_ce_opt(key as i32)
            .map(midnight)
            .unwrap_or_default(),
        Kind::Month => first_of(key.div_euclid(12), key.rem_euclid(12) as u32 + 1),
        Kind::Year => first_of(key, 1),
    }
}

fn label(kind: Kind, key: i64) -> String {
    let at = start(kind, key);
    match kind {
        Kind::Hour => format!("{}T{:02}:00", at.date().format("%Y-%m-%d"), at.hour()),
        Kind::Day => at.date().format("%Y-%m-%d").to_string(),
        Kind::Month => format!("{:04}-{:02}", at.year(), at.month()),
        Kind::Year => format!("{:04}", at.year()),
    }
}

/// The sums per period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Totals {
    pub bookings: Vec<i64>,
    pub cancellations: Vec<i64>,
    pub revenue: Vec<Decimal>,
    pub penalties: Vec<Decimal>,
    pub nights: Vec<i64>,
    pub by_channel: BTreeMap<Uuid, Vec<i64>>,
    pub by_room_type: BTreeMap<Uuid, Vec<Decimal>>,
}

impl Totals {
    pub fn new(n: usize) -> Totals {
        Totals {
            bookings: vec![0; n],
            cancellations: vec![0; n],
            revenue: vec![Decimal::ZERO; n],
            penalties: vec![Decimal::ZERO; n],
            nights: vec![0; n],
            ..Default::default()
        }
    }

    pub fn add(&mut self, axis: &Axis, fact: &BookingFact) {
        let n = axis.len();
        if let Some(i) = axis.index(fact.created_at) {
            self.bookings[i] += 1;
            self.by_channel
                .entry(fact.sales_channel_id)
                .or_insert_with(|| vec![0; n])[i] += 1;
            if fact.cancelled_at.is_none() {
                self.revenue[i] += fact.total.0;
                let nights = (fact.departure - fact.arrival).num_days();
                self.nights[i] += nights * i64::from(fact.quantity);
                self.by_room_type
                    .entry(fact.room_type_id)
                    .or_insert_with(|| vec![Decimal::ZERO; n])[i] += fact.total.0;
            }
        }
        if let Some(j) = fact.cancelled_at.and_then(|at| axis.index(at)) {
            self.cancellations[j] += 1;
            self.penalties[j] += fact.penalty.map_or(Decimal::ZERO, |p| p.0);
        }
    }

    pub fn charts(
        &self,
        labels: &[String],
        currency: &str,
        channels: &HashMap<Uuid, String>,
        rooms: &HashMap<Uuid, String>,
    ) -> Vec<LineChart> {
        let count = |v: &[i64]| v.iter().map(|n| Decimal::from(*n)).collect::<Vec<_>>();
        let money = |v: &[Decimal]| v.iter().map(|d| d.normalize()).collect::<Vec<_>>();
        let named = |map: &HashMap<Uuid, String>, id: &Uuid| {
            map.get(id).cloned().unwrap_or_else(|| id.to_string())
        };
        let mut charts = vec![
            chart(
                BOOKINGS,
                "Bookings".into(),
                labels,
                vec![
                    ("Bookings".into(), count(&self.bookings)),
                    ("Cancellations".into(), count(&self.cancellations)),
                ],
            ),
            chart(
                REVENUE,
                format!("Revenue ({currency})"),
                labels,
                vec![
                    ("Revenue".into(), money(&self.revenue)),
                    ("Cancellation penalties".into(), money(&self.penalties)),
                ],
            ),
            chart(
                NIGHTS,
                "Room nights".into(),
                labels,
                vec![("Room nights".into(), count(&self.nights))],
            ),
        ];
        if !self.by_channel.is_empty() {
            let mut series: Vec<(String, Vec<Decimal>)> = self
                .by_channel
                .iter()
                .map(|(id, v)| (named(channels, id), count(v)))
                .collect();
            series.sort_by(|a, b| a.0.cmp(&b.0));
            charts.push(chart(
                BY_CHANNEL,
                "Bookings by channel".into(),
                labels,
                series,
            ));
        }
        if !self.by_room_type.is_empty() {
            let mut series: Vec<(String, Vec<Decimal>)> = self
                .by_room_type
                .iter()
                .map(|(id, v)| (named(rooms, id), money(v)))
                .collect();
            series.sort_by(|a, b| a.0.cmp(&b.0));
            charts.push(chart(
                BY_ROOM_TYPE,
                format!("Revenue by room type ({currency})"),
                labels,
                series,
            ));
        }
        charts
    }
}

fn chart(
    identifier: Uuid,
    title: String,
    labels: &[String],
    series: Vec<(String, Vec<Decimal>)>,
) -> LineChart {
    LineChart {
        identifier,
        title: ChartTitle { text: title },
        legend: ChartLegend {
            data: series.iter().map(|(name, _)| name.clone()).collect(),
        },
        series: series
            .into_iter()
            .map(|(name, data)| ChartSeries { name, data })
            .collect(),
        x_axis: ChartCategoryAxis {
            data: labels.to_vec(),
        },
        xaxis: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use wink_store::Amount;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn periods_are_local_and_end_with_the_current_one() {
        let bangkok: Tz = "Asia/Bangkok".parse().unwrap();
        // 2030-01-31 20:00 UTC is 2030-02-01 03:00 in Bangkok.
        let now = utc("2030-01-31T20:00:00Z");
        let months = Axis::new(Kind::Month, Some(3), now, bangkok).unwrap();
        assert_eq!(months.labels(), ["2029-12", "2030-01", "2030-02"]);
        assert_eq!(months.index(now), Some(2));
        assert_eq!(months.index(utc("2029-11-30T17:00:00Z")), Some(0)); // Dec 1st 00:00 local
        assert_eq!(months.index(utc("2029-11-30T16:59:59Z")), None);
        assert!(months.since() <= utc("2029-11-30T17:00:00Z"));
        let days = Axis::new(Kind::Day, None, now, bangkok).unwrap();
        assert_eq!(days.len(), 30);
        assert_eq!(days.labels().last().unwrap(), "2030-02-01");
        let hours = Axis::new(Kind::Hour, Some(2), now, bangkok).unwrap();
        assert_eq!(hours.labels(), ["2030-02-01T02:00", "2030-02-01T03:00"]);
        let years = Axis::new(Kind::Year, Some(2), now, bangkok).unwrap();
        assert_eq!(years.labels(), ["2029", "2030"]);
        for (kind, units) in [
            (Kind::Hour, 169),
            (Kind::Day, 0),
            (Kind::Month, 121),
            (Kind::Year, -1),
        ] {
            match Axis::new(kind, Some(units), now, bangkok) {
                Err(ApiError::Invalid(e)) => assert_eq!(e[0].field, "/units"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn cancellations_count_separately() {
        let zone: Tz = "UTC".parse().unwrap();
        let now = Utc.with_ymd_and_hms(2030, 3, 15, 12, 0, 0).unwrap();
        let axis = Axis::new(Kind::Month, Some(3), now, zone).unwrap();
        let (ch, room) = (Uuid::new_v4(), Uuid::new_v4());
        let fact =
            |made: &str, cancelled: Option<&str>, total: i64, penalty: Option<i64>| BookingFact {
                created_at: utc(made),
                cancelled_at: cancelled.map(utc),
                total: Amount(Decimal::from(total)),
                penalty: penalty.map(|p| Amount(Decimal::from(p))),
                arrival: NaiveDate::from_ymd_opt(2030, 6, 1).unwrap(),
                departure: NaiveDate::from_ymd_opt(2030, 6, 3).unwrap(),
                quantity: 2,
                sales_channel_id: ch,
                room_type_id: room,
            };
        let mut t = Totals::new(axis.len());
        t.add(&axis, &fact("2030-01-10T00:00:00Z", None, 100, None));
        t.add(
            &axis,
            &fact(
                "2030-02-10T00:00:00Z",
                Some("2030-03-01T00:00:00Z"),
                300,
                Some(50),
            ),
        );
        // Made before the window, cancelled inside it.
        t.add(
            &axis,
            &fact(
                "2029-12-10T00:00:00Z",
                Some("2030-03-02T00:00:00Z"),
                70,
                Some(0),
            ),
        );
        assert_eq!(t.bookings, [1, 1, 0]);
        assert_eq!(t.cancellations, [0, 0, 2]);
        assert_eq!(
            t.revenue,
            [Decimal::from(100), Decimal::ZERO, Decimal::ZERO]
        );
        assert_eq!(
            t.penalties,
            [Decimal::ZERO, Decimal::ZERO, Decimal::from(50)]
        );
        assert_eq!(t.nights, [4, 0, 0]);
        assert_eq!(t.by_channel[&ch], [1, 1, 0]);
        assert_eq!(
            t.by_room_type[&room],
            [Decimal::from(100), Decimal::ZERO, Decimal::ZERO]
        );
        let charts = t.charts(
            &axis.labels(),
            "THB",
            &HashMap::from([(ch, "Agent".to_string())]),
            &HashMap::new(),
        );
        assert_eq!(charts.len(), 5);
        assert_eq!(charts[1].title.text, "Revenue (THB)");
        assert_eq!(charts[3].legend.data, ["Agent"]);
        assert_eq!(charts[4].series[0].name, room.to_string());
        assert!(
            Totals::new(3)
                .charts(&axis.labels(), "THB", &HashMap::new(), &HashMap::new())
                .len()
                == 3
        );
    }
}
