//! Whether a text is an e-mail address a mail relay can use as a recipient or reply-to.
//!
//! Deliberately narrower than RFC 5321: a dot-atom local part and a domain name of letters,
//! digits and hyphens with at least one dot. Quoted local parts, IP-literal domains, comments and
//! anything with spaces or control characters are refused: they are not what people type, and a
//! line break in an address could inject headers into the mail a relay writes.

/// Why `address` is not usable (a sentence), or `Ok`.
pub fn check(address: &str) -> Result<(), &'static str> {
    if address.len() > 254 {
        return Err("is longer than 254 characters");
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("must be an e-mail address (name@domain)");
    };
    if local.is_empty() || local.len() > 64 {
        return Err("must have 1 to 64 characters before the @");
    }
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if local
        .split('.')
        .any(|part| part.is_empty() || !part.chars().all(atom))
    {
        return Err("has characters an address cannot have before the @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    {
        return Err("must end with a domain name such as example.com");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn ordinary_addresses_pass() {
        for a in [
            "agent@example.com",
            "first.last+tag@mail.example.co.uk",
            "x_y-z@a-b.io",
        ] {
            assert_eq!(check(a), Ok(()), "{a}");
        }
    }

    #[test]
    fn odd_or_dangerous_addresses_are_refused() {
        for a in [
            "",
            "agent",
            "@example.com",
            "agent@",
            "agent@localhost",
            "agent@[127.0.0.1]",
            "\"quoted\"@example.com",
            "a b@example.com",
            "agent@example.com\r\nBcc: x@y.z",
            "a..b@example.com",
            ".a@example.com",
            "a@-example.com",
            "a@example..com",
        ] {
            assert!(check(a).is_err(), "{a:?}");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(check(&long).is_err());
    }
}
