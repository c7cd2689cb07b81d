-- Sales channel requests and affiliate invitations.

-- A request from an owner (the account behind the requesting property) to a supplier property for
-- a direct sales channel. status: REQUESTING (pending, the supplier decides), REJECTED (the
-- supplier said no), ACCEPTED (the supplier opened the channel: create-sales-channel for that
-- owner). One pending request per supplier and owner; a rejected one blocks the owner from asking
-- that supplier again for a while (wink_domain::channel_request).
CREATE TABLE sales_channel_requests (
    id                   UUID PRIMARY KEY,
    supplier_property_id UUID NOT NULL REFERENCES properties (id),
    owner_account_id     UUID NOT NULL REFERENCES accounts (id),
    requested_from       UUID NOT NULL REFERENCES properties (id),
    request_type         TEXT NOT NULL,
    introductory_message TEXT NOT NULL,
    status               TEXT NOT NULL,
    requested_by         UUID NOT NULL,
    decided_at           TIMESTAMPTZ,
    decided_by           UUID,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX sales_channel_requests_pending
    ON sales_channel_requests (supplier_property_id, owner_account_id) WHERE status = 'REQUESTING';
CREATE INDEX sales_channel_requests_supplier
    ON sales_channel_requests (supplier_property_id, status, created_at);
CREATE INDEX sales_channel_requests_owner
    ON sales_channel_requests (owner_account_id, supplier_property_id, decided_at);

-- What a notification that is not about a booking needs to be written (an affiliate invitation:
-- the invitee's name, the property's reply-to address), as a JSON object.
ALTER TABLE notifications ADD COLUMN details JSONB;
-- The property's notifications of one kind, newest last (the invitation limit counts them).
CREATE INDEX notifications_property_kind ON notifications (property_id, kind, requested_at);
