//! The API's integration tests: one binary, every storage test on SQLite and PostgreSQL.
#![recursion_limit = "256"]

mod fixtures;
#[allow(dead_code)] // helpers not every test module uses
mod support;

mod affiliates;
mod analytics;
mod announcements;
mod auth;
mod auth_limits;
mod availability;
mod backup;
mod booked_deletes;
mod booking_grid;
mod booking_lifecycle;
mod bookings;
mod caldav;
mod cancellation_policies;
mod channel_inventory;
mod channel_manager;
mod channel_requests;
mod channel_terms;
mod clock;
mod concurrency;
mod content_negotiation;
mod daily_rates;
mod date_windows;
mod daylight_saving;
mod events;
mod foreign_keys;
mod fx;
mod guest_rooms;
mod head;
mod idempotency;
mod inventory;
mod inventory_usage;
mod leaks;
mod media;
mod metrics;
mod offers;
mod openapi;
mod pdf;
mod promotions;
mod property_record;
mod rate_plans;
mod recognitions;
mod reference_page;
mod reports;
mod review_grid;
mod reviews;
mod sales_channels;
mod scheduler;
mod shutdown;
mod signing_keys;
mod test_availability;
mod writing_help;
