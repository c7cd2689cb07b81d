//! Tag "Scheduler": the schedule of a meeting room, restaurant, spa, activity, attraction or
//! place (an inventory item of those kinds; any other id, an add-on's included, is a 404): items
//! a booking of the property reserved, once or recurring. The rules (timing, all-day, RRULE
//! expansion, exceptions, the list's range and cap) are `wink_domain::schedule`'s.

use axum::extract::State;
use chrono::{DateTime, Days, Utc};
use serde::Deserialize;
use uuid::Uuid;
use wink_contract::{CreateScheduleItemRequest, ScheduleItem, UpdateScheduleItemRequest};
use wink_domain::schedule::{self, Extent, MAX_OCCURRENCES_PER_ANSWER, Range, Series, Timing};
use wink_store::inventory::Item;
use wink_store::schedule_items::{ScheduleItem as Row, Scheduled};

use super::schedule_answer::{ancillary_type, answer};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, StoreResultExt};
use crate::extract::{Expected, IfMatch, Path, Query, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// What a request says of when an item takes place (create and update both carry it).
struct When<'a> {
    start: DateTime<Utc>,
    start_zone: &'a str,
    end: DateTime<Utc>,
    end_zone: &'a str,
    all_day: bool,
}

/// Create a schedule item for a booking of the property.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/schedule/{inventoryIdentifier}", operation_id = "create-schedule-item", tag = "Scheduler",
    summary = "Schedule a booking on a meeting room, restaurant, spa, activity, attraction or place",
    description = "`start` and `end` are instants (RFC 3339, with an offset); `startTimezone` is the \
        zone a recurring item keeps its wall-clock time in. `type` must be the inventory item's \
        kind and `bookingIdentifier` a booking of the property. `recurrenceRule` is an RFC 5545 \
        RRULE value (FREQ=WEEKLY;BYDAY=MO); `recurrenceException` lists the starts of occurrences \
        that do not take place; `recurrenceId` names the recurring item of this inventory an item \
        changes one occurrence of.",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path)),
    request_body = CreateScheduleItemRequest,
    responses((status = 201, body = ScheduleItem), Problems))]
pub async fn create_schedule_item(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<CreateScheduleItemRequest>,
) -> Result<Resource<ScheduleItem>, ApiError> {
    let venue = venue(&state, &ctx, &ids.1).await?;
    let req = &body.value;
    if req.r#type != ancillary_type(venue.kind) {
        return Err(ApiError::field(
            "/type",
            format!(
                "must be {}, the kind of the inventory item",
                ancillary_type(venue.kind).as_str()
            ),
        ));
    }
    let property = ctx.property.id;
    state
        .store
        .booking(property, req.booking_identifier)
        .await
        .not_found_as(|| {
            ApiError::field(
                "/bookingIdentifier",
                format!(
                    "{} is not a booking of this property",
                    req.booking_identifier
                ),
            )
        })?;
    if let Some(series) = req.recurrence_id {
        let parent = state
            .store
            .schedule_item(property, venue.id, series)
            .await
            .not_found_as(|| not_a_series(series))?;
        if parent.item.recurrence_rule.is_none() {
            return Err(not_a_series(series));
        }
    }
    let when = When {
        start: req.start,
        start_zone: &req.start_timezone,
        end: req.end,
        end_zone: &req.end_timezone,
        all_day: req.is_all_day,
    };
    let (series, extent) = checked(
        &state,
        &ctx,
        &when,
        req.recurrence_rule.as_deref(),
        &req.recurrence_exception,
    )?;
    let now = state.now();
    let row = Row {
        id: Uuid::new_v4(),
        property_id: property,
        inventory_id: venue.id,
        booking_id: req.booking_identifier,
        recurrence_id: req.recurrence_id,
        starts_at: when.start,
        start_zone: series.timing().start_zone.name().to_string(),
        ends_at: when.end,
        end_zone: series.timing().end_zone.name().to_string(),
        all_day: when.all_day,
        recurrence_rule: series.rule().map(|r| r.text().to_string()),
        recurrence_exceptions: wink_store::Json(series.exceptions().to_vec()),
        attendees: req.attendees,
        occurs_from: extent.from,
        occurs_until: extent.until,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    state.store.create_schedule_item(&row).await?;
    let stored = state
        .store
        .schedule_item(property, venue.id, row.id)
        .await?;
    Ok(Resource::created(
        answer(&stored, None)?,
        stored.item.version,
    ))
}

