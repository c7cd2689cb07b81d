//! The property record: what its owner wrote after registration (stored as the `content`
//! document beside the registration document and the columns), the one answer
//! (`Property_Supplier`) built from all of it, and the one way to change it.
//!
//! Every change goes through [`edit`]: read the property, apply the change, write it back on
//! condition that nobody wrote in between (the version read). A caller that named a version
//! (`If-Match`, or `version` in the body) is refused when it is stale; one that named none gets
//! its change applied to the current record, read again after a concurrent write, so two
//! changes of different parts never lose either.

use serde::{Deserialize, Serialize};
use wink_contract::{
    Contact, EntityType, GeneralManager, GeoJsonPoint, GeoNameLightweight,
    IntelligentPropertyRegistrationRequest, KeyValuePair, Lifestyle, ManagingEntityManager,
    ManagingEntityManagerStatus, Property as WireProperty, PropertyExternalStatus,
    PropertyOwnerType, PropertyPolicy, PropertyStatus, SimpleAddress, SimpleDescription,
    SimpleMultimedia, Social, TravelInventoryRecognition,
    UpdatePropertyAmenitiesAndServicesRequest, UpsertContactInfoRequest,
    UpsertPropertyProfileRequest, UpsertSimpleDescription,
};
use wink_domain::property_record::sells;
use wink_store::accounts::Account;
use wink_store::properties::Property;
use wink_store::{Json as DbJson, Store};

use crate::auth::PropertyContext;
use crate::error::{ApiError, StoreErrorExt, from_document};
use crate::extract::Expected;
use crate::response::Resource;
use crate::state::AppState;

/// What the owner wrote after registration, each part absent until first written (the
/// registration request answers for the parts it has meanwhile). Stored as the property's
/// `content` document: descriptive content no rule reads across rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<UpsertPropertyProfileRequest>,
    /// The reservations, revenue and marketing contacts and the desk's hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<UpsertContactInfoRequest>,
    /// Amenity, accessibility and security codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<UpdatePropertyAmenitiesAndServicesRequest>,
    /// The short and long welcome texts per language (the answer's `descriptions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_texts: Option<Vec<UpsertSimpleDescription>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_manager: Option<GeneralManager>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifestyles: Vec<Lifestyle>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub socials: Vec<Social>,
    /// Absent until created: `show-property-policy` answers the defaults meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PropertyPolicy>,
}

impl Content {
    pub fn of(p: &Property) -> Result<Content, ApiError> {
        from_document("property content", p.id, &p.content.0)
    }
}

/// The texts the property was registered with (its welcome texts until the owner writes some).
pub fn registered_texts(p: &Property) -> Result<Vec<UpsertSimpleDescription>, ApiError> {
    let doc: IntelligentPropertyRegistrationRequest =
        from_document("property", p.id, &p.document.0)?;
    Ok(doc.descriptions)
}

/// Everything the property answer is built from, read by [`Parts::load`]. Parts of the record
/// other areas keep (recognitions, media, the rate provider) are one field each here and one
/// line in `load`.
pub struct Parts {
    pub property: Property,
    pub account: Account,
    pub recognitions: Vec<TravelInventoryRecognition>,
    pub multimedias: Vec<SimpleMultimedia>,
    /// The general manager's picture, a file this server keeps (`generalManager.image`).
    pub manager_picture: Option<SimpleMultimedia>,
    pub rate_provider: Option<KeyValuePair>,
}

impl Parts {
    pub async fn load(store: &Store, property: Property) -> Result<Parts, ApiError> {
        let account = store.account(property.account_id).await?;
        let recognitions = super::recognition::recognition_list(store, property.id).await?;
        let (multimedias, manager_picture) =
            super::media::property_media(store, property.id).await?;
        let rate_provider =
            super::channel_manager::rate_provider_pair(store.rate_provider(property.id).await?);
        Ok(Parts {
            property,
            account,
            recognitions,
            multimedias,
            manager_picture,
            rate_provider,
        })
    }
}

/// The answer every property operation gives: the property as stored now, with its `ETag`.
pub async fn answer(store: &Store, property: Property) -> Result<Resource<WireProperty>, ApiError> {
    let version = property.version;
    let parts = Parts::load(store, property).await?;
    Ok(Resource::ok(to_wire(&parts)?, version))
}

/// How often a change that named no version is tried again after concurrent writes.
const ATTEMPTS: usize = 8;

