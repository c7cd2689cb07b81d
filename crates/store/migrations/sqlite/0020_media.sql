-- Media files the server keeps itself (issue 11): the file is written to object storage first
-- (key `files/<id>`), and only then is its row written here, with what references it, in one
-- transaction. A row nothing refers to (and an object with no row) is deleted by the sweep.
--
-- - media_files: one stored file. `id` is random (v4): it is the only thing its public URL
--   carries, so URLs cannot be guessed from another property's. `media_type` is what its bytes
--   are (wink_domain::media::MediaType), `width`/`height` read from them.
-- - property_media: the property's own media (`role` GALLERY: the contract's Media operations;
--   GENERAL_MANAGER: the general manager's profile picture). `id` is the multimediaIdentifier;
--   `file_id` is NULL for a reference the client wrote itself (create-multimedia with an
--   identifier of its own). `document` is the SimpleMultimedia as answered.
-- Inventory items and room types keep their `multimedias` in their documents; a file is
-- referenced from there when its id appears in one (see wink_store::media).

CREATE TABLE media_files (
    id            BLOB PRIMARY KEY,
    property_id   BLOB NOT NULL REFERENCES properties (id),
    media_type    TEXT NOT NULL,
    byte_size     INTEGER NOT NULL CHECK (byte_size > 0),
    width         INTEGER NOT NULL CHECK (width > 0),
    height        INTEGER NOT NULL CHECK (height > 0),
    original_name TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX media_files_property ON media_files (property_id);

CREATE TABLE property_media (
    id          BLOB PRIMARY KEY,
    property_id BLOB NOT NULL REFERENCES properties (id),
    role        TEXT NOT NULL CHECK (role IN ('GALLERY', 'GENERAL_MANAGER')),
    file_id     BLOB REFERENCES media_files (id),
    sort        INTEGER NOT NULL,
    document    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX property_media_property ON property_media (property_id, role, sort);
CREATE INDEX property_media_file ON property_media (file_id);
