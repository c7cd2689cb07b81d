//! Tag "Announcement": notices the property shows its guests, within a window of dates or
//! always.
//!
//! Rules (`wink_domain::announcement`): at least one description, none blank, one per
//! language; `endDate` not before `startDate`; both within the server's date window. An
//! announcement is **current** on today at the property (the server's clock, in the property's
//! time zone) when `showAlways` is set or today is within `startDate`..=`endDate` (a missing date
//! leaves that side open). The list answers the current ones first, then the upcoming, then the
//! past ones; `?current=true` answers only the current ones.

use axum::extract::State;
use serde::Deserialize;
use uuid::Uuid;
use wink_contract::{
    Announcement as WireAnnouncement, SimpleDescription, UpsertAnnouncementRequest,
};
use wink_domain::announcement::{Window, check_descriptions};
use wink_store::Json as DbJson;
use wink_store::announcements::Announcement;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, Query, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/announcement/{announcementIdentifier}";

/// Create an announcement. At least one description (none blank, one per language); `endDate`
/// not before `startDate`.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/announcement",
    operation_id = "create-announcement", tag = "Announcement",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertAnnouncementRequest,
    responses((status = 201, body = WireAnnouncement), Problems))]
pub async fn create_announcement(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertAnnouncementRequest>,
) -> Result<Resource<WireAnnouncement>, ApiError> {
    let row = to_row(&state, &ctx, Uuid::new_v4(), &body.value)?;
    state.store.create_announcement(&row).await?;
    Ok(Resource::created(wire(&row)?, row.version))
}

/// What the list may be narrowed to.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only the announcements current today at the property (shown always, or today within
    /// their dates).
    pub current: Option<bool>,
}

/// The property's announcements: the current ones first (today at the property within their
/// dates, or shown always), then upcoming ones (soonest first), then past ones (latest ended
/// first); `current=true` lists only the current ones. `[]` when there is none.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/announcement/list",
    operation_id = "show-announcements", tag = "Announcement",
    params(("managingEntityIdentifier" = Uuid, Path), ListFilter),
    responses((status = 200, body = Vec<WireAnnouncement>), Problems))]
pub async fn show_announcements(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(filter): Query<ListFilter>,
) -> Result<axum::Json<Vec<WireAnnouncement>>, ApiError> {
    let today = state.today_at(&ctx.property);
    let mut rows: Vec<(Window, Announcement)> = state
        .store
        .announcements(ctx.property.id)
        .await?
        .into_iter()
        .map(|a| (window_of(&a), a))
        .filter(|(w, _)| filter.current != Some(true) || w.is_current(today))
        .collect();
    // Stable: equal windows stay oldest first, as the store answers them.
    rows.sort_by(|(a, _), (b, _)| a.order(b, today));
    Ok(axum::Json(
        rows.iter()
            .map(|(_, a)| wire(a))
            .collect::<Result<_, _>>()?,
    ))
}

/// One announcement of the property.
#[utoipa::path(get, path = ONE, operation_id = "show-announcement", tag = "Announcement",
    params(("managingEntityIdentifier" = Uuid, Path), ("announcementIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireAnnouncement), Problems))]
pub async fn show_announcement(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireAnnouncement>, ApiError> {
    let row = state
        .store
        .announcement(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(wire(&row)?, row.version))
}

/// Replace an announcement (the same rules as creating one). Send the `version` you read (body
/// or `If-Match`) to have a concurrent change refused (409, 412) instead of overwritten.
#[utoipa::path(put, path = ONE, operation_id = "update-announcement", tag = "Announcement",
    params(("managingEntityIdentifier" = Uuid, Path), ("announcementIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertAnnouncementRequest,
    responses((status = 200, body = WireAnnouncement), Problems))]
pub async fn update_announcement(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertAnnouncementRequest>,
) -> Result<Resource<WireAnnouncement>, ApiError> {
    let announcement_id = id(&ids.1)?;
    let existing = state
        .store
        .announcement(ctx.property.id, announcement_id)
        .await?;
    let expected = Expected::new(if_match, body.version);
    let mut row = to_row(&state, &ctx, announcement_id, &body.value)?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_announcement(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(wire(&updated)?, updated.version))
}

/// Delete an announcement; answers it as it was.
#[utoipa::path(delete, path = ONE, operation_id = "remove-announcement", tag = "Announcement",
    params(("managingEntityIdentifier" = Uuid, Path), ("announcementIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireAnnouncement), Problems))]
pub async fn remove_announcement(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireAnnouncement>, ApiError> {
    let removed = state
        .store
        .delete_announcement(ctx.property.id, id(&ids.1)?)
        .await?;
    Ok(Resource::ok(wire(&removed)?, removed.version))
}

fn window_of(a: &Announcement) -> Window {
    Window {
        start: a.start_date,
        end: a.end_date,
        show_always: a.show_always,
    }
}

/// The stored row of a request, after the domain's rules and the date window.
fn to_row(
    state: &AppState,
    ctx: &PropertyContext,
    id: Uuid,
    req: &UpsertAnnouncementRequest,
) -> Result<Announcement, ApiError> {
    let dates = [("/startDate", req.start_date), ("/endDate", req.end_date)]
        .into_iter()
        .filter_map(|(field, date)| Some((field.to_string(), date?)));
    crate::dates::within(&state.date_window(&ctx.property), dates)?;
    let window = Window::new(
        req.start_date,
        req.end_date,
        req.show_always.unwrap_or(false),
    )?;
    check_descriptions(
        req.descriptions
            .iter()
            .map(|d| (d.language.as_str(), d.description.as_str())),
    )?;
    let descriptions: Vec<SimpleDescription> = req
        .descriptions
        .iter()
        .map(|d| SimpleDescription {
            name: d.name.trim().to_string(),
            description: d.description.trim().to_string(),
            language: d.language.clone(),
            creator: d.creator,
            ..Default::default()
        })
        .collect();
    let descriptions =
        serde_json::to_value(descriptions).map_err(|e| ApiError::Internal(e.to_string()))?;
    let now = state.now();
    Ok(Announcement {
        id,
        property_id: ctx.property.id,
        start_date: window.start,
        end_date: window.end,
        show_title: req.show_title,
        show_always: window.show_always,
        descriptions: DbJson(descriptions),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// A stored announcement on the wire.
fn wire(a: &Announcement) -> Result<WireAnnouncement, ApiError> {
    let descriptions: Vec<SimpleDescription> =
        from_document("announcement", a.id, &a.descriptions.0)?;
    Ok(WireAnnouncement {
        id: Some(a.id),
        created_date: Some(a.created_at),
        last_update: Some(a.updated_at),
        version: Some(a.version),
        hotel_identifier: a.property_id,
        start_date: a.start_date,
        end_date: a.end_date,
        descriptions,
        show_title: a.show_title,
        show_always: Some(a.show_always),
    })
}
