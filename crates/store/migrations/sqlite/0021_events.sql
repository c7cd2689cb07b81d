-- What happened to a property that an integrator may learn of (booking.created, rates.changed...),
-- in the order it happened: written in the transaction of the change it reports, so an event
-- exists exactly when its change committed. The event feed answers these rows; webhook
-- deliveries are made from them. `seq` numbers a property's events 1, 2, 3... without gaps
-- (taken from event_counters, whose row the writing transaction holds until it commits).
-- `payload` is the event's JSON `data`. Rows older than the retention period are deleted.
CREATE TABLE events (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    event_type   TEXT NOT NULL,
    payload      TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    UNIQUE (property_id, seq)
);
CREATE INDEX events_occurred_at ON events (occurred_at);

CREATE TABLE event_counters (
    property_id  BLOB PRIMARY KEY REFERENCES properties (id) ON DELETE CASCADE,
    last_seq     INTEGER NOT NULL
);
