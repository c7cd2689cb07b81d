//! Tag "Guest Room": the room types of a property. The descriptive content is kept as the client
//! sent it; what pricing and availability read (quantity, occupancy, active, bookable) is in columns.

use axum::extract::State;
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::{
    DuplicateGuestRoomRequest, ImproveRoomTypeRequest, ImproveRoomTypeResponse,
    RoomType as WireRoomType, UpsertRoomTypeRequest,
};
use wink_domain::occupancy::RoomCapacity;
use wink_store::Json as DbJson;
use wink_store::room_types::RoomType;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const LIST: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type/list";
const ONE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type/{roomTypeIdentifier}";
const DUPLICATE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type/{roomTypeIdentifier}/duplicate";
const IMPROVE: &str = "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type/{roomTypeIdentifier}/improve";

/// Create a room type. A master rate with each of the property's rate plans opens with it; rooms
/// are for sale once availability is loaded on its daily rates.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type",
    operation_id = "create-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = UpsertRoomTypeRequest,
    responses((status = 201, body = WireRoomType), Problems))]
pub async fn create_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<UpsertRoomTypeRequest>,
) -> Result<Resource<WireRoomType>, ApiError> {
    let now = state.now();
    let room = to_row(Uuid::new_v4(), &ctx, &body.value, now)?;
    state.store.create_room_type(&room).await?;
    Ok(Resource::created(to_wire(&room)?, room.version))
}

/// List the property's room types.
#[utoipa::path(get, path = LIST, operation_id = "show-guest-rooms", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<WireRoomType>), Problems))]
pub async fn show_guest_rooms(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<WireRoomType>>, ApiError> {
    let rooms = state.store.room_types(ctx.property.id).await?;
    Ok(axum::Json(
        rooms.iter().map(to_wire).collect::<Result<_, _>>()?,
    ))
}

/// Show a room type.
#[utoipa::path(get, path = ONE, operation_id = "show-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path), ("roomTypeIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireRoomType), Problems))]
pub async fn show_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireRoomType>, ApiError> {
    let room = state.store.room_type(ctx.property.id, id(&ids.1)?).await?;
    Ok(Resource::ok(to_wire(&room)?, room.version))
}

/// Replace a room type's content. Send the `version` you read (body or `If-Match`) to have a
/// concurrent change refused instead of overwritten.
#[utoipa::path(put, path = ONE, operation_id = "update-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path), ("roomTypeIdentifier" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertRoomTypeRequest,
    responses((status = 200, body = WireRoomType), Problems))]
pub async fn update_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertRoomTypeRequest>,
) -> Result<Resource<WireRoomType>, ApiError> {
    let room_id = id(&ids.1)?;
    let existing = state.store.room_type(ctx.property.id, room_id).await?;
    let expected = Expected::new(if_match, body.version);
    let mut row = to_row(room_id, &ctx, &body.value, state.now())?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_room_type(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(to_wire(&updated)?, updated.version))
}

/// Delete a room type, with its master rates, daily rates and availability. Refused while
/// bookings still hold its nights.
#[utoipa::path(delete, path = ONE, operation_id = "remove-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path), ("roomTypeIdentifier" = Uuid, Path)),
    responses((status = 200, body = WireRoomType), Problems))]
pub async fn remove_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<Resource<WireRoomType>, ApiError> {
    let today = state.today_at(&ctx.property);
    let removed = state
        .store
        .delete_room_type(ctx.property.id, id(&ids.1)?, today)
        .await?;
    Ok(Resource::ok(to_wire(&removed)?, removed.version))
}

/// Duplicate a room type: a new room type with the same content and media references, its name
/// (and the name of each description, in its language) marked as a copy, and a master rate for
/// each rate plan the original has one with. No daily rates, availability or bookings are
/// copied. The body names the property and the room type of the path.
#[utoipa::path(post, path = DUPLICATE, operation_id = "duplicate-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path), ("roomTypeIdentifier" = Uuid, Path)),
    request_body = DuplicateGuestRoomRequest,
    responses((status = 201, body = WireRoomType), Problems))]
pub async fn duplicate_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<DuplicateGuestRoomRequest>,
) -> Result<Resource<WireRoomType>, ApiError> {
    let source_id = id(&ids.1)?;
    let source = state.store.room_type(ctx.property.id, source_id).await?;
    if body.value.hotel_identifier != ctx.property.id {
        return Err(ApiError::field(
            "/hotelIdentifier",
            "must be the property of the path",
        ));
    }
    if body.value.guest_room_identifier != source_id {
        return Err(ApiError::field(
            "/guestRoomIdentifier",
            "must be the room type of the path",
        ));
    }
    let now = state.now();
    let mut document = source.document.0.clone();
    mark_as_copy(&mut document);
    let copy = RoomType {
        id: Uuid::new_v4(),
        name: wink_domain::writing::copy_name(&source.name, "en"),
        document: DbJson(document),
        created_at: now,
        updated_at: now,
        version: 1,
        ..source
    };
    state.store.duplicate_room_type(source_id, &copy).await?;
    Ok(Resource::created(to_wire(&copy)?, copy.version))
}

