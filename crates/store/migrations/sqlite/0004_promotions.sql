-- Promotions (the contract's special rates), promotion bundles, and what they refer to.
--
-- What each column means (the pricing code reads these tables too):
-- - promotions.document: the UpsertSpecialRateRequest as received, after validation (name
--   trimmed, repeated identifiers collapsed); `wink_api::monetization::promotion_rules::promotion`
--   turns it into the domain's promotion. The columns beside it are what queries need.
-- - promotion_master_rates / promotion_rate_plans: the document's masterRateIdentifiers and
--   ratePlanIdentifiers as rows, so a master rate, rate plan or room type that a promotion
--   names cannot be deleted under it (the delete is refused naming the promotions; the foreign
--   keys are the safety net) and its usage can be counted.
-- - promotion_bundles.document: the UpsertSpecialRateBundleRequest as received, after
--   validation (name trimmed, items without repeats, `type`/`pricingType` only with a
--   `modifierOverride`). Its items are also rows of promotion_bundle_items, in request order;
--   a promotion in a bundle cannot be deleted.
-- - Whether a bundle is valid (can ever apply) is not stored: it depends on its items'
--   current conditions and is worked out whenever the bundle is read.

CREATE TABLE promotions (
    id          BLOB PRIMARY KEY,
    property_id BLOB NOT NULL REFERENCES properties (id),
    name        TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL,
    document    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX promotions_property ON promotions (property_id);

CREATE TABLE promotion_master_rates (
    promotion_id   BLOB NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    master_rate_id BLOB NOT NULL REFERENCES master_rates (id),
    PRIMARY KEY (promotion_id, master_rate_id)
);
CREATE INDEX promotion_master_rates_master_rate ON promotion_master_rates (master_rate_id);

CREATE TABLE promotion_rate_plans (
    promotion_id BLOB NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    rate_plan_id BLOB NOT NULL REFERENCES rate_plans (id),
    PRIMARY KEY (promotion_id, rate_plan_id)
);
CREATE INDEX promotion_rate_plans_rate_plan ON promotion_rate_plans (rate_plan_id);

CREATE TABLE promotion_bundles (
    id          BLOB PRIMARY KEY,
    property_id BLOB NOT NULL REFERENCES properties (id),
    name        TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL,
    document    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX promotion_bundles_property ON promotion_bundles (property_id);

CREATE TABLE promotion_bundle_items (
    bundle_id    BLOB NOT NULL REFERENCES promotion_bundles (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    promotion_id BLOB NOT NULL REFERENCES promotions (id),
    PRIMARY KEY (bundle_id, position),
    UNIQUE (bundle_id, promotion_id)
);
CREATE INDEX promotion_bundle_items_promotion ON promotion_bundle_items (promotion_id);