/// Applies `change` to the property of `ctx` and answers the property as stored after it.
///
/// `change` gets the stored row (its status, time zone and point are its own columns) and the
/// owner's content, and may refuse with a problem; it runs again on a fresh read when another
/// write came in between and the caller named no version. The version goes up by one.
pub async fn edit<F>(
    state: &AppState,
    ctx: &PropertyContext,
    expected: Expected,
    mut change: F,
) -> Result<Resource<WireProperty>, ApiError>
where
    F: FnMut(&mut Property, &mut Content) -> Result<(), ApiError>,
{
    for _ in 0..ATTEMPTS {
        let mut row = state.store.property(ctx.property.id).await?;
        if let Some(v) = expected.version()
            && v != row.version
        {
            return Err(expected.refuse_stale(row.version));
        }
        let mut content = Content::of(&row)?;
        change(&mut row, &mut content)?;
        row.content =
            DbJson(serde_json::to_value(&content).map_err(|e| ApiError::Internal(e.to_string()))?);
        row.updated_at = state.now();
        match state.store.update_property(&row, row.version).await {
            Ok(stored) => return answer(&state.store, stored).await,
            Err(e) if e.stale_version().is_some() && expected.version().is_none() => continue,
            Err(e) => return Err(expected.refuse(e)),
        }
    }
    Err(ApiError::Unavailable(
        "the property kept changing while this change was applied; retry".into(),
    ))
}

/// The property's point as GeoJSON (`coordinates` [longitude, latitude], `x`/`y` the same): the
/// stored columns, or the registration's point for a row that has none.
pub fn point(p: &Property, registered: &GeoJsonPoint) -> GeoJsonPoint {
    match (p.longitude, p.latitude) {
        (Some(lng), Some(lat)) => GeoJsonPoint {
            x: Some(lng),
            y: Some(lat),
            coordinates: vec![lng, lat],
            r#type: Some("Point".into()),
        },
        _ => registered.clone(),
    }
}

/// A contact as answered: the read-only parts left out, absent when nothing is left.
fn contact(c: &Contact) -> Option<Contact> {
    let c = Contact {
        summary: None,
        full_name: None,
        ..c.clone()
    };
    (c != Contact::default()).then_some(c)
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.clone().filter(|s| !s.trim().is_empty())
}

