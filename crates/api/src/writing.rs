//! Writing help: the facts a suggestion is written from (read from the store), and the optional
//! language model behind it.
//!
//! By default every suggestion comes from the deterministic writer of [`wink_domain::writing`].
//! With a `[writing]` table in the configuration, an OpenAI-compatible chat-completions endpoint
//! is asked first, prompted with the same facts and told to use nothing else; its answer is used
//! when it arrives within the timeout, with a 2xx status, in the chat-completions shape, and
//! passes [`wink_domain::writing::acceptable`] (no number the facts do not hold). Anything else
//! (timeout, refused connection, error status, another shape, a made-up number) is logged and the
//! deterministic writer answers instead. Nothing is saved.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::{IntelligentPropertyRegistrationRequest, UpsertRoomTypeRequest};
use wink_domain::writing::{Facility, FacilityKind, Language, PropertyFacts, RoomFacts};
use wink_store::Store;
use wink_store::inventory::Kind;
use wink_store::room_types::RoomType;

use crate::error::{ApiError, from_document};

/// The default time a language model has to answer.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 10;

/// The longest text taken from a language model.
pub const MAX_ANSWER_CHARS: usize = 4_000;

/// The config file's `[writing]` table: an OpenAI-compatible chat-completions endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WritingConfig {
    /// The chat-completions URL, e.g. `https://api.openai.com/v1/chat/completions`.
    pub url: String,
    pub model: String,
    /// The environment variable holding the API key (sent as a bearer token); none for an
    /// endpoint without a key (a local model server).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// How long the endpoint has to answer before the deterministic writer answers instead.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECONDS
}

/// An API key; never shown in logs or `Debug` output.
#[derive(Clone)]
struct ApiKey(String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

#[derive(Debug)]
struct Endpoint {
    client: reqwest::Client,
    url: String,
    model: String,
    key: Option<ApiKey>,
    timeout: Duration,
}

/// Writes suggestions: through the configured language model when there is one and it answers
/// well, else deterministically.
#[derive(Debug, Default)]
pub struct Writer {
    endpoint: Option<Endpoint>,
}

/// What to ask a language model for.
pub struct Ask<'a> {
    /// The facts, one per line: the only thing the model may use.
    pub facts: &'a str,
    /// What to write, in a sentence.
    pub task: &'a str,
    pub language: Language,
}

impl Writer {
    /// A writer for `config` (none: the deterministic writer alone). The API key is read from the
    /// environment variable the config names, now; a named variable that is not set is an error.
    pub fn new(config: Option<&WritingConfig>) -> Result<Writer, String> {
        let Some(config) = config else {
            return Ok(Writer::default());
        };
        if !(config.url.starts_with("http://") || config.url.starts_with("https://")) {
            return Err(format!(
                "writing.url must be an http(s) URL, not {:?}",
                config.url
            ));
        }
        let key = match &config.api_key_env {
            None => None,
            Some(name) => Some(ApiKey(std::env::var(name).map_err(|_| {
                format!("writing.api_key_env names {name}, which is not set")
            })?)),
        };
        let timeout = Duration::from_secs(config.timeout_seconds.max(1));
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| format!("writing: HTTP client: {e}"))?;
        Ok(Writer {
            endpoint: Some(Endpoint {
                client,
                url: config.url.clone(),
                model: config.model.clone(),
                key,
                timeout,
            }),
        })
    }

    /// The model's text for `ask`, or none (no model configured, or its answer not taken: the
    /// reason is logged).
    pub async fn generate(&self, ask: &Ask<'_>) -> Option<String> {
        let endpoint = self.endpoint.as_ref()?;
        let answer = tokio::time::timeout(endpoint.timeout, endpoint.complete(ask)).await;
        let text = match answer {
            Err(_) => {
                tracing::warn!(url = %endpoint.url, timeout = ?endpoint.timeout, "writing: the model did not answer in time; writing deterministically");
                return None;
            }
            Ok(Err(reason)) => {
                tracing::warn!(url = %endpoint.url, %reason, "writing: the model's answer is unusable; writing deterministically");
                return None;
            }
            Ok(Ok(text)) => text,
        };
        let text = text.trim().to_string();
        if !wink_domain::writing::acceptable(&text, ask.facts, MAX_ANSWER_CHARS) {
            tracing::warn!(url = %endpoint.url, "writing: the model's text is blank, too long or states numbers the facts do not hold; writing deterministically");
            return None;
        }
        Some(text)
    }
}

