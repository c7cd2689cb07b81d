-- A property's recognitions (awards, publications, third-party review scores) and announcements
-- (notices shown to guests, in a date window or always). The rules are wink_domain::recognition
-- and wink_domain::announcement's.
--
-- recognitions: rating and max_rating are scores, not money (REAL, the contract's float);
-- max_rating is stored resolved (a star rating out of 5 and a percentage out of 100 when the
-- request leaves it out). Lists are ordered by category in the contract's order
-- (THIRD_PARTY_REVIEW, PUBLICATION, AWARD), then oldest first. A recognition is part of the
-- property's record (the contract's recognition writes answer the property): its changes move
-- the property's version, which is what a conditional write of a recognition names, so it has
-- no version of its own.
CREATE TABLE recognitions (
    id              BLOB PRIMARY KEY,
    property_id     BLOB NOT NULL REFERENCES properties (id),
    category        TEXT NOT NULL CHECK (category IN ('THIRD_PARTY_REVIEW', 'PUBLICATION', 'AWARD')),
    type            TEXT NOT NULL CHECK (type IN ('STAR_RATING', 'NUMERIC_RATING', 'PERCENT_RATING')),
    provider        TEXT NOT NULL,
    rating          REAL NOT NULL CHECK (rating >= 0),
    max_rating      REAL NOT NULL CHECK (max_rating > 0 AND rating <= max_rating),
    recognized_on   TEXT,
    official        BOOLEAN,
    rating_symbol   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX recognitions_property ON recognitions (property_id, category, created_at);

-- announcements: start_date/end_date are calendar dates at the property (NULL: open on that
-- side), end not before start; descriptions the contract's SimpleDescription list (JSON), one
-- per language.
CREATE TABLE announcements (
    id           BLOB PRIMARY KEY,
    property_id  BLOB NOT NULL REFERENCES properties (id),
    start_date   TEXT,
    end_date     TEXT,
    show_title   BOOLEAN,
    show_always  BOOLEAN NOT NULL,
    descriptions TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX announcements_property ON announcements (property_id, created_at);
