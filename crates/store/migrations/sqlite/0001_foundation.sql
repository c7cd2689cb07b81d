-- Accounts own applications (OAuth2 clients) and manage properties. An account is also a managing
-- entity of its own: a sales channel's owner is an account (a travel agent, a corporate, ...).
CREATE TABLE accounts (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    email        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE applications (
    id           BLOB PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX applications_account ON applications (account_id);

-- Ed25519 keys that sign access tokens; every node verifies with any key that is not retired.
CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    private_key_pem TEXT NOT NULL,
    public_key      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    retired_at      TEXT
);

-- Revoked access tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        BLOB PRIMARY KEY,
    expires_at TEXT NOT NULL
);

CREATE TABLE properties (
    id            BLOB PRIMARY KEY,
    account_id    BLOB NOT NULL REFERENCES accounts (id),
    registered_by BLOB NOT NULL,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    url_name      TEXT NOT NULL UNIQUE,
    hotel_code    TEXT NOT NULL UNIQUE,
    unique_code   TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    lead_id       TEXT NOT NULL,
    document      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX properties_account ON properties (account_id);

CREATE TABLE room_types (
    id                 BLOB PRIMARY KEY,
    property_id        BLOB NOT NULL REFERENCES properties (id),
    name               TEXT NOT NULL,
    quantity           INTEGER NOT NULL,
    active             BOOLEAN NOT NULL,
    bookable           BOOLEAN NOT NULL,
    min_occupancy      INTEGER NOT NULL,
    max_occupancy      INTEGER NOT NULL,
    max_adults         INTEGER NOT NULL,
    max_children       INTEGER NOT NULL,
    included_adults    INTEGER NOT NULL,
    included_children  INTEGER NOT NULL,
    document           TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX room_types_property ON room_types (property_id);

CREATE TABLE cancellation_policies (
    id                    BLOB PRIMARY KEY,
    property_id           BLOB NOT NULL REFERENCES properties (id),
    refundable            BOOLEAN NOT NULL,
    free_cancellation     TEXT,
    refundable_charge     TEXT,
    no_show_charge        TEXT,
    non_refundable_charge TEXT,
    non_refundable_deadline TEXT,
    after_deadline_charge TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cancellation_policies_property ON cancellation_policies (property_id);

CREATE TABLE rate_plans (
    id                      BLOB PRIMARY KEY,
    property_id             BLOB NOT NULL REFERENCES properties (id),
    name                    TEXT NOT NULL,
    enabled                 BOOLEAN NOT NULL,
    cancellation_policy_id  BLOB NOT NULL REFERENCES cancellation_policies (id),
    document                TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rate_plans_property ON rate_plans (property_id);
CREATE INDEX rate_plans_policy ON rate_plans (cancellation_policy_id);

-- Date-bound overrides of a rate plan's cancellation policy.
CREATE TABLE rate_plan_policy_exceptions (
    rate_plan_id           BLOB NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    cancellation_policy_id BLOB NOT NULL REFERENCES cancellation_policies (id),
    start_date             TEXT NOT NULL,
    end_date               TEXT NOT NULL,
    PRIMARY KEY (rate_plan_id, position)
);
CREATE INDEX rate_plan_policy_exceptions_policy ON rate_plan_policy_exceptions (cancellation_policy_id);

-- One master rate per room type x rate plan, created and removed with them.
CREATE TABLE master_rates (
    id            BLOB PRIMARY KEY,
    property_id   BLOB NOT NULL REFERENCES properties (id),
    room_type_id  BLOB NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    rate_plan_id  BLOB NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    enabled       BOOLEAN NOT NULL,
    perks         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (room_type_id, rate_plan_id)
);
CREATE INDEX master_rates_property ON master_rates (property_id);

-- A master rate's price and restrictions for one date.
CREATE TABLE daily_rates (
    master_rate_id      BLOB NOT NULL REFERENCES master_rates (id) ON DELETE CASCADE,
    day                 TEXT NOT NULL,
    rate                TEXT,
    open                BOOLEAN NOT NULL,
    closed_to_arrival   BOOLEAN NOT NULL,
    closed_to_departure BOOLEAN NOT NULL,
    min_los             INTEGER,
    max_los             INTEGER,
    modifiers           TEXT NOT NULL,
    rate_source         TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (master_rate_id, day)
);

-- Rooms of a room type still for sale on one night, shared by all its rate plans. A booking takes
-- a unit with one conditional update per night, so the count can never go below zero.
CREATE TABLE room_availability (
    room_type_id BLOB NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    units        INTEGER NOT NULL CHECK (units >= 0),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (room_type_id, day)
);

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
