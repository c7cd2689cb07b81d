//! Rules of the property record: what an owner may write about the property after registration
//! (desk hours, policy, lifestyles, social networks, texts) and whether it sells.
//!
//! Times of day are local to the property (`HH:MM`, 24-hour clock) and stored in that one form.
//! A policy's pet charge is money in the property's currency, with no more decimals than the
//! currency has. Field names are the request's, as JSON pointers.

use std::collections::HashSet;

use chrono::NaiveTime;
use rust_decimal::Decimal;

use crate::error::DomainError;
use crate::money::{Currency, Money, check_input_amount};

/// Whether a property with this stored status sells (test availability offers it, test bookings
/// take it). Anything but `ACTIVE` does not; its data stays readable and editable.
pub fn sells(status: &str) -> bool {
    status == "ACTIVE"
}

/// A time of day as `HH:MM` (24-hour clock; `9:30` and `09:30:00` are read too), answered in the
/// one stored form `HH:MM`.
pub fn time_of_day(field: &str, text: &str) -> Result<String, DomainError> {
    let text = text.trim();
    let parsed = NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"));
    match parsed {
        Ok(t) if t.format("%S").to_string() == "00" => Ok(t.format("%H:%M").to_string()),
        _ => Err(DomainError::invalid(
            field.to_string(),
            format!("{text:?} is not a time of day: give HH:MM on a 24-hour clock, e.g. 14:00"),
        )),
    }
}

/// Oldest age a policy may set as the minimum age of children: a child is under 18.
pub const MAX_CHILDREN_MINIMUM_AGE: i32 = 17;
/// Heaviest pet a policy may limit to, in kilograms.
pub const MAX_PET_WEIGHT_KG: i32 = 500;

/// A property policy as the rules read it (the wire's `PropertyPolicy`).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTerms<'a> {
    pub check_in_time: &'a str,
    pub check_out_time: &'a str,
    pub children_allowed: bool,
    pub children_minimum_age: Option<i32>,
    pub pets_allowed: bool,
    pub pet_max_weight_in_kilos: Option<i32>,
    /// Amount and currency code as sent.
    pub pet_charge: Option<(Decimal, &'a str)>,
}

/// A policy that passed [`check_policy`]: its times in the stored form, its pet charge as money
/// of the property's currency.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPolicy {
    pub check_in_time: String,
    pub check_out_time: String,
    pub pet_charge: Option<Money>,
}

/// Checks a policy for a property selling in `currency`: the times of day; a minimum age for
/// children only where children are allowed, 0 to 17; a pet weight limit and a pet charge only
/// where pets are allowed, the weight 1 to 500 kg, the charge zero or more in the property's
/// currency with no more decimals than it has. Every offending field is listed.
pub fn check_policy(
    terms: &PolicyTerms,
    currency: Currency,
) -> Result<CheckedPolicy, Vec<DomainError>> {
    let mut errors = Vec::new();
    let check_in = time_of_day("/checkInTime", terms.check_in_time).map_err(|e| errors.push(e));
    let check_out = time_of_day("/checkOutTime", terms.check_out_time).map_err(|e| errors.push(e));
    if let Some(age) = terms.children_minimum_age {
        if !terms.children_allowed {
            errors.push(DomainError::invalid(
                "/childrenMinimumAge",
                "a minimum age for children needs childrenAllowed true",
            ));
        } else if !(0..=MAX_CHILDREN_MINIMUM_AGE).contains(&age) {
            errors.push(DomainError::invalid(
                "/childrenMinimumAge",
                format!("must be between 0 and {MAX_CHILDREN_MINIMUM_AGE} years"),
            ));
        }
    }
    if let Some(weight) = terms.pet_max_weight_in_kilos {
        if !terms.pets_allowed {
            errors.push(DomainError::invalid(
                "/petMaxWeightInKilos",
                "a weight limit for pets needs petsAllowed true",
            ));
        } else if !(1..=MAX_PET_WEIGHT_KG).contains(&weight) {
            errors.push(DomainError::invalid(
                "/petMaxWeightInKilos",
                format!("must be between 1 and {MAX_PET_WEIGHT_KG} kg"),
            ));
        }
    }
    let mut pet_charge = None;
    if let Some((amount, code)) = terms.pet_charge {
        if !terms.pets_allowed {
            errors.push(DomainError::invalid(
                "/petCharge",
                "a charge for pets needs petsAllowed true",
            ));
        } else if code != currency.code() {
            errors.push(DomainError::invalid(
                "/petCharge/currency",
                format!(
                    "must be the property's currency, {}: charges are money of the property",
                    currency.code()
                ),
            ));
        } else {
            match check_input_amount("/petCharge/amount", amount) {
                Err(e) => errors.push(e),
                Ok(amount) => {
                    let money = Money::new(amount, currency);
                    if money.is_rounded() {
                        pet_charge = Some(money);
                    } else {
                        errors.push(DomainError::invalid(
                            "/petCharge/amount",
                            format!(
                                "{} has {} decimal places; give at most that many",
                                currency.code(),
                                currency.minor_units()
                            ),
                        ));
                    }
                }
            }
        }
    }
    match (check_in, check_out) {
        (Ok(check_in_time), Ok(check_out_time)) if errors.is_empty() => Ok(CheckedPolicy {
            check_in_time,
            check_out_time,
            pet_charge,
        }),
        _ => Err(errors),
    }
}

