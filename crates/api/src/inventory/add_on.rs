//! Tag "Add-On": what a guest can buy with a stay (a transfer, a dinner, a spa treatment...).
//! Handled by the generic inventory code (see the parent module): this file names the kind's
//! wire types, paths and operationIds, and its rules of its own:
//! - an add-on is offered either to the guests of one rate plan (`ratePlanIdentifier`, a rate plan
//!   of the property, shown as `ratePlan` in answers) or in date ranges (`dateRanges`), not both;
//! - no date range ends before it starts.
//!
//! Promotions may name add-ons (`addOnIdentifiers`); an add-on a promotion names cannot be
//! deleted. A delete answers the contract's `RemoveEntryResponse`. There is no pair list.

use wink_contract::{AddOn, RemoveEntryResponse, UpsertAddOnRequest};

inventory_kind! {
    kind: AddOn,
    tag: "Add-On",
    one: "an add-on",
    many: "add-ons",
    request: UpsertAddOnRequest,
    response: AddOn,
    removed: RemoveEntryResponse,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/add-on",
    id: "addOnIdentifier",
    create: create_add_on "create-add-on",
    list: show_add_ons "show-add-ons",
    show: show_add_on "show-add-on",
    update: update_add_on "update-add-on",
    remove: remove_add_on "remove-add-on",
    rules: {
        fn rules(&self) -> Result<(), ApiError> {
            if self.rate_plan_identifier.is_some() && !self.date_ranges.is_empty() {
                return Err(ApiError::field(
                    "/dateRanges",
                    "an add-on is restricted to a rate plan or to date ranges, not both",
                ));
            }
            for (i, range) in self.date_ranges.iter().enumerate() {
                if range.end_date < range.start_date {
                    return Err(ApiError::field(
                        format!("/dateRanges/{i}/endDate"),
                        format!("must not be before startDate ({})", range.start_date),
                    ));
                }
            }
            Ok(())
        }

        fn rate_plan(&self) -> Option<uuid::Uuid> {
            self.rate_plan_identifier
        }

        fn dates(&self) -> Vec<(String, chrono::NaiveDate)> {
            let ranges = self.date_ranges.iter().enumerate();
            ranges
                .flat_map(|(i, r)| {
                    [
                        (format!("/dateRanges/{i}/startDate"), r.start_date),
                        (format!("/dateRanges/{i}/endDate"), r.end_date),
                    ]
                })
                .collect()
        }
    }
}
