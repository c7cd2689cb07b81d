//! Writing help for the property (tags "Property" and "Welcome Text"): suggestions written from
//! what the property has stored (see [`crate::writing`]). Nothing is saved: the client shows the
//! suggestion and saves what it keeps with the property's own operations.

use axum::Json;
use axum::extract::State;
use wink_contract::{
    DescriptionCreator, ImproveWelcomeTextRequest, KeyValuePair, SimpleDescription,
    SuggestAmenitiesRequest, SuggestProfileRequest, SuggestProfileResponse,
    SuggestWelcomeTextRequest,
};
use wink_domain::writing::{Draft, Language, code_words};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::state::AppState;
use crate::validation::ValidJson;
use crate::writing::{Ask, language, property_document, property_facts};

/// Suggest the property's profile: the profile fields filled from what is stored, and a sentence
/// on its ambiance (the owner's own words when stored).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/profile/suggest",
    operation_id = "suggest-property-profile", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    request_body = SuggestProfileRequest,
    responses((status = 200, body = SuggestProfileResponse), Problems))]
pub async fn suggest_property_profile(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<SuggestProfileRequest>,
) -> Result<Json<SuggestProfileResponse>, ApiError> {
    let language = language(&body.value.language, "/language")?;
    let facts = property_facts(&state.store, ctx.property.id).await?;
    let doc = property_document(&state.store, ctx.property.id).await?;
    let facts_text = facts.lines().join("\n");
    let ambiance = match &facts.ambiance {
        Some(own) if !own.trim().is_empty() => own.trim().to_string(),
        _ => state
            .writer
            .generate(&Ask {
                facts: &facts_text,
                task: "Write one sentence on the property's ambiance.",
                language,
            })
            .await
            .unwrap_or_else(|| facts.ambiance_text(language)),
    };
    let text = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let profile = &doc.profile;
    let local = doc.address_local.clone().unwrap_or_default();
    Ok(Json(SuggestProfileResponse {
        website: doc.website.clone().unwrap_or_default(),
        ambiance,
        address1: Some(doc.address.address1.clone()),
        address2: text(&doc.address.address2),
        address3: None,
        city: text(&local.city),
        province: text(&doc.address.state),
        postal_code: Some(doc.address.postal_code.clone()),
        country: facts.country.clone(),
        phone_number: text(&doc.reservation.phone_number),
        email_address: text(&doc.reservation.email),
        architecture: Some(profile.architecture.clone()),
        design_elements: text(&profile.design_elements),
        historic: text(&profile.historic),
        number_of_rooms: Some(profile.number_of_rooms.to_string()),
        hotel_stars: Some(profile.hotel_stars.to_string()),
        location_category: Some(profile.location_category.clone()),
        segment: Some(profile.segment.clone()),
        property_class: Some(profile.property_class.clone()),
        style: text(&profile.style),
        chain: text(&profile.chain),
        brand: text(&profile.brand),
        year_built: text(&profile.year_built),
    }))
}

/// Suggest an amenity: one the property's facilities show it has (a restaurant, a spa, meeting
/// rooms) that its amenity codes do not list yet; with none missing, the property's class.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/services/suggest",
    operation_id = "suggest-property-welcome-text_1", tag = "Property",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    request_body = SuggestAmenitiesRequest,
    responses((status = 200, body = KeyValuePair), Problems))]
pub async fn suggest_property_welcome_text_1(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<SuggestAmenitiesRequest>,
) -> Result<Json<KeyValuePair>, ApiError> {
    language(&body.value.language, "/language")?;
    let facts = property_facts(&state.store, ctx.property.id).await?;
    let (value, label) = facts.amenity_suggestion().unwrap_or_else(|| {
        let class = facts
            .class_code
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| "PROPERTY".into());
        let label = code_words(&class)
            .map(|w| wink_domain::writing::tidy_title(&w))
            .unwrap_or_else(|| class.clone());
        (class, label)
    });
    Ok(Json(KeyValuePair { value, label }))
}

/// Suggest a welcome text for the property, from its facts.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/welcome-text/suggest",
    operation_id = "suggest-property-welcome-text", tag = "Welcome Text",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    request_body = SuggestWelcomeTextRequest,
    responses((status = 200, body = SimpleDescription), Problems))]
pub async fn suggest_property_welcome_text(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<SuggestWelcomeTextRequest>,
) -> Result<Json<SimpleDescription>, ApiError> {
    let language = language(&body.value.language, "/language")?;
    let facts = property_facts(&state.store, ctx.property.id).await?;
    let facts_text = facts.lines().join("\n");
    let mut copy = facts.welcome_text(language);
    if let Some(text) = state
        .writer
        .generate(&Ask {
            facts: &facts_text,
            task: "Write a welcome text of two to four sentences for the property's page.",
            language,
        })
        .await
    {
        copy.text = text;
    }
    Ok(Json(description(copy, language)))
}

/// Improve a welcome text: the text tidied, with the property's facts it does not mention yet
/// added.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/welcome-text/improve",
    operation_id = "improve-welcome-text", tag = "Welcome Text",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    request_body = ImproveWelcomeTextRequest,
    responses((status = 200, body = SimpleDescription), Problems))]
pub async fn improve_welcome_text(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<ImproveWelcomeTextRequest>,
) -> Result<Json<SimpleDescription>, ApiError> {
    let request = &body.value;
    let language = language(&request.language, "/language")?;
    let facts = property_facts(&state.store, ctx.property.id).await?;
    let mut copy = facts.improve_welcome_text(&request.name, &request.description, language);
    let facts_text = format!(
        "{}\ncurrent welcome text: {}",
        facts.lines().join("\n"),
        request.description.trim()
    );
    if let Some(text) = state
        .writer
        .generate(&Ask {
            facts: &facts_text,
            task: "Improve the current welcome text: keep what it says, make it read well, and \
                   add facts from the list that it leaves out.",
            language,
        })
        .await
    {
        copy.text = text;
    }
    Ok(Json(description(copy, language)))
}

fn description(copy: Draft, language: Language) -> SimpleDescription {
    SimpleDescription {
        name: copy.title,
        description: copy.text,
        language: language.code().into(),
        creator: Some(DescriptionCreator::System),
        ..Default::default()
    }
}
