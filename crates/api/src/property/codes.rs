//! The human-facing identifiers a property gets at registration.

use rand::Rng;

const BASE32: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| BASE32[rng.gen_range(0..BASE32.len())] as char)
        .collect()
}

/// A URL slug of `name` matching the contract's `^[a-z0-9][a-z0-9-]*[a-z0-9]$`; `attempt` > 0 adds
/// a random suffix to get past a taken one.
pub fn url_name(name: &str, attempt: u32) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    if slug.len() < 2 {
        slug = format!("property{slug}");
    }
    if attempt > 0 {
        slug = format!("{slug}-{}", random_code(5).to_lowercase());
    }
    slug
}

/// A short code reservation staff can read out: three letters of the name and four characters.
pub fn hotel_code(name: &str) -> String {
    let letters: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(3)
        .collect::<String>()
        .to_uppercase();
    format!("{:X<3}{}", letters, random_code(4))
}

/// The property's unique id on this server, e.g. `WS-8K2M4QX7PA`.
pub fn unique_code() -> String {
    format!("WS-{}", random_code(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_the_contract_pattern() {
        let pattern = |s: &str| {
            let b = s.as_bytes();
            b.len() >= 2
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        for name in [
            "Hotel Sukhothai",
            "  --Ümlaut Inn!! ",
            "X",
            "東京ホテル",
            "a--b",
        ] {
            let s = url_name(name, 0);
            assert!(pattern(&s), "{name:?} -> {s:?}");
            assert!(pattern(&url_name(name, 1)));
        }
        assert_eq!(url_name("Hotel Sukhothai", 0), "hotel-sukhothai");
        assert_eq!(hotel_code("Ab").len(), 7);
    }
}
