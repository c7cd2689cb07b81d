//! How promotions combine and where their amounts land (the rules are documented in
//! `promotion`); each qualifier's own cases are in `promotion::qualifier_tests`.

use super::*;
use crate::money::Currency;
use crate::promotion::fixture::*;
use crate::promotion::{Bundle, BundleOverride, Period, PricingType, Promotion, PromotionKind};
use crate::rate_plan::{FeeKind, RatePlanFee};
use crate::test_support::{date, dec};

fn amounts(adjustments: &[Adjustment]) -> Vec<(PromotionKind, uuid::Uuid, Decimal)> {
    adjustments
        .iter()
        .map(|a| (a.kind, a.offer.id(), a.amount.amount))
        .collect()
}

use PromotionKind::{Discount, Premium};

#[test]
fn without_promotions_the_quote_is_the_plain_one() {
    let scene = Scene::new(&["100", "120.50"]);
    let q = scene.quote();
    assert_eq!(q, scene.quote_without_offers());
    assert!(q.stay_adjustments.is_empty() && q.promotion_codes.is_empty());
    for night in &q.nights {
        assert_eq!(night.price, night.list_price);
        assert!(night.adjustments.is_empty());
        assert!(night.discount().is_zero() && night.premium().is_zero());
    }
}

#[test]
fn discounts_do_not_stack_the_biggest_one_applies() {
    let scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("15")));
    assert_eq!(scene.applied(), [id(2)]);
    assert_eq!(scene.night_prices(), [dec("85"), dec("85")]);
    let scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    assert_eq!(scene.applied(), [id(1)]);
    assert_eq!(scene.room_total(), dec("180"));
}

#[test]
fn the_biggest_discount_is_judged_over_the_whole_stay() {
    // 30 % on Friday only (30) against 20 off each night (40).
    let mut friday = discount(1, percent("0.3"));
    friday.qualifiers.stay_dates = vec![Period::new(date("2026-12-04"), date("2026-12-04"))];
    let scene = Scene::new(&["100", "100"])
        .with(friday)
        .with(discount(2, fixed("20")));
    assert_eq!(scene.applied(), [id(2)]);
    assert_eq!(scene.night_prices(), [dec("80"), dec("80")]);
}

#[test]
fn a_tie_goes_to_the_smaller_id_whatever_the_order() {
    let a = discount(2, percent("0.1"));
    let b = discount(1, fixed("10"));
    let forward = Scene::new(&["100"]).with(a.clone()).with(b.clone());
    let backward = Scene::new(&["100"]).with(b).with(a);
    assert_eq!(forward.applied(), [id(1)]);
    assert_eq!(forward.quote(), backward.quote());
}

#[test]
fn every_premium_applies_and_percentages_are_of_the_list_price() {
    let scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(premium(4, fixed("5")))
        .with(premium(3, percent("0.2")));
    let q = scene.quote();
    assert_eq!(
        amounts(&q.nights[0].adjustments),
        [
            (Premium, id(3), dec("20")),
            (Premium, id(4), dec("5")),
            (Discount, id(1), dec("10"))
        ]
    );
    assert_eq!(q.nights[0].list_price.amount, dec("100"));
    assert_eq!(q.nights[0].price.amount, dec("115"));
    assert_eq!(q.nights[0].premium().amount, dec("25"));
    assert_eq!(q.nights[0].discount().amount, dec("10"));
    assert_eq!(q.premium_total().amount, dec("50"));
    assert_eq!(q.discount_total().amount, dec("20"));
    assert_eq!(q.room_total.amount, dec("230"));
}

fn bundle(n: u128, items: &[u128]) -> Bundle {
    Bundle::new(
        id(n),
        format!("Bundle {n}"),
        items.iter().map(|i| id(*i)).collect(),
    )
}

