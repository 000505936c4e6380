//! Reading `content/` into the model.

pub mod load;
pub mod model;
pub mod source;
pub mod yaml;

pub use load::{Discovered, LoadOptions, Sources, discover, read_unit};
