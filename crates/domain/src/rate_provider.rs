//! A property's rate provider (the contract's channel manager): another account whose clients may
//! read and write the property's rates, restrictions and availability, and nothing else of it.
//!
//! The owner names the account by its id (`rateProvider.value`); `NONE` removes the provider.
//! The property's own account is never its provider (it has every access already).

use uuid::Uuid;

/// The value that removes the rate provider (the contract's example answers it for "none").
pub const NONE: &str = "NONE";

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Give this account rate access.
    Set(Uuid),
    /// No rate provider any more.
    Remove,
}

/// Why a choice is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Neither an account id nor `NONE`.
    NotAnAccount,
    /// The property's own account.
    OwnAccount,
}

impl Refusal {
    pub fn sentence(self) -> &'static str {
        match self {
            Refusal::NotAnAccount => "must be the id of an account, or NONE to remove the provider",
            Refusal::OwnAccount => {
                "is the property's own account, which has every access already; send NONE to remove the provider"
            }
        }
    }
}

/// The choice `value` makes for a property owned by `owner`.
pub fn choose(value: &str, owner: Uuid) -> Result<Choice, Refusal> {
    let value = value.trim();
    if value.eq_ignore_ascii_case(NONE) {
        return Ok(Choice::Remove);
    }
    let account = Uuid::parse_str(value).map_err(|_| Refusal::NotAnAccount)?;
    if account == owner {
        return Err(Refusal::OwnAccount);
    }
    Ok(Choice::Set(account))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices() {
        let owner = Uuid::new_v4();
        let other = Uuid::new_v4();
        assert_eq!(choose("NONE", owner), Ok(Choice::Remove));
        assert_eq!(choose(" none ", owner), Ok(Choice::Remove));
        assert_eq!(choose(&other.to_string(), owner), Ok(Choice::Set(other)));
        assert_eq!(choose(&owner.to_string(), owner), Err(Refusal::OwnAccount));
        assert_eq!(choose("Acme", owner), Err(Refusal::NotAnAccount));
    }
}
