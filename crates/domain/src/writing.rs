//! Writing help: copy for a property and its rooms, written from what the property has stored and
//! nothing else.
//!
//! The writer is deterministic (the same facts give the same text, whatever order lists came in)
//! and never states a fact its input does not hold: every number it writes is a number of the
//! facts, every amenity, view or bed it names is one the facts name, and when a fact is missing
//! the sentence that would carry it is left out rather than filled in. Codes are named only when
//! their meaning is certain: a code that is itself words (`SWIMMING_POOL`, `OCEAN_VIEW`) is
//! written as those words, the bed type codes the contract itself explains (1 double, 2 twin,
//! 7 queen, 8 king) by their names; any other code (a bare OTA number) is not named.
//!
//! It writes English only ([`Language`]); an optional language model (configured in the API) is
//! prompted with the same facts ([`PropertyFacts::lines`], [`RoomFacts::lines`]) and its answer
//! is taken only when [`acceptable`] says so.

use std::collections::BTreeSet;

/// The languages the writer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
}

/// The language tags the server writes, for error messages and documentation.
pub const SUPPORTED_LANGUAGES: &[&str] = &["en"];

impl Language {
    /// `en`, `en-GB`, `EN_us`...: the language of a BCP 47-like tag, when the writer writes it.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::English),
            _ => None,
        }
    }

    /// The two-letter code answered with a text.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
        }
    }

    /// The language's English name (for a model's prompt).
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
        }
    }
}

/// A facility of the property that has a name of its own (a restaurant, a spa, a meeting room).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Facility {
    pub kind: FacilityKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FacilityKind {
    Restaurant,
    Spa,
    MeetingRoom,
}

impl FacilityKind {
    fn noun(self) -> &'static str {
        match self {
            FacilityKind::Restaurant => "restaurant",
            FacilityKind::Spa => "spa",
            FacilityKind::MeetingRoom => "meeting room",
        }
    }

    /// The amenity code and label this kind of facility suggests.
    fn amenity(self) -> (&'static str, &'static str) {
        match self {
            FacilityKind::Restaurant => ("RESTAURANT", "Restaurant"),
            FacilityKind::Spa => ("SPA", "Spa"),
            FacilityKind::MeetingRoom => ("MEETING_ROOMS", "Meeting rooms"),
        }
    }
}

/// What is stored about a property, as the writer reads it. Empty strings count as missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PropertyFacts {
    pub name: String,
    /// The property class code (`HOTEL`, `RESORT`...).
    pub class_code: Option<String>,
    pub city: Option<String>,
    /// The country's English name.
    pub country: Option<String>,
    pub stars: Option<i32>,
    pub rooms: Option<i32>,
    pub year_built: Option<String>,
    /// The owner's own words about the place.
    pub ambiance: Option<String>,
    /// The property's amenity codes (as stored).
    pub amenity_codes: Vec<String>,
    pub facilities: Vec<Facility>,
    /// Names of its room types.
    pub room_types: Vec<String>,
}

/// What is stored about a room type, as the writer reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomFacts {
    pub name: String,
    /// Square metres.
    pub size: Option<f64>,
    pub max_occupancy: Option<i32>,
    pub max_adults: Option<i32>,
    pub max_children: Option<i32>,
    /// Bed type codes and how many of each, over all bedrooms.
    pub beds: Vec<(String, i32)>,
    pub view_code: Option<String>,
    pub bathrooms: Option<i32>,
    pub non_smoking: bool,
    pub amenity_codes: Vec<String>,
}

/// A title and a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub text: String,
}

/// The words of a code made of words (`SWIMMING_POOL` → `swimming pool`); none for a code
/// holding anything else (a number), whose meaning the writer cannot be sure of.
pub fn code_words(code: &str) -> Option<String> {
    let code = code.trim();
    let letters = code.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if letters < 2
        || !code
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | ' '))
    {
        return None;
    }
    let words: Vec<String> = code
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    Some(words.join(" "))
}

