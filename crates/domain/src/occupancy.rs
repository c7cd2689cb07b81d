//! Who sleeps in a room, and what a room type can hold.
//!
//! Only children's ages are known (the contract's booking carries `children[].age`, adults
//! are a count), which is why age rules in `rate_plan` can only look at children.

use crate::error::DomainError;
use crate::unavailable::Unavailable;

/// Oldest age that still counts as a child. An 18-year-old is an adult and is counted in
/// `adults`; accepting a "child" of 30 would let a booking dodge extra-adult charges.
pub const MAX_CHILD_AGE: u32 = 17;

/// The guests of one room, booked `quantity` times (identical rooms with identical guests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRequest {
    pub adults: u32,
    pub child_ages: Vec<u32>,
    pub quantity: u32,
}

impl RoomRequest {
    /// Checks what every booking must satisfy whatever the room: at least one adult (a
    /// room is not let to children alone), children aged 0 to [`MAX_CHILD_AGE`], at least one
    /// room.
    pub fn new(
        adults: u32,
        child_ages: Vec<u32>,
        quantity: u32,
    ) -> Result<RoomRequest, DomainError> {
        if adults == 0 {
            return Err(DomainError::invalid(
                "adults",
                "at least one adult per room",
            ));
        }
        if let Some(age) = child_ages.iter().find(|age| **age > MAX_CHILD_AGE) {
            return Err(DomainError::invalid(
                "children",
                format!("a child is at most {MAX_CHILD_AGE} years old, got {age}"),
            ));
        }
        if quantity == 0 {
            return Err(DomainError::invalid("quantity", "at least one room"));
        }
        Ok(RoomRequest {
            adults,
            child_ages,
            quantity,
        })
    }

    /// Guests in one room: adults and children.
    pub fn guests(&self) -> u32 {
        self.adults.saturating_add(self.children())
    }

    pub fn children(&self) -> u32 {
        u32::try_from(self.child_ages.len()).unwrap_or(u32::MAX)
    }
}

/// What one room of a room type holds, and which guests its base rate already includes.
/// Values are taken literally (a `max_children` of 0 means no children); the API fills
/// defaults for fields a property left out before building this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomCapacity {
    pub min_occupancy: u32,
    pub max_occupancy: u32,
    pub max_adults: u32,
    pub max_children: u32,
    /// Adults the base rate is meant for (contract `includedAdultOccupancy`).
    pub included_adults: u32,
    /// Children the base rate is meant for (contract `includedChildOccupancy`).
    pub included_children: u32,
}

