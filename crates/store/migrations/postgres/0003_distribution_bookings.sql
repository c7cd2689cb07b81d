-- Sales channels and bookings.

CREATE TABLE sales_channels (
    id               UUID PRIMARY KEY,
    property_id      UUID NOT NULL REFERENCES properties (id),
    owner_account_id UUID NOT NULL REFERENCES accounts (id),
    enabled          BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    UNIQUE (property_id, owner_account_id)
);

CREATE TABLE bookings (
    id               UUID PRIMARY KEY,
    property_id      UUID NOT NULL REFERENCES properties (id),
    code             TEXT NOT NULL UNIQUE,
    sales_channel_id UUID NOT NULL REFERENCES sales_channels (id),
    master_rate_id   UUID NOT NULL,
    room_type_id     UUID NOT NULL,
    rate_plan_id     UUID NOT NULL,
    arrival          DATE NOT NULL,
    departure        DATE NOT NULL,
    quantity         INTEGER NOT NULL,
    status           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    total            NUMERIC(20, 6) NOT NULL,
    guest_name       TEXT NOT NULL,
    test             BOOLEAN NOT NULL,
    document         JSONB NOT NULL,
    cancelled_at     TIMESTAMPTZ,
    penalty          NUMERIC(20, 6),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX bookings_property_created ON bookings (property_id, created_at);

-- The nights a booking holds, so cancelling gives back exactly what was taken and the counters
-- can be recounted from the bookings.
CREATE TABLE booking_nights (
    booking_id   UUID NOT NULL REFERENCES bookings (id),
    room_type_id UUID NOT NULL,
    day          DATE NOT NULL,
    quantity     INTEGER NOT NULL,
    PRIMARY KEY (booking_id, day)
);
CREATE INDEX booking_nights_room_day ON booking_nights (room_type_id, day);