/// Range of the schedule list (both required; checked by `wink_domain::schedule::Range`).
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    start: Option<String>,
    end: Option<String>,
}

/// List the occurrences of the inventory item's schedule that overlap `[start, end)`.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/schedule/{inventoryIdentifier}/list",
    operation_id = "show-schedule-items", tag = "Scheduler",
    summary = "List the occurrences of a schedule in a range",
    description = "Every occurrence that overlaps the half-open range [start, end), in order of \
        start: a recurring item once per occurrence (its id, with the occurrence's start and \
        end). `start` and `end` are ISO-8601 date-times with an offset, date-times without one \
        (wall-clock time at the property) or dates (`end` a date: to the end of that day); both \
        on dates the server accepts. A range holding more than 1000 occurrences is refused: ask \
        for a shorter one.",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path),
        ("start" = String, Query, description = "Start of the range (ISO-8601)"),
        ("end" = String, Query, description = "End of the range (ISO-8601), after start")),
    responses((status = 200, body = Vec<ScheduleItem>), Problems))]
pub async fn show_schedule_items(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<Vec<ScheduleItem>>, ApiError> {
    let venue = venue(&state, &ctx, &ids.1).await?;
    let required = |v: &Option<String>, field: &str| {
        v.clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ApiError::field(field, "is required"))
    };
    let (start, end) = (required(&q.start, "start")?, required(&q.end, "end")?);
    let zone = crate::dates::zone(&ctx.property);
    let range = Range::parse(&start, &end, zone, &state.date_window(&ctx.property))
        .map_err(|e| ApiError::field(e.field(), e.message()))?;
    // The store's filter is a superset; the domain keeps what overlaps.
    let rows = state
        .store
        .schedule_items_between(ctx.property.id, venue.id, range.from(), range.to())
        .await?;
    let mut found: Vec<(DateTime<Utc>, Uuid, DateTime<Utc>, &Scheduled)> = Vec::new();
    for row in &rows {
        let series = stored_series(row)?;
        let left = MAX_OCCURRENCES_PER_ANSWER - found.len();
        let occurrences = series.occurrences(&range, left).map_err(|_| too_many())?;
        found.extend(
            occurrences
                .into_iter()
                .map(|o| (o.start, row.item.id, o.end, row)),
        );
    }
    found.sort_by_key(|(start, id, ..)| (*start, *id));
    Ok(axum::Json(
        found
            .into_iter()
            .map(|(start, _, end, row)| answer(row, Some((start, end))))
            .collect::<Result<_, _>>()?,
    ))
}

/// Change when an item takes place and how many attend.
#[utoipa::path(put, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/schedule/{inventoryIdentifier}/item/{identifier}",
    operation_id = "update-schedule-item", tag = "Scheduler",
    summary = "Change when a schedule item takes place and how many attend",
    description = "Its booking, recurrence rule and exceptions stay (the rule is checked again \
        from the new start). Send the version you read in `If-Match` to have a concurrent change \
        refused (412) instead of overwritten.",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path),
        ("identifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdateScheduleItemRequest,
    responses((status = 200, body = ScheduleItem), Problems))]
pub async fn update_schedule_item(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdateScheduleItemRequest>,
) -> Result<Resource<ScheduleItem>, ApiError> {
    let venue = venue(&state, &ctx, &ids.1).await?;
    let existing = state
        .store
        .schedule_item(ctx.property.id, venue.id, id(&ids.2)?)
        .await?;
    let expected = Expected::new(if_match, body.version);
    let req = &body.value;
    let when = When {
        start: req.start,
        start_zone: &req.start_timezone,
        end: req.end,
        end_zone: &req.end_timezone,
        all_day: req.is_all_day,
    };
    let (series, extent) = checked(
        &state,
        &ctx,
        &when,
        existing.item.recurrence_rule.as_deref(),
        &existing.item.recurrence_exceptions.0,
    )?;
    let row = Row {
        starts_at: when.start,
        start_zone: series.timing().start_zone.name().to_string(),
        ends_at: when.end,
        end_zone: series.timing().end_zone.name().to_string(),
        all_day: when.all_day,
        attendees: req.attendees,
        occurs_from: extent.from,
        occurs_until: extent.until,
        updated_at: state.now(),
        ..existing.item.clone()
    };
    let updated = state
        .store
        .update_schedule_item(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(answer(&updated, None)?, updated.item.version))
}