/// A room type's document with its `name`, and the `name` of each description, marked as a
/// copy (each description in its own language).
fn mark_as_copy(document: &mut Value) {
    let marked = document
        .get("name")
        .and_then(Value::as_str)
        .map(|name| wink_domain::writing::copy_name(name, "en"));
    if let Some(marked) = marked {
        document["name"] = json!(marked);
    }
    if let Some(descriptions) = document
        .get_mut("descriptions")
        .and_then(Value::as_array_mut)
    {
        for d in descriptions {
            let language = d.get("language").and_then(Value::as_str).unwrap_or("en");
            let marked = d
                .get("name")
                .and_then(Value::as_str)
                .map(|name| wink_domain::writing::copy_name(name, language));
            if let Some(marked) = marked {
                d["name"] = json!(marked);
            }
        }
    }
}

/// Improve a room type's copy: the title (or the room's name) tidied, and the description sent
/// (or the room's English one) tidied with the room's stored facts it does not mention yet
/// (size, occupancy, beds, view, bathrooms, amenities). Nothing is saved.
#[utoipa::path(put, path = IMPROVE, operation_id = "improve-guest-room", tag = "Guest Room",
    params(("managingEntityIdentifier" = Uuid, Path), ("roomTypeIdentifier" = Uuid, Path)),
    request_body = ImproveRoomTypeRequest,
    responses((status = 200, body = ImproveRoomTypeResponse), Problems))]
pub async fn improve_guest_room(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<ImproveRoomTypeRequest>,
) -> Result<axum::Json<ImproveRoomTypeResponse>, ApiError> {
    let room = state.store.room_type(ctx.property.id, id(&ids.1)?).await?;
    let facts = crate::writing::room_facts(&room)?;
    let stored = crate::writing::room_document(&room)?;
    let english = stored
        .descriptions
        .iter()
        .find(|d| wink_domain::writing::Language::parse(&d.language).is_some())
        .map(|d| d.description.clone());
    let text = body
        .value
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or(english);
    let mut copy = facts.improve(body.value.title.as_deref(), text.as_deref());
    let facts_text = format!(
        "{}\ncurrent description: {}",
        facts.lines().join("\n"),
        text.as_deref().unwrap_or("").trim()
    );
    if let Some(generated) = state
        .writer
        .generate(&crate::writing::Ask {
            facts: &facts_text,
            task: "Write a description of two to four sentences for this room type, keeping what \
                   the current description says.",
            language: wink_domain::writing::Language::English,
        })
        .await
    {
        copy.text = generated;
    }
    Ok(axum::Json(ImproveRoomTypeResponse {
        title: copy.title,
        description: Some(copy.text),
    }))
}

/// The stored row of a request, after the rules the schema cannot express.
fn to_row(
    id: Uuid,
    ctx: &PropertyContext,
    req: &UpsertRoomTypeRequest,
    now: chrono::DateTime<Utc>,
) -> Result<RoomType, ApiError> {
    let capacity = RoomCapacity {
        min_occupancy: req.min_occupancy as u32,
        max_occupancy: req.max_occupancy as u32,
        max_adults: req.max_adult_occupancy as u32,
        max_children: req.max_child_occupancy as u32,
        included_adults: req.included_adult_occupancy as u32,
        included_children: req.included_child_occupancy as u32,
    };
    capacity.validate()?;
    for (field, amount) in [
        ("/baseRate/currency", &req.base_rate),
        ("/minRate/currency", &req.min_rate),
    ] {
        if amount.currency != ctx.property.currency {
            return Err(ApiError::field(
                field,
                format!("must be the property's currency, {}", ctx.property.currency),
            ));
        }
    }
    let document = serde_json::to_value(req).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(RoomType {
        id,
        property_id: ctx.property.id,
        name: req.name.trim().to_string(),
        quantity: req.quantity,
        active: req.active,
        bookable: req.bookable,
        min_occupancy: req.min_occupancy,
        max_occupancy: req.max_occupancy,
        max_adults: req.max_adult_occupancy,
        max_children: req.max_child_occupancy,
        included_adults: req.included_adult_occupancy,
        included_children: req.included_child_occupancy,
        document: DbJson(document),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// The wire form of a stored room type: the content as sent, with its bookkeeping, and the two
/// fields the response requires but a request may leave out (`contact`, `proximityCode`).
pub fn to_wire(room: &RoomType) -> Result<WireRoomType, ApiError> {
    let mut value: Value = room.document.0.clone();
    let object = value.as_object_mut().ok_or_else(|| {
        ApiError::Internal(format!("room type {} document is not an object", room.id))
    })?;
    object.insert("id".into(), json!(room.id));
    object.insert("hotelIdentifier".into(), json!(room.property_id));
    object.insert("createdDate".into(), json!(room.created_at));
    object.insert("lastUpdate".into(), json!(room.updated_at));
    object.insert("version".into(), json!(room.version));
    object.entry("contact").or_insert_with(|| json!({}));
    object.entry("proximityCode").or_insert_with(|| json!(""));
    from_document("room type", room.id, &value)
}

crate::inventory::media::item_media! {
    item: wink_store::media::ItemRef::RoomType,
    tag: "Guest Room",
    response: WireRoomType,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/room-type",
    id: "roomTypeIdentifier",
    upload: upload_guest_room_media "upload-guest-room-media",
    remove: remove_multimedia_2 "remove-multimedia_2",
}
