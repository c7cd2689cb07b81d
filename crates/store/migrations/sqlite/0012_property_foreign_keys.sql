-- Defence in depth: the database itself refuses a row that points at another property's row.
-- Every reference from a property's row to another property-owned row is a foreign key on
-- (property_id, parent id) to the parent's UNIQUE (property_id, id). Tables that link two
-- property-owned rows without a property of their own (a rate plan's policy exceptions, a
-- promotion's master rates, rate plans and add-ons, a bundle's items) get a property_id, taken
-- from their first parent.
--
-- Not covered, on purpose: rows with a single parent and no property of their own (daily_rates,
-- room_availability, booking_nights, booking_refunds): their property IS their parent's, so they
-- cannot disagree with it, and the first two are the largest, hottest tables. A booking's
-- master_rate_id, room_type_id and rate_plan_id are a snapshot that outlives the rate plan or
-- room type (a cancelled booking does not block their deletion), so they have no foreign key.
--
-- SQLite cannot add a constraint to a table: each child is rebuilt as SQLite documents it (new
-- table, copy every row, drop, rename, indexes again). The store runs migrations with
-- foreign_keys OFF (so dropping a parent deletes and cascades nothing) and this migration checks
-- every foreign key before it commits: a database that already holds a row of one property
-- pointing at another's refuses the migration instead of carrying it along.

-- Parents that are not rebuilt: a UNIQUE index is enough for SQLite to reference.
CREATE UNIQUE INDEX cancellation_policies_property_id ON cancellation_policies (property_id, id);
CREATE UNIQUE INDEX room_types_property_id ON room_types (property_id, id);
CREATE UNIQUE INDEX promotions_property_id ON promotions (property_id, id);
CREATE UNIQUE INDEX promotion_bundles_property_id ON promotion_bundles (property_id, id);
CREATE UNIQUE INDEX sales_channels_property_id ON sales_channels (property_id, id);

CREATE TABLE rate_plans_new (
    id                      BLOB PRIMARY KEY,
    property_id             BLOB NOT NULL REFERENCES properties (id),
    name                    TEXT NOT NULL,
    enabled                 BOOLEAN NOT NULL,
    cancellation_policy_id  BLOB NOT NULL,
    document                TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    UNIQUE (property_id, id),
    FOREIGN KEY (property_id, cancellation_policy_id) REFERENCES cancellation_policies (property_id, id)
);
INSERT INTO rate_plans_new (id, property_id, name, enabled, cancellation_policy_id, document, created_at, updated_at, version)
SELECT id, property_id, name, enabled, cancellation_policy_id, document, created_at, updated_at, version FROM rate_plans;
DROP TABLE rate_plans;
ALTER TABLE rate_plans_new RENAME TO rate_plans;
CREATE INDEX rate_plans_property ON rate_plans (property_id);
CREATE INDEX rate_plans_policy ON rate_plans (cancellation_policy_id);

CREATE TABLE rate_plan_policy_exceptions_new (
    property_id            BLOB NOT NULL,
    rate_plan_id           BLOB NOT NULL,
    position               INTEGER NOT NULL,
    cancellation_policy_id BLOB NOT NULL,
    start_date             TEXT NOT NULL,
    end_date               TEXT NOT NULL,
    PRIMARY KEY (rate_plan_id, position),
    FOREIGN KEY (property_id, rate_plan_id) REFERENCES rate_plans (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, cancellation_policy_id) REFERENCES cancellation_policies (property_id, id)
);
INSERT INTO rate_plan_policy_exceptions_new (property_id, rate_plan_id, position, cancellation_policy_id, start_date, end_date)
SELECT r.property_id, e.rate_plan_id, e.position, e.cancellation_policy_id, e.start_date, e.end_date
FROM rate_plan_policy_exceptions e JOIN rate_plans r ON r.id = e.rate_plan_id;
DROP TABLE rate_plan_policy_exceptions;
ALTER TABLE rate_plan_policy_exceptions_new RENAME TO rate_plan_policy_exceptions;
CREATE INDEX rate_plan_policy_exceptions_policy ON rate_plan_policy_exceptions (cancellation_policy_id);

CREATE TABLE master_rates_new (
    id            BLOB PRIMARY KEY,
    property_id   BLOB NOT NULL REFERENCES properties (id),
    room_type_id  BLOB NOT NULL,
    rate_plan_id  BLOB NOT NULL,
    enabled       BOOLEAN NOT NULL,
    perks         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (room_type_id, rate_plan_id),
    UNIQUE (property_id, id),
    FOREIGN KEY (property_id, room_type_id) REFERENCES room_types (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, rate_plan_id) REFERENCES rate_plans (property_id, id) ON DELETE CASCADE
);
INSERT INTO master_rates_new (id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at, version)
SELECT id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at, version FROM master_rates;
DROP TABLE master_rates;
ALTER TABLE master_rates_new RENAME TO master_rates;
CREATE INDEX master_rates_property ON master_rates (property_id);
CREATE INDEX master_rates_rate_plan ON master_rates (rate_plan_id);

