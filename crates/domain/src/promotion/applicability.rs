//! Whether, and on which nights, a promotion or a bundle applies to a quoted stay. The
//! meaning of each qualifier is documented on [`Qualifiers`]; this file applies them and
//! reports every one that blocks, like rate-plan eligibility does.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::qualifiers::limit;
use super::{Bundle, Offers, Promotion, Qualifiers};
use crate::cancellation::start_of_day;
use crate::pricing::QuoteRequest;

/// One reason a promotion or bundle does not apply to a quoted stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotApplicable {
    Disabled,
    /// Switched off on the sales channel being quoted.
    SalesChannel,
    /// An hourly pricing type (or bundle override): it never prices room nights.
    HourlyPricing,
    MasterRate,
    RatePlan,
    /// It names add-ons and no master rate or rate plan: it prices those add-ons, not rooms.
    AddOnsOnly,
    SellDates,
    AdvanceBooking,
    LastMinute,
    LengthOfStay,
    ArrivalDays,
    DepartureDays,
    RequiredDays,
    RoomRange,
    Prepay,
    Refundable,
    PromotionCode,
    Continent,
    Country,
    City,
    TimeZone,
    IpRange,
    /// No night of the stay is inside a stay-date period.
    StayDates,
    /// Every night inside a stay-date period is blacked out.
    BlackoutDates,
    /// No remaining night falls on an available weekday.
    AvailableDays,
    /// A bundle with fewer than two distinct items.
    BundleItems,
    /// A bundle item that is not among the offered promotions.
    BundleItemMissing {
        id: Uuid,
    },
    /// A bundle item that does not apply itself.
    BundleItemNotApplicable {
        id: Uuid,
    },
    /// The bundle's items apply, but on no common night.
    NoCommonNight,
}

impl NotApplicable {
    /// The contract field behind the reason.
    pub fn field(&self) -> &'static str {
        use NotApplicable::*;
        match self {
            Disabled => "enabled",
            SalesChannel => "salesChannel",
            HourlyPricing => "pricingType",
            MasterRate => "masterRateIdentifiers",
            RatePlan => "ratePlanIdentifiers",
            AddOnsOnly => "addOnIdentifiers",
            SellDates => "sellDateRateQualifiers",
            AdvanceBooking => "advanceBookingRateQualifier",
            LastMinute => "lastMinuteRateQualifier",
            LengthOfStay => "lengthOfStayRateQualifier",
            ArrivalDays => "arrivalDaysOfWeekRateQualifier",
            DepartureDays => "departureDaysOfWeekRateQualifier",
            RequiredDays => "requiredDaysOfWeekRateQualifier",
            RoomRange => "roomRangeRateQualifier",
            Prepay => "prepayRateQualifier",
            Refundable => "refundableRateQualifier",
            PromotionCode => "promotionRateQualifiers",
            Continent => "continentRateQualifiers",
            Country => "countryRateQualifiers",
            City => "cityRateQualifiers",
            TimeZone => "timezoneRateQualifiers",
            IpRange => "ipRangeRateQualifiers",
            StayDates => "stayDateRateQualifiers",
            BlackoutDates => "blackoutDates",
            AvailableDays => "availableDaysOfWeekRateQualifier",
            BundleItems
            | BundleItemMissing { .. }
            | BundleItemNotApplicable { .. }
            | NoCommonNight => "itemIdentifiers",
        }
    }
}

/// The nights a promotion or bundle covers (in stay order, never empty), or every reason it
/// does not apply.
pub type Coverage = Result<Vec<NaiveDate>, Vec<NotApplicable>>;

