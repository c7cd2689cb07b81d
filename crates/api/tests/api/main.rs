//! The API's integration tests: one binary, every storage test on SQLite and PostgreSQL.
#![recursion_limit = "256"]

mod fixtures;
#[allow(dead_code)] // helpers not every test module uses
mod support;

mod affiliates;
mod analytics;
mod auth;
mod auth_limits;
mod availability;
mod booked_deletes;
mod booking_grid;
mod booking_lifecycle;
mod bookings;
mod caldav;
mod cancellation_policies;
mod channel_inventory;
mod channel_requests;
mod channel_terms;
mod clock;
mod concurrency;
mod daily_rates;
mod date_windows;
mod daylight_saving;
mod foreign_keys;
mod fx;
mod guest_rooms;
mod head;
mod idempotency;
mod inventory;
mod inventory_usage;
mod leaks;
mod media;
mod offers;
mod openapi;
mod pdf;
mod promotions;
mod rate_plans;
mod reference_page;
mod reports;
mod reviews;
mod sales_channels;
mod scheduler;
mod signing_keys;
mod test_availability;
