-- The booking lifecycle beyond create/cancel: refund requests, the notification outbox,
-- idempotent retries, calendar-sync credentials and guest reviews.

-- Refunds the property asked the platform for. At most one PENDING request per booking; nothing in
-- this server settles them (the platform's payment side does), so requests stay PENDING here.
-- amount is in the booking's currency.
CREATE TABLE booking_refunds (
    id               BLOB PRIMARY KEY,
    booking_id       BLOB NOT NULL REFERENCES bookings (id),
    amount           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    reason           TEXT NOT NULL,
    description      TEXT NOT NULL,
    cancel_on_refund TEXT NOT NULL,
    status           TEXT NOT NULL,
    requested_by     BLOB NOT NULL,
    created_at       TEXT NOT NULL,
    processed_at     TEXT,
    response         TEXT
);
CREATE INDEX booking_refunds_booking ON booking_refunds (booking_id, created_at);
CREATE UNIQUE INDEX booking_refunds_one_pending ON booking_refunds (booking_id) WHERE status = 'PENDING';

-- The outbox: notifications the API was asked for (a test booking's `notification`, a resend).
-- This server sends no e-mail: a mail relay a deployment adds reads rows with sent_at NULL, sends
-- them and sets sent_at.
CREATE TABLE notifications (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL REFERENCES properties (id),
    booking_id   BLOB REFERENCES bookings (id),
    kind         TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    requested_by BLOB NOT NULL,
    requested_at TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX notifications_booking ON notifications (booking_id, requested_at);
CREATE INDEX notifications_unsent ON notifications (requested_at) WHERE sent_at IS NULL;

-- Idempotency keys of POST sandbox/booking and PATCH booking/{id}/cancel, per client
-- (application). Claimed (completed = FALSE) before the work, completed with the answer after it;
-- kept at least 24 hours. request_hash: SHA-256 of method, path and body (hex).
CREATE TABLE idempotency_keys (
    client_id    BLOB NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    completed    BOOLEAN NOT NULL DEFAULT FALSE,
    status       INTEGER,
    headers      TEXT,
    body         BLOB,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (client_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Calendar sync: one credential per property; the passkey is kept only as an Argon2id hash.
CREATE TABLE caldav_credentials (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL UNIQUE REFERENCES properties (id),
    passkey_hash TEXT NOT NULL,
    created_by   BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

-- Guest reviews (written on the platform, one per booking at most) and the property's response.
-- answers, likes: JSON arrays as the contract's ReviewAnswer list and user ids.
CREATE TABLE reviews (
    id                  BLOB PRIMARY KEY,
    property_id         BLOB NOT NULL REFERENCES properties (id),
    booking_id          BLOB NOT NULL UNIQUE REFERENCES bookings (id),
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
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reviews_property ON reviews (property_id, review_date);
