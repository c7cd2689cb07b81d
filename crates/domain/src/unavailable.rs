//! Why a room type × rate plan is not offered for a stay.
//!
//! The pricing engine collects every reason that applies rather than stopping at the first,
//! so a property (or an integrator's support desk) sees at once everything that blocks a
//! stay. Each reason has a stable machine `code()` for clients and a `Display` that names the
//! date or limit involved, for people.

use std::fmt;

use chrono::NaiveDate;

/// One reason a stay is not offered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// The property's status is not `ACTIVE`: it sells nothing (its data stays editable).
    PropertyInactive,
    /// The room type is inactive or not bookable.
    RoomNotSellable,
    /// The master rate (room type × rate plan) is switched off.
    MasterRateDisabled,
    /// The property switched the sales channel off (`enabled` false).
    SalesChannelDisabled,
    /// The property blacklisted the sales channel.
    SalesChannelBlacklisted,
    /// The property switched this master rate off on the sales channel (its channel-inventory
    /// record), while it may still sell on others.
    ChannelInventoryDisabled,
    RatePlanDisabled,
    /// Arrival is before the booking date, both property-local.
    ArrivalInPast {
        arrival: NaiveDate,
        booked_on: NaiveDate,
    },
    OutsideSellWindow {
        booked_on: NaiveDate,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    },
    OutsideStayWindow {
        arrival: NaiveDate,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    },
    AdvanceTooShort {
        days: i64,
        min: u32,
    },
    AdvanceTooLong {
        days: i64,
        max: u32,
    },
    /// Length of stay below the rate plan's minimum.
    PlanStayTooShort {
        nights: u32,
        min: u32,
    },
    PlanStayTooLong {
        nights: u32,
        max: u32,
    },
    PlanOccupancyTooLow {
        guests: u32,
        min: u32,
    },
    PlanOccupancyTooHigh {
        guests: u32,
        max: u32,
    },
    ChildTooYoung {
        age: u32,
        min_age: u32,
    },
    ChildTooOld {
        age: u32,
        max_age: u32,
    },
    TooManyAdults {
        adults: u32,
        max: u32,
    },
    TooManyChildren {
        children: u32,
        max: u32,
    },
    TooManyGuests {
        guests: u32,
        max: u32,
    },
    BelowRoomMinOccupancy {
        guests: u32,
        min: u32,
    },
    /// The night's weekday is not among the rate plan's available days.
    DayNotAvailable {
        date: NaiveDate,
    },
    ArrivalDayNotAllowed {
        date: NaiveDate,
    },
    DepartureDayNotAllowed {
        date: NaiveDate,
    },
    /// No night of the stay falls on one of the rate plan's required days.
    RequiredDayMissing,
    NoRate {
        date: NaiveDate,
    },
    /// The night is closed for sale (contract field `master` false).
    StopSell {
        date: NaiveDate,
    },
    ClosedToArrival {
        date: NaiveDate,
    },
    ClosedToDeparture {
        date: NaiveDate,
    },
    /// The arrival day's own minimum length of stay.
    MinStayFromArrival {
        date: NaiveDate,
        min: u32,
        nights: u32,
    },
    MaxStayFromArrival {
        date: NaiveDate,
        max: u32,
        nights: u32,
    },
    NotEnoughUnits {
        date: NaiveDate,
        available: u32,
        requested: u32,
    },
    /// The price overflows the decimal range: only reachable with amounts or guest counts
    /// far beyond anything validated input allows, and refused rather than panicking.
    PriceOutOfRange,
}

impl Unavailable {
    /// Stable code for clients; never change one, add new ones instead.
    pub fn code(&self) -> &'static str {
        use Unavailable::*;
        match self {
            PropertyInactive => "PROPERTY_INACTIVE",
            RoomNotSellable => "ROOM_NOT_SELLABLE",
            MasterRateDisabled => "MASTER_RATE_DISABLED",
            SalesChannelDisabled => "SALES_CHANNEL_DISABLED",
            SalesChannelBlacklisted => "SALES_CHANNEL_BLACKLISTED",
            ChannelInventoryDisabled => "CHANNEL_INVENTORY_DISABLED",
            RatePlanDisabled => "RATE_PLAN_DISABLED",
            ArrivalInPast { .. } => "ARRIVAL_IN_PAST",
            OutsideSellWindow { .. } => "OUTSIDE_SELL_WINDOW",
            OutsideStayWindow { .. } => "OUTSIDE_STAY_WINDOW",
            AdvanceTooShort { .. } => "ADVANCE_BOOKING_TOO_SHORT",
            AdvanceTooLong { .. } => "ADVANCE_BOOKING_TOO_LONG",
            PlanStayTooShort { .. } => "PLAN_MIN_LENGTH_OF_STAY",
            PlanStayTooLong { .. } => "PLAN_MAX_LENGTH_OF_STAY",
            PlanOccupancyTooLow { .. } => "PLAN_MIN_OCCUPANCY",
            PlanOccupancyTooHigh { .. } => "PLAN_MAX_OCCUPANCY",
            ChildTooYoung { .. } => "CHILD_TOO_YOUNG",
            ChildTooOld { .. } => "CHILD_TOO_OLD",
            TooManyAdults { .. } => "TOO_MANY_ADULTS",
            TooManyChildren { .. } => "TOO_MANY_CHILDREN",
            TooManyGuests { .. } => "TOO_MANY_GUESTS",
            BelowRoomMinOccupancy { .. } => "BELOW_ROOM_MIN_OCCUPANCY",
            DayNotAvailable { .. } => "DAY_OF_WEEK_NOT_AVAILABLE",
            ArrivalDayNotAllowed { .. } => "ARRIVAL_DAY_NOT_ALLOWED",
            DepartureDayNotAllowed { .. } => "DEPARTURE_DAY_NOT_ALLOWED",
            RequiredDayMissing => "REQUIRED_DAY_MISSING",
            NoRate { .. } => "NO_RATE",
            StopSell { .. } => "STOP_SELL",
            ClosedToArrival { .. } => "CLOSED_TO_ARRIVAL",
            ClosedToDeparture { .. } => "CLOSED_TO_DEPARTURE",
            MinStayFromArrival { .. } => "MIN_LENGTH_OF_STAY",
            MaxStayFromArrival { .. } => "MAX_LENGTH_OF_STAY",
            NotEnoughUnits { .. } => "NOT_ENOUGH_UNITS",
            PriceOutOfRange => "PRICE_OUT_OF_RANGE",
        }
    }
}

