//! The property's inventories besides guest rooms: add-ons (tag "Add-On"), spas, restaurants and
//! meeting rooms (area "facilities"), places, attractions and activities (area "experiences").
//!
//! The seven kinds share the contract's descriptive fields (name, descriptions, media references,
//! address, opening times, priced offers in `transactionalInventoryList`...) and differ only in a
//! few of their own, so they are handled ONCE, here: the request is validated ([`Upsert`]), kept
//! as received in one table (`wink_store::inventory`), and answered as the stored document with
//! its bookkeeping ([`to_wire`]). Each kind's file declares its wire types, paths and operationIds
//! through [`inventory_kind!`], which expands the six documented handlers (five for add-ons, which
//! have no pair list) and the kind's routes, plus the rules only that kind has.
//!
//! Rules every kind obeys (beyond the schema, which `ValidJson` enforces):
//! - `name` is not blank (it is trimmed, and lists and pairs show it);
//! - `applicableEnd` is not before `applicableStart`;
//! - each `transactionalInventoryList` offer is priced in the property's currency, with amounts
//!   that are not negative, a `discountedPrice` not above its `basePrice`, and `maxPax` not below
//!   `minPax`.
//!
//! `multimedias` of a create or update are stored as sent; files are uploaded to an item, and
//! media removed from it, by the operations of [`media`] (declared in each kind's file). An item
//! of another property, or of another kind, answers 404 like a missing one.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use uuid::Uuid;
use wink_contract::{
    AddOn, InventoryType, KeyValuePair, RatePlanLightweight, RemoveEntryResponse,
    TransactionalTravelInventory,
};
use wink_store::Json as DbJson;
use wink_store::inventory::{Item, Kind};