#[test]
fn a_bundle_combines_its_discounts_when_every_item_applies() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    scene.bundles = vec![bundle(9, &[1, 2])];
    let q = scene.quote();
    assert_eq!(scene.applied(), [id(9)]);
    assert_eq!(scene.night_prices(), [dec("85"), dec("85")]);
    let AppliedOffer::Bundle {
        bundle: named,
        items,
    } = &q.nights[0].adjustments[0].offer
    else {
        panic!("a bundle line");
    };
    assert_eq!((named.id, named.name.as_str()), (id(9), "Bundle 9"));
    let names: Vec<_> = items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Discount 1", "Discount 2"]);

    // One item that does not apply: no bundle, the best single discount.
    scene.promotions[1].qualifiers.promotion_codes = vec!["WINTER".into()];
    assert_eq!(scene.applied(), [id(1)]);
    assert_eq!(scene.room_total(), dec("180"));
    scene.promotions[1].qualifiers.promotion_codes = vec![];
    scene.bundles[0].enabled = false;
    assert_eq!(scene.applied(), [id(1)]);
    // An item that is not offered at all.
    scene.bundles = vec![bundle(9, &[1, 5])];
    assert_eq!(scene.applied(), [id(1)]);
}

#[test]
fn a_bundle_covers_the_nights_all_its_items_cover() {
    let mut saturday = discount(2, fixed("15"));
    saturday.qualifiers.stay_dates = vec![Period::new(date("2026-12-05"), date("2026-12-05"))];
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(saturday);
    // Alone: 20 and 15. Together on Saturday only: 25.
    scene.bundles = vec![bundle(9, &[1, 2])];
    assert_eq!(scene.applied(), [id(9)]);
    assert_eq!(scene.night_prices(), [dec("100"), dec("75")]);
}

#[test]
fn a_bundle_override_replaces_its_items_amounts() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    scene.bundles = vec![Bundle {
        modifier_override: Some(BundleOverride {
            kind: Discount,
            pricing_type: PricingType::PerStay,
            modifier: percent("0.3"),
        }),
        ..bundle(9, &[1, 2])
    }];
    let q = scene.quote();
    assert_eq!(scene.night_prices(), [dec("100"), dec("100")]);
    assert_eq!(amounts(&q.stay_adjustments), [(Discount, id(9), dec("60"))]);
    assert_eq!(q.room_total.amount, dec("140"));
}

#[test]
fn a_premium_override_is_one_more_premium() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    scene.bundles = vec![Bundle {
        modifier_override: Some(BundleOverride {
            kind: Premium,
            pricing_type: PricingType::PerStay,
            modifier: fixed("25"),
        }),
        ..bundle(9, &[1, 2])
    }];
    let q = scene.quote();
    assert_eq!(amounts(&q.stay_adjustments), [(Premium, id(9), dec("25"))]);
    assert_eq!(q.room_total.amount, dec("205")); // 180 with discount 1, + 25
}

#[test]
fn a_bundles_premium_items_apply_once_on_their_own() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(premium(3, fixed("10")));
    scene.bundles = vec![bundle(9, &[1, 3])];
    // The bundle's discount (its discount item) ties with that item alone: the item wins.
    assert_eq!(scene.applied(), [id(3), id(1)]);
    assert_eq!(scene.quote().premium_total().amount, dec("20"));
    assert_eq!(scene.night_prices(), [dec("100"), dec("100")]);
    // A bundle of premiums only is no discount candidate.
    let mut scene = Scene::new(&["100"])
        .with(premium(3, fixed("10")))
        .with(premium(4, fixed("1")));
    scene.bundles = vec![bundle(9, &[3, 4])];
    assert_eq!(scene.applied(), [id(3), id(4)]);
    assert_eq!(scene.room_total(), dec("111"));
}

#[test]
fn a_bundle_with_an_hourly_override_or_item_never_applies() {
    let mut scene = Scene::new(&["100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    scene.bundles = vec![Bundle {
        modifier_override: Some(BundleOverride {
            kind: Discount,
            pricing_type: PricingType::PerHour,
            modifier: fixed("50"),
        }),
        ..bundle(9, &[1, 2])
    }];
    assert_eq!(scene.applied(), [id(1)]);
    scene.bundles[0].modifier_override = None;
    scene.promotions[1].pricing_type = PricingType::PerPersonPerHour;
    assert_eq!(scene.applied(), [id(1)]);
}

