//! Validation and compliance: pure functions of the model returning diagnostics or verdicts.

pub mod area;
pub mod compliance;
pub mod placeholder;
pub mod scoring;
pub mod sensitive;
pub mod site;
pub mod unit;