/// The name of a bed type code: its words, or the contract's own numeric codes.
pub fn bed_name(code: &str) -> Option<String> {
    match code.trim() {
        "1" => Some("double".into()),
        "2" => Some("twin".into()),
        "7" => Some("queen".into()),
        "8" => Some("king".into()),
        other => code_words(other).map(|w| w.trim_end_matches(" bed").to_string()),
    }
}

/// The words of a view code, ending in "view" (`OCEAN` → `ocean view`).
pub fn view_name(code: &str) -> Option<String> {
    let words = code_words(code)?;
    Some(if words.ends_with("view") {
        words
    } else {
        format!("{words} view")
    })
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Sorted, deduplicated words of the codes that are words.
fn amenity_words(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .filter_map(|c| code_words(c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn plural(n: i32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl PropertyFacts {
    fn kind(&self) -> String {
        present(&self.class_code)
            .and_then(code_words)
            .unwrap_or_else(|| "property".into())
    }

    fn place(&self) -> Option<String> {
        match (present(&self.city), present(&self.country)) {
            (Some(city), Some(country)) if city != country => Some(format!("{city}, {country}")),
            (Some(city), _) => Some(city.to_string()),
            (None, Some(country)) => Some(country.to_string()),
            (None, None) => None,
        }
    }

    /// The opening sentence: what and where the property is.
    fn introduction(&self) -> String {
        let stars = match self.stars {
            Some(n) if n > 0 => format!("{n}-star "),
            _ => String::new(),
        };
        let kind = self.kind();
        let article = if stars.is_empty() && kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        let place = self.place().map(|p| format!(" in {p}")).unwrap_or_default();
        format!("{} is {article} {stars}{kind}{place}.", self.name.trim())
    }

    /// Sentences about the rooms, facilities and amenities, each with the words that mark it
    /// (to tell whether a text already says it).
    fn detail_sentences(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        let mut rooms: Vec<String> = self
            .room_types
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        rooms.sort();
        rooms.dedup();
        match (self.rooms.filter(|n| *n > 0), rooms.is_empty()) {
            (Some(n), true) => out.push((
                format!("It has {}.", plural(n, "room", "rooms")),
                vec![n.to_string()],
            )),
            (Some(n), false) => out.push((
                format!(
                    "It has {}: {}.",
                    plural(n, "room", "rooms"),
                    and_list(&rooms)
                ),
                rooms.clone(),
            )),
            (None, false) => out.push((format!("Its rooms: {}.", and_list(&rooms)), rooms.clone())),
            (None, true) => {}
        }
        let mut facilities = self.facilities.clone();
        facilities.retain(|f| !f.name.trim().is_empty());
        facilities.sort();
        facilities.dedup();
        if !facilities.is_empty() {
            let named: Vec<String> = facilities
                .iter()
                .map(|f| format!("the {} {}", f.kind.noun(), f.name.trim()))
                .collect();
            out.push((
                format!("Guests will find {}.", and_list(&named)),
                facilities
                    .iter()
                    .map(|f| f.name.trim().to_string())
                    .collect(),
            ));
        }
        let amenities = amenity_words(&self.amenity_codes);
        if !amenities.is_empty() {
            out.push((
                format!("Amenities include {}.", and_list(&amenities)),
                amenities,
            ));
        }
        if let Some(year) = present(&self.year_built) {
            out.push((format!("It was built in {year}."), vec![year.to_string()]));
        }
        out
    }

    /// A welcome text: the property's name and a description from its facts.
    pub fn welcome_text(&self, _language: Language) -> Draft {
        let mut sentences = vec![self.introduction()];
        sentences.extend(self.detail_sentences().into_iter().map(|(s, _)| s));
        if let Some(ambiance) = present(&self.ambiance) {
            sentences.push(finish(ambiance));
        }
        Draft {
            title: self.name.trim().to_string(),
            text: sentences.join(" "),
        }
    }

    /// A text about the place's feel: the owner's own words when stored, else its introduction.
    pub fn ambiance_text(&self, _language: Language) -> String {
        present(&self.ambiance)
            .map(finish)
            .unwrap_or_else(|| self.introduction())
    }

    /// The owner's text tidied, with the facts it does not mention yet added after it.
    pub fn improve_welcome_text(&self, title: &str, text: &str, _language: Language) -> Draft {
        let mut out = tidy(text);
        let lower = out.to_lowercase();
        let place = self.place();
        let mentions_place = [present(&self.city), present(&self.country)]
            .into_iter()
            .flatten()
            .any(|p| lower.contains(&p.to_lowercase()));
        if place.is_some() && !mentions_place {
            push_sentence(&mut out, &self.introduction());
        }
        for (sentence, marks) in self.detail_sentences() {
            if !marks.iter().all(|m| lower.contains(&m.to_lowercase())) {
                push_sentence(&mut out, &sentence);
            }
        }
        Draft {
            title: tidy_title(if title.trim().is_empty() {
                self.name.as_str()
            } else {
                title
            }),
            text: out,
        }
    }

    /// An amenity to add to the property's list: one its named facilities show it has but its
    /// amenity codes do not list yet (the first by kind); none when there is nothing to suggest.
    pub fn amenity_suggestion(&self) -> Option<(String, String)> {
        let listed: BTreeSet<String> = self
            .amenity_codes
            .iter()
            .filter_map(|c| code_words(c))
            .collect();
        let kinds: BTreeSet<FacilityKind> = self.facilities.iter().map(|f| f.kind).collect();
        kinds.into_iter().find_map(|kind| {
            let (code, label) = kind.amenity();
            let words = code_words(code)?;
            let singular = words.trim_end_matches('s').to_string();
            (!listed.contains(&words) && !listed.contains(&singular))
                .then(|| (code.to_string(), label.to_string()))
        })
    }

    /// The facts as `label: value` lines, for a language model's prompt.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("name: {}", self.name.trim())];
        lines.push(format!("type: {}", self.kind()));
        if let Some(place) = self.place() {
            lines.push(format!("location: {place}"));
        }
        if let Some(stars) = self.stars.filter(|n| *n > 0) {
            lines.push(format!("stars: {stars}"));
        }
        if let Some(year) = present(&self.year_built) {
            lines.push(format!("year built: {year}"));
        }
        for (sentence, _) in self.detail_sentences() {
            lines.push(format!("fact: {sentence}"));
        }
        if let Some(ambiance) = present(&self.ambiance) {
            lines.push(format!("owner's description of the ambiance: {ambiance}"));
        }
        lines
    }
}

impl RoomFacts {
    fn beds(&self) -> Vec<String> {
        let mut counted: std::collections::BTreeMap<String, i32> = Default::default();
        let mut unnamed = 0;
        for (code, n) in &self.beds {
            if *n <= 0 {
                continue;
            }
            match bed_name(code) {
                Some(name) => *counted.entry(name).or_default() += n,
                None => unnamed += n,
            }
        }
        let mut out: Vec<String> = counted
            .into_iter()
            .map(|(name, n)| format!("{n} {name} {}", if n == 1 { "bed" } else { "beds" }))
            .collect();
        if unnamed > 0 {
            let more = if out.is_empty() { "" } else { "other " };
            out.push(plural(
                unnamed,
                &format!("{more}bed"),
                &format!("{more}beds"),
            ));
        }
        out
    }

    /// Sentences about the room, each with the words that mark it.
    fn sentences(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        let name = self.name.trim();
        let mut first = Vec::new();
        let mut marks = Vec::new();
        if let Some(size) = self.size.filter(|s| *s > 0.0) {
            first.push(format!("measures {} m²", number(size)));
            marks.push(number(size));
        }
        if let Some(n) = self.max_occupancy.filter(|n| *n > 0) {
            let mut sleeps = format!("sleeps up to {}", plural(n, "guest", "guests"));
            match (
                self.max_adults.filter(|n| *n > 0),
                self.max_children.filter(|n| *n > 0),
            ) {
                (Some(a), Some(c)) => sleeps.push_str(&format!(
                    " ({} and {} at most)",
                    plural(a, "adult", "adults"),
                    plural(c, "child", "children")
                )),
                (Some(a), None) if a != n => {
                    sleeps.push_str(&format!(" ({} at most)", plural(a, "adult", "adults")))
                }
                _ => {}
            }
            first.push(sleeps);
            marks.push(n.to_string());
        }
        if !first.is_empty() {
            out.push((format!("The {name} {}.", and_list(&first)), marks));
        }
        let beds = self.beds();
        if !beds.is_empty() {
            let marks = beds.clone();
            out.push((format!("It has {}.", and_list(&beds)), marks));
        }
        if let Some(view) = present(&self.view_code).and_then(view_name) {
            out.push((format!("It offers a {view}."), vec![view]));
        }
        if let Some(n) = self.bathrooms.filter(|n| *n > 0) {
            out.push((
                format!("It has {}.", plural(n, "bathroom", "bathrooms")),
                vec!["bathroom".into()],
            ));
        }
        let amenities = amenity_words(&self.amenity_codes);
        if !amenities.is_empty() {
            out.push((format!("In the room: {}.", and_list(&amenities)), amenities));
        }
        if self.non_smoking {
            out.push(("The room is non-smoking.".into(), vec!["smoking".into()]));
        }
        out
    }

    /// A room's title and description: the title (or the room's name) tidied, the description
    /// tidied, and the room's facts it does not mention yet added after it.
    pub fn improve(&self, title: Option<&str>, text: Option<&str>) -> Draft {
        let title = title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(self.name.as_str());
        let mut out = tidy(text.unwrap_or(""));
        let lower = out.to_lowercase();
        for (sentence, marks) in self.sentences() {
            if !marks.iter().all(|m| lower.contains(&m.to_lowercase())) {
                push_sentence(&mut out, &sentence);
            }
        }
        if out.is_empty() {
            out = format!("The {}.", self.name.trim());
        }
        Draft {
            title: tidy_title(title),
            text: out,
        }
    }

    /// The facts as `label: value` lines, for a language model's prompt.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("room name: {}", self.name.trim())];
        for (sentence, _) in self.sentences() {
            lines.push(format!("fact: {sentence}"));
        }
        lines
    }
}

/// `text` with runs of white space made one space, spaces before punctuation removed, the first
/// letter capital and a full stop at the end when it has no closing punctuation.
pub fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    for c in collapsed.chars() {
        if matches!(c, ',' | '.' | ';' | ':' | '!' | '?') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    if out.is_empty() {
        return out;
    }
    let mut chars = out.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let out = format!("{}{}", first.unwrap_or_default(), chars.as_str());
    finish(&out)
}

/// `text` ending with closing punctuation.
fn finish(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '"', '\'', ')']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

fn push_sentence(out: &mut String, sentence: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(sentence);
}

/// A title with runs of white space made one space and each word's first letter capital (the
/// rest of each word as written, so `XL` and `iPad` stay).
pub fn tidy_title(title: &str) -> String {
    title
        .split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of a copy, marked in the name's language (`Deluxe` → `Deluxe (copy)`; in French
/// `(copie)`...); languages without a mark of their own get the English one.
pub fn copy_name(name: &str, language: &str) -> String {
    let primary = language
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let mark = match primary.as_str() {
        "fr" => "copie",
        "de" => "Kopie",
        "es" | "it" => "copia",
        "pt" => "cópia",
        "nl" => "kopie",
        _ => "copy",
    };
    format!("{} ({mark})", name.trim())
}

/// Whether a language model's answer may be shown: not blank, at most `max_chars`, no control
/// characters but line breaks, and every number in it is a number of `facts` (a model that
/// makes up a star rating, a size or a year is not believed).
pub fn acceptable(answer: &str, facts: &str, max_chars: usize) -> bool {
    let answer = answer.trim();
    if answer.is_empty() || answer.chars().count() > max_chars {
        return false;
    }
    if answer.chars().any(|c| c.is_control() && c != '\n') {
        return false;
    }
    let known: BTreeSet<String> = numbers(facts).collect();
    numbers(answer).all(|n| known.contains(&n))
}

/// The runs of digits in `text`.
fn numbers(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('0').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hotel() -> PropertyFacts {
        PropertyFacts {
            name: "Baan Suan".into(),
            class_code: Some("BOUTIQUE_HOTEL".into()),
            city: Some("Chiang Mai".into()),
            country: Some("Thailand".into()),
            stars: Some(4),
            rooms: Some(24),
            year_built: Some("1998".into()),
            ambiance: None,
            amenity_codes: vec!["SWIMMING_POOL".into(), "FREE_WIFI".into(), "17".into()],
            facilities: vec![Facility {
                kind: FacilityKind::Restaurant,
                name: "Khao Soi House".into(),
            }],
            room_types: vec!["Garden Suite".into(), "Deluxe".into()],
        }
    }

    fn room() -> RoomFacts {
        RoomFacts {
            name: "Garden Suite".into(),
            size: Some(45.0),
            max_occupancy: Some(3),
            max_adults: Some(2),
            max_children: Some(1),
            beds: vec![("8".into(), 1), ("SOFA_BED".into(), 1), ("99".into(), 1)],
            view_code: Some("GARDEN".into()),
            bathrooms: Some(1),
            non_smoking: true,
            amenity_codes: vec!["MINIBAR".into(), "12".into()],
        }
    }

    /// Words of the vocabulary the writer could use for things a property may or may not have.
    const THINGS: &[&str] = &[
        "pool",
        "wifi",
        "spa",
        "restaurant",
        "meeting",
        "gym",
        "parking",
        "beach",
        "ocean",
        "garden",
        "city",
        "mountain",
        "king",
        "queen",
        "twin",
        "double",
        "sofa",
        "minibar",
        "balcony",
        "breakfast",
        "smoking",
        "bathroom",
        "star",
    ];

    fn said(text: &str) -> BTreeSet<&'static str> {
        let lower = text.to_lowercase();
        THINGS
            .iter()
            .copied()
            .filter(|w| lower.contains(w))
            .collect()
    }

    #[test]
    fn the_welcome_text_says_what_the_facts_hold() {
        let text = hotel().welcome_text(Language::English).text;
        assert_eq!(
            text,
            "Baan Suan is a 4-star boutique hotel in Chiang Mai, Thailand. It has 24 rooms: \
             Deluxe and Garden Suite. Guests will find the restaurant Khao Soi House. Amenities \
             include free wifi and swimming pool. It was built in 1998."
        );
    }

    #[test]
    fn nothing_is_said_that_the_facts_do_not_hold() {
        // With nothing but a name, the text names no thing and no number.
        let bare = PropertyFacts {
            name: "Plain Inn".into(),
            ..Default::default()
        };
        let text = bare.welcome_text(Language::English).text;
        assert_eq!(text, "Plain Inn is a property.");
        assert!(said(&text).is_empty(), "{text}");
        assert!(numbers(&text).next().is_none());

        // With facts, every thing named and every number written is in the facts.
        let facts = hotel();
        let text = facts.welcome_text(Language::English).text;
        let input = format!("{facts:?}").to_lowercase().replace('_', " ");
        for word in said(&text) {
            assert!(input.contains(word), "{word} is not in the facts: {text}");
        }
        assert!(acceptable(&text, &input, 10_000), "{text}");
        // A bare numeric code is not named.
        assert!(!text.contains("17"));

        let room = room();
        let copy = room.improve(None, None);
        let input = format!("{room:?}").to_lowercase().replace('_', " ");
        for word in said(&copy.text) {
            assert!(
                input.contains(word) || word == "king" || word == "smoking",
                "{word} is not in the facts: {}",
                copy.text
            );
        }
        assert!(acceptable(&copy.text, &input, 10_000), "{}", copy.text);
        assert_eq!(
            copy.text,
            "The Garden Suite measures 45 m² and sleeps up to 3 guests (2 adults and 1 child at \
             most). It has 1 king bed, 1 sofa bed and 1 other bed. It offers a garden view. It \
             has 1 bathroom. In the room: minibar. The room is non-smoking."
        );
        let bare = RoomFacts {
            name: "Room".into(),
            ..Default::default()
        };
        assert_eq!(bare.improve(None, None).text, "The Room.");
    }

    #[test]
    fn the_writer_is_deterministic() {
        let mut shuffled = hotel();
        shuffled.amenity_codes.reverse();
        shuffled.room_types.reverse();
        assert_eq!(
            hotel().welcome_text(Language::English),
            shuffled.welcome_text(Language::English)
        );
        assert_eq!(
            room().improve(Some("x"), Some("y")),
            room().improve(Some("x"), Some("y"))
        );
        assert_eq!(hotel().lines(), shuffled.lines());
    }

    #[test]
    fn improving_keeps_the_text_and_adds_only_missing_facts() {
        let facts = hotel();
        let copy = facts.improve_welcome_text(
            "  baan   suan ",
            "welcome to our home in chiang mai , with a swimming pool and free wifi",
            Language::English,
        );
        assert_eq!(copy.title, "Baan Suan");
        assert!(copy.text.starts_with(
            "Welcome to our home in chiang mai, with a swimming pool and free wifi. It has 24 rooms"
        ));
        assert!(!copy.text.contains("Amenities include"), "{}", copy.text);
        assert!(!copy.text.contains("is a 4-star"), "{}", copy.text);

        let room = room();
        let copy = room.improve(
            Some("garden suite"),
            Some("A 45 m² suite that sleeps up to 3 guests."),
        );
        assert_eq!(copy.title, "Garden Suite");
        assert!(
            copy.text
                .starts_with("A 45 m² suite that sleeps up to 3 guests. It has 1 king")
        );
        assert!(!copy.text.contains("measures"));
    }

    #[test]
    fn amenity_suggestions_come_from_the_facilities() {
        let mut facts = hotel();
        assert_eq!(
            facts.amenity_suggestion(),
            Some(("RESTAURANT".into(), "Restaurant".into()))
        );
        facts.amenity_codes.push("RESTAURANT".into());
        assert_eq!(facts.amenity_suggestion(), None);
        facts.facilities.push(Facility {
            kind: FacilityKind::MeetingRoom,
            name: "Board".into(),
        });
        assert_eq!(
            facts.amenity_suggestion(),
            Some(("MEETING_ROOMS".into(), "Meeting rooms".into()))
        );
    }

    #[test]
    fn codes_are_named_only_when_certain() {
        assert_eq!(
            code_words("SWIMMING_POOL").as_deref(),
            Some("swimming pool")
        );
        assert_eq!(code_words("17"), None);
        assert_eq!(code_words("A1"), None);
        assert_eq!(bed_name("8").as_deref(), Some("king"));
        assert_eq!(bed_name("KING_BED").as_deref(), Some("king"));
        assert_eq!(bed_name("3"), None);
        assert_eq!(view_name("OCEAN").as_deref(), Some("ocean view"));
        assert_eq!(view_name("SEA_VIEW").as_deref(), Some("sea view"));
    }

    #[test]
    fn languages() {
        assert_eq!(Language::parse("en"), Some(Language::English));
        assert_eq!(Language::parse("en-GB"), Some(Language::English));
        assert_eq!(Language::parse("EN_us"), Some(Language::English));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::parse(""), None);
    }

    #[test]
    fn copies_are_marked_in_their_language() {
        assert_eq!(copy_name(" Deluxe ", "en"), "Deluxe (copy)");
        assert_eq!(copy_name("Chambre", "fr-FR"), "Chambre (copie)");
        assert_eq!(copy_name("Zimmer", "de"), "Zimmer (Kopie)");
        assert_eq!(copy_name("ห้อง", "th"), "ห้อง (copy)");
    }

    #[test]
    fn answers_with_made_up_numbers_are_refused() {
        let facts = "stars: 4\nrooms: 24";
        assert!(acceptable("A 4-star hotel with 24 rooms.", facts, 100));
        assert!(!acceptable("A 5-star hotel.", facts, 100));
        assert!(!acceptable("   ", facts, 100));
        assert!(!acceptable("A hotel.\u{0}", facts, 100));
        assert!(!acceptable(&"a".repeat(101), facts, 100));
    }

    #[test]
    fn tidying() {
        assert_eq!(tidy("  hello   world , again "), "Hello world, again.");
        assert_eq!(tidy("Done!"), "Done!");
        assert_eq!(tidy(""), "");
        assert_eq!(tidy_title("deluxe  XL room"), "Deluxe XL Room");
    }
}
