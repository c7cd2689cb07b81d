-- Accounts own applications (OAuth2 clients) and manage properties. An account is also a managing
-- entity of its own: a sales channel's owner is an account (a travel agent, a corporate, ...).
CREATE TABLE accounts (
    id           UUID PRIMARY KEY,
    name         TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    email        TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE applications (
    id           UUID PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX applications_account ON applications (account_id);

-- Ed25519 keys that sign access tokens; every node verifies with any key that is not retired.
CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    private_key_pem TEXT NOT NULL,
    public_key      BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    retired_at      TIMESTAMPTZ
);

-- Revoked access tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        UUID PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE properties (
    id            UUID PRIMARY KEY,
    account_id    UUID NOT NULL REFERENCES accounts (id),
    registered_by UUID NOT NULL,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    url_name      TEXT NOT NULL UNIQUE,
    hotel_code    TEXT NOT NULL UNIQUE,
    unique_code   TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    lead_id       TEXT NOT NULL,
    document      JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX properties_account ON properties (account_id);

CREATE TABLE room_types (
    id                 UUID PRIMARY KEY,
    property_id        UUID NOT NULL REFERENCES properties (id),
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
    document           JSONB NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX room_types_property ON room_types (property_id);
