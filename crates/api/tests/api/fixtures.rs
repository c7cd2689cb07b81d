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

/// An inventory item of `kind` (the path segment: `add-on`, `spa`, `restaurant`, `meeting-room`,
/// `place`, `attraction`, `activity`) with one priced offer in THB, valid per the contract.
pub fn inventory(kind: &str, name: &str) -> Value {
    let mut body = json!({
        "name": name,
        "active": true, "bookable": true, "commissionable": true, "featuredInd": false,
        "pricePoint": "THREE",
        "address": { "address1": "1 Sukhumvit Road", "city": "Bangkok", "countryCode": "TH" },
        "location": { "type": "Point", "coordinates": [100.5018, 13.7563] },
        "descriptions": [{ "name": name, "description": format!("{name} at the hotel."), "language": "en" }],
        "multimedias": [{ "multimediaIdentifier": Uuid::new_v4(), "identifier": format!("{kind}/cover"), "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 800, "height": 600 }],
        "opens": "09:00", "closes": "21:00",
        "applicableStart": "2026-01-01", "applicableEnd": "2026-12-31",
        "transactionalInventoryList": [{
            "identifier": Uuid::new_v4(), "name": format!("{name} session"),
            "descriptions": [{ "name": "Session", "description": "One hour.", "language": "en" }],
            "pricingType": "PER_PERSON",
            "basePrice": { "amount": 1500, "currency": "THB" },
            "discountedPrice": { "amount": 1200, "currency": "THB" },
            "minPax": 1, "maxPax": 4
        }]
    });
    let own = match kind {
        "add-on" => json!({ "numberOfUnits": 10, "mandatory": false }),
        "restaurant" => json!({
            "maxSeatingCapacity": 80, "maxSingleParty": 12,
            "offerBreakfast": true, "offerBrunch": false, "offerLunch": true, "offerDinner": true,
            "cuisineCodes": ["THA"]
        }),
        "meeting-room" => json!({
            "meetingRoomCapacity": 40, "meetingRoomTypeCode": "1", "dedicatedInd": false,
            "irregular": false, "area": 60, "height": 3.5, "width": 6, "length": 10
        }),
        "place" => json!({ "refPointCategoryCode": "16" }),
        "attraction" => json!({ "attractionCategoryCode": "101", "courtesyPhone": true }),
        "activity" => json!({ "recreationCategoryCode": "01" }),
        "spa" => json!({ "amenities": ["SAUNA"] }),
        other => panic!("no inventory kind {other}"),
    };
    for (k, v) in own.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}
