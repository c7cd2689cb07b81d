//! Step 3 of a quote: promotions turn the priced nights into adjusted ones, and add the
//! room's stay-level lines. The rules (which promotions apply, which combine, where an
//! amount lands) are the `promotion` module's; this file turns them into rounded lines.
//!
//! Every line is rounded once, here, where it is produced; caps compare rounded amounts,
//! so a capped line is still rounded. Arithmetic is checked: `None` is an overflow.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::adjustment::{Adjustment, AppliedOffer, OfferRef};
use super::{PricedNight, QuoteRequest};
use crate::charge::VariableCharge;
use crate::money::{Currency, Money};
use crate::occupancy::RoomRequest;
use crate::promotion::{Offers, PricingType, Promotion, PromotionKind, Scope};

/// The nights with their adjustments, the stay-level lines and the codes that unlocked them.
pub(super) struct Adjusted {
    pub nights: Vec<PricedNight>,
    pub stay: Vec<Adjustment>,
    pub codes: Vec<String>,
}

impl Adjusted {
    /// No promotion: the nights as priced.
    pub fn none(nights: Vec<PricedNight>) -> Adjusted {
        Adjusted {
            nights,
            stay: Vec::new(),
            codes: Vec::new(),
        }
    }
}

/// What one applicable promotion or bundle would add or take off one room, unrounded.
struct Candidate {
    kind: PromotionKind,
    offer: AppliedOffer,
    /// Discount ties go to the smaller key: promotions before bundles, then the smaller id.
    key: (bool, Uuid),
    /// Codes the booker entered that unlocked it (as the property spelled them).
    codes: Vec<String>,
    /// Amount on each covered night (night-scoped types), ≥ 0.
    nights: BTreeMap<NaiveDate, Decimal>,
    /// Amount for the stay (stay-scoped types), ≥ 0.
    stay: Decimal,
}

/// One discount candidate's rounded and capped lines, and what they take off in all.
struct DiscountLines {
    nights: BTreeMap<NaiveDate, Decimal>,
    stay: Decimal,
    total: Decimal,
}

/// Applies the offers to the priced `nights` of one room (see `promotion` for the rules):
/// every premium, then the discount candidate that takes the most off.
pub(super) fn apply(
    req: &QuoteRequest,
    offers: &Offers,
    nights: Vec<PricedNight>,
) -> Option<Adjusted> {
    let currency = req.currency;
    let list: BTreeMap<NaiveDate, Decimal> = nights
        .iter()
        .map(|night| (night.date, night.list_price.amount))
        .collect();
    let mut candidates = candidates(req, offers, &list)?;
    candidates.sort_by_key(|candidate| candidate.key);
    let (premiums, discounts): (Vec<_>, Vec<_>) = candidates
        .into_iter()
        .partition(|candidate| candidate.kind == PromotionKind::Premium);

    let mut lines = Lines::default();
    for premium in &premiums {
        let per_night = premium
            .nights
            .iter()
            .map(|(date, raw)| (*date, round(*raw, currency)));
        lines.add(premium, per_night, round(premium.stay, currency), currency);
    }
    if let Some((discount, chosen)) = best_discount(&discounts, &list, &lines, currency)? {
        lines.add(discount, chosen.nights, chosen.stay, currency);
    }
    lines.finish(nights, currency)
}

/// The adjustment lines of one room as they are built.
#[derive(Default)]
struct Lines {
    nights: BTreeMap<NaiveDate, Vec<Adjustment>>,
    stay: Vec<Adjustment>,
    codes: Vec<String>,
}

impl Lines {
    /// The candidate's lines for rounded amounts (none for zero), and its codes if it made
    /// a line.
    fn add(
        &mut self,
        candidate: &Candidate,
        nights: impl IntoIterator<Item = (NaiveDate, Decimal)>,
        stay: Decimal,
        currency: Currency,
    ) {
        let line = |amount| {
            (amount > Decimal::ZERO).then(|| Adjustment {
                kind: candidate.kind,
                offer: candidate.offer.clone(),
                amount: Money::new(amount, currency),
            })
        };
        let mut applied = false;
        for (date, amount) in nights {
            if let Some(line) = line(amount) {
                self.nights.entry(date).or_default().push(line);
                applied = true;
            }
        }
        if let Some(line) = line(stay) {
            self.stay.push(line);
            applied = true;
        }
        if applied {
            self.codes.extend(candidate.codes.iter().cloned());
        }
    }

    /// Σ of the lines on `date`, signed.
    fn on(&self, date: &NaiveDate) -> Decimal {
        self.nights
            .get(date)
            .into_iter()
            .flatten()
            .map(Adjustment::signed)
            .sum()
    }

    /// The nights with their lines and final prices.
    fn finish(mut self, nights: Vec<PricedNight>, currency: Currency) -> Option<Adjusted> {
        let nights = nights
            .into_iter()
            .map(|mut night| {
                let change = self.on(&night.date);
                night.price = Money::new(night.list_price.amount.checked_add(change)?, currency);
                night.adjustments = self.nights.remove(&night.date).unwrap_or_default();
                Some(night)
            })
            .collect::<Option<Vec<_>>>()?;
        self.codes.sort();
        self.codes.dedup();
        Some(Adjusted {
            nights,
            stay: self.stay,
            codes: self.codes,
        })
    }
}

fn round(amount: Decimal, currency: Currency) -> Decimal {
    Money::new(amount, currency).round().amount
}

