//! Properties that only say something about offered stays pass vacuously on a case that is not
//! quoted; if a change to the generators (or to the engine) left almost no case quoted, they would
//! still pass. These runners count the quoted cases and fail when too few are.

use std::sync::atomic::{AtomicU32, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

/// The configuration of the `proptest!` blocks beside these runners (512 cases, regressions
/// kept in the test file's `.proptest-regressions`).
fn config(source_file: &'static str) -> Config {
    Config {
        cases: 512,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// Runs `property` over `strategy` as `proptest!` would; `property` answers whether the case was
/// quoted (so it checked something). Fails unless at least `min_percent` of the cases were.
pub fn run_quoted<S: Strategy>(
    source_file: &'static str,
    name: &str,
    strategy: S,
    min_percent: u32,
    property: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) {
    let config = config(source_file);
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let quoted = AtomicU32::new(0);
    let result = runner.run(&strategy, |value| {
        if property(value)? {
            quoted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let quoted = quoted.into_inner();
    assert!(
        quoted * 100 >= cases * min_percent,
        "{name}: only {quoted} of {cases} generated cases were quoted (at least {min_percent} % \
         must be, or the property checks next to nothing)"
    );
}
