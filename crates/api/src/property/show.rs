//! Tag "Property": the property as its manager sees it.

use axum::extract::State;
use wink_contract::{
    Contact, EntityType, GeoNameLightweight, IntelligentPropertyRegistrationRequest,
    ManagingEntityManager, ManagingEntityManagerStatus, Property as WireProperty,
    PropertyExternalStatus, PropertyOwnerType, PropertyStatus, SimpleAddress, SimpleDescription,
};
use wink_store::accounts::Account;
use wink_store::properties::Property;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::response::Resource;
use crate::state::AppState;

/// Show the property.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property",
    operation_id = "show-hotel-by-manager", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    responses((status = 200, body = WireProperty), Problems))]
pub async fn show_hotel_by_manager(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Resource<WireProperty>, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    let account = state.store.account(property.account_id).await?;
    let mut wire = to_wire(&property, &account)?;
    super::media::add_media(&state, &mut wire, property.id).await?;
    Ok(Resource::ok(wire, property.version))
}

/// The wire form of a stored property.
pub fn to_wire(p: &Property, account: &Account) -> Result<WireProperty, ApiError> {
    let doc: IntelligentPropertyRegistrationRequest =
        from_document("property", p.id, &p.document.0)?;
    let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let contact = |c: &Contact| -> Option<Contact> {
        let c = Contact {
            summary: None,
            full_name: None,
            ..c.clone()
        };
        (c != Contact::default()).then_some(c)
    };
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
    Ok(WireProperty {
        id: Some(p.id),
        created_date: Some(p.created_at),
        last_update: Some(p.updated_at),
        version: Some(p.version),
        user_identifier: p.registered_by,
        managing_entity_identifier: p.id,
        owner_identifier: p.account_id,
        managers: vec![manager],
        owner_type: PropertyOwnerType::Company,
        r#type: EntityType::Hotel,
        name: p.name.clone(),
        legal_name: non_empty(&doc.legal_name).unwrap_or_else(|| p.name.clone()),
        url_name: p.url_name.clone(),
        unique_id: p.unique_code.clone(),
        currency_code: p.currency.clone(),
        status: match p.status.as_str() {
            "INACTIVE" => PropertyStatus::Inactive,
            _ => PropertyStatus::Active,
        },
        city: GeoNameLightweight {
            geo_name_id: Some(doc.address.city_geo_name_id.clone()),
            name: local.city.clone(),
            country_code: local.country_code.clone(),
            timezone: Some(p.time_zone.clone()),
            location: Some(doc.location.clone()),
            ..Default::default()
        },
        address: Some(address),
        hotel_code: p.hotel_code.clone(),
        local_name: non_empty(&doc.local_name),
        external_status: PropertyExternalStatus::Active,
        location_category: Some(doc.profile.location_category.clone()),
        segment_category: Some(doc.profile.segment.clone()),
        hotel_category: Some(doc.profile.property_class.clone()),
        architectural_style: Some(doc.profile.architecture.clone()),
        when_built: non_empty(&doc.profile.year_built),
        hotel_chain: non_empty(&doc.profile.chain),
        hotel_brand: non_empty(&doc.profile.brand),
        stars: Some(doc.profile.hotel_stars),
        descriptions: doc
            .descriptions
            .iter()
            .map(|d| SimpleDescription {
                name: d.name.clone(),
                description: d.description.clone(),
                language: d.language.clone(),
                ..Default::default()
            })
            .collect(),
        hotel_amenity_codes: doc.hotel_amenity_codes.clone(),
        property_accessibility_codes: doc.property_accessibility_codes.clone(),
        property_security_codes: doc.property_security_codes.clone(),
        location_point: Some(doc.location.clone()),
        reservations_contact: contact(&doc.reservation),
        revenue_contact: contact(&doc.revenue),
        marketing_contact: contact(&doc.marketing),
        number_of_rooms: doc.profile.number_of_rooms,
        website: non_empty(&doc.website),
        property_active: Some(p.status == "ACTIVE"),
        active: Some(p.status == "ACTIVE"),
        ..Default::default()
    })
}
