-- A property's rate provider (the contract's channel manager, update-channel-manager): another
-- account whose clients may read and write the property's rates, restrictions and availability
-- (the operations listed in the API's auth module, nothing else). At most one per property;
-- removing the provider deletes the row. `label` is the name the owner gave it (answered as
-- `rateProvider.label`; the account's own name is not shown to another account).
CREATE TABLE property_rate_providers (
    property_id  UUID PRIMARY KEY REFERENCES properties (id) ON DELETE CASCADE,
    account_id   UUID NOT NULL REFERENCES accounts (id),
    label        TEXT NOT NULL,
    set_by       UUID NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX property_rate_providers_account ON property_rate_providers (account_id);
