//! Where a property is, in the terms the platform's listings use: its country (ISO 3166-1
//! alpha-2 code, GeoNames id, continent code) and a URL name for its city. The tables are
//! compiled in (no network): countries from GeoNames, time zones' countries from the tz
//! database, so a property that names no country is placed by its time zone.

mod countries;
mod zones;

/// A country as GeoNames describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2, e.g. `TH`.
    pub code: &'static str,
    pub geo_name_id: u32,
    /// GeoNames' continent code: AF, AN, AS, EU, NA, OC or SA.
    pub continent: &'static str,
    /// English name.
    pub name: &'static str,
}

/// The country with ISO code `code` (case-insensitive), if it is one.
pub fn country(code: &str) -> Option<&'static Country> {
    let code = code.trim().to_ascii_uppercase();
    countries::COUNTRIES
        .binary_search_by(|c| c.code.cmp(code.as_str()))
        .ok()
        .map(|i| &countries::COUNTRIES[i])
}

/// The country of an IANA time zone (`Asia/Bangkok` → Thailand); none for zones of no country
/// (`Etc/GMT+5`, `UTC`).
pub fn country_of_zone(zone: &str) -> Option<&'static Country> {
    zones::ZONES
        .binary_search_by(|(z, _)| (*z).cmp(zone))
        .ok()
        .and_then(|i| country(zones::ZONES[i].1))
}

/// The country of a place: the code it names when that is a country, else its time zone's.
pub fn locate(code: Option<&str>, zone: &str) -> Option<&'static Country> {
    code.and_then(country).or_else(|| country_of_zone(zone))
}

/// A URL name for a city: lower-case ASCII letters and digits, runs of anything else one `-`,
/// common Latin accents folded (`São Paulo` → `sao-paulo`); none when fewer than two letters or
/// digits are left (a name in another script).
pub fn url_name(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for ch in name.chars().flat_map(fold) {
        if ch.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    (out.len() >= 2).then_some(out)
}

/// Latin letters with accents as their base letters (a few ligatures as two letters); any
/// other character as itself.
fn fold(ch: char) -> Vec<char> {
    let base = match ch {
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => 'a',
        'Ç' | 'ç' | 'Ć'..='č' => 'c',
        'Ď'..='đ' => 'd',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => 'e',
        'Ĝ'..='ģ' => 'g',
        'Ĥ'..='ħ' => 'h',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => 'i',
        'Ĵ' | 'ĵ' => 'j',
        'Ķ' | 'ķ' => 'k',
        'Ĺ'..='ł' => 'l',
        'Ñ' | 'ñ' | 'Ń'..='ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' => 'o',
        'Ŕ'..='ř' => 'r',
        'Ś'..='š' | 'Ș' | 'ș' => 's',
        'Ţ'..='ŧ' | 'Ț' | 'ț' => 't',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => 'u',
        'Ŵ' | 'ŵ' => 'w',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' => 'y',
        'Ź'..='ž' => 'z',
        'ß' => return vec!['s', 's'],
        'Æ' | 'æ' => return vec!['a', 'e'],
        'Œ' | 'œ' => return vec!['o', 'e'],
        _ => ch,
    };
    vec![base]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_code() {
        let th = country("th").unwrap();
        assert_eq!(
            (th.code, th.geo_name_id, th.continent),
            ("TH", 1605651, "AS")
        );
        assert_eq!(country("FR").unwrap().continent, "EU");
        assert_eq!(country("XX"), None);
        assert_eq!(country(""), None);
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(
            countries::COUNTRIES
                .windows(2)
                .all(|w| w[0].code < w[1].code)
        );
        assert!(zones::ZONES.windows(2).all(|w| w[0].0 < w[1].0));
        // Every zone's country is in the country table.
        assert!(zones::ZONES.iter().all(|(_, c)| country(c).is_some()));
    }

    #[test]
    fn zones_place_a_property_without_a_country() {
        assert_eq!(country_of_zone("Asia/Bangkok").unwrap().code, "TH");
        assert_eq!(country_of_zone("Europe/Paris").unwrap().code, "FR");
        assert_eq!(country_of_zone("Etc/GMT+5"), None);
        assert_eq!(locate(Some("JP"), "Asia/Bangkok").unwrap().code, "JP");
        assert_eq!(locate(Some("??"), "Asia/Bangkok").unwrap().code, "TH");
        assert_eq!(locate(None, "Asia/Bangkok").unwrap().code, "TH");
    }

    #[test]
    fn city_url_names() {
        assert_eq!(url_name("Bangkok").as_deref(), Some("bangkok"));
        assert_eq!(url_name("São Paulo").as_deref(), Some("sao-paulo"));
        assert_eq!(
            url_name("  Ho Chi Minh City ").as_deref(),
            Some("ho-chi-minh-city")
        );
        assert_eq!(
            url_name("Köln/Bonn -- Nord").as_deref(),
            Some("koln-bonn-nord")
        );
        assert_eq!(url_name("Straße").as_deref(), Some("strasse"));
        assert_eq!(url_name("東京"), None);
        assert_eq!(url_name("A"), None);
    }
}
