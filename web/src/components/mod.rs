//! The page's components, one per file.

pub mod clock;
pub mod cluster;
pub mod editor;
pub mod terminal;