impl Promotion {
    /// Whether the promotion applies to the quoted stay, and on which nights.
    pub fn check(&self, req: &QuoteRequest, offers: &Offers) -> Coverage {
        let mut reasons = Vec::new();
        if !self.enabled {
            reasons.push(NotApplicable::Disabled);
        }
        if offers.switched_off.contains(&self.id) {
            reasons.push(NotApplicable::SalesChannel);
        }
        if self.pricing_type.scope().is_none() {
            reasons.push(NotApplicable::HourlyPricing);
        }
        if !listed(&self.master_rate_ids, offers.master_rate_id) {
            reasons.push(NotApplicable::MasterRate);
        }
        if !listed(&self.rate_plan_ids, offers.rate_plan_id) {
            reasons.push(NotApplicable::RatePlan);
        }
        if self.for_add_ons_only() {
            reasons.push(NotApplicable::AddOnsOnly);
        }
        match self.qualifiers.check(req, offers) {
            Ok(nights) if reasons.is_empty() => Ok(nights),
            Ok(_) => Err(reasons),
            Err(more) => {
                reasons.extend(more);
                Err(reasons)
            }
        }
    }
}

impl Promotion {
    /// A promotion that names add-ons and neither a master rate nor a rate plan is a deal on
    /// those add-ons: reading its empty room lists as "every room" would discount every stay.
    pub fn for_add_ons_only(&self) -> bool {
        !self.add_on_ids.is_empty()
            && self.master_rate_ids.is_empty()
            && self.rate_plan_ids.is_empty()
    }
}

/// An empty list applies to every product.
fn listed(ids: &[Uuid], id: Uuid) -> bool {
    ids.is_empty() || ids.contains(&id)
}

impl Qualifiers {
    /// The nights the qualifiers cover, or every qualifier that blocks.
    pub fn check(&self, req: &QuoteRequest, offers: &Offers) -> Coverage {
        let mut reasons = Vec::new();
        self.check_dates(req, offers, &mut reasons);
        self.check_stay(req, offers, &mut reasons);
        self.check_booker(offers, &mut reasons);
        match self.covered_nights(req) {
            Ok(nights) if reasons.is_empty() => Ok(nights),
            Ok(_) => Err(reasons),
            Err(reason) => {
                reasons.push(reason);
                Err(reasons)
            }
        }
    }

    fn check_dates(&self, req: &QuoteRequest, offers: &Offers, reasons: &mut Vec<NotApplicable>) {
        let booked_on = req.booked_on;
        if !self.sell_dates.is_empty() && !self.sell_dates.iter().any(|p| p.contains(booked_on)) {
            reasons.push(NotApplicable::SellDates);
        }
        let arrival = req.stay.arrival();
        if let Some(advance) = self.advance_booking {
            let days = (arrival - booked_on).num_days();
            let too_soon = days < i64::from(advance.min_days);
            let too_early = limit(advance.max_days).is_some_and(|max| days > i64::from(max));
            if too_soon || too_early {
                reasons.push(NotApplicable::AdvanceBooking);
            }
        }
        if let Some(seconds) = self.last_minute_seconds {
            let before = (start_of_day(offers.zone, arrival) - offers.booked_at).num_seconds();
            if before > i64::try_from(seconds).unwrap_or(i64::MAX) {
                reasons.push(NotApplicable::LastMinute);
            }
        }
    }

    fn check_stay(&self, req: &QuoteRequest, offers: &Offers, reasons: &mut Vec<NotApplicable>) {
        let stay = req.stay;
        if let Some(los) = self.length_of_stay {
            let nights = stay.night_count();
            if nights < los.min_los || limit(los.max_los).is_some_and(|max| nights > max) {
                reasons.push(NotApplicable::LengthOfStay);
            }
        }
        if self
            .arrival_days
            .is_some_and(|d| !d.allows(stay.arrival().weekday()))
        {
            reasons.push(NotApplicable::ArrivalDays);
        }
        if self
            .departure_days
            .is_some_and(|d| !d.allows(stay.departure().weekday()))
        {
            reasons.push(NotApplicable::DepartureDays);
        }
        if let Some(days) = self.required_days.filter(|d| d.is_set())
            && !stay.nights().any(|night| days.allows(night.weekday()))
        {
            reasons.push(NotApplicable::RequiredDays);
        }
        if let Some(range) = self.room_range {
            let rooms = offers.rooms_in_booking.max(req.room.quantity);
            let above = range
                .max_rooms
                .and_then(limit)
                .is_some_and(|max| rooms > max);
            if rooms < range.min_rooms || above {
                reasons.push(NotApplicable::RoomRange);
            }
        }
        if self.prepay.is_some_and(|prepay| prepay != req.plan.prepaid) {
            reasons.push(NotApplicable::Prepay);
        }
        if self
            .refundable
            .is_some_and(|refundable| refundable != req.plan.refundable)
        {
            reasons.push(NotApplicable::Refundable);
        }
    }

