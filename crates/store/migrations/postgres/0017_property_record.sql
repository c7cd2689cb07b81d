-- The property as a living record (issue 10): where it stands as columns, and what its owner
-- writes after registration as one JSON document beside them.
--
-- - longitude/latitude: the property's point (WGS 84 degrees). The time zone (`time_zone`,
--   already a column) is recomputed from them whenever they change. Filled here from the
--   registration document (`location.coordinates` [longitude, latitude], else `location.x`/`y`).
-- - content: descriptive content no rule reads across rows (profile, contacts and desk hours,
--   amenity codes, welcome texts, general manager, lifestyles, social networks, the policy);
--   an empty object until the owner edits any of it, and each part absent until it is set
--   (the registration document answers for it meanwhile).
-- `status` (ACTIVE or INACTIVE, set by the owner) and `version` were already columns.

ALTER TABLE properties ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE properties ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE properties ADD COLUMN content JSONB NOT NULL DEFAULT '{}';

UPDATE properties SET
    longitude = COALESCE((document #>> '{location,coordinates,0}')::DOUBLE PRECISION, (document #>> '{location,x}')::DOUBLE PRECISION),
    latitude = COALESCE((document #>> '{location,coordinates,1}')::DOUBLE PRECISION, (document #>> '{location,y}')::DOUBLE PRECISION);