#[test]
fn stay_types_make_one_stay_line_per_room() {
    let scene =
        Scene::new(&["100", "120"]).with(priced(discount(1, fixed("30")), PricingType::PerStay));
    let q = scene.quote();
    assert_eq!(scene.night_prices(), [dec("100"), dec("120")]);
    assert_eq!(amounts(&q.stay_adjustments), [(Discount, id(1), dec("30"))]);
    assert_eq!(q.room_total.amount, dec("190"));
    // A percentage is of the covered nights' list prices.
    let mut saturday = priced(discount(1, percent("0.1")), PricingType::PerUse);
    saturday.qualifiers.stay_dates = vec![Period::new(date("2026-12-05"), date("2026-12-05"))];
    let q = Scene::new(&["100", "120"]).with(saturday).quote();
    assert_eq!(amounts(&q.stay_adjustments), [(Discount, id(1), dec("12"))]);
}

#[test]
fn guest_types_count_guests_for_fixed_amounts_only() {
    let family = || Scene::new(&["100", "100"]).guests(2, &[6]);
    let q = family()
        .with(priced(
            premium(1, fixed("5")),
            PricingType::PerPersonPerNight,
        ))
        .quote();
    assert_eq!(q.nights[0].premium().amount, dec("15"));
    let q = family()
        .with(priced(premium(1, fixed("5")), PricingType::PerAdult))
        .quote();
    assert_eq!(amounts(&q.stay_adjustments), [(Premium, id(1), dec("10"))]);
    let q = family()
        .with(priced(discount(1, percent("0.1")), PricingType::PerChild))
        .quote();
    assert_eq!(amounts(&q.stay_adjustments), [(Discount, id(1), dec("20"))]);
    let q = family()
        .with(priced(
            discount(1, percent("0.1")),
            PricingType::PerChildPerNight,
        ))
        .quote();
    assert_eq!(q.nights[1].discount().amount, dec("10"));
    // Nobody to count: not applied.
    let couple =
        Scene::new(&["100", "100"]).with(priced(discount(1, fixed("5")), PricingType::PerChild));
    assert!(couple.applied().is_empty());
    assert_eq!(couple.room_total(), dec("200"));
}

#[test]
fn per_night_and_per_day_are_the_same_for_rooms() {
    let night = Scene::new(&["100", "80"])
        .with(discount(1, percent("0.25")))
        .quote();
    let day = Scene::new(&["100", "80"])
        .with(priced(discount(1, percent("0.25")), PricingType::PerDay))
        .quote();
    assert_eq!(night, day);
    assert_eq!(night.room_total.amount, dec("135"));
}

#[test]
fn a_night_never_goes_below_zero_nor_the_rooms_nights() {
    let scene = Scene::new(&["100", "40"])
        .with(discount(1, fixed("60")))
        .with(premium(2, fixed("10")));
    let q = scene.quote();
    // Friday 100 + 10 − 60; Saturday 40 + 10 − 50 (capped).
    assert_eq!(scene.night_prices(), [dec("50"), dec("0")]);
    assert_eq!(q.nights[1].discount().amount, dec("50"));
    let mut scene =
        Scene::new(&["100", "40"]).with(priced(discount(1, fixed("500")), PricingType::PerStay));
    scene.plan.fees = vec![RatePlanFee {
        kind: FeeKind::PerStay,
        amount: dec("10"),
        name: "Cleaning".into(),
    }];
    let q = scene.quote();
    assert_eq!(
        amounts(&q.stay_adjustments),
        [(Discount, id(1), dec("140"))]
    );
    assert_eq!(q.room_total.amount, dec("10")); // fees are never discounted
}

#[test]
fn stay_discount_cap_counts_night_discounts_and_stay_premiums() {
    let mut scene = Scene::new(&["100", "100"]);
    scene.promotions = vec![
        discount(1, fixed("90")),
        priced(discount(2, fixed("50")), PricingType::PerStay),
        priced(premium(3, fixed("7")), PricingType::PerStay),
    ];
    scene.bundles = vec![bundle(9, &[1, 2])];
    let q = scene.quote();
    // Alone: 180 and 50. The bundle: 90 off each night, then its stay line takes what is
    // left, the 20 of the nights and the 7 of the premium: 207.
    assert_eq!(scene.night_prices(), [dec("10"), dec("10")]);
    assert_eq!(
        amounts(&q.stay_adjustments),
        [(Premium, id(3), dec("7")), (Discount, id(9), dec("27"))]
    );
    assert_eq!(q.room_total.amount, dec("0"));
}

