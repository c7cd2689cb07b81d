//! The wire form of channel-inventory records (`Inventory`): the record's switch and bookkeeping,
//! its channel, and what listings show of the item and the property (image, price point, place,
//! lowest price). Everything a request's records need is read once ([`Answers::load`]).

use std::collections::HashMap;

use chrono::Days;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    CustomMonetaryAmount, GeoJsonPoint, IntelligentPropertyRegistrationRequest, Inventory,
    InventoryType, MediaSource, MediaType, PricePoint, SalesChannel as WireSalesChannel,
    SalesChannelLightweight, SimpleAddress, SimpleMultimedia,
};
use wink_domain::channel_inventory::record_id;
use wink_domain::geo;
use wink_store::channel_inventory::Record;
use wink_store::inventory::Kind;

use super::sales_channel;
use crate::auth::PropertyContext;
use crate::error::{ApiError, from_document};
use crate::state::AppState;

/// Days from today (at the property) whose stored rates `lowestPrice` is the lowest of.
pub const LOWEST_PRICE_DAYS: u64 = 365;

/// Width and height of the property's cover card (`crate::media`).
const COVER_SIZE: (i32, i32) = (1200, 630);

/// What the answers of one request's records are made of.
pub struct Answers {
    channels: HashMap<Uuid, WireSalesChannel>,
    /// An item's stored document (a master rate's is its room type's), by item.
    documents: HashMap<Uuid, Value>,
    lowest_rates: HashMap<Uuid, Decimal>,
    place: Place,
    currency: String,
    cover: SimpleMultimedia,
}

/// Where the property is, as every record of it shows.
struct Place {
    location: GeoJsonPoint,
    address: SimpleAddress,
    continent: String,
    country_code: String,
    country_geo_name_id: String,
    city_geo_name_id: String,
    city_url_name: String,
}

impl Answers {
    pub async fn load(state: &AppState, ctx: &PropertyContext) -> Result<Answers, ApiError> {
        let id = ctx.property.id;
        let store = &state.store;
        let today = state.today_at(&ctx.property);
        let last = today
            .checked_add_days(Days::new(LOWEST_PRICE_DAYS - 1))
            .unwrap_or(today);
        let (property, channels, master_rates, rooms, rates) = tokio::try_join!(
            store.property(id),
            store.sales_channels(id),
            store.master_rates(id),
            store.room_types(id),
            store.open_rates_between(id, today, last),
        )?;
        let mut documents = HashMap::new();
        let room_documents: HashMap<Uuid, &Value> =
            rooms.iter().map(|r| (r.id, &r.document.0)).collect();
        for m in &master_rates {
            if let Some(doc) = room_documents.get(&m.room_type_id) {
                documents.insert(m.id, (*doc).clone());
            }
        }
        for kind in Kind::ALL {
            for item in store.inventory_items(id, kind).await? {
                documents.insert(item.id, item.document.0);
            }
        }
        let mut lowest_rates: HashMap<Uuid, Decimal> = HashMap::new();
        for (master_rate, rate) in rates {
            let lowest = lowest_rates.entry(master_rate).or_insert(rate.0);
            *lowest = (*lowest).min(rate.0);
        }
        let channels = channels
            .iter()
            .map(|view| Ok((view.id, sales_channel::to_wire(view)?)))
            .collect::<Result<_, ApiError>>()?;
        let doc: IntelligentPropertyRegistrationRequest =
            from_document("property", property.id, &property.document.0)?;
        let (width, height) = COVER_SIZE;
        Ok(Answers {
            channels,
            documents,
            lowest_rates,
            place: place(&doc, &property.time_zone),
            currency: property.currency.clone(),
            cover: SimpleMultimedia {
                multimedia_identifier: property.id,
                identifier: crate::media::cover_url(state, property.id),
                r#type: MediaType::Image,
                source: MediaSource::Cloudinary,
                sort: 0,
                width,
                height,
                published: Some(true),
                is_landscape: Some(true),
                ..Default::default()
            },
        })
    }