struct Window(Option<NaiveDate>, Option<NaiveDate>);

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(start), Some(end)) => write!(f, "{start} to {end}"),
            (Some(start), None) => write!(f, "from {start}"),
            (None, Some(end)) => write!(f, "until {end}"),
            (None, None) => f.write_str("any date"),
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Unavailable::*;
        match self {
            PropertyInactive => f.write_str(
                "the property is not active: it sells nothing until its status is ACTIVE",
            ),
            RoomNotSellable => f.write_str("room type is not active or not bookable"),
            MasterRateDisabled => f.write_str("master rate is disabled"),
            SalesChannelDisabled => f.write_str("sales channel is disabled"),
            SalesChannelBlacklisted => f.write_str("sales channel is blacklisted"),
            ChannelInventoryDisabled => f.write_str(
                "not offered on this sales channel: its channel inventory is switched off",
            ),
            RatePlanDisabled => f.write_str("rate plan is disabled"),
            ArrivalInPast { arrival, booked_on } => {
                write!(
                    f,
                    "arrival {arrival} is before the booking date {booked_on}"
                )
            }
            OutsideSellWindow {
                booked_on,
                start,
                end,
            } => write!(
                f,
                "booking on {booked_on} is outside the sell window ({})",
                Window(*start, *end)
            ),
            OutsideStayWindow {
                arrival,
                start,
                end,
            } => write!(
                f,
                "arrival {arrival} is outside the stay window ({})",
                Window(*start, *end)
            ),
            AdvanceTooShort { days, min } => {
                write!(f, "must book at least {min} days ahead, booked {days}")
            }
            AdvanceTooLong { days, max } => {
                write!(f, "can book at most {max} days ahead, booked {days}")
            }
            PlanStayTooShort { nights, min } => {
                write!(f, "rate plan minimum stay {min} nights, requested {nights}")
            }
            PlanStayTooLong { nights, max } => {
                write!(f, "rate plan maximum stay {max} nights, requested {nights}")
            }
            PlanOccupancyTooLow { guests, min } => {
                write!(
                    f,
                    "rate plan needs at least {min} guests per room, requested {guests}"
                )
            }
            PlanOccupancyTooHigh { guests, max } => {
                write!(
                    f,
                    "rate plan allows at most {max} guests per room, requested {guests}"
                )
            }
            ChildTooYoung { age, min_age } => {
                write!(f, "rate plan minimum age {min_age}, a child is {age}")
            }
            ChildTooOld { age, max_age } => {
                write!(f, "rate plan maximum age {max_age}, a child is {age}")
            }
            TooManyAdults { adults, max } => {
                write!(f, "room takes at most {max} adults, requested {adults}")
            }
            TooManyChildren { children, max } => {
                write!(f, "room takes at most {max} children, requested {children}")
            }
            TooManyGuests { guests, max } => {
                write!(f, "room takes at most {max} guests, requested {guests}")
            }
            BelowRoomMinOccupancy { guests, min } => {
                write!(f, "room needs at least {min} guests, requested {guests}")
            }
            DayNotAvailable { date } => {
                write!(
                    f,
                    "rate plan is not available on {} {date}",
                    date.format("%A")
                )
            }
            ArrivalDayNotAllowed { date } => {
                write!(f, "arrival not allowed on {} {date}", date.format("%A"))
            }
            DepartureDayNotAllowed { date } => {
                write!(f, "departure not allowed on {} {date}", date.format("%A"))
            }
            RequiredDayMissing => f.write_str("stay does not include a required day of the week"),
            NoRate { date } => write!(f, "no rate set for {date}"),
            StopSell { date } => write!(f, "closed for sale on {date}"),
            ClosedToArrival { date } => write!(f, "closed to arrival on {date}"),
            ClosedToDeparture { date } => write!(f, "closed to departure on {date}"),
            MinStayFromArrival { date, min, nights } => {
                write!(
                    f,
                    "minimum stay {min} nights from {date}, requested {nights}"
                )
            }
            MaxStayFromArrival { date, max, nights } => {
                write!(
                    f,
                    "maximum stay {max} nights from {date}, requested {nights}"
                )
            }
            NotEnoughUnits {
                date,
                available,
                requested,
            } => write!(
                f,
                "only {available} rooms left on {date}, requested {requested}"
            ),
            PriceOutOfRange => f.write_str("price exceeds the supported range"),
        }
    }
}

#[cfg(test)]
mod tests;