/// The discount candidate that takes the most off the room, given the premiums already in
/// `lines`; candidates are in key order and a tie keeps the earlier one. `None` inside when
/// none takes anything off; outer `None` on overflow.
fn best_discount<'c>(
    discounts: &'c [Candidate],
    list: &BTreeMap<NaiveDate, Decimal>,
    lines: &Lines,
    currency: Currency,
) -> Option<Option<(&'c Candidate, DiscountLines)>> {
    // What a discount may take: each night's list price and premiums, and for the stay the
    // nights that are left plus the stay-level premiums.
    let mut ceilings = BTreeMap::new();
    for (date, list_price) in list {
        ceilings.insert(*date, list_price.checked_add(lines.on(date))?);
    }
    let stay_premiums: Decimal = lines.stay.iter().map(Adjustment::signed).sum();
    let mut best: Option<(&Candidate, DiscountLines)> = None;
    for discount in discounts {
        let lines = discount_lines(discount, &ceilings, stay_premiums, currency)?;
        if lines.total > best.as_ref().map_or(Decimal::ZERO, |(_, best)| best.total) {
            best = Some((discount, lines));
        }
    }
    Some(best)
}

/// One discount candidate's lines, rounded once and capped so nothing goes negative.
fn discount_lines(
    candidate: &Candidate,
    ceilings: &BTreeMap<NaiveDate, Decimal>,
    stay_premiums: Decimal,
    currency: Currency,
) -> Option<DiscountLines> {
    let mut nights = BTreeMap::new();
    let mut left_for_stay = stay_premiums;
    let mut total = Decimal::ZERO;
    for (date, ceiling) in ceilings {
        let amount = candidate
            .nights
            .get(date)
            .map_or(Decimal::ZERO, |raw| round(*raw, currency).min(*ceiling));
        left_for_stay = left_for_stay.checked_add(ceiling.checked_sub(amount)?)?;
        total = total.checked_add(amount)?;
        nights.insert(*date, amount);
    }
    let stay = round(candidate.stay, currency).min(left_for_stay);
    Some(DiscountLines {
        nights,
        stay,
        total: total.checked_add(stay)?,
    })
}

/// Every applicable promotion and bundle, with its unrounded amounts for one room.
fn candidates(
    req: &QuoteRequest,
    offers: &Offers,
    list: &BTreeMap<NaiveDate, Decimal>,
) -> Option<Vec<Candidate>> {
    let mut candidates = Vec::new();
    for promotion in offers.promotions {
        let Ok(nights) = promotion.check(req, offers) else {
            continue;
        };
        let parts = [(promotion.modifier, promotion.pricing_type)];
        let (night_amounts, stay) = amounts(&parts, &nights, list, req.room)?;
        candidates.push(Candidate {
            kind: promotion.kind,
            offer: AppliedOffer::Promotion(reference(promotion)),
            key: (false, promotion.id),
            codes: offers
                .booker
                .entered(&promotion.qualifiers.promotion_codes)
                .into_iter()
                .cloned()
                .collect(),
            nights: night_amounts,
            stay,
        });
    }
    for bundle in offers.bundles {
        let Ok(nights) = bundle.check(req, offers) else {
            continue;
        };
        let items: Vec<&Promotion> = bundle
            .distinct_items()
            .into_iter()
            .filter_map(|id| offers.promotions.iter().find(|p| p.id == id))
            .collect();
        let (kind, parts): (_, Vec<(VariableCharge, PricingType)>) = match bundle.modifier_override
        {
            Some(o) => (o.kind, vec![(o.modifier, o.pricing_type)]),
            // Premium items already apply on their own.
            None => (
                PromotionKind::Discount,
                items
                    .iter()
                    .filter(|item| item.kind == PromotionKind::Discount)
                    .map(|item| (item.modifier, item.pricing_type))
                    .collect(),
            ),
        };
        if parts.is_empty() {
            continue;
        }
        let (night_amounts, stay) = amounts(&parts, &nights, list, req.room)?;
        candidates.push(Candidate {
            kind,
            offer: AppliedOffer::Bundle {
                bundle: OfferRef {
                    id: bundle.id,
                    name: bundle.name.clone(),
                },
                items: items.iter().map(|item| reference(item)).collect(),
            },
            key: (true, bundle.id),
            codes: items
                .iter()
                .filter_map(|item| offers.booker.entered(&item.qualifiers.promotion_codes))
                .cloned()
                .collect(),
            nights: night_amounts,
            stay,
        });
    }
    Some(candidates)
}

fn reference(promotion: &Promotion) -> OfferRef {
    OfferRef {
        id: promotion.id,
        name: promotion.name.clone(),
    }
}

/// The unrounded amounts of `parts` on the covered `nights` of one room: per night for
/// night-scoped types (a fraction of that night's list price), and one for the stay for
/// stay-scoped types (a fraction of the covered nights' list prices).
fn amounts(
    parts: &[(VariableCharge, PricingType)],
    nights: &[NaiveDate],
    list: &BTreeMap<NaiveDate, Decimal>,
    room: &RoomRequest,
) -> Option<(BTreeMap<NaiveDate, Decimal>, Decimal)> {
    let list_price = |night: &NaiveDate| list.get(night).copied().unwrap_or_default();
    let mut per_night = BTreeMap::new();
    let mut stay = Decimal::ZERO;
    for (modifier, pricing_type) in parts {
        match pricing_type.scope() {
            Some(Scope::Night) => {
                for night in nights {
                    let amount = pricing_type.amount(*modifier, list_price(night), room)?;
                    let total: &mut Decimal = per_night.entry(*night).or_default();
                    *total = total.checked_add(amount)?;
                }
            }
            Some(Scope::Stay) => {
                let base = nights.iter().try_fold(Decimal::ZERO, |sum, night| {
                    sum.checked_add(list_price(night))
                })?;
                stay = stay.checked_add(pricing_type.amount(*modifier, base, room)?)?;
            }
            None => {}
        }
    }
    Some((per_night, stay))
}
