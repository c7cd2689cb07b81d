-- Indexes for the reads over a property's bookings (booking/grid, report/csv, booking/overview,
-- the booked master rates and owners, booking/analytics). A booking row carries its snapshot
-- document (several KB, inline on SQLite), so these indexes hold what those reads need, and the
-- reads are answered from them without reading the rows:
-- - facts: newest first (the grid's default order and count), the sales (totals of bookings that
--   hold), the analytics of bookings made since a date, the groups (channel, room type, master
--   rate) bookings were made on; status (the reads' scope) is in every index;
-- - arrival (+ last name): the grid's stay filters and its arrival, then guest, order;
-- - guest last name: the grid's name filters and order;
-- - cancelled: the analytics of bookings cancelled since a date.
-- Names are indexed in the "C" collation, the order the grid sorts and compares text in on both
-- engines (by code point), so those indexes serve its ORDER BY.
CREATE INDEX bookings_property_facts ON bookings (property_id, created_at, status, cancelled_at, total, penalty,
    arrival, departure, quantity, sales_channel_id, room_type_id, master_rate_id);
CREATE INDEX bookings_property_arrival ON bookings (property_id, arrival, guest_last_name COLLATE "C", status);
CREATE INDEX bookings_property_guest_last_name ON bookings (property_id, guest_last_name COLLATE "C", status);
CREATE INDEX bookings_property_cancelled ON bookings (property_id, cancelled_at, status);
