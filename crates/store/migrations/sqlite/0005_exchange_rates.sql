-- Currency exchange reference rates, loaded by the operator (`wink-supplier fx load`) from the
-- ECB's daily file. One set per reference date, kept as history; pricing uses the newest date.
-- - exchange_rate_sets: the set of one date: its base currency (EUR for the ECB), when and from
--   what it was loaded. Loading a date again replaces that date's set.
-- - exchange_rates: units of `currency` per unit of the set's base (never the base itself).
CREATE TABLE exchange_rate_sets (
    as_of     TEXT PRIMARY KEY,
    base      TEXT NOT NULL,
    source    TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE exchange_rates (
    as_of    TEXT NOT NULL REFERENCES exchange_rate_sets (as_of) ON DELETE CASCADE,
    currency TEXT NOT NULL,
    rate     TEXT NOT NULL,
    PRIMARY KEY (as_of, currency)
);