#[test]
fn each_adjustment_is_a_line_rounded_once() {
    let mut scene = Scene::new(&["999", "1001"]).with(discount(1, percent("0.15")));
    scene.currency = Currency::parse("JPY").unwrap();
    // 149.85 → 150 and 150.15 → 150 off.
    assert_eq!(scene.night_prices(), [dec("849"), dec("851")]);
    let q = scene.quote();
    assert!(q.adjustments().all(|a| a.amount.is_rounded()));
    let mut scene = Scene::new(&["12.345", "12.345"])
        .with(priced(premium(1, percent("0.1")), PricingType::PerStay));
    scene.currency = Currency::parse("KWD").unwrap();
    let q = scene.quote();
    assert_eq!(
        amounts(&q.stay_adjustments),
        [(Premium, id(1), dec("2.469"))]
    );
    assert_eq!(q.room_total.amount, dec("27.159"));
}

#[test]
fn identical_rooms_each_get_the_promotions() {
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.room.quantity = 3;
    let q = scene.quote();
    assert_eq!(q.room_total.amount, dec("180"));
    assert_eq!(q.total.amount, dec("540"));
    assert_eq!(q.first_night_charge().amount, dec("270"));
}

#[test]
fn promotions_never_change_whether_a_stay_is_offered() {
    let mut scene = Scene::new(&["100"]).with(discount(1, percent("0.1")));
    scene.plan.enabled = false;
    scene.availability[0].units = 0;
    let with = quote_with_offers(&scene.request(), &scene.offers()).unwrap_err();
    assert_eq!(with, quote(&scene.request()).unwrap_err());
    assert_eq!(with.len(), 2);
}

#[test]
fn overflow_is_refused_not_panicking() {
    let scene = Scene::new(&["79228162514264337593543950335"]).with(premium(1, fixed("1000")));
    let err = quote_with_offers(&scene.request(), &scene.offers()).unwrap_err();
    assert_eq!(err, [Unavailable::PriceOutOfRange]);
}

#[test]
fn the_result_does_not_depend_on_the_order_of_promotions_or_bundles() {
    let mut promotions: Vec<Promotion> = vec![
        discount(1, percent("0.1")),
        discount(2, fixed("10")),
        premium(3, percent("0.05")),
        priced(premium(4, fixed("3")), PricingType::PerPerson),
        priced(discount(5, fixed("12")), PricingType::PerStay),
    ];
    let mut scene = Scene::new(&["100", "90", "110"]);
    scene.promotions = promotions.clone();
    scene.bundles = vec![bundle(9, &[2, 5]), bundle(8, &[1, 5])];
    let expected = scene.quote();
    promotions.reverse();
    scene.promotions = promotions;
    scene.bundles.reverse();
    assert_eq!(scene.quote(), expected);
    // Both bundles take 30 + 12 off; the tie goes to bundle 8. Premiums: 5 % of 300 and
    // 3 for each of the two guests. 300 + 15 + 6 − 42.
    assert_eq!(scene.applied(), [id(3), id(8), id(4)]);
    assert_eq!(expected.room_total.amount, dec("279"));
}

#[test]
fn a_promotion_switched_off_on_the_channel_does_not_apply_there() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("15")));
    assert_eq!(scene.applied(), [id(2)]);
    scene.switched_off = vec![id(2)];
    assert_eq!(scene.applied(), [id(1)]);
    assert_eq!(scene.night_prices(), [dec("90"), dec("90")]);
    assert_eq!(
        scene.promotions[1].check(&scene.request(), &scene.offers()),
        Err(vec![crate::promotion::NotApplicable::SalesChannel])
    );
}

#[test]
fn a_bundle_is_off_on_a_channel_that_switched_it_or_one_of_its_items_off() {
    let mut scene = Scene::new(&["100", "100"])
        .with(discount(1, percent("0.1")))
        .with(discount(2, fixed("5")));
    scene.bundles = vec![bundle(9, &[1, 2])];
    assert_eq!(scene.applied(), [id(9)]);
    scene.switched_off = vec![id(9)];
    assert_eq!(scene.applied(), [id(1)]);
    scene.switched_off = vec![id(2)];
    assert_eq!(scene.applied(), [id(1)]);
}
