//! Request bodies the tests start from: valid per the contract, changed per test.

use serde_json::{Value, json};
use uuid::Uuid;

pub fn property() -> Value {
    json!({
        "accountEmail": "owner@test-hotel.example",
        "accountPhoneNumber": "+6676123456",
        "name": "Test Hotel Bangkok",
        "currencyCode": "THB",
        "address": { "address1": "1 Sukhumvit Road", "cityGeoNameId": "1609350", "postalCode": "10110" },
        "location": { "type": "Point", "coordinates": [100.5018, 13.7563] },
        "reservation": { "email": "reservations@test-hotel.example" },
        "revenue": {},
        "marketing": {},
        "profile": { "architecture": "MODERN", "hotelStars": 4, "locationCategory": "CITY", "numberOfRooms": 40, "propertyClass": "HOTEL", "segment": "UPSCALE" }
    })
}

pub fn room_type(name: &str, quantity: u32) -> Value {
    json!({
        "name": name,
        "active": true, "bookable": true, "commissionable": true, "featuredInd": false,
        "composite": false, "compositeCount": 0,
        "quantity": quantity,
        "minOccupancy": 1, "maxOccupancy": 3, "maxAdultOccupancy": 3, "maxChildOccupancy": 2,
        "includedAdultOccupancy": 2, "includedChildOccupancy": 0,
        "maxCribs": 1, "maxRollaways": 0, "bathroomCount": 1, "livingRoomCount": 0,
        "nonSmoking": true, "sharedRoomInd": false, "size": 32,
        "pricePoint": "THREE", "roomCategory": "ROOM", "roomClassificationCode": "DELUXE",
        "roomArchitectureCode": "ROOM", "roomLocationCode": "CITY", "roomViewCode": "CITY",
        "address": {}, "location": {},
        "baseRate": { "amount": 2000, "currency": "THB" },
        "minRate": { "amount": 1000, "currency": "THB" },
        "descriptions": [{ "name": name, "description": "A quiet room.", "language": "en" }],
        "multimedias": [{ "multimediaIdentifier": Uuid::new_v4(), "identifier": "rooms/deluxe", "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 800, "height": 600 }],
        "bedroomConfigurationList": [{ "identifier": Uuid::new_v4(), "name": "Bedroom", "bedroomList": [{ "type": "MASTER", "bedList": [{ "bedTypeCode": "KING", "quantity": 1 }] }] }]
    })
}

/// A refundable cancellation policy: free until 2 days before arrival, then 50 %.
pub fn refundable_policy() -> Value {
    json!({
        "refundable": true,
        "advanceCancellationFreeOfCharge": "TWO_DAYS_BEFORE_ARRIVAL",
        "refundableCancellationCharge": "FIFTY_PERCENT",
        "noShowCharge": "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE"
    })
}

/// A non-refundable cancellation policy: 10 % until 7 days before arrival, then 100 %.
pub fn non_refundable_policy() -> Value {
    json!({
        "refundable": false,
        "nonRefundableCancellationCharge": "TEN_PERCENT",
        "nonRefundableDeadline": "SEVEN_DAYS_BEFORE_ARRIVAL",
        "nonRefundableAfterDeadlineCancellationCharge": "ONE_HUNDRED_PERCENT"
    })
}

/// A rate plan with breakfast under cancellation policy `policy`, with a fee and modifiers in THB.
pub fn rate_plan(name: &str, policy: &str) -> Value {
    json!({
        "name": name,
        "prepaid": false, "enabled": true,
        "breakfast": true, "brunch": false, "lunch": false, "dinner": false,
        "allInclusive": false, "allInclusivePlusAlcohol": false, "loyaltyPointsAccrue": false,
        "minLOS": 1, "maxLOS": 30, "minTotalOccupancy": 1, "maxTotalOccupancy": 3,
        "ratePlanLevelFees": [{
            "descriptions": [{ "description": "City tax", "language": "en" }],
            "fixedAmount": { "amount": 50, "currency": "THB" },
            "type": "PER_STAY"
        }],
        "availableDaysOfWeek": { "mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true },
        "singleOccupancyRateModifier": { "type": "PERCENTAGE", "percent": 0.8 },
        "extraPaxRateModifier": { "type": "FIXED", "fixedAmount": { "amount": 500, "currency": "THB" } },
        "cancellationPolicyIdentifier": policy
    })
}

/// A 15 % per-night discount promotion with a description, for every master rate.
pub fn promotion(name: &str) -> Value {
    json!({
        "name": name,
        "type": "DISCOUNT",
        "enabled": true,
        "pricingType": "PER_NIGHT",
        "modifier": { "type": "PERCENTAGE", "percent": 0.15 },
        "descriptions": [{ "description": format!("{name}: 15 % off every night."), "language": "en" }]
    })
}

/// A bundle of `items`, without override.
pub fn bundle(name: &str, items: &[&str]) -> Value {
    json!({ "name": name, "enabled": true, "itemIdentifiers": items })
}
