//! A property's recognitions: awards, publications and third-party review scores.
//!
//! Rules (each refusal names its wire field):
//! - `provider` is not blank (it is kept trimmed);
//! - the scale: `maxRating`, when given, is above 0; when left out it is 5 for a
//!   `STAR_RATING` and 100 for a `PERCENT_RATING`, and required for a `NUMERIC_RATING`
//!   (a score of 8.5 means nothing without the scale it is out of);
//! - `rating` is not above `maxRating`;
//! - `date` (when the recognition was given) is not after today at the property.
//!
//! Lists are in the contract's order of categories (`THIRD_PARTY_REVIEW`, `PUBLICATION`,
//! `AWARD`: [`Category::ALL`]), then oldest first.

use chrono::NaiveDate;

use crate::error::DomainError;

/// What kind of recognition it is, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    ThirdPartyReview,
    Publication,
    Award,
}

impl Category {
    /// The contract's order, which lists follow.
    pub const ALL: [Category; 3] = [
        Category::ThirdPartyReview,
        Category::Publication,
        Category::Award,
    ];

    /// The contract's (and the store's) value.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::ThirdPartyReview => "THIRD_PARTY_REVIEW",
            Category::Publication => "PUBLICATION",
            Category::Award => "AWARD",
        }
    }

    /// The category named `value` exactly as the contract spells it.
    pub fn parse(value: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// How the rating is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    Stars,
    Numeric,
    Percent,
}

impl Scale {
    /// The top of the scale when the request does not say: 5 stars, 100 %; a numeric score has
    /// none.
    pub fn default_max(self) -> Option<f64> {
        match self {
            Scale::Stars => Some(5.0),
            Scale::Percent => Some(100.0),
            Scale::Numeric => None,
        }
    }
}

/// A recognition as a request describes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recognition<'a> {
    pub scale: Scale,
    pub provider: &'a str,
    pub rating: f64,
    pub max_rating: Option<f64>,
    pub date: Option<NaiveDate>,
}

/// A recognition that passed the rules: its provider trimmed and its scale resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub provider: String,
    pub max_rating: f64,
}

impl Recognition<'_> {
    /// Checks the rules above against `today` at the property.
    pub fn check(&self, today: NaiveDate) -> Result<Checked, DomainError> {
        let provider = self.provider.trim();
        if provider.is_empty() {
            return Err(DomainError::invalid("provider", "must not be blank"));
        }
        if !self.rating.is_finite() || self.rating < 0.0 {
            return Err(DomainError::invalid("rating", "must be 0 or more"));
        }
        let max_rating = match (self.max_rating, self.scale.default_max()) {
            (Some(max), _) if !max.is_finite() || max <= 0.0 => {
                return Err(DomainError::invalid("maxRating", "must be above 0"));
            }
            (Some(max), _) => max,
            (None, Some(default)) => default,
            (None, None) => {
                return Err(DomainError::invalid(
                    "maxRating",
                    "required for a NUMERIC_RATING: the scale the rating is out of",
                ));
            }
        };
        if self.rating > max_rating {
            return Err(DomainError::invalid(
                "rating",
                format!("must not be above maxRating ({max_rating})"),
            ));
        }
        if let Some(date) = self.date
            && date > today
        {
            return Err(DomainError::invalid(
                "date",
                format!("must not be after today at the property ({today})"),
            ));
        }
        Ok(Checked {
            provider: provider.to_string(),
            max_rating,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;

    fn stars(rating: f64, max_rating: Option<f64>) -> Recognition<'static> {
        Recognition {
            scale: Scale::Stars,
            provider: " Michelin ",
            rating,
            max_rating,
            date: Some(date("2026-01-14")),
        }
    }

    const TODAY: &str = "2026-03-01";

    #[test]
    fn a_valid_recognition_is_trimmed_and_its_scale_resolved() {
        let c = stars(4.5, None).check(date(TODAY)).unwrap();
        assert_eq!(c.provider, "Michelin");
        assert_eq!(c.max_rating, 5.0);
        let percent = Recognition {
            scale: Scale::Percent,
            ..stars(92.0, None)
        };
        assert_eq!(percent.check(date(TODAY)).unwrap().max_rating, 100.0);
        assert_eq!(
            stars(8.5, Some(10.0))
                .check(date(TODAY))
                .unwrap()
                .max_rating,
            10.0
        );
    }

    #[test]
    fn the_rating_is_at_most_the_max_rating() {
        assert!(stars(5.0, None).check(date(TODAY)).is_ok());
        let e = stars(5.5, None).check(date(TODAY)).unwrap_err();
        assert_eq!(e.field(), "rating");
        let e = stars(11.0, Some(10.0)).check(date(TODAY)).unwrap_err();
        assert_eq!(e.field(), "rating");
    }

    #[test]
    fn a_numeric_rating_names_its_scale() {
        let numeric = Recognition {
            scale: Scale::Numeric,
            ..stars(8.0, None)
        };
        assert_eq!(numeric.check(date(TODAY)).unwrap_err().field(), "maxRating");
        let zero = stars(0.0, Some(0.0)).check(date(TODAY)).unwrap_err();
        assert_eq!(zero.field(), "maxRating");
    }

    #[test]
    fn blank_provider_and_future_date_are_refused() {
        let blank = Recognition {
            provider: "   ",
            ..stars(4.0, None)
        };
        assert_eq!(blank.check(date(TODAY)).unwrap_err().field(), "provider");
        let future = Recognition {
            date: Some(date("2026-03-02")),
            ..stars(4.0, None)
        };
        assert_eq!(future.check(date(TODAY)).unwrap_err().field(), "date");
        let today = Recognition {
            date: Some(date(TODAY)),
            ..stars(4.0, None)
        };
        assert!(today.check(date(TODAY)).is_ok());
    }

    #[test]
    fn categories_in_the_contract_order() {
        let names: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["THIRD_PARTY_REVIEW", "PUBLICATION", "AWARD"]);
        assert_eq!(Category::parse("AWARD"), Some(Category::Award));
        assert_eq!(Category::parse("award"), None);
        assert!(Category::ThirdPartyReview < Category::Award);
    }
}