/// The wire form of the property: every field of the contract, filled from what is stored.
pub fn to_wire(parts: &Parts) -> Result<WireProperty, ApiError> {
    let p = &parts.property;
    let account = &parts.account;
    let doc: IntelligentPropertyRegistrationRequest =
        from_document("property", p.id, &p.document.0)?;
    let content = Content::of(p)?;
    let manager = ManagingEntityManager {
        email: doc.account_email.clone(),
        status: Some(ManagingEntityManagerStatus::Accepted),
        user_identifier: Some(account.id),
        phone_number: Some(doc.account_phone_number.clone()),
        owner: Some(true),
        name: Some(account.name.clone()),
        active: Some(true),
        ..Default::default()
    };
    let local = doc.address_local.clone().unwrap_or_default();
    let address = SimpleAddress {
        address1: Some(doc.address.address1.clone()),
        address2: non_empty(&doc.address.address2),
        state: non_empty(&doc.address.state),
        postal_code: Some(doc.address.postal_code.clone()),
        county: non_empty(&doc.address.county),
        city: local.city.clone(),
        country_code: local.country_code.clone(),
        full_address: None,
        country: None,
    };
    let location = point(p, &doc.location);
    let google_maps_url = match (p.longitude, p.latitude) {
        (Some(lng), Some(lat)) => Some(format!(
            "https://www.google.com/maps/search/?api=1&query={lat},{lng}"
        )),
        _ => None,
    };
    let selling = sells(&p.status);
    // The profile: as last written, else as registered.
    let registered = &doc.profile;
    let profile = content
        .profile
        .clone()
        .unwrap_or(UpsertPropertyProfileRequest {
            stars: registered.hotel_stars,
            hotel_chain: non_empty(&registered.chain),
            hotel_brand: non_empty(&registered.brand),
            when_built: non_empty(&registered.year_built),
            website: non_empty(&doc.website),
            license_number: None,
            number_of_rooms: registered.number_of_rooms,
            location_category: registered.location_category.clone(),
            segment_category: registered.segment.clone(),
            hotel_category: registered.property_class.clone(),
            architectural_style: registered.architecture.clone(),
        });
    let (reservations, revenue, marketing, desk_start, desk_end) = match &content.contacts {
        Some(c) => (
            contact(&c.reservations_contact),
            contact(&c.revenue_contact),
            contact(&c.marketing_contact),
            Some(c.reservation_desk_start_time.clone()),
            Some(c.reservation_desk_end_time.clone()),
        ),
        None => (
            contact(&doc.reservation),
            contact(&doc.revenue),
            contact(&doc.marketing),
            None,
            None,
        ),
    };
    let services =
        content
            .services
            .clone()
            .unwrap_or_else(|| UpdatePropertyAmenitiesAndServicesRequest {
                hotel_amenity_codes: doc.hotel_amenity_codes.clone(),
                property_accessibility_codes: doc.property_accessibility_codes.clone(),
                property_security_codes: doc.property_security_codes.clone(),
            });
    let texts = content.welcome_texts.as_ref().unwrap_or(&doc.descriptions);
    Ok(WireProperty {
        id: Some(p.id),
        created_date: Some(p.created_at),
        last_update: Some(p.updated_at),
        version: Some(p.version),
        user_identifier: p.registered_by,
        managing_entity_identifier: p.id,
        owner_identifier: p.account_id,
        managers: vec![manager],
        managed_by: None,
        owner_type: PropertyOwnerType::Company,
        r#type: EntityType::Hotel,
        name: p.name.clone(),
        legal_name: non_empty(&doc.legal_name).unwrap_or_else(|| p.name.clone()),
        url_name: p.url_name.clone(),
        unique_id: p.unique_code.clone(),
        currency_code: p.currency.clone(),
        status: if selling {
            PropertyStatus::Active
        } else {
            PropertyStatus::Inactive
        },
        city: GeoNameLightweight {
            geo_name_id: Some(doc.address.city_geo_name_id.clone()),
            name: local.city.clone(),
            country_code: local.country_code.clone(),
            timezone: Some(p.time_zone.clone()),
            location: Some(location.clone()),
            ..Default::default()
        },
        address: Some(address),
        place_id: None,
        hotel_code: p.hotel_code.clone(),
        local_name: non_empty(&doc.local_name),
        external_status: if selling {
            PropertyExternalStatus::Active
        } else {
            PropertyExternalStatus::Inactive
        },
        multimedias: parts.multimedias.clone(),
        recognition_list: parts.recognitions.clone(),
        location_category: Some(profile.location_category),
        segment_category: Some(profile.segment_category),
        hotel_category: Some(profile.hotel_category),
        architectural_style: Some(profile.architectural_style),
        when_built: non_empty(&profile.when_built),
        hotel_chain: non_empty(&profile.hotel_chain),
        hotel_brand: non_empty(&profile.hotel_brand),
        other_channel_manager: None,
        license_number: non_empty(&profile.license_number),
        stars: Some(profile.stars),
        general_manager: match (
            content.general_manager.clone(),
            parts.manager_picture.clone(),
        ) {
            (manager, None) => manager,
            (manager, Some(picture)) => Some(GeneralManager {
                image: Some(picture),
                ..manager.unwrap_or_default()
            }),
        },
        descriptions: texts
            .iter()
            .map(|d| SimpleDescription {
                name: d.name.clone(),
                description: d.description.clone(),
                language: d.language.clone(),
                ..Default::default()
            })
            .collect(),
        hotel_amenity_codes: services.hotel_amenity_codes,
        property_accessibility_codes: services.property_accessibility_codes,
        property_security_codes: services.property_security_codes,
        location_point: Some(location),
        policy: content.policy.clone(),
        socials: content.socials.clone(),
        reservations_contact: reservations,
        revenue_contact: revenue,
        marketing_contact: marketing,
        lifestyle_types: content.lifestyles.clone(),
        green_index_scores: None,
        number_of_rooms: profile.number_of_rooms,
        reservation_desk_start_time: desk_start,
        reservation_desk_end_time: desk_end,
        website: non_empty(&profile.website),
        google_maps_url,
        rate_provider: parts.rate_provider.clone(),
        metadata: Default::default(),
        social_networks: Some(!content.socials.is_empty()),
        lifestyles: Some(!content.lifestyles.is_empty()),
        // No approval workflow on this server: a registered property is approved.
        platform_active: Some(true),
        property_active: Some(selling),
        active: Some(selling),
    })
}
