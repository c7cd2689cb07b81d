//! The API's integration tests: one binary, every storage test on SQLite and PostgreSQL.
#![recursion_limit = "256"]

mod fixtures;
#[allow(dead_code)] // helpers not every test module uses
mod support;

mod auth;
mod guest_rooms;