/// The most lifestyles a property shows: the contract's answer lists at most 4 (its request
/// would take 6, which the answer could not carry).
pub const MAX_LIFESTYLES: usize = 4;

/// Checks a property's lifestyles: at most [`MAX_LIFESTYLES`], each once.
pub fn check_lifestyles<T: Eq + std::hash::Hash>(list: &[T]) -> Result<(), DomainError> {
    // The contract's request holds at least one (`contains`): a property shows a lifestyle.
    if list.is_empty() {
        return Err(DomainError::invalid("/list", "name at least one lifestyle"));
    }
    if list.len() > MAX_LIFESTYLES {
        return Err(DomainError::invalid(
            "/list",
            format!("a property shows at most {MAX_LIFESTYLES} lifestyles"),
        ));
    }
    first_repeat(list.iter()).map_or(Ok(()), |i| {
        Err(DomainError::invalid(
            format!("/list/{i}"),
            "lists a lifestyle already listed",
        ))
    })
}

/// Checks a property's social networks, given as (type, link): each names its network and a
/// non-blank link, and a network appears once.
pub fn check_socials<T: Eq + std::hash::Hash>(
    list: &[(Option<T>, Option<&str>)],
) -> Result<(), Vec<DomainError>> {
    let mut errors = Vec::new();
    for (i, (kind, location)) in list.iter().enumerate() {
        if kind.is_none() {
            errors.push(DomainError::invalid(
                format!("/list/{i}/type"),
                "name the social network",
            ));
        }
        if location.is_none_or(|l| l.trim().is_empty()) {
            errors.push(DomainError::invalid(
                format!("/list/{i}/location"),
                "give the link or handle on this network",
            ));
        }
    }
    let mut seen = HashSet::new();
    for (i, (kind, _)) in list.iter().enumerate() {
        if kind.as_ref().is_some_and(|k| !seen.insert(k)) {
            errors.push(DomainError::invalid(
                format!("/list/{i}/type"),
                "this network is already listed: one link per network",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks localized texts given as (language, name): no language twice with the same name
/// (`field` is the list's pointer).
pub fn check_texts(field: &str, list: &[(&str, &str)]) -> Result<(), DomainError> {
    first_repeat(list.iter()).map_or(Ok(()), |i| {
        Err(DomainError::invalid(
            format!("{field}/{i}"),
            "this language already has a text of this name",
        ))
    })
}

/// Welcome texts after a change: the texts of every language `incoming` names replace that
/// language's stored ones; other languages keep theirs. Order: the stored languages kept, then
/// the incoming texts in their order.
pub fn merge_by_language<T: Clone>(
    stored: &[T],
    incoming: &[T],
    language: impl Fn(&T) -> &str,
) -> Vec<T> {
    let replaced: HashSet<&str> = incoming.iter().map(&language).collect();
    stored
        .iter()
        .filter(|t| !replaced.contains(language(t)))
        .chain(incoming.iter())
        .cloned()
        .collect()
}

/// Index of the first item equal to an earlier one.
fn first_repeat<T: Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Option<usize> {
    let mut seen = HashSet::new();
    items
        .enumerate()
        .find_map(|(i, item)| (!seen.insert(item)).then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::dec;

    fn thb() -> Currency {
        Currency::parse("THB").unwrap()
    }

    fn terms() -> PolicyTerms<'static> {
        PolicyTerms {
            check_in_time: "14:00",
            check_out_time: "11:00",
            children_allowed: true,
            children_minimum_age: Some(6),
            pets_allowed: true,
            pet_max_weight_in_kilos: Some(10),
            pet_charge: Some((dec("500.00"), "THB")),
        }
    }

    fn fields(r: Result<CheckedPolicy, Vec<DomainError>>) -> Vec<String> {
        r.unwrap_err()
            .iter()
            .map(|e| e.field().to_string())
            .collect()
    }

    #[test]
    fn times_of_day() {
        assert_eq!(time_of_day("t", "14:00").unwrap(), "14:00");
        assert_eq!(time_of_day("t", "9:30").unwrap(), "09:30");
        assert_eq!(time_of_day("t", "23:59:00").unwrap(), "23:59");
        for bad in ["24:00", "12:60", "noon", "", "12", "10:00:30", "-1:00"] {
            let e = time_of_day("/checkInTime", bad).unwrap_err();
            assert_eq!(e.field(), "/checkInTime", "{bad}");
        }
    }

    #[test]
    fn a_valid_policy_is_kept_with_its_money() {
        let checked = check_policy(&terms(), thb()).unwrap();
        assert_eq!(checked.check_in_time, "14:00");
        assert_eq!(checked.pet_charge, Some(Money::new(dec("500.00"), thb())));
        let none = PolicyTerms {
            children_allowed: false,
            children_minimum_age: None,
            pets_allowed: false,
            pet_max_weight_in_kilos: None,
            pet_charge: None,
            ..terms()
        };
        assert_eq!(check_policy(&none, thb()).unwrap().pet_charge, None);
    }

    #[test]
    fn pet_charge_is_money_of_the_property() {
        let other = PolicyTerms {
            pet_charge: Some((dec("20"), "USD")),
            ..terms()
        };
        assert_eq!(fields(check_policy(&other, thb())), ["/petCharge/currency"]);
        let negative = PolicyTerms {
            pet_charge: Some((dec("-1"), "THB")),
            ..terms()
        };
        assert_eq!(
            fields(check_policy(&negative, thb())),
            ["/petCharge/amount"]
        );
        let fraction = PolicyTerms {
            pet_charge: Some((dec("1.005"), "THB")),
            ..terms()
        };
        assert_eq!(
            fields(check_policy(&fraction, thb())),
            ["/petCharge/amount"]
        );
        let jpy = PolicyTerms {
            pet_charge: Some((dec("1.5"), "JPY")),
            ..terms()
        };
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(fields(check_policy(&jpy, yen)), ["/petCharge/amount"]);
    }

    #[test]
    fn ages_weights_and_what_needs_permission() {
        let old = PolicyTerms {
            children_minimum_age: Some(18),
            pet_max_weight_in_kilos: Some(0),
            ..terms()
        };
        assert_eq!(
            fields(check_policy(&old, thb())),
            ["/childrenMinimumAge", "/petMaxWeightInKilos"]
        );
        let forbidden = PolicyTerms {
            children_allowed: false,
            pets_allowed: false,
            ..terms()
        };
        assert_eq!(
            fields(check_policy(&forbidden, thb())),
            ["/childrenMinimumAge", "/petMaxWeightInKilos", "/petCharge"]
        );
        let times = PolicyTerms {
            check_in_time: "2pm",
            check_out_time: "25:00",
            ..terms()
        };
        assert_eq!(
            fields(check_policy(&times, thb())),
            ["/checkInTime", "/checkOutTime"]
        );
    }

    #[test]
    fn lifestyles_socials_and_texts() {
        assert!(check_lifestyles(&[1, 2, 3, 4]).is_ok());
        assert_eq!(
            check_lifestyles(&[1, 2, 3, 4, 5]).unwrap_err().field(),
            "/list"
        );
        assert_eq!(check_lifestyles(&[1, 2, 1]).unwrap_err().field(), "/list/2");
        assert_eq!(check_lifestyles::<u8>(&[]).unwrap_err().field(), "/list");
        assert!(check_socials(&[(Some(1), Some("@a")), (Some(2), Some("b"))]).is_ok());
        let bad = check_socials(&[
            (Some(1), Some("@a")),
            (None, Some(" ")),
            (Some(1), Some("c")),
        ])
        .unwrap_err();
        let bad: Vec<&str> = bad.iter().map(|e| e.field()).collect();
        assert_eq!(bad, ["/list/1/type", "/list/1/location", "/list/2/type"]);
        assert!(check_texts("/list", &[("en", "short"), ("en", "long")]).is_ok());
        assert_eq!(
            check_texts("/list", &[("en", "a"), ("th", "a"), ("en", "a")])
                .unwrap_err()
                .field(),
            "/list/2"
        );
    }

    #[test]
    fn welcome_texts_replace_their_languages_only() {
        let stored = [("en", "old"), ("th", "kept"), ("en", "old 2")];
        let merged = merge_by_language(&stored, &[("en", "new"), ("de", "neu")], |t| t.0);
        assert_eq!(merged, [("th", "kept"), ("en", "new"), ("de", "neu")]);
    }

    #[test]
    fn only_active_sells() {
        assert!(sells("ACTIVE"));
        assert!(!sells("INACTIVE"));
    }
}
