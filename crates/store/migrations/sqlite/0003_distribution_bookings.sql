-- Sales channels and bookings.

CREATE TABLE sales_channels (
    id               BLOB PRIMARY KEY,
    property_id      BLOB NOT NULL REFERENCES properties (id),
    owner_account_id BLOB NOT NULL REFERENCES accounts (id),
    enabled          BOOLEAN NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (property_id, owner_account_id)
);

CREATE TABLE bookings (
    id               BLOB PRIMARY KEY,
    property_id      BLOB NOT NULL REFERENCES properties (id),
    code             TEXT NOT NULL UNIQUE,
    sales_channel_id BLOB NOT NULL REFERENCES sales_channels (id),
    master_rate_id   BLOB NOT NULL,
    room_type_id     BLOB NOT NULL,
    rate_plan_id     BLOB NOT NULL,
    arrival          TEXT NOT NULL,
    departure        TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    status           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    total            TEXT NOT NULL,
    guest_name       TEXT NOT NULL,
    test             BOOLEAN NOT NULL,
    document         TEXT NOT NULL,
    cancelled_at     TEXT,
    penalty          TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX bookings_property_created ON bookings (property_id, created_at);

-- The nights a booking holds, so cancelling gives back exactly what was taken and the counters
-- can be recounted from the bookings.
CREATE TABLE booking_nights (
    booking_id   BLOB NOT NULL REFERENCES bookings (id),
    room_type_id BLOB NOT NULL,
    day          TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    PRIMARY KEY (booking_id, day)
);
CREATE INDEX booking_nights_room_day ON booking_nights (room_type_id, day);
