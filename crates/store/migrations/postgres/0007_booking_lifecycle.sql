-- The booking lifecycle beyond create/cancel: refund requests, the notification outbox,
-- idempotent retries, calendar-sync credentials and guest reviews.

-- Refunds the property asked the platform for. At most one PENDING request per booking; nothing in
-- this server settles them (the platform's payment side does), so requests stay PENDING here.
-- amount is in the booking's currency.
CREATE TABLE booking_refunds (
    id               UUID PRIMARY KEY,
    booking_id       UUID NOT NULL REFERENCES bookings (id),
    amount           NUMERIC(20, 6) NOT NULL,
    currency         TEXT NOT NULL,
    reason           TEXT NOT NULL,
    description      TEXT NOT NULL,
    cancel_on_refund TEXT NOT NULL,
    status           TEXT NOT NULL,
    requested_by     UUID NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    processed_at     TIMESTAMPTZ,
    response         TEXT
);
CREATE INDEX booking_refunds_booking ON booking_refunds (booking_id, created_at);
CREATE UNIQUE INDEX booking_refunds_one_pending ON booking_refunds (booking_id) WHERE status = 'PENDING';

-- The outbox: notifications the API was asked for (a test booking's `notification`, a resend).
-- This server sends no e-mail: a mail relay a deployment adds reads rows with sent_at NULL, sends
-- them and sets sent_at.
CREATE TABLE notifications (
    id           UUID PRIMARY KEY,
    property_id  UUID NOT NULL REFERENCES properties (id),
    booking_id   UUID REFERENCES bookings (id),
    kind         TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    requested_by UUID NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ
);
CREATE INDEX notifications_booking ON notifications (booking_id, requested_at);
CREATE INDEX notifications_unsent ON notifications (requested_at) WHERE sent_at IS NULL;

-- Idempotency keys of POST sandbox/booking and PATCH booking/{id}/cancel, per client
-- (application). Claimed (completed = FALSE) before the work, completed with the answer after it;
-- kept at least 24 hours. request_hash: SHA-256 of method, path and body (hex).
CREATE TABLE idempotency_keys (
    client_id    UUID NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    completed    BOOLEAN NOT NULL DEFAULT FALSE,
    status       INTEGER,
    headers      JSONB,
    body         BYTEA,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Calendar sync: one credential per property; the passkey is kept only as an Argon2id hash.
CREATE TABLE caldav_credentials (
    id           UUID PRIMARY KEY,
    property_id  UUID NOT NULL UNIQUE REFERENCES properties (id),
    passkey_hash TEXT NOT NULL,
    created_by   UUID NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);

-- Guest reviews (written on the platform, one per booking at most) and the property's response.
-- answers, likes: JSON arrays as the contract's ReviewAnswer list and user ids.
CREATE TABLE reviews (
    id                  UUID PRIMARY KEY,
    property_id         UUID NOT NULL REFERENCES properties (id),
    booking_id          UUID NOT NULL UNIQUE REFERENCES bookings (id),
    guest_first_name    TEXT NOT NULL,
    guest_last_name     TEXT NOT NULL,
    guest_email         TEXT NOT NULL,
    review_date         TIMESTAMPTZ NOT NULL,
    answers             JSONB NOT NULL,
    message_from_guest  TEXT,
    review_text         TEXT,
    image_identifier    TEXT,
    room_number         TEXT,
    room_rating         INTEGER,
    likes               JSONB NOT NULL,
    approved_text       BOOLEAN NOT NULL DEFAULT FALSE,
    approved_image      BOOLEAN NOT NULL DEFAULT FALSE,
    response_from_hotel TEXT,
    responded_by        UUID,
    responded_at        TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX reviews_property ON reviews (property_id, review_date);