use crate::auth::PropertyContext;
use crate::error::{ApiError, StoreResultExt, from_document};
use crate::extract::{Expected, IfMatch, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Declares one inventory kind: its `Upsert` implementation (with the kind's own rules, if any,
/// in `rules: { ... }`), its six handlers with their contract paths, operationIds and tag (no
/// pair list when `pairs` is left out), and `routes()`.
macro_rules! inventory_kind {
    (
        kind: $kind:ident,
        tag: $tag:tt,
        one: $one:tt,
        many: $many:tt,
        request: $req:ident,
        response: $resp:ident,
        removed: $removed:ident,
        path: $base:tt,
        id: $id:tt,
        create: $create:ident $create_op:tt,
        list: $list:ident $list_op:tt,
        $(pairs: $pairs:ident $pairs_op:tt,)?
        show: $show:ident $show_op:tt,
        update: $update:ident $update_op:tt,
        remove: $remove:ident $remove_op:tt,
        rules: { $($rules:tt)* } $(,)?
    ) => {
        use axum::extract::State;

        use crate::auth::PropertyContext;
        use crate::error::{ApiError, Problems};
        use crate::extract::{IfMatch, Path};
        use crate::inventory::{Common, Upsert};
        use crate::response::Resource;
        use crate::state::AppState;
        use crate::validation::ValidJson;

        impl Upsert for $req {
            const KIND: wink_store::inventory::Kind = wink_store::inventory::Kind::$kind;

            fn common(&self) -> Common<'_> {
                Common {
                    name: &self.name,
                    applicable_start: self.applicable_start,
                    applicable_end: self.applicable_end,
                    offers: &self.transactional_inventory_list,
                }
            }

            $($rules)*
        }

        #[utoipa::path(post, path = $base, operation_id = $create_op, tag = $tag,
            summary = concat!("Create ", $one),
            params(("managingEntityIdentifier" = Uuid, Path)),
            request_body = $req,
            responses((status = 201, body = $resp), Problems))]
        pub async fn $create(
            State(state): State<AppState>,
            ctx: PropertyContext,
            body: ValidJson<$req>,
        ) -> Result<Resource<$resp>, ApiError> {
            crate::inventory::create(&state, &ctx, &body.value).await
        }

        #[utoipa::path(get, path = concat!($base, "/list"), operation_id = $list_op, tag = $tag,
            summary = concat!("List the property's ", $many), description = "Oldest first.",
            params(("managingEntityIdentifier" = Uuid, Path)),
            responses((status = 200, body = Vec<$resp>), Problems))]
        pub async fn $list(
            State(state): State<AppState>,
            ctx: PropertyContext,
        ) -> Result<axum::Json<Vec<$resp>>, ApiError> {
            crate::inventory::list(&state, &ctx, <$req as Upsert>::KIND).await
        }

        $(
            #[utoipa::path(get, path = concat!($base, "/list/pair"), operation_id = $pairs_op, tag = $tag,
                summary = concat!("List the property's ", $many, " as pairs"),
                description = "Identifier (`value`) and name (`label`) of each, oldest first.",
                params(("managingEntityIdentifier" = Uuid, Path)),
                responses((status = 200, body = Vec<wink_contract::KeyValuePair>), Problems))]
            pub async fn $pairs(
                State(state): State<AppState>,
                ctx: PropertyContext,
            ) -> Result<axum::Json<Vec<wink_contract::KeyValuePair>>, ApiError> {
                crate::inventory::pairs(&state, &ctx, <$req as Upsert>::KIND).await
            }
        )?

        #[utoipa::path(get, path = concat!($base, "/{", $id, "}"), operation_id = $show_op, tag = $tag,
            summary = concat!("Show ", $one),
            params(("managingEntityIdentifier" = Uuid, Path), ($id = Uuid, Path)),
            responses((status = 200, body = $resp), Problems))]
        pub async fn $show(
            State(state): State<AppState>,
            ctx: PropertyContext,
            Path(ids): Path<(String, String)>,
        ) -> Result<Resource<$resp>, ApiError> {
            crate::inventory::show(&state, &ctx, <$req as Upsert>::KIND, &ids.1).await
        }

        #[utoipa::path(put, path = concat!($base, "/{", $id, "}"), operation_id = $update_op, tag = $tag,
            summary = concat!("Replace the content of ", $one),
            description = "Send the `version` you read (body or `If-Match`) to have a concurrent \
                change refused instead of overwritten.",
            params(("managingEntityIdentifier" = Uuid, Path), ($id = Uuid, Path),
                ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
            request_body = $req,
            responses((status = 200, body = $resp), Problems))]
        pub async fn $update(
            State(state): State<AppState>,
            ctx: PropertyContext,
            Path(ids): Path<(String, String)>,
            if_match: Option<IfMatch>,
            body: ValidJson<$req>,
        ) -> Result<Resource<$resp>, ApiError> {
            crate::inventory::update(&state, &ctx, &ids.1, if_match, &body).await
        }

        #[utoipa::path(delete, path = concat!($base, "/{", $id, "}"), operation_id = $remove_op, tag = $tag,
            summary = concat!("Delete ", $one),
            description = "Refused (409) while promotions name it (naming them; promotions can \
                name add-ons) or while it has schedule items (saying how many).",
            params(("managingEntityIdentifier" = Uuid, Path), ($id = Uuid, Path)),
            responses((status = 200, body = $removed), Problems))]
        pub async fn $remove(
            State(state): State<AppState>,
            ctx: PropertyContext,
            Path(ids): Path<(String, String)>,
        ) -> Result<Resource<$removed>, ApiError> {
            crate::inventory::remove::<$resp, $removed>(&state, &ctx, <$req as Upsert>::KIND, &ids.1)
                .await
        }
    };
}

pub mod activity;
pub mod add_on;
pub mod attraction;
pub mod media;
pub mod meeting_room;
pub mod place;
pub mod restaurant;
pub mod spa;

/// What every kind's request has, for the rules all kinds obey.
pub struct Common<'a> {
    pub name: &'a str,
    pub applicable_start: Option<NaiveDate>,
    pub applicable_end: Option<NaiveDate>,
    pub offers: &'a [TransactionalTravelInventory],
}

/// A kind's upsert request (implemented by [`inventory_kind!`]).
pub trait Upsert: Serialize + Send + Sync + 'static {
    const KIND: Kind;

    fn common(&self) -> Common<'_>;

    /// The rules only this kind has; errors name the field.
    fn rules(&self) -> Result<(), ApiError> {
        Ok(())
    }

    /// Dates only this kind has (with their JSON pointers), for the server's date window.
    fn dates(&self) -> Vec<(String, NaiveDate)> {
        Vec::new()
    }

    /// The rate plan the item is restricted to (add-ons only): it must be the property's.
    fn rate_plan(&self) -> Option<Uuid> {
        None
    }
}

/// What a delete answers: the removed item, or (add-ons) the contract's `RemoveEntryResponse`.
pub trait Removed<W>: Sized {
    fn removed(item: W, stored: &Item) -> Self;
}

impl<W> Removed<W> for W {
    fn removed(item: W, _: &Item) -> W {
        item
    }
}