    fn check_booker(&self, offers: &Offers, reasons: &mut Vec<NotApplicable>) {
        let booker = offers.booker;
        let checks = [
            (
                !self.promotion_codes.is_empty() && booker.entered(&self.promotion_codes).is_none(),
                NotApplicable::PromotionCode,
            ),
            (
                !self.continents.is_empty() && !booker.in_continent(&self.continents),
                NotApplicable::Continent,
            ),
            (
                !self.countries.is_empty() && !booker.in_country(&self.countries),
                NotApplicable::Country,
            ),
            (
                !self.cities.is_empty() && !booker.in_city(&self.cities),
                NotApplicable::City,
            ),
            (
                !self.time_zones.is_empty() && !booker.in_time_zone(&self.time_zones),
                NotApplicable::TimeZone,
            ),
            (
                !self.ip_ranges.is_empty() && !booker.in_ip_range(&self.ip_ranges),
                NotApplicable::IpRange,
            ),
        ];
        reasons.extend(
            checks
                .into_iter()
                .filter(|(blocks, _)| *blocks)
                .map(|(_, reason)| reason),
        );
    }

    /// The nights that pass the night-scoped qualifiers, or the first of them that leaves
    /// none (stay dates, then blackouts, then available days).
    fn covered_nights(&self, req: &QuoteRequest) -> Result<Vec<NaiveDate>, NotApplicable> {
        let in_stay_dates: Vec<_> = req
            .stay
            .nights()
            .filter(|night| {
                self.stay_dates.is_empty() || self.stay_dates.iter().any(|p| p.contains(*night))
            })
            .collect();
        if in_stay_dates.is_empty() {
            return Err(NotApplicable::StayDates);
        }
        let not_blacked_out: Vec<_> = in_stay_dates
            .into_iter()
            .filter(|night| !self.blackout_dates.iter().any(|p| p.contains(*night)))
            .collect();
        if not_blacked_out.is_empty() {
            return Err(NotApplicable::BlackoutDates);
        }
        let covered: Vec<_> = not_blacked_out
            .into_iter()
            .filter(|night| {
                self.available_days
                    .is_none_or(|d| d.allows(night.weekday()))
            })
            .collect();
        if covered.is_empty() {
            return Err(NotApplicable::AvailableDays);
        }
        Ok(covered)
    }
}

impl Bundle {
    /// Whether the bundle applies: enabled, at least two distinct items, every item among
    /// `offers.promotions` and applying itself; it covers the nights ALL its items cover.
    pub fn check(&self, req: &QuoteRequest, offers: &Offers) -> Coverage {
        let mut reasons = Vec::new();
        if !self.enabled {
            reasons.push(NotApplicable::Disabled);
        }
        if offers.switched_off.contains(&self.id) {
            reasons.push(NotApplicable::SalesChannel);
        }
        if self
            .modifier_override
            .is_some_and(|o| o.pricing_type.scope().is_none())
        {
            reasons.push(NotApplicable::HourlyPricing);
        }
        let ids = self.distinct_items();
        if ids.len() < 2 {
            reasons.push(NotApplicable::BundleItems);
        }
        let mut common: Option<Vec<NaiveDate>> = None;
        for id in ids {
            let Some(item) = offers.promotions.iter().find(|p| p.id == id) else {
                reasons.push(NotApplicable::BundleItemMissing { id });
                continue;
            };
            match item.check(req, offers) {
                Ok(nights) => {
                    common = Some(match common {
                        None => nights,
                        Some(common) => common.into_iter().filter(|n| nights.contains(n)).collect(),
                    });
                }
                Err(_) => reasons.push(NotApplicable::BundleItemNotApplicable { id }),
            }
        }
        if !reasons.is_empty() {
            return Err(reasons);
        }
        match common {
            Some(nights) if !nights.is_empty() => Ok(nights),
            _ => Err(vec![NotApplicable::NoCommonNight]),
        }
    }
}