    /// The wire form of `record`.
    pub fn answer(&self, record: &Record) -> Result<Inventory, ApiError> {
        let channel = self.channels.get(&record.sales_channel_id).ok_or_else(|| {
            ApiError::Internal(format!(
                "sales channel {} of a record vanished",
                record.sales_channel_id
            ))
        })?;
        let doc = self.documents.get(&record.inventory_id);
        let kind: InventoryType = serde_json::from_value(Value::String(record.kind.clone()))
            .map_err(|_| ApiError::Internal(format!("unknown inventory kind {}", record.kind)))?;
        let lowest = if record.is_master_rate() {
            self.lowest_rates.get(&record.inventory_id).copied()
        } else {
            doc.and_then(lowest_offer_price)
        };
        let place = &self.place;
        Ok(Inventory {
            id: Some(record_id(record.sales_channel_id, record.inventory_id)),
            created_date: Some(record.created_at),
            last_update: Some(record.updated_at),
            version: Some(record.version),
            sales_channel: lightweight(channel),
            inventory_type: kind,
            inventory_identifier: record.inventory_id,
            inventory_name: record.name.clone(),
            inventory_name_in_english: record.name.clone(),
            enabled: record.enabled,
            image: doc
                .and_then(first_image)
                .unwrap_or_else(|| self.cover.clone()),
            price_point: doc
                .and_then(|d| d.get("pricePoint"))
                .and_then(|p| serde_json::from_value(p.clone()).ok())
                .unwrap_or(PricePoint::Three),
            location: place.location.clone(),
            address: place.address.clone(),
            quantity: i32::try_from(record.quantity).unwrap_or(i32::MAX),
            commissionable: channel.commission.is_some_and(|c| c > 0.0),
            bookable: record.enabled && record.sellable && sells(channel),
            continent: place.continent.clone(),
            country_code: place.country_code.clone(),
            country_geo_name_id: place.country_geo_name_id.clone(),
            city_geo_name_id: place.city_geo_name_id.clone(),
            city_url_name: place.city_url_name.clone(),
            lowest_price: lowest.map(|amount| CustomMonetaryAmount {
                amount: amount.normalize(),
                currency: self.currency.clone(),
            }),
            lowest_display_price: None,
        })
    }

    pub fn answers(&self, records: &[Record]) -> Result<Vec<Inventory>, ApiError> {
        records.iter().map(|r| self.answer(r)).collect()
    }
}

/// Whether a channel sells at all (not switched off, disabled or blacklisted, its supplier
/// available): the channel's own settings, as its answer shows them.
fn sells(channel: &WireSalesChannel) -> bool {
    channel.enabled != Some(false)
        && channel.channel_disabled != Some(true)
        && !channel.blacklisted
        && channel.supplier_available
}

/// The channel as a record shows it.
pub fn lightweight(c: &WireSalesChannel) -> SalesChannelLightweight {
    SalesChannelLightweight {
        identifier: c.id.unwrap_or_default(),
        supplier_identifier: c.supplier_identifier,
        supplier_name: c.supplier_name.clone(),
        supplier_available: c.supplier_available,
        sub_type: c.sub_type,
        owner_identifier: c.owner_identifier,
        owner_name: c.owner_name.clone(),
        enabled: c.enabled,
        channel_disabled: c.channel_disabled,
        blacklisted: c.blacklisted,
        percent_discount: c.percent_discount,
        commission: c.commission,
        ..Default::default()
    }
}

/// The item's image with the lowest `sort` among its stored `multimedias` that describe a whole
/// image reference (identifier, type, source, size).
fn first_image(doc: &Value) -> Option<SimpleMultimedia> {
    doc.get("multimedias")?
        .as_array()?
        .iter()
        .filter_map(|m| serde_json::from_value::<SimpleMultimedia>(m.clone()).ok())
        .filter(|m| m.r#type == MediaType::Image && m.width > 0 && m.height > 0)
        .min_by_key(|m| m.sort)
}

/// The lowest price among an item's offers (`transactionalInventoryList`): each offer's
/// discounted price (validated in the property's currency when the item was written).
fn lowest_offer_price(doc: &Value) -> Option<Decimal> {
    doc.get("transactionalInventoryList")?
        .as_array()?
        .iter()
        .filter_map(|offer| {
            let amount = offer.get("discountedPrice")?.get("amount")?;
            serde_json::from_value::<Decimal>(amount.clone()).ok()
        })
        .min()
}

/// Where the property is: its position and address as registered, its country (the code it
/// registered, else its time zone's; `ZZ`, continent `ZZ`, GeoNames id `0` when neither names
/// one), its city's GeoNames id and a URL name for the city (`city-<GeoNames id>` when its name
/// is not written in Latin letters or was not given).
fn place(doc: &IntelligentPropertyRegistrationRequest, zone: &str) -> Place {
    let local = doc.address_local.clone().unwrap_or_default();
    let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let country = geo::locate(local.country_code.as_deref(), zone);
    let city_id = doc.address.city_geo_name_id.trim().to_string();
    let city_url_name = local
        .city
        .as_deref()
        .and_then(geo::url_name)
        .unwrap_or_else(|| match geo::url_name(&city_id) {
            Some(id) => format!("city-{id}"),
            None => "city-unknown".to_string(),
        });
    Place {
        location: doc.location.clone(),
        address: SimpleAddress {
            address1: Some(doc.address.address1.clone()),
            address2: non_empty(&doc.address.address2),
            state: non_empty(&doc.address.state),
            postal_code: Some(doc.address.postal_code.clone()),
            county: non_empty(&doc.address.county),
            city: non_empty(&local.city),
            country_code: country.map(|c| c.code.to_string()),
            country: country.map(|c| c.name.to_string()),
            full_address: None,
        },
        continent: country.map_or("ZZ", |c| c.continent).to_string(),
        country_code: country.map_or("ZZ", |c| c.code).to_string(),
        country_geo_name_id: country.map_or(0, |c| c.geo_name_id).to_string(),
        city_geo_name_id: if city_id.is_empty() {
            "0".to_string()
        } else {
            city_id
        },
        city_url_name,
    }
}