impl Endpoint {
    async fn complete(&self, ask: &Ask<'_>) -> Result<String, String> {
        let system = format!(
            "You write copy for a hotel's listing, in {}. Use only the facts the user gives; \
             do not add any fact, number, amenity, view, award or place that they do not state. \
             Answer with the text alone, no preamble, no markdown.",
            ask.language.name()
        );
        let user = format!("Facts:\n{}\n\nTask: {}", ask.facts, ask.task);
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user }
            ]
        });
        let mut request = self.client.post(&self.url).json(&body);
        if let Some(key) = &self.key {
            request = request.bearer_auth(&key.0);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("status {status}"));
        }
        let answer: Value = response.json().await.map_err(|e| e.to_string())?;
        answer
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| "no choices[0].message.content in the answer".to_string())
    }
}

/// The language a request asks for, when the server writes it; else a 400 naming `field`.
pub fn language(tag: &str, field: &str) -> Result<Language, ApiError> {
    Language::parse(tag).ok_or_else(|| {
        ApiError::field(
            field,
            format!(
                "the server writes only in {}",
                wink_domain::writing::SUPPORTED_LANGUAGES.join(", ")
            ),
        )
    })
}

/// The stored property's registration document.
pub async fn property_document(
    store: &Store,
    property: Uuid,
) -> Result<IntelligentPropertyRegistrationRequest, ApiError> {
    let stored = store.property(property).await?;
    from_document("property", stored.id, &stored.document.0)
}

/// What the property has stored that a text about it may say.
pub async fn property_facts(store: &Store, property: Uuid) -> Result<PropertyFacts, ApiError> {
    let stored = store.property(property).await?;
    let doc: IntelligentPropertyRegistrationRequest =
        from_document("property", stored.id, &stored.document.0)?;
    let local = doc.address_local.clone().unwrap_or_default();
    let country = wink_domain::geo::locate(local.country_code.as_deref(), &stored.time_zone)
        .map(|c| c.name.to_string());
    let mut facilities = Vec::new();
    for (kind, facility) in [
        (Kind::Restaurant, FacilityKind::Restaurant),
        (Kind::Spa, FacilityKind::Spa),
        (Kind::MeetingRoom, FacilityKind::MeetingRoom),
    ] {
        for item in store.inventory_items(property, kind).await? {
            facilities.push(Facility {
                kind: facility,
                name: item.name,
            });
        }
    }
    let room_types = store
        .room_types(property)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    Ok(PropertyFacts {
        name: stored.name,
        class_code: Some(doc.profile.property_class.clone()),
        city: local.city.clone(),
        country,
        stars: Some(doc.profile.hotel_stars),
        rooms: Some(doc.profile.number_of_rooms),
        year_built: doc.profile.year_built.clone(),
        ambiance: doc.profile.ambiance.clone(),
        amenity_codes: doc.hotel_amenity_codes.clone(),
        facilities,
        room_types,
    })
}

/// The stored room type's content.
pub fn room_document(room: &RoomType) -> Result<UpsertRoomTypeRequest, ApiError> {
    from_document("room type", room.id, &room.document.0)
}

/// What a room type has stored that a text about it may say. Beds are named only when the room
/// has one bedroom configuration (several are alternatives, not beds side by side).
pub fn room_facts(room: &RoomType) -> Result<RoomFacts, ApiError> {
    let doc = room_document(room)?;
    let beds = match doc.bedroom_configuration_list.as_slice() {
        [one] => one
            .bedroom_list
            .iter()
            .flat_map(|b| b.bed_list.iter())
            .map(|b| (b.bed_type_code.clone(), b.quantity))
            .collect(),
        _ => Vec::new(),
    };
    Ok(RoomFacts {
        name: room.name.clone(),
        size: Some(doc.size),
        max_occupancy: Some(room.max_occupancy),
        max_adults: Some(room.max_adults),
        max_children: Some(room.max_children),
        beds,
        view_code: Some(doc.room_view_code.clone()),
        bathrooms: Some(doc.bathroom_count),
        non_smoking: doc.non_smoking,
        amenity_codes: doc.amenities.clone(),
    })
}