/// Delete a schedule item (a recurring one with the items that change its occurrences).
#[utoipa::path(delete, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/schedule/{inventoryIdentifier}/item/{identifier}",
    operation_id = "remove-schedule-item", tag = "Scheduler",
    summary = "Delete a schedule item",
    description = "Answers the deleted item. Deleting a recurring item also deletes the items \
        whose `recurrenceId` names it.",
    params(("managingEntityIdentifier" = Uuid, Path), ("inventoryIdentifier" = Uuid, Path),
        ("identifier" = Uuid, Path)),
    responses((status = 200, body = ScheduleItem), Problems))]
pub async fn remove_schedule_item(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String, String)>,
) -> Result<Resource<ScheduleItem>, ApiError> {
    let venue = venue(&state, &ctx, &ids.1).await?;
    let removed = state
        .store
        .delete_schedule_item(ctx.property.id, venue.id, id(&ids.2)?)
        .await?;
    Ok(Resource::ok(answer(&removed, None)?, removed.item.version))
}

/// The inventory item of the path: the property's, of a kind that has a schedule (404 otherwise).
async fn venue(state: &AppState, ctx: &PropertyContext, raw_id: &str) -> Result<Item, ApiError> {
    Ok(state
        .store
        .schedulable_item(ctx.property.id, id(raw_id)?)
        .await?)
}

/// The request's timing, rule and exceptions checked: zones, the server's date window (start,
/// end and exceptions), then the domain's rules; errors name the body field.
fn checked(
    state: &AppState,
    ctx: &PropertyContext,
    when: &When<'_>,
    rule: Option<&str>,
    exceptions: &[DateTime<Utc>],
) -> Result<(Series, Extent), ApiError> {
    let start_zone = schedule::zone("startTimezone", when.start_zone);
    let end_zone = schedule::zone("endTimezone", when.end_zone);
    let (start_zone, end_zone) = match (start_zone, end_zone) {
        (Ok(s), Ok(e)) => (s, e),
        (s, e) => {
            let errors = [s.err(), e.err()]
                .into_iter()
                .flatten()
                .flat_map(|e| match ApiError::from(e) {
                    ApiError::Invalid(fields) => fields,
                    _ => Vec::new(),
                })
                .collect();
            return Err(ApiError::Invalid(errors));
        }
    };
    let timing = Timing {
        start: when.start,
        start_zone,
        end: when.end,
        end_zone,
        all_day: when.all_day,
    };
    let window = state.date_window(&ctx.property);
    let mut dates = vec![
        ("/start".to_string(), timing.start_date()),
        ("/end".to_string(), timing.end_date()),
    ];
    dates.extend(exceptions.iter().enumerate().map(|(i, e)| {
        (
            format!("/recurrenceException/{i}"),
            e.with_timezone(&start_zone).date_naive(),
        )
    }));
    crate::dates::within(&window, dates)?;
    let series = Series::new(timing, rule, exceptions)?;
    // After the last date the server accepts, wherever the item is.
    let last_accepted = schedule::midnight(
        chrono_tz::Tz::UTC,
        window
            .last()
            .checked_add_days(Days::new(2))
            .unwrap_or(window.last()),
    );
    let extent = series.extent(last_accepted)?;
    Ok((series, extent))
}

/// A stored item as the domain reads it (the server wrote it: a failure is a server fault).
fn stored_series(row: &Scheduled) -> Result<Series, ApiError> {
    let item = &row.item;
    let fault = |e: wink_domain::DomainError| {
        ApiError::Internal(format!(
            "stored schedule item {} does not read: {e}",
            item.id
        ))
    };
    let timing = Timing {
        start: item.starts_at,
        start_zone: schedule::zone("startTimezone", &item.start_zone).map_err(fault)?,
        end: item.ends_at,
        end_zone: schedule::zone("endTimezone", &item.end_zone).map_err(fault)?,
        all_day: item.all_day,
    };
    Series::new(
        timing,
        item.recurrence_rule.as_deref(),
        &item.recurrence_exceptions.0,
    )
    .map_err(fault)
}

fn not_a_series(id: Uuid) -> ApiError {
    ApiError::field(
        "/recurrenceId",
        format!(
            "{id} is not a recurring schedule item (one with a recurrenceRule) of this inventory item"
        ),
    )
}

fn too_many() -> ApiError {
    ApiError::field(
        "end",
        format!(
            "the range holds more than {MAX_OCCURRENCES_PER_ANSWER} occurrences; ask for a \
             shorter one"
        ),
    )
}
