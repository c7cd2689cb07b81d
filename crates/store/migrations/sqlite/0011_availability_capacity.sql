-- Rooms for sale are derived, no longer overwritten: a room type's night stores the capacity the
-- hotel gives (the `quantity` / `numberOfUnits` it writes; `deltaQuantity` changes it) and the
-- rooms its bookings hold, and what is left for sale is capacity - sold (never below 0). An
-- absolute write sets the capacity only, so a booking made between a client's read and its
-- write stays counted instead of being sold again (see docs/decisions.md, "Inventory").
--
-- - capacity: rooms of the room type the hotel sells that night through this server in all,
--   including those already booked.
-- - sold: rooms held that night by bookings that are not cancelled (a booking adds its quantity
--   with one conditional update, `capacity - sold >= quantity`; cancelling takes it off). The
--   inventory audit compares it with booking_nights.
--
-- Existing rows keep exactly the rooms they had left: sold is recounted from the bookings that
-- hold the night, capacity is what was left plus that.
ALTER TABLE room_availability ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0);
ALTER TABLE room_availability ADD COLUMN sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0);

UPDATE room_availability SET sold = COALESCE((
    SELECT SUM(n.quantity) FROM booking_nights n JOIN bookings b ON b.id = n.booking_id
    WHERE n.room_type_id = room_availability.room_type_id AND n.day = room_availability.day
      AND b.cancelled_at IS NULL), 0);
UPDATE room_availability SET capacity = units + sold;

ALTER TABLE room_availability DROP COLUMN units;