impl Removed<AddOn> for RemoveEntryResponse {
    fn removed(_: AddOn, stored: &Item) -> Self {
        RemoveEntryResponse {
            id: Some(stored.id),
            success: Some(true),
            message: Some(format!("add-on \"{}\" deleted", stored.name)),
        }
    }
}

/// The contract's InventoryType value of a kind (inventory usage answers it).
pub fn inventory_type(kind: Kind) -> InventoryType {
    match kind {
        Kind::AddOn => InventoryType::AddOn,
        Kind::Spa => InventoryType::Spa,
        Kind::Restaurant => InventoryType::Restaurant,
        Kind::MeetingRoom => InventoryType::MeetingRoom,
        Kind::Place => InventoryType::Place,
        Kind::Attraction => InventoryType::Attraction,
        Kind::Activity => InventoryType::Activity,
    }
}

pub async fn create<R: Upsert, W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    req: &R,
) -> Result<Resource<W>, ApiError> {
    let item = to_row(state, ctx, Uuid::new_v4(), req).await?;
    state.store.create_inventory_item(&item).await?;
    let wire = one(state, &item).await?;
    Ok(Resource::created(wire, item.version))
}

pub async fn list<W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    kind: Kind,
) -> Result<axum::Json<Vec<W>>, ApiError> {
    let items = state.store.inventory_items(ctx.property.id, kind).await?;
    let plans = rate_plans(state, ctx.property.id, &items).await?;
    Ok(axum::Json(
        items
            .iter()
            .map(|item| to_wire(item, &plans))
            .collect::<Result<_, _>>()?,
    ))
}

pub async fn pairs(
    state: &AppState,
    ctx: &PropertyContext,
    kind: Kind,
) -> Result<axum::Json<Vec<KeyValuePair>>, ApiError> {
    let items = state.store.inventory_items(ctx.property.id, kind).await?;
    Ok(axum::Json(
        items
            .into_iter()
            .map(|item| KeyValuePair {
                value: item.id.to_string(),
                label: item.name,
            })
            .collect(),
    ))
}

pub async fn show<W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    kind: Kind,
    raw_id: &str,
) -> Result<Resource<W>, ApiError> {
    let item = state
        .store
        .inventory_item(ctx.property.id, kind, id(raw_id)?)
        .await?;
    Ok(Resource::ok(one(state, &item).await?, item.version))
}

pub async fn update<R: Upsert, W: DeserializeOwned>(
    state: &AppState,
    ctx: &PropertyContext,
    raw_id: &str,
    if_match: Option<IfMatch>,
    body: &ValidJson<R>,
) -> Result<Resource<W>, ApiError> {
    let item_id = id(raw_id)?;
    let existing = state
        .store
        .inventory_item(ctx.property.id, R::KIND, item_id)
        .await?;
    let expected = Expected::new(if_match, body.version);
    let mut row = to_row(state, ctx, item_id, &body.value).await?;
    row.created_at = existing.created_at;
    let updated = state
        .store
        .update_inventory_item(&row, expected.version())
        .await
        .map_err(|e| expected.refuse(e))?;
    Ok(Resource::ok(one(state, &updated).await?, updated.version))
}

pub async fn remove<W: DeserializeOwned, D: Removed<W>>(
    state: &AppState,
    ctx: &PropertyContext,
    kind: Kind,
    raw_id: &str,
) -> Result<Resource<D>, ApiError> {
    let removed = state
        .store
        .delete_inventory_item(ctx.property.id, kind, id(raw_id)?)
        .await?;
    let wire = one(state, &removed).await?;
    Ok(Resource::ok(D::removed(wire, &removed), removed.version))
}

