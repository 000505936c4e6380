//! gongkai: builds the public disclosure site of the 七权七责 mechanism from per-unit files.
//!
//! The pipeline reads top to bottom: [`guard`] screens each file's text, [`content`] reads it,
//! [`rules`] validates, [`plan`] names the files, [`render`] turns them into bytes, [`output`]
//! writes them safely. [`pipeline`] wires these stages once, unit by unit, for `build`, `check` and
//! `serve`.

pub mod build;
pub mod cache;
pub mod calendar;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod guard;
pub mod masking;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod shard;
pub mod sheet;
pub mod spare;
