//! Reading `content/` into the model, and writing unit files back (`write`, for `gongkai import`).

pub mod load;
pub mod model;
pub mod source;
pub mod write;
pub mod yaml;

pub use load::{Discovered, LoadOptions, Sources, discover, read_unit};