/// The stored row of a request, after the rules the schema cannot express.
async fn to_row<R: Upsert>(
    state: &AppState,
    ctx: &PropertyContext,
    id: Uuid,
    req: &R,
) -> Result<Item, ApiError> {
    let common = req.common();
    let mut dates = req.dates();
    dates.extend(
        [
            ("/applicableStart", common.applicable_start),
            ("/applicableEnd", common.applicable_end),
        ]
        .into_iter()
        .filter_map(|(field, date)| Some((field.to_string(), date?))),
    );
    crate::dates::within(&state.date_window(&ctx.property), dates)?;
    check(&common, &ctx.property.currency)?;
    req.rules()?;
    let rate_plan_id = req.rate_plan();
    if let Some(plan) = rate_plan_id {
        state
            .store
            .rate_plan(ctx.property.id, plan)
            .await
            .not_found_as(|| {
                ApiError::field(
                    "/ratePlanIdentifier",
                    format!("{plan} is not a rate plan of this property"),
                )
            })?;
    }
    let name = common.name.trim().to_string();
    let mut document = serde_json::to_value(req).map_err(|e| ApiError::Internal(e.to_string()))?;
    document["name"] = json!(name);
    let now = state.now();
    Ok(Item {
        id,
        property_id: ctx.property.id,
        kind: R::KIND,
        name,
        rate_plan_id,
        document: DbJson(document),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// The rules every kind obeys; errors name the field.
fn check(c: &Common<'_>, currency: &str) -> Result<(), ApiError> {
    if c.name.trim().is_empty() {
        return Err(ApiError::field("/name", "must not be blank"));
    }
    if let (Some(start), Some(end)) = (c.applicable_start, c.applicable_end)
        && end < start
    {
        return Err(ApiError::field(
            "/applicableEnd",
            format!("must not be before applicableStart ({start})"),
        ));
    }
    for (i, offer) in c.offers.iter().enumerate() {
        let at = |field: &str| format!("/transactionalInventoryList/{i}/{field}");
        for (field, price) in [
            ("basePrice", &offer.base_price),
            ("discountedPrice", &offer.discounted_price),
        ] {
            if price.currency != currency {
                return Err(ApiError::field(
                    at(&format!("{field}/currency")),
                    format!("must be the property's currency, {currency}"),
                ));
            }
            wink_domain::money::check_input_amount("amount", price.amount).map_err(|e| {
                ApiError::field(at(&format!("{field}/amount")), e.message().to_string())
            })?;
        }
        if offer.discounted_price.amount > offer.base_price.amount {
            return Err(ApiError::field(
                at("discountedPrice/amount"),
                format!(
                    "must not be more than basePrice ({})",
                    offer.base_price.amount
                ),
            ));
        }
        if let (Some(min), Some(max)) = (offer.min_pax, offer.max_pax)
            && max < min
        {
            return Err(ApiError::field(
                at("maxPax"),
                format!("must not be below minPax ({min})"),
            ));
        }
    }
    Ok(())
}

/// The wire form of one stored item.
async fn one<W: DeserializeOwned>(state: &AppState, item: &Item) -> Result<W, ApiError> {
    let plans = rate_plans(state, item.property_id, std::slice::from_ref(item)).await?;
    to_wire(item, &plans)
}

/// The rate plans the items name (add-ons), as their responses show them.
async fn rate_plans(
    state: &AppState,
    property: Uuid,
    items: &[Item],
) -> Result<HashMap<Uuid, RatePlanLightweight>, ApiError> {
    if items.iter().all(|item| item.rate_plan_id.is_none()) {
        return Ok(HashMap::new());
    }
    let plans = crate::monetization::rate_plan::all(&state.store, property).await?;
    plans
        .iter()
        .filter_map(|plan| plan.id.map(|id| (id, plan)))
        .map(|(id, plan)| Ok((id, crate::monetization::rate_plan::lightweight(plan)?)))
        .collect()
}

/// The wire form of a stored item: the content as sent, with its bookkeeping, the two fields a
/// response requires but a request may leave out (`contact`, `proximityCode`), and an add-on's
/// rate plan.
pub fn to_wire<W: DeserializeOwned>(
    item: &Item,
    plans: &HashMap<Uuid, RatePlanLightweight>,
) -> Result<W, ApiError> {
    let what = item.kind.noun();
    let mut value = item.document.0.clone();
    let object = value.as_object_mut().ok_or_else(|| {
        ApiError::Internal(format!("{what} {} document is not an object", item.id))
    })?;
    object.insert("id".into(), json!(item.id));
    object.insert("hotelIdentifier".into(), json!(item.property_id));
    object.insert("createdDate".into(), json!(item.created_at));
    object.insert("lastUpdate".into(), json!(item.updated_at));
    object.insert("version".into(), json!(item.version));
    object.entry("contact").or_insert_with(|| json!({}));
    object.entry("proximityCode").or_insert_with(|| json!(""));
    object.remove("ratePlanIdentifier");
    if let Some(plan) = item.rate_plan_id {
        let plan = plans.get(&plan).ok_or_else(|| {
            ApiError::Internal(format!("{what} {} names missing rate plan {plan}", item.id))
        })?;
        let plan = serde_json::to_value(plan).map_err(|e| ApiError::Internal(e.to_string()))?;
        object.insert("ratePlan".into(), plan);
    }
    from_document(what, item.id, &value)
}