impl RoomCapacity {
    /// Refuses a capacity that contradicts itself, naming the contract field: the minimum above
    /// the maximum, more adults or children allowed than guests, more guests included in the base
    /// rate than the room holds.
    pub fn validate(&self) -> Result<(), DomainError> {
        let rules: [(&'static str, bool, &str); 5] = [
            (
                "minOccupancy",
                self.min_occupancy <= self.max_occupancy,
                "must not exceed maxOccupancy",
            ),
            (
                "maxAdultOccupancy",
                self.max_adults <= self.max_occupancy,
                "must not exceed maxOccupancy",
            ),
            (
                "maxChildOccupancy",
                self.max_children <= self.max_occupancy,
                "must not exceed maxOccupancy",
            ),
            (
                "includedAdultOccupancy",
                self.included_adults <= self.max_adults,
                "must not exceed maxAdultOccupancy",
            ),
            (
                "includedChildOccupancy",
                self.included_children <= self.max_children,
                "must not exceed maxChildOccupancy",
            ),
        ];
        match rules.iter().find(|(_, ok, _)| !ok) {
            Some((field, _, message)) => Err(DomainError::invalid(*field, *message)),
            None => Ok(()),
        }
    }

    /// Every way one room of the request does not fit, empty when it fits.
    pub fn check(&self, room: &RoomRequest) -> Vec<Unavailable> {
        let mut reasons = Vec::new();
        let guests = room.guests();
        if room.adults > self.max_adults {
            reasons.push(Unavailable::TooManyAdults {
                adults: room.adults,
                max: self.max_adults,
            });
        }
        if room.children() > self.max_children {
            reasons.push(Unavailable::TooManyChildren {
                children: room.children(),
                max: self.max_children,
            });
        }
        if guests > self.max_occupancy {
            reasons.push(Unavailable::TooManyGuests {
                guests,
                max: self.max_occupancy,
            });
        }
        if guests < self.min_occupancy {
            reasons.push(Unavailable::BelowRoomMinOccupancy {
                guests,
                min: self.min_occupancy,
            });
        }
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity() -> RoomCapacity {
        RoomCapacity {
            min_occupancy: 1,
            max_occupancy: 3,
            max_adults: 2,
            max_children: 1,
            included_adults: 2,
            included_children: 0,
        }
    }

    fn codes(room: &RoomRequest, capacity: &RoomCapacity) -> Vec<&'static str> {
        capacity.check(room).iter().map(Unavailable::code).collect()
    }

    #[test]
    fn contradictory_capacities_are_refused() {
        let ok = RoomCapacity {
            min_occupancy: 1,
            max_occupancy: 3,
            max_adults: 2,
            max_children: 1,
            included_adults: 2,
            included_children: 0,
        };
        assert!(ok.validate().is_ok());
        let bad = RoomCapacity {
            min_occupancy: 4,
            ..ok
        };
        assert_eq!(bad.validate().unwrap_err().field(), "minOccupancy");
        let bad = RoomCapacity {
            included_adults: 3,
            ..ok
        };
        assert_eq!(
            bad.validate().unwrap_err().field(),
            "includedAdultOccupancy"
        );
        let bad = RoomCapacity {
            max_adults: 4,
            ..ok
        };
        assert_eq!(bad.validate().unwrap_err().field(), "maxAdultOccupancy");
    }

    #[test]
    fn counts_guests() {
        let room = RoomRequest::new(2, vec![4, 9], 3).unwrap();
        assert_eq!(room.children(), 2);
        assert_eq!(room.guests(), 4);
        assert_eq!(room.quantity, 3);
    }

    #[test]
    fn request_needs_an_adult_real_children_and_a_room() {
        assert_eq!(
            RoomRequest::new(0, vec![5], 1).unwrap_err().field(),
            "adults"
        );
        assert_eq!(
            RoomRequest::new(1, vec![18], 1).unwrap_err().field(),
            "children"
        );
        assert!(RoomRequest::new(1, vec![0, MAX_CHILD_AGE], 1).is_ok());
        assert_eq!(
            RoomRequest::new(1, vec![], 0).unwrap_err().field(),
            "quantity"
        );
    }

    #[test]
    fn fitting_room_has_no_reason() {
        assert!(codes(&RoomRequest::new(2, vec![5], 1).unwrap(), &capacity()).is_empty());
        assert!(codes(&RoomRequest::new(1, vec![], 1).unwrap(), &capacity()).is_empty());
    }

    #[test]
    fn too_many_adults() {
        let room = RoomRequest::new(3, vec![], 1).unwrap();
        assert_eq!(codes(&room, &capacity()), ["TOO_MANY_ADULTS"]);
    }

    #[test]
    fn too_many_children_and_guests_are_both_reported() {
        let room = RoomRequest::new(2, vec![3, 4], 1).unwrap();
        assert_eq!(
            codes(&room, &capacity()),
            ["TOO_MANY_CHILDREN", "TOO_MANY_GUESTS"]
        );
    }

    #[test]
    fn too_many_guests_alone() {
        let cap = RoomCapacity {
            max_occupancy: 2,
            ..capacity()
        };
        let room = RoomRequest::new(2, vec![3], 1).unwrap();
        assert_eq!(codes(&room, &cap), ["TOO_MANY_GUESTS"]);
    }

    #[test]
    fn below_room_minimum() {
        let cap = RoomCapacity {
            min_occupancy: 2,
            ..capacity()
        };
        assert_eq!(
            codes(&RoomRequest::new(1, vec![], 1).unwrap(), &cap),
            ["BELOW_ROOM_MIN_OCCUPANCY"]
        );
        assert!(codes(&RoomRequest::new(2, vec![], 1).unwrap(), &cap).is_empty());
    }

    #[test]
    fn zero_children_allowed_means_none() {
        let cap = RoomCapacity {
            max_children: 0,
            ..capacity()
        };
        assert_eq!(
            codes(&RoomRequest::new(1, vec![0], 1).unwrap(), &cap),
            ["TOO_MANY_CHILDREN"]
        );
    }
}
