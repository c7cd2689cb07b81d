-- Schedule items: what a booking reserved of a meeting room, restaurant, spa, place, attraction or
-- activity (an inventory item of those kinds), once or as a recurring series. The rules are
-- wink_domain::schedule's.
--
-- What each column means:
-- - inventory_id: the item scheduled (never an add-on). An inventory item with schedule items
--   cannot be deleted (the delete is refused naming how many; the foreign key is the safety net).
-- - booking_id: a booking of the same property.
-- - recurrence_id: the series this item changes one occurrence of (the contract's
--   `recurrenceId`); deleting the series deletes these with it.
-- - starts_at/ends_at: the first occurrence's `start` and `end` as sent (instants), with the
--   zones they are read in; all_day: whole days, from the date of the start to the date of the
--   end.
-- - recurrence_rule: the RRULE value as sent (NULL: not recurring); recurrence_exceptions: a
--   JSON array of the exception instants.
-- - occurs_from/occurs_until: the span every occurrence lies in (occurs_until NULL: the series
--   goes on past the dates the server accepts), worked out on each write so a list reads only
--   the items that can overlap its range.

CREATE TABLE schedule_items (
    id                    BLOB PRIMARY KEY,
    property_id           BLOB NOT NULL REFERENCES properties (id),
    inventory_id          BLOB NOT NULL REFERENCES inventory_items (id),
    booking_id            BLOB NOT NULL REFERENCES bookings (id),
    recurrence_id         BLOB REFERENCES schedule_items (id) ON DELETE CASCADE,
    starts_at             TEXT NOT NULL,
    start_zone            TEXT NOT NULL,
    ends_at               TEXT NOT NULL,
    end_zone              TEXT NOT NULL,
    all_day               BOOLEAN NOT NULL,
    recurrence_rule       TEXT,
    recurrence_exceptions TEXT NOT NULL,
    attendees             INTEGER NOT NULL CHECK (attendees > 0),
    occurs_from           TEXT NOT NULL,
    occurs_until          TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX schedule_items_inventory ON schedule_items (inventory_id, occurs_from);
CREATE INDEX schedule_items_booking ON schedule_items (booking_id);
CREATE INDEX schedule_items_recurrence ON schedule_items (recurrence_id);
