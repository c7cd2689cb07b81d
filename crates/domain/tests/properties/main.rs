//! Property tests of the domain rules: one test binary, one module per area.

mod fx;
mod pricing;
mod promotions;
mod quoted;
