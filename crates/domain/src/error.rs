//! The one error type for values the domain refuses.
//!
//! Every refusal names the offending field with the contract's wire name (`endDate`,
//! `currencyCode`, `extraPaxRateModifier.percent`, …) so the API can answer a 400 problem
//! detail that points the integrator at the exact field, without a mapping table of its own.

use std::borrow::Cow;

/// A value the domain refuses, with the wire name of the field that carried it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The value of `field` breaks a rule; `message` says which, in words an integrator reads.
    #[error("{field}: {message}")]
    Invalid {
        /// Wire name of the field, possibly a path such as `extraPaxRateModifier.percent`.
        field: Cow<'static, str>,
        message: String,
    },
}

impl DomainError {
    pub fn invalid(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Wire name of the offending field.
    pub fn field(&self) -> &str {
        match self {
            DomainError::Invalid { field, .. } => field,
        }
    }

    /// The human explanation, without the field name.
    pub fn message(&self) -> &str {
        match self {
            DomainError::Invalid { message, .. } => message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_field_and_message() {
        let err = DomainError::invalid("endDate", "must be after startDate");
        assert_eq!(err.field(), "endDate");
        assert_eq!(err.message(), "must be after startDate");
        assert_eq!(err.to_string(), "endDate: must be after startDate");
    }

    #[test]
    fn field_can_be_built_at_run_time() {
        let err = DomainError::invalid(format!("{}.percent", "extraPaxRateModifier"), "too big");
        assert_eq!(err.field(), "extraPaxRateModifier.percent");
    }
}
