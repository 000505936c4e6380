//! gongkai: builds the public disclosure site of the 七权七责 mechanism from per-unit files.
//!
//! The pipeline reads top to bottom: [`content`] loads, [`rules`] validates, [`plan`] lists the
//! pages, [`render`] turns them into bytes, [`output`] writes them safely.

pub mod build;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod output;
pub mod plan;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sheet;
