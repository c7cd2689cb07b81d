//! The API's integration tests: one binary, every storage test on SQLite and PostgreSQL.
#![recursion_limit = "256"]

mod fixtures;
#[allow(dead_code)] // helpers not every test module uses
mod support;

mod auth;
mod bookings;
mod cancellation_policies;
mod concurrency;
mod daily_rates;
mod guest_rooms;
mod openapi;
mod rate_plans;
mod sales_channels;
mod test_availability;
