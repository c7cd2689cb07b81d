//! Scenarios of the bookings area.

use std::time::Duration;

use super::Target;
use crate::load::Report;

pub const NAMES: &[&str] = &[];

pub async fn run(
    _target: &Target,
    name: &str,
    _clients: usize,
    _duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    anyhow::bail!("no bookings scenario {name:?}")
}