CREATE TABLE inventory_items_new (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL REFERENCES properties (id),
    kind         TEXT NOT NULL CHECK (kind IN ('ADD_ON', 'SPA', 'RESTAURANT', 'MEETING_ROOM', 'PLACE', 'ATTRACTION', 'ACTIVITY')),
    name         TEXT NOT NULL,
    rate_plan_id BLOB,
    document     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (property_id, id),
    FOREIGN KEY (property_id, rate_plan_id) REFERENCES rate_plans (property_id, id)
);
INSERT INTO inventory_items_new (id, property_id, kind, name, rate_plan_id, document, created_at, updated_at, version)
SELECT id, property_id, kind, name, rate_plan_id, document, created_at, updated_at, version FROM inventory_items;
DROP TABLE inventory_items;
ALTER TABLE inventory_items_new RENAME TO inventory_items;
CREATE INDEX inventory_items_property_kind ON inventory_items (property_id, kind, created_at);
CREATE INDEX inventory_items_rate_plan ON inventory_items (rate_plan_id);

CREATE TABLE promotion_master_rates_new (
    property_id    BLOB NOT NULL,
    promotion_id   BLOB NOT NULL,
    master_rate_id BLOB NOT NULL,
    PRIMARY KEY (promotion_id, master_rate_id),
    FOREIGN KEY (property_id, promotion_id) REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, master_rate_id) REFERENCES master_rates (property_id, id)
);
INSERT INTO promotion_master_rates_new (property_id, promotion_id, master_rate_id)
SELECT p.property_id, l.promotion_id, l.master_rate_id
FROM promotion_master_rates l JOIN promotions p ON p.id = l.promotion_id;
DROP TABLE promotion_master_rates;
ALTER TABLE promotion_master_rates_new RENAME TO promotion_master_rates;
CREATE INDEX promotion_master_rates_master_rate ON promotion_master_rates (master_rate_id);

CREATE TABLE promotion_rate_plans_new (
    property_id  BLOB NOT NULL,
    promotion_id BLOB NOT NULL,
    rate_plan_id BLOB NOT NULL,
    PRIMARY KEY (promotion_id, rate_plan_id),
    FOREIGN KEY (property_id, promotion_id) REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, rate_plan_id) REFERENCES rate_plans (property_id, id)
);
INSERT INTO promotion_rate_plans_new (property_id, promotion_id, rate_plan_id)
SELECT p.property_id, l.promotion_id, l.rate_plan_id
FROM promotion_rate_plans l JOIN promotions p ON p.id = l.promotion_id;
DROP TABLE promotion_rate_plans;
ALTER TABLE promotion_rate_plans_new RENAME TO promotion_rate_plans;
CREATE INDEX promotion_rate_plans_rate_plan ON promotion_rate_plans (rate_plan_id);

CREATE TABLE promotion_add_ons_new (
    property_id  BLOB NOT NULL,
    promotion_id BLOB NOT NULL,
    add_on_id    BLOB NOT NULL,
    PRIMARY KEY (promotion_id, add_on_id),
    FOREIGN KEY (property_id, promotion_id) REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, add_on_id) REFERENCES inventory_items (property_id, id)
);
INSERT INTO promotion_add_ons_new (property_id, promotion_id, add_on_id)
SELECT p.property_id, l.promotion_id, l.add_on_id
FROM promotion_add_ons l JOIN promotions p ON p.id = l.promotion_id;
DROP TABLE promotion_add_ons;
ALTER TABLE promotion_add_ons_new RENAME TO promotion_add_ons;
CREATE INDEX promotion_add_ons_add_on ON promotion_add_ons (add_on_id);

CREATE TABLE promotion_bundle_items_new (
    property_id  BLOB NOT NULL,
    bundle_id    BLOB NOT NULL,
    position     INTEGER NOT NULL,
    promotion_id BLOB NOT NULL,
    PRIMARY KEY (bundle_id, position),
    UNIQUE (bundle_id, promotion_id),
    FOREIGN KEY (property_id, bundle_id) REFERENCES promotion_bundles (property_id, id) ON DELETE CASCADE,
    FOREIGN KEY (property_id, promotion_id) REFERENCES promotions (property_id, id)
);
INSERT INTO promotion_bundle_items_new (property_id, bundle_id, position, promotion_id)
SELECT b.property_id, i.bundle_id, i.position, i.promotion_id
FROM promotion_bundle_items i JOIN promotion_bundles b ON b.id = i.bundle_id;
DROP TABLE promotion_bundle_items;
ALTER TABLE promotion_bundle_items_new RENAME TO promotion_bundle_items;
CREATE INDEX promotion_bundle_items_promotion ON promotion_bundle_items (promotion_id);

CREATE TABLE bookings_new (
    id                BLOB PRIMARY KEY,
    property_id       BLOB NOT NULL REFERENCES properties (id),
    code              TEXT NOT NULL UNIQUE,
    creation          TEXT NOT NULL,
    status            TEXT NOT NULL,
    sales_channel_id  BLOB NOT NULL,
    master_rate_id    BLOB NOT NULL,
    room_type_id      BLOB NOT NULL,
    rate_plan_id      BLOB NOT NULL,
    arrival           TEXT NOT NULL,
    departure         TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    currency          TEXT NOT NULL,
    total             TEXT NOT NULL,
    first_night       TEXT NOT NULL,
    guest_first_name  TEXT NOT NULL,
    guest_last_name   TEXT NOT NULL,
    guest_email       TEXT NOT NULL,
    search_text       TEXT NOT NULL,
    booked_by         BLOB NOT NULL,
    document          TEXT NOT NULL,
    cancelled_at      TEXT,
    cancelled_by      BLOB,
    cancellation_type TEXT,
    cancel_reason     TEXT,
    penalty           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (property_id, id),
    FOREIGN KEY (property_id, sales_channel_id) REFERENCES sales_channels (property_id, id)
);
INSERT INTO bookings_new (id, property_id, code, creation, status, sales_channel_id, master_rate_id, room_type_id,
    rate_plan_id, arrival, departure, quantity, currency, total, first_night, guest_first_name, guest_last_name,
    guest_email, search_text, booked_by, document, cancelled_at, cancelled_by, cancellation_type, cancel_reason,
    penalty, created_at, updated_at, version)
SELECT id, property_id, code, creation, status, sales_channel_id, master_rate_id, room_type_id,
    rate_plan_id, arrival, departure, quantity, currency, total, first_night, guest_first_name, guest_last_name,
    guest_email, search_text, booked_by, document, cancelled_at, cancelled_by, cancellation_type, cancel_reason,
    penalty, created_at, updated_at, version
FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_new RENAME TO bookings;
CREATE INDEX bookings_property_created ON bookings (property_id, created_at);
CREATE INDEX bookings_property_facts ON bookings (property_id, created_at, status, cancelled_at, total, penalty,
    arrival, departure, quantity, sales_channel_id, room_type_id, master_rate_id);
CREATE INDEX bookings_property_arrival ON bookings (property_id, arrival, guest_last_name, status);
CREATE INDEX bookings_property_guest_last_name ON bookings (property_id, guest_last_name, status);
CREATE INDEX bookings_property_cancelled ON bookings (property_id, cancelled_at, status);

CREATE TABLE notifications_new (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL REFERENCES properties (id),
    booking_id   BLOB,
    kind         TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    requested_by BLOB NOT NULL,
    requested_at TEXT NOT NULL,
    sent_at      TEXT,
    FOREIGN KEY (property_id, booking_id) REFERENCES bookings (property_id, id)
);
INSERT INTO notifications_new (id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at)
SELECT id, property_id, booking_id, kind, recipient, requested_by, requested_at, sent_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_booking ON notifications (booking_id, requested_at);
CREATE INDEX notifications_unsent ON notifications (requested_at) WHERE sent_at IS NULL;

CREATE TABLE reviews_new (
    id                  BLOB PRIMARY KEY,
    property_id         BLOB NOT NULL REFERENCES properties (id),
    booking_id          BLOB NOT NULL UNIQUE,
    guest_first_name    TEXT NOT NULL,
    guest_last_name     TEXT NOT NULL,
    guest_email         TEXT NOT NULL,
    review_date         TEXT NOT NULL,
    answers             TEXT NOT NULL,
    message_from_guest  TEXT,
    review_text         TEXT,
    image_identifier    TEXT,
    room_number         TEXT,
    room_rating         INTEGER,
    likes               TEXT NOT NULL,
    approved_text       BOOLEAN NOT NULL DEFAULT FALSE,
    approved_image      BOOLEAN NOT NULL DEFAULT FALSE,
    response_from_hotel TEXT,
    responded_by        BLOB,
    responded_at        TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (property_id, booking_id) REFERENCES bookings (property_id, id)
);
INSERT INTO reviews_new (id, property_id, booking_id, guest_first_name, guest_last_name, guest_email, review_date,
    answers, message_from_guest, review_text, image_identifier, room_number, room_rating, likes, approved_text,
    approved_image, response_from_hotel, responded_by, responded_at, created_at, updated_at, version)
SELECT id, property_id, booking_id, guest_first_name, guest_last_name, guest_email, review_date,
    answers, message_from_guest, review_text, image_identifier, room_number, room_rating, likes, approved_text,
    approved_image, response_from_hotel, responded_by, responded_at, created_at, updated_at, version
FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE INDEX reviews_property ON reviews (property_id, review_date);

-- Every foreign key of the database holds (SQLite's own check, which the rebuilt tables skipped
-- while foreign_keys was OFF): otherwise the CHECK fails and the whole migration rolls back.
CREATE TEMP TABLE migration_0012_foreign_key_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_0012_foreign_key_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE migration_0012_foreign_key_check;
